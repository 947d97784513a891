"""Walk 24 HARM 1: a day-8 visit was filed and printed as the NEXT cycle. On day 8 of cycle 1
(gemcitabine, days 1 and 8 every 21 days) the review became "cycle 2, day 8"; its sheet told the
family round 2's date at that day's reduced dose "on days 1 and 8"; two weeks later the same
decision stood ready to record as cycle 2 with no new labs; a day-8 dose could not be recorded.
A signed decision is for one cycle and one day: its date and the counts it read belong to that
day; "Record given" records that dose on that day, and not past the labs' validity window."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain import treatment_course as tc
from planner.domain.problems import InputInvalid
from planner.services import treatment_courses as courses
from planner.services.patient_record import PatientRecord
from tests.course_setup import DAY, DOCTOR, NORMAL_LIVER, decide_regimen, labs_on

DAY8 = DAY + dt.timedelta(days=7)
DAY22 = DAY + dt.timedelta(days=21)


@pytest.fixture
def record(tmp_path):
    with PatientRecord(tmp_path / "record.sqlite3", who="Nurse Test") as opened:
        yield opened


@pytest.fixture
def course_id(record, example_raw):
    example_raw["labs"].update(NORMAL_LIVER)  # her full dose: 1250 mg/m² days 1 and 8
    plan_id = decide_regimen(
        record, example_raw, "gemcitabine", reason="single agent gemcitabine after capecitabine"
    )
    return courses.start_course(record, plan_id, cycle_days=21, started_on=DAY, today=DAY)


def _sign_day8(record, course_id, *, anc=1.1, platelets=90):
    entry = courses.CycleEntry(
        course_id=course_id,
        reviewed_on=DAY8,
        labs=labs_on(DAY8, liver=NORMAL_LIVER, anc=anc, platelets=platelets),
        day=8,
    )
    return courses.decide_cycle(record, entry, confirmed=True, decided_by=DOCTOR, today=DAY8)


def test_the_day_8_visit_is_the_form_s_default_and_a_review_before_it_says_early(record, course_id):
    course = courses.read_course(record, course_id)
    today = courses.visit_today(record, course, DAY8)
    assert (today.cycle, today.day, today.due_on, today.early) == (1, 8, DAY8, False)
    # two days before day 8: the next visit is day 8, said early; never cycle 2's day 1
    before = courses.visit_today(record, course, DAY8 - dt.timedelta(days=2))
    assert (before.cycle, before.day, before.early) == (1, 8, True)
    # on day 22: cycle 2, day 1
    due = courses.visit_today(record, course, DAY22)
    assert (due.cycle, due.day, due.early) == (2, 1, False)


def test_a_day_8_review_is_cycle_1_day_8_and_records_that_day_s_dose(record, course_id):
    review_id = _sign_day8(record, course_id)
    course = courses.read_course(record, course_id)
    review = course.review(review_id)
    assert (review.cycle, review.day) == (1, 8)
    assert (review.decided["cycle"], review.decided["day"]) == (1, 8)
    (drug,) = review.decided["drugs"]
    assert drug["percent_of_starting"] == 75.0  # ANC 1.0–1.499: 75 % on day 8
    # it is the decision in force for day 8, never for cycle 2
    assert courses.signed_in_force(record, course_id, 8) == review
    assert courses.signed_in_force(record, course_id, 1) is None
    assert tc.waiting_review(course) == review
    courses.record_cycle_given(record, course_id, review_id, DAY8, today=DAY8)
    course = courses.read_course(record, course_id)
    (given,) = course.days_given
    assert (given.cycle, given.day, given.given_on) == (1, 8, DAY8.isoformat())
    assert given.drugs[0]["dose"] == drug["dose"]
    assert [c.cycle for c in course.cycles] == [1]  # no cycle 2 recorded two weeks early
    assert tc.waiting_review(course) is None
    assert tc.next_cycle_number(course) == 2
    with pytest.raises(InputInvalid, match="cycle 1, day 8 is already recorded"):
        courses.record_cycle_given(record, course_id, review_id, DAY8, today=DAY8)
    assert record.check() == []


def test_a_two_week_old_day_8_decision_is_never_recorded_as_cycle_2(record, course_id):
    review_id = _sign_day8(record, course_id)
    # on day 22 the day-8 decision is not cycle 2's: nothing signed is in force for it
    assert courses.signed_in_force(record, course_id, 1) is None
    # and the day-8 dose itself is not recorded from labs 14 days old (the clinic's window)
    with pytest.raises(InputInvalid, match="within 3 days of its labs"):
        courses.record_cycle_given(record, course_id, review_id, DAY22, today=DAY22)
    course = courses.read_course(record, course_id)
    assert course.days_given == ()
    assert [c.cycle for c in course.cycles] == [1]


def test_a_day_1_decision_older_than_its_labs_window_is_not_recorded(record, course_id):
    entry = courses.CycleEntry(
        course_id=course_id,
        reviewed_on=DAY22,
        labs=labs_on(DAY22, liver=NORMAL_LIVER),
        day=1,
    )
    later = DAY22 + dt.timedelta(days=5)
    review_id = courses.decide_cycle(record, entry, confirmed=True, decided_by=DOCTOR, today=DAY22)
    with pytest.raises(InputInvalid, match="5 days before"):
        courses.record_cycle_given(record, course_id, review_id, later, today=later)
    courses.record_cycle_given(
        record, course_id, review_id, DAY22 + dt.timedelta(days=1), today=later
    )
    assert [c.cycle for c in courses.read_course(record, course_id).cycles] == [1, 2]


def test_the_day_8_sheet_tells_the_family_about_day_8_not_round_2(record, course_id):
    import io

    from pypdf import PdfReader

    from planner.services import cycle_sheets

    review_id = _sign_day8(record, course_id)
    source = cycle_sheets.cycle_sheet_source(record, course_id, review_id)
    pdf = cycle_sheets.print_cycle_sheet(source, audience="both")
    words = " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    assert "Cycle review — Gemcitabine, cycle 1, day 8" in words
    assert "Doses for day 8 of this cycle (that day only)" in words
    assert "Your treatment: round 1, day 8" in words
    assert "This treatment day (day 8 of round 1) is 27 November 2026" in words
    assert "Your next round is planned for 11 December 2026" in words
    assert "on day 8 only" in words
    assert "round 2" not in words
    assert "each time" not in words
