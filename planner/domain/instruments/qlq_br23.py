"""EORTC QLQ-BR23 breast module (items numbered q31 … q53 after the C30), by item number only.

Same half rule as the C30. BRFU is scored with the functional formula (whatever the SAS macro's
label block says); BRSEF / BRSEE use the symptom-type formula without reversal (higher = more
sexual function / enjoyment). BRSEE is missing when the respondent was not sexually active
(q45 at the skip value) and BRHL when there was no hair loss (q34 at the skip value).
"""

from __future__ import annotations

from collections.abc import Mapping

from planner.domain.instruments.instrument_settings import InstrumentSettings
from planner.domain.instruments.qlq_c30 import Scale, score_scales
from planner.domain.instruments.result import InstrumentResult, start
from planner.domain.instruments.tables import InstrumentRules, need

HALF_RULE = "instr.qlq_br23.half_rule"
CONDITIONAL = "instr.qlq_br23.conditional"
NEEDS = (
    need(HALF_RULE, "formula", "min_answered_fraction"),
    need(CONDITIONAL, "formula", "enjoyment_missing_if_q45", "hair_loss_missing_if_q34"),
)
VERSION = "EORTC QLQ-BR23 (breast module; EORTC SAS scoring macro, modified 2002)"

BR23_SCALES = (
    Scale("BRBI", (39, 40, 41, 42), "functional"),
    Scale("BRFU", (43,), "functional"),
    Scale("BRSEF", (44, 45), "symptom"),  # symptom-type formula, no reversal: higher = better
    Scale("BRSEE", (46,), "symptom"),
    Scale("BRST", (31, 32, 33, 34, 36, 37, 38), "symptom"),
    Scale("BRHL", (35,), "symptom"),
    Scale("BRAS", (47, 48, 49), "symptom"),
    Scale("BRBS", (50, 51, 52, 53), "symptom"),
)


def score_qlq_br23(
    responses: Mapping[str, int | None],
    rules: InstrumentRules,
    settings: InstrumentSettings | None = None,
) -> InstrumentResult:
    trail = start(rules, settings)
    scores = score_scales(BR23_SCALES, responses, trail, HALF_RULE)
    skip = trail.formula(CONDITIONAL)
    if responses.get("q45") == skip["enjoyment_missing_if_q45"]:
        if responses.get("q46") is not None:
            trail.warn("q46 answered although q45 says not sexually active: BRSEE left missing")
        scores["BRSEE"] = None
    if responses.get("q34") == skip["hair_loss_missing_if_q34"]:
        if responses.get("q35") is not None:
            trail.warn("q35 answered although q34 says no hair loss: BRHL left missing")
        scores["BRHL"] = None
    return trail.finish(
        "qlq_br23",
        VERSION,
        "half rule as the QLQ-C30; BRSEE missing when q45 = 1, BRHL missing when q34 = 1",
        scores,
    )
