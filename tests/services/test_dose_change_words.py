"""Review 19c, finding 3: a vinorelbine dose taken back from 12.5 to 25 mg/m² by an override
could be signed only as "give, reduced dose"; the signed sheet printed "give, reduced | 25 mg/m²
| 100 %" and her page said "Your dose is lower than before" although it doubled. The words of a
given drug follow what its dose did against the last cycle given — higher, same or lower — in
the decision signed, on screen, on the clinician's part and on the patient's."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from pypdf import PdfReader

from planner.domain import treatment_course as tc
from planner.domain.problems import InputInvalid
from planner.domain.stored import CycleGiven, StoredCourse
from planner.services import cycle_sheets
from planner.services import treatment_courses as courses
from planner.services.patient_record import PatientRecord
from tests import course_setup
from tests.course_setup import DAY, TODAY

FULL = course_setup.VINORELBINE_FULL
HALF = {"value": 12.5, "unit": "mg/m2"}


@pytest.fixture
def vinorelbine(tmp_path, example_raw) -> tuple[PatientRecord, int]:
    """The sample patient on weekly vinorelbine 25 mg/m², cycle 2 given at 12.5 mg/m²
    (neutrophils 1.2 on its day: NAVELBINE US PI §2.2 Table 1, 50 %)."""
    record = PatientRecord(tmp_path / "record.sqlite3", who="Nurse Test")
    course_id = course_setup.start_vinorelbine_course(record, example_raw)
    day = DAY + dt.timedelta(days=7)
    entry = courses.CycleEntry(course_id, day, labs(day, anc=1.2))
    suggested = courses.preview_cycle(record, entry, today=TODAY).next_cycle
    assert [(d["action"], d["dose"]) for d in suggested["drugs"]] == [("reduce", HALF)]
    review = courses.decide_cycle(record, entry, confirmed=True, today=TODAY)
    courses.record_cycle_given(record, course_id, review, day, today=TODAY)
    yield record, course_id
    record.close()


def labs(day: dt.date, *, anc: float) -> dict[str, Any]:
    return course_setup.labs_on(day, anc=anc, inr=1.1)


def cycle3(course_id: int) -> courses.CycleEntry:
    day = DAY + dt.timedelta(days=14)
    return courses.CycleEntry(course_id, day, labs(day, anc=2.0))


def test_an_override_up_to_the_full_dose_is_not_signed_as_reduced(vinorelbine):
    record, course_id = vinorelbine
    with pytest.raises(InputInvalid) as refused:
        courses.decide_cycle(
            record,
            cycle3(course_id),
            confirmed=False,
            drugs=[tc.DecidedDrug("vinorelbine", "reduce", 25.0)],
            reason="neutrophils recovered: back to the full dose",
            today=TODAY,
        )
    (problem,) = refused.value.problems
    assert problem.path == "override.drugs[0].action"
    assert problem.message == (
        "'give, reduced dose' does not fit 25 mg/m2: the last cycle gave 12.5 mg/m2, so this is "
        "'give, higher dose'"
    )


def test_the_signed_words_and_the_sheet_say_the_dose_is_higher(vinorelbine):
    record, course_id = vinorelbine
    review_id = courses.decide_cycle(
        record,
        cycle3(course_id),
        confirmed=False,
        drugs=[tc.DecidedDrug("vinorelbine", "increase", 25.0)],
        reason="neutrophils recovered: back to the full dose",
        today=TODAY,
    )
    course = courses.read_course(record, course_id)
    assert course is not None
    review = course.review(review_id)
    assert review is not None
    assert review.decided["drugs"][0]["action"] == "increase"
    summary = courses.signed_summary(review, course=course)
    assert "vinorelbine: give, higher dose — at 25 mg/m2 (100 % of starting)" in summary

    pdf = cycle_sheets.print_cycle_sheet(
        cycle_sheets.cycle_sheet_source(record, course_id, review_id)
    )
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]
    first = next(i for i, p in enumerate(pages) if "· for the patient" in p)
    clinician, patient = " ".join(pages[:first]), " ".join(pages[first:])
    assert "give, higher dose" in clinician
    assert "give, lower" not in clinician
    assert "higher than last time" in patient
    assert "lower than before" not in patient


def test_a_kept_decision_is_printed_by_what_its_dose_did():
    """A review signed before the check (action "reduce", dose back up to 100 %) prints as a
    higher dose: the words follow the dose, against the cycle before the decided one."""
    course = StoredCourse(
        id=1,
        patient_id=1,
        plan_id=1,
        regimen="vinorelbine",
        drugs=({"drug": "vinorelbine", "starting_dose": FULL},),
        cycle_days=7,
        started_on=DAY.isoformat(),
        started_by="Dr Karimov",
        started_at="2026-11-20T09:00:00",
        reviews=(),
        cycles=tuple(
            CycleGiven(
                n, 1, n - 1 or None, n, day, ({"drug": "vinorelbine", "dose": dose},), "n", ""
            )
            for n, day, dose in (
                (1, "2026-11-20", FULL),
                (2, "2026-11-27", HALF),
                (3, "2026-12-04", FULL),
            )
        ),
        stop=None,
    )
    decided = {
        "cycle": 3,
        "decision": "give",
        "drugs": [{"drug": "vinorelbine", "action": "reduce", "dose": FULL}],
    }
    (line,) = tc.dose_lines(decided, course, bsa_m2=1.55, weight_kg=54.0)
    assert line.action == "increase"  # against cycle 2's 12.5, not cycle 3's own 25
    assert tc.decided_words(decided, tc.doses_before(course, 3)) == [
        "vinorelbine: give, higher dose — at 25 mg/m2"
    ]
    same = {**decided, "drugs": [{"drug": "vinorelbine", "action": "continue", "dose": HALF}]}
    assert tc.dose_lines(same, course, bsa_m2=1.55, weight_kg=54.0)[0].action == "continue"
