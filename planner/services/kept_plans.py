"""Plans kept in the record: make one for a stored assessment (a new version only when the rules
or the clinic settings changed), keep the clinician's decision, and say whether a plan is
current or superseded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from planner.domain.critical_alerts import carry_open_alerts
from planner.domain.decision import Decision, check_decision, decision_of, sign_parts
from planner.domain.frozen_value import frozen_value
from planner.domain.plan_versions import PlanStanding, plan_standings
from planner.domain.problems import InputInvalid, Problem
from planner.domain.stored import StoredPlan
from planner.services import clinic_settings
from planner.services.case_commands import make_plan
from planner.services.patient_record import PatientRecord


@frozen_value
class PlanMade:
    """What making the plan of an assessment did: `made` False when the kept plan (made with
    the same rules and clinic settings) was shown instead of storing a duplicate; `why` says why
    a new version was made (empty for the first plan)."""

    plan_id: int
    made: bool
    why: str


def make_and_keep_plan(record: PatientRecord, assessment_id: int) -> PlanMade:
    """The plan of a stored assessment with the clinic's settings now. An assessment has one plan
    per rules version and settings: re-making shows the kept one (with its decision, if any);
    a new version is kept only when the rules or the settings changed, and `why` says which."""
    raw = record.case(assessment_id)
    if raw is None:
        raise InputInvalid((Problem("assessment", f"{assessment_id} is not in the record"),))
    settings = clinic_settings.of_record(record)
    plan = _with_open_alerts(
        record, assessment_id, raw, make_plan(raw, settings.labels, settings), settings.date_format
    )
    kept = record.plans_for(assessment_id)
    why = ""
    if kept:
        latest = kept[-1]
        before, now = latest.plan, plan
        if before.get("rules_version") != now.get("rules_version"):
            why = (
                f"the rules changed since plan {latest.id} "
                f"({before.get('rules_version')} → {now.get('rules_version')})"
            )
        elif before.get("settings") != now.get("settings"):
            changed = sorted(
                key
                for key in {*(before.get("settings") or {}), *(now.get("settings") or {})}
                if (before.get("settings") or {}).get(key) != (now.get("settings") or {}).get(key)
            )
            why = f"the clinic settings changed since plan {latest.id} ({', '.join(changed)})"
        elif _carried(before) != _carried(now):
            why = (
                f"the critical alerts still open from earlier assessments changed since plan"
                f" {latest.id}"
            )
        else:
            return PlanMade(latest.id, False, "")
    plan_id = record.record_plan(
        assessment_id,
        plan,
        pdf_sha256=None,
        rules_version=str(plan.get("rules_version", "")),
        settings=settings.to_stored(clinic_settings.settings_table()),
    )
    return PlanMade(plan_id, True, why)


def preview_with_open_alerts(
    record: PatientRecord, raw: dict[str, Any], plan: dict[str, Any]
) -> dict[str, Any]:
    """The plan of a case not saved yet (the wizard's Review) with the patient's critical alerts
    still unacknowledged carried in, as her saved plan will carry them: a second assessment the
    same day said "Everything entered passes the checks" over an unread suicide-risk alert
    (issue 16, review 16c finding 7)."""
    date_format = clinic_settings.of_record(record).date_format
    return _with_open_alerts(record, None, raw, plan, date_format)


def _with_open_alerts(
    record: PatientRecord,
    assessment_id: int | None,
    raw: dict[str, Any],
    plan: dict[str, Any],
    date_format: str,
) -> dict[str, Any]:
    """The plan with the patient's critical alerts still unacknowledged from her other
    assessments (all of them for a case not saved yet: `assessment_id` None) carried in
    (planner.domain.critical_alerts.carry_open_alerts)."""
    mrn = str((raw.get("patient") or {}).get("mrn") or "")
    assessed_on = str(raw.get("assessed_on") or "")
    if not mrn or not assessed_on:
        return plan
    others = tuple(a for a in record.critical_alerts(mrn) if a.assessment_id != assessment_id)
    if not others:
        return plan
    origins = {}
    for alert in others:
        origin = record.plan(alert.plan_id)
        if origin is not None:
            origins[alert.plan_id] = origin.plan
    return carry_open_alerts(plan, assessed_on, others, origins, date_format)


def _carried(plan: dict[str, Any]) -> list[Any]:
    return [a.get("carried_from") for a in plan.get("alerts") or () if a.get("carried_from")]


def decide_plan(
    record: PatientRecord,
    plan_id: int,
    *,
    course: str,
    regimen: str | None,
    reason: str,
    dose_changes: tuple[Any, ...] = (),
    held: tuple[Any, ...] = (),
    decided_by: str | None = None,
    prior_therapy_confirmed_none: bool = False,
    aim_wording: str = "",
) -> int:
    """Keep the clinician's decision on a kept plan, signed by `decided_by` (the person who
    decided, asked in the Decide dialog; None: the record's user, the person using the program
    now). Each drug change keeps who made it: one kept from an earlier decision keeps its own
    signer, a new one is signed by `decided_by`. Plans are never edited: the decision is kept as a new plan row
    holding the engine's document unchanged (the suggestion) and the decision beside it, which
    replaces any earlier decision. InputInvalid names what does not fit (an option with a drug
    the plan gives no dose is refused: planner.domain.decision.check_decision)."""
    kept, suggestion, decision = _checked_decision(
        record,
        plan_id,
        course,
        regimen,
        reason,
        tuple(dose_changes),
        tuple(held),
        decided_by,
        prior_therapy_confirmed_none,
        aim_wording,
    )
    return record.record_plan(
        kept.assessment_id,
        {**suggestion, "decision": decision.to_json()},
        pdf_sha256=None,
        rules_version=kept.rules_version,
        settings=kept.settings,
    )


def check_plan_decision(
    record: PatientRecord,
    plan_id: int,
    *,
    course: str,
    regimen: str | None,
    reason: str,
    dose_changes: tuple[Any, ...] = (),
    held: tuple[Any, ...] = (),
    decided_by: str | None = None,
    prior_therapy_confirmed_none: bool = False,
    aim_wording: str = "",
) -> None:
    """What decide_plan would refuse, before anything is kept: InputInvalid names it (the
    decision dialog shows it and stays open with what was typed)."""
    _checked_decision(
        record,
        plan_id,
        course,
        regimen,
        reason,
        tuple(dose_changes),
        tuple(held),
        decided_by,
        prior_therapy_confirmed_none,
        aim_wording,
    )


def _checked_decision(
    record: PatientRecord,
    plan_id: int,
    course: str,
    regimen: str | None,
    reason: str,
    dose_changes: tuple[Any, ...],
    held: tuple[Any, ...],
    decided_by: str | None = None,
    prior_therapy_confirmed_none: bool = False,
    aim_wording: str = "",
) -> tuple[StoredPlan, dict[str, Any], Decision]:
    kept = record.plan(plan_id)
    if kept is None:
        raise InputInvalid((Problem("plan", f"{plan_id} is not in the record"),))
    standing = plan_standing(record, plan_id)
    if not standing.current:
        # Two decided plans for one assessment would let two different plans be printed.
        raise InputInvalid(
            (
                Problem(
                    "plan",
                    f"{plan_id} is superseded by {standing.replaced_by} ({standing.why})"
                    + (
                        f": decide on plan {standing.superseded_by}"
                        if standing.superseded_by is not None
                        else ""
                    ),
                ),
            )
        )
    suggestion = {k: v for k, v in kept.plan.items() if k != "decision"}
    decision = Decision(
        course=course,  # type: ignore[arg-type]  # checked by check_decision
        regimen=regimen,
        reason=reason.strip(),
        decided_by=(record.who if decided_by is None else decided_by).strip(),
        decided_at=dt.datetime.now().isoformat(timespec="minutes"),
        decided_on_plan=plan_id,
        dose_changes=tuple(dose_changes),
        held=tuple(held),
        prior_therapy_confirmed_none=prior_therapy_confirmed_none,
        aim_wording=aim_wording,
    )
    check_decision(suggestion, decision)
    return kept, suggestion, sign_parts(decision)


def plan_standing(record: PatientRecord, plan_id: int) -> PlanStanding:
    """Whether a kept plan is its assessment's current plan, or what superseded it (a
    planner.domain.plan_versions.PlanStanding). InputInvalid when there is no such plan."""
    kept = record.plan(plan_id)
    if kept is None:
        raise InputInvalid((Problem("plan", f"{plan_id} is not in the record"),))
    from planner.services.record_corrections import amendment_of

    amended = amendment_of(record, kept.assessment_id)
    return plan_standings(record.plans_for(kept.assessment_id), amended)[plan_id]


def plan_to_act_on(record: PatientRecord, mrn: str) -> int | None:
    """The patient's ONE plan to act on: the newest plan of her latest assessment (by the day
    assessed, then the order entered; an amended version gives way to its amendment). Each
    assessment has its own current plan (plan_standing), but only the latest assessment's is
    hers now: plan history showed a morning's decided plan and the afternoon's new plan both as
    "CURRENT … the one to act on" (issue 16, review 16c). None when her latest assessment has no
    plan yet (then no earlier plan is the one to act on either: make the latest one's)."""
    from planner.services.record_corrections import amendment_of

    assessed = sorted(record.trend(mrn), key=lambda row: (row.assessed_on, row.assessment_id))
    for row in reversed(assessed):
        if amendment_of(record, row.assessment_id) is not None:
            continue
        kept = record.plans_for(row.assessment_id)
        if row.cycle_review is not None and not any(decision_of(p.plan) is not None for p in kept):
            continue  # a cycle review's plan is the program's: never the one to act on (walk 23 #9)
        return max(plan.id for plan in kept) if kept else None
    return None


#: how many of a demo record's most recently assessed patients get a plan (a worklist to work
#: through, issue 20; few enough that `planner db demo --patients 100000` stays quick)
DEMO_PLANS = 40


def plan_latest_demo_assessments(record: PatientRecord, count: int = DEMO_PLANS) -> int:
    """Make and keep the plan of the latest assessment of the `count` most recently assessed
    patients, as a nurse's day would have left them: Today's work then lists reviews due and
    alerts to acknowledge (walk 16d: the 300-patient demo had no plans, so Today's work was
    empty). Returns how many plans were made."""
    made = 0
    today = dt.date.today()
    for patient in record.patients_page(count, 0, "last_assessed"):
        points = record.trend(patient.mrn)
        if points and not record.plans_for(points[-1].assessment_id):
            make_and_keep_plan(record, points[-1].assessment_id)
            # the demo's visits end in the past (a fixed history): its reviews are booked
            # around the day the demo is made, a few overdue, some today, most to come
            due = today + dt.timedelta(days=made % 10 - 3)
            record.set_review_date(
                patient.mrn, due.isoformat(), "demo record: a review booked near today"
            )
            made += 1
    return made
