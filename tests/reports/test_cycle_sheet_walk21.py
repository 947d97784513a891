"""Walk 21 H4, H5, F15 and the blank emergency number, on the cycle sheet of a signed review:

- H4: the patient's page said "This round starts on" the review's date (cycle 1 given that day,
  cycle 2 due three weeks later): it says the cycle's planned date, or that the team will tell
  her, never the day the blood was drawn;
- H5: the header cut the MRN ("DEL-0-0002…"): the full MRN and the birth date on every page of
  both parts, however long her name;
- F15: dates in the clinic's format and the signature in local time, never ISO or "UTC";
- the emergency number saved in Clinic settings is printed, as the plan's booklet does."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest

from planner.domain.dates import show_date, show_date_time
from planner.services import clinic_settings, cycle_sheets
from planner.services import treatment_courses as courses
from planner.services.patient_record import PatientRecord
from tests.course_setup import DAY, NORMAL_LIVER, TODAY, decide_regimen, labs_on

MRN = "DEL-0-000226"


def _pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def signed(tmp_path, example_raw):
    """Cycle 1 given on the day the course started; the review of cycle 2 signed that same day
    (the walk's order), in a clinic that shows dd/mm/yyyy and has an emergency number."""
    raw = example_raw
    raw["patient"]["mrn"] = MRN
    raw["patient"]["family_name"] = "Abdullayeva-Karimova"
    raw["patient"]["given_name"] = "Dilnoza Rustamovna Shakhnoza"
    record = PatientRecord(tmp_path / "record.sqlite3", who="Nurse Test")
    assert (
        clinic_settings.save(record, {"date_format": "dd/mm/yyyy", "emergency_phone": "102"}) == []
    )
    plan_id = decide_regimen(record, raw)
    course_id = courses.start_course(record, plan_id, cycle_days=21, started_on=DAY)
    labs = labs_on(DAY, liver=NORMAL_LIVER, inr=1.0, hemoglobin=120)
    entry = courses.CycleEntry(course_id, DAY, labs, ())
    review = courses.decide_cycle(record, entry, confirmed=True, today=TODAY)
    source = cycle_sheets.cycle_sheet_source(record, course_id, review)
    yield source, raw
    record.close()


def test_the_patient_page_gives_the_planned_date_not_the_review_date(signed):
    source, _ = signed
    (page, *_) = _pages(cycle_sheets.print_cycle_sheet(source, audience="patient"))
    due = DAY + dt.timedelta(days=21)
    assert f"This round is planned for {due.day} December 2026" in page
    assert "This round starts on 20 November 2026" not in page


def test_a_round_with_no_date_known_says_so(signed):
    source, _ = signed
    unknown = dataclasses.replace(source, planned_on=None, given_on=None)
    (page, *_) = _pages(cycle_sheets.print_cycle_sheet(unknown, audience="patient"))
    assert "This round starts on" not in page
    assert "The date of this round: your team will tell you" in page


@pytest.mark.parametrize("audience", ["both", "clinician", "patient"])
def test_every_page_has_the_full_mrn_and_birth_date(signed, audience):
    source, raw = signed
    born = show_date(raw["patient"]["birth_date"], "dd/mm/yyyy")
    pages = _pages(cycle_sheets.print_cycle_sheet(source, audience=audience))
    assert pages
    for page in pages:
        assert f"MRN {MRN}" in page.replace("MRN\u00a0", "MRN ")
        assert f"born {born}" in page


def test_dates_in_the_clinic_s_format_and_local_time(signed):
    source, _ = signed
    clinician = " ".join(_pages(cycle_sheets.print_cycle_sheet(source, audience="clinician")))
    assert f"Reviewed on {show_date(DAY, 'dd/mm/yyyy')}" in clinician
    assert DAY.isoformat() not in clinician
    assert "UTC" not in clinician
    assert show_date_time(source.review.signed_at, "dd/mm/yyyy") in clinician


def test_the_emergency_number_of_clinic_settings_is_printed(signed):
    source, _ = signed
    patient = " ".join(_pages(cycle_sheets.print_cycle_sheet(source, audience="patient")))
    assert "102" in patient
    assert "Emergency number: ______" not in patient
