"""Alerts (contract §3 `alerts[]`): the ONE place the plan's alerts are made.

Fixed codes: `suicide_risk` (PHQ-9 item 9 >= 1, whatever the total; critical),
`hepatic_visceral_crisis`, `severe_hepatic_impairment` (ODWG severe or Child–Pugh C),
`encephalopathy` (any grade above none), `weight_loss` (> 5 % in 6 months, or > 2 % with BMI
< 20; cut-offs are clinic settings), `unit_or_range_doubt` (one per validator doubt). Added by
this project: `hepatic_visceral_crisis_watch`, `goals_of_care` (surprise question "no", PPS or
PPI at the cut-off, new hepatic visceral crisis, crisis with ECOG >= 2), `end_of_life_planning`
`drug_interaction` and `current_medicine_review` (a medicine she takes now against today's
findings: an NSAID at low CrCl, a benzodiazepine with encephalopathy).

Rows of resources/rules/supportive_referrals.toml ([[alert]]) give each code its level, message
and sources; several rows may raise the same code: the alert keeps the most severe level and
lists every reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from planner.domain.evidence import UNVERIFIED, Basis
from planner.domain.frozen_value import frozen_value
from planner.domain.problems import Problem
from planner.domain.supportive_tables import ALERT_CODES, ALERT_LEVELS, SupportiveTables
from planner.domain.symptoms import Findings

UNIT_DOUBT = "unit_or_range_doubt"
# The case field an alert points at, when there is one.
ALERT_FIELDS = {
    "encephalopathy": "clinical.encephalopathy",
    "suicide_risk": "psychosocial.phq9",
    "suicide_risk_not_assessed": "psychosocial.phq9",
}


@frozen_value
class Alert:
    code: str
    level: str
    message: str
    field: str | None = None
    basis: tuple[Basis, ...] = ()
    reasons: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "level": self.level, "message": self.message}
        if self.field is not None:
            out["field"] = self.field
        if self.reasons:
            out["reasons"] = list(self.reasons)
        if self.basis:
            out["basis"] = [b.to_json() for b in self.basis]
        return out


def build_alerts(
    findings: Findings,
    tables: SupportiveTables,
    doubts: Iterable[Problem] = (),
    interactions: Iterable[str] = (),
    medicine_reviews: Iterable[str] = (),
) -> tuple[Alert, ...]:
    """Every alert of the plan, most severe first (then in contract code order)."""
    by_code: dict[str, dict[str, Any]] = {}
    for rule in tables.alerts:
        if not rule.when or not findings.all_hold(rule.when):
            continue
        entry = by_code.get(rule.code)
        reasons = [findings.facts[n].reason for n in sorted(rule.when)]
        basis = [*rule.basis, *(b for n in sorted(rule.when) for b in findings.facts[n].basis)]
        message = rule.message + ("" if rule.verified else UNVERIFIED)
        if entry is None:
            by_code[rule.code] = {
                "level": rule.level,
                "message": message,
                "reasons": reasons,
                "basis": basis,
            }
            continue
        if ALERT_LEVELS.index(rule.level) < ALERT_LEVELS.index(entry["level"]):
            entry["level"], entry["message"] = rule.level, message
        entry["reasons"] += [r for r in reasons if r not in entry["reasons"]]
        entry["basis"] += [b for b in basis if b not in entry["basis"]]
    if "drug_interaction" in by_code:
        by_code["drug_interaction"]["reasons"] = list(interactions)
    if "current_medicine_review" in by_code:
        by_code["current_medicine_review"]["reasons"] = list(medicine_reviews)
        # each medicine check cites its own sources (the fact's basis): the row's own (KDIGO, for
        # NSAIDs at a low CrCl) put a kidney guideline under a paracetamol warning (walk 16d)
        by_code["current_medicine_review"]["basis"] = list(
            findings.facts["current_medicine_review"].basis
        )
    alerts = [
        Alert(
            code=code,
            level=entry["level"],
            message=entry["message"] + " — " + "; ".join(entry["reasons"])
            if entry["reasons"]
            else entry["message"],
            field=ALERT_FIELDS.get(code),
            basis=tuple(dict.fromkeys(entry["basis"])),
            reasons=tuple(entry["reasons"]),
        )
        for code, entry in by_code.items()
    ]
    doubt_rule = next((r for r in tables.alerts if r.code == UNIT_DOUBT), None)
    for doubt in doubts:
        if doubt.severity != "doubt":
            continue
        level = doubt_rule.level if doubt_rule is not None else "warning"
        lead = doubt_rule.message if doubt_rule is not None else "check the unit"
        alerts.append(
            Alert(
                UNIT_DOUBT,
                level,
                f"{doubt.path}: {doubt.message} — {lead}",
                field=doubt.path,
                basis=doubt_rule.basis if doubt_rule is not None else (),
            )
        )
    alerts.sort(key=lambda a: (ALERT_LEVELS.index(a.level), ALERT_CODES.index(a.code)))
    return tuple(alerts)
