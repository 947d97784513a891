"""The starting dose of one drug for one patient, adapted to liver, kidney, genotype and heart.

Why one module: one drug's starting dose is one decision. Measuring the case, evaluating every band
in three-valued logic, letting the most restrictive true band decide, turning it into an amount and
naming the gaps all read the same private `_Known` measurements in the order below; split, each
half would have to export them and the order would be in no one file. The tables themselves are
already `dose_tables`.

Public API (pure)::

    inputs = dose_inputs(case, limits, settings, doubts, instruments=rules.instruments)
                                                               # organ assessments, once per case
    result = drug_dose("paclitaxel", inputs, rules.doses, labels="us", settings=settings)
    result.to_json()                                           # the contract's `drugs[]` object

How a dose is decided (tables: resources/rules/doses/*.toml, see `dose_tables`):

1. The drug's first schedule for the label set is the standard (or `schedule=` picks one).
2. Every band of that schedule and label set is evaluated against the case in three-valued
   logic: true, false, or *unknown* (an input it needs is missing or doubted). Ranges are exact
   where the case is exact; "AST and/or ALT" uses the higher of the two, so a known AST above a
   threshold decides even when ALT is missing.
3. The most restrictive *true* band decides (contraindicated > not_recommended >
   insufficient_data > reduced (lower percent first) > caution > standard). The other true bands
   are still listed in `basis`, with their warnings.
4. An *unknown* band that would be more restrictive than the decision makes the result
   `insufficient_data`: no dose is printed, and `gaps` name the fields that would settle it
   (bands marked `if_unknown = "warn"`, e.g. pharmacogenomic ones, add a gap and a warning
   instead). Doubted lab values (likely unit mix-ups) count as unknown.
5. `alternative` bands (a disagreeing source, dosing.md §8) never decide; when they hold they
   are shown as warnings and in `basis`.
6. The absolute dose is computed from BSA (Mosteller, rounded to 0.01 m²), actual weight, or
   (carboplatin) Calvert with Cockcroft–Gault CrCl as the estimated GFR, capped as the Calvert
   row says (`instruments.kidney_equations.carboplatin_calvert`), with the arithmetic as text. Any
   missing input leaves it `None` with a gap; the per-m²/per-kg dose stands.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Sequence
from dataclasses import field
from typing import Any

from planner.domain.body import BodyAssessment, assess_body
from planner.domain.case import Case
from planner.domain.dose_tables import (
    NUMERIC_MEASURES,
    Condition,
    DoseBand,
    DoseTables,
    DrugDoseTable,
    Given,
    Schedule,
    compose_schedule,
)
from planner.domain.evidence import UNVERIFIED, Basis, Gap
from planner.domain.frozen_value import frozen_value
from planner.domain.hepatic import (
    RULE_CHILD_PUGH,
    RULE_ODWG,
    HepaticAssessment,
    assess_liver,
)
from planner.domain.hepatic import SOURCES as HEPATIC_SOURCES
from planner.domain.instruments.kidney_equations import CALVERT, carboplatin_calvert
from planner.domain.instruments.tables import Formula, InstrumentRules
from planner.domain.kidney import RULE_CRCL, SOURCE_CRCL, KidneyAssessment, assess_kidney
from planner.domain.limits import CaseLimits
from planner.domain.problems import Problem
from planner.domain.settings import ClinicSettings
from planner.domain.tablets import RULE as RULE_TABLETS
from planner.domain.tablets import TabletDose, TabletForm, tablet_dose

RULE_CALVERT = "dose.calvert"
SOURCE_CALVERT = "dose.ref.calvert"
RULE_BSA = "body.bsa"
SOURCE_BSA = "dose.ref.bsa"


class UnknownSchedule(ValueError):
    """A schedule id that the drug's table does not define for the label set."""


@frozen_value
class DoseInputs:
    """Everything a dose rule may read, assessed once per case."""

    hepatic: HepaticAssessment
    kidney: KidneyAssessment
    body: BodyAssessment
    lvef_percent: float | None
    cumulative_anthracycline_mg_m2: float | None
    dpyd: str | None
    ugt1a1: str | None
    instruments: InstrumentRules
    # Gilbert's syndrome recorded: a raised total bilirubin may be unconjugated (not hepatic
    # impairment); bilirubin bands still apply, with a caveat naming this (issue #15, class 7)
    gilbert_syndrome: bool | None = None
    # What the case says about each measure (`_measure`, a pure function of these inputs),
    # filled on first use and shared by every drug dosed from them: a plan doses ~17 drug
    # schedules whose bands read the same few measures. Not an init field, so
    # `dataclasses.replace` starts a fresh one.
    measures: dict[str, _Known] = field(default_factory=dict, init=False, repr=False, compare=False)


def dose_inputs(
    case: Case,
    limits: CaseLimits,
    settings: ClinicSettings | None = None,
    doubts: Iterable[Problem] = (),
    *,
    instruments: InstrumentRules,
) -> DoseInputs:
    doubts = tuple(doubts)
    clinical, disease = case.clinical, case.disease
    return DoseInputs(
        hepatic=assess_liver(case, limits, settings, doubts, instruments=instruments),
        kidney=assess_kidney(case, limits, doubts, instruments=instruments),
        body=assess_body(case, instruments=instruments),
        lvef_percent=None if clinical is None else clinical.lvef_percent,
        cumulative_anthracycline_mg_m2=(
            None if disease is None else disease.cumulative_anthracycline_mg_m2
        ),
        dpyd=None if clinical is None else clinical.dpyd,
        ugt1a1=None if clinical is None else clinical.ugt1a1,
        instruments=instruments,
        gilbert_syndrome=None if disease is None else disease.gilbert_syndrome,
    )


@frozen_value(hot=True)
class Amount:
    value: float
    unit: str

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "unit": self.unit}


@frozen_value(hot=True)
class AbsoluteDose:
    """The dose in mg with its arithmetic; for an oral drug sold as tablets, also the dose as
    whole tablets (`tablets`, contract §3: the calculated `value` stays, the rounded one is added)."""

    value: float
    unit: str
    text: str
    tablets: TabletDose | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "unit": self.unit, "text": self.text}
        if self.tablets is not None:
            out["tablets"] = self.tablets.to_json()
        return out

    def as_tablets(self, form: TabletForm | None) -> AbsoluteDose:
        """This dose with its whole-tablet form (itself when the drug has no tablet row)."""
        if form is None or self.unit != "mg":
            return self
        return dataclasses.replace(self, tablets=tablet_dose(self.value, form))


@frozen_value(hot=True)
class DrugDose:
    """One `drugs[]` object of the plan (contract §3, §3a).

    `how` is the route and timing without any dose ("IV on days 1, 8 and 15 every 28 days");
    the printed `schedule` is composed from it and this row's own `dose` and `loading_dose`, so
    it can never name a dose the row does not give, even after a later pass replaces the dose
    (a row with no dose names none)."""

    drug: str
    status: str
    standard_dose: Amount | None
    dose: Amount | None
    percent_of_standard: float | None
    absolute_dose: AbsoluteDose | None
    how: str | None
    schedule_id: str | None
    labels: str
    basis: tuple[Basis, ...]
    gaps: tuple[Gap, ...]
    warnings: tuple[str, ...]
    # For a stop (not_recommended, contraindicated): what was found against which limit, in
    # words ("CrCl 25 mL/min < 30"); set by the deciding band or by planner.domain.givable.
    stop_reason: str | None = None
    # the stop holds whatever the findings (a band that tests none, as "no US breast-cancer
    # indication"): on treatment it is a discontinuation, never a hold that could clear
    stop_whatever_found: bool = False
    # the deciding band's finding and words ("CrCl 40 mL/min ≥ 30 and < 50: 75 % of the dose"),
    # for a reduced dose as for a stop, and the measures it tested ("child_pugh"): what a reason
    # states instead of every note of the drug
    band_reason: str | None = None
    band_measures: tuple[str, ...] = ()
    band_words: str | None = None  # the band's own words alone (its warning)
    # the first cycle's dose where it differs from the maintenance `dose` (contract §3a)
    loading_dose: Amount | None = None
    loading_absolute_dose: AbsoluteDose | None = None
    # how and when as structure, for the booklet and the cycle sheet (route, days, cycle length,
    # the patient's words); printed only beside a printed schedule
    given: Given | None = None
    # medicines she takes that the drug's label says to avoid with it, giving no dose for the
    # combination (capivasertib with rifampicin): its warnings say so, and ranking lists an
    # option with it after the options of its tier that need no such change (rx21 F5)
    avoided_with: tuple[str, ...] = ()
    # stopped because of an allergy she has (to the drug, its class or what it contains): a stop a
    # specialist may reassess (desensitisation), said where every option of her line is stopped
    stopped_by_allergy: bool = False

    @property
    def schedule(self) -> str | None:
        if self.how is None:
            return None
        dose = self.dose
        if dose is None:
            return None  # a row that gives no dose prints no schedule (contract §3a)
        loading = self.loading_dose
        return compose_schedule(
            self.how, dose.unit, dose.value, None if loading is None else loading.value
        )

    def to_json(self) -> dict[str, Any]:
        loading, loading_abs = self.loading_dose, self.loading_absolute_dose
        if self.dose is None:  # no maintenance dose, no first-cycle dose either
            loading = loading_abs = None
        return {
            "drug": self.drug,
            "status": self.status,
            "standard_dose": None if self.standard_dose is None else self.standard_dose.to_json(),
            "dose": None if self.dose is None else self.dose.to_json(),
            "percent_of_standard": self.percent_of_standard,
            "absolute_dose": None if self.absolute_dose is None else self.absolute_dose.to_json(),
            "loading_dose": None if loading is None else loading.to_json(),
            "loading_absolute_dose": None if loading_abs is None else loading_abs.to_json(),
            "schedule": self.schedule,
            "schedule_id": self.schedule_id,
            "given": None if self.given is None or self.dose is None else self.given.to_json(),
            "labels": self.labels,
            "basis": [b.to_json() for b in self.basis],
            "gaps": [g.to_json() for g in self.gaps],
            "warnings": list(self.warnings),
            "stop_reason": self.stop_reason,
        }


# ---- what the case says about each measure ---------------------------------------------------


@frozen_value(hot=True)
class _Known:
    """A measure as known from the case: a closed interval (exact when low == high) or a set of
    possible categories, plus the gaps that keep it from being exact."""

    low: float = -math.inf
    high: float = math.inf
    values: frozenset[str] | None = None
    gaps: tuple[Gap, ...] = ()


_LAB_FIELDS = {
    "bilirubin_x_uln": ("bilirubin",),
    "ast_x_uln": ("ast",),
    "alt_x_uln": ("alt",),
    "alp_x_uln": ("alp",),
    "transaminases_x_uln": ("ast", "alt"),
    "bilirubin_mg_dl": ("bilirubin",),
    "odwg": ("bilirubin", "ast"),
    "child_pugh": ("bilirubin", "albumin", "inr"),
    "child_pugh_points": ("bilirubin", "albumin", "inr"),
}
_CHILD_PUGH_FIELDS = (
    "labs.bilirubin",
    "labs.albumin",
    "labs.inr",
    "clinical.ascites",
    "clinical.encephalopathy",
)


# the scores of each Child–Pugh class (Pugh 1973)
_CHILD_PUGH_POINTS = {"A": (5.0, 6.0), "B": (7.0, 9.0), "C": (10.0, 15.0)}


def _exact(value: float) -> _Known:
    return _Known(value, value)


def _hepatic_gaps(hepatic: HepaticAssessment, fields: Sequence[str]) -> tuple[Gap, ...]:
    return tuple(
        g for g in hepatic.gaps if any(g.field == f or g.field.startswith(f + ".") for f in fields)
    )


def _doubt_gaps(labs: Iterable[str]) -> tuple[Gap, ...]:
    return tuple(
        Gap(f"labs.{lab}.value", "unit or range doubt: rules that depend on it are not applied")
        for lab in labs
    )


def _measure(name: str, inputs: DoseInputs) -> _Known:
    hepatic = inputs.hepatic
    doubted = [lab for lab in _LAB_FIELDS.get(name, ()) if lab in hepatic.doubtful]
    if name == "transaminases_x_uln":
        values = {lab: hepatic.x_uln(lab) for lab in ("ast", "alt") if lab not in doubted}
        known = [v for v in values.values() if v is not None]
        gaps = _hepatic_gaps(
            hepatic, [f"labs.{lab}" for lab in ("ast", "alt") if values.get(lab) is None]
        )
        gaps += _doubt_gaps(doubted)
        if len(known) == 2:
            return _exact(max(known))
        if known:
            return _Known(max(known), math.inf, gaps=gaps)
        return _Known(gaps=gaps)
    if doubted:
        return _Known(gaps=_doubt_gaps(doubted))
    if name in ("bilirubin_x_uln", "ast_x_uln", "alt_x_uln", "alp_x_uln"):
        lab = name.removesuffix("_x_uln")
        value = hepatic.x_uln(lab)
        return (
            _exact(value)
            if value is not None
            else _Known(gaps=_hepatic_gaps(hepatic, [f"labs.{lab}"]))
        )
    if name == "bilirubin_mg_dl":
        if hepatic.bilirubin_mg_dl is not None:
            return _exact(hepatic.bilirubin_mg_dl)
        return _Known(gaps=(Gap("labs.bilirubin", "not recorded"),))
    if name == "odwg":
        gaps = (
            ()
            if len(hepatic.odwg_candidates) == 1
            else _hepatic_gaps(hepatic, ["labs.bilirubin", "labs.ast"])
        )
        return _Known(values=hepatic.odwg_candidates, gaps=gaps)
    if name == "child_pugh_points":
        found = hepatic.child_pugh
        if found is not None and found.points is not None:
            return _exact(found.points)
        if found is not None and found.points_range is not None:
            # the class is told whatever the INR (rx24 W2), its points are not
            low, high = found.points_range
            return _Known(low, high, gaps=_hepatic_gaps(hepatic, ["labs.inr"]))
        # the score lies within the classes still possible (A 5-6, B 7-9, C 10-15)
        spans = [_CHILD_PUGH_POINTS[c] for c in hepatic.child_pugh_classes]
        return _Known(
            min((lo for lo, _ in spans), default=-math.inf),
            max((hi for _, hi in spans), default=math.inf),
            gaps=_hepatic_gaps(hepatic, _CHILD_PUGH_FIELDS),
        )
    if name == "child_pugh":
        classes = hepatic.child_pugh_classes
        gaps = () if len(classes) == 1 else _hepatic_gaps(hepatic, _CHILD_PUGH_FIELDS)
        return _Known(values=classes, gaps=gaps)
    if name == "crcl_ml_min":
        kidney = inputs.kidney
        if kidney.doubtful:
            return _Known(gaps=_doubt_gaps(["creatinine"]))
        if kidney.crcl_ml_min is None:
            return _Known(gaps=kidney.gaps)
        return _exact(kidney.crcl_ml_min)
    if name == "creatinine_mg_dl":
        kidney = inputs.kidney
        if kidney.doubtful:
            return _Known(gaps=_doubt_gaps(["creatinine"]))
        if kidney.creatinine_mg_dl is None:
            return _Known(gaps=(Gap("labs.creatinine", "not recorded"),))
        return _exact(kidney.creatinine_mg_dl)
    if name == "lvef_percent":
        if inputs.lvef_percent is None:
            return _Known(gaps=(Gap("clinical.lvef_percent", "not recorded"),))
        return _exact(inputs.lvef_percent)
    if name == "cumulative_anthracycline_mg_m2":
        if inputs.cumulative_anthracycline_mg_m2 is None:
            return _Known(gaps=(Gap("disease.cumulative_anthracycline_mg_m2", "not recorded"),))
        return _exact(inputs.cumulative_anthracycline_mg_m2)
    if name in ("dpyd", "ugt1a1"):
        value = getattr(inputs, name)
        if value is None or value == "unknown":
            return _Known(gaps=(Gap(f"clinical.{name}", "genotype not known"),))
        return _Known(values=frozenset({value}))
    if name == "liver_metastases":
        flag = hepatic.liver_metastases
        if flag is None:
            return _Known(gaps=(Gap("disease.liver_metastases", "not recorded"),))
        return _Known(values=frozenset({"yes" if flag else "no"}))
    raise KeyError(name)  # the loader admits only known measures


def _holds(condition: Condition, known: _Known) -> bool | None:
    """Three-valued test of one condition: True, False or None (cannot tell)."""
    if condition.values is not None:
        candidates = known.values
        if candidates is None:
            return None
        if candidates <= condition.values:
            return True
        if not candidates & condition.values:
            return False
        return None
    low, high = known.low, known.high
    if low == high:
        return _above_lower(condition, low) and _below_upper(condition, low)
    if not _below_upper(condition, low) or not _above_lower(condition, high):
        return False  # the whole interval lies outside
    inside_low = _above_lower(condition, low) if math.isfinite(low) else condition.low is None
    inside_high = _below_upper(condition, high) if math.isfinite(high) else condition.high is None
    return True if inside_low and inside_high else None


def _above_lower(condition: Condition, x: float) -> bool:
    low = condition.low
    return low is None or x > low or (condition.low_inclusive and x == low)


def _below_upper(condition: Condition, x: float) -> bool:
    high = condition.high
    return high is None or x < high or (condition.high_inclusive and x == high)


def _band_holds(band: DoseBand, inputs: DoseInputs) -> tuple[bool | None, tuple[Gap, ...]]:
    """True when every condition holds, False when one fails, else None with the gaps of the
    conditions that could not be told."""
    cache = inputs.measures
    gaps: list[Gap] = []
    undecided = False
    for condition in band.when:
        known = cache.get(condition.measure)
        if known is None:
            known = cache[condition.measure] = _measure(condition.measure, inputs)
        held = _holds(condition, known)
        if held is False:
            return False, ()  # one failed condition decides (measures are pure: skip the rest)
        if held is None:
            undecided = True
            gaps.extend(known.gaps)
    return (None, tuple(gaps)) if undecided else (True, ())


# ---- the decision ----------------------------------------------------------------------------


def _fmt(value: float) -> str:
    return f"{round(value, 2):g}"


def drug_dose(
    drug: str,
    inputs: DoseInputs,
    tables: DoseTables,
    labels: str | None = None,
    settings: ClinicSettings | None = None,
    schedule: str | None = None,
) -> DrugDose:
    """The adapted starting dose of `drug` (pure; see the module docstring for the rules)."""
    settings = settings or ClinicSettings()
    labels = labels or settings.labels
    table = tables.drugs.get(drug)
    warnings: list[str] = []
    if not settings.available(drug):
        warnings.append(f"{drug} is not in the clinic formulary")
    if table is None:
        warnings.append(
            f"no dose table for {drug}: the dosing reference has no data, so no dose is printed"
        )
        return no_dose(drug, labels, warnings)
    chosen = _schedule(table, labels, schedule)
    basis: list[Basis] = list(chosen.basis(drug))
    gaps: list[Gap] = []
    if chosen.value is None:
        # No dose can be stated for this schedule (e.g. none established in a primary source):
        # the row is insufficient_data with the reason, never a printed dose.
        warnings.append(f"no dose printed: {chosen.no_dose_because}")
        warnings.extend(table.notes)
        return DrugDose(
            drug,
            "insufficient_data",
            None,
            None,
            None,
            None,
            chosen.how(),
            chosen.id,
            labels,
            tuple(basis),
            (),
            tuple(dict.fromkeys(warnings)),
        )
    if not chosen.verified:
        warnings.append(
            f"UNVERIFIED: the standard schedule ({chosen.text}) is not confirmed in a label read"
        )

    evaluated = [(band, *_band_holds(band, inputs)) for band in table.bands_for(labels, chosen.id)]
    true_bands = [b for b, held, _ in evaluated if held is True and not b.alternative]
    decision = chosen.standard_action
    deciding: DoseBand | None = None
    for band in true_bands:
        action = band.action(chosen.value)
        if action.rank > decision.rank:
            decision, deciding = action, band

    blocked: list[DoseBand] = []
    # a "caution" band that could not be checked (Child-Pugh B/C with the liver tests missing):
    # the row keeps the caution a known class could give, never "standard" (rule 2: a gap never
    # lowers caution; review 16c, exemestane went from "caution" to "standard")
    unchecked_caution = False
    for band, held, band_gaps in evaluated:
        if held is not None or band.alternative:
            continue
        action = band.action(chosen.value)
        if action.rank <= decision.rank:
            continue
        blocking = band.if_unknown == "block" and action.status not in ("standard", "caution")
        effect = (
            f"{drug}: cannot rule out '{band.describe()}' ({band.status}); no dose is printed"
            if blocking
            else f"{drug}: '{band.describe()}' ({band.status}) could not be checked"
        )
        for gap in band_gaps or (Gap("(case)", "input missing"),):
            entry = Gap(gap.field, effect)
            if entry not in gaps:
                gaps.append(entry)
        if band.if_unknown == "block" and action.status not in ("standard", "caution"):
            blocked.append(band)
        else:
            unchecked_caution = unchecked_caution or action.status == "caution"
            warnings.append(
                f"{band.id}: could not be checked ({band.describe()}): {band.warning or band.status}"
            )

    for band in sorted(true_bands, key=lambda b: b is not deciding):
        basis += band.basis(drug)
        if band.warning:
            warnings.append(band.warning)
        if not band.verified:
            warnings.append(
                f"UNVERIFIED: {band.id} rests on facts the dosing reference could not verify; "
                "confirm against the current label"
            )
    for band, held, _ in evaluated:
        if band.alternative and held is True:
            action = band.action(chosen.value)
            shown = (
                f"{_fmt(action.dose)} {chosen.unit}" if action.dose is not None else action.status
            )
            warnings.append(
                f"alternative ({band.id}, not applied): {shown}"
                + (f" — {band.warning}" if band.warning else "")
            )
            basis += band.basis(drug)
    basis.extend(_measure_basis(evaluated))

    status, percent = decision.status, decision.percent
    dose_value = decision.dose
    if unchecked_caution and status == "standard":
        status = "caution"
    if blocked:
        status, percent, dose_value = "insufficient_data", None, None
    timing = None
    given = chosen.given()
    if deciding is not None and deciding.timing and dose_value is not None:
        timing = deciding.timing
        given = chosen.given(deciding)
    if deciding is not None and inputs.gilbert_syndrome and decision.status != "standard":
        caveat = _gilbert_caveat(deciding)
        if caveat:
            warnings.append(caveat)
    dose = Amount(dose_value, chosen.unit) if dose_value is not None else None
    absolute = loading = loading_absolute = None
    if dose is not None:
        from_percent = deciding is not None and deciding.dose is None and not blocked
        absolute, abs_basis, abs_gaps = _absolute(dose, chosen.value, percent, inputs, from_percent)
        if absolute is not None and table.tablets is not None:
            absolute = absolute.as_tablets(table.tablets)
            basis.extend(
                Basis(RULE_TABLETS, s, table.tablets.verified) for s in table.tablets.sources
            )
        basis.extend(abs_basis)
        gaps.extend(g for g in abs_gaps if g not in gaps)
        # The first-cycle dose belongs to the standard maintenance dose (the loader refuses a
        # reduced band on a schedule with a loading dose).
        if chosen.loading is not None and dose_value == chosen.value:
            loading = Amount(chosen.loading, chosen.unit)
            loading_absolute, _, _ = _absolute(loading, chosen.value, None, inputs, False)
            if loading_absolute is not None:
                loading_absolute = loading_absolute.as_tablets(table.tablets)
    warnings.extend(table.notes)
    band_reason = None if deciding is None else _stop_reason(deciding, inputs)
    stop_reason = band_reason if status in ("not_recommended", "contraindicated") else None
    return DrugDose(
        drug=drug,
        status=status,
        standard_dose=Amount(chosen.value, chosen.unit),
        dose=dose,
        percent_of_standard=percent,
        absolute_dose=absolute,
        how=chosen.how(timing),
        schedule_id=chosen.id,
        labels=labels,
        basis=tuple(dict.fromkeys(basis)),
        gaps=tuple(gaps),
        warnings=tuple(dict.fromkeys(warnings)),
        stop_reason=stop_reason,
        stop_whatever_found=stop_reason is not None
        and deciding is not None
        and deciding.whatever_found,
        band_reason=band_reason,
        band_measures=()
        if deciding is None
        else tuple(c.measure for c in deciding.when if not c.always),
        band_words=None
        if deciding is None or not deciding.warning
        else deciding.warning + ("" if deciding.verified else UNVERIFIED),
        loading_dose=loading,
        loading_absolute_dose=loading_absolute,
        given=given,
    )


_MEASURE_WORDS = {
    "crcl_ml_min": "CrCl",
    "creatinine_mg_dl": "creatinine",
    "bilirubin_x_uln": "bilirubin",
    "bilirubin_mg_dl": "bilirubin",
    "ast_x_uln": "AST",
    "alt_x_uln": "ALT",
    "alp_x_uln": "ALP",
    "transaminases_x_uln": "AST/ALT",
    "lvef_percent": "LVEF",
    "odwg": "NCI-ODWG hepatic impairment",
    "child_pugh": "Child–Pugh class",
    "child_pugh_points": "Child–Pugh score",
    "dpyd": "DPYD",
    "ugt1a1": "UGT1A1",
    "liver_metastases": "liver metastases",
}


def _stop_reason(band: DoseBand, inputs: DoseInputs) -> str:
    """What the case showed against each condition of the band that decided (stopped or reduced)
    the drug, organ function first ("CrCl 25 mL/min < 30"), then the band's own words."""
    found = []
    for condition in band.when:
        if condition.always:
            continue  # tests no finding: "NCI-ODWG normal" is not why a label set stops it
        known = inputs.measures.get(condition.measure) or _measure(condition.measure, inputs)
        words = _MEASURE_WORDS.get(condition.measure, condition.measure)
        if condition.values is not None:
            shown = "/".join(sorted(known.values or ())) or "?"
            found.append(f"{words} {shown}")
            continue
        unit = NUMERIC_MEASURES[condition.measure]
        # CrCl to 0.1 mL/min as printed elsewhere ("CrCl 25 mL/min < 30"); multiples to 0.01
        digits = 1 if unit == "mL/min" else 2
        value = f"{round(known.low, digits):g} {unit}" if known.low == known.high else "?"
        found.append(f"{words} {value} {condition.edges_words}")
    reason = "; ".join(found)
    said = band.warning or f"{band.status.replace('_', ' ')} (label)"
    return (f"{reason}: {said}" if reason else said) + ("" if band.verified else UNVERIFIED)


_BILIRUBIN_MEASURES = frozenset(
    {"bilirubin_x_uln", "bilirubin_mg_dl", "odwg", "child_pugh", "child_pugh_points"}
)
GILBERT_CAVEAT = "Gilbert's syndrome recorded"  # how the caveat starts (kept on a stopped row)


def _gilbert_caveat(band: DoseBand) -> str | None:
    """The caveat for a decision that rests on total bilirubin when Gilbert's is recorded: the
    band is applied (never silently waived), and the clinician is told why it may not fit."""
    if not any(c.measure in _BILIRUBIN_MEASURES for c in band.when):
        return None
    return (
        f"{GILBERT_CAVEAT}: this decision ({band.id}: {band.describe()}) rests on total "
        "bilirubin, which may be raised by unconjugated bilirubin from Gilbert's rather than by "
        "liver impairment. The band is applied as written; judge with the conjugated (direct) "
        "bilirubin and the transaminases before giving or changing this dose."
    )


def no_dose(
    drug: str, labels: str, warnings: Sequence[str], basis: Sequence[Basis] = ()
) -> DrugDose:
    """An `insufficient_data` row: no dose, no schedule, and the reasons as warnings."""
    return DrugDose(
        drug,
        "insufficient_data",
        None,
        None,
        None,
        None,
        None,
        None,
        labels,
        tuple(basis),
        (),
        tuple(dict.fromkeys(warnings)),
    )


def _schedule(table: DrugDoseTable, labels: str, wanted: str | None) -> Schedule:
    available = table.schedules_for(labels)
    if wanted is None:
        return available[0]
    for schedule in available:
        if schedule.id == wanted:
            return schedule
    known = ", ".join(s.id for s in available)
    raise UnknownSchedule(f"{table.name} has no schedule {wanted!r} for labels {labels} ({known})")


def _measure_basis(
    evaluated: Sequence[tuple[DoseBand, bool | None, tuple[Gap, ...]]],
) -> list[Basis]:
    used: set[str] = set()
    for band, held, _ in evaluated:
        if held is True:
            used |= band.measures
    out = []
    if "odwg" in used:
        out.append(_ODWG_BASIS)
    if used & _CHILD_PUGH_MEASURES:
        out.append(_CHILD_PUGH_BASIS)
    if "crcl_ml_min" in used:
        out.append(_CRCL_BASIS)
    return out


_ODWG_BASIS = Basis(RULE_ODWG, HEPATIC_SOURCES[RULE_ODWG], True)
_CHILD_PUGH_BASIS = Basis(RULE_CHILD_PUGH, HEPATIC_SOURCES[RULE_CHILD_PUGH], True)
_CHILD_PUGH_MEASURES = frozenset({"child_pugh", "child_pugh_points"})
_CRCL_BASIS = Basis(RULE_CRCL, SOURCE_CRCL, True)


def _absolute(
    dose: Amount,
    standard: float,
    percent: float | None,
    inputs: DoseInputs,
    from_percent: bool,
) -> tuple[AbsoluteDose | None, list[Basis], list[Gap]]:
    unit = dose.unit
    reduced = from_percent and percent is not None and percent < 100.0
    if unit == "mg":
        return AbsoluteDose(dose.value, "mg", f"{_fmt(dose.value)} mg (flat dose)"), [], []
    if unit == "AUC":
        kidney = inputs.kidney
        if kidney.doubtful or kidney.crcl_ml_min is None:
            effect = "no creatinine clearance: the carboplatin dose in mg (Calvert) cannot be given"
            gaps = (
                list(_doubt_gaps(["creatinine"]))
                if kidney.doubtful
                else [Gap(g.field, effect) for g in kidney.gaps]
            )
            return None, [], gaps
        calvert = inputs.instruments.get(CALVERT, Formula)
        raw_mg, gfr, capped = carboplatin_calvert(
            dose.value, round(kidney.crcl_ml_min, 1), True, inputs.instruments
        )
        mg = _round_mg(raw_mg)
        cap = f", capped at {calvert['estimated_gfr_cap']:g} mL/min" if capped else ""
        text = (
            f"AUC {_fmt(dose.value)} × ({gfr:.1f} + {calvert['gfr_offset']:g}) mL/min = {mg:g} mg "
            f"(Calvert; GFR = Cockcroft–Gault CrCl{cap})"
        )
        return (
            AbsoluteDose(mg, "mg", text),
            [Basis(RULE_CALVERT, SOURCE_CALVERT, True), Basis(RULE_CRCL, SOURCE_CRCL, True)],
            [],
        )
    lead = (
        f"{_fmt(standard)} {unit} × {_fmt(percent or 100)} % = {_fmt(dose.value)} {unit}"
        if reduced
        else f"{_fmt(dose.value)} {unit}"
        + ("" if from_percent or percent in (None, 100.0) else " (adapted dose)")
    )
    if unit == "mg/m2":
        bsa = inputs.body.bsa_m2
        if bsa is None:
            return (
                None,
                [],
                [
                    Gap(g.field, "not recorded: the dose in mg (from BSA) cannot be given")
                    for g in inputs.body.gaps
                ],
            )
        absolute = body_size_dose(dose.value, unit, bsa_m2=bsa, lead=lead)
        assert absolute is not None
        return absolute, [Basis(RULE_BSA, SOURCE_BSA, True)], []
    if unit == "mg/kg":
        weight = inputs.body.weight_kg
        if weight is None:
            return (
                None,
                [],
                [
                    Gap(
                        "body.weight_kg",
                        "not recorded: the dose in mg (from weight) cannot be given",
                    )
                ],
            )
        absolute = body_size_dose(dose.value, unit, weight_kg=weight, lead=lead)
        assert absolute is not None
        return absolute, [], []
    # The loader admits only DOSE_UNITS, so this is a programming error: fail loudly rather
    # than print a plan whose absolute dose quietly vanished.
    raise ValueError(f"no absolute-dose rule for unit {unit!r}")


def body_size_dose(
    value: float,
    unit: str,
    *,
    bsa_m2: float | None = None,
    weight_kg: float | None = None,
    lead: str | None = None,
) -> AbsoluteDose | None:
    """A per-m² or per-kg dose in mg, with its arithmetic (BSA by Mosteller rounded to 0.01 m²,
    actual weight): the one home of this arithmetic, for the plan and the cycle sheet. None when
    the unit is not per body size or the measure it needs is missing. `lead`: how the per-unit
    dose is written before the multiplication (default: the dose itself)."""
    lead = lead or f"{_fmt(value)} {unit}"
    if unit == "mg/m2" and bsa_m2 is not None:
        bsa2 = round(bsa_m2, 2)
        mg = _round_mg(value * bsa2)
        return AbsoluteDose(mg, "mg", f"{lead} × {bsa2:.2f} m2 (Mosteller) = {mg:g} mg")
    if unit == "mg/kg" and weight_kg is not None:
        mg = _round_mg(value * weight_kg)
        return AbsoluteDose(mg, "mg", f"{lead} × {_fmt(weight_kg)} kg (actual weight) = {mg:g} mg")
    return None


def _round_mg(value: float) -> float:
    """0.1 mg for ordinary doses, 0.01 mg below 10 mg (eribulin is about 1 mg)."""
    return round(value, 1) if value >= 10 else round(value, 2)
