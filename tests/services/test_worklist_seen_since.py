"""Walk 24 HARM 2: a woman seen at four signed cycle reviews stood on Today's work as "review
OVERDUE by 61 days, due 10/12/2026" — her decided plan's 2-day review — and nothing said the
delay's recheck on 16/02. A signed cycle review on or after the plan's review date saw her: that
review is done, and the course's next date (the recheck, the cycle due, a day inside the cycle)
is hers. A cycle review signed BEFORE the plan's date does not close it (walk 23 HARM 1)."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain.decision import decided_plan
from planner.services import treatment_courses as courses
from planner.services.patient_record import PatientRecord
from tests import course_setup
from tests.course_setup import DAY, TODAY, decide_regimen


@pytest.fixture
def record(tmp_path):
    with PatientRecord(tmp_path / "record.sqlite3", who="Nurse Test") as opened:
        yield opened


def _row(record: PatientRecord, mrn: str):
    (row,) = [r for r in record.patients_page(50, 0) if r.mrn == mrn]
    return row


def _started(record, example_raw):
    plan_id = decide_regimen(record, example_raw, reason="oral, at home")
    days = int(decided_plan(record.plan(plan_id).plan)["follow_up"]["next_review_days"])
    course_id = courses.start_course(record, plan_id, cycle_days=21, started_on=DAY)
    return course_id, DAY + dt.timedelta(days=days)


def _delay_on(record, course_id, on):
    entry = courses.CycleEntry(course_id, on, course_setup.labs_on(on, anc=1.2, inr=1.1))
    review_id = courses.decide_cycle(record, entry, confirmed=True, today=TODAY)
    review = record.course(course_id).review(review_id)
    assert review.decided["decision"] == "delay"
    return on + dt.timedelta(days=int(review.decided["recheck_in_days"]))


def test_seen_after_the_plan_s_review_date_her_date_is_the_delay_s_recheck(record, example_raw):
    mrn = example_raw["patient"]["mrn"]
    course_id, plan_due = _started(record, example_raw)
    c2 = DAY + dt.timedelta(days=21)
    assert plan_due < c2
    recheck = _delay_on(record, course_id, c2)
    row = _row(record, mrn)
    assert row.review_due_on == recheck.isoformat()
    # the day after the review she is not "overdue" on the old plan date; on the recheck she is due
    assert mrn not in [r.mrn for r in record.worklist(c2 + dt.timedelta(days=1)).reviews_due]
    (due,) = [r for r in record.worklist(recheck).reviews_due if r.mrn == mrn]
    assert [short for _on, short, _why in due.reasons_due(recheck)] == ["blood recheck (cycle 2)"]
    assert record.check() == []


def test_a_review_before_the_plan_s_date_leaves_it_booked(record, example_raw):
    mrn = example_raw["patient"]["mrn"]
    course_id, plan_due = _started(record, example_raw)
    early = DAY + dt.timedelta(days=1)
    assert early < plan_due
    recheck = _delay_on(record, course_id, early)
    assert plan_due < recheck
    row = _row(record, mrn)
    assert row.review_due_on == plan_due.isoformat()
    assert "decided plan" in (row.review_why or "")
