"""Body size: BMI, weight change, body-surface area (Mosteller; DuBois & DuBois).

BSA uses actual body weight and is never capped: a local cap is a protocol decision shown beside
the uncapped value, not a silent change here.
"""

from __future__ import annotations

import math

from planner.domain.instruments.instrument_settings import InstrumentSettings
from planner.domain.instruments.result import InstrumentResult, start
from planner.domain.instruments.tables import Formula, InstrumentRules, need

MOSTELLER = "instr.bsa.mosteller"
DUBOIS = "instr.bsa.dubois"
NEEDS = (
    need(MOSTELLER, "formula", "divisor"),
    need(DUBOIS, "formula", "constant", "weight_exponent", "height_exponent"),
)
CM_PER_M = 100.0


def bmi(height_cm: float, weight_kg: float) -> float:
    """Body-mass index, kg/m²."""
    height_m = height_cm / CM_PER_M
    return weight_kg / (height_m * height_m)


def weight_loss_percent(earlier_kg: float, now_kg: float) -> float:
    """Loss as a percentage of the earlier weight (negative for a gain)."""
    return (earlier_kg - now_kg) / earlier_kg * 100


def bsa_mosteller(height_cm: float, weight_kg: float, rules: InstrumentRules) -> float:
    """m² = sqrt(height_cm × weight_kg / divisor)."""
    return math.sqrt(height_cm * weight_kg / rules.get(MOSTELLER, Formula)["divisor"])


def bsa_dubois(height_cm: float, weight_kg: float, rules: InstrumentRules) -> float:
    """m² = constant × weight_kg^a × height_cm^b."""
    f = rules.get(DUBOIS, Formula)
    # float ** float is typed Any (it may be complex); these bases are positive
    bsa: float = (
        f["constant"] * weight_kg ** f["weight_exponent"] * height_cm ** f["height_exponent"]
    )
    return bsa


def score_bsa(
    height_cm: float,
    weight_kg: float,
    rules: InstrumentRules,
    settings: InstrumentSettings | None = None,
) -> InstrumentResult:
    trail = start(rules, settings)
    trail.formula(MOSTELLER)
    trail.formula(DUBOIS)
    return trail.finish(
        "bsa",
        "Mosteller 1987; DuBois & DuBois 1916 (actual body weight, uncapped)",
        "all inputs required",
        {
            "mosteller": bsa_mosteller(height_cm, weight_kg, rules),
            "dubois": bsa_dubois(height_cm, weight_kg, rules),
            "bmi": bmi(height_cm, weight_kg),
        },
    )
