"""Kidney function of one case: Cockcroft–Gault creatinine clearance.

Public API (pure)::

    assess_kidney(case, limits, doubts=(), *, instruments) -> KidneyAssessment

The number is the `planner score crcl` number: `planner.domain.instruments.kidney_equations.score_crcl`
(Cockcroft–Gault, instruments.md §8.2, dosing.md §2.4/§2.8: (140 − age) × weight_kg /
(72 × SCr mg/dL), × 0.85 for women, **actual** body weight; coefficients from
resources/rules/instruments/liver_kidney_body.toml). Creatinine is held in µmol/L (canonical)
and converted to mg/dL with the case-limit tables' factor before the exact formula is applied;
the rounded SI shortcut constants are deliberately not used.

No silent adjustments: adjusted body weight above a BMI and a creatinine floor (the row
`instr.kidney.cockcroft_gault_cautions`) are mentioned as warnings, never applied. Missing age, sex, weight or
creatinine gives `None` with a gap; a doubted creatinine (likely unit mix-up) is listed in
`doubtful` and the dosing module will not print doses that depend on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from planner.domain.case import Case
from planner.domain.evidence import Basis, Gap, instrument_basis
from planner.domain.frozen_value import frozen_value
from planner.domain.hepatic import clean, doubtful_labs
from planner.domain.instruments.body_size import bmi
from planner.domain.instruments.kidney_equations import CG_CAUTIONS, score_crcl
from planner.domain.instruments.tables import Formula, InstrumentRules
from planner.domain.limits import CaseLimits
from planner.domain.problems import Problem
from planner.domain.units import convert, to_canonical

RULE_CRCL = "kidney.cockcroft_gault"
SOURCE_CRCL = "dose.ref.cockcroft_gault"


@frozen_value
class KidneyAssessment:
    crcl_ml_min: float | None
    formula: str
    creatinine_umol_l: float | None
    creatinine_mg_dl: float | None
    doubtful: bool
    basis: tuple[Basis, ...]
    gaps: tuple[Gap, ...]
    warnings: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "crcl_ml_min": self.crcl_ml_min,
            "crcl_formula": self.formula,
            "creatinine_umol_l": self.creatinine_umol_l,
        }


def assess_kidney(
    case: Case,
    limits: CaseLimits,
    doubts: Iterable[Problem] = (),
    *,
    instruments: InstrumentRules,
) -> KidneyAssessment:
    gaps: list[Gap] = []
    warnings: list[str] = []
    effect = "not recorded: creatinine clearance (Cockcroft–Gault) cannot be calculated"
    age = case.age_years()
    sex = case.patient.sex
    weight = None if case.body is None else case.body.weight_kg
    height = None if case.body is None else case.body.height_cm
    result = None if case.labs is None else case.labs.creatinine
    if age is None:
        gaps.append(Gap("patient.birth_date", effect))
    if sex is None:
        gaps.append(Gap("patient.sex", effect))
    if weight is None:
        gaps.append(Gap("body.weight_kg", effect))
    if result is None:
        gaps.append(Gap("labs.creatinine", effect))
    umol = mg_dl = None
    if result is not None:
        umol = clean(to_canonical(limits, "creatinine", result))
        mg_dl = clean(convert(limits, "creatinine", umol, "umol/L", "mg/dL"))
    doubtful = "creatinine" in doubtful_labs(doubts)
    if doubtful:
        warnings.append("labs.creatinine: unit or range doubt; CrCl is not reliable")
    crcl = None
    basis: tuple[Basis, ...] = ()
    if age is not None and sex is not None and weight is not None and mg_dl is not None:
        scored = score_crcl(age, sex, weight, mg_dl, instruments)
        crcl = scored["ml_min"]
        basis = (Basis(RULE_CRCL, SOURCE_CRCL, True), *instrument_basis(scored))
        cautions = instruments.get(CG_CAUTIONS, Formula)
        bmi_min = cautions["adjusted_weight_bmi_min"]
        if height is not None and bmi(height, weight) >= bmi_min:
            warnings.append(
                f"BMI ≥ {bmi_min:g}: CrCl uses actual body weight; adjusted body weight may be "
                "considered (NCCN carboplatin template)"
            )
        floor = cautions["creatinine_floor_mg_dl"]
        if mg_dl < floor:
            floor_umol = convert(limits, "creatinine", floor, "mg/dL", "umol/L")
            warnings.append(
                f"creatinine below {floor:g} mg/dL ({floor_umol:.0f} µmol/L): CrCl may be "
                f"overestimated in cachexia; a floor of {floor:g} mg/dL is sometimes used "
                "(not applied)"
            )
    return KidneyAssessment(
        crcl_ml_min=crcl,
        formula="cockcroft_gault_actual_weight",
        creatinine_umol_l=umol,
        creatinine_mg_dl=mg_dl,
        doubtful=doubtful,
        basis=basis,
        gaps=tuple(gaps),
        warnings=tuple(warnings),
    )
