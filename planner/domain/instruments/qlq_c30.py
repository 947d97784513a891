"""EORTC QLQ-C30 version 3.0 (Scoring Manual 3rd ed., 2001) and its summary score (Giesinger 2016).

Items are known by number only (q1 … q30); no item wording is stored (EORTC copyright).
Raw score = mean of the answered items; a scale is scored when at least the rule table's
fraction of its items is answered (the "half rule"), else it is missing (null).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from planner.domain.frozen_value import frozen_value
from planner.domain.instruments.instrument_settings import InstrumentSettings
from planner.domain.instruments.result import InstrumentResult, Trail, start
from planner.domain.instruments.tables import InstrumentRules, need

ScaleKind = Literal["functional", "symptom", "global"]
Responses = Mapping[str, int | None]

HALF_RULE = "instr.qlq_c30.half_rule"
SUMMARY = "instr.qlq_c30.summary"
NEEDS = (
    need(HALF_RULE, "formula", "min_answered_fraction"),
    need(SUMMARY, "method"),
)
VERSION = "EORTC QLQ-C30 version 3.0 (Scoring Manual, 3rd ed., 2001); summary score Giesinger 2016"


@frozen_value
class Scale:
    code: str
    items: tuple[int, ...]
    kind: ScaleKind
    low: int = 1
    high: int = 4

    @property
    def span(self) -> int:
        return self.high - self.low


# Structure of the questionnaire (item numbers per scale), from the scoring manual.
C30_SCALES = (
    Scale("QL", (29, 30), "global", 1, 7),
    Scale("PF", (1, 2, 3, 4, 5), "functional"),
    Scale("RF", (6, 7), "functional"),
    Scale("EF", (21, 22, 23, 24), "functional"),
    Scale("CF", (20, 25), "functional"),
    Scale("SF", (26, 27), "functional"),
    Scale("FA", (10, 12, 18), "symptom"),
    Scale("NV", (14, 15), "symptom"),
    Scale("PA", (9, 19), "symptom"),
    Scale("DY", (8,), "symptom"),
    Scale("SL", (11,), "symptom"),
    Scale("AP", (13,), "symptom"),
    Scale("CO", (16,), "symptom"),
    Scale("DI", (17,), "symptom"),
    Scale("FI", (28,), "symptom"),
)
SUMMARY_FUNCTIONAL = ("PF", "RF", "EF", "CF", "SF")
SUMMARY_INVERTED = ("FA", "PA", "NV", "DY", "SL", "AP", "CO", "DI")


def scale_score(scale: Scale, answers: Sequence[int | None], min_fraction: float) -> float | None:
    """Linear transformation of the mean of the answered items to 0–100, or None (half rule)."""
    given = [a for a in answers if a is not None]
    if not given or len(given) < min_fraction * len(answers):
        return None
    raw = sum(given) / len(given)
    if scale.kind == "functional":
        return (1 - (raw - scale.low) / scale.span) * 100
    return (raw - scale.low) / scale.span * 100


def score_scales(
    scales: Sequence[Scale], responses: Responses, trail: Trail, rule_id: str
) -> dict[str, float | None]:
    fraction = trail.formula(rule_id)["min_answered_fraction"]
    return {
        scale.code: scale_score(scale, [responses.get(f"q{n}") for n in scale.items], fraction)
        for scale in scales
    }


def summary_score(scores: Mapping[str, float | None]) -> float | None:
    """Mean of the 5 functional scales and the 8 inverted symptom scales; all 13 needed."""
    parts: list[float] = []
    for code in SUMMARY_FUNCTIONAL + SUMMARY_INVERTED:
        value = scores[code]
        if value is None:
            return None
        parts.append(value if code in SUMMARY_FUNCTIONAL else 100 - value)
    return sum(parts) / len(parts)


def score_qlq_c30(
    responses: Responses, rules: InstrumentRules, settings: InstrumentSettings | None = None
) -> InstrumentResult:
    trail = start(rules, settings)
    scores = score_scales(C30_SCALES, responses, trail, HALF_RULE)
    trail.method(SUMMARY)
    scores["SUMMARY"] = summary_score(scores)
    if scores["SUMMARY"] is None:
        trail.warn("SUMMARY not scored: it needs all 13 contributing scales")
    return trail.finish(
        "qlq_c30",
        VERSION,
        "a scale is scored when at least half of its items are answered (mean of the answered "
        "items); otherwise null. No severity bands exist in the manual.",
        scores,
    )
