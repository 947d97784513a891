"""The cycle sheet's page headers say what it is, which cycle, and who each part is for — not
the care plan's "Care plan · for the clinician" (issue 19)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from planner.domain.treatment_course import SideEffect
from planner.reports.templates import CarePlanDocument, PageHeading
from planner.services import cycle_sheets
from planner.services import treatment_courses as courses
from planner.services.patient_record import PatientRecord
from tests.course_setup import DAY, NORMAL_LIVER, TODAY, decide_regimen, labs_on


def _labs(day: dt.date) -> dict:
    return labs_on(day, liver=NORMAL_LIVER, inr=1.0, hemoglobin=120)


def test_each_page_names_the_sheet_the_cycle_and_its_reader(tmp_path, example_raw):
    from pypdf import PdfReader

    record = PatientRecord(tmp_path / "record.sqlite3", who="Nurse Test")
    try:
        plan_id = decide_regimen(record, example_raw)
        course_id = courses.start_course(record, plan_id, cycle_days=21, started_on=DAY)
        c2 = DAY + dt.timedelta(days=21)
        entry = courses.CycleEntry(
            course_id, c2, _labs(c2), (SideEffect("palmar_plantar_erythrodysesthesia", 1, 1),)
        )
        review = courses.decide_cycle(record, entry, confirmed=True, today=TODAY)
        pdf = cycle_sheets.print_cycle_sheet(
            cycle_sheets.cycle_sheet_source(record, course_id, review)
        )
    finally:
        record.close()
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]
    cycle = 2  # the course's second cycle: the first was given on the day it started
    # the patient's part comes last and may run to a second page (capecitabine's stop list)
    mine = f"Cycle sheet · cycle {cycle} · for the patient"
    first = next(i for i, page in enumerate(pages) if mine in page)
    clinician, patient = pages[:first], pages[first:]
    assert clinician
    for page in clinician:
        assert f"Cycle sheet · cycle {cycle} · for the doctor and pharmacist" in page
        assert "Care plan" not in page
    for page in patient:
        assert mine in page
        assert "Your care plan" not in page


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
