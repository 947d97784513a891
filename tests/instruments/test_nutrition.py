"""MUST, PG-SGA SF, NRS-2002, GLIM and cachexia: hand-worked answers and exact edges."""

from __future__ import annotations

import pytest

from planner.domain.instruments import nutrition as n
from planner.domain.instruments.instrument_settings import InstrumentSettings


def must(height=160.0, weight=60.0, before=60.0, acute=False):
    return n.MustInput(height, weight, before, acute)


@pytest.mark.parametrize(
    ("weight", "points"),
    [(51.3, 0), (51.2, 1), (47.36, 1), (47.3, 2)],  # 160 cm: BMI 20.04, 20.0, 18.5, 18.48
)
def test_must_bmi_edges(ir, weight, points):
    result = n.score_must(must(weight=weight, before=weight), ir)
    assert result["steps"]["bmi"] == points


@pytest.mark.parametrize(
    ("before", "now", "points"),
    [(60.0, 57.1, 0), (60.0, 57.0, 1), (100.0, 90.0, 1), (100.0, 89.9, 2), (60.0, 62.0, 0)],
)
def test_must_weight_loss_edges(ir, before, now, points):
    # 60 -> 57 is exactly 5 %, 100 -> 90 exactly 10 % (inclusive middle band); a gain scores 0
    result = n.score_must(must(height=150.0, weight=now, before=before), ir)
    assert result["steps"]["weight_loss"] == points


def test_must_totals_and_risk(ir):
    low = n.score_must(must(height=160, weight=60, before=60), ir)
    assert (low["score"], low["risk"]) == (0, "low")
    medium = n.score_must(must(height=160, weight=51.2, before=51.2), ir)
    assert (medium["score"], medium["risk"]) == (1, "medium")
    high = n.score_must(must(height=160, weight=60, before=60, acute=True), ir)
    assert (high["score"], high["risk"]) == (2, "high")
    worst = n.score_must(must(height=160, weight=45, before=55, acute=True), ir)
    assert worst["score"] == 6


def test_must_never_defaults_a_missing_step(ir):
    result = n.score_must(must(before=None), ir)
    assert result["score"] is None
    assert result["risk"] is None
    assert any("step 2" in w for w in result.warnings)
    result = n.score_must(must(acute=None), ir)
    assert result["score"] is None


def pgsga(**changes):
    base = dict(
        weight_kg=47.5,
        weight_1_month_ago_kg=50.0,
        weight_6_months_ago_kg=None,
        weight_decreased_past_2_weeks=True,
        intake_vs_usual="less_than_usual",
        intake_type="little_solid_food",
        symptoms=("no_appetite", "nausea"),
        activity="not_normal_but_up",
    )
    base.update(changes)
    return n.PgsgaInput(**base)


def test_pgsga_hand_worked(ir):
    # box 1: 5 % in 1 month -> 3, + 1 for a decrease in 2 weeks = 4; box 2 highest(1, 2) = 2;
    # box 3: no appetite 3 + nausea 1 = 4; box 4: 1. Total 11 -> critical.
    result = n.score_pgsga_sf(pgsga(), ir)
    assert (result["box1"], result["box2"], result["box3"], result["box4"]) == (4, 2, 4, 1)
    assert result["score"] == 11
    assert result["triage"] == "critical"
    assert result.settings == {"pgsga_box2": "highest"}


def test_pgsga_box2_disagreement_is_a_flagged_setting(ir):
    """Pitfall 5: sources disagree on box 2; the choice is a setting and shown as unverified."""
    summed = n.score_pgsga_sf(pgsga(), ir, InstrumentSettings.from_rules(ir, pgsga_box2="sum"))
    assert summed["box2"] == 3
    assert summed["score"] == 12
    assert "instr.pgsga.box2_sum" in summed.unverified
    assert "instr.setting.pgsga_box2" in n.score_pgsga_sf(pgsga(), ir).unverified


def test_pgsga_six_month_weight_only_without_one_month(ir):
    result = n.score_pgsga_sf(
        pgsga(
            weight_kg=54.0,
            weight_1_month_ago_kg=None,
            weight_6_months_ago_kg=60.0,
            weight_decreased_past_2_weeks=False,
        ),
        ir,
    )
    assert result["box1"] == 3  # 10 % in 6 months
    result = n.score_pgsga_sf(pgsga(weight_kg=49.0, weight_6_months_ago_kg=60.0), ir)
    assert result["box1"] == 1 + 1  # 1-month 2 % -> 1 (the 6-month loss is ignored), + 1


@pytest.mark.parametrize(
    ("symptoms", "activity", "triage"),
    [((), "normal", "no_intervention"), (("nausea",), "normal", "no_intervention")],
)
def test_pgsga_triage_low(ir, symptoms, activity, triage):
    result = n.score_pgsga_sf(
        pgsga(
            weight_kg=50.0,
            weight_decreased_past_2_weeks=False,
            intake_vs_usual="unchanged",
            intake_type=None,
            symptoms=symptoms,
            activity=activity,
        ),
        ir,
    )
    assert result["score"] <= 1
    assert result["triage"] == triage


def test_pgsga_missing_box_leaves_total_null(ir):
    result = n.score_pgsga_sf(pgsga(activity=None), ir)
    assert result["box4"] is None
    assert result["score"] is None
    assert result["triage"] is None


def nrs(**changes):
    base = dict(
        age_years=50,
        height_cm=160.0,
        weight_kg=60.0,
        impaired_general_condition=False,
        weight_loss_percent=0.0,
        weight_loss_months=None,
        intake_percent_of_requirement=100.0,
        disease_severity="mild",
    )
    base.update(changes)
    return n.Nrs2002Input(**base)


def test_nrs2002_hand_worked(ir):
    result = n.score_nrs2002(nrs(age_years=72, weight_loss_percent=6.0, weight_loss_months=2), ir)
    assert (result["nutritional_status"], result["disease_severity"], result["age_point"]) == (
        2,
        1,
        1,
    )
    assert (result["score"], result["risk"]) == (4, "at_risk")
    assert n.score_nrs2002(nrs(), ir)["risk"] == "not_at_risk"


@pytest.mark.parametrize(
    ("intake", "points"),
    [(25.0, 3), (25.5, 2), (55.0, 2), (60.0, 2), (60.5, 1), (75.0, 1), (76.0, 0)],
)
def test_nrs2002_intake_bands(ir, intake, points):
    """Pitfall 7: the moderate band is 25-60 %, not 25-50 % (55 % scores 2)."""
    result = n.score_nrs2002(nrs(intake_percent_of_requirement=intake), ir)
    assert result["nutritional_status"] == points


def test_nrs2002_weight_loss_and_bmi(ir):
    assert (
        n.score_nrs2002(nrs(weight_loss_percent=5.0, weight_loss_months=1), ir)[
            "nutritional_status"
        ]
        == 0
    )
    assert (
        n.score_nrs2002(nrs(weight_loss_percent=16.0, weight_loss_months=3), ir)[
            "nutritional_status"
        ]
        == 3
    )
    assert (
        n.score_nrs2002(nrs(weight_loss_percent=8.0, weight_loss_months=3), ir)[
            "nutritional_status"
        ]
        == 1
    )
    missing = n.score_nrs2002(nrs(weight_loss_percent=8.0), ir)
    assert missing["score"] is None
    thin = n.score_nrs2002(nrs(weight_kg=46.0, impaired_general_condition=True), ir)  # BMI 17.97
    assert thin["nutritional_status"] == 3
    assert n.score_nrs2002(nrs(weight_kg=46.0), ir)["nutritional_status"] == 0


def glim(**changes):
    base = dict(
        age_years=60,
        height_cm=160.0,
        weight_kg=54.0,
        weight_loss_percent_within_6_months=10.0,
        weight_loss_percent_beyond_6_months=None,
        muscle_mass=None,
        reduced_intake=None,
        inflammation=True,
    )
    base.update(changes)
    return n.GlimInput(**base)


def test_glim_diagnosis_and_stage(ir):
    result = n.score_glim(glim(), ir)
    assert result["malnutrition"] is True
    assert result["stage"] == "moderate"
    assert n.score_glim(glim(weight_loss_percent_within_6_months=10.5), ir)["stage"] == "severe"
    none_phenotypic = n.score_glim(
        glim(weight_loss_percent_within_6_months=5.0, muscle_mass="normal"), ir
    )
    assert none_phenotypic["phenotypic_criterion"] is False
    assert none_phenotypic["malnutrition"] is False
    unknown = n.score_glim(glim(weight_loss_percent_within_6_months=5.0), ir)
    assert unknown["malnutrition"] is None  # muscle mass unrecorded
    older = n.score_glim(
        glim(age_years=75, weight_kg=53.76, weight_loss_percent_within_6_months=0.0), ir
    )
    assert older["stage"] == "moderate"  # BMI 21.0 is low at 70+
    no_etiology = n.score_glim(glim(inflammation=False, reduced_intake=False), ir)
    assert no_etiology["malnutrition"] is False


def cachexia(**changes):
    base = dict(
        weight_loss_percent_6_months=6.0,
        height_cm=160.0,
        weight_kg=56.32,
        sex="female",
        appendicular_skeletal_muscle_index=None,
        anorexia_or_metabolic_change=None,
        refractory_features=False,
    )
    base.update(changes)
    return n.CachexiaInput(**base)


def test_cachexia_criteria(ir):
    assert n.score_cachexia(cachexia(), ir)["stage"] == "cachexia"
    bmi_19 = cachexia(weight_loss_percent_6_months=3.0, weight_kg=48.64)  # BMI 19.0
    assert n.score_cachexia(bmi_19, ir)["cachexia"] is True
    open_case = n.score_cachexia(cachexia(weight_loss_percent_6_months=3.0), ir)  # BMI 22
    assert open_case["cachexia"] is None
    sarcopenic = cachexia(weight_loss_percent_6_months=3.0, appendicular_skeletal_muscle_index=5.0)
    result = n.score_cachexia(sarcopenic, ir)
    assert result["cachexia"] is True
    assert "instr.cachexia.sarcopenia" in result.unverified
    pre = cachexia(
        weight_loss_percent_6_months=5.0,
        appendicular_skeletal_muscle_index=6.0,
        anorexia_or_metabolic_change=True,
    )
    result = n.score_cachexia(pre, ir)  # exactly 5 % is not > 5 %
    assert result["cachexia"] is False
    assert result["stage"] == "pre_cachexia"
    assert (
        n.score_cachexia(cachexia(refractory_features=True), ir)["stage"] == "refractory_cachexia"
    )
