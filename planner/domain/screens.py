"""The screening results the supportive rules read, obtained by CALLING the instrument scorers.

Nothing is re-scored here: totals, bands and positive screens come from
`planner.domain.instruments` (PHQ-9, GAD-7, distress thermometer, ESAS-r, MUST, PG-SGA SF); body
mass index and weight change use the instruments' own body helpers. What the supportive rules do
with a total (e.g. "PHQ-9 >= 10: psychology") is theirs, with the cut-off a clinic setting.

PHQ-9 item 9 is also kept as the raw response: the suicide-risk alert must fire from item 9
alone even when the total cannot be scored or the instrument tables are not loaded.

The Palliative Prognostic Index (Morita 1999) is scored by `instruments.prognosis.score_ppi` from
`function.pps_percent`, `nutrition.intake` (mapped to the PPI's oral-intake categories by the
supportive choice settings `ppi_intake_<intake>`, resources/rules/supportive.toml) and the
optional case fields `clinical.edema`, `clinical.dyspnea_at_rest`, `clinical.delirium`. Any input
missing (null: not assessed) leaves `ppi_score` None with one gap per missing field path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from types import MappingProxyType
from typing import Any

from planner.domain.body import weight_change
from planner.domain.case import ESAS_ITEMS, Case
from planner.domain.evidence import Basis, Gap, instrument_basis
from planner.domain.frozen_value import frozen_value
from planner.domain.instruments.body_size import bmi
from planner.domain.instruments.depression_anxiety import (
    score_distress_thermometer,
    score_gad7,
    score_phq9,
)
from planner.domain.instruments.esas import score_esas_r
from planner.domain.instruments.instrument_settings import InstrumentSettings
from planner.domain.instruments.nutrition import (
    must_input,
    pgsga_input,
    score_must,
    score_pgsga_sf,
)
from planner.domain.instruments.prognosis import PpiInput, score_ppi
from planner.domain.instruments.tables import BandSet, InstrumentRules, format_edge
from planner.domain.supportive_tables import SupportiveSettings

ITCH_WORDS = ("itch", "prurit")
PPI_SIGNS = ("edema", "dyspnea_at_rest", "delirium")  # clinical.<sign>, optional booleans


def ppi_intake_setting(intake: str) -> str:
    """The supportive choice setting that maps one `nutrition.intake` value to a PPI category."""
    return f"ppi_intake_{intake}"


def _clean(x: float) -> float:
    return round(x, 9)


@frozen_value
class Screens:
    """Instrument results (None: not recorded or not scorable) and the evidence behind them."""

    esas: Mapping[str, int] = field(default_factory=dict)  # core items answered
    itch_score: int | None = None  # ESAS-r "other" item when the patient named itch
    phq9_total: int | None = None
    # the instrument's own band of the total (resources/rules/instruments/psychosocial.toml:
    # PHQ-9 15-19 is "moderately_severe"), which the planner's three-level problem severity is not
    phq9_band: str | None = None
    phq9_item9: int | None = None  # raw item-9 response
    # When the total cannot be scored (an item left blank): the sum of the answered items, a
    # floor under the true total (items are 0-3), and how many were answered.
    phq9_answered_sum: int | None = None
    phq9_answered: int = 0
    gad7_total: int | None = None
    gad7_band: str | None = None
    distress_score: int | None = None
    distress_positive: bool | None = None
    distress_cutoff: str | None = None  # e.g. ">= 4 (instrument setting distress_cutoff = nccn)"
    must_score: float | None = None
    pgsga_score: float | None = None
    ppi_score: float | None = None
    ppi_reason: str | None = None  # the inputs and the intake mapping used, for the reasons
    bmi: float | None = None
    weight_loss_6_months_percent: float | None = None
    weight_loss_words: str | None = None  # the two weights and dates the loss rests on
    esas_bands: Mapping[str, str] = field(default_factory=dict)
    basis: Mapping[str, tuple[Basis, ...]] = field(default_factory=dict)  # by instrument
    gaps: tuple[Gap, ...] = ()

    def cited(self, instrument: str) -> tuple[Basis, ...]:
        return self.basis.get(instrument, ())


def _positive_edge(rules: InstrumentRules, rule_id: str) -> str | None:
    """The lowest score a band set labels positive, shown as ">= 4"."""
    bands = rules.get(rule_id, BandSet)
    for band in bands.bands:
        if band.label == "positive":
            edge = band.interval.low
            return (">= " if band.interval.low_closed else "> ") + format_edge(edge)
    return None


def distress_edge(instruments: InstrumentRules, settings: InstrumentSettings) -> str | None:
    """The distress-thermometer cut-off in force, e.g. ">= 4" (from the chosen band table)."""
    rule_id = instruments.setting("distress_cutoff").options[settings.distress_cutoff]
    return _positive_edge(instruments, rule_id)


def screen_case(
    case: Case,
    instruments: InstrumentRules | None,
    instrument_settings: InstrumentSettings | None = None,
    supportive: SupportiveSettings | None = None,
) -> Screens:
    """Score every screen the case records. Missing inputs become gaps, never defaults.

    `supportive` (the resolved supportive settings) holds the nutrition.intake -> PPI oral-intake
    mapping; without it the PPI is not scored (a gap says so)."""
    gaps: list[Gap] = []
    basis: dict[str, tuple[Basis, ...]] = {}
    values: dict[str, Any] = {}
    settings = instrument_settings
    if instruments is not None and settings is None:
        settings = InstrumentSettings.from_rules(instruments)

    symptoms = case.symptoms
    esas = symptoms.esas if symptoms is not None else None
    if esas is None:
        gaps.append(Gap("symptoms.esas", "ESAS-r not recorded: symptom problems cannot be found"))
    else:
        items = {k: getattr(esas, k) for k in ESAS_ITEMS if getattr(esas, k) is not None}
        values["esas"] = MappingProxyType(items)
        other = esas.other
        if other is not None and any(w in other.name.lower() for w in ITCH_WORDS):
            values["itch_score"] = other.score
        if instruments is not None:
            result = score_esas_r(
                {k: getattr(esas, k) for k in ESAS_ITEMS},
                None if other is None else (other.name, other.score),
                instruments,
                settings,
            )
            values["esas_bands"] = MappingProxyType(dict(result["bands"]))
            basis["esas_r"] = instrument_basis(result)

    psychosocial = case.psychosocial
    phq9 = psychosocial.phq9 if psychosocial is not None else None
    if phq9 is None:
        gaps.append(
            Gap(
                "psychosocial.phq9",
                "PHQ-9 not recorded: depression and suicide-risk screen not done",
            )
        )
    else:
        values["phq9_item9"] = phq9[8] if len(phq9) >= 9 else None
        answered = [x for x in phq9 if x is not None]
        values["phq9_answered"] = len(answered)
        values["phq9_answered_sum"] = sum(answered) if answered else None
        if instruments is not None:
            result = score_phq9(phq9, instruments, settings)
            values["phq9_total"] = result["total"]
            values["phq9_band"] = result["band"]
            basis["phq9"] = instrument_basis(result)
            if result["total"] is None:
                gaps.append(Gap("psychosocial.phq9", "a PHQ-9 item is missing: no total"))
    gad7 = psychosocial.gad7 if psychosocial is not None else None
    if gad7 is None:
        gaps.append(Gap("psychosocial.gad7", "GAD-7 not recorded: anxiety screen not done"))
    elif instruments is not None:
        result = score_gad7(gad7, instruments, settings)
        values["gad7_total"] = result["total"]
        values["gad7_band"] = result["band"]
        basis["gad7"] = instrument_basis(result)
        if result["total"] is None:
            gaps.append(Gap("psychosocial.gad7", "a GAD-7 item is missing: no total"))
    dt = psychosocial.distress_thermometer if psychosocial is not None else None
    if dt is None or psychosocial is None:  # (dt is None when psychosocial is)
        gaps.append(Gap("psychosocial.distress_thermometer", "distress thermometer not recorded"))
    else:
        values["distress_score"] = dt
        if instruments is not None and settings is not None:
            result = score_distress_thermometer(dt, psychosocial.problems, instruments, settings)
            values["distress_positive"] = bool(result["positive"])
            option = result.settings.get("distress_cutoff", settings.distress_cutoff)
            edge = distress_edge(instruments, settings)
            values["distress_cutoff"] = f"{edge} (instrument setting distress_cutoff = {option})"
            basis["distress_thermometer"] = instrument_basis(result)

    body = case.body
    height = body.height_cm if body is not None else None
    weight = body.weight_kg if body is not None else None
    if height is not None and weight is not None:
        values["bmi"] = _clean(bmi(height, weight))
    # the nurse's weight 6 months ago, else the record's last weight within 6 months
    change = weight_change(case)
    if change.loss_percent is not None:
        values["weight_loss_6_months_percent"] = _clean(change.loss_percent)
        values["weight_loss_words"] = change.words
    if change.gap is not None:
        gaps.append(change.gap)

    nutrition = case.nutrition
    if nutrition is not None and instruments is not None:
        if nutrition.must is not None:
            result = score_must(must_input(height, weight, nutrition.must), instruments, settings)
            values["must_score"] = result["score"]
            basis["must"] = instrument_basis(result)
        if nutrition.pgsga_sf is not None:
            result = score_pgsga_sf(pgsga_input(weight, nutrition.pgsga_sf), instruments, settings)
            values["pgsga_score"] = result["score"]
            basis["pgsga_sf"] = instrument_basis(result)
    if instruments is None:
        gaps.append(
            Gap("rules.instruments", "instrument tables not loaded: questionnaires not scored")
        )
    if instruments is not None:
        _ppi(case, instruments, settings, supportive, values, basis, gaps)
    return Screens(**values, basis=MappingProxyType(basis), gaps=tuple(gaps))


def _ppi(
    case: Case,
    instruments: InstrumentRules,
    settings: InstrumentSettings | None,
    supportive: SupportiveSettings | None,
    values: dict[str, Any],
    basis: dict[str, tuple[Basis, ...]],
    gaps: list[Gap],
) -> None:
    """Score the PPI when all five inputs are recorded; else one gap per missing field."""
    not_scored = "not recorded: no Palliative Prognostic Index (PPI) score"
    function, nutrition, clinical = case.function, case.nutrition, case.clinical
    pps = function.pps_percent if function is not None else None
    intake = nutrition.intake if nutrition is not None else None
    signs = {s: None if clinical is None else getattr(clinical, s) for s in PPI_SIGNS}
    missing = [
        path
        for path, value in (
            ("function.pps_percent", pps),
            ("nutrition.intake", intake),
            *((f"clinical.{s}", v) for s, v in signs.items()),
        )
        if value is None
    ]
    for path in missing:
        gaps.append(Gap(path, not_scored))
    if missing:
        return
    assert pps is not None
    assert intake is not None
    if pps < 10:
        gaps.append(Gap("function.pps_percent", f"PPS {pps} %: below the PPI's range, not scored"))
        return
    if supportive is None:
        gaps.append(
            Gap(
                "rules.supportive",
                "supportive tables not loaded: the PPI intake mapping is unknown",
            )
        )
        return
    setting = ppi_intake_setting(intake)
    oral_intake = supportive.choice(setting)
    result = score_ppi(
        PpiInput(pps, oral_intake, *(bool(signs[s]) for s in PPI_SIGNS)), instruments, settings
    )
    values["ppi_score"] = result["score"]
    present = [s.replace("_", " ") for s in PPI_SIGNS if signs[s]]
    values["ppi_reason"] = (
        f"PPS {pps} %, intake {intake} -> {oral_intake} ({supportive.shown(setting)}), "
        + ("signs: " + ", ".join(present) if present else "no oedema, dyspnoea at rest or delirium")
    )
    basis["ppi"] = instrument_basis(result)
