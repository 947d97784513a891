"""Follow-up (contract §3 `follow_up`): the next review and ONE merged monitoring list.

- `next_review_days`: the shortest interval among the review rows whose facts hold
  (resources/rules/supportive_referrals.toml [[review]]; most are design defaults, flagged
  unverified), else the table's default interval.
- `monitoring`: the supportive rows (weight, symptom and psychological re-screens, bowel chart,
  supportive-drug checks such as liver tests on rifampicin) merged with the drug monitoring of the
  regimen table (regimens.toml [[monitoring]]: liver tests before each cycle, LVEF for HER2
  agents and anthracyclines, glucose for PI3K/AKT inhibitors, lung questions for trastuzumab
  deruxtecan, blood counts …) for the drugs being monitored: the rank-1 option and any current
  therapy; rows marked `all_options` whenever there is an option. Duplicates are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from planner.domain.case import Psychosocial
from planner.domain.evidence import UNVERIFIED, Basis
from planner.domain.frozen_value import frozen_value
from planner.domain.regimen_tables import MonitoringItem
from planner.domain.supportive_tables import SupportiveTables
from planner.domain.symptoms import Findings

PSYCHOSOCIAL_NOT_RECORDED = (
    "psychosocial screen not recorded today: distress and suicide risk are unknown, not clear;"
    " screen them before relying on this review date"
)


def psychosocial_recorded(psychosocial: Psychosocial | None) -> bool:
    """Whether the psychosocial screen was recorded at all: a PHQ-9 answer or a distress
    thermometer score. A page left blank (no answers, whatever empty shape it was saved in)
    is "not recorded"."""
    if psychosocial is None:
        return False
    phq9 = [x for x in psychosocial.phq9 or () if x is not None]
    return bool(phq9) or psychosocial.distress_thermometer is not None


@frozen_value
class MonitoringLine:
    item: str
    reason: str
    basis: tuple[Basis, ...]

    def to_json(self) -> dict[str, Any]:
        return {"item": self.item, "for": self.reason, "basis": [b.to_json() for b in self.basis]}


@frozen_value
class FollowUp:
    next_review_days: int
    review_reasons: tuple[str, ...]
    review_basis: tuple[Basis, ...]
    monitoring: tuple[MonitoringLine, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "next_review_days": self.next_review_days,
            "monitoring": [m.item for m in self.monitoring],
            "review_reasons": list(self.review_reasons),
            "review_basis": [b.to_json() for b in self.review_basis],
            "monitoring_basis": [m.to_json() for m in self.monitoring],
        }


def build_follow_up(
    findings: Findings,
    tables: SupportiveTables,
    suggested_drugs: Iterable[str] = (),
    monitored_drugs: Iterable[str] = (),
    any_option: bool = False,
    regimen_monitoring: Iterable[MonitoringItem] = (),
    drug_classes: Mapping[str, Iterable[str]] | None = None,
    psychosocial_recorded: bool = True,
) -> FollowUp:
    """`psychosocial_recorded` False (the psychosocial page left blank): the review reasons say
    the screen was not recorded, never "no trigger": a blank page is a gap, not an all-clear
    (a second assessment the same day with that page blank read as if suicide risk had gone)."""
    fired = [r for r in tables.reviews if findings.all_hold(r.when)]
    if fired:
        days = min(r.days for r in fired)
        shortest = [r for r in fired if r.days == days]
        reasons = tuple(
            f"{r.text} [{r.rule}]: "
            + "; ".join(findings.facts[n].reason for n in sorted(r.when))
            + ("" if r.verified else UNVERIFIED)
            for r in shortest
        )
        basis = tuple(dict.fromkeys(b for r in shortest for b in r.basis))
    else:
        days = tables.default_review_days
        reasons = (
            (f"no trigger for an earlier review: routine interval{UNVERIFIED}",)
            if psychosocial_recorded
            else ()
        )
        basis = (Basis("sup.meta.default_review_days", "sup.design_default", False),)
    if not psychosocial_recorded:
        reasons += (PSYCHOSOCIAL_NOT_RECORDED + UNVERIFIED,)

    lines: list[MonitoringLine] = []
    seen: set[str] = set()

    def add(text: str, reason: str, basis: tuple[Basis, ...]) -> None:
        if text not in seen:
            seen.add(text)
            lines.append(MonitoringLine(text, reason, basis))

    drugs = frozenset(monitored_drugs)
    classes_of = drug_classes or {}
    classes = {c for d in drugs for c in classes_of.get(d, ())}
    for item in regimen_monitoring:
        hit = sorted(item.drugs & drugs) or sorted(item.classes & classes)
        if (item.all_options and (any_option or drugs)) or hit:
            why = "every option" if item.all_options else "for " + ", ".join(hit)
            text = item.text + ("" if item.verified else UNVERIFIED)
            add(text, why, tuple(Basis(item.rule, s, item.verified) for s in item.sources))
    suggested = frozenset(suggested_drugs)
    for row in tables.monitoring:
        facts = sorted(n for n in row.triggers if findings.holds(n))
        hit = sorted(row.drugs & drugs)
        mine = sorted(row.supportive_drugs & suggested)
        if not (facts or hit or mine):
            continue
        why = "; ".join(
            [findings.facts[n].reason for n in facts]
            + ([f"for {', '.join(hit)}"] if hit else [])
            + ([f"if {', '.join(mine)} is used"] if mine else [])
        )
        add(row.text + ("" if row.verified else UNVERIFIED), why, row.basis)
    return FollowUp(days, reasons, basis, tuple(lines))
