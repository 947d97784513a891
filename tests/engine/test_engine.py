"""The plan document: contract keys, appropriateness of systemic therapy, alerts, gaps, CLI."""

from __future__ import annotations

import json

import pytest

from planner import cli
from planner.services import case_commands

CONTRACT_KEYS = {
    "schema", "rules_version", "labels", "subtype", "hepatic", "body", "systemic_therapy",
    "options", "avoid", "supportive", "referrals", "alerts", "follow_up", "gaps",
}  # fmt: skip
DRUG_KEYS = {"drug", "status", "standard_dose", "dose", "percent_of_standard", "schedule", "basis"}
STATUSES = {
    "standard",
    "reduced",
    "caution",
    "not_recommended",
    "contraindicated",
    "insufficient_data",
}


def test_plan_has_the_contract_shape(plan_of, example_raw, rules):
    plan = plan_of(example_raw)
    assert set(plan) >= CONTRACT_KEYS
    assert plan["schema"] == "planner.plan/1"
    assert plan["rules_version"] == rules.version
    assert plan["labels"] == "us"
    assert {"group", "hr_positive", "er_low", "her2"} <= set(plan["subtype"])
    assert {"odwg", "bilirubin_x_uln", "ast_x_uln", "child_pugh", "albi", "visceral_crisis"} <= set(
        plan["hepatic"]
    )
    assert plan["hepatic"]["odwg"] == "moderate"
    assert plan["hepatic"]["child_pugh"]["class"] == "B"
    assert {"bsa_m2", "crcl_ml_min"} <= set(plan["body"])
    assert plan["body"]["bsa_m2"] == pytest.approx(1.55, abs=0.01)
    assert {"appropriate", "warnings"} <= set(plan["systemic_therapy"])
    # supportive, referrals and next_review_days: planner.domain.supportive (tests/supportive)
    assert all(
        {"domain", "problem", "severity", "interventions", "basis"} <= set(i)
        for i in plan["supportive"]
    )
    assert all({"service", "urgency", "reasons", "basis"} <= set(r) for r in plan["referrals"])
    assert set(plan["follow_up"]) >= {"next_review_days", "monitoring"}
    assert all(isinstance(m, str) for m in plan["follow_up"]["monitoring"])
    for entry in plan["follow_up"]["monitoring_basis"]:
        assert entry["basis"]
        assert entry["item"] in plan["follow_up"]["monitoring"]
    for option in plan["options"]:
        assert {"regimen", "rank", "line", "drugs", "basis"} <= set(option)
        assert option["basis"]
        for drug in option["drugs"]:
            assert set(drug) >= DRUG_KEYS
            assert drug["status"] in STATUSES
            if drug["status"] in ("not_recommended", "contraindicated", "insufficient_data"):
                assert drug["dose"] is None
    for gap in plan["gaps"]:
        assert set(gap) == {"field", "effect"}
    for alert in plan["alerts"]:
        assert alert["level"] in ("critical", "warning", "info")
    json.dumps(plan, allow_nan=False)  # plain JSON


def test_example_is_appropriate_and_monitors_glucose(plan_of, example_raw):
    plan = plan_of(example_raw)
    assert plan["systemic_therapy"]["appropriate"] is True
    monitoring = " ".join(plan["follow_up"]["monitoring"])
    assert "glucose" in monitoring
    assert "Liver tests" in monitoring


def test_ecog_3_is_not_appropriate_but_options_are_listed_and_marked(plan_of, example_raw):
    example_raw["clinical"]["ecog"] = 3
    plan = plan_of(example_raw)
    therapy = plan["systemic_therapy"]
    assert therapy["appropriate"] is False
    assert [r["code"] for r in therapy["not_appropriate_because"]] == ["ecog_3_4"]
    assert therapy["not_appropriate_because"][0]["basis"]
    assert plan["options"]
    assert all(o["not_appropriate"] for o in plan["options"])
    assert plan["options"][0]["regimen"] in (
        "capivasertib_fulvestrant",
        "alpelisib_fulvestrant",
        "everolimus_exemestane",
    )


def test_ecog_2_is_a_warning_only(plan_of, example_raw):
    example_raw["clinical"]["ecog"] = 2
    therapy = plan_of(example_raw)["systemic_therapy"]
    assert therapy["appropriate"] is True
    assert any("trial populations" in w for w in therapy["warnings"])


def test_end_of_life_by_pps(plan_of, example_raw):
    example_raw["function"]["pps_percent"] = 30
    example_raw["clinical"]["surprise_question_no"] = True
    therapy = plan_of(example_raw)["systemic_therapy"]
    assert therapy["appropriate"] is False
    reason = therapy["not_appropriate_because"][0]
    assert reason["code"] == "end_of_life"
    assert "surprise question" in reason["reason"]
    example_raw["function"]["pps_percent"] = 40
    therapy = plan_of(example_raw)["systemic_therapy"]
    assert therapy["appropriate"] is True
    assert any("PROG-4" in w for w in therapy["warnings"])


def test_encephalopathy_is_not_appropriate_and_alerts(plan_of, example_raw):
    example_raw["clinical"]["encephalopathy"] = "grade_3_4"
    plan = plan_of(example_raw)
    assert plan["systemic_therapy"]["appropriate"] is False
    assert "severe_hepatic_impairment" in [
        r["code"] for r in plan["systemic_therapy"]["not_appropriate_because"]
    ]
    alert = next(a for a in plan["alerts"] if a["code"] == "encephalopathy")
    assert alert["level"] == "critical"


def test_severe_hepatic_impairment_alert(plan_of, example_raw):
    example_raw["labs"]["bilirubin"]["value"] = 70  # 3.3 x ULN: ODWG severe
    plan = plan_of(example_raw)
    assert plan["hepatic"]["odwg"] == "severe"
    assert any(
        a["code"] == "severe_hepatic_impairment" and a["level"] == "critical"
        for a in plan["alerts"]
    )
    # STOP-4: hard stops per drug, best supportive care only when no agent remains usable
    therapy = plan["systemic_therapy"]
    assert therapy["appropriate"] is True
    assert any("STOP-4" in w for w in therapy["warnings"])
    assert any(
        all(d["status"] not in ("not_recommended", "contraindicated") for d in o["drugs"])
        for o in plan["options"]
    )


def test_visceral_crisis_with_ecog_2_raises_goals_of_care(
    plan_of, example_raw, set_visceral_crisis
):
    set_visceral_crisis(example_raw)
    example_raw["clinical"]["ecog"] = 2
    therapy = plan_of(example_raw)["systemic_therapy"]
    assert "visceral_crisis_poor_performance" in [
        r["code"] for r in therapy["not_appropriate_because"]
    ]


def test_patient_declining_when_every_option_is_chemotherapy(plan_of, example_raw):
    example_raw["biology"].update(
        er_percent=0, pr_percent=0, her2_ihc="0", pdl1_cps=2, gbrca="not_detected"
    )
    example_raw["disease"]["prior_therapy"] = []
    example_raw["preferences"]["declines_chemotherapy"] = True
    plan = plan_of(example_raw)
    assert plan["options"]
    assert all(o["declined_by_patient"] for o in plan["options"])
    assert "patient_declines" in [
        r["code"] for r in plan["systemic_therapy"]["not_appropriate_because"]
    ]


def test_unit_doubt_becomes_an_alert(plan_of, example_raw, checked):
    example_raw["labs"]["bilirubin"] = {"value": 35, "unit": "mg/dL", "uln": 1.2}
    doubts = checked(example_raw).doubts
    assert doubts, "the validator should doubt bilirubin 35 mg/dL"
    plan = plan_of(example_raw)
    assert any(
        a["code"] == "unit_or_range_doubt" and a["field"].startswith("labs.bilirubin")
        for a in plan["alerts"]
    )


def test_unknown_subtype_gives_no_options_and_gaps(plan_of, example_raw):
    example_raw["biology"].update(her2_ihc="2+", her2_ish=None)
    plan = plan_of(example_raw)
    assert plan["subtype"]["group"] == "unknown"
    assert plan["options"] == []
    assert "biology.her2_ish" in {g["field"] for g in plan["gaps"]}


def test_labels_are_recorded(plan_of, example_raw):
    plan = plan_of(example_raw, labels="eu")
    assert plan["labels"] == "eu"
    assert all(d["labels"] == "eu" for o in plan["options"] for d in o["drugs"])


def test_build_plan_is_deterministic(plan_of, example_raw):
    assert plan_of(example_raw) == plan_of(example_raw)


def test_make_plan_service(example_raw):
    assert (
        case_commands.make_plan(example_raw, labels="us")["options"][0]["regimen"]
        == "capivasertib_fulvestrant"
    )


def test_cli_plan_prints_json(tmp_path, example_raw, capsys):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(example_raw), encoding="utf-8")
    assert cli.main(["plan", str(path), "--labels", "eu"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["schema"] == "planner.plan/1"
    assert plan["labels"] == "eu"


def test_cli_plan_invalid_input_exits_2(tmp_path, example_raw, capsys):
    example_raw["clinical"]["ecog"] = 9
    path = tmp_path / "case.json"
    path.write_text(json.dumps(example_raw), encoding="utf-8")
    assert cli.main(["plan", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "clinical.ecog" in captured.err
    assert cli.main(["plan", str(tmp_path / "missing.json")]) == 2


def test_severe_impairment_with_a_usable_option_offers_it_not_supportive_care_alone(
    plan_of, example_raw
):
    # review rx20 F8: STOP-4 says best supportive care when NO agent remains usable. HER2+ first
    # line at bilirubin 3.3 x ULN keeps trastuzumab and pertuzumab (no hepatic restriction)
    example_raw["biology"].update(er_percent=0, pr_percent=0, her2_ihc="3+")
    example_raw["disease"]["prior_therapy"] = []  # first line
    example_raw["labs"]["bilirubin"]["value"] = 70  # 3.3 x ULN: ODWG severe
    plan = plan_of(example_raw)
    assert plan["hepatic"]["odwg"] == "severe"
    therapy = plan["systemic_therapy"]
    assert therapy["appropriate"] is True, therapy["not_appropriate_because"]
    assert any("STOP-4" in w and "severe hepatic impairment" in w for w in therapy["warnings"])
    first = plan["options"][0]
    assert {d["drug"] for d in first["drugs"]} >= {"trastuzumab", "pertuzumab"}
    assert any(
        a["code"] == "severe_hepatic_impairment" and a["level"] == "critical"
        for a in plan["alerts"]
    )
