"""Issue #15, defect class 6: visceral crisis over-fired.

Contract §3a: "rising" is an increase of more than the clinic's meaningful-rise setting (default
20 %, shown as unverified) against a result at most 14 days older; a smaller change is `watch`
at most; the plan shows the percent change. The absolute 1.5 mg/dL definition does not raise
anything at 1.29 × ULN, and no alternative definition fires on a falling value.
"""

from __future__ import annotations

from typing import Any

import pytest

from planner.domain.engine import build_plan
from planner.domain.settings import ClinicSettings
from planner.services import case_commands, clinic_settings


def crisis_case(raw, now, before, *, days=10, unit="umol/L", uln=21.0, excluded=True):
    raw["labs"]["bilirubin"] = {"value": now, "unit": unit, "uln": uln}
    raw["labs"]["ast"] = {"value": 60, "unit": "U/L", "uln": 40}
    raw["labs"]["alt"] = {"value": 60, "unit": "U/L", "uln": 45}
    if before is None:
        raw["previous_labs"] = []
    else:
        day = 19 - days  # current labs drawn 2026-11-19
        drawn = f"2026-11-{day:02d}" if day > 0 else f"2026-10-{31 + day:02d}"
        raw["previous_labs"] = [
            {"drawn_on": drawn, "bilirubin": {"value": before, "unit": unit, "uln": uln}}
        ]
    raw["disease"]["biliary_obstruction"] = False if excluded else None
    raw["disease"]["gilbert_syndrome"] = False if excluded else None
    return raw


def hepatic(rules, raw: dict[str, Any], **settings: Any) -> dict[str, Any]:
    checked = case_commands.check_case(raw, rules)
    plan = build_plan(checked.case, checked.doubts, rules, ClinicSettings(**settings)).to_json()
    return plan


@pytest.mark.parametrize(
    ("before", "now", "state"),
    [
        (68, 70, "watch"),  # +2.9 %: the case; > 1.5 × ULN, so watch at most
        (50, 60, "watch"),  # +20 % exactly: not more than the setting
        (50, 60.1, "yes"),  # +20.2 %
        (50, 61, "yes"),
        (70, 68, "no"),  # falling
        (70, 70, "no"),  # unchanged
    ],
)
def test_rising_means_more_than_the_meaningful_rise(rules, example_raw, before, now, state):
    plan = hepatic(rules, crisis_case(example_raw, now, before))
    assert plan["hepatic"]["visceral_crisis"] == state
    trend = plan["hepatic"]["bilirubin_trend"]
    assert trend["percent_change"] == round((now - before) / before * 100, 1)
    assert trend["meaningful_rise_percent"] == 20
    codes = [a["code"] for a in plan["alerts"]]
    assert ("hepatic_visceral_crisis" in codes) == (state == "yes")


def test_the_percent_change_is_shown_and_the_setting_marked_unverified(rules, example_raw):
    plan = hepatic(rules, crisis_case(example_raw, 70, 68))
    warning = next(w for w in plan["hepatic"]["warnings"] if w.startswith("visceral crisis"))
    assert "+2.9 %" in warning
    assert "meaningful rise > 20 %" in warning
    assert "unverified" in warning


def test_the_clinic_setting_changes_what_counts(rules, example_raw):
    raw = crisis_case(example_raw, 76, 68)  # +11.8 %
    assert hepatic(rules, raw)["hepatic"]["visceral_crisis"] == "watch"
    assert hepatic(rules, raw, crisis_rise_percent=10)["hepatic"]["visceral_crisis"] == "yes"


@pytest.mark.parametrize(("days", "state"), [(14, "yes"), (15, "watch")])
def test_the_earlier_result_must_be_at_most_14_days_old(rules, example_raw, days, state):
    plan = hepatic(rules, crisis_case(example_raw, 75, 50, days=days))
    assert plan["hepatic"]["visceral_crisis"] == state


def test_absolute_rule_does_not_fire_at_1_29_uln(rules, example_raw):
    # 1.55 mg/dL with ULN 1.2 mg/dL = 1.29 × ULN, above the old absolute 1.5 mg/dL rule
    for before in (1.7, 1.5, None):  # falling, +3 %, no earlier result
        plan = hepatic(rules, crisis_case(example_raw, 1.55, before, unit="mg/dL", uln=1.2))
        assert plan["hepatic"]["visceral_crisis"] == "no", before
        codes = [a["code"] for a in plan["alerts"]]
        assert "hepatic_visceral_crisis_watch" not in codes
        assert not any("impending" in w for w in plan["hepatic"]["warnings"])


def test_absolute_rule_without_a_uln_only_on_a_value_that_is_not_falling(rules, example_raw):
    raw = crisis_case(example_raw, 2.5, 2.0, unit="mg/dL", uln=1.2)
    del raw["labs"]["bilirubin"]["uln"]
    assert hepatic(rules, raw)["hepatic"]["visceral_crisis"] == "watch"
    raw["previous_labs"][0]["bilirubin"]["value"] = 3.0  # falling
    assert hepatic(rules, raw)["hepatic"]["visceral_crisis"] == "unknown"


def test_impending_crisis_needs_a_meaningful_alp_rise(rules, example_raw):
    raw = crisis_case(example_raw, 18, None)  # bilirubin normal
    raw["disease"]["liver_lesions"] = "diffuse"
    raw["labs"]["ast"] = {"value": 100, "unit": "U/L", "uln": 40}  # 2.5 × ULN
    raw["labs"]["alp"] = {"value": 310, "unit": "U/L", "uln": 130}
    raw["previous_labs"] = [
        {"drawn_on": "2026-11-10", "alp": {"value": 300, "unit": "U/L", "uln": 130}}
    ]
    assert hepatic(rules, raw)["hepatic"]["visceral_crisis"] == "no"  # +3 %
    raw["previous_labs"][0]["alp"]["value"] = 200  # +55 %
    plan = hepatic(rules, raw)
    assert plan["hepatic"]["visceral_crisis"] == "watch"
    assert any("alp +55.0 %" in w for w in plan["hepatic"]["warnings"])


def test_enzymes_above_200_on_a_falling_value_raise_nothing(rules, example_raw):
    raw = crisis_case(example_raw, 18, None)
    raw["labs"]["ast"] = {"value": 250, "unit": "U/L", "uln": 40}
    raw["previous_labs"] = [
        {"drawn_on": "2026-11-10", "ast": {"value": 400, "unit": "U/L", "uln": 40}}
    ]
    assert hepatic(rules, raw)["hepatic"]["visceral_crisis"] == "no"
    raw["previous_labs"][0]["ast"]["value"] = 200  # rising
    assert hepatic(rules, raw)["hepatic"]["visceral_crisis"] == "watch"


@pytest.mark.parametrize(
    ("value", "ok"), [(4, False), (5, True), (20, True), (100, True), (101, False)]
)
def test_the_setting_is_bounded_by_its_rule_row(value, ok):
    problems = clinic_settings.check_clinic_settings({"crisis_rise_percent": value})
    assert (not problems) == ok, problems
