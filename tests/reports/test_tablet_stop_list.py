"""Capecitabine's "stop the tablets and call us" list (XELODA Patient Information, rules in
supportive_interventions.toml): printed in the family booklet and the cycle sheet's patient part
when capecitabine is decided or is the course's drug, and never otherwise."""

from __future__ import annotations

import copy
import datetime as dt
import io

from pypdf import PdfReader

from planner.services import cycle_sheets, kept_plans, printing
from planner.services import treatment_courses as courses
from planner.services.patient_record import PatientRecord

DAY = dt.date(2026, 11, 20)
# the clinic's today: after every review date these tests give (none is in the future)
TODAY = dt.date(2027, 6, 30)
STOP = "Stop taking the tablets and call us straight away if you have any of these:"
ITEMS = (
    "Diarrhoea (4 or more extra stools a day, or any at night).",
    "Painful redness, swelling or blisters on your hands or feet.",
    "Vomiting more than once in 24 hours.",
    "Mouth sores that stop you eating or drinking.",
    "A temperature of 38 °C or more.",
)


def _text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join((p.extract_text() or "").split()) for p in pages)


def _decided(record: PatientRecord, raw: dict, regimen: str) -> int:
    outcome = record.import_case(copy.deepcopy(raw))
    made = kept_plans.make_and_keep_plan(record, outcome.assessment_id)
    record.sign_in_as("Dr Karimov (oncologist)")
    return kept_plans.decide_plan(
        record, made.plan_id, course="option", regimen=regimen, reason="oral: she prefers tablets"
    )


def _booklet(record: PatientRecord, plan_id: int) -> str:
    source = printing.plan_print_source(record, plan_id)
    return _text(printing.print_plan_document(source, audience="patient").pdf)


def test_the_booklet_lists_when_to_stop_capecitabine(record, example_raw):
    booklet = _booklet(record, _decided(record, example_raw, "capecitabine"))
    assert STOP in booklet
    for item in ITEMS:
        assert item in booklet
    # in "When to call us", not again among the problems we help with
    assert booklet.count("Stop taking the tablets") == 1


def test_no_stop_list_when_capecitabine_is_not_decided(record, example_raw):
    suggestion = record.plan(
        kept_plans.make_and_keep_plan(
            record, record.import_case(copy.deepcopy(example_raw)).assessment_id
        ).plan_id
    ).plan
    options = [o["regimen"] for o in suggestion["options"] if not o.get("not_appropriate")]
    other = next(r for r in options if r != "capecitabine")
    booklet = _booklet(record, _decided(record, example_raw, other))
    assert "Stop taking the tablets" not in booklet
    assert "stools a day" not in booklet


def test_the_cycle_sheet_patient_part_lists_it_for_a_capecitabine_course(record, example_raw):
    plan_id = _decided(record, example_raw, "capecitabine")
    course_id = courses.start_course(record, plan_id, cycle_days=21, started_on=DAY)
    c2 = DAY + dt.timedelta(days=21)
    labs = {
        "drawn_on": c2.isoformat(),
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
    review = courses.decide_cycle(
        record, courses.CycleEntry(course_id, c2, labs, ()), confirmed=True, today=TODAY
    )
    pdf = cycle_sheets.print_cycle_sheet(
        cycle_sheets.cycle_sheet_source(record, course_id, review), audience="patient"
    )
    sheet = _text(pdf)
    assert STOP in sheet
    for item in ITEMS:
        assert item in sheet
