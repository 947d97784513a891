"""Which kept plan of an assessment is the one to act on, and what replaced the others.

Plans are never edited: a decision is kept as a new plan row, and a plan re-made after the
rules or the clinic settings changed is a new version. So one assessment may hold several plans,
and only the newest is the plan: an older one, decided or not, must not be decided again or
printed, or two different plans could be signed for the same assessment (issue 16: an old
undecided plan was decided and printed while a newer plan of the same assessment was decided).

An assessment amended with a reason (issue 20) is replaced by its amendment, a new assessment:
every plan of the old version, the newest too, is superseded by it, and the plan to act on is
made from the amended version.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.domain.decision import decision_of
from planner.domain.frozen_value import frozen_value
from planner.domain.stored import StoredPlan


@frozen_value
class PlanStanding:
    """One kept plan's place among its assessment's plans."""

    plan_id: int
    decided: bool  # carries a clinician's decision
    #: the assessment's newest plan, the one to act on; None when this plan is that one
    superseded_by: int | None
    superseded_at: str  # when the newest plan was kept (the record's stamp); "" when current
    #: why the newest plan was made, in words ("decided by Dr Rao on plan 3", "the rules
    #: changed (2026.11 → 2026.12)"); "" when current
    why: str
    #: the assessment that amended this plan's assessment (every plan of it is superseded);
    #: None when the assessment is current
    amended_by: int | None = None

    @property
    def current(self) -> bool:
        return self.superseded_by is None and self.amended_by is None

    @property
    def replaced_by(self) -> str:
        """What replaced this plan, in words ("plan 7", "the amended assessment 12")."""
        if self.amended_by is not None:
            return f"the amended assessment {self.amended_by}"
        return "" if self.superseded_by is None else f"plan {self.superseded_by}"


@frozen_value
class Amendment:
    """The amendment that replaced an assessment: the new version, why, who, when."""

    amendment_id: int
    reason: str
    amended_by: str
    amended_at: str  # the record's stamp (UTC, ISO)


def plan_standings(
    kept: Sequence[StoredPlan], amended: Amendment | None = None
) -> dict[int, PlanStanding]:
    """The standing of each kept plan of ONE assessment. The newest (highest id) is current,
    unless the assessment was `amended`: then none is."""
    rows = sorted(kept, key=lambda row: row.id)
    if not rows:
        return {}
    if amended is not None:
        why = (
            f"the assessment was amended by {amended.amended_by}: {amended.reason}; make the plan"
            f" from assessment {amended.amendment_id}"
        )
        return {
            row.id: PlanStanding(
                plan_id=row.id,
                decided=decision_of(row.plan) is not None,
                superseded_by=None,
                superseded_at=amended.amended_at,
                why=why,
                amended_by=amended.amendment_id,
            )
            for row in rows
        }
    newest = rows[-1]
    why = _why_made(newest, rows[-2] if len(rows) > 1 else None)
    out: dict[int, PlanStanding] = {}
    for row in rows:
        current = row is newest
        out[row.id] = PlanStanding(
            plan_id=row.id,
            decided=decision_of(row.plan) is not None,
            superseded_by=None if current else newest.id,
            superseded_at="" if current else newest.made_at,
            why="" if current else why,
        )
    return out


def _why_made(plan: StoredPlan, before: StoredPlan | None) -> str:
    decision = decision_of(plan.plan)
    if decision is not None:
        on = f" on plan {decision.decided_on_plan}" if decision.decided_on_plan else ""
        return f"decided by {decision.decided_by}{on}"
    if before is not None:
        if plan.rules_version != before.rules_version:
            return (
                f"the rules changed ({before.rules_version or '?'} → {plan.rules_version or '?'})"
            )
        if plan.settings != before.settings:
            return "the clinic settings changed"
    return "a newer plan"
