"""Class 8: suicide risk without a safety plan.

PHQ-9 item 9 positive must bring, besides the alert and the same-day referral, a written safety
plan and lethal-means advice (small supplies, someone else holds the medicines). A blank item 9
is "not asked", never "no risk": with the other items at 19 it is a critical alert and a gap.
"""

from __future__ import annotations

import pytest

from planner.services import case_commands


def _phq9(sup, items, pain=0):
    raw = sup.quiet_case()
    raw["psychosocial"]["phq9"] = items
    raw["symptoms"]["esas"]["pain"] = pain
    return raw


def test_item9_positive_brings_a_safety_plan_and_lethal_means_advice(sup):
    result = sup.supportive(_phq9(sup, [1, 1, 1, 1, 0, 0, 0, 0, 1], pain=6), crcl=80.0)
    alert = sup.alert(result, "suicide_risk")
    assert alert is not None
    assert alert["level"] == "critical"
    assert sup.referral(result, "psychiatry")["urgency"] == "same_day"
    depression = sup.rows(result, "depression")
    plan = depression["sup.int.depression.safety_plan"]
    for part in (
        "warning signs",
        "people she can ask for help",
        "crisis number",
        "surroundings safe",
    ):
        assert part in plan["text"]
    means = depression["sup.int.depression.lethal_means"]
    assert "opioids" in means["text"]
    assert "small amounts" in means["text"]
    assert "hold the medicines" in means["text"]
    assert "family member or carer will keep your medicines" in means["patient_text"]
    assert {b["source"] for b in plan["basis"]} >= {"sup.stanley_brown_2012", "sup.nice_ng225"}
    assert result["follow_up"]["next_review_days"] == 0


def test_item9_positive_with_a_low_total_still_gets_the_plan(sup):
    result = sup.supportive(_phq9(sup, [0, 0, 0, 0, 0, 0, 0, 0, 1]), crcl=80.0)
    assert sup.alert(result, "suicide_risk") is not None
    assert "sup.int.depression.safety_plan" in sup.rows(result, "depression")


def test_item9_blank_with_the_others_at_19_is_a_critical_alert_and_a_gap(sup):
    result = sup.supportive(_phq9(sup, [3, 3, 3, 3, 3, 2, 1, 1, None]), crcl=80.0)
    alert = sup.alert(result, "suicide_risk_not_assessed")
    assert alert is not None
    assert alert["level"] == "critical"
    assert "ask" in alert["message"]
    assert sup.alert(result, "suicide_risk") is None  # not claimed positive either
    assert any(g["field"] == "psychosocial.phq9[8]" for g in result["gaps"])
    depression = sup.item(result, "depression")
    assert depression["severity"] == "severe"  # 19 answered >= 15: the total can only be higher
    assert any("at least" in r for r in depression["reasons"])
    assert "sup.int.depression.item9_unasked" in sup.rows(result, "depression")
    assert result["follow_up"]["next_review_days"] == 0


@pytest.mark.parametrize(
    ("items", "level"),
    [([1, 1, 1, 0, 0, 0, 0, 0, None], "warning"), ([2, 2, 2, 2, 1, 1, 0, 0, None], "critical")],
)
def test_item9_blank_alert_level_follows_the_answered_items(sup, items, level):
    """9 answered points are below the moderate cut-off (10): a warning; 10 reach it: critical."""
    result = sup.supportive(_phq9(sup, items), crcl=80.0)
    assert sup.alert(result, "suicide_risk_not_assessed")["level"] == level


def test_item9_answered_zero_raises_no_suicide_alert(sup):
    result = sup.supportive(_phq9(sup, [2, 2, 2, 2, 1, 1, 0, 0, 0]), crcl=80.0)
    assert sup.alert(result, "suicide_risk") is None
    assert sup.alert(result, "suicide_risk_not_assessed") is None
    assert "sup.int.depression.safety_plan" not in sup.rows(result, "depression")


def test_blank_item9_reaches_the_printed_plan(sup):
    plan = case_commands.make_plan(_phq9(sup, [3, 3, 3, 3, 3, 2, 1, 1, None]))
    codes = {a["code"]: a["level"] for a in plan["alerts"]}
    assert codes.get("suicide_risk_not_assessed") == "critical"
    assert any(g["field"] == "psychosocial.phq9[8]" for g in plan["gaps"])
