"""FACT-B version 4 (and the FACT-B+4 arm subscale), by FACIT item code only.

Responses 0–4. Reversed items score 4 − response. A subscale is prorated
(sum × items / answered) when more than the rule table's fraction of its items is answered;
FACT-G and FACT-B totals also need an overall response rate above the table's fraction and every
component valid; TOI needs its components valid. ARM (B3, B10–B13) is reported only when any of
B10–B13 is given, and is never part of FACT-B or TOI. BCS has 10 items (P2 included).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from planner.domain.frozen_value import frozen_value
from planner.domain.instruments.instrument_settings import InstrumentSettings
from planner.domain.instruments.result import InstrumentResult, start
from planner.domain.instruments.tables import InstrumentRules, need

MISSING = "instr.fact_b.missing"
NEEDS = (need(MISSING, "formula", "subscale_more_than_fraction", "total_more_than_fraction"),)
VERSION = (
    "FACT-B version 4 (FACIT scoring convention as implemented in FACTscorer); ARM from FACT-B+4"
)
ITEM_MAX = 4


@frozen_value
class Subscale:
    code: str
    items: tuple[str, ...]
    reversed_items: frozenset[str]


def _codes(prefix: str, count: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{i}" for i in range(1, count + 1))


PWB = Subscale("PWB", _codes("GP", 7), frozenset(_codes("GP", 7)))
SWB = Subscale("SWB", _codes("GS", 7), frozenset())
EWB = Subscale("EWB", _codes("GE", 6), frozenset({"GE1", "GE3", "GE4", "GE5", "GE6"}))
FWB = Subscale("FWB", _codes("GF", 7), frozenset())
BCS = Subscale(
    "BCS",
    (*_codes("B", 9), "P2"),
    frozenset({"B1", "B2", "B3", "B5", "B6", "B7", "B8", "P2"}),
)
ARM = Subscale(
    "ARM", ("B3", "B10", "B11", "B12", "B13"), frozenset({"B3", "B10", "B11", "B12", "B13"})
)
ARM_ONLY = ("B10", "B11", "B12", "B13")


def _item_score(subscale: Subscale, code: str, response: int) -> int:
    return ITEM_MAX - response if code in subscale.reversed_items else response


def subscale_score(
    subscale: Subscale, responses: Mapping[str, int | None], more_than: float
) -> float | None:
    answered = [
        _item_score(subscale, code, value)
        for code in subscale.items
        if (value := responses.get(code)) is not None
    ]
    if len(answered) <= more_than * len(subscale.items):
        return None
    return sum(answered) * len(subscale.items) / len(answered)


def _total(
    parts: Sequence[float | None],
    subscales: Sequence[Subscale],
    responses: Mapping[str, int | None],
    more_than: float,
) -> float | None:
    if any(p is None for p in parts):
        return None
    items = [code for s in subscales for code in s.items]
    answered = sum(responses.get(code) is not None for code in items)
    if answered <= more_than * len(items):
        return None
    return sum(p for p in parts if p is not None)


def score_fact_b(
    responses: Mapping[str, int | None],
    rules: InstrumentRules,
    settings: InstrumentSettings | None = None,
) -> InstrumentResult:
    trail = start(rules, settings)
    rule = trail.formula(MISSING)
    sub_more, total_more = rule["subscale_more_than_fraction"], rule["total_more_than_fraction"]
    scores: dict[str, float | None] = {
        s.code: subscale_score(s, responses, sub_more) for s in (PWB, SWB, EWB, FWB)
    }
    fact_g_parts = [scores["PWB"], scores["SWB"], scores["EWB"], scores["FWB"]]
    scores["FACT_G"] = _total(fact_g_parts, (PWB, SWB, EWB, FWB), responses, total_more)
    scores["BCS"] = subscale_score(BCS, responses, sub_more)
    scores["FACT_B"] = _total(
        [*fact_g_parts, scores["BCS"]], (PWB, SWB, EWB, FWB, BCS), responses, total_more
    )
    toi = [scores["PWB"], scores["FWB"], scores["BCS"]]
    scores["TOI"] = None if any(p is None for p in toi) else sum(p for p in toi if p is not None)
    if any(code in responses for code in ARM_ONLY):
        scores["ARM"] = subscale_score(ARM, responses, sub_more)
    for code, value in scores.items():
        if value is None:
            trail.warn(f"{code} not scored: too few items answered")
    return trail.finish(
        "fact_b",
        VERSION,
        f"subscale prorated (sum x items / answered) when more than {sub_more:.0%} of its items "
        f"are answered; FACT-G and FACT-B totals need more than {total_more:.0%} of their items "
        "and every subscale valid; TOI needs PWB, FWB and BCS valid",
        scores,
    )
