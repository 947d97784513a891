"""The rule tables (resources/rules/) as the program reads them, loaded once per process, and the
few things the window draws straight from them (chart reference lines and ranges)."""

from __future__ import annotations

from planner.domain.case import ESAS_ITEMS, PHQ9_ITEMS
from planner.domain.hepatic import bilirubin_reference_lines as odwg_lines
from planner.domain.limits import CaseLimits
from planner.rules import RuleSet, load_rules


def rules() -> RuleSet:
    """The rule tables (cached by planner.rules: loaded once per process)."""
    return load_rules()


def case_limits() -> CaseLimits:
    """The input limits of the case document (labs with their units, field ranges, drug names)."""
    return rules().limits


def bilirubin_reference_lines() -> tuple[tuple[float, str], ...]:
    """Where the bilirubin × ULN trend chart draws its lines: the ODWG edges of the rule tables."""
    return odwg_lines(rules().instruments)


def score_chart_ranges() -> dict[str, tuple[float, float]]:
    """Each score trend's full range, from the item ranges of the rule tables (case_limits.toml)
    times the instrument's number of items, so a chart never exaggerates a small change."""
    fields = rules().limits.fields
    esas, phq, dt = (
        fields["symptoms.esas"],
        fields["psychosocial.phq_item"],
        fields["psychosocial.distress_thermometer"],
    )
    return {
        "esas_total": (esas.low * len(ESAS_ITEMS), esas.high * len(ESAS_ITEMS)),
        "phq9_total": (phq.low * len(PHQ9_ITEMS), phq.high * len(PHQ9_ITEMS)),
        "distress_thermometer": (dt.low, dt.high),
    }


def suicide_risk_item9_at() -> int:
    """The PHQ-9 item-9 answer at or above which the plan raises its critical suicide-risk alert
    (supportive.toml `phq9_item9_min`), so the psychosocial page can flag it as it is chosen."""
    return int(rules().supportive.setting("phq9_item9_min").default)
