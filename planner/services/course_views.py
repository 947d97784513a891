"""Treatment courses as they are read (contract §5, issue 19): the headless `planner course`
command's documents (`patient_courses`, `course_document`, `sheet_review`), and what the course
window shows of a course — its summary, its charted results and their CTCAE bands, the liver
tests as multiples of the ULN, the CTCAE terms a nurse records, and the question before starting
a course from an old plan. Nothing here writes the record; the use cases that do are
`services.treatment_courses`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from planner.domain import treatment_course as tc
from planner.domain.cycle_visits import CycleVisit
from planner.domain.dates import show_date
from planner.domain.stored import CycleGiven, DayGiven, StoredCourse
from planner.services import clinic_settings
from planner.services.patient_record import PatientRecord
from planner.services.rule_tables import rules
from planner.services.treatment_courses import course_offer, courses_of, input_invalid, read_course


def patient_courses(record: PatientRecord, mrn: str) -> list[dict[str, Any]]:
    """`planner course list MRN`: each of the patient's courses in brief, oldest first;
    InputInvalid naming the MRN when she is not in the record."""
    if record.patient_id(mrn) is None:
        raise input_invalid("MRN", f"{mrn!r} is not in the record")
    return [course_brief(c) for c in courses_of(record, mrn)]


def course_brief(course: StoredCourse) -> dict[str, Any]:
    """A course in one line: what it is, how far it went, whether it stopped."""
    stop = course.stop
    summary = course_summary(course)
    return {
        "course_id": course.id,
        "regimen": course.regimen,
        "started_on": course.started_on,
        "cycle_days": course.cycle_days,
        "drugs": [dict(d) for d in course.drugs],
        "cycles_given": len(course.cycles),
        "current_doses": summary["doses"],
        # a stopped course has no cycle due
        "next_cycle": None if stop else summary["next_cycle"],
        "due_on": None if stop else summary["due_on"],
        "stopped": None
        if stop is None
        else {"stopped_on": stop.stopped_on, "reason": stop.reason, "by": stop.stopped_by},
    }


def course_visits(record: PatientRecord, course: StoredCourse) -> list[dict[str, Any]]:
    """The days she comes in within the cycle last given and the next one (walk 23 HARM 4:
    fulvestrant's day-15 injection, the label's day-15 blood count), from the structured
    schedules of the plan the course was started from, each with its sources' citations."""
    plan = record.plan(course.plan_id)
    if plan is None:
        return []
    citations = rules().doses.citations
    last = max((c.cycle for c in course.cycles), default=0)
    cycles = [c for c in (last, tc.next_cycle_number(course)) if c >= 1]
    return [
        {**v.to_json(citations), "done": _visit_done(course, v)}
        for cycle in dict.fromkeys(cycles)
        for v in tc.cycle_visits(course, plan.plan, cycle)
    ]


def _visit_done(course: StoredCourse, visit: CycleVisit) -> dict[str, Any] | None:
    """The signed review that did the day (None: not done yet), as Today's work reads it."""
    review = tc.visit_review(course, visit) if visit.day > 1 else None
    if review is None:
        return None
    return {
        "review_id": review.id,
        "reviewed_on": review.reviewed_on,
        "signed_by": review.signed_by,
    }


def _given(entry: CycleGiven | DayGiven, *, day: int | None = None) -> dict[str, Any]:
    """What was given, as `planner course show` writes it: a cycle, a delay day's drugs, or a
    day inside a cycle (with its `day`) — one shape for the three."""
    return {
        "cycle": entry.cycle,
        **({} if day is None else {"day": day}),
        "given_on": entry.given_on,
        "drugs": [dict(d) for d in entry.drugs],
        "review_id": entry.review_id,
        "recorded_by": entry.recorded_by,
    }


def course_document(record: PatientRecord, course_id: int) -> dict[str, Any]:
    """`planner course show COURSE_ID`: the course with every cycle given, every signed review
    (the toxicities, the suggestion's decision and the doctor's, who signed and why) and its
    stop; InputInvalid naming COURSE_ID when there is no such course."""
    course = read_course(record, course_id)
    if course is None:
        raise input_invalid("COURSE_ID", f"{course_id} is not a course in the record")
    return {
        **course_brief(course),
        "plan_id": course.plan_id,
        # the days she comes in within this cycle and the next (walk 23 HARM 4)
        "visits": course_visits(record, course),
        "started_by": course.started_by,
        "cycles": [_given(c) for c in course.cycles],
        # drugs given on the day of a signed delay (the delayed drugs said so): not cycles
        "given_at_delay": [_given(c) for c in course.given_at_delay],
        # the doses given on a day inside a cycle (day 8, day 15), each from its day's review
        "days_given": [_given(d, day=d.day) for d in course.days_given],
        "reviews": [
            {
                "review_id": r.id,
                "cycle": r.cycle,
                "day": r.day,
                "reviewed_on": r.reviewed_on,
                "toxicities": [dict(t) for t in r.toxicities],
                "graded": r.suggested.get("graded") or [],
                "suggested": {
                    "decision": r.suggested.get("decision"),
                    "drugs": [
                        {k: d.get(k) for k in ("drug", "action", "dose", "percent_of_starting")}
                        for d in r.suggested.get("drugs") or ()
                    ],
                },
                "decided": r.decided,
                "outcome": r.outcome,
                "reason": r.reason,
                "signed_by": r.signed_by,
                "signed_at": r.signed_at,
                "plan_id": r.plan_id,
            }
            for r in course.reviews
        ],
    }


def sheet_review(record: PatientRecord, course_id: int, review_id: int | None) -> int:
    """The signed review a cycle sheet is printed for: `review_id`, else the course's latest;
    InputInvalid naming COURSE_ID or --review when there is none."""
    course = read_course(record, course_id)
    if course is None:
        raise input_invalid("COURSE_ID", f"{course_id} is not a course in the record")
    ids = [r.id for r in course.reviews]
    if review_id is None:
        if not ids:
            raise input_invalid(
                "COURSE_ID",
                f"course {course_id} has no signed cycle review yet: there is no cycle sheet",
            )
        return ids[-1]
    if review_id not in ids:
        raise input_invalid("--review", f"{review_id} is not a signed review of course {course_id}")
    return review_id


def course_trends(
    record: PatientRecord, course: StoredCourse, *, up_to_review: int | None = None
) -> list[dict[str, Any]]:
    """The course's charted results (neutrophils, platelets, bilirubin and ALT × ULN), one row
    per lab panel: the course's starting assessment, then each review (up to `up_to_review`)."""
    start = record.plan(course.plan_id)
    base = {} if start is None else record.case(start.assessment_id) or {}
    panels = [base.get("labs")] + [
        (record.case(r.assessment_id) or {}).get("labs")
        for r in course.reviews
        if up_to_review is None or r.id <= up_to_review
    ]
    limits = rules().limits
    return [tc.trend_row(p, limits) for p in panels if isinstance(p, Mapping)]


def chart_grade_bands() -> dict[str, tuple[tuple[float, float, str], ...]]:
    """CTCAE v5 grade bands of each charted measure (the rule tables')."""
    return tc.grade_bands(rules().instruments)


def times_uln(record: PatientRecord, labs: Mapping[str, Any]) -> dict[str, str]:
    """Each liver test of a review being entered as a multiple of its ULN, in words ("3.2 × ULN";
    "1.6 × ULN (the clinic's ULN)" where the result has none of its own): the liver assessment's
    own figure (`previews.liver_preview`, as the wizard's labs page shows it), so the review form
    and the plan never differ. A test without a usable value or ULN is left out."""
    from planner.domain.cycle_tables import shown
    from planner.services.previews import liver_preview

    assessment = liver_preview({"labs": dict(labs)}, clinic_settings.of_record(record))
    if assessment is None:
        return {}
    out = {}
    for name, test in assessment.tests.items():
        if test.x_uln is None or name in assessment.doubtful:
            continue
        clinic_uln = " (the clinic's ULN)" if test.uln_from == "clinic" else ""
        out[name] = f"{shown(test.x_uln)} × ULN{clinic_uln}"
    return out


def recordable_terms() -> tuple[Any, ...]:
    """The CTCAE terms a nurse records at a review, with plain words and grade definitions."""
    from planner.domain.instruments.ctcae_terms import ctcae_terms

    return ctcae_terms(rules().instruments)


def course_name(record: PatientRecord, course: StoredCourse) -> str:
    """The course as her plan named its option ("Fulvestrant + palbociclib (no CDK4/6 inhibitor
    yet)"); the regimen's id in words only when the plan is not in the record (walk 23 #19: the
    course window's title was the id "fulvestrant palbociclib after et")."""
    from planner.domain.decision import decided_plan

    kept = record.plan(course.plan_id)
    options = [] if kept is None else decided_plan(kept.plan).get("options") or ()
    option: Mapping[str, Any] = next((o for o in options if o.get("regimen") == course.regimen), {})
    return str(option.get("name") or course.regimen.replace("_", " "))


def course_summary(course: StoredCourse) -> dict[str, Any]:
    """What the window says about a running course: the cycle due, when, the current doses."""
    due = tc.due_on(course)
    return {
        "next_cycle": tc.next_cycle_number(course),
        "due_on": None if due is None else due.isoformat(),
        "doses": tc.current_doses(course),
    }


def old_plan_warning(record: PatientRecord, plan_id: int, *, started_on: dt.date) -> str | None:
    """Words asking whether to start a course on `started_on` from this plan, when its assessment
    is older than the clinic's `course_plan_max_age_days` by then (her labs, liver function and
    the plan's doses may no longer be hers); None when it is recent enough."""
    offer = course_offer(record, plan_id)
    if not offer.assessed_on:
        return None
    settings = clinic_settings.of_record(record)
    most = settings.course_plan_max_age_days
    age = (started_on - dt.date.fromisoformat(offer.assessed_on)).days
    if age <= most:
        return None
    shown_as = settings.date_format
    return (
        f"This plan is from her assessment of {show_date(offer.assessed_on, shown_as)}, {age} days "
        f"before the first cycle (the clinic asks when a plan is older than {most} days): her "
        "blood tests, liver "
        "and kidney function and the plan's doses may no longer be hers. A new assessment makes a "
        "new plan. Start the course from this plan anyway?"
    )
