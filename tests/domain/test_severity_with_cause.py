"""A supportive problem's severity says which finding set it (nurse16: "depression (severe)"
beside a moderate PHQ-9 total, with nothing saying item 9 made it severe)."""

from __future__ import annotations

from planner.domain.plan_words import severity_with_cause


def test_severe_depression_from_item9_names_item9_not_the_moderate_total():
    item = {
        "problem": "depression",
        "severity": "severe",
        "reasons": [
            "PHQ-9 item 9 = 1: thoughts of death or self-harm",
            "PHQ-9 total 13: moderate (phq9_moderate_min = 10, default; phq9_severe_min = 20)",
        ],
    }
    # the finding in words, and the moderate total beside it (walk 21 F3)
    assert severity_with_cause(item, "unscored") == (
        "severe — from PHQ-9 item 9 = 1: thoughts of death or self-harm; PHQ-9 total 13: moderate"
    )


def test_the_reason_that_names_the_severity_is_the_cause():
    item = {
        "severity": "severe",
        "reasons": ["ESAS-r depression 5: moderate (esas_act_min = 4)", "PHQ-9 total 22: severe"],
    }
    assert severity_with_cause(item, "unscored") == (
        "severe — from PHQ-9 total 22; ESAS-r depression 5: moderate"
    )


def test_jaundice_from_bilirubin_says_so():
    item = {
        "severity": "moderate",
        "reasons": [
            "bilirubin 1.67 x ULN > 1.5 (hepatic_modifier_bilirubin_x_uln = 1.5, default); "
            "severity follows NCI-ODWG (moderate)"
        ],
    }
    assert severity_with_cause(item, "unscored") == (
        "moderate — from bilirubin 1.67 x ULN > 1.5; severity follows NCI-ODWG"
    )


def test_a_severity_resting_on_an_unverified_setting_says_so():
    item = {
        "severity": "severe",
        "reasons": [
            "ESAS-r tiredness 7: severe (esas_act_min = 4, default; esas_severe_min = 7, "
            "default; unverified — confirm locally)"
        ],
    }
    assert severity_with_cause(item, "unscored") == "severe — from ESAS-r tiredness 7 (unverified)"


def test_no_severity_is_said_as_unscored():
    assert severity_with_cause({"severity": None, "reasons": ["jaundice recorded"]}, "x_y") == (
        "x y"
    )
