"""Bevacizumab (blood pressure, proteinuria) and cisplatin (a repeat course waits for creatinine,
counts and hearing): the two regimen drugs that used to give insufficient_data every time, for
want of case fields (bevacizumab) or of a table (cisplatin). Known answers from the labels at and
around each threshold, and the new case fields' errors naming the field."""

from __future__ import annotations

import json

import pytest

from planner.domain.problems import InputInvalid
from planner.domain.validation import validate_case

BEV = {"paclitaxel": (90, 90, "mg/m2"), "bevacizumab": (10, 10, "mg/kg")}
CIS = {"cisplatin": (75, 75, "mg/m2")}


def drug(found, name):
    return next(d for d in found["drugs"] if d["drug"] == name)


@pytest.fixture
def bev(rules, case_on):
    from planner.domain.engine import build_plan

    def run(bp=(130, 80), dipstick="negative", protein=None, **kw):
        raw = case_on("paclitaxel_bevacizumab", BEV, **kw)
        if bp is not None:
            raw["clinical"]["systolic_bp_mmhg"], raw["clinical"]["diastolic_bp_mmhg"] = bp
        if dipstick is not None:
            raw["clinical"]["urine_dipstick_protein"] = dipstick
        if protein is not None:
            raw["labs"]["urine_protein_24h"] = protein
        case, doubts = validate_case(json.loads(json.dumps(raw)), rules.limits)
        # the EU label set: the US one gives bevacizumab no breast-cancer dose at all
        plan = build_plan(case, doubts, rules, labels="eu").to_json()
        return {**plan["next_cycle"], "plan": plan}

    return run


def g24(value, unit="g/24h"):
    return {"value": value, "unit": unit}


# ---- bevacizumab: blood pressure ----


@pytest.mark.parametrize(
    ("bp", "action"),
    [
        ((159, 99), "continue"),
        ((160, 80), "hold"),  # CTCAE grade 3 systolic edge
        ((150, 100), "hold"),  # diastolic edge
        ((140, 90), "continue"),
        ((200, 120), "hold"),
    ],
)
def test_bevacizumab_blood_pressure(bev, bp, action):
    found = bev(bp=bp)
    bevacizumab = drug(found, "bevacizumab")
    assert bevacizumab["action"] == action
    assert bevacizumab["dose"] == {"value": 10, "unit": "mg/kg"}  # no dose reduction, ever
    assert drug(found, "paclitaxel")["action"] == "continue"  # its own table decides it
    if action == "hold":
        assert found["decision"] == "delay"
        assert any("not controlled with medical management" in r for r in bevacizumab["reasons"])
        assert any("blood pressure controlled" in w for w in found["resume_when"])


def test_bevacizumab_without_blood_pressure_is_a_gap_naming_the_field(bev):
    found = bev(bp=None)
    assert found["decision"] == "insufficient_data"
    assert {"clinical.systolic_bp_mmhg", "clinical.diastolic_bp_mmhg"} <= {
        g["field"] for g in found["plan"]["gaps"]
    }
    assert all(d["dose"] is None for d in found["drugs"])


# ---- bevacizumab: proteinuria ----


@pytest.mark.parametrize(
    ("dipstick", "protein", "action"),
    [
        ("negative", None, "continue"),
        ("1+", None, "continue"),  # below 2+: no 24-hour collection needed
        ("2+", g24(1.99), "continue"),
        ("2+", g24(2.0), "hold"),  # the label's edge: 2 g or more
        ("3+", g24(2500, "mg/24h"), "hold"),
        ("trace", g24(2.1), "hold"),  # the 24-hour result decides over the dipstick
        ("2+", None, "insufficient_data"),  # 2+ needs a 24-hour urine protein
        (None, None, "insufficient_data"),  # no urine check at all
        (None, g24(1.0), "continue"),  # a 24-hour result below 2 g is enough
    ],
)
def test_bevacizumab_proteinuria(bev, dipstick, protein, action):
    found = bev(dipstick=dipstick, protein=protein)
    assert drug(found, "bevacizumab")["action"] == action
    if action == "insufficient_data":
        fields = {g["field"] for g in found["plan"]["gaps"]}
        wanted = "labs.urine_protein_24h" if dipstick else "clinical.urine_dipstick_protein"
        assert wanted in fields
        assert all(d["dose"] is None for d in found["drugs"])
    if action == "hold":
        assert "urine protein below 2 g per 24 hours" in " ".join(found["resume_when"])


def test_bevacizumab_names_what_only_the_clinician_can_check(bev):
    reasons = drug(bev(), "bevacizumab")["reasons"]
    assert any("hypertensive crisis" in r and "nephrotic syndrome" in r for r in reasons)


def test_worse_blood_pressure_never_gives_an_earlier_cycle(bev):
    order = {"continue": 0, "hold": 1}
    seen = [order[drug(bev(bp=(s, 70)), "bevacizumab")["action"]] for s in (120, 159, 160, 190)]
    assert seen == sorted(seen)
    protein = [
        order[drug(bev(dipstick="3+", protein=g24(v)), "bevacizumab")["action"]]
        for v in (0.5, 1.99, 2.0, 6.0)
    ]
    assert protein == sorted(protein)


# ---- the new case fields ----


@pytest.mark.parametrize(
    ("where", "value", "field"),
    [
        ("systolic_bp_mmhg", 400, "clinical.systolic_bp_mmhg"),
        ("diastolic_bp_mmhg", 5, "clinical.diastolic_bp_mmhg"),
        ("urine_dipstick_protein", "++", "clinical.urine_dipstick_protein"),
    ],
)
def test_bad_clinical_fields_name_the_field(rules, case_on, where, value, field):
    raw = case_on("paclitaxel_bevacizumab", BEV)
    raw["clinical"][where] = value
    with pytest.raises(InputInvalid, match=field.replace(".", r"\.")):
        validate_case(raw, rules.limits)


@pytest.mark.parametrize(
    ("protein", "field"),
    [
        ({"value": 80, "unit": "g/24h"}, "labs.urine_protein_24h"),
        ({"value": 2, "unit": "g/L"}, "labs.urine_protein_24h.unit"),
    ],
)
def test_bad_urine_protein_names_the_field(rules, case_on, protein, field):
    raw = case_on("paclitaxel_bevacizumab", BEV, labs={"urine_protein_24h": protein})
    with pytest.raises(InputInvalid, match=field.replace(".", r"\.")):
        validate_case(raw, rules.limits)


# ---- cisplatin ----


@pytest.mark.parametrize(
    ("labs", "action"),
    [
        ({"wbc": {"value": 4.0, "unit": "10^9/L"}}, "continue"),
        ({"wbc": {"value": 3.9, "unit": "10^9/L"}}, "hold"),
        ({"wbc": {"value": 5.0, "unit": "10^9/L"}, "platelets": 100}, "continue"),
        ({"wbc": {"value": 5.0, "unit": "10^9/L"}, "platelets": 99}, "hold"),
        # creatinine 1.5 mg/dL = 132.6 µmol/L: the label waits until it is below 1.5
        ({"wbc": {"value": 5.0, "unit": "10^9/L"}, "creatinine": 132}, "continue"),
        (
            {
                "wbc": {"value": 5.0, "unit": "10^9/L"},
                "creatinine": {"value": 1.5, "unit": "mg/dL"},
            },
            "hold",
        ),
    ],
)
def test_cisplatin_repeat_course(review, labs, action):
    found = review("cisplatin", CIS, labs=labs)
    cisplatin = drug(found, "cisplatin")
    assert cisplatin["action"] == action
    assert any("audiometry" in r for r in cisplatin["reasons"])  # what the clinician checks


def test_cisplatin_without_white_cells_is_a_gap(review):
    found = review("cisplatin", CIS)  # the sample panel has no white-cell count
    assert found["decision"] == "insufficient_data"
    assert "labs.wbc" in {g["field"] for g in found["plan"]["gaps"]}
    assert drug(found, "cisplatin")["dose"] is None
