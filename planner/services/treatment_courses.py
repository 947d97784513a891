"""Treatment courses (contract §5, issue 19): start a course from a decided plan, review the next
cycle (today's labs and side effects -> the case's `treatment` -> the engine's `next_cycle`),
keep the doctor's decision (confirmed or overridden with a reason, signed), record the cycle
given, stop the course. The arithmetic and the checks are `planner.domain.treatment_course`.
What a course's review asks is `services.review_fields`; the course as read (the `planner course`
documents, what the window shows) is `services.course_views`; the cycle sheet is
`services.cycle_sheets`.

Why one module: it is one course's life in the record — offered, started, reviewed, decided and
signed, given (also at a signed delay), stopped — and every step reads the course it changes
through the same `_running` / `_as_read` view and refuses with the same `input_invalid`; the
review's draft is kept with it. Its length is the number of steps, each short.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from planner.domain import treatment_course as tc
from planner.domain.dates import DEFAULT_DATE_FORMAT, show_date, show_date_time
from planner.domain.frozen_value import frozen_value
from planner.domain.plan_words import clinician_words
from planner.domain.problems import InputInvalid, Problem
from planner.domain.stored import CourseReview, StoredCourse, StoredPlan
from planner.services import clinic_settings
from planner.services.case_commands import grade_labs, make_plan
from planner.services.kept_plans import make_and_keep_plan, plan_standing
from planner.services.patient_record import PatientRecord
from planner.services.review_fields import LVEF_FIELD, carried_lvef, fields_needed
from planner.services.rule_tables import rules


def input_invalid(path: str, message: str) -> InputInvalid:
    """The refusal of one field, named by its path (the course services' one form of it)."""
    return InputInvalid((Problem(path, message),))


def _patient_of_plan(record: PatientRecord, plan_id: int) -> tuple[StoredPlan, dict[str, Any]]:
    kept = record.plan(plan_id)
    if kept is None:
        raise input_invalid("plan", f"{plan_id} is not in the record")
    raw = record.case(kept.assessment_id) or {}
    return kept, raw


def _as_read(record: PatientRecord, course: StoredCourse) -> StoredCourse:
    """A kept course with the label's starting dose as its 100 % (`tc.with_label_starts`: a
    course kept before that rule held the plan's reduced first dose)."""
    kept = record.plan(course.plan_id)
    return course if kept is None else tc.with_label_starts(course, kept.plan)


def read_course(record: PatientRecord, course_id: int) -> StoredCourse | None:
    """One course of the record as the review reads it (every service reads it so)."""
    course = record.course(course_id)
    return None if course is None else _as_read(record, course)


def open_course(record: PatientRecord, mrn: str) -> StoredCourse | None:
    """The patient's course that has not been stopped (at most one), or None."""
    patient_id = record.patient_id(mrn)
    if patient_id is None:
        return None
    running = [c for c in record.courses_of(patient_id) if c.stop is None]
    return _as_read(record, running[-1]) if running else None


def courses_of(record: PatientRecord, mrn: str) -> list[StoredCourse]:
    patient_id = record.patient_id(mrn)
    if patient_id is None:
        return []
    return [_as_read(record, c) for c in record.courses_of(patient_id)]


def latest_decided_plan(record: PatientRecord, mrn: str) -> int | None:
    """The patient's newest current plan whose decision chose an option (what a course starts
    from), or None."""
    from planner.domain.decision import decision_of
    from planner.domain.plan_versions import plan_standings

    for row in reversed(record.trend(mrn)):
        kept = record.plans_for(row.assessment_id)
        standings = plan_standings(kept)
        for plan in reversed(kept):
            decision = decision_of(plan.plan)
            if standings[plan.id].current and decision is not None and decision.course == "option":
                return plan.id
    return None


@frozen_value
class CourseOffer:
    """What "Start treatment course" would start, shown before it is started."""

    plan_id: int
    regimen: str
    name: str
    drugs: tuple[dict[str, Any], ...]
    left_out: tuple[str, ...]
    assessed_on: str
    cycle_days: int | None  # as the regimen's schedules state it (None: to be entered)


def course_offer(record: PatientRecord, plan_id: int) -> CourseOffer:
    """The regimen and starting doses a course from this kept plan starts with; InputInvalid
    when the plan is not current, has no decided option, or a drug has no dose."""
    kept, raw = _patient_of_plan(record, plan_id)
    standing = plan_standing(record, plan_id)
    if not standing.current:
        raise input_invalid(
            "plan", f"{plan_id} is superseded by plan {standing.superseded_by}: start from that one"
        )
    start = tc.course_start(kept.plan)
    row = rules().regimens.regimens.get(start.regimen)
    if start.cycle_days is None and row is not None and row.cycle_days is not None:
        start = tc.course_start(kept.plan, row.cycle_days)  # the regimen table's cycle
    return CourseOffer(
        plan_id,
        start.regimen,
        start.name,
        start.drugs,
        start.left_out,
        str(raw.get("assessed_on") or ""),
        start.cycle_days,
    )


def start_course(
    record: PatientRecord,
    plan_id: int,
    *,
    cycle_days: Any,
    started_on: dt.date,
    today: dt.date | None = None,
) -> int:
    """Start a course from the decided option of kept plan `plan_id`: its regimen and doses (no
    retyping), the first cycle recorded as given on `started_on` at those doses — never after
    `today` (the computer's date unless given). One course at a time per patient; InputInvalid
    names what does not fit."""
    problems = tc.started_on_problems(started_on, today=today or dt.date.today())
    if problems:
        raise InputInvalid(tuple(problems))
    offer = course_offer(record, plan_id)
    _, raw = _patient_of_plan(record, plan_id)
    mrn = str((raw.get("patient") or {}).get("mrn") or "")
    days = tc.check_cycle_days(cycle_days, rules().limits)
    if offer.assessed_on and started_on.isoformat() < offer.assessed_on:
        raise input_invalid(
            "course.started_on",
            f"{started_on.isoformat()} is before the plan's assessment ({offer.assessed_on})",
        )
    running = open_course(record, mrn)
    if running is not None:
        raise input_invalid(
            "course",
            f"{mrn} is already on a course ({running.regimen}, started "
            f"{running.started_on}): stop it first",
        )
    patient_id = record.patient_id(mrn)
    assert patient_id is not None
    return record.keep_course_start(
        patient_id=patient_id,
        plan_id=plan_id,
        regimen=offer.regimen,
        drugs=[{"drug": d["drug"], "starting_dose": d["starting_dose"]} for d in offer.drugs],
        cycle_days=days,
        started_on=started_on.isoformat(),
        first_cycle=[{"drug": d["drug"], "dose": d["first_dose"]} for d in offer.drugs],
    )


@frozen_value
class CycleEntry:
    """What the nurse enters at a cycle review: the day's lab panel (the case's `labs` section,
    `drawn_on` included), the side effects since the last cycle, the day of the cycle, and her
    weight today (None: the weight of the course's assessment is used, and the sheet says so)."""

    course_id: int
    reviewed_on: dt.date
    labs: Mapping[str, Any]
    side_effects: tuple[tc.SideEffect, ...] = ()
    day: int = 1
    weight_kg: float | None = None
    # today's clinical findings the form asks (tc.TODAY_CLINICAL keys, and tc.ASKED_CLINICAL
    # keys where the course reads them; absent: not measured)
    clinical: Mapping[str, Any] | None = None


@frozen_value
class CyclePreview:
    """The engine's suggestion for the entry (nothing is stored)."""

    course: StoredCourse
    case: dict[str, Any]
    plan: dict[str, Any]

    @property
    def next_cycle(self) -> dict[str, Any]:
        next_cycle: dict[str, Any] = self.plan["next_cycle"]
        return next_cycle


def _running(record: PatientRecord, course_id: int) -> StoredCourse:
    course = read_course(record, course_id)
    if course is None:
        raise input_invalid("course", f"{course_id} is not in the record")
    if course.stop is not None:
        raise input_invalid(
            "course",
            f"the course was stopped on {course.stop.stopped_on}: start a new one from a plan",
        )
    return course


def preview_cycle(
    record: PatientRecord, entry: CycleEntry, *, today: dt.date | None = None
) -> CyclePreview:
    """The plan (with `next_cycle`) for today's entry; InputInvalid names every field that
    cannot be used (the case's own validator: `labs.anc.value: …`, `side_effects[0].…`), and a
    review dated after `today` (the computer's date unless given)."""
    problems = tc.reviewed_on_problems(entry.reviewed_on, today=today or dt.date.today())
    if problems:
        raise InputInvalid(tuple(problems))
    course = _running(record, entry.course_id)
    tc.check_side_effects(entry.side_effects)
    kept = record.plan(course.plan_id)
    assert kept is not None
    base = record.case(kept.assessment_id) or {}
    earlier = [(record.case(r.assessment_id) or {}).get("labs") for r in course.reviews]
    settings = clinic_settings.of_record(record)
    needed = fields_needed(course)
    asked = [f.removeprefix("clinical.") for f in needed if f.startswith("clinical.")]
    clinical_today = dict(entry.clinical or {})
    baseline_lvef = None
    carried_note = ""
    if LVEF_FIELD in needed:
        # the labels compare today's LVEF with the one before the course (her assessment's);
        # an LVEF not measured today is the last one measured in the course, as the form says
        baseline_lvef = (base.get("clinical") or {}).get("lvef_percent")
        if clinical_today.get("lvef_percent") is None:
            percent, carried_note = carried_lvef(record, course, entry.reviewed_on)
            if percent is not None:
                clinical_today["lvef_percent"] = percent

    def case_with(graded: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        treatment = tc.treatment_section(
            course,
            entry.side_effects,
            day=entry.day,
            graded=graded,
            baseline_lvef_percent=baseline_lvef,
        )
        return tc.review_case(
            base,
            course,
            entry.labs,
            reviewed_on=entry.reviewed_on,
            treatment=treatment,
            weight_kg=entry.weight_kg,
            earlier_panels=[p for p in earlier if isinstance(p, Mapping)],
            clinical_today=clinical_today,
            asked_today=asked,
        )

    # The labels count appearances of a toxicity, and only the course knows the earlier ones:
    # each laboratory term graded 1 or more today is entered with its occurrence in the course.
    # The grades are read first (validation and grading, not the plan: they do not depend on
    # the entered toxicities), so the engine runs once per review (issue 19).
    raw = case_with(())
    graded = grade_labs(raw, settings)
    if any(int(g.get("grade") or 0) >= 1 for g in graded):
        raw = case_with(graded)
    plan = make_plan(raw, settings.labels, settings)
    if carried_note and isinstance(plan.get("next_cycle"), dict):
        # kept with the suggestion, so the window and the cycle sheet print it
        next_cycle = plan["next_cycle"]
        next_cycle["notes"] = [*(next_cycle.get("notes") or ()), carried_note]
    return CyclePreview(course, raw, plan)


def decide_cycle(
    record: PatientRecord,
    entry: CycleEntry,
    *,
    confirmed: bool,
    drugs: Sequence[tc.DecidedDrug] = (),
    reason: str = "",
    replaces: int | None = None,
    decided_by: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Keep the signed review of the next cycle: the day's case (an assessment), its plan, the
    suggestion, and the doctor's decision — the suggestion confirmed, or overridden drug by drug
    with the reason. A decision to stop stops the course. Returns the review's id.

    The review is signed by `decided_by`, the clinician who decided (not always the person at
    the keyboard: a doctor's override typed by the nurse); None signs with the record's user.
    A name given empty is refused (`review.decided_by`).

    A signed decision of the same cycle is never replaced silently: `replaces` must name it
    (the window asks first). The replaced review stays in the record (reviews are immutable);
    the newest review of a cycle is the one in force. A review dated after `today` (the
    computer's date unless given) is refused (`review.reviewed_on`)."""
    if decided_by is not None and not decided_by.strip():
        raise input_invalid("review.decided_by", "is required: the name and role of who decided")
    preview = preview_cycle(record, entry, today=today)
    suggested = preview.next_cycle
    course = preview.course
    signed = tc.signed_in_force(course, int(suggested["cycle"]), int(suggested["day"]))
    if signed is not None and tc.replaces_signed(signed, entry.reviewed_on.isoformat()):
        if replaces != signed.id:
            raise input_invalid(
                "review.replaces",
                f"{day_words(signed.cycle, signed.day)} already has a signed decision "
                f"({signed_summary(signed, course=course)})"
                ": replacing it must be confirmed — the signed one stays in the record",
            )
    elif replaces is not None:
        raise input_invalid("review.replaces", f"{replaces} is not the signed decision in force")
    decided = tc.confirm(suggested) if confirmed else tc.override(suggested, course, drugs, reason)
    outcome = record.import_case(preview.case, today=today)
    made = make_and_keep_plan(record, outcome.assessment_id)
    stop = None
    if decided["decision"] == "stop":
        why = reason.strip() or "; ".join(
            r for d in suggested.get("drugs") or () for r in d.get("reasons") or ()
        )
        stop = (entry.reviewed_on.isoformat(), why or "every drug discontinued at review")
    return record.keep_cycle_review(
        course_id=course.id,
        cycle=int(suggested["cycle"]),
        day=int(suggested["day"]),
        reviewed_on=entry.reviewed_on.isoformat(),
        assessment_id=outcome.assessment_id,
        plan_id=made.plan_id,
        toxicities=preview.case["treatment"]["toxicities"],
        suggested=suggested,
        decided=decided,
        outcome="confirmed" if confirmed else "overridden",
        reason=None if confirmed else reason.strip(),
        stop=stop,
        signed_by=None if decided_by is None else decided_by.strip(),
    )


def label_stops_given(
    suggested: Mapping[str, Any], drugs: Sequence[tc.DecidedDrug]
) -> tuple[str, ...]:
    """For the second confirmation of an override: each drug given against the label's hold or
    stop, with the label's rule in words — why the program held or stopped it and the source
    (title, section; unverified where it is)."""
    known = rules().sources
    out = []
    for entry in tc.label_stops_given(suggested, drugs):
        cited = []
        for basis in entry.get("basis") or ():
            found = known.get(str(basis.get("source")))
            title = f"{found.title}: {found.reference}" if found is not None else basis["source"]
            unverified = not basis.get("verified", True) or (
                found is not None and not found.verified
            )
            cited.append(clinician_words(title) + (" (unverified)" if unverified else ""))
        what = "hold it" if entry.get("action") == "hold" else "stop it"
        out.append(
            f"{entry['drug']}: the label's rule says {what} — "
            + "; ".join(clinician_words(r) for r in entry.get("reasons") or ())
            + (f". Source: {'; '.join(dict.fromkeys(cited))}" if cited else "")
        )
    return tuple(out)


def signed_summary(
    review: CourseReview,
    date_format: str = DEFAULT_DATE_FORMAT,
    course: StoredCourse | None = None,
) -> str:
    """Who signed a review, when, what and why, in one line of words (dates in the clinic's
    format); with its `course`, each given drug's words say what its dose did against the last
    cycle given."""
    how = "confirmed" if review.outcome == "confirmed" else "overridden"
    decision = str(review.decided.get("decision"))
    last = None if course is None else tc.doses_for(course, review.cycle, review.day)
    text = (
        f"{decision} {day_words(review.cycle, review.day)} — "
        f"{'; '.join(tc.decided_words(review.decided, last))}; "
        f"{how} by {review.signed_by} on {show_date_time(review.signed_at, date_format)} "
        f"(review of {show_date(review.reviewed_on, date_format)})"
    )
    if review.reason:
        text += f"; reason: {review.reason}"
    return text


def day_words(cycle: int, day: int) -> str:
    """ "cycle 2" for a day-1 decision, "cycle 1, day 8" for a day inside a cycle."""
    return f"cycle {cycle}" if day == 1 else f"cycle {cycle}, day {day}"


def signed_in_force(record: PatientRecord, course_id: int, day: int = 1) -> CourseReview | None:
    """The signed decision in force for `day` of the cycle a review of that day decides (day 1:
    the next cycle; a later day: the cycle in progress), while its dose is not given, or None."""
    course = read_course(record, course_id)
    if course is None or course.stop is not None:
        return None
    return tc.signed_in_force(course, tc.review_cycle(course, day), day)


def visit_today(record: PatientRecord, course: StoredCourse, on: dt.date) -> tc.VisitToday:
    """Which visit of the course a review on `on` is for (the form's cycle and day), from the
    course's calendar and the days inside its cycle the decided plan's schedules give."""
    kept = record.plan(course.plan_id)
    days: list[Any] = []
    if kept is not None and course.cycles:
        last = max(c.cycle for c in course.cycles)
        days = tc.cycle_visits(course, kept.plan, last)
    return tc.visit_today(course, on, days)


def labs_drawn_on(record: PatientRecord, review: CourseReview) -> dt.date:
    """The day of the labs a signed review read (its case's `labs.drawn_on`; the review's own
    date where the case gives none)."""
    labs = (record.case(review.assessment_id) or {}).get("labs") or {}
    try:
        return dt.date.fromisoformat(str(labs.get("drawn_on")))
    except ValueError:
        return dt.date.fromisoformat(review.reviewed_on)


def course_and_review(
    record: PatientRecord, course_id: int, review_id: int
) -> tuple[StoredCourse, CourseReview]:
    """The course and its review `review_id`; InputInvalid naming which is not in the record."""
    course = read_course(record, course_id)
    if course is None:
        raise input_invalid("course", f"{course_id} is not in the record")
    review = next((r for r in course.reviews if r.id == review_id), None)
    if review is None:
        raise input_invalid("review", f"{review_id} is not a review of course {course_id}")
    return course, review


def record_cycle_given(
    record: PatientRecord,
    course_id: int,
    review_id: int,
    given_on: dt.date,
    *,
    early_reason: str = "",
    today: dt.date | None = None,
) -> int:
    """Record the dose a signed review decided to give, at the decided doses, on `given_on`:
    a day-1 review's cycle, or a later day's dose (day 8, day 15) of the cycle in progress —
    each from its own day's decision. Never after `today` (the computer's date unless given),
    nor more than the clinic's `course_labs_valid_days` after the labs the review read; a cycle
    never on or before the previous cycle's day, and before it is due only with `early_reason`
    (kept with each drug given)."""
    course, review = course_and_review(record, course_id, review_id)
    if course.stop is not None:
        raise input_invalid("course", "the course is stopped: no cycle can be given")
    if review.id != course.reviews[-1].id:
        raise input_invalid("review", f"{review_id} is not the course's latest review")
    if tc.day_given(course, review.cycle, review.day):
        raise input_invalid(
            "cycle", f"{day_words(review.cycle, review.day)} is already recorded as given"
        )
    if tc.signed_in_force(course, review.cycle, review.day) != review:
        raise input_invalid(
            "review",
            f"{review_id} is not the decision in force for {day_words(review.cycle, review.day)}",
        )
    if given_on.isoformat() < review.reviewed_on:
        raise input_invalid(
            "cycle.given_on",
            f"{given_on.isoformat()} is before the review ({review.reviewed_on})",
        )
    now = today or dt.date.today()
    valid = clinic_settings.of_record(record).course_labs_valid_days
    problems = tc.future_problems(
        "cycle.given_on", given_on, today=now, advice="record it on the day it is given"
    ) or tc.stale_problems(review, labs_drawn_on(record, review), given_on, valid)
    if problems:
        raise InputInvalid(tuple(problems))
    if review.day > 1:
        return record.keep_day_given(
            course_id=course_id,
            review_id=review_id,
            cycle=review.cycle,
            day=review.day,
            given_on=given_on.isoformat(),
            drugs=tc.given_drugs(review.decided),
        )
    problems = tc.given_on_problems(course, given_on, early_reason, today=now)
    if problems:
        raise InputInvalid(tuple(problems))
    drugs = tc.given_drugs(review.decided)
    if early_reason.strip() and given_on < (tc.due_on(course) or given_on):
        drugs = [{**d, "early_reason": early_reason.strip()} for d in drugs]
    return record.keep_cycle_given(
        course_id=course_id,
        review_id=review_id,
        cycle=review.cycle,
        given_on=given_on.isoformat(),
        drugs=drugs,
    )


def delay_to_record(course: StoredCourse | None) -> CourseReview | None:
    """The course's latest signed review when it is a delay that gives a drug today and what it
    gives is not yet recorded (walk 23 #7), else None."""
    if course is None or course.stop is not None or not course.reviews:
        return None
    last = course.reviews[-1]
    # a delay of a cycle (day 1): a day inside a cycle held gives its other drugs as that day's
    # dose, not as a delayed cycle's (walk 24 HARM 1)
    if (
        last.day != 1
        or last.decided.get("decision") != "delay"
        or any(c.review_id == last.id for c in course.given_at_delay)
    ):
        return None
    try:
        tc.given_at_delay(last.decided)
    except InputInvalid:
        return None
    return last


def record_given_at_delay(
    record: PatientRecord,
    course_id: int,
    review_id: int,
    given_on: dt.date,
    *,
    today: dt.date | None = None,
) -> int:
    """Record the drugs a signed delay gives today ("DELAY palbociclib; GIVE fulvestrant
    today"), each at its decided dose, and the held drugs as delayed; the delayed cycle stays
    to come (its recheck review gives it). Once per delay, on or after the review, never after
    `today` (the computer's date unless given)."""
    course, review = course_and_review(record, course_id, review_id)
    if course.stop is not None:
        raise input_invalid("course", "the course is stopped: nothing can be given")
    if delay_to_record(course) != review:
        raise input_invalid(
            "review",
            f"{review_id} is not the course's latest delay with a drug given today, or what it "
            "gives is recorded already",
        )
    if given_on.isoformat() < review.reviewed_on:
        raise input_invalid(
            "cycle.given_on", f"{given_on.isoformat()} is before the review ({review.reviewed_on})"
        )
    problems = tc.future_problems(
        "cycle.given_on",
        given_on,
        today=today or dt.date.today(),
        advice="record it on the day it is given",
    )
    if problems:
        raise InputInvalid(tuple(problems))
    return record.keep_cycle_given(
        course_id=course_id,
        review_id=review_id,
        cycle=review.cycle,
        given_on=given_on.isoformat(),
        drugs=tc.given_at_delay(review.decided),
    )


def stop_course(record: PatientRecord, course_id: int, *, stopped_on: dt.date, reason: str) -> int:
    course = _running(record, course_id)
    if not reason.strip():
        raise input_invalid("course.stop.reason", "is required: say why the course stops")
    if stopped_on.isoformat() < course.started_on:
        raise input_invalid(
            "course.stop.stopped_on",
            f"{stopped_on.isoformat()} is before the course started ({course.started_on})",
        )
    return record.keep_course_stop(
        course_id=course_id, stopped_on=stopped_on.isoformat(), reason=reason.strip()
    )


# ---- a review being entered: saved as it is typed, offered again on reopening -------------------


@frozen_value
class ReviewDraft:
    """A cycle review entered and not signed: the form's state (`entry`, as the course window
    wrote it) for the course it was begun on, and when and by whom it was last changed."""

    course_id: int
    entry: dict[str, Any]
    updated_at: str
    updated_by: str


def save_review_draft(
    record: PatientRecord, mrn: str, course_id: int, entry: Mapping[str, Any]
) -> None:
    """Keep the form of the review being entered (called as the nurse types), so closing the
    window or the program loses nothing: the next opening offers it again."""
    record.save_review_draft(mrn, {"course_id": course_id, "entry": dict(entry)})


def review_draft(record: PatientRecord, mrn: str) -> ReviewDraft | None:
    """The unsigned review of her running course, if one was saved. A draft of a course that
    is no longer running (stopped since) is not offered."""
    found = record.review_draft(mrn)
    running = open_course(record, mrn)
    if found is None or running is None:
        return None
    content = found.content
    if content.get("course_id") != running.id or not isinstance(content.get("entry"), dict):
        return None
    return ReviewDraft(running.id, content["entry"], found.updated_at, found.updated_by)


def discard_review_draft(record: PatientRecord, mrn: str) -> None:
    record.discard_review_draft(mrn)
