"""The cycle sheet's page headers say what it is, which cycle, and who each part is for — not
the care plan's "Care plan · for the clinician" (issue 19)."""

from __future__ import annotations

import copy
import datetime as dt
import io

import pytest

from planner.domain.treatment_course import SideEffect
from planner.reports.templates import CarePlanDocument, PageHeading
from planner.services import kept_plans
from planner.services import treatment_courses as courses
from planner.services.patient_record import PatientRecord

DAY = dt.date(2026, 11, 20)
# the clinic's today: after every review date these tests give (none is in the future)
TODAY = dt.date(2027, 6, 30)


def _labs(day: dt.date) -> dict:
    return {
        "drawn_on": day.isoformat(),
        "bilirubin": {"value": 12, "unit": "umol/L", "uln": 21},
        "ast": {"value": 30, "unit": "U/L", "uln": 40},
        "alt": {"value": 30, "unit": "U/L", "uln": 45},
        "alp": {"value": 100, "unit": "U/L", "uln": 130},
        "albumin": {"value": 38, "unit": "g/L"},
        "inr": {"value": 1.0},
        "creatinine": {"value": 70, "unit": "umol/L"},
        "anc": {"value": 3.0, "unit": "10^9/L"},
        "platelets": {"value": 220, "unit": "10^9/L"},
        "hemoglobin": {"value": 120, "unit": "g/L"},
    }


def test_each_page_names_the_sheet_the_cycle_and_its_reader(tmp_path, example_raw):
    from pypdf import PdfReader

    record = PatientRecord(tmp_path / "record.sqlite3", who="Nurse Test")
    try:
        outcome = record.import_case(copy.deepcopy(example_raw))
        made = kept_plans.make_and_keep_plan(record, outcome.assessment_id)
        record.sign_in_as("Dr Karimov (oncologist)")
        plan_id = kept_plans.decide_plan(
            record, made.plan_id, course="option", regimen="capecitabine", reason="oral"
        )
        course_id = courses.start_course(record, plan_id, cycle_days=21, started_on=DAY)
        c2 = DAY + dt.timedelta(days=21)
        entry = courses.CycleEntry(
            course_id, c2, _labs(c2), (SideEffect("palmar_plantar_erythrodysesthesia", 1, 1),)
        )
        review = courses.decide_cycle(record, entry, confirmed=True, today=TODAY)
        pdf = courses.print_cycle_sheet(courses.cycle_sheet_source(record, course_id, review))
    finally:
        record.close()
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]
    cycle = 2  # the course's second cycle: the first was given on the day it started
    *clinician, patient = pages
    for page in clinician:
        assert f"Cycle sheet · cycle {cycle} · for the doctor and pharmacist" in page
        assert "Care plan" not in page
    assert f"Cycle sheet · cycle {cycle} · for the patient" in patient
    assert "Your care plan" not in patient


def test_a_title_for_a_part_that_does_not_exist_is_refused():
    heading = PageHeading("A", "1", "2026-12-07", "r", "", "")
    with pytest.raises(ValueError, match="cover"):
        CarePlanDocument(
            io.BytesIO(),
            heading=heading,
            paper="a4",
            first_part="clinician",
            invariant=True,
            title="t",
            author="a",
            subject="s",
            titles={"cover": "x"},
        )
