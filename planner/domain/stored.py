"""What the patient record gives back, typed: a patient in the list or a search, a trend point of
an assessment, a kept plan, an unfinished assessment (draft). Made by planner.services from the
rows planner.storage reads; the window, the CLI and the reports read these, never row dicts."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from planner.domain.frozen_value import frozen_value


@frozen_value
class PatientSummary:
    """One patient as the list and a search show them."""

    mrn: str
    family_name: str
    given_name: str | None
    birth_date: str | None  # ISO date
    sex: str | None
    assessments: int  # how many are stored
    last_assessed_on: str | None  # ISO date; None before the first assessment
    review_due_on: str | None  # ISO date of the next review; None: no plan gave one
    open_alerts: int  # critical alerts of her plans no one has acknowledged
    drafts: int  # unfinished assessments of hers
    review_why: str | None = None  # why she is due on review_due_on, in words
    # every follow-up booked, earliest first, as the worklist keeps it (JSON: [{"on", "short",
    # "why"}]; storage.worklist.reasons_json); None: nothing booked, or a record not yet
    # computed again
    review_reasons: str | None = None

    def reasons_due(self, today: dt.date) -> list[tuple[str, str, str]]:
        """The follow-ups due by `today`, earliest first: (ISO date, short words, why in full);
        her first reason alone where the record keeps no list."""
        try:
            kept = json.loads(self.review_reasons) if self.review_reasons else []
        except ValueError:
            kept = []
        found = [
            (str(r["on"]), str(r["short"]), str(r["why"]))
            for r in kept
            if isinstance(r, dict) and {"on", "short", "why"} <= r.keys()
        ]
        due = [r for r in found if r[0] <= today.isoformat()]
        if due:
            return due
        if self.review_due_on and self.review_why:
            return [(self.review_due_on, self.review_why, self.review_why)]
        return []


@frozen_value
class TrendPoint:
    """One stored assessment's indexed results, for trend charts (None where not assessed)."""

    assessment_id: int
    assessed_on: str  # ISO date
    bilirubin_x_uln: float | None
    alp_x_uln: float | None
    ecog: int | None
    esas_total: int | None
    weight_kg: float | None
    phq9_total: int | None
    distress_thermometer: int | None
    # the × ULN columns (bilirubin_x_uln, alp_x_uln) taken from the plan, which used the clinic's
    # default ULN: the lab report gave none, and the record showed "—" beside a plan that used
    # 1.81 × ULN (independent review 16c, finding 9)
    clinic_uln: tuple[str, ...] = ()
    # the reason of the amendment that made this version; None: never amended (walk 21 F7: the
    # record's Assessments table did not say a row was a corrected version)
    amended_because: str | None = None
    # a signed cycle review's own assessment, in words ("cycle 2 review: delay"); None: a visit.
    # Its ECOG (and a weight not weighed that day) are the course's assessment's, carried for
    # the engine: shown blank, with `carried_from` (walk 23 #9: four identical-looking rows,
    # ECOG 1 copied forward as if assessed at each review)
    cycle_review: str | None = None
    carried_from: str | None = None  # ISO date of the assessment the carried values are from
    # a signed cycle review's decision drug by drug with its doses ("gemcitabine: give, reduced
    # dose — at 375 mg/m2 (30 % of starting)"): what her course gives, beside the program's plan
    # of that review, whose options are a new start's label doses (walk 24 #9)
    cycle_decided: str | None = None


@frozen_value
class StoredPlan:
    """A kept plan (never changed after it is kept): the engine's document, with the clinician's
    decision under `plan["decision"]` when it is a decided plan."""

    id: int
    assessment_id: int
    plan: dict[str, Any]  # the plan document (contract §3)
    pdf_sha256: str | None
    rules_version: str
    settings: dict[str, Any]  # the stored clinic settings it was made with
    made_by: str
    made_at: str  # the record's stamp (UTC, ISO)


@frozen_value
class Draft:
    """An unfinished assessment, saved as the nurse types."""

    id: int
    patient_id: int | None  # None: for a patient not yet in the record
    wizard_page: str
    content: dict[str, Any]  # the case document as far as it is typed
    updated_at: str
    updated_by: str
    #: what was carried from the last assessment and is not confirmed yet (case paths)
    unconfirmed: tuple[str, ...] = ()


# ---- treatment courses (contract §5): rows written once, never changed ---------------------


@frozen_value
class CourseReview:
    """A signed review before a cycle: the engine's suggestion and the doctor's decision."""

    id: int
    course_id: int
    cycle: int
    day: int
    reviewed_on: str  # ISO date
    assessment_id: int  # the day's case, kept as an assessment
    plan_id: int  # its plan (with `next_cycle`)
    toxicities: tuple[dict[str, Any], ...]  # the case's treatment.toxicities (contract §5)
    suggested: dict[str, Any]  # the plan's `next_cycle`
    decided: dict[str, Any]  # {cycle, day, decision, drugs[], resume_when, recheck_in_days}
    outcome: str  # "confirmed" or "overridden"
    reason: str | None  # why it was overridden
    signed_by: str
    signed_at: str  # the record's stamp (UTC, ISO)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "course_id": self.course_id,
            "cycle": self.cycle,
            "day": self.day,
            "reviewed_on": self.reviewed_on,
            "assessment_id": self.assessment_id,
            "plan_id": self.plan_id,
            "toxicities": [dict(t) for t in self.toxicities],
            "suggested": self.suggested,
            "decided": self.decided,
            "outcome": self.outcome,
            "reason": self.reason,
            "signed_by": self.signed_by,
            "signed_at": self.signed_at,
        }


@frozen_value
class CycleGiven:
    """A cycle recorded as given, at the decided doses (the first: the plan's starting doses)."""

    id: int
    course_id: int
    review_id: int | None  # None for the first cycle (decided on the plan itself)
    cycle: int
    given_on: str  # ISO date
    drugs: tuple[dict[str, Any], ...]  # {"drug", "dose": {"value", "unit"}}
    recorded_by: str
    recorded_at: str


@frozen_value
class DayGiven:
    """A dose given on a day inside a cycle (gemcitabine's day 8), at the doses its own signed
    review of that day decided (walk 24 HARM 1: a day-8 dose could not be recorded at all)."""

    id: int
    course_id: int
    review_id: int  # the signed review of that day
    cycle: int
    day: int
    given_on: str  # ISO date
    drugs: tuple[dict[str, Any], ...]  # {"drug", "dose": {"value", "unit"}}
    recorded_by: str
    recorded_at: str


@frozen_value
class CourseStop:
    id: int
    course_id: int
    review_id: int | None  # the review whose decision stopped it, if one did
    stopped_on: str  # ISO date
    reason: str
    stopped_by: str
    stopped_at: str


@frozen_value
class StoredCourse:
    """A treatment course with its signed reviews, the cycles given and its stop (None while
    it runs), oldest first. Its state (the cycle due, the current doses) is derived from these
    (`planner.domain.treatment_course`), never stored twice."""

    id: int
    patient_id: int
    plan_id: int  # the decided plan it was started from
    regimen: str
    drugs: tuple[dict[str, Any], ...]  # {"drug", "starting_dose": {"value", "unit"}}
    cycle_days: int
    started_on: str  # ISO date
    started_by: str
    started_at: str
    reviews: tuple[CourseReview, ...]
    cycles: tuple[CycleGiven, ...]
    stop: CourseStop | None
    # drugs given on the day of a signed delay (fulvestrant's injection while palbociclib waits
    # for its count: walk 23 #7): kept as course_cycles rows whose drugs say `given_at_delay`
    # or `delayed`, never a cycle given (the delayed cycle is still to come)
    given_at_delay: tuple[CycleGiven, ...] = ()
    # the doses given on a day inside a cycle (day 8, day 15), each from its day's review
    days_given: tuple[DayGiven, ...] = ()

    def review(self, review_id: int) -> CourseReview | None:
        return next((r for r in self.reviews if r.id == review_id), None)
