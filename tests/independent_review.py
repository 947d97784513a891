"""Running the program as a user would, for the independent-review tests (tests/safety and
tests/cycle): `python -m planner ...` in a child process, with the documented defaults."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


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


def case_in(folder: Path, prefix: str) -> dict[str, Any]:
    """The one case document of a review's folder whose name starts with `prefix` ("A05")."""
    (path,) = folder.glob(f"{prefix}_*.json")
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def plan_json(raw: dict[str, Any], rules: Any) -> dict[str, Any]:
    """The plan document of a case, built in this process (validation, then the engine)."""
    from planner.domain.engine import build_plan
    from planner.domain.validation import validate_case

    case, doubts = validate_case(raw, rules.limits)
    return build_plan(case, doubts, rules).to_json()


def plan_cache(folder: Path, rules: Any) -> Callable[[str], dict[str, Any]]:
    """plan(prefix): each case of a review's folder planned once per test module."""
    cache: dict[str, dict[str, Any]] = {}

    def plan(prefix: str) -> dict[str, Any]:
        if prefix not in cache:
            cache[prefix] = plan_json(case_in(folder, prefix), rules)
        return cache[prefix]

    return plan


def drug_rows(plan: dict[str, Any], drug: str) -> list[dict[str, Any]]:
    """Every option's row of one drug, in the plan's option order."""
    return [d for o in plan["options"] for d in o["drugs"] if d["drug"] == drug]


def option_row(plan: dict[str, Any], regimen: str, drug: str) -> dict[str, Any]:
    """One drug's row in one option of the plan (the option by its regimen id)."""
    option = next(o for o in plan["options"] if o["regimen"] == regimen)
    row: dict[str, Any] = next(d for d in option["drugs"] if d["drug"] == drug)
    return row


def clinician_pdf_text(folder: Path, tmp_path: Path, prefix: str) -> str:
    """The words of the clinician's printed plan of one case of a review's folder, made by
    `planner plan --pdf` as a user would and read back by pdftotext (white space folded)."""
    (case,) = folder.glob(f"{prefix}_*.json")
    pdf = tmp_path / f"{prefix}.pdf"
    done = run_planner("plan", case, "--pdf", pdf, "--audience", "clinician")
    assert done.returncode == 0, done.stderr
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())
