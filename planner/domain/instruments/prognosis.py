"""Prognostic scores: Palliative Prognostic Index (Morita 1999) and Palliative Prognostic Score
(Pirovano 1999). PPI needs a PPS and PaP a KPS, recorded natively (never converted from ECOG).
"""

from __future__ import annotations

from planner.domain.frozen_value import frozen_value
from planner.domain.instruments.instrument_settings import InstrumentSettings
from planner.domain.instruments.result import InstrumentResult, start
from planner.domain.instruments.tables import InstrumentRules, need

PPI_PPS = "instr.ppi.pps"
PPI_INTAKE = "instr.ppi.oral_intake"
PPI_SIGNS = "instr.ppi.signs"
PPI_GROUP = "instr.ppi.group"
PPI_3_WEEKS = "instr.ppi.under_3_weeks"
PPI_6_WEEKS = "instr.ppi.under_6_weeks"
PAP_SIGNS = "instr.pap.signs"
PAP_KPS = "instr.pap.kps"
PAP_CPS = "instr.pap.clinical_prediction_weeks"
PAP_WBC = "instr.pap.wbc_per_mm3"
PAP_LYMPHOCYTES = "instr.pap.lymphocyte_percent"
PAP_GROUP = "instr.pap.group"
ORAL_INTAKE = ("normal", "moderately_reduced", "severely_reduced")
NEEDS = (
    need(PPI_PPS, "bands"),
    need(PPI_INTAKE, "points", *ORAL_INTAKE),
    need(PPI_SIGNS, "points", "edema", "dyspnea_at_rest", "delirium"),
    need(PPI_GROUP, "bands"),
    need(PPI_3_WEEKS, "bands"),
    need(PPI_6_WEEKS, "bands"),
    need(PAP_SIGNS, "points", "dyspnea", "anorexia"),
    need(PAP_KPS, "bands"),
    need(PAP_CPS, "bands"),
    need(PAP_WBC, "bands"),
    need(PAP_LYMPHOCYTES, "bands"),
    need(PAP_GROUP, "bands"),
)


@frozen_value
class PpiInput:
    pps_percent: int
    oral_intake: str
    edema: bool
    dyspnea_at_rest: bool
    delirium: bool


def score_ppi(
    given: PpiInput, rules: InstrumentRules, settings: InstrumentSettings | None = None
) -> InstrumentResult:
    trail = start(rules, settings)
    score = trail.band(PPI_PPS, given.pps_percent, "PPS %").value or 0.0
    score += trail.points(PPI_INTAKE, given.oral_intake, "oral intake")
    for sign in ("edema", "dyspnea_at_rest", "delirium"):
        if getattr(given, sign):
            score += trail.points(PPI_SIGNS, sign)
    return trail.finish(
        "ppi",
        "Palliative Prognostic Index (Morita et al., Support Care Cancer 1999)",
        "all five items required",
        {
            "score": score,
            "group": trail.band(PPI_GROUP, score, "PPI").shown(),
            "survival_under_3_weeks": trail.band(PPI_3_WEEKS, score, "PPI").shown() == "predicted",
            "survival_under_6_weeks": trail.band(PPI_6_WEEKS, score, "PPI").shown() == "predicted",
        },
    )


@frozen_value
class PapInput:
    dyspnea: bool
    anorexia: bool
    kps: int
    clinical_prediction_weeks: int
    wbc_per_mm3: float
    lymphocyte_percent: float


def score_pap(
    given: PapInput, rules: InstrumentRules, settings: InstrumentSettings | None = None
) -> InstrumentResult:
    trail = start(rules, settings)
    score = 0.0
    for sign in ("dyspnea", "anorexia"):
        if getattr(given, sign):
            score += trail.points(PAP_SIGNS, sign)
    for rule_id, value, what in (
        (PAP_KPS, given.kps, "KPS"),
        (PAP_CPS, given.clinical_prediction_weeks, "clinical prediction (weeks)"),
        (PAP_WBC, given.wbc_per_mm3, "WBC /mm³"),
        (PAP_LYMPHOCYTES, given.lymphocyte_percent, "lymphocytes %"),
    ):
        score += trail.band(rule_id, value, what).value or 0.0
    return trail.finish(
        "pap",
        "Palliative Prognostic Score (Pirovano et al., J Pain Symptom Manage 1999)",
        "all six items required",
        {"score": score, "group": trail.band(PAP_GROUP, score, "PaP").shown()},
    )
