"""The supportive part inside the whole plan (`planner plan CASE.json`)."""

from __future__ import annotations

import json

from planner import cli


def test_planner_plan_prints_the_supportive_parts(example_path, capsys):
    assert cli.main(["plan", str(example_path)]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["supportive"]
    assert plan["referrals"]
    assert {"domain", "problem", "severity", "interventions", "basis"} <= set(plan["supportive"][0])
    assert {"service", "urgency", "reasons", "basis"} <= set(plan["referrals"][0])
    assert isinstance(plan["follow_up"]["next_review_days"], int)
    assert plan["follow_up"]["monitoring"]
    codes = [a["code"] for a in plan["alerts"] if a["code"] != "unit_or_range_doubt"]
    assert len(codes) == len(set(codes)), "alerts are made in one place"
    assert "supportive" in plan["settings"]
    ppi_gaps = {g["field"] for g in plan["gaps"] if "Palliative Prognostic Index" in g["effect"]}
    assert ppi_gaps == {"clinical.edema", "clinical.dyspnea_at_rest", "clinical.delirium"}


def test_plan_alerts_come_from_the_supportive_alert_builder(rules, example_raw):
    from planner.domain.engine import build_plan
    from planner.services import case_commands

    example_raw["psychosocial"]["phq9"][8] = 1
    example_raw["clinical"]["encephalopathy"] = "grade_3_4"
    checked = case_commands.check_case(example_raw, rules)
    plan = build_plan(checked.case, checked.doubts, rules).to_json()
    codes = [a["code"] for a in plan["alerts"]]
    assert codes[0] == "suicide_risk"
    assert {"encephalopathy", "end_of_life_planning"} <= set(codes)
    assert all(a.get("basis") for a in plan["alerts"])


def test_without_instrument_tables_item9_still_alerts_and_a_gap_is_named(rules, example_raw):
    from planner.domain.hepatic import assess_liver
    from planner.domain.supportive import build_supportive
    from planner.services import case_commands

    example_raw["psychosocial"]["phq9"][8] = 2
    checked = case_commands.check_case(example_raw, rules)
    hepatic = assess_liver(checked.case, rules.limits, None, instruments=rules.instruments)
    part = build_supportive(checked.case, hepatic, (), rules.supportive).to_json()
    assert part["alerts"][0]["code"] == "suicide_risk"
    assert any(g["field"] == "rules.instruments" for g in part["gaps"])


def _pain_interventions(raw) -> list[dict]:
    from planner.services import case_commands

    plan = case_commands.make_plan(raw)
    pain = next(i for i in plan["supportive"] if i["problem"] == "pain")
    return pain["intervention_details"]


def test_missing_inr_is_not_read_as_no_bleeding_risk(example_raw):
    """Without INR, NSAIDs stay 'avoid' and the reason names the missing result."""
    example_raw["labs"]["inr"] = None
    example_raw["labs"]["bilirubin"] = {"value": 10, "unit": "umol/L", "uln": 21}
    example_raw["labs"]["albumin"] = {"value": 42, "unit": "g/L"}
    example_raw["clinical"]["ascites"] = "none"
    rows = _pain_interventions(example_raw)
    nsaid = next(r for r in rows if r["id"] == "sup.int.pain.nsaid_avoid")
    assert "INR not recorded" in json.dumps(nsaid)


def test_known_normal_coagulation_with_a_normal_liver_drops_the_nsaid_warning(example_raw):
    example_raw["labs"]["bilirubin"] = {"value": 10, "unit": "umol/L", "uln": 21}
    example_raw["labs"]["albumin"] = {"value": 42, "unit": "g/L"}
    example_raw["labs"]["inr"] = {"value": 1.0}
    example_raw["clinical"]["ascites"] = "none"
    rows = _pain_interventions(example_raw)
    assert "sup.int.pain.nsaid_avoid" not in [r["id"] for r in rows]
