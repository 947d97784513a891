"""When she is next due on Today's work, and why (walk 23 HARM 1).

Her review date is the EARLIEST follow-up still open that a clinician decided or signed:
- her plan's review: the newest assessment's plan, the decided one where there is one (a plan
  not yet decided gives its suggested review, said so) — counted from that assessment's date;
  a signed cycle review on or after that date saw her, and the plan's review is done then;
- each running treatment course's next step: the blood recheck a signed delay asked for, the
  cycle a signed review decided to give, or the next cycle the course's rhythm makes due.

A cycle review keeps its day's case as an assessment with a plan the program made (nobody
decided it, and it asks no symptoms, so its follow-up is a default such as 28 days): that plan
never books a date. Before this, each signed cycle review moved her review from the decided
plan's 3-day opioid check to 4 weeks later and dropped the delay's 7-day blood recheck that her
sheet promised the family.

A nurse's change of the date (with a reason) replaces what was booked when she made it; a course
event signed after the change (a review, a cycle given) books its own date beside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any

from planner.domain import treatment_course as tc
from planner.domain.decision import decided_plan, decision_of
from planner.domain.frozen_value import frozen_value
from planner.domain.stored import StoredCourse, StoredPlan


@frozen_value
class ReviewChange:
    """The nurse's latest change of her review date (storage: review_changes)."""

    plan_id: int | None  # the plan whose date it replaced
    due_on: str  # ISO
    reason: str
    changed_by: str
    changed_at: str  # the record's stamp (UTC, ISO)


@frozen_value
class ReviewDue:
    """Her next review: the date (ISO; None: nothing books one), the plan her plan-review comes
    from (what a nurse's change is made against), and why she is due, in words."""

    due_on: str | None
    plan_id: int | None
    why: str | None
    # every follow-up booked, earliest first: (ISO date, short words, why in full). Today's
    # work names each one due by its day, not only the earliest (an opioid check and a cycle
    # due the same week are two reasons to see her)
    reasons: tuple[tuple[str, str, str], ...] = ()


@frozen_value
class _FollowUp:
    on: dt.date
    why: str
    short: str  # a few words for a list row ("plan review", "cycle 2 due")


def _days(document: dict[str, Any]) -> int | None:
    days = (decided_plan(document).get("follow_up") or {}).get("next_review_days")
    return days if isinstance(days, int) and not isinstance(days, bool) else None


def plan_of_review(
    kept: Sequence[tuple[StoredPlan, str]], program_made: Collection[int]
) -> tuple[StoredPlan, str] | None:
    """The plan her plan-review comes from: of the newest assessment that has a plan a clinician
    could have decided (a cycle review's own assessment, `program_made`, only once a clinician
    decided its plan), the newest decided plan, else its newest plan."""
    eligible = [
        (plan, on)
        for plan, on in kept
        if plan.assessment_id not in program_made or decision_of(plan.plan) is not None
    ]
    if not eligible:
        return None
    newest = eligible[-1][0].assessment_id
    same = [(plan, on) for plan, on in eligible if plan.assessment_id == newest]
    decided = [(plan, on) for plan, on in same if decision_of(plan.plan) is not None]
    return (decided or same)[-1]


def _plan_follow_up(plan: StoredPlan, assessed_on: str) -> _FollowUp | None:
    days = _days(plan.plan)
    if days is None:
        return None
    on = dt.date.fromisoformat(assessed_on) + dt.timedelta(days=days)
    if decision_of(plan.plan) is not None:
        why = f"the decided plan's review ({days} days after her assessment)"
        return _FollowUp(on, why, "plan review")
    why = f"her plan's suggested review ({days} days after her assessment; not decided yet)"
    return _FollowUp(on, why, "plan review (not decided)")


def _course_event_at(course: StoredCourse) -> str:
    """When the course last booked something (a review signed, a cycle recorded, its start)."""
    stamps = [course.started_at, *(r.signed_at for r in course.reviews)]
    stamps += [c.recorded_at for c in course.cycles]
    return max(stamps)


def in_cycle_follow_up(course: StoredCourse, plan: dict[str, Any] | None) -> _FollowUp | None:
    """The next day inside the cycle last given that she comes in (walk 23 HARM 4: fulvestrant's
    day-15 injection, palbociclib's day-15 blood count), from the structured schedules of the
    plan the course was started from; None for a stopped course, or none left in the cycle.
    A day is booked until it is done — its review signed (`tc.visit_review`) — the next cycle
    is recorded or a nurse changes the date: a day done is never shown as overdue."""
    if course.stop is not None or plan is None or not course.cycles:
        return None
    last = max(course.cycles, key=lambda c: c.cycle)
    for visit in tc.cycle_visits(course, plan, last.cycle):
        if visit.day > 1 and visit.on is not None and tc.visit_review(course, visit) is None:
            return _FollowUp(
                visit.on,
                f"cycle {last.cycle} day {visit.day}: {visit.words()}"
                + ("" if visit.verified else " (UNVERIFIED)"),
                f"cycle {last.cycle} day {visit.day}",
            )
    return None


def course_follow_up(course: StoredCourse) -> _FollowUp | None:
    """A running course's next step: a signed delay's blood recheck, a cycle signed to give, or
    the next cycle its rhythm makes due (None for a stopped course)."""
    if course.stop is not None:
        return None
    cycle = tc.next_cycle_number(course)
    planned = tc.planned_on(course, cycle)
    signed = tc.signed_in_force(course, cycle)
    if signed is not None and signed.decided.get("decision") == "delay":
        recheck = signed.decided.get("recheck_in_days")
        if isinstance(recheck, int) and not isinstance(recheck, bool):
            return _FollowUp(
                dt.date.fromisoformat(signed.reviewed_on) + dt.timedelta(days=recheck),
                f"blood recheck: cycle {cycle} was delayed at the signed review "
                f"({recheck} days after it)",
                f"blood recheck (cycle {cycle})",
            )
        on = dt.date.fromisoformat(signed.reviewed_on)
        return _FollowUp(
            on,
            f"cycle {cycle} was delayed at the signed review with no recheck date: review her",
            f"cycle {cycle} delayed",
        )
    if planned is None:
        return None
    if signed is not None and signed.decided.get("decision") == "give":
        return _FollowUp(
            planned,
            f"cycle {cycle} to be given, as signed at its review (record it when given)",
            f"cycle {cycle} to give",
        )
    return _FollowUp(
        planned,
        f"cycle {cycle} is due (the course is every {course.cycle_days} days)",
        f"cycle {cycle} due",
    )


def seen_since(courses: Sequence[StoredCourse], on: dt.date) -> bool:
    """Whether a signed cycle review saw her on or after `on`, the day her plan's review was
    due: that review is done (walk 24 HARM 2: a woman seen at four signed cycle reviews stood
    "OVERDUE by 61 days" on her plan's 2-day review, which hid the delay's recheck date)."""
    day = on.isoformat()
    return any(r.reviewed_on >= day for c in courses for r in c.reviews)


def review_due(
    kept: Sequence[tuple[StoredPlan, str]],
    program_made: Collection[int],
    courses: Sequence[StoredCourse],
    change: ReviewChange | None = None,
) -> ReviewDue:
    """Her review date and why (see the module): `kept` her standing plans with their
    assessments' dates, oldest first; `program_made` the assessments a cycle review kept;
    `courses` her treatment courses; `change` the nurse's latest change of the date."""
    found = plan_of_review(kept, program_made)
    plan_id = None if found is None else found[0].id
    booked: list[_FollowUp] = []
    changed_at = ""
    if change is not None and change.plan_id == plan_id:
        booked.append(
            _FollowUp(
                dt.date.fromisoformat(change.due_on),
                f"review date changed by {change.changed_by}: {change.reason}",
                "review date changed",
            )
        )
        changed_at = change.changed_at
    elif (
        found is not None
        and (follow_up := _plan_follow_up(*found)) is not None
        and not seen_since(courses, follow_up.on)
    ):
        booked.append(follow_up)
    plans = {plan.id: plan.plan for plan, _on in kept}
    for course in courses:
        if changed_at and _course_event_at(course) <= changed_at:
            continue  # booked when the nurse changed the date: her change stands
        if (step := course_follow_up(course)) is not None:
            booked.append(step)
        if (day := in_cycle_follow_up(course, plans.get(course.plan_id))) is not None:
            booked.append(day)
    if not booked:
        return ReviewDue(None, plan_id, None)
    ordered = sorted(booked, key=lambda f: f.on)  # stable: the first booked wins a tie (her plan)
    first = ordered[0]
    reasons = tuple((f.on.isoformat(), f.short, f.why) for f in ordered)
    return ReviewDue(first.on.isoformat(), plan_id, first.why, reasons)
