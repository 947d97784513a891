"""print24 (issue 18 §3): the cycle sheet read a mapping of mappings where the typed course,
review and plan documents exist. Its source is typed, and the sheet reads no mapping of it but
the patient's and the clinic's (which every printed part takes) and the chart rows."""

from __future__ import annotations

import re
from pathlib import Path

import planner.reports.cycle_sheet as cycle_sheet
from planner.domain.cycle_sheet_source import CycleSheetSource
from planner.domain.plan_document import NextCycle, PlanDocument
from planner.domain.stored import CourseReview, StoredCourse
from planner.domain.treatment_course import DoseLine
from planner.services import cycle_sheets
from planner.services import treatment_courses as courses
from planner.services.patient_record import PatientRecord
from tests.course_setup import DAY, NORMAL_LIVER, TODAY, decide_regimen, labs_on


def test_the_sheet_reads_no_source_mapping():
    code = Path(cycle_sheet.__file__).read_text(encoding="utf-8")
    assert not re.search(r"source(?:\[|\.get\()", code)
    assert "read_next_cycle" not in code  # read once, by the source
    assert "document_of" not in code


def test_the_source_is_typed(tmp_path, example_raw):
    record = PatientRecord(tmp_path / "record.sqlite3", who="Nurse Test")
    try:
        plan_id = decide_regimen(record, example_raw)
        course_id = courses.start_course(record, plan_id, cycle_days=21, started_on=DAY)
        labs = labs_on(DAY, liver=NORMAL_LIVER, inr=1.0)
        review = courses.decide_cycle(
            record, courses.CycleEntry(course_id, DAY, labs, ()), confirmed=True, today=TODAY
        )
        source = cycle_sheets.cycle_sheet_source(record, course_id, review)
    finally:
        record.close()
    assert isinstance(source, CycleSheetSource)
    assert isinstance(source.course, StoredCourse)
    assert isinstance(source.review, CourseReview)
    assert isinstance(source.course_plan, PlanDocument)
    assert isinstance(source.decided, NextCycle)
    assert all(isinstance(line, DoseLine) for line in source.doses)
    assert source.course_name == "Capecitabine"
    assert cycle_sheets.cycle_sheet_file_name(source).endswith("_cycle2.pdf")
