"""ESAS-r (Edmonton Symptom Assessment System, revised; © University of Alberta, used with
acknowledgement). Nine core items 0–10 (0 = none / best, 10 = worst; wellbeing is not reversed)
and an optional patient-named tenth item.

TSDS = sum of the nine core items (the "other" item is excluded); physical and emotional
subscores as the rule table's method row describes. No official missing-data rule exists: a sum
is missing when any of its items is missing (never prorated). Items are banded
none / mild / moderate / severe. There is deliberately no band for the total.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.domain.case import ESAS_ITEMS
from planner.domain.instruments.instrument_settings import InstrumentSettings
from planner.domain.instruments.result import InstrumentResult, start
from planner.domain.instruments.tables import InstrumentRules, need

ITEM_BANDS = "instr.esas_r.item_bands"
TSDS = "instr.esas_r.tsds"
SUBSCORES = "instr.esas_r.subscores"
NEEDS = (need(ITEM_BANDS, "bands"), need(TSDS, "method"), need(SUBSCORES, "method"))
VERSION = "ESAS-r (revised Edmonton Symptom Assessment System, 2010 administration manual)"

CORE_ITEMS = ESAS_ITEMS  # the nine core items, named once (planner.domain.case)
PHYSICAL = ("pain", "tiredness", "drowsiness", "nausea", "lack_of_appetite", "shortness_of_breath")
EMOTIONAL = ("depression", "anxiety")


def _sum(items: Mapping[str, int | None], codes: tuple[str, ...]) -> int | None:
    values = [items.get(code) for code in codes]
    if any(v is None for v in values):
        return None
    return sum(v for v in values if v is not None)


def score_esas_r(
    items: Mapping[str, int | None],
    other: tuple[str, int] | None,
    rules: InstrumentRules,
    settings: InstrumentSettings | None = None,
) -> InstrumentResult:
    """`items`: core item -> 0–10 or None; `other`: (patient's name for it, score) or None."""
    trail = start(rules, settings)
    trail.method(TSDS)
    trail.method(SUBSCORES)
    bands: dict[str, str] = {}
    for code in CORE_ITEMS:
        value = items.get(code)
        if value is not None:
            bands[code] = trail.band(ITEM_BANDS, value, code).shown()
    values: dict[str, Any] = {
        "TSDS": _sum(items, CORE_ITEMS),
        "physical": _sum(items, PHYSICAL),
        "emotional": _sum(items, EMOTIONAL),
    }
    if other is not None:
        bands["other"] = trail.band(ITEM_BANDS, other[1], f"other ({other[0]})").shown()
        values["other"] = {"name": other[0], "score": other[1]}
    values["bands"] = bands
    missing = [code for code in CORE_ITEMS if items.get(code) is None]
    if missing:
        trail.warn("not answered: " + ", ".join(missing) + " (sums that need them are null)")
    return trail.finish(
        "esas_r",
        VERSION,
        "no official rule: a sum is null when any of its items is missing (never prorated)",
        values,
    )
