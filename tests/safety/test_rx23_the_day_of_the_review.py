"""rx23 F4: the check of a drug she is on ("is it givable today?") knows which day of the cycle
the review is for. A floor the label writes for day 1 (TRODELVY: withhold at neutrophils below
1.5 x 10^9/L on day 1 of any cycle, below 1.0 on day 8; GEMZAR breast and carboplatin: a cycle or
course starts only at ...) does not stand as a critical "not givable" against the day-8 dose the
cycle review gives: one decision on the page. A course's start, and every option, is day 1."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.independent_review import case_in, plan_json

from .test_independent_rx23 import CASES

CRITICAL = "current_therapy_contraindicated"


def _s01(day: int, anc: float) -> dict[str, Any]:
    raw = copy.deepcopy(case_in(CASES, "S01"))
    raw["treatment"]["day"] = day
    raw["labs"]["anc"]["value"] = anc
    return raw


def _sacituzumab(plan: dict[str, Any]) -> dict[str, Any]:
    (row,) = [d for d in plan["next_cycle"]["drugs"] if d["drug"] == "sacituzumab govitecan"]
    return row


def _not_givable(plan: dict[str, Any]) -> str:
    return " ".join(a["message"] for a in plan["alerts"] if a["code"] == CRITICAL)


@pytest.mark.parametrize(
    ("day", "anc", "given", "alert"),
    [
        (8, 1.2, True, False),  # rx23 S01: day 8 withholds only below 1.0
        (8, 0.9, False, True),  # below the day-8 floor: the review holds, the alert agrees
        (1, 1.2, False, True),  # day 1 below 1.5: both say no
        (1, 1.6, True, False),
    ],
)
def test_sacituzumab_one_decision_on_the_page(rules, day, anc, given, alert):
    plan = plan_json(_s01(day, anc), rules)
    row = _sacituzumab(plan)
    assert (row["action"] == "continue") is given
    assert (row["dose"] is not None and row["action"] == "continue") is given
    said = _not_givable(plan)
    assert ("sacituzumab govitecan" in said) is alert
    if alert:
        assert ("day-8" in said) is (day == 8)


def test_gemcitabine_day8_is_not_held_to_the_day1_floor_in_the_alert(rules):
    """rx23 G01 (the same pattern): gemcitabine + carboplatin day 8, platelets 48 — the cycle
    review holds gemcitabine by its day-8 table; no alert quotes 'a cycle starts only at'."""
    plan = plan_json(case_in(CASES, "G01"), rules)
    assert "a cycle starts only at" not in _not_givable(plan)
    assert "a course is not repeated" not in _not_givable(plan)
    (gem,) = [d for d in plan["next_cycle"]["drugs"] if d["drug"] == "gemcitabine"]
    assert gem["action"] == "hold"


def test_gemcitabine_day1_below_its_floor_still_raises_the_alert(rules):
    raw = copy.deepcopy(case_in(CASES, "G01"))
    raw["treatment"]["day"] = 1
    plan = plan_json(raw, rules)
    assert "gemcitabine" in _not_givable(plan)


def test_a_floor_for_day_1_applies_at_the_start_and_not_on_day_8(rules):
    """check_givable itself: the same dose and facts, day 1 and day 8."""
    from planner.domain.dosing import dose_inputs, drug_dose
    from planner.domain.givable import check_givable, givable_facts
    from planner.domain.validation import validate_case

    case, doubts = validate_case(_s01(8, 1.2), rules.limits)
    inputs = dose_inputs(case, rules.limits, None, doubts, instruments=rules.instruments)
    facts = givable_facts(case, rules.limits, doubts, inputs.hepatic)
    dose = drug_dose("sacituzumab govitecan", inputs, rules.doses)
    assert check_givable(dose, facts, rules.hard_limits).dose is None  # a course's start
    assert check_givable(dose, facts, rules.hard_limits, day=8).dose is not None
