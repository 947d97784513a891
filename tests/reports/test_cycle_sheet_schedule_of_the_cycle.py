"""The cycle sheet's patient page prints the schedule of its own cycle (review 19d, finding 4):
fulvestrant's day-15 and day-29 loading doses are the first month only (FASLODEX §2.1), so the
sheet of a later cycle says "once a month", not "on days 1, 15 and 29"."""

from __future__ import annotations

import datetime as dt
import io

from planner.services import cycle_sheets
from planner.services import treatment_courses as courses
from planner.services.patient_record import PatientRecord
from tests.course_setup import DAY, NORMAL_LIVER, TODAY, decide_regimen, labs_on


def _labs(day: dt.date) -> dict:
    labs = labs_on(day, liver=NORMAL_LIVER, inr=1.0, hemoglobin=120)
    labs["glucose_fasting"] = {"value": 5.5, "unit": "mmol/L"}
    return labs


def test_a_later_cycle_prints_fulvestrant_once_a_month(tmp_path, example_raw):
    from pypdf import PdfReader

    record = PatientRecord(tmp_path / "record.sqlite3", who="Nurse Test")
    try:
        plan_id = decide_regimen(record, example_raw, "capivasertib_fulvestrant")
        course_id = courses.start_course(record, plan_id, cycle_days=28, started_on=DAY)
        c2 = DAY + dt.timedelta(days=28)
        # the review asks today's ascites and encephalopathy where a drug reads Child–Pugh
        today = {"ascites": "none", "encephalopathy": "none"}
        entry = courses.CycleEntry(course_id, c2, _labs(c2), (), clinical=today)
        review = courses.decide_cycle(record, entry, confirmed=True, today=TODAY)
        source = cycle_sheets.cycle_sheet_source(record, course_id, review)
        pdf = cycle_sheets.print_cycle_sheet(source, audience="patient")
    finally:
        record.close()
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    # the sample patient began on FASLODEX's 250 mg (Child–Pugh B); today's liver tests are
    # normal (class A), so the review goes back to the label's 500 mg — on the monthly schedule
    assert "Fulvestrant: 500 mg each time, once a month." in text
    assert "15 and 29" not in text
