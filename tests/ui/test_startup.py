"""Start-up stays quick: what opening the main window on a populated record must not load.

Issue 7 asks for a shown window within 1.5 × a bare PySide6 window (benchmarks/bench_startup.py
measures it). The big costs are imports, so the rule is pinned here: nothing the first screen
does not need is imported before the window is shown.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui  # the window starts in a child process: no import here shows it

ROOT = Path(__file__).resolve().parents[2]

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
RUFF = PYPROJECT["tool"]["ruff"]["lint"]

#: loaded later, when first used (first write, opening a record, an assessment, a plan): ruff's
#: banned-module-level-imports (TID253), so one list serves the static check and this one
NOT_AT_START_UP = tuple(RUFF["flake8-tidy-imports"]["banned-module-level-imports"])


#: on the start-up path, but loaded by the fill on the first turn after the window is shown, just
#: before its first paint (Today's work: planner/ui/main_window.py `worklist_view`)
AFTER_SHOWN = frozenset({"planner.ui.worklist_view"})


def start_up_path() -> frozenset[str]:
    """The files TID253 checks: the per-file-ignores entry that exempts every other file."""
    (pattern,) = [key for key, rules in RUFF["per-file-ignores"].items() if rules == ["TID253"]]
    assert pattern.startswith("!{"), pattern
    assert pattern.endswith("}"), pattern
    return frozenset(pattern[2:-1].split(","))


PROBE = """
import json, sys
import PySide6.QtCore
from planner.ui import app, first_paint
built, at_shown, at_paint = [], [], []
report = app._report_shown
app._report_shown = lambda: (
    built.append("Qt" in vars(PySide6.QtCore)), at_shown.extend(sys.modules), report()
)
painted = first_paint.FirstPaint._painted
first_paint.FirstPaint._painted = lambda self: (
    at_paint.append("Qt" in vars(PySide6.QtCore)), painted(self)
)
code = app.run(["--db", sys.argv[1], "--smoke", "--settle-ms", "0"])
print(json.dumps({"modules": sorted(sys.modules), "qt_namespace_built": built,
                  "at_shown": sorted(at_shown), "qt_namespace_at_paint": at_paint}))
raise SystemExit(code)
"""


def test_start_up_imports_only_what_the_first_screen_needs(tmp_path, example_raw):
    from planner.services.patient_record import PatientRecord

    path = tmp_path / "record.sqlite3"
    with PatientRecord(path, who="test") as record:
        record.import_case(example_raw)
        record.save_draft({"patient": {"mrn": "NEW-1"}}, "patient")
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.splitlines()[-1])
    loaded = set(found["modules"])
    assert "planner.ui.main_window" in loaded
    early = sorted(
        name
        for name in loaded
        for unwanted in NOT_AT_START_UP
        if name == unwanted or name.startswith(unwanted + ".")
    )
    assert early == [], "imported before the window was shown (import it where it is used)"
    unchecked = sorted(
        name
        for name in loaded
        if name.split(".")[0] == "planner" and _source_file(name) not in start_up_path()
    )
    assert unchecked == [], "on the start-up path: add to pyproject.toml's TID253 file list"
    # PySide6 builds every enum of its `Qt` namespace on first touch (~30 ms): from Python
    # (Qt.AlignmentFlag…), or when Qt hands Python a Qt enum (a model's headerData, the
    # overloads of QAction.setShortcut). The first screen avoids all of these.
    assert found["qt_namespace_built"] == [False], "the Qt namespace was built before the window"
    # nor by the first paint (the fill, Today's work, the focus ring: docs/decisions.md,
    # "Start-up, fifth pass")
    assert found["qt_namespace_at_paint"] == [False], "the Qt namespace was built before the paint"
    # made by the fill, after `shown`
    assert loaded >= AFTER_SHOWN
    assert not AFTER_SHOWN & set(found["at_shown"]), "loaded before the window was shown"


def _source_file(module: str) -> str:
    """`planner.ui.app` -> `planner/ui/app.py`; a package -> its `__init__.py`."""
    path = Path(*module.split("."))
    package = ROOT / path / "__init__.py"
    return (path / "__init__.py" if package.exists() else path.with_suffix(".py")).as_posix()
