"""Walk 23 HARM 1: signing a cycle review moved her review date. Each signed review kept an
undecided plan (made by the program, 28 days: the review asks no symptoms), and Today's work took
its date: the decided plan's early review and the delay's 7-day blood recheck (printed on her
sheet) were lost. Her date is the earliest follow-up a clinician decided or signed, and the
worklist says why."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from planner.domain.decision import decided_plan
from planner.services import kept_plans
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


def _decided_days(record: PatientRecord, plan_id: int) -> int:
    kept = record.plan(plan_id)
    return int(decided_plan(kept.plan)["follow_up"]["next_review_days"])


def test_a_signed_cycle_review_never_moves_her_review_to_its_own_default(record, example_raw):
    mrn = example_raw["patient"]["mrn"]
    plan_id = decide_regimen(record, example_raw, reason="oral, at home")
    days = _decided_days(record, plan_id)
    plan_due = DAY + dt.timedelta(days=days)
    row = _row(record, mrn)
    assert row.review_due_on == plan_due.isoformat()
    assert "decided plan" in (row.review_why or "")

    course_id = courses.start_course(record, plan_id, cycle_days=21, started_on=DAY)
    c2 = DAY + dt.timedelta(days=21)
    # cycle 2 reviewed: neutrophils 1.2: delay, recheck the count in 7 days (her sheet says so)
    low = courses.CycleEntry(course_id, c2, course_setup.labs_on(c2, anc=1.2, inr=1.1))
    review = courses.decide_cycle(record, low, confirmed=True, today=TODAY)
    signed = record.course(course_id).review(review)
    assert signed.decided["decision"] == "delay"
    recheck = c2 + dt.timedelta(days=int(signed.decided["recheck_in_days"]))
    # the review's own plan is the program's, not decided: its default never books a date
    review_plan = record.plan(signed.plan_id)
    own = decided_plan(review_plan.plan)["follow_up"]["next_review_days"]
    assert c2 + dt.timedelta(days=own) != min(plan_due, recheck)

    row = _row(record, mrn)
    assert plan_due < c2  # the sample's plan: review in 3 days (as the walk's opioid check)
    # seen at a signed cycle review on or after the plan's review date, that review is done
    # (walk 24 HARM 2: she stood "OVERDUE by 61 days" on it after four signed reviews): the
    # delay's recheck is her date, never the review's own default
    assert row.review_due_on == recheck.isoformat()
    assert row.review_why.startswith("blood recheck: cycle 2 was delayed")
    # and the blood recheck is still booked once the plan's review is done: a visit five days
    # after the cycle review, its plan decided
    visit = copy.deepcopy(example_raw)
    visit["assessed_on"] = (c2 + dt.timedelta(days=5)).isoformat()
    visit_id = record.import_case(visit, today=TODAY).assessment_id
    made = kept_plans.make_and_keep_plan(record, visit_id)
    visit_plan = kept_plans.decide_plan(
        record, made.plan_id, course="option", regimen="capecitabine", reason="oral, at home"
    )
    visit_due = c2 + dt.timedelta(days=5 + _decided_days(record, visit_plan))
    row = _row(record, mrn)
    assert row.review_due_on == min(visit_due, recheck).isoformat()
    assert visit_due > recheck  # (the sample's plan reviews later than a week)
    assert row.review_why.startswith("blood recheck: cycle 2 was delayed")
    due_that_day = record.worklist(recheck).reviews_due
    assert [r.mrn for r in due_that_day] == [mrn]
    assert record.check() == []


def test_the_next_cycle_books_her_when_it_comes_before_her_plans_review(record, example_raw):
    mrn = example_raw["patient"]["mrn"]
    plan_id = decide_regimen(record, example_raw, reason="oral, at home")
    plan_due = DAY + dt.timedelta(days=_decided_days(record, plan_id))
    courses.start_course(record, plan_id, cycle_days=7, started_on=DAY)
    row = _row(record, mrn)
    cycle_due = DAY + dt.timedelta(days=7)
    assert row.review_due_on == min(plan_due, cycle_due).isoformat()
    if cycle_due < plan_due:
        assert row.review_why == "cycle 2 is due (the course is every 7 days)"


def test_a_review_signed_after_the_nurse_changed_the_date_books_its_own(record, example_raw):
    mrn = example_raw["patient"]["mrn"]
    plan_id = decide_regimen(record, example_raw, reason="oral, at home")
    course_id = courses.start_course(record, plan_id, cycle_days=21, started_on=DAY)
    later = DAY + dt.timedelta(days=60)
    record.set_review_date(mrn, later.isoformat(), "she travels to her daughter")
    row = _row(record, mrn)
    assert (row.review_due_on, row.review_why) == (
        later.isoformat(),
        f"review date changed by {course_setup.DOCTOR}: she travels to her daughter",
    )
    c2 = DAY + dt.timedelta(days=21)
    low = courses.CycleEntry(course_id, c2, course_setup.labs_on(c2, anc=1.2, inr=1.1))
    courses.decide_cycle(record, low, confirmed=True, today=TODAY)
    row = _row(record, mrn)
    assert row.review_due_on == (c2 + dt.timedelta(days=7)).isoformat()
    assert row.review_why.startswith("blood recheck")


def test_the_audit_names_who_entered_a_cycle_review_and_the_prescriber(record, example_raw):
    """Walk 23 #20: the audit's "Who" of a signed cycle review was only the name typed in the
    form ("Dr Nodira Rakhimova, oncologist"); the nurse signed in, who entered it, was not."""
    from planner.services import record_audit

    mrn = example_raw["patient"]["mrn"]
    plan_id = decide_regimen(record, example_raw, reason="oral, at home")
    course_id = courses.start_course(record, plan_id, cycle_days=21, started_on=DAY)
    record.sign_in_as("nurse.aziza")
    c2 = DAY + dt.timedelta(days=21)
    entry = courses.CycleEntry(course_id, c2, course_setup.labs_on(c2, inr=1.1))
    review = courses.decide_cycle(
        record, entry, confirmed=True, decided_by="Dr Nodira Rakhimova, oncologist", today=TODAY
    )
    assert record.course(course_id).review(review).signed_by == "Dr Nodira Rakhimova, oncologist"
    (line,) = [
        a for a in record_audit.patient_audit(record, mrn) if a.what.startswith("cycle 2 review")
    ]
    assert line.who == "nurse.aziza for Dr Nodira Rakhimova, oncologist"
    assert record.check() == []
