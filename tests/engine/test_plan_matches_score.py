"""One formula each: the plan's liver and body numbers are the `planner score` numbers.

The engine's assessments (planner.domain.hepatic / kidney / body) call the instrument
calculators; this property test holds them to it for any plausible case.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from planner.domain.problems import InputInvalid
from planner.services import case_commands

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "example.json"
BASE: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))

labs = st.fixed_dictionaries(
    {
        "bilirubin": st.floats(3, 300),
        "bilirubin_uln": st.floats(15, 25),
        "albumin": st.floats(15, 55),
        "inr": st.floats(0.8, 4.0),
        "ast": st.floats(8, 600),
        "creatinine": st.floats(30, 400),
        "height": st.floats(140, 200),
        "weight": st.floats(35, 150),
        "ascites": st.sampled_from(["none", "mild", "moderate_severe"]),
        "encephalopathy": st.sampled_from(["none", "grade_1_2", "grade_3_4"]),
    }
)


def _case(v: dict[str, Any]) -> dict[str, Any]:
    raw = copy.deepcopy(BASE)
    raw["labs"]["bilirubin"] = {
        "value": v["bilirubin"],
        "unit": "umol/L",
        "uln": v["bilirubin_uln"],
    }
    raw["labs"]["albumin"] = {"value": v["albumin"], "unit": "g/L"}
    raw["labs"]["inr"] = {"value": v["inr"]}
    raw["labs"]["ast"] = {"value": v["ast"], "unit": "U/L", "uln": 40}
    raw["labs"]["creatinine"] = {"value": v["creatinine"], "unit": "umol/L"}
    raw["body"]["height_cm"] = v["height"]
    raw["body"]["weight_kg"] = v["weight"]
    raw["clinical"]["ascites"] = v["ascites"]
    raw["clinical"]["encephalopathy"] = v["encephalopathy"]
    return raw


def _two(x: float) -> float:
    return round(x, 2)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(v=labs)
def test_plan_hepatic_and_body_numbers_equal_the_score_command(v):
    raw = _case(v)
    try:
        checked = case_commands.check_case(raw)
    except InputInvalid:
        assume(False)
    assume(not checked.doubts)
    plan = case_commands.make_plan(raw)
    hepatic, body = plan["hepatic"], plan["body"]
    lab = raw["labs"]

    child = case_commands.score_instrument(
        "child_pugh",
        {
            "bilirubin": {"value": v["bilirubin"], "unit": "umol/L"},
            "albumin": {"value": v["albumin"], "unit": "g/L"},
            "inr": v["inr"],
            "ascites": v["ascites"],
            "encephalopathy": v["encephalopathy"],
        },
    )
    assert hepatic["child_pugh"] == {"points": child["points"], "class": child["class"]}

    albi = case_commands.score_instrument(
        "albi", {"bilirubin": lab["bilirubin"], "albumin": lab["albumin"]}
    )
    assert _two(hepatic["albi"]["score"]) == albi["score"]
    assert hepatic["albi"]["grade"] == albi["grade"]

    odwg = case_commands.score_instrument(
        "odwg", {"bilirubin": lab["bilirubin"], "ast": lab["ast"]}
    )
    assert hepatic["odwg"] == odwg["category"]

    bsa = case_commands.score_instrument(
        "bsa", {"height_cm": v["height"], "weight_kg": v["weight"]}
    )
    assert _two(body["bsa_m2"]) == bsa["mosteller"]
    assert _two(body["bmi"]) == bsa["bmi"]

    age = checked.case.age_years()
    crcl = case_commands.score_instrument(
        "crcl",
        {
            "age": age,
            "sex": raw["patient"]["sex"],
            "weight_kg": v["weight"],
            "creatinine": lab["creatinine"],
        },
    )
    assert _two(body["crcl_ml_min"]) == crcl["ml_min"]
