"""Kidney function and carboplatin: Cockcroft–Gault, CKD-EPI 2021 (race-free), Calvert.

Creatinine is taken in mg/dL, the unit the equations are written in (convert with
`planner.domain.units.convert(limits, "creatinine", value, unit, "mg/dL")`): the exact equation
is used, not the rounded SI shortcut. Cockcroft–Gault uses the weight it is given (actual body
weight here; an adjusted weight is the caller's documented choice).
"""

from __future__ import annotations

from planner.domain.instruments.instrument_settings import InstrumentSettings
from planner.domain.instruments.result import InstrumentResult, start
from planner.domain.instruments.tables import Formula, InstrumentRules, need

COCKCROFT_GAULT = "instr.kidney.cockcroft_gault"
CKD_EPI = "instr.kidney.ckd_epi_2021"
CALVERT = "instr.kidney.calvert"
CG_CAUTIONS = "instr.kidney.cockcroft_gault_cautions"
NEEDS = (
    need(COCKCROFT_GAULT, "formula", "age_from", "divisor", "female_factor"),
    need(
        CKD_EPI,
        "formula",
        "constant",
        "kappa_female",
        "kappa_male",
        "alpha_female",
        "alpha_male",
        "exponent_above_kappa",
        "age_base",
        "female_factor",
        "reference_bsa_m2",
    ),
    need(CALVERT, "formula", "gfr_offset", "estimated_gfr_cap"),
    need(CG_CAUTIONS, "formula", "adjusted_weight_bmi_min", "creatinine_floor_mg_dl"),
)


def cockcroft_gault(
    age_years: float, sex: str, weight_kg: float, creatinine_mg_dl: float, rules: InstrumentRules
) -> float:
    """Creatinine clearance, mL/min: (140 − age) × weight / (72 × SCr), × 0.85 if female."""
    f = rules.get(COCKCROFT_GAULT, Formula)
    clearance = (f["age_from"] - age_years) * weight_kg / (f["divisor"] * creatinine_mg_dl)
    return clearance * f["female_factor"] if sex == "female" else clearance


def ckd_epi_2021(
    age_years: float, sex: str, creatinine_mg_dl: float, rules: InstrumentRules
) -> float:
    """eGFR, mL/min/1.73 m² (CKD-EPI 2021 creatinine equation, no race term)."""
    f = rules.get(CKD_EPI, Formula)
    kappa = f["kappa_female"] if sex == "female" else f["kappa_male"]
    alpha = f["alpha_female"] if sex == "female" else f["alpha_male"]
    ratio = creatinine_mg_dl / kappa
    egfr: float = (  # float ** float is typed Any (it may be complex); the bases are positive
        f["constant"]
        * min(ratio, 1.0) ** alpha
        * max(ratio, 1.0) ** f["exponent_above_kappa"]
        * f["age_base"] ** age_years
    )
    return egfr * f["female_factor"] if sex == "female" else egfr


def carboplatin_calvert(
    target_auc: float, gfr_ml_min: float, gfr_estimated: bool, rules: InstrumentRules
) -> tuple[float, float, bool]:
    """(dose in mg — total, not per m² —, GFR used, whether the estimated-GFR cap applied)."""
    f = rules.get(CALVERT, Formula)
    capped = gfr_estimated and gfr_ml_min > f["estimated_gfr_cap"]
    gfr = f["estimated_gfr_cap"] if capped else gfr_ml_min
    return target_auc * (gfr + f["gfr_offset"]), gfr, capped


def score_crcl(
    age_years: float,
    sex: str,
    weight_kg: float,
    creatinine_mg_dl: float,
    rules: InstrumentRules,
    settings: InstrumentSettings | None = None,
) -> InstrumentResult:
    trail = start(rules, settings)
    trail.formula(COCKCROFT_GAULT)
    return trail.finish(
        "crcl",
        "Cockcroft–Gault 1976 (actual body weight; creatinine in mg/dL)",
        "all inputs required",
        {"ml_min": cockcroft_gault(age_years, sex, weight_kg, creatinine_mg_dl, rules)},
    )


def score_ckd_epi(
    age_years: float,
    sex: str,
    creatinine_mg_dl: float,
    bsa_m2: float | None,
    rules: InstrumentRules,
    settings: InstrumentSettings | None = None,
) -> InstrumentResult:
    trail = start(rules, settings)
    f = trail.formula(CKD_EPI)
    egfr = ckd_epi_2021(age_years, sex, creatinine_mg_dl, rules)
    absolute = None if bsa_m2 is None else egfr * bsa_m2 / f["reference_bsa_m2"]
    return trail.finish(
        "ckd_epi",
        "CKD-EPI 2021 creatinine equation (race-free), IDMS-traceable creatinine",
        "age, sex and creatinine required; absolute eGFR only with a BSA",
        {"egfr_ml_min_1_73m2": egfr, "egfr_ml_min": absolute},
    )


def score_calvert(
    target_auc: float,
    gfr_ml_min: float,
    gfr_estimated: bool,
    rules: InstrumentRules,
    settings: InstrumentSettings | None = None,
) -> InstrumentResult:
    trail = start(rules, settings)
    trail.formula(CALVERT)
    dose, gfr, capped = carboplatin_calvert(target_auc, gfr_ml_min, gfr_estimated, rules)
    if capped:
        trail.warn("estimated GFR above the cap: the capped value was used (FDA 2010)")
    return trail.finish(
        "calvert",
        "Calvert formula (carboplatin total dose, mg)",
        "all inputs required",
        {"dose_mg": dose, "gfr_used_ml_min": gfr, "gfr_capped": capped},
    )
