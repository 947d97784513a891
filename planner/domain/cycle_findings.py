"""What the review before a cycle reads off the case (contract §5, steps 1 and 2 of
`planner.domain.cycle_review`): today's laboratory terms graded by CTCAE v5 (against her
baseline where it was raised), the toxicity events that join those grades with the ones the
nurse entered, and the measured values the label's rows test, each missing one a named gap.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any, Protocol

from planner.domain.case import URINE_DIPSTICK, Case, LabResult, Labs, Treatment
from planner.domain.cycle_tables import MEASURES, Threshold, shown, shown_as
from planner.domain.evidence import Basis, Gap
from planner.domain.frozen_value import frozen_value
from planner.domain.hepatic import HepaticAssessment, doubtful_labs
from planner.domain.instruments.liver_scores import CTCAE, CTCAE_BASELINE, CTCAE_COUNTS
from planner.domain.instruments.tables import Band, BandSet, InstrumentRules
from planner.domain.limits import CaseLimits
from planner.domain.plan_words import occurrence_words, side_effect_words, toxicity_words
from planner.domain.problems import Problem
from planner.domain.settings import ClinicSettings
from planner.domain.units import convert, to_canonical

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


class FindingInputs(Protocol):
    """What grading and measuring read besides the case: `GradingInputs`, or the review's own
    `ReviewInputs` (planner.domain.cycle_review), which holds the same and more."""

    @property
    def limits(self) -> CaseLimits: ...
    @property
    def hepatic(self) -> HepaticAssessment: ...
    @property
    def doubts(self) -> tuple[Problem, ...]: ...
    @property
    def instruments(self) -> InstrumentRules: ...
    @property
    def settings(self) -> ClinicSettings: ...


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
            # walk 23 #17: the sheet says which rule gave each grade (both, here)
            out["against_baseline"] = True
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
    # what was found: the entered worst grade (or the day's graded result), its occurrence
    found: str
    # an entered side effect whose term today's labs grade too: today's grade and the result
    # it is read from, said apart from the entered worst (rx23 W3: "grade 4 (neutrophils 1.9)"
    # read as today's grade beside a recovered count)
    today: str = ""

    @property
    def words(self) -> str:
        return self.found if not self.today else f"{self.found}; {self.today}"

    def words_lasting(self, days: int) -> str:
        """The words with how long the worst lasted, said beside the worst, not today's value."""
        lasting = f"{self.found}, lasting {days} days"
        return lasting if not self.today else f"{lasting}; {self.today}"

    def detail_field(self, detail: str) -> str:
        """Where a detail of this toxicity that was not recorded is entered: its own field
        ("treatment.toxicities[0].occurrence"), or for a grade read off the labs alone, the list
        a toxicity is entered in."""
        if self.field.startswith("treatment."):
            return f"{self.field}.{detail}"
        return "treatment.toxicities"


# ---- 1. grading -----------------------------------------------------------------------------


def _bands(instruments: InstrumentRules, rule_id: str) -> BandSet:
    return instruments.get(rule_id, BandSet)


def _basis_of(bands: BandSet) -> tuple[Basis, ...]:
    return tuple(Basis(bands.id, s, bands.verified) for s in bands.sources)


def _graded(
    name: str,
    bands: BandSet,
    band: Band,
    finding: str,
    note: str = "",
    *,
    x_uln: Graded | None = None,
    against_baseline: bool = False,
) -> Graded:
    """Lab `name` graded by `band` of a CTCAE table, with that table as its basis."""
    return Graded(
        LAB_TERMS[name],
        int(band.value or 0),
        band.shown(),
        f"labs.{name}",
        finding,
        _basis_of(bands),
        note,
        x_uln=x_uln,
        against_baseline=against_baseline,
    )


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


def grade_labs(case: Case, inputs: FindingInputs) -> tuple[list[Graded], list[Gap]]:
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
        graded.append(_graded(name, bands, band, f"{words} {shown(value)} {unit}"))
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
                x_uln = _graded(
                    name,
                    uln_bands,
                    uln_band,
                    # which grading a drug reads, and why, is its own reason, said once per
                    # drug (cycle_organ.with_liver_grading): each term said it again (walk 23 #17)
                    f"{words} {shown(test.x_uln)} × ULN; against her raised baseline of "
                    f"{shown(base_value / base_uln)} × ULN, CTCAE v5 grade {band.shown()}",
                )
            graded.append(
                _graded(
                    name,
                    bands,
                    band,
                    f"{words} {shown(ratio)} × her baseline ({shown(base_value)} {test.unit} on "
                    f"{baseline.drawn_on.isoformat()}, above the ULN; CTCAE v5 grades against an "
                    "abnormal baseline)",
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
        graded.append(_graded(name, bands, band, f"{words} {shown(test.x_uln)} × ULN", note))
    return graded, gaps


def ungraded_terms(graded: list[Graded], gaps: list[Gap]) -> dict[str, Gap]:
    """The laboratory terms today's labs leave ungraded (the result not recorded, a unit or range
    doubt, no ULN), each with the gap that says why: a label row on such a term cannot be told
    today, whatever the nurse entered (contract §5: a result a row needs and does not have is a
    gap, never grade 0). Which drug needs which term is its table's rows, not a list here."""
    done = {g.term for g in graded}
    why = {g.field.removesuffix(".uln"): g for g in gaps}
    return {
        term: why.get(f"labs.{name}") or Gap(f"labs.{name}", "not recorded")
        for name, term in LAB_TERMS.items()
        if term not in done
    }


def lab_words(term: str) -> str:
    """The result a laboratory term is graded from, in words ("platelets", "ALT")."""
    name = next(n for n, t in LAB_TERMS.items() if t == term)
    return _LAB_WORDS[name][0]


def toxicity_events(
    treatment: Treatment, graded: list[Graded], drawn_on: dt.date | None = None
) -> tuple[list[Event], list[str], list[Graded]]:
    """Join lab grades and entered toxicities: for the same term the higher grade is used, and
    the plan says so. Where both exist, the words keep them apart: the worst since the last
    cycle as entered, and today's grade with its result and `drawn_on` date."""
    by_term = {g.term: g for g in graded}
    events: list[Event] = []
    notes: list[str] = []
    used: set[str] = set()
    out_graded = list(graded)
    for i, tox in enumerate(treatment.toxicities):
        where = f"treatment.toxicities[{i}]"
        # in words, never the field path (issue 19 review: the override question read
        # "treatment.toxicities[0]"): "entered side effect 1: diarrhoea grade 2, occurrence 1"
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
                    f"{said}: {words} grade {tox.worst_grade}{occurrence_words(tox.occurrence)}",
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
                f"from {said}: the higher ({current}, {higher}) is used"
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
                f"{said}: {words} grade {worst} at its worst since the last cycle "
                f"({'entered' if tox.worst_grade >= current else 'today'})"
                f"{occurrence_words(tox.occurrence)}",
                _today_words(lab, current, drawn_on),
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


def _today_words(lab: Graded, current: int, drawn_on: dt.date | None) -> str:
    """Today's grade of an entered side effect and the result it is read from: "today grade 0
    (neutrophils 1.9 × 10⁹/L, drawn 2026-12-06)"; a higher entered current grade is the one
    used (the note says so)."""
    grade = lab.shown if current == lab.grade else str(current)
    drawn = "" if drawn_on is None else f", drawn {drawn_on.isoformat()}"
    return f"today grade {grade} ({lab.finding}{drawn})"


# ---- measured values the rules test ---------------------------------------------------------


def measured_values(case: Case, inputs: FindingInputs) -> tuple[dict[str, float], dict[str, Gap]]:
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


def _baseline_transaminases(baseline: Labs | None, inputs: FindingInputs) -> float | None:
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


def finding_words(threshold: Threshold, value: float) -> str:
    words, unit, _ = MEASURES[threshold.measure]
    return f"{words} {shown_as(threshold.measure, value)} {unit}".strip()
