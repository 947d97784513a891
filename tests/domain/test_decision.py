"""The clinician's decision applied to a plan (planner.domain.decision): what is printed is the
plan as decided, and nothing printed names a dose the decided plan does not give."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from planner.domain.decision import (
    Decision,
    DoseChange,
    HeldDrug,
    check_decision,
    decided_plan,
    plan_course,
)
from planner.domain.problems import InputInvalid

PLAN = Path(__file__).resolve().parents[1] / "data" / "plans" / "example_plan.json"


@pytest.fixture
def plan() -> dict:
    return json.loads(PLAN.read_text(encoding="utf-8"))


def _decide(plan: dict, **fields) -> Decision:
    base = {
        "course": "option",
        "regimen": plan["options"][1]["regimen"],
        "reason": "patient prefers",
        "decided_by": "Dr A",
        "decided_at": "2026-11-20T10:00",
    }
    return Decision(**{**base, **fields})


def test_choosing_option_2_makes_it_the_plan_and_keeps_the_ranking_as_suggested(plan):
    decision = _decide(plan)
    out = decided_plan({**plan, "decision": decision.to_json()})
    course = plan_course(out)
    assert course.leads == "decided_option"
    assert course.option["regimen"] == plan["options"][1]["regimen"]
    assert [o["suggested_rank"] for o in out["options"]] == [o["rank"] for o in plan["options"]]
    assert [o["chosen"] for o in out["options"]][:2] == [False, True]
    assert Decision.from_json(decision.to_json()) == decision


def test_a_changed_dose_replaces_the_dose_its_arithmetic_and_its_schedule(plan):
    option = plan["options"][1]
    drug = next(d for d in option["drugs"] if d.get("dose") and d.get("absolute_dose"))
    old = drug["dose"]
    new_value = old["value"] * 0.5
    change = DoseChange(drug["drug"], new_value, old["unit"], "grade 2 neuropathy")
    decision = _decide(plan, dose_changes=(change,))
    check_decision(plan, decision)
    out = decided_plan({**plan, "decision": decision.to_json()})
    row = next(d for d in plan_course(out).option["drugs"] if d["drug"] == drug["drug"])
    assert row["dose"] == {"value": new_value, "unit": old["unit"]}
    assert row["decided"]["suggested_dose"] == old
    # the same arithmetic as the suggestion: × the body-surface area (0.01 mg below 10 mg), not
    # × the ratio of two rounded doses (1.1 mg / 0.7 mg/m2 = 1.571, where the area is 1.55 m2)
    assert old["unit"] == "mg/m2"
    assert row["absolute_dose"]["value"] == pytest.approx(round(new_value * 1.55, 2))
    assert row["absolute_dose"]["text"].endswith(f"× 1.55 m2 = {round(new_value * 1.55, 2):g} mg")
    assert f"{old['value']:g} {old['unit']}" not in (row.get("schedule") or "")


def test_a_held_drug_has_no_dose_anywhere_in_its_row(plan):
    drug = plan["options"][1]["drugs"][0]
    decision = _decide(plan, held=(HeldDrug(drug["drug"], "infection"),))
    out = decided_plan({**plan, "decision": decision.to_json()})
    row = plan_course(out).option["drugs"][0]
    assert row["dose"] is None
    assert row["absolute_dose"] is None
    assert row["decided"]["action"] == "hold"
    assert not re.search(r"\d\s*(?:mg|mcg|AUC)|AUC\s*\d", row.get("schedule") or "")


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"reason": " "}, "decision.reason"),
        ({"decided_by": ""}, "decision.decided_by"),
        ({"regimen": "no_such_regimen"}, "decision.regimen"),
        ({"course": "supportive_care"}, "decision.course"),  # with a regimen
        (
            {"dose_changes": (DoseChange("nosuchdrug", 1, "mg", "x"),)},
            "decision.dose_changes[0].drug",
        ),
    ],
)
def test_a_decision_that_does_not_fit_is_refused_naming_the_field(plan, fields, path):
    with pytest.raises(InputInvalid) as caught:
        check_decision(plan, _decide(plan, **fields))
    assert path in [p.path for p in caught.value.problems]


def test_no_dose_can_be_set_for_a_drug_the_plan_gives_no_dose(plan):
    option = plan["options"][2]
    drug = option["drugs"][0]
    drug.update(status="insufficient_data", dose=None, absolute_dose=None)
    decision = _decide(
        plan,
        regimen=option["regimen"],
        dose_changes=(DoseChange(drug["drug"], 50, "mg/m2", "clinician's wish"),),
    )
    with pytest.raises(InputInvalid, match="has no dose in this plan"):
        check_decision(plan, decision)


def test_without_a_decision_the_course_follows_the_engine(plan):
    assert plan_course(plan).leads == "suggested_option"
    plan["systemic_therapy"]["appropriate"] = False
    assert plan_course(plan).leads == "supportive_care"
    plan["systemic_therapy"]["appropriate"] = True
    plan["options"] = []
    assert plan_course(plan).leads == "undecided"  # a gap, never supportive care


def test_the_kept_suggestion_is_never_changed_by_applying_a_decision(plan):
    import copy

    before = copy.deepcopy(plan)
    option = plan["options"][0]
    decision = _decide(
        plan,
        regimen=option["regimen"],
        dose_changes=(DoseChange(option["drugs"][0]["drug"], 200, "mg", "x"),),
        held=(HeldDrug(option["drugs"][1]["drug"], "y"),),
    )
    out = decided_plan({**plan, "decision": decision.to_json()})
    assert plan == before
    assert decided_plan(out) == out  # applying twice changes nothing


def test_drug_monitoring_follows_the_decided_course(plan):
    plan["options"][0]["monitoring"] = ["glucose weekly (PI3K/AKT inhibitors)"]
    plan["options"][1]["monitoring"] = ["blood counts before each dose (eribulin)"]
    plan["follow_up"]["monitoring"] = ["glucose weekly (PI3K/AKT inhibitors)", "weight each visit"]
    plan["follow_up"]["monitoring_basis"] = [
        {"item": "glucose weekly (PI3K/AKT inhibitors)", "for": "for x", "basis": []},
        {"item": "weight each visit", "for": "every patient", "basis": []},
    ]
    second = decided_plan({**plan, "decision": _decide(plan).to_json()})
    assert second["follow_up"]["monitoring"] == [
        "weight each visit",
        "blood counts before each dose (eribulin)",
    ]
    assert len(second["follow_up"]["monitoring_basis"]) == 2
    plan["systemic_therapy"]["appropriate"] = False  # supportive care leads: no regimen rows
    assert decided_plan(plan)["follow_up"]["monitoring"] == ["weight each visit"]


def _stopped(plan: dict) -> dict:
    """Option 3 as a label's stop: docetaxel-like, bilirubin above ULN (US boxed warning)."""
    option = plan["options"][2]
    option["drugs"][0].update(
        status="not_recommended",
        dose=None,
        absolute_dose=None,
        schedule=None,
        stop_reason="bilirubin 1.67 × ULN > 1: US boxed warning: bilirubin > ULN should "
        "generally not receive docetaxel",
    )
    return option


def test_an_option_whose_drug_has_no_dose_cannot_be_decided_as_given(plan):
    """Nurse walkthrough: docetaxel with a boxed-warning stop was decided "as suggested" and
    printed as the decided treatment. A label's "do not give" is a stop (rule 3)."""
    option = _stopped(plan)
    with pytest.raises(InputInvalid) as caught:
        check_decision(plan, _decide(plan, regimen=option["regimen"]))
    (problem,) = caught.value.problems
    assert problem.path == "decision.regimen"
    assert "boxed warning" in problem.message
    assert "best supportive care" in problem.message
    # holding the stopped drug does not make the option a treatment the plan gives
    held = (HeldDrug(option["drugs"][0]["drug"], "stop"),)
    with pytest.raises(InputInvalid, match="cannot be given"):
        check_decision(plan, _decide(plan, regimen=option["regimen"], held=held))
    # another option, or best supportive care, can still be decided
    check_decision(plan, _decide(plan))
    check_decision(plan, _decide(plan, course="supportive_care", regimen=None))


def test_a_refused_dose_change_gives_the_real_reason(plan):
    option = _stopped(plan)
    drug = option["drugs"][0]["drug"]
    change = DoseChange(drug, 50, "mg/m2", "clinician's wish")
    with pytest.raises(InputInvalid) as caught:
        check_decision(plan, _decide(plan, regimen=option["regimen"], dose_changes=(change,)))
    words = " ".join(p.message for p in caught.value.problems)
    assert "boxed warning" in words
    assert "record the missing result" not in words  # a stop is not a missing result


def test_insufficient_data_says_which_result_to_record(plan):
    option = plan["options"][2]
    option["drugs"][0].update(
        status="insufficient_data",
        dose=None,
        gaps=[{"field": "labs.bilirubin", "effect": "not recorded"}],
    )
    with pytest.raises(InputInvalid) as caught:
        check_decision(plan, _decide(plan, regimen=option["regimen"]))
    words = " ".join(p.message for p in caught.value.problems)
    assert "no dose until bilirubin is recorded" in words
    assert "labs.bilirubin" not in words  # the field in words, never its path
