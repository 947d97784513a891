"""`planner course list | show | sheet` (docs/contract.md, issue 19): a patient's treatment
courses read from the record, and bad input named (exit 2)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from planner.cli import main
from planner.domain.treatment_course import SideEffect
from planner.services import treatment_courses as courses
from planner.services.patient_record import PatientRecord
from tests.course_setup import DAY, HFS, TODAY, decide_regimen, labs_on


@pytest.fixture
def on_course(tmp_path, example_raw) -> tuple[Path, str, int]:
    """A record with the sample patient on capecitabine: cycle 1 given, cycle 2 reviewed (hand-
    foot syndrome grade 3: reduced to 937.5 mg/m2), signed and given."""
    db = tmp_path / "record.sqlite3"
    with PatientRecord(db, who="Nurse Test") as record:
        plan_id = decide_regimen(record, example_raw)
        course_id = courses.start_course(record, plan_id, cycle_days=21, started_on=DAY)
        c2 = DAY + dt.timedelta(days=21)
        entry = courses.CycleEntry(course_id, c2, labs_on(c2), (SideEffect(HFS, 3, 1),))
        review = courses.decide_cycle(record, entry, confirmed=True, today=TODAY)
        courses.record_cycle_given(record, course_id, review, c2, today=c2)
    return db, example_raw["patient"]["mrn"], course_id


def test_list_gives_each_course_as_a_json_line(on_course, capsys):
    db, mrn, course_id = on_course
    assert main(["course", "--db", str(db), "list", mrn]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    listed = json.loads(line)
    assert listed["course_id"] == course_id
    assert listed["regimen"] == "capecitabine"
    assert listed["cycles_given"] == 2
    assert listed["current_doses"] == {"capecitabine": {"value": 937.5, "unit": "mg/m2"}}
    assert (listed["next_cycle"], listed["due_on"]) == (3, "2027-01-01")
    assert listed["stopped"] is None


def test_show_gives_cycles_toxicities_and_decisions(on_course, capsys):
    db, _, course_id = on_course
    assert main(["course", "show", "--db", str(db), str(course_id)]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [(c["cycle"], c["given_on"]) for c in shown["cycles"]] == [
        (1, "2026-11-20"),
        (2, "2026-12-11"),
    ]
    (review,) = shown["reviews"]
    assert (review["toxicities"][0]["term"], review["toxicities"][0]["worst_grade"]) == (HFS, 3)
    assert review["suggested"]["decision"] == "give"
    assert review["suggested"]["drugs"][0]["dose"] == {"value": 937.5, "unit": "mg/m2"}
    assert review["decided"]["drugs"][0]["action"] == "reduce"
    assert (review["outcome"], review["signed_by"]) == ("confirmed", "Dr Karimov (oncologist)")


@pytest.mark.parametrize(
    ("audience", "clinician", "patient"),
    [("both", True, True), ("clinician", True, False), ("patient", False, True)],
)
def test_sheet_writes_the_cycle_sheet_for_its_audience(
    on_course, tmp_path, capsys, audience, clinician, patient
):
    db, _, course_id = on_course
    out = tmp_path / "sheet.pdf"
    args = ["course", "--db", str(db), "sheet", str(course_id), "--pdf", str(out)]
    assert main([*args, "--audience", audience]) == 0
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(out.read_bytes())).pages
    )
    assert ("1250 mg/m² × 75 % = 937.5 mg/m²" in text) is clinician
    assert ("Hand-foot syndrome" in text) is patient


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["list", "NOPE-1"], "MRN: 'NOPE-1' is not in the record"),
        (["show", "999"], "COURSE_ID: 999 is not a course in the record"),
        (["show", "one"], "argument COURSE_ID: invalid int value: 'one'"),
        (["sheet", "1", "--pdf", "x.pdf", "--audience", "family"], "argument --audience"),
        (["sheet", "1"], "the following arguments are required: --pdf"),
        (["sheet", "1", "--pdf", "x.pdf", "--review", "99"], "--review: 99 is not a signed"),
    ],
)
def test_bad_input_exits_2_naming_the_argument(on_course, capsys, args, named):
    db, _, _ = on_course
    assert main(["course", "--db", str(db), *args]) == 2
    assert named in capsys.readouterr().err


def test_a_course_without_a_signed_review_has_no_sheet(tmp_path, example_raw, capsys):
    db = tmp_path / "record.sqlite3"
    with PatientRecord(db, who="Nurse Test") as record:
        plan_id = decide_regimen(record, example_raw, by=None)
        course_id = courses.start_course(record, plan_id, cycle_days=21, started_on=DAY)
    out = tmp_path / "sheet.pdf"
    assert main(["course", "--db", str(db), "sheet", str(course_id), "--pdf", str(out)]) == 2
    assert "COURSE_ID: course 1 has no signed cycle review yet" in capsys.readouterr().err
    assert not out.exists()


def test_a_missing_record_is_named(tmp_path, capsys):
    assert main(["course", "--db", str(tmp_path / "none.sqlite3"), "list", "X"]) == 2
    assert "no record here" in capsys.readouterr().err
