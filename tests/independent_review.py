"""Running the program as a user would, for the independent-review tests (tests/safety and
tests/cycle): `python -m planner ...` in a child process, with the documented defaults."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path


def planner_env() -> dict[str, str]:
    env = dict(os.environ)  # PYTHONPATH inherited: the tree under test is the one imported
    env.pop("PLANNER_DB", None)  # the documented defaults, not a developer's record
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def run_planner(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """`python -m planner ARGS`, its output captured (never raises on a non-zero exit)."""
    return subprocess.run(
        [sys.executable, "-m", "planner", *map(str, args)],
        capture_output=True,
        text=True,
        env=planner_env(),
        timeout=180,
        check=False,
    )


def scratch_folder(prefix: str) -> Path:
    """A new folder for the files a review writes (callers cache it for their module)."""
    return Path(tempfile.mkdtemp(prefix=prefix))
