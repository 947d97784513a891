"""Body size of one case: body-surface area and body-mass index.

Public API (pure)::

    assess_body(case, *, instruments) -> BodyAssessment     # instruments: RuleSet.instruments
    BodyAssessment.to_json()

The numbers are the `planner score bsa` numbers: `planner.domain.instruments.body_size.score_bsa`
computes BSA (Mosteller, the dose default, and DuBois & DuBois alongside; coefficients from
resources/rules/instruments/liver_kidney_body.toml) and BMI; this module adds the gaps and the
six-month weight change (percent, negative = loss). Actual body weight, never capped: a local
cap must be shown beside the uncapped value (ASCO position, instruments.md §8.1).
Missing height or weight gives `None` with a gap naming the field.
"""

from __future__ import annotations

from typing import Any

from planner.domain.case import Case
from planner.domain.evidence import Basis, Gap, instrument_basis
from planner.domain.frozen_value import frozen_value
from planner.domain.instruments.body_size import score_bsa, weight_loss_percent
from planner.domain.instruments.tables import InstrumentRules

BSA_FORMULAS = ("mosteller", "dubois")
RULE_BSA = "body.bsa"
RULE_BMI = "body.bmi"
SOURCES = {RULE_BSA: "dose.ref.bsa", RULE_BMI: "dose.ref.bsa"}


@frozen_value
class BodyAssessment:
    height_cm: float | None
    weight_kg: float | None
    bsa_m2: float | None
    bsa_formula: str
    bsa_dubois_m2: float | None
    bmi: float | None
    weight_change_6_months_percent: float | None
    basis: tuple[Basis, ...]
    gaps: tuple[Gap, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "bsa_m2": self.bsa_m2,
            "bsa_formula": self.bsa_formula,
            "bsa_dubois_m2": self.bsa_dubois_m2,
            "bmi": self.bmi,
            "weight_kg": self.weight_kg,
            "height_cm": self.height_cm,
            "weight_change_6_months_percent": self.weight_change_6_months_percent,
        }


def assess_body(case: Case, *, instruments: InstrumentRules) -> BodyAssessment:
    body = case.body
    height = None if body is None else body.height_cm
    weight = None if body is None else body.weight_kg
    earlier = None if body is None else body.weight_6_months_ago_kg
    gaps = []
    if height is None:
        gaps.append(Gap("body.height_cm", "not recorded: no BSA or BMI, no mg/m2 dose in mg"))
    if weight is None:
        gaps.append(
            Gap("body.weight_kg", "not recorded: no BSA, BMI or CrCl, no mg/m2 or mg/kg dose in mg")
        )
    change = None
    if weight is not None and earlier is not None and earlier > 0:
        change = -weight_loss_percent(earlier, weight)
    if height is None or weight is None:
        return BodyAssessment(
            height, weight, None, "mosteller", None, None, change, (), tuple(gaps)
        )
    sized = score_bsa(height, weight, instruments)
    return BodyAssessment(
        height_cm=height,
        weight_kg=weight,
        bsa_m2=sized["mosteller"],
        bsa_formula="mosteller",
        bsa_dubois_m2=sized["dubois"],
        bmi=sized["bmi"],
        weight_change_6_months_percent=change,
        basis=(Basis(RULE_BSA, SOURCES[RULE_BSA], True), *instrument_basis(sized)),
        gaps=tuple(gaps),
    )
