"""Walk 23 HARM 4: the course tracked day 1 only. Fulvestrant's loading injection on day 15
(FASLODEX §2.1: days 1, 15 and 29, then monthly) and palbociclib's day-15 blood count in the
first 2 cycles (IBRANCE §2.2/§5.1) appeared nowhere, and Today's work never brought her back on
day 15. The days come from the decided plan's structured schedules, with their sources."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from planner.domain import review_due as rd
from planner.domain import treatment_course as tc
from planner.domain.stored import StoredPlan
from planner.services import treatment_courses as courses
from planner.services.patient_record import PatientRecord
from tests.course_setup import DAY, decide_regimen


@pytest.fixture
def record(tmp_path):
    with PatientRecord(tmp_path / "record.sqlite3", who="Nurse Test") as opened:
        yield opened


@pytest.fixture
def started(record, example_raw):
    raw = copy.deepcopy(example_raw)
    raw["disease"]["prior_therapy"][0]["drugs"] = ["letrozole"]
    plan_id = decide_regimen(
        record, raw, "fulvestrant_palbociclib_after_et", reason="no CDK4/6 yet: palbociclib"
    )
    course_id = courses.start_course(record, plan_id, cycle_days=28, started_on=DAY)
    return record.course(course_id), record.plan(plan_id)


def _days(course, plan, cycle):
    return {v.day: v for v in tc.cycle_visits(course, plan.plan, cycle)}


def test_cycle_1_has_the_day_15_injection_and_count_cycle_3_only_day_1(started):
    course, plan = started
    first = _days(course, plan, 1)
    assert sorted(first) == [1, 15]
    day15 = first[15]
    assert day15.on == DAY + dt.timedelta(days=14)
    assert "fulvestrant IM dose" in day15.what
    assert any(w.startswith("full blood count") and "(palbociclib)" in w for w in day15.what)
    assert "dose.palbociclib.count-days" in day15.sources
    assert day15.verified
    # cycle 2: fulvestrant once a month (day 1), palbociclib's count still on day 15
    second = _days(course, plan, 2)
    assert sorted(second) == [1, 15]
    assert not any(w.startswith("fulvestrant") for w in second[15].what)
    assert any(w.startswith("full blood count") for w in second[15].what)
    # cycle 3: day 1 only (fulvestrant monthly; the label's day-15 count is the first 2 cycles)
    third = _days(course, plan, 3)
    assert sorted(third) == [1]
    assert third[1].what == ("fulvestrant IM dose",)


def test_todays_work_books_her_on_day_15_of_cycle_1(record, started):
    course, plan = started
    step = rd.in_cycle_follow_up(course, plan.plan)
    assert step is not None
    assert step.on == DAY + dt.timedelta(days=14)
    assert step.why.startswith("cycle 1 day 15: fulvestrant IM dose; full blood count")
    # her review date is the earliest booked: the decided plan's review, else day 15, never
    # the next cycle on day 29
    assert isinstance(plan, StoredPlan)
    plan_review = rd.review_due([(plan, DAY.isoformat())], set(), []).due_on
    assert plan_review is not None
    due = rd.review_due([(plan, DAY.isoformat())], set(), [course])
    assert due.due_on == min(plan_review, step.on.isoformat())
    (row,) = [r for r in record.patients_page(50, 0) if r.mrn == "TAS-000123"]
    assert row.review_due_on == due.due_on


def test_a_stopped_course_or_one_drug_at_home_books_no_day(record, example_raw):
    plan_id = decide_regimen(record, example_raw, reason="oral, at home")  # capecitabine
    course_id = courses.start_course(record, plan_id, cycle_days=21, started_on=DAY)
    course = record.course(course_id)
    assert [v.day for v in tc.cycle_visits(course, record.plan(plan_id).plan, 1)] == []
    assert rd.in_cycle_follow_up(course, record.plan(plan_id).plan) is None


def test_the_course_document_and_window_show_the_days_with_their_sources(qtbot, record, started):
    from planner.services import course_views

    course, _plan = started
    document = course_views.course_document(record, course.id)
    day15 = [v for v in document["visits"] if (v["cycle"], v["day"]) == (1, 15)]
    assert len(day15) == 1
    assert day15[0]["on"] == (DAY + dt.timedelta(days=14)).isoformat()
    assert any("IBRANCE" in s for s in day15[0]["sources"]), day15[0]["sources"]
    assert any("ulvestrant" in s for s in day15[0]["sources"]), day15[0]["sources"]
    # cycle 2's day 15: the count only, fulvestrant monthly
    (c2,) = [v for v in document["visits"] if (v["cycle"], v["day"]) == (2, 15)]
    assert c2["what"] == [
        "full blood count (the label: at the start of each cycle and on day 15 of the first 2) "
        "(palbociclib)"
    ]


def test_the_course_window_lists_day_15(qtbot, record, started, example_raw):
    from planner.ui.course_window import CourseWindow

    window = CourseWindow(record, example_raw["patient"]["mrn"])
    qtbot.addWidget(window)
    window.refresh()
    text = window.state.text()
    assert "Cycle 1 day 15," in text
    assert "fulvestrant IM dose; full blood count" in text
    assert "Cycle 2 day 15," in text
    window._timer.stop()


def _sign_review(record, course, reviewed_on, day):
    """A review of `day` of the cycle, every result in range, signed as suggested."""
    from tests.course_setup import DOCTOR, NORMAL_LIVER, labs_on

    entry = courses.CycleEntry(
        course_id=course.id,
        reviewed_on=reviewed_on,
        labs=labs_on(reviewed_on, liver=NORMAL_LIVER, inr=1.0),
        day=day,
        clinical={"ascites": "none", "encephalopathy": "none"},
    )
    return courses.decide_cycle(record, entry, confirmed=True, decided_by=DOCTOR, today=reviewed_on)


def test_a_day_15_visit_done_is_not_overdue_on_todays_work_nor_in_the_course_window(
    qtbot, record, started, example_raw
):
    """cycle24 #3: the day-15 visit stayed booked (overdue on Today's work) after it was done:
    nothing counted its signed review. A visit is done when the review of that day is signed;
    Today's work then books her next step, and the course window says the day is done, by whom."""
    from planner.services import course_views
    from planner.ui.course_window import CourseWindow

    course, plan = started
    day15 = DAY + dt.timedelta(days=14)
    assert rd.in_cycle_follow_up(course, plan.plan).on == day15
    review_id = _sign_review(record, course, day15, 15)
    course = record.course(course.id)
    # the day is done: no longer booked, and her review date is not day 15
    assert rd.in_cycle_follow_up(course, plan.plan) is None
    (row,) = [r for r in record.patients_page(50, 0) if r.mrn == "TAS-000123"]
    assert row.review_due_on != day15.isoformat()
    # the course document and the window say the same
    (visit,) = [
        v
        for v in course_views.course_document(record, course.id)["visits"]
        if (v["cycle"], v["day"]) == (1, 15)
    ]
    assert visit["done"] is not None
    assert visit["done"]["review_id"] == review_id
    window = CourseWindow(record, example_raw["patient"]["mrn"])
    qtbot.addWidget(window)
    window.refresh()
    text = window.state.text()
    assert "Cycle 1 day 15," in text
    assert "Done: its review was signed on" in text
    window._timer.stop()


def test_a_review_of_another_day_does_not_do_the_day_15_visit(record, started):
    course, plan = started
    _sign_review(record, course, DAY + dt.timedelta(days=7), 8)
    course = record.course(course.id)
    step = rd.in_cycle_follow_up(course, plan.plan)
    assert step is not None
    assert step.on == DAY + dt.timedelta(days=14)


def test_abemaciclib_counts_every_2_weeks_for_2_months_then_monthly_for_2(record, example_raw):
    """cycle24 #4: VERZENIO §5.2/§5.3 (recalled, unverified): blood counts and liver tests
    before the start, every 2 weeks for the first 2 months, monthly for the next 2, then as
    clinically indicated. The course had no day of its own for them (tablets at home): in
    28-day cycles she comes in on day 15 of cycles 1 and 2, and cycles 3 and 4 check on day 1;
    from cycle 5 the label sets no day. Each day says what is checked, and that it is
    unverified."""
    raw = copy.deepcopy(example_raw)
    raw["disease"]["prior_therapy"][0]["drugs"] = ["letrozole"]
    plan_id = decide_regimen(
        record, raw, "fulvestrant_abemaciclib_after_et", reason="abemaciclib: no CDK4/6 yet"
    )
    course = record.course(courses.start_course(record, plan_id, cycle_days=28, started_on=DAY))
    plan = record.plan(plan_id)

    def counted(cycle):
        return {
            v.day: v
            for v in tc.cycle_visits(course, plan.plan, cycle)
            if any("(abemaciclib)" in w for w in v.what)
        }

    assert sorted(counted(1)) == [1, 15]
    assert sorted(counted(2)) == [1, 15]
    assert sorted(counted(3)) == [1]
    assert sorted(counted(4)) == [1]
    assert counted(5) == {}
    day15 = counted(1)[15]
    assert any(
        w.startswith(
            "full blood count and liver tests (the label: every 2 weeks for the first 2 "
            "months, monthly for the next 2, then as clinically indicated)"
        )
        for w in day15.what
    )
    assert not day15.verified
    assert "dose.abemaciclib.count-days" in day15.sources
    # Today's work books the day-15 count of cycle 1
    step = rd.in_cycle_follow_up(course, plan.plan)
    assert step is not None
    assert step.on == DAY + dt.timedelta(days=14)
    assert step.why.endswith("(UNVERIFIED)")
