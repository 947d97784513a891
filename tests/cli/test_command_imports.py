"""Each `planner` command loads what it runs, and nothing another command needs.

A command's time is mostly the interpreter starting and importing (docs/decisions.md, "Speed
targets"): the JSON plan must not pay for the PDF library, nor a plan from a case file for the
record's storage. planner/cli/ imports each command's services inside the command (ruff's TID253
bans them at module level there); this test runs real commands and checks what they loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
from planner.cli import main
code = main(sys.argv[2:])
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump(sorted(sys.modules), out)
raise SystemExit(code)
"""

#: what only the PDF needs
PDF = ("reportlab", "PIL", "planner.reports", "planner.services.printing")
#: what only a command that opens the record needs
RECORD = (
    "sqlite3",
    "sqlite_utils",
    "planner.storage",
    "planner.services.patient_record",
)
#: the services of the record's and the courses' commands
OTHER_COMMANDS = (
    "planner.services.kept_plans",
    "planner.services.record_admin",
    "planner.services.record_corrections",
    "planner.services.course_views",
    "planner.services.cycle_sheets",
    "planner.services.treatment_courses",
    "planner.services.paper_forms",
    "planner.services.previews",
)


def _loaded(tmp_path: Path, *argv: str) -> set[str]:
    modules = tmp_path / "modules.json"
    env = {key: value for key, value in os.environ.items() if key != "PLANNER_DB"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(modules), *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(modules.read_text("utf-8")))


def _among(loaded: set[str], unwanted: tuple[str, ...]) -> list[str]:
    return sorted(
        name for name in loaded for u in unwanted if name == u or name.startswith(u + ".")
    )


@pytest.mark.parametrize(
    "command",
    [
        ("plan",),
        ("validate",),
        ("dose", "--drug", "paclitaxel"),
    ],
    ids=lambda argv: argv[0],
)
def test_a_command_on_a_case_file_loads_neither_the_pdf_library_nor_the_record(
    tmp_path, example_path, command
):
    name, *options = command
    loaded = _loaded(tmp_path, name, str(example_path), *options)
    assert "planner.domain.engine" in loaded or name == "validate"  # the probe saw the work
    assert _among(loaded, PDF + RECORD + OTHER_COMMANDS) == []
    assert "planner.services.clinic_settings" not in loaded  # no --db: the documented defaults


def test_the_printed_plan_from_a_case_file_loads_the_pdf_library_but_not_the_record(
    tmp_path, example_path
):
    pdf = tmp_path / "plan.pdf"
    loaded = _loaded(tmp_path, "plan", str(example_path), "--pdf", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert "reportlab" in loaded
    assert _among(loaded, RECORD + OTHER_COMMANDS) == []


def test_a_search_loads_the_index_alone_not_the_engine_nor_the_record_machinery(
    tmp_path, example_raw
):
    """`planner search` within 1.3 × a bare `planner --help` (issue 20): beside the record's
    administration it imported case files and so the engine (2.7 × on 100,000 patients)."""
    from planner.services.patient_record import PatientRecord

    db = tmp_path / "record.sqlite3"
    record = PatientRecord(db)
    try:
        record.import_case(example_raw)
    finally:
        record.close()
    loaded = _loaded(tmp_path, "search", "--db", str(db), "a")
    assert "planner.services.patient_search" in loaded  # the probe saw the work
    engine = ("planner.domain.engine", "planner.domain.dosing", "planner.rules")
    unwanted = engine + PDF + OTHER_COMMANDS + ("sqlite_utils", "planner.services.patient_record")
    assert _among(loaded, unwanted) == []
