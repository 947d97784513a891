"""Gemcitabine's day-8 dose with carboplatin: the gemcitabine label has two day-8 tables (breast
cancer, with paclitaxel; ovarian cancer, with carboplatin) and neither is written for this
combination in breast cancer. A clinic setting chooses (default: the table for the combination);
the reasons show the one used and the other, with both sources. Known answers at and around each
table's edges (GEMZAR §2.2 and §2.3)."""

from __future__ import annotations

import json

import pytest

from planner.domain.engine import build_plan
from planner.domain.settings import ClinicSettings
from planner.domain.validation import validate_case
from planner.services.clinic_settings import check_clinic_settings

from .conftest import on_treatment

GEM_CARBO = {"gemcitabine": (1000, 1000, "mg/m2"), "carboplatin": (2, 2, "AUC")}
SETTING = "gemcitabine_day8_with_carboplatin"


def gemcitabine(rules, example_raw, labs, choice=None, regimen="gemcitabine_carboplatin", day=8):
    drugs = dict(GEM_CARBO)
    if regimen == "pembrolizumab_gemcitabine_carboplatin":
        drugs["pembrolizumab"] = (200, 200, "mg")
    raw = on_treatment(example_raw, regimen, drugs, day=day, labs=labs)
    case, doubts = validate_case(json.loads(json.dumps(raw)), rules.limits)
    settings = ClinicSettings(cycle_choices={SETTING: choice} if choice else {})
    found = build_plan(case, doubts, rules, settings).to_json()["next_cycle"]
    return next(d for d in found["drugs"] if d["drug"] == "gemcitabine"), found


# What gemcitabine's own rows call for, and what the plan says: carboplatin has no day-8 label
# threshold, so the cycle is insufficient_data and no drug claims a dose it does not give — a
# "reduce" or "continue" becomes insufficient_data with its own rows' call in words (issue 19
# review 19c, finding 8); a hold stays a hold.
OWN_CALL = {
    "continue": "its own rows call for no change",
    "reduce": "its own rows call for a reduction",
}


def shown_as(found, action):
    """The plan's action for gemcitabine whose own rows call for `action`, checked with why."""
    if action == "hold":
        return found["action"] == "hold"
    return found["action"] == "insufficient_data" and any(
        OWN_CALL[action] in r for r in found["reasons"]
    )


# (labs, what gemcitabine's own rows call for, the percent the reason names or None)
OVARIAN = [
    ({"anc": 1.5, "platelets": 100}, "continue", None),
    ({"anc": 1.49}, "reduce", "50 %"),
    ({"anc": 1.0}, "reduce", "50 %"),
    ({"anc": 0.99}, "hold", None),
    ({"platelets": 99}, "reduce", "50 %"),
    ({"platelets": 75}, "reduce", "50 %"),
    ({"platelets": 74}, "hold", None),
    ({"anc": 1.2, "platelets": 80}, "reduce", "50 %"),
]
BREAST = [
    ({"anc": 1.5, "platelets": 100}, "continue", None),
    ({"anc": 1.2, "platelets": 76}, "continue", None),
    ({"anc": 1.19}, "reduce", "75 %"),
    ({"anc": 1.0}, "reduce", "75 %"),
    ({"anc": 0.99}, "reduce", "50 %"),
    ({"anc": 0.7}, "reduce", "50 %"),
    ({"anc": 0.69}, "hold", None),
    ({"platelets": 75}, "reduce", "75 %"),
    ({"platelets": 50}, "reduce", "75 %"),
    ({"platelets": 49}, "hold", None),
]


@pytest.mark.parametrize(("labs", "action", "percent"), OVARIAN)
@pytest.mark.parametrize("choice", [None, "ovarian_with_carboplatin"])
def test_default_is_the_labels_table_for_gemcitabine_with_carboplatin(
    rules, example_raw, labs, action, percent, choice
):
    found, _ = gemcitabine(rules, example_raw, labs, choice)
    assert shown_as(found, action)
    if percent:
        assert any(
            f"{percent} of the full dose" in r and "with carboplatin" in r for r in found["reasons"]
        )


@pytest.mark.parametrize(("labs", "action", "percent"), BREAST)
def test_the_clinic_may_choose_the_breast_table(rules, example_raw, labs, action, percent):
    found, _ = gemcitabine(rules, example_raw, labs, "breast_with_paclitaxel")
    assert shown_as(found, action)
    if percent:
        assert any(f"{percent} of the full dose" in r for r in found["reasons"])
    assert not any("): day 8 with carboplatin" in r for r in found["reasons"])


@pytest.mark.parametrize("choice", [None, "breast_with_paclitaxel"])
def test_both_tables_are_shown_with_their_sources(rules, example_raw, choice):
    found, _ = gemcitabine(rules, example_raw, {"anc": 1.1}, choice)
    (note,) = [r for r in found["reasons"] if SETTING in r]
    assert "ovarian cancer" in note
    assert "breast-cancer table" in note
    assert ("the default" in note) == (choice is None)
    assert "unverified — confirm locally" in note
    cited = {b["rule"] for b in found["basis"]}
    assert f"cycle.setting.{SETTING}" in cited
    sources = {b["source"] for b in found["basis"] if b["rule"] == f"cycle.setting.{SETTING}"}
    assert len(sources) == 2


def test_the_setting_reaches_pembrolizumab_gemcitabine_carboplatin(rules, example_raw):
    regimen = "pembrolizumab_gemcitabine_carboplatin"
    found, _ = gemcitabine(rules, example_raw, {"anc": 0.9}, regimen=regimen)
    assert found["action"] == "hold"
    found, _ = gemcitabine(rules, example_raw, {"anc": 0.9}, "breast_with_paclitaxel", regimen)
    assert shown_as(found, "reduce")


def test_single_agent_gemcitabine_keeps_the_breast_table_without_a_setting_note(rules, example_raw):
    raw = on_treatment(
        example_raw, "gemcitabine", {"gemcitabine": (1000, 1000, "mg/m2")}, day=8, labs={"anc": 1.1}
    )
    case, doubts = validate_case(json.loads(json.dumps(raw)), rules.limits)
    found = build_plan(case, doubts, rules).to_json()["next_cycle"]
    (gem,) = found["drugs"]
    assert (gem["action"], gem["dose"]["value"]) == ("reduce", 750)
    assert not any(SETTING in r for r in gem["reasons"])


def test_day_1_is_the_same_under_both_choices(rules, example_raw):
    for choice in (None, "breast_with_paclitaxel"):
        found, _ = gemcitabine(rules, example_raw, {"anc": 1.6}, choice, day=1)
        assert (found["action"], found["dose"]["value"]) == ("continue", 1000)
        assert not any(SETTING in r for r in found["reasons"])


def test_carboplatin_day_8_still_has_no_label_threshold_so_no_dose_is_printed(rules, example_raw):
    _, cycle = gemcitabine(rules, example_raw, {"anc": 1.1})
    assert cycle["decision"] == "insufficient_data"
    assert all(d["dose"] is None for d in cycle["drugs"])


@pytest.mark.parametrize(
    ("value", "field_ok"),
    [
        ({SETTING: "breast_with_paclitaxel"}, True),
        ({SETTING: "average"}, False),
        ({"gemcitabine_day8": "breast_with_paclitaxel"}, False),
    ],
)
def test_the_setting_is_checked_before_it_is_saved(value, field_ok):
    problems = check_clinic_settings({"cycle_choices": value})
    assert (problems == []) == field_ok


def test_every_setting_names_regimens_of_the_library(rules):
    for setting in rules.cycle.settings.values():
        assert set(setting.regimens) <= set(rules.regimens.regimens)
        for drug_rules in rules.cycle.rules.values():
            for rule in drug_rules:
                assert set(rule.regimens) <= set(rules.regimens.regimens)


def test_the_stored_setting_reaches_the_engine_and_the_plan_records_it():
    from planner.services.clinic_settings import from_stored

    settings = from_stored({"cycle_choices": {SETTING: "breast_with_paclitaxel"}})
    assert settings.cycle_choices == {SETTING: "breast_with_paclitaxel"}
    assert settings.to_json()["cycle_choices"] == {SETTING: "breast_with_paclitaxel"}
    assert from_stored({}).cycle_choices == {}
