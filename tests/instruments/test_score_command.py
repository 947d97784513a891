"""`planner score INSTRUMENT FILE.json`: JSON on stdout (exit 0), one line per problem (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from planner.cli import main
from planner.domain.instruments.inputs import FACT_B_REQUIRED
from planner.domain.instruments.registry import INSTRUMENTS
from planner.domain.validation import validate_case


def score(tmp_path: Path, capsys, instrument: str, document: Any) -> tuple[int, Any, list[str]]:
    path = tmp_path / "input.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    code = main(["score", instrument, str(path)])
    captured = capsys.readouterr()
    out = json.loads(captured.out) if code == 0 else captured.out
    return code, out, captured.err.splitlines()


def c30(**overrides):
    items = {f"q{n}": 2 for n in range(1, 31)}
    items.update(overrides)
    return items


VALID: dict[str, Any] = {
    "qlq_c30": c30(),
    "qlq_br23": {f"q{n}": 1 for n in range(31, 54)},
    "fact_b": dict.fromkeys(FACT_B_REQUIRED, 2),
    "esas_r": {
        "pain": 6,
        "tiredness": 5,
        "drowsiness": 2,
        "nausea": 3,
        "lack_of_appetite": 7,
        "shortness_of_breath": 1,
        "depression": 4,
        "anxiety": 5,
        "wellbeing": 5,
        "other": {"name": "itch", "score": 6},
    },
    "phq9": {"items": [1, 2, 1, 2, 1, 1, 0, 0, 0]},
    "phq2": {"items": [1, 2]},
    "gad7": {"items": [1, 2, 1, 1, 0, 1, 0]},
    "hads": {"items": [1] * 14},
    "distress_thermometer": {"score": 7, "problems": ["practical", "family"]},
    "must": {
        "height_cm": 160,
        "weight_kg": 54.0,
        "weight_3_to_6_months_ago_kg": 60.0,
        "acutely_ill_no_intake_5_days": False,
    },
    "pgsga_sf": {
        "weight_kg": 47.5,
        "weight_1_month_ago_kg": 50,
        "weight_decreased_past_2_weeks": True,
        "intake_vs_usual": "less_than_usual",
        "intake_type": "little_solid_food",
        "symptoms": ["no_appetite", "nausea"],
        "activity": "not_normal_but_up",
    },
    "nrs2002": {
        "age": 72,
        "height_cm": 160,
        "weight_kg": 60,
        "impaired_general_condition": False,
        "weight_loss_percent": 6,
        "weight_loss_months": 2,
        "intake_percent_of_requirement": 80,
        "disease_severity": "mild",
    },
    "glim": {
        "age": 60,
        "height_cm": 160,
        "weight_kg": 54,
        "weight_loss_percent_within_6_months": 10,
        "inflammation": True,
    },
    "cachexia": {"weight_loss_percent_6_months": 10, "refractory_features": False},
    "performance": {"ecog": 1, "kps": 70},
    "child_pugh": {
        "bilirubin": {"value": 3, "unit": "mg/dL"},
        "albumin": {"value": 3.1, "unit": "g/dL"},
        "inr": 1.2,
        "ascites": "none",
        "encephalopathy": "none",
    },
    "albi": {
        "bilirubin": {"value": 1.2, "unit": "mg/dL"},
        "albumin": {"value": 3.5, "unit": "g/dL"},
    },
    "meld": {
        "bilirubin": {"value": 2.0, "unit": "mg/dL"},
        "inr": 1.5,
        "creatinine": {"value": 1.2, "unit": "mg/dL"},
        "sodium": 130,
        "albumin": {"value": 3.0, "unit": "g/dL"},
        "sex": "female",
        "dialysis": False,
    },
    "odwg": {
        "bilirubin": {"value": 3.6, "unit": "mg/dL", "uln": 1.2},
        "ast": {"value": 88, "unit": "U/L", "uln": 40},
    },
    "bsa": {"height_cm": 160, "weight_kg": 54},
    "crcl": {
        "age": 58,
        "sex": "female",
        "weight_kg": 54,
        "creatinine": {"value": 70, "unit": "umol/L"},
    },
    "ckd_epi": {"age": 58, "sex": "female", "creatinine": {"value": 0.7, "unit": "mg/dL"}},
    "calvert": {"target_auc": 5, "gfr_ml_min": 140, "gfr_estimated": True},
    "ppi": {
        "pps_percent": 40,
        "oral_intake": "severely_reduced",
        "edema": True,
        "dyspnea_at_rest": False,
        "delirium": False,
    },
    "pap": {
        "dyspnea": True,
        "anorexia": True,
        "kps": 50,
        "clinical_prediction_weeks": 5,
        "wbc_per_mm3": 9000,
        "lymphocyte_percent": 15,
    },
}


def test_every_instrument_has_a_valid_example():
    assert set(VALID) == set(INSTRUMENTS)


@pytest.mark.parametrize("instrument", sorted(VALID))
def test_valid_input_prints_result_json(tmp_path, capsys, instrument):
    code, out, err = score(tmp_path, capsys, instrument, VALID[instrument])
    assert code == 0, err
    assert out["instrument"] == instrument
    assert out["version"]
    assert out["missing_rule"]
    assert isinstance(out["basis"], list)
    assert isinstance(out["unverified"], list)


def test_known_answers_through_the_command(tmp_path, capsys):
    assert score(tmp_path, capsys, "qlq_c30", c30())[1]["PF"] == 66.67
    assert (
        score(tmp_path, capsys, "child_pugh", VALID["child_pugh"])[1]["points"] == 7
    )  # 3 mg/dL -> 2
    albi = score(tmp_path, capsys, "albi", VALID["albi"])[1]
    assert (albi["score"], albi["grade"]) == (-2.11, 2)
    assert score(tmp_path, capsys, "odwg", VALID["odwg"])[1]["category"] == "moderate"
    bsa = score(tmp_path, capsys, "bsa", VALID["bsa"])[1]
    assert (bsa["mosteller"], bsa["dubois"]) == (1.55, 1.55)
    assert score(tmp_path, capsys, "crcl", VALID["crcl"])[1]["ml_min"] == 66.02
    meld = score(tmp_path, capsys, "meld", VALID["meld"])[1]
    assert (meld["meld"], meld["meld_na"], meld["meld_3"]) == (15, 21, 22)
    assert score(tmp_path, capsys, "pap", VALID["pap"])[1]["group"] == "B"
    must = score(tmp_path, capsys, "must", VALID["must"])[1]
    assert (must["score"], must["risk"]) == (1, "medium")  # BMI 21.1 -> 0, loss 10 % -> 1, + 0
    assert score(tmp_path, capsys, "distress_thermometer", VALID["distress_thermometer"])[1][
        "positive"
    ]


def test_out_of_range_item_is_named_and_never_clamped(tmp_path, capsys):
    code, _, err = score(tmp_path, capsys, "qlq_br23", {**VALID["qlq_br23"], "q31": 5})
    assert code == 2
    assert err == ["q31: 5 is outside the response range 1–4"]


def test_wrong_item_count_and_unknown_codes(tmp_path, capsys):
    code, _, err = score(tmp_path, capsys, "phq9", {"items": [1, 2, 3]})
    assert code == 2
    assert err == ["items: has 3 items; exactly 9 are needed"]
    code, _, err = score(tmp_path, capsys, "fact_b", {**VALID["fact_b"], "GX1": 2})
    assert code == 2
    assert err == ["GX1: is not an item of this instrument"]
    code, _, err = score(tmp_path, capsys, "qlq_c30", {k: v for k, v in c30().items() if k != "q7"})
    assert code == 2
    assert err == ["q7: is missing (give null if the item was not answered)"]
    code, _, err = score(tmp_path, capsys, "phq9", {"items": [1, 2, 1, 4, 1, 1, 0, 0, 0]})
    assert code == 2
    assert err == ["items[3]: 4 is outside 0–3"]


def test_calculator_input_problems(tmp_path, capsys):
    code, _, err = score(tmp_path, capsys, "odwg", {"bilirubin": {"value": 30, "unit": "umol/L"}})
    assert code == 2
    assert err == ["bilirubin.uln: is required (ratios use the lab's ULN)"]
    code, _, err = score(tmp_path, capsys, "ppi", {**VALID["ppi"], "pps_percent": 45})
    assert code == 2
    assert err == ["pps_percent: 45 is not a multiple of 10"]
    code, _, err = score(tmp_path, capsys, "meld", {**VALID["meld"], "inr": 50})
    assert code == 2
    assert err[0].startswith("inr: 50 is outside the possible range")
    code, _, err = score(
        tmp_path,
        capsys,
        "pgsga_sf",
        {**VALID["pgsga_sf"], "symptoms": ["no_problems_eating", "pain"]},
    )
    assert code == 2
    assert err == ["symptoms: no_problems_eating cannot be listed together with a symptom"]


def test_unknown_instrument(tmp_path, capsys):
    code, _, err = score(tmp_path, capsys, "qlq_c31", {})
    assert code == 2
    assert err[0].startswith('INSTRUMENT: "qlq_c31" is not one of')


def test_case_nutrition_shapes_match_the_score_shapes(example_raw, limits):
    """The case carries MUST / PG-SGA without height and weight (they come from body)."""
    must = {k: v for k, v in VALID["must"].items() if k not in {"height_cm", "weight_kg"}}
    pgsga = {k: v for k, v in VALID["pgsga_sf"].items() if k != "weight_kg"}
    example_raw["nutrition"] = {"intake": "less_than_usual", "pgsga_sf": pgsga, "must": must}
    case, _ = validate_case(example_raw, limits)
    assert case.nutrition.must["weight_3_to_6_months_ago_kg"] == 60.0
    assert case.nutrition.pgsga_sf["activity"] == "not_normal_but_up"
