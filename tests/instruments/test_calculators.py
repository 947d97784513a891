"""Liver scores, body size, kidney function, performance status and prognostic scores."""

from __future__ import annotations

import math

import pytest

from planner.domain.instruments import (
    body_size,
    kidney_equations,
    liver_scores,
    performance,
    prognosis,
)
from planner.domain.instruments.instrument_settings import InstrumentSettings

# ---- Child-Pugh -------------------------------------------------------------------------------


def test_child_pugh_contract_example(ir):
    # bilirubin 35 umol/L -> 2, albumin 31 g/L -> 2, INR 1.2 -> 1, none / none -> 1 + 1 = 7, B
    result = liver_scores.child_pugh(35, 31, 1.2, "none", "none", ir)
    assert (result["points"], result["class"]) == (7, "B")
    assert result.settings == {"child_pugh_albumin": "pugh_1973"}


def test_child_pugh_albumin_variant_is_a_setting(ir):
    """Pitfall 6: albumin 2.8 vs 3.0 g/dL changes the class at the margin."""
    pugh = liver_scores.child_pugh(40, 29, 1.8, "mild", "none", ir)
    assert (pugh["points"], pugh["class"]) == (9, "B")  # 2 + 2 + 2 + 2 + 1
    harrison = InstrumentSettings.from_rules(ir, child_pugh_albumin="harrison")
    other = liver_scores.child_pugh(40, 29, 1.8, "mild", "none", ir, harrison)
    assert (other["points"], other["class"]) == (10, "C")
    assert "harrison" in other.version


@pytest.mark.parametrize(
    ("bilirubin_umol_l", "points"),
    [(34.1, 1), (34.2, 2), (2 * 17.1, 2), (51.3, 2), (3 * 17.1, 2), (51.4, 3)],
)
def test_child_pugh_bilirubin_edges_survive_unit_conversion(ir, bilirubin_umol_l, points):
    # 3 mg/dL x 17.1 is 51.300000000000004 in floating point: still 2 points ("2-3" inclusive)
    result = liver_scores.child_pugh(bilirubin_umol_l, 40, 1.0, "none", "none", ir)
    assert result["parts"]["bilirubin"] == points


@pytest.mark.parametrize(
    ("points_wanted", "cls"), [(5, "A"), (6, "A"), (9, "B"), (10, "C"), (15, "C")]
)
def test_child_pugh_class_edges(ir, points_wanted, cls):
    combos = {
        5: (20, 40, 1.0, "none", "none"),
        6: (40, 40, 1.0, "none", "none"),
        9: (40, 30, 2.0, "mild", "none"),
        10: (60, 30, 2.0, "mild", "none"),
        15: (60, 20, 3.0, "moderate_severe", "grade_3_4"),
    }
    result = liver_scores.child_pugh(*combos[points_wanted], ir)
    assert (result["points"], result["class"]) == (points_wanted, cls)


# ---- ALBI ---------------------------------------------------------------------------------


def test_albi_worked_example_is_minus_2_11(ir):
    """Pitfall 8: albumin 3.5 g/dL, bilirubin 1.2 mg/dL gives -2.11 (grade 2), not -2.35."""
    result = liver_scores.albi(1.2 * 17.1, 35, ir)
    assert result["score"] == pytest.approx(0.66 * math.log10(20.52) - 0.085 * 35)
    assert result["score"] == pytest.approx(-2.109, abs=5e-4)
    assert result.to_json()["score"] == -2.11
    assert result["grade"] == 2


def test_albi_grade_edges(ir):
    assert liver_scores.albi(10, 45, ir)["grade"] == 1  # 0.66 - 3.825 = -3.165
    assert liver_scores.albi(50, 25, ir)["grade"] == 3  # 1.121 - 2.125 = -1.004


# ---- MELD family ------------------------------------------------------------------------------


def meld(**changes):
    base = dict(
        bilirubin_mg_dl=2.0,
        inr=1.5,
        creatinine_mg_dl=1.2,
        sodium_mmol_l=130.0,
        albumin_g_dl=3.0,
        sex="female",
        dialysis=False,
    )
    base.update(changes)
    return liver_scores.MeldInput(**base)


def test_meld_family_hand_worked(ir):
    result = liver_scores.meld_scores(meld(), ir)
    # MELD: 3.78 ln2 + 11.2 ln1.5 + 9.57 ln1.2 + 6.43 = 15.34 -> 15
    assert result["meld"] == 15
    # MELD(i) = 1.5336 -> 1.5 -> 15; + 1.32 x 7 - 0.033 x 15 x 7 = 20.775 -> 21
    assert result["meld_na"] == 21
    # MELD 3.0 (female, albumin 3.0): 21.54 -> 22
    assert result["meld_3"] == 22
    assert "instr.meld.v3_coefficients" in result.unverified


def test_meld_floors_and_minimum(ir):
    result = liver_scores.meld_scores(meld(bilirubin_mg_dl=0.5, inr=0.9, creatinine_mg_dl=0.6), ir)
    assert result["meld"] == 6  # every input floored to 1.0: 6.43
    assert result["meld_na"] == 6  # 0.643 -> 0.6 -> 6, no sodium step at or below 11


def test_meld_na_rounds_meld_i_before_the_sodium_step(ir):
    """Pitfall 12: MELD(i) = 1.104 rounds to 1.1 -> 11, which is not above 11: no Na step."""
    result = liver_scores.meld_scores(
        meld(bilirubin_mg_dl=3.386, inr=1.0, creatinine_mg_dl=1.0), ir
    )
    assert result["meld_na"] == 11  # without the rounding it would be 18


def test_meld_dialysis_sets_creatinine_to_the_cap(ir):
    on = liver_scores.meld_scores(meld(dialysis=True, creatinine_mg_dl=1.0), ir)
    capped = liver_scores.meld_scores(meld(creatinine_mg_dl=4.0), ir)
    assert on["meld"] == capped["meld"]


def test_meld_3_needs_its_inputs(ir):
    result = liver_scores.meld_scores(meld(albumin_g_dl=None), ir)
    assert result["meld_3"] is None
    assert result["meld_na"] == 21


# ---- NCI-ODWG -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bilirubin", "ast", "category"),
    [
        (20 / 21, 40 / 40, "normal"),
        (20 / 21, 88 / 40, "mild"),
        (1.5, 1.0, "mild"),
        (35 / 21, 88 / 40, "moderate"),
        (3.6 / 1.2, 1.0, "moderate"),  # exactly 3.0 x ULN is moderate, not severe
        (3.7 / 1.2, 1.0, "severe"),
    ],
)
def test_odwg_categories(ir, bilirubin, ast, category):
    assert liver_scores.odwg_category(bilirubin, ast, ir)["category"] == category


def test_odwg_bilirubin_is_evaluated_before_ast(ir):
    """Pitfall 9: bilirubin 2.5 x ULN with raised AST is moderate, not mild."""
    assert liver_scores.odwg_category(2.5, 3.0, ir)["category"] == "moderate"


def test_odwg_without_ast(ir):
    assert liver_scores.odwg_category(2.0, None, ir)["category"] == "moderate"
    assert liver_scores.odwg_category(0.8, None, ir)["category"] == "unknown"


# ---- body, kidney, carboplatin --------------------------------------------------------------


def test_bsa_hand_worked(ir):
    result = body_size.score_bsa(160, 54, ir)
    assert result["mosteller"] == pytest.approx(math.sqrt(2.4))  # sqrt(160 x 54 / 3600)
    assert result["dubois"] == pytest.approx(1.5513, abs=1e-3)
    assert result.to_json()["mosteller"] == 1.55
    assert "instr.bsa.dubois" in result.unverified


def test_bmi_and_weight_loss():
    assert body_size.bmi(160, 51.2) == pytest.approx(20.0)
    assert body_size.weight_loss_percent(60, 54) == pytest.approx(10.0)


def test_cockcroft_gault_contract_example(ir):
    # 58-year-old woman, 54 kg, creatinine 70 umol/L = 0.7919 mg/dL -> 66.0 mL/min
    result = kidney_equations.score_crcl(58, "female", 54, 70 / 88.4, ir)
    assert result["ml_min"] == pytest.approx(82 * 54 / (72 * 70 / 88.4) * 0.85)
    assert result.to_json()["ml_min"] == 66.02
    assert kidney_equations.cockcroft_gault(40, "male", 72, 1.0, ir) == pytest.approx(100.0)


def test_ckd_epi_2021(ir):
    # female 58, SCr 0.7 (= kappa): 142 x 0.9938^58 x 1.012 = 100.18
    assert kidney_equations.ckd_epi_2021(58, "female", 0.7, ir) == pytest.approx(100.18, abs=0.01)
    # male 60, SCr 1.8: 142 x 2^-1.2 x 0.9938^60 = 42.55
    assert kidney_equations.ckd_epi_2021(60, "male", 1.8, ir) == pytest.approx(42.55, abs=0.01)
    result = kidney_equations.score_ckd_epi(58, "female", 0.7, 1.73, ir)
    assert result["egfr_ml_min"] == pytest.approx(result["egfr_ml_min_1_73m2"])


def test_calvert(ir):
    assert kidney_equations.carboplatin_calvert(5, 100, True, ir) == (625, 100, False)
    assert kidney_equations.carboplatin_calvert(5, 140, True, ir) == (
        750,
        125,
        True,
    )  # estimated: capped
    assert kidney_equations.carboplatin_calvert(5, 140, False, ir) == (825, 140, False)


# ---- performance status -----------------------------------------------------------------------


def test_kps_ecog_pairing_is_labelled_approximate(ir):
    """Pitfall 11: several incompatible mappings exist; the result names the one used."""
    result = performance.score_performance(None, 70, None, None, ir)
    assert result["ecog_from_kps_approximate"] == 1
    assert any("approximate" in w and "conventional" in w for w in result.warnings)
    empirical = InstrumentSettings.from_rules(ir, kps_ecog_mapping="empirical")
    assert (
        performance.score_performance(None, 70, None, None, ir, empirical)[
            "ecog_from_kps_approximate"
        ]
        == 2
    )
    back = performance.score_performance(2, None, None, None, ir)
    assert back["kps_from_ecog_approximate"] == {"low": 50, "high": 60}
    native = performance.score_performance(None, None, 60, None, ir)
    assert native["pps_percent"] == 60
    assert not native.warnings


# ---- PPI and PaP --------------------------------------------------------------------------


def test_ppi_hand_worked(ir):
    given = prognosis.PpiInput(
        40, "severely_reduced", edema=True, dyspnea_at_rest=False, delirium=False
    )
    result = prognosis.score_ppi(given, ir)
    assert result["score"] == 6.0  # 2.5 + 2.5 + 1.0
    assert result["survival_under_6_weeks"] is True  # > 4
    assert result["survival_under_3_weeks"] is False  # 6 is not > 6
    assert result["group"] == "group_3"
    worse = prognosis.score_ppi(
        prognosis.PpiInput(20, "normal", edema=False, dyspnea_at_rest=True, delirium=True), ir
    )
    assert worse["score"] == 11.5
    assert worse["survival_under_3_weeks"] is True
    assert (
        prognosis.score_ppi(prognosis.PpiInput(60, "normal", False, False, False), ir)["group"]
        == "group_1"
    )


def pap(**changes):
    base = dict(
        dyspnea=True,
        anorexia=True,
        kps=50,
        clinical_prediction_weeks=5,
        wbc_per_mm3=9000,
        lymphocyte_percent=15.0,
    )
    base.update(changes)
    return prognosis.PapInput(**base)


def test_pap_hand_worked(ir):
    # 1.0 + 1.5 + 0 (KPS 50) + 4.5 (5 weeks) + 0.5 (WBC 9000) + 1.0 (lymphocytes 15 %) = 8.5 -> B
    result = prognosis.score_pap(pap(), ir)
    assert result["score"] == 8.5
    assert result["group"] == "B"


@pytest.mark.parametrize(
    ("weeks", "points"),
    [
        (1, 8.5),
        (2, 8.5),
        (3, 6.0),
        (4, 6.0),
        (5, 4.5),
        (6, 4.5),
        (7, 2.5),
        (9, 2.5),
        (10, 2.5),
        (11, 2.0),
        (12, 2.0),
        (13, 0.0),
    ],
)
def test_pap_clinical_prediction_bands(ir, weeks, points):
    """Pitfalls 10 and 13: 5-6 wk is 4.5 and 3-4 wk 6.0 (not shifted); 9-10 and 11-12 differ."""
    base = prognosis.score_pap(
        pap(
            dyspnea=False,
            anorexia=False,
            wbc_per_mm3=6000,
            lymphocyte_percent=30.0,
            clinical_prediction_weeks=weeks,
        ),
        ir,
    )
    assert base["score"] == points


@pytest.mark.parametrize(
    ("wbc", "lymphocytes", "points"),
    [
        (8500, 30.0, 0.0),
        (8501, 30.0, 0.5),
        (11000, 30.0, 0.5),
        (11001, 30.0, 1.5),
        (6000, 12.0, 1.0),
        (6000, 11.9, 2.5),
        (6000, 20.0, 0.0),
    ],
)
def test_pap_laboratory_bands(ir, wbc, lymphocytes, points):
    result = prognosis.score_pap(
        pap(
            dyspnea=False,
            anorexia=False,
            clinical_prediction_weeks=20,
            wbc_per_mm3=wbc,
            lymphocyte_percent=lymphocytes,
        ),
        ir,
    )
    assert result["score"] == points


def test_pap_group_edges_and_unverified_bands(ir):
    assert (
        prognosis.score_pap(
            pap(
                dyspnea=False,
                anorexia=False,
                clinical_prediction_weeks=13,
                wbc_per_mm3=9000,
                lymphocyte_percent=5.0,
                kps=20,
            ),
            ir,
        )["score"]
        == 5.5
    )
    assert (
        prognosis.score_pap(
            pap(
                dyspnea=False,
                anorexia=False,
                clinical_prediction_weeks=13,
                wbc_per_mm3=9000,
                lymphocyte_percent=5.0,
                kps=20,
            ),
            ir,
        )["group"]
        == "A"
    )
    low_wbc = prognosis.score_pap(pap(wbc_per_mm3=3000), ir)
    assert "instr.pap.wbc_per_mm3" in low_wbc.unverified  # below 4 800 has no original category
    assert "instr.pap.wbc_per_mm3" not in prognosis.score_pap(pap(), ir).unverified
