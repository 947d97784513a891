"""Which kept plan of an assessment is the one to act on, and what replaced the others.

Plans are never edited: a decision is kept as a new plan row, and a plan re-made after the
rules or the clinic settings changed is a new version. So one assessment may hold several plans,
and only the newest is the plan: an older one, decided or not, must not be decided again or
printed, or two different plans could be signed for the same assessment (issue 16: an old
undecided plan was decided and printed while a newer plan of the same assessment was decided).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from planner.domain.decision import decision_of
from planner.domain.records import record


@record
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

    @property
    def current(self) -> bool:
        return self.superseded_by is None


def plan_standings(kept: Sequence[Mapping[str, Any]]) -> dict[int, PlanStanding]:
    """The standing of each plan of ONE assessment (rows as the record keeps them: `id`,
    `made_at`, `plan`, `rules_version`, `settings`). The newest (highest id) is current."""
    rows = sorted(kept, key=lambda row: int(row["id"]))
    if not rows:
        return {}
    newest = rows[-1]
    why = _why_made(newest, rows[-2] if len(rows) > 1 else None)
    out: dict[int, PlanStanding] = {}
    for row in rows:
        current = row is newest
        out[int(row["id"])] = PlanStanding(
            plan_id=int(row["id"]),
            decided=decision_of(row.get("plan") or {}) is not None,
            superseded_by=None if current else int(newest["id"]),
            superseded_at="" if current else str(newest.get("made_at") or ""),
            why="" if current else why,
        )
    return out


def _why_made(plan: Mapping[str, Any], before: Mapping[str, Any] | None) -> str:
    decision = decision_of(plan.get("plan") or {})
    if decision is not None:
        on = f" on plan {decision.decided_on_plan}" if decision.decided_on_plan else ""
        return f"decided by {decision.decided_by}{on}"
    if before is not None:
        if str(plan.get("rules_version") or "") != str(before.get("rules_version") or ""):
            return (
                f"the rules changed ({before.get('rules_version') or '?'} → "
                f"{plan.get('rules_version') or '?'})"
            )
        if (plan.get("settings") or {}) != (before.get("settings") or {}):
            return "the clinic settings changed"
    return "a newer plan"
