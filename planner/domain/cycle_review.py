"""The review before a cycle (contract §5): give, delay, reduce or stop, with the label's reason.

Public API (pure)::

    review = review_cycle(case, inputs)          # only for a case with `treatment`
    review.to_json()                             # the plan's `next_cycle`

Steps, each leaving its evidence:

1. **Grading** (`grade_labs`). Neutrophils, platelets and haemoglobin are graded by CTCAE v5
   from `labs` in their canonical unit; ALT, AST, ALP and bilirubin against the lab's ULN — or,
   where her baseline (the last `previous_labs` panel on or before `treatment.started_on`) was
   above the ULN, against that baseline, as CTCAE v5 says. The thresholds are the instrument
   table instruments/ctcae_v5.toml, the one home of CTCAE. A grade the nurse entered for the same
   term is compared: the higher is used and the plan says so.
2. **Events.** Each graded or entered toxicity becomes an event: worst grade since the last
   cycle, current grade, occurrence, duration, the drug it is attributed to.
3. **Per drug** (`planner.domain.cycle_tables`): the current dose level is read off the label's
   ladder; every rule row that matches (a toxicity at a grade and occurrence, or a measured value
   on this day of the cycle) says give, hold or discontinue and at which level. The most severe
   action decides (discontinue, then a gap, then hold, then give); the lowest level decides the
   dose. The dose rises only where the label sets it by the day's results and says to which
   step it returns (the ladder's `return_to`: doxorubicin back to 100 % once bilirubin is below
   1.2 mg/dL, everolimus back from its Child-Pugh A dose once the liver has recovered), never
   while the drug is held; a permanent reduction stays, and a return the label leaves open is
   the clinician's. A value or detail a matching rule needs and does not have is a named gap
   and `insufficient_data` — no dose. A drug without a table is `insufficient_data` with the
   reason, never a guessed action.
4. **The cycle**: stop when every drug is discontinued; insufficient_data when any drug cannot
   be decided (then no dose is printed for any drug); delay when any drug is held; else give.
5. **Cumulative doses** (anthracyclines in doxorubicin equivalents; the factors and the lifetime
   limit are the hard-limit tables and the clinic's setting, read through `planner.domain.givable`)
   and the on-treatment **alerts** (Hy's law, febrile neutropenia, pneumonitis,
   cumulative_dose_limit).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Iterable, Mapping
from typing import Any

from planner.domain.alerts import Alert
from planner.domain.case import (
    URINE_DIPSTICK,
    Case,
    LabResult,
    Labs,
    Treatment,
    TreatmentDose,
    TreatmentDrug,
)
from planner.domain.cycle_tables import (
    MEASURES,
    Companion,
    CycleRule,
    CycleSetting,
    CycleTables,
    Ladder,
    LiverGrading,
    Threshold,
    shown,
    shown_as,
)
from planner.domain.dosing import DrugDose
from planner.domain.evidence import UNVERIFIED, Basis, Gap
from planner.domain.frozen_value import frozen_value
from planner.domain.givable import anthracycline_factor, lifetime_limit, prior_anthracycline
from planner.domain.hard_limit_tables import HardLimitTables
from planner.domain.hepatic import HepaticAssessment, doubtful_labs
from planner.domain.instruments.liver_scores import CTCAE, CTCAE_BASELINE, CTCAE_COUNTS
from planner.domain.instruments.tables import BandSet, InstrumentRules
from planner.domain.limits import CaseLimits
from planner.domain.plan_words import side_effect_words, toxicity_words
from planner.domain.problems import Problem
from planner.domain.settings import ClinicSettings
from planner.domain.units import convert, to_canonical

DECISIONS = ("give", "delay", "stop", "insufficient_data")
DRUG_ACTIONS = ("continue", "reduce", "increase", "hold", "discontinue", "insufficient_data")
# said in a dose note that raises the dose (dropped again where today's organ function caps it
# back to the current dose or lower)
_RAISED = "back up the label's steps"
ALERT_CUMULATIVE = "cumulative_dose_limit"
# lab -> the CTCAE term it is graded as (ALP has no term in the case's enumeration: graded, shown)
LAB_TERMS: Mapping[str, str] = {
    "anc": "neutrophil_count_decreased",
    "platelets": "platelet_count_decreased",
    "hemoglobin": "anemia",
    "alt": "alanine_aminotransferase_increased",
    "ast": "aspartate_aminotransferase_increased",
    "bilirubin": "blood_bilirubin_increased",
    "alp": "alkaline_phosphatase_increased",
}
_LAB_WORDS = {
    "anc": ("neutrophils", "× 10⁹/L"),
    "platelets": ("platelets", "× 10⁹/L"),
    "hemoglobin": ("haemoglobin", "g/L"),
    "alt": ("ALT", ""),
    "ast": ("AST", ""),
    "bilirubin": ("bilirubin", ""),
    "alp": ("ALP", ""),
}
_ACTION_RANK = {"give": 0, "hold": 1, "insufficient_data": 2, "discontinue": 3}


@frozen_value
class ReviewInputs:
    """What the review reads besides the case: built once by the engine."""

    limits: CaseLimits
    hepatic: HepaticAssessment
    doubts: tuple[Problem, ...]
    instruments: InstrumentRules
    tables: CycleTables
    hard_limits: HardLimitTables
    settings: ClinicSettings
    # each drug of the regimen through the first plan's organ-function pass at today's findings
    # (planner.domain.givable.on_treatment_tables): a stop stops it, a lower dose caps it
    organ_doses: Mapping[str, DrugDose]


@frozen_value
class GradingInputs:
    """What grading today's labs reads: a part of `ReviewInputs`, on its own for reading the
    grades without building the plan (`planner.domain.engine.lab_grades`)."""

    limits: CaseLimits
    hepatic: HepaticAssessment
    doubts: tuple[Problem, ...]
    instruments: InstrumentRules
    settings: ClinicSettings


@frozen_value
class Graded:
    """One laboratory term graded from `labs`: `grade` is the lowest grade the value shows;
    `shown` how it is printed ("0–1" where grade 1 needs the lab's lower limit, not recorded)."""

    term: str
    grade: int
    shown: str
    field: str
    finding: str
    basis: tuple[Basis, ...]
    note: str = ""
    # graded against her abnormal baseline (CTCAE v5): the grade the same result has in × ULN,
    # which labels that write their grades in × ULN act on (None: today's ULN is not known)
    x_uln: Graded | None = None
    against_baseline: bool = False

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "term": self.term,
            "grade": self.grade,
            "from": self.field,
            "finding": self.finding,
        }
        if self.shown != str(self.grade):
            out["grade_shown"] = self.shown
        if self.against_baseline:
            out["grade_x_uln"] = None if self.x_uln is None else self.x_uln.grade
        if self.note:
            out["note"] = self.note
        out["basis"] = [b.to_json() for b in self.basis]
        return out


@frozen_value
class Event:
    """A toxicity the rules read: graded from labs, entered by the nurse, or both."""

    term: str
    worst: int
    current: int | None
    occurrence: int | None
    days: int | None
    drug: str | None
    field: str  # where it came from: "labs.anc" or "treatment.toxicities[0]"
    words: str


@frozen_value
class DrugDecision:
    drug: str
    action: str
    dose: TreatmentDose | None
    percent_of_starting: float | None
    dose_level: int | None
    reasons: tuple[str, ...]
    basis: tuple[Basis, ...]
    gaps: tuple[Gap, ...] = ()
    # what the dose is and how it was reached ("from the starting dose to dose level −1 (75 %): 750 mg/m2", "the same
    # dose"): printed only beside the dose, so a decision overturned into a stop or a gap never
    # shows a dose it does not give (BRIEF rule 3)
    dose_notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "drug": self.drug,
            "action": self.action,
            "dose": None
            if self.dose is None
            else {"value": self.dose.value, "unit": self.dose.unit},
            "percent_of_starting": self.percent_of_starting,
            "dose_level": self.dose_level,
            "reasons": [*self.reasons, *(() if self.dose is None else self.dose_notes)],
            "basis": [b.to_json() for b in self.basis],
        }


@frozen_value
class CumulativeDose:
    drug: str
    unit: str
    total: float  # given so far, in doxorubicin equivalents (before this course and in it)
    after_this_cycle: float | None
    limit: float
    text: str

    def to_json(self) -> dict[str, Any]:
        return {
            "drug": self.drug,
            "total": {"value": round(self.total, 1), "unit": self.unit},
            "after_this_cycle": None
            if self.after_this_cycle is None
            else {"value": round(self.after_this_cycle, 1), "unit": self.unit},
            "limit": {"value": self.limit, "unit": self.unit},
            "equivalent_of": "doxorubicin",
            "text": self.text,
        }


@frozen_value
class CycleReview:
    cycle: int
    day: int
    regimen: str
    decision: str
    drugs: tuple[DrugDecision, ...]
    graded: tuple[Graded, ...]
    resume_when: tuple[str, ...]
    recheck_in_days: int | None
    cumulative: tuple[CumulativeDose, ...]
    alerts: tuple[Alert, ...]
    gaps: tuple[Gap, ...]
    notes: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "cycle": self.cycle,
            "day": self.day,
            "regimen": self.regimen,
            "decision": self.decision,
            "drugs": [d.to_json() for d in self.drugs],
            "graded": [g.to_json() for g in self.graded],
            "resume_when": list(self.resume_when),
            "recheck_in_days": self.recheck_in_days,
            "cumulative": [c.to_json() for c in self.cumulative],
            "notes": list(self.notes),
        }


# ---- 1. grading -----------------------------------------------------------------------------


def _bands(instruments: InstrumentRules, rule_id: str) -> BandSet:
    return instruments.get(rule_id, BandSet)


def _basis_of(bands: BandSet) -> tuple[Basis, ...]:
    return tuple(Basis(bands.id, s, bands.verified) for s in bands.sources)


def baseline_panel(case: Case) -> Labs | None:
    """Her baseline: the last earlier panel drawn on or before the course started (None when the
    start date or such a panel is not recorded)."""
    treatment = case.treatment
    if treatment is None or treatment.started_on is None:
        return None
    before = [p for p in case.previous_labs or () if p.drawn_on <= treatment.started_on]
    return max(before, key=lambda p: p.drawn_on) if before else None


def _uln(
    limits: CaseLimits, settings: ClinicSettings, name: str, result: LabResult
) -> float | None:
    """The ULN in the lab's canonical unit: the result's own, else the clinic's setting."""
    if result.uln is not None:
        canonical = limits.labs[name].canonical_unit
        return convert(limits, name, result.uln, result.unit or "", canonical)
    found = settings.lab_uln.get(name)
    return None if found is None else float(found)


def grade_labs(case: Case, inputs: GradingInputs | ReviewInputs) -> tuple[list[Graded], list[Gap]]:
    """CTCAE v5 grades of the laboratory terms in today's `labs`. They read the labs, the
    earlier panels and the course's start, never `treatment.toxicities`: the grades of a case
    are the same whatever side effects were entered with them."""
    graded: list[Graded] = []
    gaps: list[Gap] = []
    labs = case.labs
    if labs is None:
        return graded, gaps
    doubted = doubtful_labs(inputs.doubts)
    for name, rule_id in CTCAE_COUNTS.items():
        result = labs.result(name)
        if result is None:
            continue
        if name in doubted:
            gaps.append(Gap(f"labs.{name}", "unit or range doubt: not graded"))
            continue
        value = to_canonical(inputs.limits, name, result)
        bands = _bands(inputs.instruments, rule_id)
        band = bands.find(value)
        words, unit = _LAB_WORDS[name]
        graded.append(
            Graded(
                LAB_TERMS[name],
                int(band.value or 0),
                band.shown(),
                f"labs.{name}",
                f"{words} {shown(value)} {unit}",
                _basis_of(bands),
            )
        )
    baseline = baseline_panel(case)
    for name in ("alt", "ast", "bilirubin", "alp"):
        test = inputs.hepatic.tests.get(name)
        if test is None:
            continue
        if name in inputs.hepatic.doubtful:
            gaps.append(Gap(f"labs.{name}", "unit or range doubt: not graded"))
            continue
        words, _ = _LAB_WORDS[name]
        base = None if baseline is None else baseline.result(name)
        base_uln = None if base is None else _uln(inputs.limits, inputs.settings, name, base)
        base_value = None if base is None else to_canonical(inputs.limits, name, base)
        if base_value is not None and base_uln is not None and base_value > base_uln:
            bands = _bands(inputs.instruments, CTCAE_BASELINE[name])
            ratio = test.value / base_value
            band = bands.find(ratio)
            assert baseline is not None
            x_uln = None
            if test.x_uln is not None:
                uln_bands = _bands(inputs.instruments, CTCAE[name])
                uln_band = uln_bands.find(test.x_uln)
                x_uln = Graded(
                    LAB_TERMS[name],
                    int(uln_band.value or 0),
                    uln_band.shown(),
                    f"labs.{name}",
                    f"{words} {shown(test.x_uln)} × ULN, graded in × ULN as the label writes "
                    f"its grades (against her raised baseline of {shown(base_value / base_uln)} "
                    f"× ULN CTCAE v5 would call it grade {band.shown()})",
                    _basis_of(uln_bands),
                )
            graded.append(
                Graded(
                    LAB_TERMS[name],
                    int(band.value or 0),
                    band.shown(),
                    f"labs.{name}",
                    f"{words} {shown(ratio)} × her baseline ({shown(base_value)} {test.unit} on "
                    f"{baseline.drawn_on.isoformat()}, above the ULN; CTCAE v5 grades against an "
                    "abnormal baseline)",
                    _basis_of(bands),
                    x_uln=x_uln,
                    against_baseline=True,
                )
            )
            continue
        if test.x_uln is None:
            gaps.append(Gap(f"labs.{name}.uln", "no ULN (result or clinic): not graded"))
            continue
        bands = _bands(inputs.instruments, CTCAE[name])
        band = bands.find(test.x_uln)
        note = ""
        if baseline is None and test.x_uln > 1:
            note = (
                "no pre-treatment result in previous_labs (on or before treatment.started_on): "
                "graded against the ULN; if her baseline was already raised, CTCAE grades "
                "against it instead"
            )
        graded.append(
            Graded(
                LAB_TERMS[name],
                int(band.value or 0),
                band.shown(),
                f"labs.{name}",
                f"{words} {shown(test.x_uln)} × ULN",
                _basis_of(bands),
                note,
            )
        )
    return graded, gaps


def _events(
    treatment: Treatment, graded: list[Graded]
) -> tuple[list[Event], list[str], list[Graded]]:
    """Join lab grades and entered toxicities: for the same term the higher grade is used, and
    the plan says so."""
    by_term = {g.term: g for g in graded}
    events: list[Event] = []
    notes: list[str] = []
    used: set[str] = set()
    out_graded = list(graded)
    for i, tox in enumerate(treatment.toxicities):
        where = f"treatment.toxicities[{i}]"
        # in words, never the field path (issue 19 review: the override question read
        # "treatment.toxicities[0]"): "the first side effect recorded: diarrhoea grade 2"
        said = side_effect_words(i)
        words = toxicity_words(tox.term)
        lab = by_term.get(tox.term)
        if lab is None:
            events.append(
                Event(
                    tox.term,
                    tox.worst_grade,
                    tox.current_grade,
                    tox.occurrence,
                    tox.days,
                    tox.drug,
                    where,
                    f"{said}: {words} grade {tox.worst_grade}",
                )
            )
            continue
        used.add(tox.term)
        entered_now = tox.current_grade
        current = lab.grade if entered_now is None else max(lab.grade, entered_now)
        worst = max(tox.worst_grade, current)
        if entered_now is not None and entered_now != lab.grade:
            higher = "the laboratory's" if lab.grade > entered_now else "the entered"
            note = (
                f"{words}: grade {lab.shown} from {lab.finding} and current grade {entered_now} "
                f"entered as {said}: the higher ({current}, {higher}) is used"
            )
            notes.append(note)
            out_graded[out_graded.index(lab)] = dataclasses.replace(lab, note=note)
        events.append(
            Event(
                tox.term,
                worst,
                current,
                tox.occurrence,
                tox.days,
                tox.drug,
                where,
                f"{said}: {words} grade {worst} ({lab.finding})",
            )
        )
    for lab in graded:
        if lab.term not in used:
            events.append(
                Event(
                    lab.term,
                    lab.grade,
                    lab.grade,
                    None,
                    None,
                    None,
                    lab.field,
                    f"{toxicity_words(lab.term)} grade {lab.shown} ({lab.finding})",
                )
            )
    return events, notes, out_graded


# ---- measured values the rules test ---------------------------------------------------------


def _measures(case: Case, inputs: ReviewInputs) -> tuple[dict[str, float], dict[str, Gap]]:
    values: dict[str, float] = {}
    unknown: dict[str, Gap] = {}
    doubted = doubtful_labs(inputs.doubts)
    labs = case.labs
    # lab -> the measure it is read as, in its canonical unit
    for name, measure in (
        ("anc", "anc"),
        ("platelets", "platelets"),
        ("hemoglobin", "hemoglobin"),
        ("glucose_fasting", "glucose_fasting"),
        ("wbc", "wbc"),
        ("urine_protein_24h", "urine_protein_g_24h"),
    ):
        result = None if labs is None else labs.result(name)
        if result is None:
            unknown[measure] = Gap(f"labs.{name}", "not recorded")
        elif name in doubted:
            unknown[measure] = Gap(f"labs.{name}", "unit or range doubt")
        else:
            values[measure] = to_canonical(inputs.limits, name, result)
    creatinine = None if labs is None else labs.result("creatinine")
    if creatinine is None or "creatinine" in doubted:
        why = "not recorded" if creatinine is None else "unit or range doubt"
        unknown["creatinine_mg_dl"] = Gap("labs.creatinine", why)
    else:
        canonical = to_canonical(inputs.limits, "creatinine", creatinine)
        unit = inputs.limits.labs["creatinine"].canonical_unit
        values["creatinine_mg_dl"] = convert(inputs.limits, "creatinine", canonical, unit, "mg/dL")
    clinical = case.clinical
    for key, measure in (
        ("systolic_bp_mmhg", "systolic_bp"),
        ("diastolic_bp_mmhg", "diastolic_bp"),
    ):
        found = None if clinical is None else getattr(clinical, key)
        if found is None:
            unknown[measure] = Gap(f"clinical.{key}", "not measured")
        else:
            values[measure] = float(found)
    reading = None if clinical is None else clinical.urine_dipstick_protein
    if reading is None:
        unknown["urine_dipstick_protein"] = Gap("clinical.urine_dipstick_protein", "not recorded")
    else:
        values["urine_dipstick_protein"] = float(URINE_DIPSTICK.index(reading))
    for name in ("bilirubin", "alt", "ast", "alp"):
        key = f"{name}_x_uln"
        x = inputs.hepatic.x_uln(name)
        if name in inputs.hepatic.doubtful:
            unknown[key] = Gap(f"labs.{name}", "unit or range doubt")
        elif x is None:
            unknown[key] = Gap(f"labs.{name}", "not recorded (or no ULN)")
        else:
            values[key] = x
    if "alt_x_uln" in values and "ast_x_uln" in values:
        values["transaminases_x_uln"] = max(values["alt_x_uln"], values["ast_x_uln"])
    else:
        unknown["transaminases_x_uln"] = unknown.get("alt_x_uln") or unknown["ast_x_uln"]
    lvef = None if case.clinical is None else case.clinical.lvef_percent
    if lvef is None:
        unknown["lvef_percent"] = Gap("clinical.lvef_percent", "not recorded")
    else:
        values["lvef_percent"] = lvef
    treatment = case.treatment
    before = None if treatment is None else treatment.baseline_lvef_percent
    if lvef is None or before is None:
        field = "clinical.lvef_percent" if lvef is None else "treatment.baseline_lvef_percent"
        unknown["lvef_drop_points"] = Gap(field, "not recorded")
    else:
        values["lvef_drop_points"] = before - lvef
    if inputs.hepatic.bilirubin_mg_dl is None or "bilirubin" in inputs.hepatic.doubtful:
        unknown["bilirubin_mg_dl"] = unknown.get("bilirubin_x_uln") or Gap(
            "labs.bilirubin", "not recorded"
        )
    else:
        values["bilirubin_mg_dl"] = inputs.hepatic.bilirubin_mg_dl
    metastases = None if case.disease is None else case.disease.liver_metastases
    if metastases is None:
        unknown["liver_metastases"] = Gap("disease.liver_metastases", "not recorded")
    else:
        values["liver_metastases"] = 1.0 if metastases else 0.0
    highest = _baseline_transaminases(baseline_panel(case), inputs)
    if highest is None:
        unknown["baseline_transaminases_x_uln"] = Gap(
            "previous_labs",
            "no ALT and AST (with ULN) on or before treatment.started_on (her baseline)",
        )
    else:
        values["baseline_transaminases_x_uln"] = highest
    return values, unknown


def _baseline_transaminases(baseline: Labs | None, inputs: ReviewInputs) -> float | None:
    if baseline is None:
        return None
    found = []
    for name in ("alt", "ast"):
        result = baseline.result(name)
        uln = None if result is None else _uln(inputs.limits, inputs.settings, name, result)
        if result is None or uln is None:
            return None
        found.append(to_canonical(inputs.limits, name, result) / uln)
    return max(found)


def _finding(threshold: Threshold, value: float) -> str:
    words, unit, _ = MEASURES[threshold.measure]
    return f"{words} {shown_as(threshold.measure, value)} {unit}".strip()


# ---- 3. per drug ----------------------------------------------------------------------------


def _level_of(ladder: Ladder, dose: TreatmentDose, start: TreatmentDose) -> int | None:
    """The ladder level of `dose` for a course that began at `start` (None: not a level)."""
    within = ladder.match_within_percent / 100
    if ladder.percents is not None:
        percent = 100 * dose.value / start.value
        for i, p in enumerate(ladder.percents):
            if abs(percent - p) <= ladder.match_within_percent:
                return -i
        return None
    assert ladder.doses is not None
    start_at = _dose_index(ladder.doses, start.value, within)
    now_at = _dose_index(ladder.doses, dose.value, within)
    if start_at is None or now_at is None or now_at < start_at:
        return None
    return -(now_at - start_at)


def _dose_index(doses: tuple[float, ...], value: float, within: float) -> int | None:
    for i, d in enumerate(doses):
        if abs(value - d) <= d * within:
            return i
    return None


def _lowest(ladder: Ladder, start: TreatmentDose) -> int:
    if ladder.percents is not None:
        return -(len(ladder.percents) - 1)
    assert ladder.doses is not None
    start_at = _dose_index(ladder.doses, start.value, ladder.match_within_percent / 100) or 0
    return -(len(ladder.doses) - 1 - start_at)


def _return_level(ladder: Ladder, level: int, start: TreatmentDose) -> int:
    """The level a course at `level` comes back up to where none of the label's rows holds it
    lower today (the ladder's `return_to`), never above the course's starting dose; `level`
    itself where the label keeps the reduction or leaves a return to the clinician."""
    if ladder.return_to is None:
        return level
    if ladder.percents is not None:
        steps, start_at = ladder.percents, 0
    else:
        assert ladder.doses is not None
        steps = ladder.doses
        start_at = _dose_index(steps, start.value, ladder.match_within_percent / 100) or 0
    back = ladder.return_to[start_at - level]
    return max(level, min(0, start_at - steps.index(back)))


def _dose_at(ladder: Ladder, level: int, start: TreatmentDose) -> TreatmentDose:
    if ladder.percents is not None:
        return TreatmentDose(round(start.value * ladder.percents[-level] / 100, 2), start.unit)
    assert ladder.doses is not None
    start_at = _dose_index(ladder.doses, start.value, ladder.match_within_percent / 100) or 0
    return TreatmentDose(ladder.doses[start_at - level], start.unit)


@frozen_value
class _Outcome:
    action: str  # give / hold / discontinue
    level: int | None
    reason: str
    rule: CycleRule
    resume_when: str = ""
    recheck_in_days: int | None = None


def _cite(
    rule: CycleRule | Ladder | Companion | CycleSetting | LiverGrading, rule_id: str
) -> tuple[Basis, ...]:
    return tuple(Basis(rule_id, s, rule.verified) for s in rule.sources)


def _match_rule(
    rule: CycleRule,
    drug: str,
    day: int,
    current_level: int,
    events: list[Event],
    values: Mapping[str, float],
    unknown: Mapping[str, Gap],
    ceiling: int | None = None,
) -> tuple[list[_Outcome], list[Gap]]:
    if rule.days is not None and day not in rule.days:
        return [], []
    if rule.at_levels is not None and not rule.at_levels[0] <= current_level <= rule.at_levels[1]:
        return [], []
    gaps: list[Gap] = []
    found_text: list[str] = []
    # a known value that fails decides (the row does not apply); only then is a missing one a gap
    for threshold in rule.when:
        value = values.get(threshold.measure)
        if value is not None and not threshold.holds(value):
            return [], []
    for threshold in rule.when:
        value = values.get(threshold.measure)
        if value is None and threshold.unknown_skips:
            return [], []
        if value is None and threshold.unknown_applies:
            missing = unknown[threshold.measure]
            found_text.append(
                f"whether {threshold.describe()} is not known ({missing.field}: {missing.effect}): "
                "the row is applied, the stricter reading"
            )
            continue
        if value is None:
            missing = unknown[threshold.measure]
            gaps.append(
                Gap(
                    missing.field,
                    f"{missing.effect}: {drug} — whether {threshold.describe()} (label: "
                    f"{rule.reason}) cannot be told; no dose is printed",
                )
            )
            return [], gaps
        found_text.append(f"{_finding(threshold, value)} ({threshold.describe()})")
    level = _target(rule, current_level, ceiling)
    unverified = "" if rule.verified else UNVERIFIED
    if not rule.terms:
        return [
            _Outcome(
                rule.action,
                level,
                f"{'; '.join(found_text)}: {rule.reason}{unverified}",
                rule,
                rule.resume_when,
                rule.recheck_in_days,
            )
        ], []
    outcomes: list[_Outcome] = []
    assert rule.grades is not None
    for event in events:
        if event.term not in rule.terms or (event.drug is not None and event.drug != drug):
            continue
        if not rule.grades[0] <= event.worst <= rule.grades[1]:
            continue
        if rule.occurrences is not None:
            if event.occurrence is None:
                gaps.append(
                    Gap(
                        f"{event.field}.occurrence"
                        if event.field.startswith("treatment.")
                        else "treatment.toxicities",
                        f"not recorded: {drug}'s label sets the dose by how many times "
                        f"{event.term.replace('_', ' ')} has reached grade {event.worst} in the "
                        "course (first, second, third time) — record it with the toxicity "
                        "(occurrence); no dose is printed",
                    )
                )
                continue
            if not rule.occurrences[0] <= event.occurrence <= rule.occurrences[1]:
                continue
        if rule.min_days is not None:
            if event.days is None:
                gaps.append(
                    Gap(
                        f"{event.field}.days"
                        if event.field.startswith("treatment.")
                        else "treatment.toxicities",
                        f"not recorded: {drug}'s label acts on {event.term.replace('_', ' ')} "
                        f"grade {event.worst} lasting {rule.min_days} days or more — record how "
                        "long it lasted with the toxicity (days); no dose is printed",
                    )
                )
                continue
            if event.days < rule.min_days:
                continue
        finding = "; ".join([event.words, *found_text])
        if event.occurrence is not None and rule.occurrences is not None:
            finding += f", occurrence {event.occurrence}"
        if event.days is not None and rule.min_days is not None:
            finding += f", lasting {event.days} days"
        action, resume = rule.action, rule.resume_when
        if rule.resolve_to is not None and action == "give":
            if event.current is None:
                gaps.append(
                    Gap(
                        f"{event.field}.current_grade",
                        f"not reassessed: {drug} is given only once {event.term.replace('_', ' ')} "
                        f"is back to grade {rule.resolve_to} or better; no dose is printed",
                    )
                )
                continue
            if event.current > rule.resolve_to:
                action = "hold"
                finding += f", now grade {event.current}"
            else:
                finding += f", now grade {event.current} (resolved)"
        outcomes.append(
            _Outcome(
                action,
                level,
                f"{finding}: {rule.reason}{unverified}",
                rule,
                resume if action == "hold" else "",
                rule.recheck_in_days if action == "hold" else None,
            )
        )
    return outcomes, gaps


def _settings_in_force(
    drug: str, treatment: Treatment, tables: CycleTables, choices: Mapping[str, str]
) -> list[tuple[str, tuple[Basis, ...]]]:
    """Where the labels disagree for this regimen and today's dose (a clinic setting), what the
    clinic chose and what the other sources say, with both sources (never one silently)."""
    out: list[tuple[str, tuple[Basis, ...]]] = []
    names = dict.fromkeys(
        r.setting
        for r in tables.rules.get(drug, ())
        if r.setting is not None and (r.days is None or treatment.day in r.days)
    )
    for name in names:
        assert name is not None
        setting = tables.settings[name]
        if treatment.regimen not in setting.regimens:
            continue
        chosen = tables.chosen(name, choices)
        others = "; ".join(setting.words(o) for o in setting.options if o != chosen)
        how = "the clinic's setting" if name in choices else "the default; a clinic setting"
        unverified = "" if setting.verified else UNVERIFIED
        out.append(
            (
                f"{drug}: {setting.text} — used: {setting.words(chosen)} ({how} "
                f"{name} = {chosen}); the other source: {others}{unverified}",
                _cite(setting, setting.id),
            )
        )
    return out


# The most ways of filling in unrecorded counts and durations tried before giving up.
_MOST_TRIALS = 4096


def _withheld_whatever_missing(
    drug: str,
    day: int,
    level: int,
    events: list[Event],
    values: Mapping[str, float],
    unknown: Mapping[str, Gap],
    rules: tuple[CycleRule, ...],
) -> tuple[_Outcome, ...] | None:
    """The rows that would withhold the drug today, when it is withheld whatever the
    toxicities' unrecorded occurrence counts and durations are (every way of filling them in
    matches a hold or a discontinue and leaves no other gap); else None. The labels' rows by
    occurrence and duration set the restart dose, not the interruption: capecitabine at
    neutrophils 0.8 × 10⁹/L, T-DXd with grade 1 ILD."""
    # Only the toxicities a row counts or times are filled in: a review holds several graded
    # terms at once (every lab), and trying every count for each of them multiplies out
    # (8 open terms were 10⁷ trials and 10 GB: the planner hung on an LVEF drop).
    counted_terms = {
        t for r in rules if r.occurrences is not None or r.min_days is not None for t in r.terms
    }
    open_events = [
        i
        for i, e in enumerate(events)
        if (e.occurrence is None or e.days is None) and e.term in counted_terms
    ]
    if not open_events:
        return None
    counted = [r.occurrences for r in rules if r.occurrences is not None]
    # one past every row's lower bound reaches each row's range
    occurrences = tuple(range(1, 2 + max((lo for lo, _hi in counted), default=0)))
    lasting = tuple(sorted({0, *(r.min_days for r in rules if r.min_days is not None)}))
    choices = [
        [
            dataclasses.replace(event, occurrence=n, days=d)
            for n in (occurrences if event.occurrence is None else (event.occurrence,))
            for d in (lasting if event.days is None else (event.days,))
        ]
        for event in (events[i] for i in open_events)
    ]
    if math.prod(len(c) for c in choices) > _MOST_TRIALS:
        return None  # undecided stays undecided (no dose printed), never a long wait
    withholding: list[_Outcome] = []
    for filled in itertools.product(*choices):
        trial = list(events)
        for i, event in zip(open_events, filled, strict=True):
            trial[i] = event
        found: list[_Outcome] = []
        for rule in rules:
            matched, missing = _match_rule(rule, drug, day, level, trial, values, unknown)
            if missing:
                return None
            found.extend(o for o in matched if o.action in ("hold", "discontinue"))
        if not found:
            return None
        withholding.extend(found)
    return tuple(withholding)


def _held_restart_unknown(
    drug: str,
    reasons: list[str],
    basis: tuple[Basis, ...],
    gaps: list[Gap],
    withholding: tuple[_Outcome, ...],
) -> tuple[DrugDecision, tuple[str, ...], int | None]:
    """A hold with no dose: the missing item is named as a gap for the restart dose (contract §5:
    a hold's `dose` is the dose once `resume_when` is met — null while it cannot be told)."""
    restart = tuple(
        dict.fromkeys(
            Gap(
                g.field,
                "restart dose: needs "
                + g.effect.removeprefix("not recorded: ").removesuffix("; no dose is printed")
                + " — held today whatever it is",
            )
            for g in gaps
        )
    )
    rows = tuple(dict.fromkeys(o.rule for o in withholding))
    why = [
        f"{drug}: withheld today — every row of the label that can apply interrupts it "
        f"({'; '.join(dict.fromkeys(r.reason for r in rows))})",
    ]
    basis = tuple(dict.fromkeys((*basis, *(b for r in rows for b in _cite(r, r.id)))))
    recheck = [o.recheck_in_days for o in withholding if o.recheck_in_days is not None]
    return (
        DrugDecision(
            drug,
            "hold",
            None,
            None,
            None,
            tuple(dict.fromkeys((*reasons, *why, *(g.effect for g in restart)))),
            basis,
            restart,
        ),
        tuple(dict.fromkeys(f"{drug}: {o.resume_when}" for o in withholding if o.resume_when)),
        min(recheck) if recheck else None,
    )


def _merged_reasons(outcomes: list[_Outcome]) -> list[str]:
    """One line per label wording, with every finding that met it: two rows that say the same
    (bevacizumab's dipstick row and its 24-hour row, both met by 2.6 g/24 h) print it once."""
    by_said: dict[str, list[str]] = {}
    for outcome in outcomes:
        said = outcome.rule.reason + ("" if outcome.rule.verified else UNVERIFIED)
        parts = by_said.setdefault(said, [])
        for part in outcome.reason.removesuffix(f": {said}").split("; "):
            if part not in parts:
                parts.append(part)
    return [f"{'; '.join(parts)}: {said}" for said, parts in by_said.items()]


def _signed(level: int) -> str:
    """A dose level as printed: "−1" with a true minus sign (not a hyphen)."""
    return f"−{-level}" if level < 0 else str(level)


def _level_words(level: int) -> str:
    return "the starting dose" if level == 0 else f"dose level {_signed(level)}"


def _target(rule: CycleRule, current_level: int, ceiling: int | None = None) -> int | None:
    """The level a row gives: a `level` row no higher than `ceiling` (the level the dose may
    return to today, else the current one), a `down` row steps below the current level."""
    if rule.level is not None:
        return min(current_level if ceiling is None else ceiling, rule.level)
    if rule.down is not None:
        return current_level - rule.down
    return None


def review_drug(
    drug: str,
    treatment: Treatment,
    events: list[Event],
    values: Mapping[str, float],
    unknown: Mapping[str, Gap],
    tables: CycleTables,
    label_set: str = "us",
    choices: Mapping[str, str] | None = None,
) -> tuple[DrugDecision, tuple[str, ...], int | None]:
    """One drug's action and dose for this cycle, with what to wait for and when to re-check;
    the ladder is the one of the clinic's label set where the labels' doses differ, and where
    labels disagree for the regimen, the rows of the clinic's choice (`choices`)."""
    choices = choices or {}
    on = treatment.drug(drug)
    assert on is not None
    start, current = on.starting_dose, on.current_dose
    ladders = tables.ladders_for(drug, label_set, treatment.regimen)
    # the regimen's own levels where the course is on them, else the label's
    ladder = next(
        (x for x in ladders if x.unit == start.unit and _level_of(x, current, start) is not None),
        ladders[-1] if ladders else None,
    )
    if ladder is None:
        return (
            _undecided(
                drug,
                [
                    f"no cycle-review table for {drug}: review by the prescriber — the program "
                    "does not decide this cycle and prints no dose"
                ],
                (),
                (),
                f"treatment.drugs[{_index(treatment, drug)}].drug",
            ),
            (),
            None,
        )
    ladder_basis = _cite(
        ladder, f"cycle.{drug}.{'organ_function_levels' if ladder.organ_doses else 'levels'}"
    )
    if start.unit != ladder.unit:
        return (
            _undecided(
                drug,
                [
                    f"{drug}: the dose is recorded in {start.unit}, the label's levels in "
                    f"{ladder.unit}; no dose is printed"
                ],
                ladder_basis,
                (Gap(f"treatment.drugs[{_index(treatment, drug)}].starting_dose.unit", "differs"),),
            ),
            (),
            None,
        )
    level = _level_of(ladder, current, start)
    if level is None:
        field = f"treatment.drugs[{_index(treatment, drug)}].current_dose"
        return (
            _undecided(
                drug,
                [
                    f"{drug}: the current dose is not one of the label's dose levels for this "
                    "regimen (nor of the regimen's own, where the rules hold them), so the next "
                    "step cannot be read off; the clinician decides — no dose is printed"
                ],
                ladder_basis,
                (Gap(field, "not a label dose level: the next step cannot be read off"),),
            ),
            (),
            None,
        )
    if ladder.days is not None and treatment.day not in ladder.days:
        days = ", ".join(str(d) for d in ladder.days)
        return (
            _undecided(
                drug,
                [
                    f"{drug}: the label's table speaks of day {days} of the cycle; day "
                    f"{treatment.day} has no label threshold, so the clinic's protocol decides — "
                    "no dose is printed"
                ],
                ladder_basis,
                (),
                "treatment.day",
            ),
            (),
            None,
        )
    # where the label sets the dose of the day by that day's results, the level it may return
    # to when no row holds it lower (doxorubicin 50 % → 100 % once bilirubin is below 1.2 mg/dL)
    ceiling = _return_level(ladder, level, start)
    outcomes: list[_Outcome] = []
    gaps: list[Gap] = []
    setting_notes: list[str] = []
    setting_basis: list[Basis] = []
    for rule in tables.rules.get(drug, ()):
        if not tables.in_force(rule, treatment.regimen, choices):
            continue
        found, missing = _match_rule(
            rule, drug, treatment.day, level, events, values, unknown, ceiling
        )
        outcomes.extend(found)
        gaps.extend(missing)
    for note, cited in _settings_in_force(drug, treatment, tables, choices):
        setting_notes.append(note)
        setting_basis.extend(cited)
    basis = tuple(
        dict.fromkeys(
            (
                *(b for o in outcomes for b in _cite(o.rule, o.rule.id)),
                *setting_basis,
                *ladder_basis,
            )
        )
    )
    # what changes the cycle first: the most severe action, then the lowest level
    reasons = _merged_reasons(
        sorted(
            outcomes,
            key=lambda o: (-_ACTION_RANK[o.action], level if o.level is None else o.level),
        )
    )
    reasons.extend(setting_notes)
    if ladder.clinician_checks:
        reasons.append(f"{drug}: {ladder.clinician_checks}")
    if any(o.action == "discontinue" for o in outcomes):
        return DrugDecision(drug, "discontinue", None, None, None, tuple(reasons), basis), (), None
    withheld = (
        _withheld_whatever_missing(
            drug,
            treatment.day,
            level,
            events,
            values,
            unknown,
            tuple(
                r
                for r in tables.rules.get(drug, ())
                if tables.in_force(r, treatment.regimen, choices)
            ),
        )
        if gaps
        else None
    )
    if withheld is not None:
        return _held_restart_unknown(drug, reasons, basis, gaps, withheld)
    if gaps:
        return (
            _undecided(drug, [*reasons, *(g.effect for g in gaps)], basis, tuple(gaps)),
            (),
            None,
        )
    hold = any(o.action == "hold" for o in outcomes)
    new_level = min([ceiling, *(o.level for o in outcomes if o.level is not None)])
    if hold:
        # a held drug restarts no higher than it is now: the rise waits for a review that gives it
        new_level = min(new_level, level)
    lowest = _lowest(ladder, start)
    if new_level < lowest:
        if ladder.below_last == "discontinue":
            reasons.append(f"{drug}: a reduction is due below the label's last level: discontinue")
            return (
                DrugDecision(drug, "discontinue", None, None, None, tuple(reasons), basis),
                (),
                None,
            )
        reasons.append(
            f"{drug}: a reduction is due below the last level the label names; the label gives "
            "no lower dose, so the clinician decides — no dose is printed"
        )
        field = f"treatment.drugs[{_index(treatment, drug)}].current_dose"
        return _undecided(drug, reasons, basis, (), field), (), None
    dose = current if new_level == level else _dose_at(ladder, new_level, start)
    percent = round(100 * dose.value / start.value, 1)
    notes: list[str] = []
    permanent = not ladder.re_escalate or (
        ladder.return_to is not None and _return_level(ladder, new_level, start) == new_level
    )
    if new_level < level:
        notes.append(
            f"{drug}: from {_level_words(level)} to dose level {_signed(new_level)} "
            f"({shown(percent)} %): {shown(dose.value)} {dose.unit} "
            f"({shown(percent)} % of the starting {shown(start.value)} {start.unit})"
            + ("; the reduction is permanent" if permanent else "")
        )
    if new_level > level:
        why = (
            "none of its conditions for a lower dose is met today"
            if new_level == ceiling
            else "as far as today's results allow (above)"
        )
        notes.append(
            f"{drug}: {_RAISED}, from {_level_words(level)} to {_level_words(new_level)} "
            f"({shown(percent)} %): {shown(dose.value)} {dose.unit} "
            f"({shown(percent)} % of the starting {shown(start.value)} {start.unit}) — the "
            f"label sets this dose by the day's results and {why}: {ladder.text}"
        )
    elif not outcomes:
        notes.append(f"{drug}: no label condition for a change is met: the same dose")
    if ladder.re_escalate and new_level < 0 and not hold and new_level == ceiling:
        if ladder.return_to is None:
            notes.append(
                f"{drug}: the label allows a return to a higher level, which the clinician "
                f"decides (the review does not raise it): {ladder.text}"
            )
        elif permanent:
            notes.append(
                f"{drug}: a return to a higher level from this step is the clinician's decision "
                f"(the review does not raise it): {ladder.text}"
            )
    action = (
        "hold"
        if hold
        else "reduce"
        if new_level < level
        else "increase"
        if new_level > level
        else "continue"
    )
    resume = tuple(dict.fromkeys(o.resume_when for o in outcomes if o.resume_when))
    recheck = [o.recheck_in_days for o in outcomes if o.recheck_in_days is not None]
    return (
        DrugDecision(
            drug, action, dose, percent, new_level, tuple(reasons), basis, dose_notes=tuple(notes)
        ),
        tuple(f"{drug}: {r}" for r in resume),
        min(recheck) if recheck else None,
    )


_NO_DOSE_ACTIONS = frozenset({"discontinue", "insufficient_data"})
_ORGAN_STOPS = {"contraindicated": "contraindicated", "not_recommended": "not recommended"}


def _stop_reasons(decision: DrugDecision) -> tuple[str, ...]:
    """The reasons of a decision that is being overturned into a stop or a gap (its dose notes,
    "the same dose", "from the starting dose to dose level −1 (75 %)", no longer hold)."""
    return decision.reasons


def with_organ_function(
    decision: DrugDecision, on: TreatmentDrug, organ: DrugDose | None, liver: str = ""
) -> tuple[DrugDecision, str]:
    """The cycle's decision through the first plan's organ-function pass at today's findings,
    and what a hold then waits for besides:

    - the label's "do not give" (e.g. capecitabine at CrCl < 30 mL/min) discontinues the drug
      with the reason — or, where the cycle tables already hold it (docetaxel while bilirubin is
      above the ULN), keeps the hold and names the stop among what it waits for;
    - an input that pass needs and lacks is a gap (no dose);
    - a reduced organ-function dose caps the cycle's dose: the lower of the toxicity step's and
      the label's organ-function percentage of the starting dose (the labels say "75 % of the
      starting dose"; a course begun below the standard is never taken back up by it)."""
    if organ is None or decision.action == "discontinue":
        return decision, ""
    drug = decision.drug
    basis = tuple(dict.fromkeys((*decision.basis, *organ.basis)))
    if organ.status in _ORGAN_STOPS:
        when = (
            "under the clinic's label set, whatever today's findings"
            if organ.stop_whatever_found
            else "at today's findings"
        )
        why = (
            f"{drug}: not given — {organ.stop_reason or organ.status.replace('_', ' ')} "
            f"({_ORGAN_STOPS[organ.status]} {when}: the same check as the first plan's dose)"
        )
        # a hold waits for a stop that can clear (docetaxel while bilirubin is above the ULN);
        # a stop no finding can clear (no breast-cancer indication in the label set) is a
        # discontinuation today, not a hold that would turn into one once the hold's own
        # condition clears
        if decision.action == "hold" and not organ.stop_whatever_found:
            held = dataclasses.replace(
                decision,
                reasons=(*decision.reasons, why),
                basis=basis,
            )
            return held, "and only once the first plan's dose check no longer stops it"
        return (
            DrugDecision(
                drug, "discontinue", None, None, None, (why, *_stop_reasons(decision)), basis
            ),
            "",
        )
    if organ.dose is None:
        if not organ.gaps:
            # no dose table or schedule for it: no organ-function row to apply; its cycle table
            # decides
            return decision, ""
        return (
            _undecided(
                drug,
                (
                    *_stop_reasons(decision),
                    f"{drug}: the dose at today's liver and kidney function cannot be told "
                    f"({'; '.join(g.effect for g in organ.gaps)}); no dose is printed",
                ),
                basis,
                tuple(dict.fromkeys((*decision.gaps, *organ.gaps))),
            ),
            "",
        )
    dose, percent = decision.dose, organ.percent_of_standard
    if dose is None or percent is None or percent >= 100:
        return decision, ""
    start = on.starting_dose
    cap = round(start.value * percent / 100, 2)
    if cap >= dose.value:
        return decision, ""
    # the finding and the band's words, never the drug's unrelated notes (interactions, "renal:
    # no rule captured"): issue 19 review 19c, finding 5
    why = organ.band_reason or ""
    if organ.band_measures == ("child_pugh",) and liver and organ.band_words:
        why = f"{liver}: {organ.band_words}"
    step = (
        f"lower than the toxicity step's {shown(dose.value)} {dose.unit}"
        if decision.action == "reduce" or dose.value != on.current_dose.value
        else f"lower than the current {shown(dose.value)} {dose.unit}"
    )
    reason = (
        f"{drug}: today's liver and kidney function calls for {shown(percent)} % of the "
        f"dose ({why or organ.status.replace('_', ' ')}; the same check as the first plan's "
        f"dose): {shown(percent)} % of the starting {shown(start.value)} {start.unit} is "
        f"{shown(cap)} {start.unit}, {step}, so {shown(cap)} {start.unit} is given"
    )
    now = on.current_dose.value
    action = decision.action
    if action != "hold":
        action = "reduce" if cap < now else "increase" if cap > now else "continue"
    # a rise the cap takes back is not said: only the arithmetic that gives the dose
    kept = (
        n
        for n in decision.dose_notes
        if not n.endswith("the same dose") and (action == "increase" or _RAISED not in n)
    )
    return (
        DrugDecision(
            drug,
            action,
            TreatmentDose(cap, dose.unit),
            round(100 * cap / start.value, 1),
            None,
            decision.reasons,
            basis,
            decision.gaps,
            (*kept, reason),
        ),
        "",
    )


def child_pugh_words(case: Case, hepatic: HepaticAssessment) -> str:
    """Her Child–Pugh score and class today, with the results it is from ("Child–Pugh 8 points,
    class B: bilirubin 40 µmol/L, albumin 30 g/L, INR 1.4, ascites mild, encephalopathy none");
    "" when no class could be told."""
    found = hepatic.child_pugh
    classes = sorted(hepatic.child_pugh_classes)
    if found is None and not classes:
        return ""
    labs, clinical = case.labs, case.clinical
    inr = None if labs is None else labs.result("inr")
    parts = [
        "bilirubin not recorded"
        if hepatic.bilirubin_umol_l is None
        else f"bilirubin {shown(hepatic.bilirubin_umol_l)} µmol/L",
        "albumin not recorded"
        if hepatic.albumin_g_l is None
        else f"albumin {shown(hepatic.albumin_g_l)} g/L",
        "INR not measured" if inr is None else f"INR {shown(inr.value)}",
        f"ascites {(clinical and clinical.ascites) or 'not recorded'}",
        f"encephalopathy {(clinical and clinical.encephalopathy) or 'not recorded'}",
    ]
    if found is not None:
        head = f"Child–Pugh {found.points} points, class {found.child_class}"
    else:
        head = f"Child–Pugh class {' or '.join(classes)} (the class whatever the missing results)"
    return f"{head}: {', '.join(parts)}"


def with_companions(
    decisions: Mapping[str, DrugDecision], tables: CycleTables
) -> tuple[dict[str, DrugDecision], list[str]]:
    """A drug the label gives only with a partner (pertuzumab with trastuzumab) is held when the
    partner is held and discontinued when it is discontinued, whatever its own rows say; with
    what it then waits for. A drug that cannot be decided stays undecided (no dose either way)."""
    out = dict(decisions)
    waits: list[str] = []
    for companion in tables.companions:
        mine, partner = out.get(companion.drug), out.get(companion.partner)
        if mine is None or partner is None or mine.action in _NO_DOSE_ACTIONS:
            continue
        drug, other = companion.drug, companion.partner
        basis = tuple(dict.fromkeys((*mine.basis, *_cite(companion, companion.id), *partner.basis)))
        unverified = "" if companion.verified else UNVERIFIED
        if partner.action == "discontinue" and "discontinue" in companion.follows:
            why = f"{drug}: discontinued because {other} is discontinued — {companion.reason}"
            out[drug] = DrugDecision(
                drug, "discontinue", None, None, None, (why + unverified, *mine.reasons), basis
            )
        elif partner.action == "hold" and "hold" in companion.follows and mine.action != "hold":
            why = f"{drug}: held because {other} is held — {companion.reason}"
            out[drug] = dataclasses.replace(
                mine, action="hold", reasons=(*mine.reasons, why + unverified), basis=basis
            )
            waits.append(f"{drug}: given again together with {other}, once {other} is resumed")
    return out, waits


def _index(treatment: Treatment, drug: str) -> int:
    return next(i for i, d in enumerate(treatment.drugs) if d.drug == drug)


def _undecided(
    drug: str,
    reasons: Iterable[str],
    basis: tuple[Basis, ...],
    gaps: tuple[Gap, ...],
    field: str | None = None,
) -> DrugDecision:
    """No decision and no dose; `field` names the input a reason is about, so the plan's gaps
    say why (the decision `insufficient_data` always has its gap)."""
    reasons = tuple(dict.fromkeys(reasons))
    if not gaps and field is not None:
        gaps = (Gap(field, reasons[-1]),)
    return DrugDecision(drug, "insufficient_data", None, None, None, reasons, basis, gaps)


# ---- 5. cumulative doses and alerts ---------------------------------------------------------


def _cumulative(
    case: Case,
    treatment: Treatment,
    decisions: Mapping[str, DrugDecision],
    inputs: ReviewInputs,
) -> tuple[list[CumulativeDose], list[Gap], dict[str, str]]:
    """The lifetime ledger of anthracyclines in the regimen, before this cycle is given."""
    tables, settings = inputs.hard_limits, inputs.settings
    out: list[CumulativeDose] = []
    gaps: list[Gap] = []
    stops: dict[str, str] = {}
    anthracyclines = [d.drug for d in treatment.drugs if d.drug in tables.equivalents]
    if not anthracyclines:
        return out, gaps, stops
    before, before_gaps, before_text = prior_anthracycline(case, tables, settings)
    if before is None:
        for drug in anthracyclines:
            gaps.extend(before_gaps)
            stops[drug] = ""
        return out, gaps, stops
    in_course = 0.0
    for i, given in enumerate(treatment.given):
        for j, item in enumerate(given.drugs):
            if item.drug not in tables.equivalents:
                continue
            if item.dose.unit != "mg/m2":
                gaps.append(
                    Gap(
                        f"treatment.given[{i}].drugs[{j}].dose.unit",
                        f"{item.dose.unit}: the lifetime ledger counts mg/m2; no dose is printed",
                    )
                )
                stops[item.drug] = ""
                continue
            in_course += item.dose.value * anthracycline_factor(tables, settings, item.drug)
    prior_drugs = frozenset(
        d for t in (case.disease.prior_therapy or () if case.disease else ()) for d in t.drugs
    )
    mediastinal = None if case.disease is None else case.disease.mediastinal_radiotherapy
    limit, why = lifetime_limit(tables, prior_drugs, [d.drug for d in treatment.drugs], mediastinal)
    total = before + in_course
    for drug in anthracyclines:
        decision = decisions.get(drug)
        on = treatment.drug(drug)
        # the dose this cycle gives; where the review names none, the current dose (doses never
        # rise in a review, so it is the most this cycle could add)
        dose = None if decision is None else decision.dose
        if dose is None and on is not None:
            dose = on.current_dose
        factor = anthracycline_factor(tables, settings, drug)
        after = None if dose is None or dose.unit != "mg/m2" else total + dose.value * factor
        text = (
            f"{before_text}; this course {shown(in_course)} mg/m2 doxorubicin equivalents "
            f"(treatment.given); {why}"
        )
        out.append(CumulativeDose(drug, "mg/m2", total, after, limit, text))
        if total >= limit:
            stops[drug] = (
                f"lifetime anthracycline limit reached: {shown(total)} ≥ {shown(limit)} mg/m2 "
                f"doxorubicin equivalents ({text})"
            )
        elif after is not None and after > limit:
            stops[drug] = (
                f"this cycle would pass the lifetime anthracycline limit: {shown(total)} + "
                f"{shown(after - total)} = {shown(after)} > {shown(limit)} mg/m2 doxorubicin "
                f"equivalents ({text})"
            )
    return out, gaps, stops


def _alerts(
    treatment: Treatment,
    events: list[Event],
    values: Mapping[str, float],
    tables: CycleTables,
) -> list[Alert]:
    out: list[Alert] = []
    drugs = {d.drug for d in treatment.drugs}
    for rule in tables.alerts:
        if rule.drugs and not rule.drugs & drugs:
            continue
        found: list[str] = []
        held = True
        for threshold in rule.when:
            value = values.get(threshold.measure)
            if value is None or not threshold.holds(value):
                held = False
                break
            found.append(f"{_finding(threshold, value)} ({threshold.describe()})")
        if not held:
            continue
        if rule.terms:
            assert rule.grades is not None
            lo, hi = rule.grades
            hits = [e for e in events if e.term in rule.terms and lo <= e.worst <= hi]
            if not hits:
                continue
            found.extend(e.words for e in hits)
        unverified = "" if rule.verified else UNVERIFIED
        out.append(
            Alert(
                code=rule.code,
                level=rule.level,
                message=f"{rule.message} — found: {'; '.join(found)}{unverified}",
                field="treatment",
                basis=tuple(Basis(rule.id, s, rule.verified) for s in rule.sources),
                reasons=tuple(found),
            )
        )
    return out


# ---- the review ----------------------------------------------------------------------------


def review_cycle(case: Case, inputs: ReviewInputs) -> CycleReview:
    treatment = case.treatment
    assert treatment is not None, "review_cycle is called only for a case with treatment"
    lab_graded, grade_gaps = grade_labs(case, inputs)
    events, notes, graded = _events(treatment, lab_graded)
    # the same results graded in × ULN, for the drugs whose labels write their grades so (a
    # result graded against her raised baseline gets its × ULN grade; None: that grade cannot be
    # told, today's ULN not known)
    uln_graded = [g.x_uln if g.against_baseline else g for g in lab_graded]
    uln_unknown = [g for g in lab_graded if g.against_baseline and g.x_uln is None]
    uln_events, uln_notes, _ = _events(treatment, [g for g in uln_graded if g is not None])
    by_uln = [
        d.drug
        for d in treatment.drugs
        if (g := inputs.tables.liver_grading.get(d.drug)) is not None and g.basis == "x_uln"
    ]
    if by_uln:
        notes.extend(
            f"graded in × ULN (as the labels of {', '.join(by_uln)} write their grades): {n}"
            for n in uln_notes
            if n not in notes
        )
    raised = [g for g in lab_graded if g.against_baseline]
    values, unknown = _measures(case, inputs)
    liver = child_pugh_words(case, inputs.hepatic)
    decisions: dict[str, DrugDecision] = {}
    resume: list[str] = []
    rechecks: list[int] = []
    gaps: list[Gap] = list(grade_gaps)
    for on in treatment.drugs:
        grading = inputs.tables.liver_grading.get(on.drug)
        graded_by_uln = grading is not None and grading.basis == "x_uln"
        decision, waits, recheck = review_drug(
            on.drug,
            treatment,
            uln_events if graded_by_uln else events,
            values,
            unknown,
            inputs.tables,
            inputs.settings.labels,
            inputs.settings.cycle_choices,
        )
        named = {t for r in inputs.tables.rules.get(on.drug, ()) for t in r.terms}
        differ = [
            g for g in raised if g.term in named and (g.x_uln is None or g.x_uln.grade != g.grade)
        ]
        if grading is not None and differ:
            decision = _with_liver_grading(
                decision,
                grading,
                differ,
                [g for g in uln_unknown if g.term in named] if graded_by_uln else [],
            )
        decision, also = with_organ_function(decision, on, inputs.organ_doses.get(on.drug), liver)
        if decision.action in _NO_DOSE_ACTIONS:
            waits, recheck = (), None
        elif also:
            waits = (*waits, f"{on.drug}: {also}")
        decisions[on.drug] = decision
        resume.extend(waits)
        if recheck is not None:
            rechecks.append(recheck)
        gaps.extend(decision.gaps)
    decisions, with_partner = with_companions(decisions, inputs.tables)
    resume.extend(with_partner)
    cumulative, ledger_gaps, ledger_stops = _cumulative(case, treatment, decisions, inputs)
    gaps.extend(ledger_gaps)
    alerts = _alerts(treatment, events, values, inputs.tables)
    for drug, why in ledger_stops.items():
        before = decisions[drug]
        ledger = inputs.hard_limits.ledger
        basis = (*before.basis, *(Basis(ledger.id, s, ledger.verified) for s in ledger.sources))
        if why:
            decisions[drug] = DrugDecision(
                drug, "discontinue", None, None, None, (why, *_stop_reasons(before)), basis
            )
            alerts.append(
                Alert(
                    code=ALERT_CUMULATIVE,
                    level="critical",
                    message=f"{drug}: {why}",
                    field="treatment.given",
                    basis=basis,
                    reasons=(why,),
                )
            )
        else:
            decisions[drug] = _undecided(
                drug,
                (
                    f"{drug}: the lifetime anthracycline dose cannot be counted; no dose is "
                    "printed",
                    *_stop_reasons(before),
                ),
                basis,
                before.gaps,
            )
    drugs = tuple(decisions[d.drug] for d in treatment.drugs)
    overall = _cycle_decision(drugs)
    if overall == "insufficient_data":
        # a gap is never a decision: no dose for any drug until the missing results are in
        drugs = tuple(_without_dose(d) for d in drugs)
    if overall == "stop":
        resume, rechecks = [], []
    return CycleReview(
        cycle=treatment.cycle,
        day=treatment.day,
        regimen=treatment.regimen,
        decision=overall,
        drugs=drugs,
        graded=tuple(graded),
        resume_when=tuple(dict.fromkeys(resume)) if overall == "delay" else (),
        recheck_in_days=min(rechecks) if rechecks and overall == "delay" else None,
        cumulative=tuple(cumulative),
        alerts=tuple(alerts),
        gaps=tuple(dict.fromkeys(gaps)),
        notes=tuple(notes),
    )


def _with_liver_grading(
    decision: DrugDecision,
    grading: LiverGrading,
    raised: list[Graded],
    not_graded: list[Graded],
) -> DrugDecision:
    """Where her baseline liver tests were raised, which grading the drug's rows read (its label's
    × ULN, or CTCAE v5 against the baseline), with its source; a × ULN grade that cannot be told
    (today's ULN not known) leaves the drug undecided — never the lower baseline grade. Said only
    where the two gradings differ for a term the drug's rows name."""
    drug = decision.drug
    terms = ", ".join(g.term.replace("_", " ") for g in raised)
    if grading.basis == "x_uln":
        how = f"{terms} graded in × ULN, as {drug}'s label writes its grades, not against her raised baseline"
    else:
        how = (
            f"{terms} graded against her raised baseline (CTCAE v5), as {drug}'s label grades them"
        )
    unverified = "" if grading.verified else UNVERIFIED
    why = f"{drug}: {how} — {grading.text}{unverified}"
    basis = tuple(dict.fromkeys((*decision.basis, *_cite(grading, f"cycle.{drug}.liver_grading"))))
    if not_graded and decision.action not in _NO_DOSE_ACTIONS:
        gaps = tuple(
            Gap(f"{g.field}.uln", f"no ULN: {drug}'s label grades in × ULN; no dose is printed")
            for g in not_graded
        )
        return _undecided(drug, (*decision.reasons, why), basis, (*decision.gaps, *gaps))
    return dataclasses.replace(decision, reasons=(*decision.reasons, why), basis=basis)


def _cycle_decision(drugs: tuple[DrugDecision, ...]) -> str:
    actions = {d.action for d in drugs}
    if actions == {"discontinue"}:
        return "stop"
    if "insufficient_data" in actions:
        return "insufficient_data"
    if "hold" in actions:
        return "delay"
    return "give"


def _without_dose(decision: DrugDecision) -> DrugDecision:
    """A drug of a cycle that cannot be decided: no dose, and no action that claims one — a
    "reduce" or "continue" without its dose reads as a decision (issue 19 review 19c, finding 8).
    What its own rows called for is said in words; a hold stays a hold (it gives nothing today)."""
    if decision.dose is None and decision.action not in _GIVEN:
        return decision
    waits = "no dose is printed while a result another drug's rule needs is missing (see gaps)"
    if decision.action in _GIVEN:
        percent = decision.percent_of_starting
        own = (
            f"its own rows call for a reduction to {shown(percent)} % of the starting dose"
            if decision.action == "reduce" and percent is not None
            else "its own rows call for a reduction"
            if decision.action == "reduce"
            else "its own rows call for no change"
        )
        return DrugDecision(
            decision.drug,
            "insufficient_data",
            None,
            None,
            None,
            (*decision.reasons, f"{decision.drug}: not decided — {own}; {waits}"),
            decision.basis,
            decision.gaps,
        )
    return DrugDecision(
        decision.drug,
        decision.action,
        None,
        None,
        None,
        (*decision.reasons, waits),
        decision.basis,
        decision.gaps,
    )


_GIVEN = frozenset({"continue", "reduce"})
