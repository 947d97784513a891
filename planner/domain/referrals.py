"""Referrals (contract §3 `referrals[]`): one per service, at the most urgent urgency that fired.

Each rule row of resources/rules/supportive_referrals.toml names the facts that trigger it; the
reasons say what fired and with which cut-off, the basis cites the rule and its sources and the
facts' own evidence (settings rows, instrument rules, hepatic rules).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from planner.domain.evidence import UNVERIFIED, Basis
from planner.domain.frozen_value import frozen_value
from planner.domain.supportive_tables import SERVICES, URGENCIES, SupportiveTables
from planner.domain.symptoms import Findings

# Which problems a trigger fact speaks for (facts named `problem_<x>` speak for <x>); a referral
# lists the problems, among those found, that its firing rules speak for.
FACT_PROBLEMS: dict[str, tuple[str, ...]] = {
    "phq9_moderate": ("depression",),
    "phq9_severe": ("depression",),
    "phq9_item9": ("depression",),
    "gad7_moderate": ("anxiety",),
    "gad7_severe": ("anxiety",),
    "distress_positive": ("distress",),
    "severe_emotional_symptom": ("depression", "anxiety", "distress"),
    "severe_physical_symptom": (
        "pain",
        "fatigue",
        "nausea",
        "drowsiness",
        "breathlessness",
        "anorexia",
    ),
    "falls": ("falls",),
    "deconditioned": ("fatigue", "reduced_mobility"),
    "bone_metastases": ("reduced_mobility",),
    "must_high": ("weight_loss", "anorexia"),
    "pgsga_dietitian": ("weight_loss", "anorexia"),
    "pgsga_critical": ("weight_loss", "anorexia"),
    "weight_loss_significant": ("weight_loss",),
    "appetite_loss": ("anorexia",),
    "ascites_moderate_severe": ("ascites",),
    "biliary_obstruction": ("jaundice", "pruritus"),
    "encephalopathy": ("encephalopathy",),
    "encephalopathy_grade_3_4": ("encephalopathy",),
    "opioid_suggested": ("pain",),
    "lives_alone": ("practical_needs",),
    "problem_list_spiritual": ("spiritual_distress",),
    "hepatic_visceral_crisis": ("jaundice",),
    "hepatic_visceral_crisis_watch": ("jaundice",),
}


@frozen_value(hot=True)
class Referral:
    service: str
    urgency: str
    reasons: tuple[str, ...]
    basis: tuple[Basis, ...]
    rules: tuple[str, ...]  # ids of the rule rows that fired
    problems: tuple[str, ...]  # problems of the supportive list this referral serves
    patient_text: tuple[str, ...]  # plain words for the referral slip / booklet

    def to_json(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "urgency": self.urgency,
            "reasons": list(self.reasons),
            "basis": [b.to_json() for b in self.basis],
            "rules": list(self.rules),
            "problems": list(self.problems),
            "patient_text": list(self.patient_text),
        }


def _problems_of(
    when: Iterable[str], findings: Findings, interaction_problems: tuple[str, ...]
) -> list[str]:
    """The problems a row's facts (`when`, in the printed order) name, once each."""
    out: list[str] = []
    for fact in when:
        named: tuple[str, ...] = (
            (fact.removeprefix("problem_"),) if fact.startswith("problem_") else ()
        )
        if fact == "drug_interaction":
            named = interaction_problems
        for problem in (*named, *FACT_PROBLEMS.get(fact, ())):
            if problem in findings.problems and problem not in out:
                out.append(problem)
    return out


def build_referrals(
    findings: Findings, tables: SupportiveTables, interaction_problems: tuple[str, ...] = ()
) -> tuple[Referral, ...]:
    merged: dict[str, dict[str, list[Any]]] = {}
    urgency: dict[str, str] = {}
    seen_basis: dict[str, dict[Basis, None]] = {}
    facts = findings.facts
    for rule in tables.referrals:
        if not facts.keys() >= rule.when:  # every fact of the row holds (a set test, in C)
            continue
        entry = merged.setdefault(
            rule.service, {"reasons": [], "rules": [], "patient": [], "problems": []}
        )
        for problem in _problems_of(rule.when_sorted, findings, interaction_problems):
            if problem not in entry["problems"]:
                entry["problems"].append(problem)
        why = "; ".join(facts[name].reason for name in rule.when_sorted)
        reason = f"{rule.reason} [{rule.rule}]: {why}"  # reason_in_words reads this form
        if not rule.verified:
            reason += UNVERIFIED
        entry["reasons"].append(reason)
        entry["rules"].append(rule.id)
        if rule.patient_text not in entry["patient"]:
            entry["patient"].append(rule.patient_text)
        # Basis entries are frozen (hashable): a dict keeps first-seen order without the
        # quadratic `not in list` scan, which dominated plan time; each is hashed once (stored
        # again under its key, a basis seen before keeps its place).
        seen = seen_basis.setdefault(rule.service, {})
        for basis in rule.basis:
            seen[basis] = None
        for name in rule.when_sorted:
            for basis in facts[name].basis:
                seen[basis] = None
        current = urgency.get(rule.service)
        if current is None or URGENCIES.index(rule.urgency) < URGENCIES.index(current):
            urgency[rule.service] = rule.urgency
    ordered = sorted(merged, key=lambda s: (URGENCIES.index(urgency[s]), SERVICES.index(s)))
    return tuple(
        Referral(
            service=service,
            urgency=urgency[service],
            reasons=tuple(merged[service]["reasons"]),
            basis=tuple(seen_basis[service]),
            rules=tuple(merged[service]["rules"]),
            patient_text=tuple(merged[service]["patient"]),
            problems=tuple(merged[service]["problems"]),
        )
        for service in ordered
    )


# The clinician's form of a reason: "what [RULE-IDS]: finding (setting = value, default)".
# a rule label may hold one level of brackets ("[medicine review (… [[medicine_check]])]"):
# the whole label goes, never leaving "])]:" on a slip
_RULE_IDS = re.compile(r" \[(?:[^\[\]]|\[\[?[^\[\]]*\]?\])*\]")
_SETTING_TRACE = re.compile(r" ?\((?:[^()]*?)\b[a-z][a-z0-9_]* = [^()]*\)")


def reason_in_words(reason: str) -> str:
    """A referral reason for the receiving service (a referral slip): what and the finding, with
    neither the rule ids nor the cut-off settings' names, which only the clinician section and
    the plan JSON need ("falls: balance, gait … [FUN-3]: 2 fall(s) in the past 3 months >= 1
    (falls_min = 1, default)" -> "falls: balance, gait …: 2 fall(s) in the past 3 months ≥ 1").
    An unverified marker stays."""
    words = _RULE_IDS.sub("", reason, count=1)
    words = _SETTING_TRACE.sub("", words)
    return words.replace(">=", "≥").replace("<=", "≤").strip()
