"""Known answers at and around every band edge of the liver, kidney and body assessments."""

from __future__ import annotations

import math
from typing import Any

import pytest

from planner.domain.body import assess_body
from planner.domain.hepatic import assess_liver
from planner.domain.instruments import liver_scores
from planner.domain.instruments.kidney_equations import cockcroft_gault
from planner.domain.instruments.tables import BandSet
from planner.domain.kidney import assess_kidney
from planner.domain.settings import ClinicSettings
from planner.services.case_commands import check_case


def _liver(rules: Any, raw: dict[str, Any], settings: ClinicSettings | None = None):
    checked = check_case(raw, rules)
    return assess_liver(
        checked.case, rules.limits, settings, checked.doubts, instruments=rules.instruments
    )


def _bili(raw: dict[str, Any], value: float, unit: str = "umol/L", uln: float | None = 21) -> None:
    result: dict[str, Any] = {"value": value, "unit": unit}
    if uln is not None:
        result["uln"] = uln
    raw["labs"]["bilirubin"] = result


def test_contract_example(rules, example_raw):
    hepatic = _liver(rules, example_raw)
    assert hepatic.odwg == "moderate"
    assert hepatic.bilirubin_x_uln == pytest.approx(1.67, abs=0.005)
    assert hepatic.ast_x_uln == pytest.approx(2.2)
    assert hepatic.child_pugh is not None
    assert hepatic.child_pugh.to_json() == {"points": 7, "class": "B"}
    assert hepatic.albi is not None
    assert hepatic.albi.score == pytest.approx(-1.62, abs=0.005)
    assert hepatic.albi.grade == 2
    block = hepatic.to_json()
    assert set(block) >= {
        "odwg",
        "bilirubin_x_uln",
        "ast_x_uln",
        "child_pugh",
        "albi",
        "visceral_crisis",
    }


@pytest.mark.parametrize(
    ("bili", "ast", "expected"),
    [
        (1.0, 1.0, {"normal"}),
        (1.0, 1.01, {"mild"}),
        (0.5, None, {"normal", "mild"}),
        (1.01, None, {"mild"}),
        (1.5, 0.5, {"mild"}),
        (1.51, 0.5, {"moderate"}),
        (2.5, 4.0, {"moderate"}),  # bilirubin decides before AST (pitfall LIV-ODWG-3)
        (3.0, None, {"moderate"}),
        (3.01, None, {"severe"}),
        (None, 5.0, {"normal", "mild", "moderate", "severe"}),
    ],
)
def test_odwg_edges(rules, bili, ast, expected):
    assert liver_scores.odwg_candidates(bili, ast, rules.instruments) == frozenset(expected)


@pytest.mark.parametrize(
    ("value", "category"), [(31.5, "mild"), (31.6, "moderate"), (63, "moderate"), (63.1, "severe")]
)
def test_odwg_from_case_at_edges(rules, example_raw, value, category):
    _bili(example_raw, value)
    assert _liver(rules, example_raw).odwg == category


def test_odwg_unknown_without_uln_and_clinic_default_fills_it(rules, example_raw):
    _bili(example_raw, 35, uln=None)
    hepatic = _liver(rules, example_raw)
    assert hepatic.odwg == "unknown"
    assert hepatic.bilirubin_x_uln is None
    assert any(g.field == "labs.bilirubin.uln" for g in hepatic.gaps)
    with_default = _liver(rules, example_raw, ClinicSettings(lab_uln={"bilirubin": 21.0}))
    assert with_default.odwg == "moderate"
    assert with_default.tests["bilirubin"].uln_from == "clinic"
    assert any("clinic default" in w for w in with_default.warnings)


@pytest.mark.parametrize(
    ("test", "x", "grade"),
    [
        ("bilirubin", 1.0, 0),
        ("bilirubin", 1.5, 1),
        ("bilirubin", 1.51, 2),
        ("bilirubin", 3.0, 2),
        ("bilirubin", 10.0, 3),
        ("bilirubin", 10.01, 4),
        ("ast", 3.0, 1),
        ("ast", 3.01, 2),
        ("alt", 5.0, 2),
        ("alt", 20.0, 3),
        ("alt", 20.01, 4),
        ("alp", 2.5, 1),
        ("alp", 2.51, 2),
    ],
)
def test_ctcae_edges(rules, test, x, grade):
    assert liver_scores.ctcae_grade(test, x, rules.instruments) == grade


@pytest.mark.parametrize(
    ("bilirubin_umol", "points_from_bilirubin"),
    [(34.1, 1), (34.2, 2), (51.3, 2), (51.4, 3)],
)
def test_child_pugh_bilirubin_edges(rules, example_raw, bilirubin_umol, points_from_bilirubin):
    _bili(example_raw, bilirubin_umol)
    example_raw["labs"]["albumin"] = {"value": 40, "unit": "g/L"}
    hepatic = _liver(rules, example_raw)
    assert hepatic.child_pugh is not None
    assert hepatic.child_pugh.points == 4 + points_from_bilirubin


@pytest.mark.parametrize(
    ("albumin", "variant", "points"),
    [
        (35.1, "pugh_1973", 1),
        (35, "pugh_1973", 2),
        (28, "pugh_1973", 2),
        (27.9, "pugh_1973", 3),
        (30, "harrison", 2),
        (29.9, "harrison", 3),
    ],
)
def test_child_pugh_albumin_variants(rules, example_raw, albumin, variant, points):
    _bili(example_raw, 10)
    example_raw["labs"]["albumin"] = {"value": albumin, "unit": "g/L"}
    settings = ClinicSettings(instrument_choices={"child_pugh_albumin": variant})
    hepatic = _liver(rules, example_raw, settings)
    assert hepatic.child_pugh is not None
    assert hepatic.child_pugh.points == 4 + points
    assert hepatic.child_pugh.albumin_option == variant
    assert hepatic.child_pugh.albumin_variant == {"pugh_1973": "2.8", "harrison": "3.0"}[variant]


@pytest.mark.parametrize(("inr", "points"), [(1.69, 1), (1.7, 2), (2.3, 2), (2.31, 3)])
def test_child_pugh_inr_edges(rules, example_raw, inr, points):
    _bili(example_raw, 10)
    example_raw["labs"]["albumin"] = {"value": 40, "unit": "g/L"}
    example_raw["labs"]["inr"] = {"value": inr}
    hepatic = _liver(rules, example_raw)
    assert hepatic.child_pugh is not None
    assert hepatic.child_pugh.points == 4 + points


@pytest.mark.parametrize(
    ("points", "cls"), [(5, "A"), (6, "A"), (7, "B"), (9, "B"), (10, "C"), (15, "C")]
)
def test_child_pugh_classes(rules, points, cls):
    classes = rules.instruments.get(liver_scores.CP_CLASS, BandSet)
    assert classes.find(points).shown() == cls


def test_child_pugh_missing_item_is_null_with_gap_and_candidates(rules, example_raw):
    del example_raw["labs"]["inr"]
    hepatic = _liver(rules, example_raw)
    assert hepatic.child_pugh is None
    assert hepatic.to_json()["child_pugh"] is None
    assert any(g.field == "labs.inr" for g in hepatic.gaps)
    # bilirubin 2 + albumin 2 + ascites 1 + encephalopathy 1 = 6, INR 1-3 -> 7-9
    assert hepatic.child_pugh_classes == frozenset({"B"})


def test_albi_known_answer(rules, example_raw):
    # instruments.md §7.2: albumin 3.5 g/dL, bilirubin 1.2 mg/dL -> -2.11, grade 2
    example_raw["labs"]["bilirubin"] = {"value": 1.2, "unit": "mg/dL", "uln": 1.2}
    example_raw["labs"]["albumin"] = {"value": 3.5, "unit": "g/dL"}
    hepatic = _liver(rules, example_raw)
    assert hepatic.albi is not None
    assert hepatic.albi.score == pytest.approx(-2.11, abs=0.005)
    assert hepatic.albi.grade == 2


@pytest.mark.parametrize(("score", "grade"), [(-2.60, 1), (-2.59, 2), (-1.39, 2), (-1.38, 3)])
def test_albi_grade_edges(rules, score, grade):
    grades = rules.instruments.get(liver_scores.ALBI_GRADE, BandSet)
    assert grades.find(score).value == grade


def test_same_case_in_mg_dl_and_umol_l_gives_same_assessment(rules, example_raw):
    example_raw["labs"]["bilirubin"] = {"value": 2.0, "unit": "mg/dL", "uln": 1.2}
    example_raw["labs"]["albumin"] = {"value": 3.1, "unit": "g/dL"}
    a = _liver(rules, example_raw)
    example_raw["labs"]["bilirubin"] = {"value": 34.2, "unit": "umol/L", "uln": 20.52}
    example_raw["labs"]["albumin"] = {"value": 31, "unit": "g/L"}
    b = _liver(rules, example_raw)
    assert a.odwg == b.odwg
    assert a.bilirubin_x_uln == b.bilirubin_x_uln
    assert a.child_pugh == b.child_pugh
    assert a.albi is not None
    assert b.albi is not None
    assert a.albi.score == pytest.approx(b.albi.score)


# ---- visceral crisis ------------------------------------------------------------------------


def _with_previous(raw: dict[str, Any], value: float, drawn_on: str = "2026-11-12") -> None:
    raw["previous_labs"] = [
        {"drawn_on": drawn_on, "bilirubin": {"value": value, "unit": "umol/L", "uln": 21}}
    ]


def test_visceral_crisis_yes_when_rising_fast_and_causes_excluded(rules, example_raw):
    _with_previous(example_raw, 25)
    assert _liver(rules, example_raw).visceral_crisis == "yes"


def test_visceral_crisis_at_exactly_1_5_uln_is_not_yes(rules, example_raw):
    _bili(example_raw, 31.5)
    _with_previous(example_raw, 25)
    assert _liver(rules, example_raw).visceral_crisis == "watch"  # > ULN and rising


def test_visceral_crisis_watch_without_earlier_result(rules, example_raw):
    hepatic = _liver(rules, example_raw)
    assert hepatic.visceral_crisis == "watch"
    assert any(g.field == "previous_labs" for g in hepatic.gaps)


def test_visceral_crisis_watch_when_rise_is_slow(rules, example_raw):
    _with_previous(example_raw, 25, drawn_on="2026-10-01")
    assert _liver(rules, example_raw).visceral_crisis == "watch"


def test_visceral_crisis_watch_when_obstruction_not_recorded(rules, example_raw):
    _with_previous(example_raw, 25)
    example_raw["disease"]["biliary_obstruction"] = None
    hepatic = _liver(rules, example_raw)
    assert hepatic.visceral_crisis == "watch"
    assert any(g.field == "disease.biliary_obstruction" for g in hepatic.gaps)


@pytest.mark.parametrize("cause", ["biliary_obstruction", "gilbert_syndrome"])
def test_visceral_crisis_excluded_by_obstruction_or_gilbert(rules, example_raw, cause):
    _with_previous(example_raw, 25)
    example_raw["disease"][cause] = True
    example_raw["labs"]["ast"] = {"value": 50, "unit": "U/L", "uln": 40}
    example_raw["labs"]["alt"] = {"value": 50, "unit": "U/L", "uln": 45}
    hepatic = _liver(rules, example_raw)
    assert hepatic.visceral_crisis == "no"
    assert any("not counted as visceral crisis" in w for w in hepatic.warnings)


def test_visceral_crisis_no_when_falling_and_below_alternative_thresholds(rules, example_raw):
    _bili(example_raw, 18)
    _with_previous(example_raw, 25)
    assert _liver(rules, example_raw).visceral_crisis == "no"


def test_visceral_crisis_unknown_without_bilirubin(rules, example_raw):
    del example_raw["labs"]["bilirubin"]
    assert _liver(rules, example_raw).visceral_crisis == "unknown"


# ---- kidney and body ------------------------------------------------------------------------


def test_cockcroft_gault_contract_example(rules, example_raw):
    checked = check_case(example_raw, rules)
    kidney = assess_kidney(
        checked.case, rules.limits, checked.doubts, instruments=rules.instruments
    )
    assert kidney.crcl_ml_min == pytest.approx(66.0, abs=0.05)
    assert kidney.formula == "cockcroft_gault_actual_weight"


def test_cockcroft_gault_formula_and_sex_factor(rules):
    male = cockcroft_gault(60, "male", 72, 1.0, rules.instruments)
    assert male == pytest.approx(80.0)
    assert cockcroft_gault(60, "female", 72, 1.0, rules.instruments) == pytest.approx(68.0)


def test_creatinine_units_agree(rules, example_raw):
    checked = check_case(example_raw, rules)
    a = assess_kidney(checked.case, rules.limits, instruments=rules.instruments).crcl_ml_min
    example_raw["labs"]["creatinine"] = {"value": 70 / 88.4, "unit": "mg/dL"}
    checked = check_case(example_raw, rules)
    b = assess_kidney(checked.case, rules.limits, instruments=rules.instruments).crcl_ml_min
    assert a == pytest.approx(b)


def test_kidney_gaps(rules, example_raw):
    del example_raw["labs"]["creatinine"]
    example_raw["patient"]["sex"] = None
    checked = check_case(example_raw, rules)
    kidney = assess_kidney(checked.case, rules.limits, instruments=rules.instruments)
    assert kidney.crcl_ml_min is None
    assert {g.field for g in kidney.gaps} == {"labs.creatinine", "patient.sex"}


def test_body_mosteller_and_bmi(rules, example_raw):
    body = assess_body(check_case(example_raw, rules).case, instruments=rules.instruments)
    assert body.bsa_m2 == pytest.approx(math.sqrt(160 * 54 / 3600))
    assert body.bsa_m2 == pytest.approx(1.55, abs=0.005)
    assert body.bsa_formula == "mosteller"
    assert body.bmi == pytest.approx(54 / 1.6**2)
    assert body.weight_change_6_months_percent == pytest.approx(-10.0)


def test_body_gaps(rules, example_raw):
    example_raw["body"]["height_cm"] = None
    body = assess_body(check_case(example_raw, rules).case, instruments=rules.instruments)
    assert body.bsa_m2 is None
    assert [g.field for g in body.gaps] == ["body.height_cm"]


def test_the_clinic_default_uln_is_said_in_the_unit_of_the_result(rules, example_raw):
    """Walk 16d: a mg/dL clinic's own 1.2 mg/dL default ULN was shown as "20.52 µmol/L"."""
    example_raw["labs"]["bilirubin"] = {"value": 2.6, "unit": "mg/dL", "uln": None}
    hepatic = _liver(rules, example_raw, ClinicSettings(lab_uln={"bilirubin": 20.52}))
    assert any("the clinic default, 1.2 mg/dL, was used" in w for w in hepatic.warnings)
    assert hepatic.tests["bilirubin"].x_uln == pytest.approx(2.6 / 1.2, rel=1e-6)
