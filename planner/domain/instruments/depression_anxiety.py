"""Psychological screening: PHQ-9, PHQ-2, GAD-7 (public domain, Pfizer), HADS (scoring only: its
wording is licensed by GL Assessment and never shipped) and the distress thermometer.

No official missing-item rule was found for any of them: a total is null when any of its items is
missing (never prorated). The PHQ-9 item-9 flag is raised from item 9 alone, whatever the total.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from planner.domain.instruments.instrument_settings import InstrumentSettings
from planner.domain.instruments.result import InstrumentResult, Trail, start
from planner.domain.instruments.tables import InstrumentRules, need

PHQ9_BANDS = "instr.phq9.severity"
PHQ9_ITEM9 = "instr.phq9.item9_flag"
PHQ2_SETTING = "phq2_cutoff"
GAD7_BANDS = "instr.gad7.severity"
GAD7_SCREEN = "instr.gad7.screen"
HADS_SETTING = "hads_bands"
DT_SETTING = "distress_cutoff"
NEEDS = (
    need(PHQ9_BANDS, "bands"),
    need(PHQ9_ITEM9, "bands"),
    need("instr.phq2.screen.standard", "bands"),
    need("instr.phq2.screen.sensitive", "bands"),
    need("instr.setting.phq2_cutoff", "setting", "standard", "sensitive"),
    need(GAD7_BANDS, "bands"),
    need(GAD7_SCREEN, "bands"),
    need("instr.hads.bands.three", "bands"),
    need("instr.hads.bands.four", "bands"),
    need("instr.setting.hads_bands", "setting", "three_band", "four_band"),
    need("instr.dt.screen.nccn", "bands"),
    need("instr.dt.screen.onf", "bands"),
    need("instr.setting.distress_cutoff", "setting", "nccn", "onf"),
)
ALL_OR_NOTHING = "no official rule: the total is null when any item is missing (never prorated)"
HADS_ANXIETY = (1, 3, 5, 7, 9, 11, 13)
HADS_DEPRESSION = (2, 4, 6, 8, 10, 12, 14)


def _total(items: Sequence[int | None]) -> int | None:
    if any(v is None for v in items):
        return None
    return sum(v for v in items if v is not None)


def _phq2(items: Sequence[int | None], trail: Trail) -> dict[str, Any]:
    total = _total(items[:2])
    _, rule_id = trail.setting(PHQ2_SETTING)
    positive = None if total is None else trail.band(rule_id, total, "PHQ-2").shown() == "positive"
    return {"total": total, "positive": positive}


def score_phq9(
    items: Sequence[int | None],
    rules: InstrumentRules,
    settings: InstrumentSettings | None = None,
) -> InstrumentResult:
    """Nine items 0–3 in questionnaire order (item 10, functional difficulty, is not scored)."""
    trail = start(rules, settings)
    total = _total(items)
    band = None if total is None else trail.band(PHQ9_BANDS, total, "PHQ-9 total").shown()
    item9 = items[8]
    flag = None if item9 is None else trail.band(PHQ9_ITEM9, item9, "item 9").shown() == "positive"
    if flag:
        trail.warn(
            "item 9 is positive: same-day clinical review of suicide risk, whatever the total"
        )
    if total is None:
        trail.warn("total not scored: an item is missing")
    phq2 = _phq2(items, trail)
    return trail.finish(
        "phq9",
        "PHQ-9 (Kroenke, Spitzer & Williams 2001)",
        ALL_OR_NOTHING + "; the item-9 flag is read from item 9 alone",
        {
            "total": total,
            "band": band,
            "item9_positive": flag,
            "phq2_total": phq2["total"],
            "phq2_positive": phq2["positive"],
        },
    )


def score_phq2(
    items: Sequence[int | None],
    rules: InstrumentRules,
    settings: InstrumentSettings | None = None,
) -> InstrumentResult:
    trail = start(rules, settings)
    phq2 = _phq2(items, trail)
    return trail.finish(
        "phq2", "PHQ-2 (items 1 and 2 of the PHQ-9; Kroenke 2003)", ALL_OR_NOTHING, phq2
    )


def score_gad7(
    items: Sequence[int | None],
    rules: InstrumentRules,
    settings: InstrumentSettings | None = None,
) -> InstrumentResult:
    trail = start(rules, settings)
    total = _total(items)
    band = positive = None
    if total is not None:
        band = trail.band(GAD7_BANDS, total, "GAD-7 total").shown()
        positive = trail.band(GAD7_SCREEN, total, "GAD-7 screen").shown() == "positive"
    else:
        trail.warn("total not scored: an item is missing")
    return trail.finish(
        "gad7",
        "GAD-7 (Spitzer, Kroenke, Williams & Löwe 2006)",
        ALL_OR_NOTHING,
        {"total": total, "band": band, "positive": positive},
    )


def score_hads(
    items: Sequence[int | None],
    rules: InstrumentRules,
    settings: InstrumentSettings | None = None,
) -> InstrumentResult:
    """Fourteen item *scores* 0–3 (not positions on the printed form), in questionnaire order."""
    trail = start(rules, settings)
    _, rule_id = trail.setting(HADS_SETTING)
    values: dict[str, Any] = {}
    for code, numbers in (("HADS_A", HADS_ANXIETY), ("HADS_D", HADS_DEPRESSION)):
        total = _total([items[n - 1] for n in numbers])
        values[code] = total
        values[f"{code}_band"] = None if total is None else trail.band(rule_id, total, code).shown()
        if total is None:
            trail.warn(f"{code} not scored: an item is missing")
    return trail.finish(
        "hads",
        "HADS (Zigmond & Snaith 1983); scoring only, item wording not shipped",
        "no verified rule: a subscale is null when any of its items is missing",
        values,
    )


def score_distress_thermometer(
    score: int,
    problems: Sequence[str] | None,
    rules: InstrumentRules,
    settings: InstrumentSettings | None = None,
) -> InstrumentResult:
    trail = start(rules, settings)
    _, rule_id = trail.setting(DT_SETTING)
    positive = trail.band(rule_id, score, "distress thermometer").shown() == "positive"
    return trail.finish(
        "distress_thermometer",
        "NCCN Distress Thermometer and Problem List (problem list items are not summed)",
        "single item: no missing-data rule",
        {
            "score": score,
            "positive": positive,
            "problems": list(problems) if problems is not None else None,
        },
    )
