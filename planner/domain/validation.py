"""The one validator of the case document (contract §2), used by every door: CLI, store, UI, import.

`validate_case(raw, limits)` returns `(Case, doubts)` or raises `InputInvalid` listing every
problem with its field path. Doubts are accepted values that look like a unit mix-up; the plan
raises them as `unit_or_range_doubt` alerts.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from planner.domain import case as c
from planner.domain.frozen_value import frozen_value
from planner.domain.instruments import inputs
from planner.domain.json_checks import (
    INVALID,
    Checker,
    Choice,
    Day,
    Flag,
    Many,
    Maybe,
    Number,
    Record,
    Text,
    describe,
    format_number,
    join_path,
    ordered_dates,
    run,
)
from planner.domain.limits import CaseLimits, LabDefinition
from planner.domain.plan_words import unit_words as shown_unit
from planner.domain.problems import InputInvalid, Problem


def opt(spec: Any) -> tuple[Any, bool]:
    return (Maybe(spec), False)


def req(spec: Any) -> tuple[Any, bool]:
    return (spec, True)


@frozen_value
class LabValue:
    """A lab result checked against its unit: refused outside what is possible, doubted outside
    what is plausible (the usual sign of a unit mix-up)."""

    name: str

    def __call__(self, raw: Any, path: str, chk: Checker) -> Any:
        lab = chk.limits.labs.get(self.name)
        if lab is None:
            return chk.error(path, f"no limits are defined for lab {self.name}")
        if not isinstance(raw, dict):
            return chk.error(path, f"{describe(raw)} is not a result object")
        allowed = {"value", "unit", "uln"} if lab.takes_uln else {"value", "unit"}
        bad = [k for k in raw if k not in allowed]
        for key in bad:
            chk.error(join_path(path, key), "is not a known field")
        if bad:
            return INVALID
        units = list(lab.units)
        unitless = units == [""]
        value = raw.get("value")
        unit = raw.get("unit", "" if unitless else None)
        if unit is None:
            return chk.error(f"{path}.unit", f"is required (one of {', '.join(units)})")
        if not isinstance(unit, str) or unit not in lab.units:
            shown = ", ".join(u for u in units if u) or "no unit"
            return chk.error(f"{path}.unit", f"{describe(unit)} is not one of {shown}")
        if value is None:
            return chk.error(f"{path}.value", "is required")
        if isinstance(value, bool) or not isinstance(value, int | float):
            return chk.error(f"{path}.value", f"{describe(value)} is not a number")
        rng = lab.units[unit]
        unit_words = f" {shown_unit(unit)}" if unit else ""
        if not rng.possible_low <= value <= rng.possible_high:
            return chk.error(
                f"{path}.value",
                f"{describe(value)}{unit_words} is outside the possible range "
                f"{format_number(rng.possible_low)}–{format_number(rng.possible_high)}{unit_words}"
                + _other_unit_hint(lab, unit, value),
            )
        if not rng.plausible_low <= value <= rng.plausible_high:
            chk.doubt(
                f"{path}.value",
                f"{describe(value)}{unit_words} is possible but implausible for {lab.label} "
                f"(expected {format_number(rng.plausible_low)}–"
                f"{format_number(rng.plausible_high)}{unit_words}): likely unit mix-up, check the unit"
                + _other_unit_hint(lab, unit, value),
            )
        uln = raw.get("uln")
        if uln is not None:
            if isinstance(uln, bool) or not isinstance(uln, int | float) or uln <= 0:
                return chk.error(f"{path}.uln", f"{describe(uln)} is not a positive number")
            low, high = rng.uln_plausible_low, rng.uln_plausible_high
            if low is not None and high is not None and not low <= uln <= high:
                chk.doubt(
                    f"{path}.uln",
                    f"{describe(uln)}{unit_words} is an implausible upper limit of normal for "
                    f"{lab.label} (expected {format_number(low)}–{format_number(high)}{unit_words}): "
                    "check the unit",
                )
        return c.LabResult(float(value), unit or None, None if uln is None else float(uln))


def _other_unit_hint(lab: LabDefinition, unit: str, value: float) -> str:
    """Name the other unit in which this number would be plausible, if there is one."""
    for other, rng in lab.units.items():
        if other != unit and rng.plausible_low <= value <= rng.plausible_high:
            return f" ({format_number(value)} would be plausible in {shown_unit(other)})"
    return ""


@frozen_value
class DrugName:
    """A lower-case international non-proprietary name known to the rules' drug catalogue."""

    def __call__(self, raw: Any, path: str, chk: Checker) -> Any:
        if not isinstance(raw, str):
            return chk.error(path, f"{describe(raw)} is not a drug name")
        if raw in chk.limits.drugs:
            return raw
        canonical = chk.limits.canonical_drug(raw)  # INN / US adopted name: kept as the name
        if canonical in chk.limits.drugs:
            return canonical
        import difflib  # only for a name that is wrong: a valid case never needs it

        near = difflib.get_close_matches(raw.lower().strip(), sorted(chk.limits.drugs), n=1)
        hint = f' (did you mean "{near[0]}"?)' if near else ""
        return chk.error(
            path,
            f"{describe(raw)} is not a known lower-case international non-proprietary name{hint}",
        )


def _lookup_name(raw: str) -> str:
    """How a typed name is looked up: case-insensitive, outer and doubled spaces ignored."""
    return " ".join(raw.split()).lower()


@frozen_value
class MedicineName:
    """A catalogue drug (anticancer or not) by its INN or an accepted alias, in any letter case;
    the INN is what is kept."""

    def __call__(self, raw: Any, path: str, chk: Checker) -> Any:
        if not isinstance(raw, str):
            return chk.error(path, f"{describe(raw)} is not a drug name")
        found = chk.limits.medicines.get(_lookup_name(raw))
        if found is not None:
            return found
        import difflib  # only for a name that is wrong: a valid case never needs it

        near = difflib.get_close_matches(_lookup_name(raw), sorted(chk.limits.medicines), n=1)
        hint = f' (did you mean "{chk.limits.medicines[near[0]]}"?)' if near else ""
        return chk.error(
            path,
            f"{describe(raw)} is not an international non-proprietary name in the catalogue{hint}",
        )


@frozen_value
class AllergySubstance:
    """An INN or alias (kind "drug"), a class as written in the catalogue ("taxanes"; kind
    "class"), or free text (kind "other": kept, shown, matched against nothing)."""

    def __call__(self, raw: Any, path: str, chk: Checker) -> Any:
        written = Text(max_len=100)(raw, path, chk)
        if written is INVALID:
            return INVALID
        key = _lookup_name(written)
        if key in chk.limits.medicines:
            return (chk.limits.medicines[key], "drug", written)
        if key in chk.limits.allergy_classes:
            return (chk.limits.allergy_classes[key], "class", written)
        return (written, "other", written)


def _allergy(
    substance: tuple[str, str, str], reaction: str | None, severity: str | None
) -> c.Allergy:
    name, kind, written = substance
    return c.Allergy(name, kind, written, reaction, severity)


def _score_items(key: str, count: int) -> Many:
    return Many(Maybe(Number(key)), unique=False, exact_len=count)


def _age_in_range(values: Mapping[str, Any], path: str, chk: Checker) -> None:
    patient, on = values.get("patient"), values.get("assessed_on")
    if (
        not isinstance(patient, c.Patient)
        or patient.birth_date is None
        or not isinstance(on, dt.date)
    ):
        return
    if patient.birth_date > on:
        chk.error(
            "patient.birth_date",
            f"{patient.birth_date.isoformat()} is after the assessment date {on.isoformat()}",
        )
        return
    age = c.Case(c.SCHEMA, patient, on).age_years()
    bounds = chk.limits.fields["patient.age_years"]
    if age is not None and not bounds.low <= age <= bounds.high:
        chk.error(
            "patient.birth_date",
            f"gives an age of {age} years, outside {format_number(bounds.low)}–"
            f"{format_number(bounds.high)} years",
        )


def _labs_before_assessment(values: Mapping[str, Any], path: str, chk: Checker) -> None:
    on, labs = values.get("assessed_on"), values.get("labs")
    if isinstance(labs, c.Labs) and isinstance(on, dt.date) and labs.drawn_on > on:
        chk.error(
            "labs.drawn_on",
            f"{labs.drawn_on.isoformat()} is after the assessment date {on.isoformat()}",
        )
    previous = values.get("previous_labs") or ()
    seen: set[dt.date] = set()
    for i, panel in enumerate(previous):
        if isinstance(labs, c.Labs) and panel.drawn_on >= labs.drawn_on:
            chk.error(
                f"previous_labs[{i}].drawn_on",
                f"{panel.drawn_on.isoformat()} is not before the current labs "
                f"({labs.drawn_on.isoformat()})",
            )
        if panel.drawn_on in seen:
            chk.error(
                f"previous_labs[{i}].drawn_on", f"{panel.drawn_on.isoformat()} is listed twice"
            )
        seen.add(panel.drawn_on)


def _not_after_today(values: Mapping[str, Any], path: str, chk: Checker) -> None:
    """An assessment and its results are dated on or before the day they are entered: 17/12
    typed for 07/12 passed every check and became the patient's current plan (issue 16,
    review 16c finding 11). Checked only where the caller says which day it is."""
    if chk.today is None:
        return
    on, labs = values.get("assessed_on"), values.get("labs")
    if isinstance(on, dt.date) and on > chk.today:
        chk.error(
            "assessed_on",
            f"{on.isoformat()} is after today ({chk.today.isoformat()}): an assessment is dated "
            "the day she was seen",
        )
    if isinstance(labs, c.Labs) and labs.drawn_on > chk.today:
        chk.error(
            "labs.drawn_on",
            f"{labs.drawn_on.isoformat()} is after today ({chk.today.isoformat()}): results are "
            "dated the day the blood was drawn",
        )


def _lab_panel() -> Record:
    return Record(
        {"drawn_on": req(Day()), **{name: opt(LabValue(name)) for name in c.LAB_NAMES}},
        build=c.Labs,
    )


PATIENT = Record(
    {
        "mrn": req(
            Text(
                max_len=40,
                pattern=r"[A-Za-z0-9][A-Za-z0-9 ._/-]*",
                pattern_words="letters, digits, spaces, . _ / -",
            )
        ),
        "family_name": req(Text(max_len=100)),
        "given_name": opt(Text(max_len=100)),
        "birth_date": opt(Day()),
        "sex": opt(Choice(c.SEXES)),
        "menopausal_status": opt(Choice(c.MENOPAUSAL_STATUSES)),
        "language": opt(Choice(c.LANGUAGES)),
    },
    build=c.Patient,
)


def _earlier_weight_dated(values: Mapping[str, Any], path: str, chk: Checker) -> None:
    """An earlier weight without its date cannot say over what period she lost weight."""
    kg, on = values.get("earlier_weight_kg"), values.get("earlier_weight_on")
    if kg is not None and on is None:
        chk.error(join_path(path, "earlier_weight_on"), "is required with earlier_weight_kg")
    if on is not None and kg is None:
        chk.error(join_path(path, "earlier_weight_kg"), "is required with earlier_weight_on")


def _earlier_weight_before_assessment(values: Mapping[str, Any], path: str, chk: Checker) -> None:
    on, body = values.get("assessed_on"), values.get("body")
    earlier = body.earlier_weight_on if isinstance(body, c.Body) else None
    if isinstance(on, dt.date) and earlier is not None and earlier >= on:
        chk.error(
            "body.earlier_weight_on",
            f"{earlier.isoformat()} is not before the assessment date {on.isoformat()}",
        )


BODY = Record(
    {
        "height_cm": opt(Number("body.height_cm")),
        "weight_kg": opt(Number("body.weight_kg")),
        "weight_6_months_ago_kg": opt(Number("body.weight_kg")),
        "earlier_weight_kg": opt(Number("body.weight_kg")),
        "earlier_weight_on": opt(Day()),
    },
    build=c.Body,
    checks=(_earlier_weight_dated,),
)

BIOLOGY = Record(
    {
        "er_percent": opt(Number("biology.percent")),
        "pr_percent": opt(Number("biology.percent")),
        "her2_ihc": opt(Choice(c.HER2_IHC)),
        "her2_ish": opt(Choice(c.HER2_ISH)),
        "ki67_percent": opt(Number("biology.percent")),
        "pik3ca": opt(Choice(c.MUTATION_STATES)),
        "akt1_pten": opt(Choice(c.MUTATION_STATES)),
        "esr1": opt(Choice(c.MUTATION_STATES)),
        "gbrca": opt(Choice(c.GERMLINE_STATES)),
        "pdl1_cps": opt(Number("biology.pdl1_cps")),
    },
    build=c.Biology,
)


@frozen_value
class DoseByDrug:
    """`{"epirubicin": 400}`: a cumulative mg/m² per drug name (synonyms become the catalogue name)."""

    def __call__(self, raw: Any, path: str, chk: Checker) -> Any:
        if not isinstance(raw, dict) or not raw:
            return chk.error(path, f"{describe(raw)} is not an object of drug: mg/m2")
        out: dict[str, float] = {}
        for name, amount in raw.items():
            drug = DrugName()(name, join_path(path, str(name)), chk)
            value = Number("disease.cumulative_anthracycline_mg_m2")(
                amount, join_path(path, str(name)), chk
            )
            if drug is INVALID or value is INVALID:
                continue
            if drug in out:
                chk.error(join_path(path, str(name)), f"{describe(name)} is listed twice")
                continue
            out[drug] = value
        return tuple(sorted(out.items())) if len(out) == len(raw) else INVALID


def _doses_of_listed_drugs(values: Mapping[str, Any], path: str, chk: Checker) -> None:
    doses, drugs = values.get("cumulative_mg_m2"), values.get("drugs") or ()
    for drug, _ in doses or ():
        if drug not in drugs:
            chk.error(
                join_path(join_path(path, "cumulative_mg_m2"), drug),
                f'"{drug}" is not one of this line\'s drugs ({", ".join(drugs)})',
            )


PRIOR_THERAPY = Record(
    {
        "drugs": req(Many(DrugName(), max_len=6)),
        "setting": req(Choice(c.THERAPY_SETTINGS)),
        "started_on": opt(Day()),
        "ended_on": opt(Day()),
        "reason_stopped": opt(Choice(c.STOP_REASONS)),
        # optional addition: cumulative mg/m² given of some of this line's drugs (anthracyclines)
        "cumulative_mg_m2": opt(DoseByDrug()),
    },
    build=c.PriorTherapy,
    checks=(ordered_dates("started_on", "ended_on", ""), _doses_of_listed_drugs),
)

DISEASE = Record(
    {
        "liver_metastases": opt(Flag()),
        "liver_lesions": opt(Choice(c.LIVER_LESIONS)),
        "other_sites": opt(Many(Choice(c.METASTATIC_SITES))),
        "biliary_obstruction": opt(Flag()),
        "gilbert_syndrome": opt(Flag()),
        "brain_metastases": opt(Flag()),
        "prior_therapy": opt(Many(PRIOR_THERAPY, unique=False, max_len=30)),
        "cumulative_anthracycline_mg_m2": opt(Number("disease.cumulative_anthracycline_mg_m2")),
        # optional addition: radiotherapy that included the mediastinum or heart (null: not recorded)
        "mediastinal_radiotherapy": opt(Flag()),
    },
    build=c.Disease,
)

CLINICAL = Record(
    {
        "ecog": opt(Number("clinical.ecog")),
        "ascites": opt(Choice(c.ASCITES)),
        "encephalopathy": opt(Choice(c.ENCEPHALOPATHY)),
        "lvef_percent": opt(Number("clinical.lvef_percent")),
        "neuropathy_grade": opt(Number("clinical.neuropathy_grade")),
        "dpyd": opt(Choice(c.DPYD)),
        "ugt1a1": opt(Choice(c.UGT1A1)),
        "diabetes": opt(Flag()),
        "surprise_question_no": opt(Flag()),
        # optional additions (contract: fields may be added): the PPI's signs, null = not assessed
        "edema": opt(Flag()),
        "dyspnea_at_rest": opt(Flag()),
        "delirium": opt(Flag()),
        # optional additions for the cycle review (issue 19): blood pressure, urine dipstick
        "systolic_bp_mmhg": opt(Number("clinical.systolic_bp_mmhg")),
        "diastolic_bp_mmhg": opt(Number("clinical.diastolic_bp_mmhg")),
        "urine_dipstick_protein": opt(Choice(c.URINE_DIPSTICK)),
    },
    build=c.Clinical,
)

ESAS = Record(
    {
        **{item: opt(Number("symptoms.esas")) for item in c.ESAS_ITEMS},
        "other": opt(
            Record(
                {"name": req(Text(max_len=60)), "score": req(Number("symptoms.esas"))},
                build=c.OtherSymptom,
            )
        ),
    },
    build=c.Esas,
)

SYMPTOMS = Record(
    {
        "esas": opt(ESAS),
        "pruritus": opt(Flag()),
        "jaundice": opt(Flag()),
        "constipation": opt(Flag()),
    },
    build=c.Symptoms,
)

PSYCHOSOCIAL = Record(
    {
        "distress_thermometer": opt(Number("psychosocial.distress_thermometer")),
        "problems": opt(Many(Choice(c.PROBLEM_AREAS))),
        "phq9": opt(_score_items("psychosocial.phq_item", len(c.PHQ9_ITEMS))),
        "gad7": opt(_score_items("psychosocial.phq_item", 7)),
        "lives_alone": opt(Flag()),
        "caregiver_strain": opt(Flag()),
    },
    build=c.Psychosocial,
)

# PG-SGA SF boxes 1-4: the instrument owns the shape (current weight comes from body).
PGSGA_SF = inputs.PGSGA_SF_IN_CASE

NUTRITION = Record(
    {
        "intake": opt(Choice(c.INTAKE)),
        "pgsga_sf": opt(PGSGA_SF),
        "must": opt(inputs.MUST_IN_CASE),
    },
    build=c.Nutrition,
)


def _pps_in_tens(values: Mapping[str, Any], path: str, chk: Checker) -> None:
    pps = values.get("pps_percent")
    if isinstance(pps, int) and pps % 10:
        chk.error(
            f"{path}.pps_percent", f"{pps} is not a multiple of 10 (PPS is scored in 10 % steps)"
        )


FUNCTION = Record(
    {
        "falls_past_3_months": opt(Number("function.falls_past_3_months")),
        "mobility": opt(Choice(c.MOBILITY)),
        "pps_percent": opt(Number("function.pps_percent")),
    },
    build=c.Function,
    checks=(_pps_in_tens,),
)

QOL = Record(
    {
        "qlq_c30": opt(inputs.QLQ_C30),
        "qlq_br23": opt(inputs.QLQ_BR23),
        "fact_b": opt(inputs.FACT_B),
    },
    build=c.QualityOfLife,
)

PREFERENCES = Record(
    {
        "declines_chemotherapy": opt(Flag()),
        "prefers_oral": opt(Flag()),
        "goals": opt(Text(max_len=500)),
    },
    build=c.Preferences,
)


MEDICATION = Record(
    {
        "drug": req(MedicineName()),
        "dose": opt(
            Record(
                {
                    "value": req(Number("medications.dose.value")),
                    "unit": req(Choice(c.MEDICATION_DOSE_UNITS)),
                },
                build=c.MedicationDose,
            )
        ),
        "route": opt(Choice(c.ROUTES)),
        "frequency": opt(Text(max_len=100)),
        "started_on": opt(Day()),
        "indication": opt(Text(max_len=200)),
    },
    build=c.Medication,
)

ALLERGY = Record(
    {
        "substance": req(AllergySubstance()),
        "reaction": opt(Text(max_len=200)),
        "severity": opt(Choice(c.ALLERGY_SEVERITIES)),
    },
    build=_allergy,
)


@frozen_value
class RegimenId:
    """A regimen id of the rule tables (contract §5: ids are stable across releases)."""

    def __call__(self, raw: Any, path: str, chk: Checker) -> Any:
        if isinstance(raw, str) and raw in chk.limits.regimens:
            return raw
        if not isinstance(raw, str):
            return chk.error(path, f"{describe(raw)} is not a regimen id")
        import difflib  # only for an id that is wrong: a valid case never needs it

        near = difflib.get_close_matches(raw, sorted(chk.limits.regimens), n=1)
        hint = f' (did you mean "{near[0]}"?)' if near else ""
        return chk.error(path, f"{describe(raw)} is not a regimen id of the rule tables{hint}")


TREATMENT_DOSE = Record(
    {
        "value": req(Number("treatment.dose")),
        "unit": req(Choice(c.TREATMENT_DOSE_UNITS)),
    },
    build=c.TreatmentDose,
)


def _same_dose_unit(values: Mapping[str, Any], path: str, chk: Checker) -> None:
    start, now = values.get("starting_dose"), values.get("current_dose")
    if (
        isinstance(start, c.TreatmentDose)
        and isinstance(now, c.TreatmentDose)
        and start.unit != now.unit
    ):
        chk.error(
            join_path(join_path(path, "current_dose"), "unit"),
            f'"{now.unit}" differs from the starting dose\'s "{start.unit}"',
        )


TREATMENT_DRUG = Record(
    {
        "drug": req(DrugName()),
        "starting_dose": req(TREATMENT_DOSE),
        "current_dose": req(TREATMENT_DOSE),
    },
    build=c.TreatmentDrug,
    checks=(_same_dose_unit,),
)

GIVEN_CYCLE = Record(
    {
        "cycle": req(Number("treatment.cycle")),
        "given_on": req(Day()),
        "drugs": req(
            Many(
                Record(
                    {"drug": req(DrugName()), "dose": req(TREATMENT_DOSE)},
                    build=c.GivenDrug,
                ),
                unique=False,
                max_len=8,
            )
        ),
    },
    build=c.GivenCycle,
)


def _grade_order(values: Mapping[str, Any], path: str, chk: Checker) -> None:
    worst, now = values.get("worst_grade"), values.get("current_grade")
    if isinstance(worst, int) and isinstance(now, int) and now > worst:
        chk.error(join_path(path, "current_grade"), f"{now} is above worst_grade {worst}")


TOXICITY = Record(
    {
        "term": req(Choice(c.TOXICITY_TERMS)),
        "worst_grade": req(Number("treatment.grade")),
        "current_grade": opt(Number("treatment.grade")),
        "occurrence": opt(Number("treatment.occurrence")),
        "drug": opt(DrugName()),
        "days": opt(Number("treatment.toxicity_days")),
    },
    build=c.Toxicity,
    checks=(_grade_order,),
)


def _treatment_consistent(values: Mapping[str, Any], path: str, chk: Checker) -> None:
    """The parts of a treatment that must agree with each other and with the regimen."""
    regimen = values.get("regimen")
    drugs = values.get("drugs") or ()
    names = [d.drug for d in drugs]
    regimen_drugs = chk.limits.regimens.get(regimen, ()) if isinstance(regimen, str) else ()
    for i, name in enumerate(names):
        if regimen_drugs and name not in regimen_drugs:
            chk.error(
                f"{path}.drugs[{i}].drug",
                f'"{name}" is not a drug of regimen {regimen} ({", ".join(regimen_drugs)})',
            )
        if name in names[:i]:
            chk.error(f"{path}.drugs[{i}].drug", f'"{name}" is listed twice')
    cycle, day, cycle_days = values.get("cycle"), values.get("day"), values.get("cycle_days")
    if isinstance(day, int) and isinstance(cycle_days, int) and day > cycle_days:
        chk.error(f"{path}.day", f"{day} is after the last day of a {cycle_days}-day cycle")
    for i, given in enumerate(values.get("given") or ()):
        where = f"{path}.given[{i}]"
        if isinstance(cycle, int) and given.cycle > cycle:
            chk.error(f"{where}.cycle", f"{given.cycle} is after the cycle being decided ({cycle})")
        started = values.get("started_on")
        if isinstance(started, dt.date) and given.given_on < started:
            chk.error(
                f"{where}.given_on",
                f"{given.given_on.isoformat()} is before started_on {started.isoformat()}",
            )
        for j, drug in enumerate(given.drugs):
            if drug.drug not in names:
                chk.error(
                    f"{where}.drugs[{j}].drug",
                    f'"{drug.drug}" is not in treatment.drugs ({", ".join(names)})',
                )
    for i, toxicity in enumerate(values.get("toxicities") or ()):
        if toxicity.drug is not None and toxicity.drug not in names:
            chk.error(
                f"{path}.toxicities[{i}].drug",
                f'"{toxicity.drug}" is not in treatment.drugs ({", ".join(names)})',
            )


TREATMENT = Record(
    {
        "regimen": req(RegimenId()),
        "cycle": req(Number("treatment.cycle")),
        "cycle_days": opt(Number("treatment.cycle_days")),
        "day": req(Number("treatment.day")),
        "started_on": opt(Day()),
        "drugs": req(Many(TREATMENT_DRUG, unique=False, max_len=8)),
        "given": opt(Many(GIVEN_CYCLE, unique=False, max_len=200)),
        "toxicities": opt(Many(TOXICITY, unique=False, max_len=60)),
        # optional addition: the LVEF before the course (labels' "fall from baseline" rules)
        "baseline_lvef_percent": opt(Number("clinical.lvef_percent")),
    },
    build=lambda given, toxicities, **rest: c.Treatment(
        given=given or (), toxicities=toxicities or (), **rest
    ),
    checks=(_treatment_consistent,),
)


def _treatment_dates(values: Mapping[str, Any], path: str, chk: Checker) -> None:
    on, treatment = values.get("assessed_on"), values.get("treatment")
    if not isinstance(treatment, c.Treatment) or not isinstance(on, dt.date):
        return
    if treatment.started_on is not None and treatment.started_on > on:
        chk.error(
            "treatment.started_on",
            f"{treatment.started_on.isoformat()} is after the assessment date {on.isoformat()}",
        )
    for i, given in enumerate(treatment.given):
        if given.given_on > on:
            chk.error(
                f"treatment.given[{i}].given_on",
                f"{given.given_on.isoformat()} is after the assessment date {on.isoformat()}",
            )


def _started_before_assessment(values: Mapping[str, Any], path: str, chk: Checker) -> None:
    on = values.get("assessed_on")
    for i, medication in enumerate(values.get("medications") or ()):
        started = medication.started_on
        if isinstance(on, dt.date) and started is not None and started > on:
            chk.error(
                f"medications[{i}].started_on",
                f"{started.isoformat()} is after the assessment date {on.isoformat()}",
            )


@frozen_value
class _Result:
    """A confirmed result's number (its unit is checked against its test in `_confirmed_jump`)."""

    def __call__(self, raw: Any, path: str, chk: Checker) -> Any:
        if isinstance(raw, bool) or not isinstance(raw, int | float) or raw < 0 or raw != raw:
            return chk.error(path, f"{describe(raw)} is not a number of 0 or more")
        return float(raw)


CONFIRMED_READING = Record(
    # an earlier result kept without its date (a draft) is compared and confirmed too
    {"value": req(_Result()), "unit": req(Text(max_len=20)), "drawn_on": opt(Day())},
    build=c.ConfirmedReading,
)


def _confirmed_units(values: Mapping[str, Any], path: str, chk: Checker) -> None:
    lab = chk.limits.labs.get(str(values.get("lab")))
    if lab is None:
        return
    for side in ("previous", "current"):
        reading = values.get(side)
        if isinstance(reading, c.ConfirmedReading) and reading.unit not in lab.units:
            shown = ", ".join(u for u in lab.units if u) or "no unit"
            chk.error(
                join_path(join_path(path, side), "unit"),
                f"{describe(reading.unit)} is not one of {shown} ({lab.label})",
            )
    before, now = values.get("previous"), values.get("current")
    if (
        isinstance(before, c.ConfirmedReading)
        and isinstance(now, c.ConfirmedReading)
        and before.drawn_on is not None
        and now.drawn_on is not None
        and before.drawn_on > now.drawn_on
    ):
        chk.error(
            join_path(join_path(path, "previous"), "drawn_on"),
            f"{before.drawn_on.isoformat()} is after the confirmed result's date "
            f"{now.drawn_on.isoformat()}",
        )


LAB_CONFIRMATION = Record(
    {
        "lab": req(Choice(c.LAB_NAMES)),
        "previous": req(CONFIRMED_READING),
        "current": req(CONFIRMED_READING),
        "confirmed_by": req(Text(max_len=100)),
        "confirmed_on": req(Day()),
    },
    build=c.LabConfirmation,
    checks=(_confirmed_units,),
)


def _confirmations_match_labs(values: Mapping[str, Any], path: str, chk: Checker) -> None:
    """A confirmation is of this case's result: one for another value (changed after it was
    confirmed) would print a confirmation nobody gave."""
    labs = values.get("labs")
    for i, confirmation in enumerate(values.get("lab_confirmations") or ()):
        result = getattr(labs, confirmation.lab, None) if isinstance(labs, c.Labs) else None
        now = confirmation.current
        if (
            result is None
            or not isinstance(labs, c.Labs)
            or result.value != now.value
            or (result.unit or "") != now.unit
            or labs.drawn_on != now.drawn_on
        ):
            chk.error(
                f"lab_confirmations[{i}].current",
                f"{format_number(now.value)} {shown_unit(now.unit)} on "
                f"{now.drawn_on.isoformat() if now.drawn_on else 'no date'} "
                f"is not this case's {confirmation.lab} result (labs.{confirmation.lab})",
            )


def _schema_tag(raw: Any, path: str, chk: Checker) -> Any:
    if raw != c.SCHEMA:
        return chk.error(path, f'{describe(raw)} is not "{c.SCHEMA}"')
    return raw


CASE = Record(
    {
        "schema": req(_schema_tag),
        "patient": req(PATIENT),
        "assessed_on": req(Day()),
        "body": opt(BODY),
        "biology": opt(BIOLOGY),
        "disease": opt(DISEASE),
        "labs": opt(_lab_panel()),
        "previous_labs": opt(Many(_lab_panel(), unique=False, max_len=60)),
        "clinical": opt(CLINICAL),
        "symptoms": opt(SYMPTOMS),
        "psychosocial": opt(PSYCHOSOCIAL),
        "nutrition": opt(NUTRITION),
        "function": opt(FUNCTION),
        "qol": opt(QOL),
        "preferences": opt(PREFERENCES),
        # contract §2a: what she takes now; the same drug may be listed twice (regular and as
        # needed), so entries are not required to be unique
        "medications": opt(Many(MEDICATION, unique=False, max_len=60)),
        "allergies": opt(Many(ALLERGY, unique=False, max_len=40)),
        "herbal_or_traditional": opt(Many(Text(max_len=100), max_len=30)),
        # contract §5: the regimen she is on; the plan then holds `next_cycle`
        "treatment": opt(TREATMENT),
        # added by this project: results the nurse confirmed after a delta-check question
        "lab_confirmations": opt(Many(LAB_CONFIRMATION, unique=False, max_len=30)),
    },
    build=c.Case,
    checks=(
        _age_in_range,
        _not_after_today,
        _labs_before_assessment,
        _started_before_assessment,
        _treatment_dates,
        _confirmations_match_labs,
        _earlier_weight_before_assessment,
    ),
)


def validate_case(
    raw: Any, limits: CaseLimits, today: dt.date | None = None
) -> tuple[c.Case, tuple[Problem, ...]]:
    """Check a parsed case document; return the typed case and any doubts, or raise InputInvalid.
    Texts are compared in NFC and refused with invisible or text-direction characters
    (`normalise_document`), whichever door the document came through. With `today`, an
    assessment or its labs dated after it are refused."""
    case, doubts = run(CASE, normalise_document(raw), limits, today=today)
    return case, doubts


def validate_patient(raw: Any, limits: CaseLimits) -> tuple[c.Patient, tuple[Problem, ...]]:
    """Check the `patient` part alone (new-patient dialog, import of demographics)."""
    return run(PATIENT, normalise_document(raw, "patient"), limits, "patient")


#: a case file is a few kilobytes; anything this large is not one (and would take minutes)
MAX_DOCUMENT_BYTES = 5_000_000
#: digits allowed in a JSON integer (Python refuses over 4,300; no field needs more than 12)
MAX_INTEGER_DIGITS = 30


class _TooLong(str):
    """An integer literal with too many digits, kept as its text until its field is named."""


def parse_json(text: str | bytes, source: str = "(document)") -> Any:
    """Parse JSON strictly: NaN/Infinity, numbers too large to be finite, integers of more than
    MAX_INTEGER_DIGITS digits, unpaired surrogates and duplicate keys are refused, each with
    the path of its field; documents over MAX_DOCUMENT_BYTES are refused unread."""
    if len(text) > MAX_DOCUMENT_BYTES:
        raise InputInvalid(
            (
                Problem(
                    source,
                    f"is {len(text) / 1e6:.1f} MB: too large for a case document (at most "
                    f"{MAX_DOCUMENT_BYTES / 1e6:.0f} MB)",
                ),
            )
        )

    def no_constants(name: str) -> Any:
        raise InputInvalid((Problem(source, f"{name} is not allowed in JSON"),))

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise InputInvalid(
                    (Problem(source, f'key "{_printable(key)}" appears twice in one object'),)
                )
            out[key] = value
        return out

    def integer(digits: str) -> Any:
        return _TooLong(digits) if len(digits.lstrip("-")) > MAX_INTEGER_DIGITS else int(digits)

    try:
        parsed = json.loads(
            text, parse_constant=no_constants, object_pairs_hook=no_duplicates, parse_int=integer
        )
    except json.JSONDecodeError as exc:
        raise InputInvalid(
            (
                Problem(
                    source, f"is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
                ),
            )
        ) from None
    except UnicodeDecodeError:
        raise InputInvalid((Problem(source, "is not UTF-8 text"),)) from None
    except RecursionError:
        raise InputInvalid((Problem(source, "is nested too deeply"),)) from None
    return normalise_document(parsed)


# ---- text and numbers every document is cleaned of, before any field is read ----------------

#: invisible characters that only hide what a name really is (a name with one displays
#: normally and cannot be found): zero-width space, word joiner, BOM, soft hyphen, Mongolian
#: vowel separator
INVISIBLE = frozenset("\u200b\u2060\ufeff\u00ad\u180e")
#: text-direction controls (left-to-right/right-to-left marks, embeddings, overrides, isolates)
BIDI_CONTROLS = frozenset(
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
#: zero-width (non-)joiners are kept between letters of scripts that need them (Devanagari,
#: Arabic/Persian), refused elsewhere
JOINERS = frozenset("\u200c\u200d")


def normalise_document(raw: Any, path: str = "") -> Any:
    """The document with every text in Unicode NFC (how names are compared and searched); or
    InputInvalid naming each field that holds a number too large to be finite, an integer of
    too many digits, an unpaired surrogate, or an invisible or text-direction character.
    Pure: the input is not changed."""
    import math
    import unicodedata

    problems: list[Problem] = []

    def text(value: str, where: str) -> str:
        where = where or "(document)"  # a bare string as the whole document still names a place
        for index, char in enumerate(value):
            code = ord(char)
            if 0xD800 <= code <= 0xDFFF:
                problems.append(
                    Problem(where, f"holds an unpaired surrogate (U+{code:04X}): not valid text")
                )
                return value
            if (
                char in INVISIBLE
                or char in BIDI_CONTROLS
                or (char in JOINERS and not _between_letters(value, index))
            ):
                kind = "text-direction" if char in BIDI_CONTROLS else "invisible"
                name = unicodedata.name(char, f"U+{code:04X}")
                problems.append(
                    Problem(
                        where,
                        f"holds an {kind} character (U+{code:04X} {name}) at position "
                        f"{index + 1}: it hides what the text says; type it again without it",
                    )
                )
                return value
        return unicodedata.normalize("NFC", value)

    def walk(value: Any, where: str) -> Any:
        if isinstance(value, _TooLong):
            problems.append(
                Problem(where, f"is a number of {len(value)} digits: too long to be a value")
            )
            return None
        if isinstance(value, str):
            return text(value, where)
        if isinstance(value, float) and not math.isfinite(value):
            problems.append(Problem(where, "is not a finite number (too large, or not a number)"))
            return value
        if isinstance(value, dict):
            return {
                text(str(key), join_path(where, _printable(str(key)))): walk(
                    item, join_path(where, _printable(str(key)))
                )
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [walk(item, f"{where}[{i}]") for i, item in enumerate(value)]
        return value

    cleaned = walk(raw, path)
    if problems:
        from planner.domain.json_checks import capped

        raise InputInvalid(capped(tuple(problems), path or "(document)"))
    return cleaned


def _between_letters(value: str, index: int) -> bool:
    """Whether the character at `index` stands between letters (or their marks, a virama) of
    a script beyond Latin."""
    import unicodedata

    if index == 0 or index + 1 >= len(value):
        return False
    return all(
        ord(ch) > 0x024F and unicodedata.category(ch)[0] in "LM"
        for ch in (value[index - 1], value[index + 1])
    )


def _printable(text: str) -> str:
    """Text safe to print in a message (unpaired surrogates escaped)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


# ---- MRNs: one patient, however the number is typed -----------------------------------------

#: the clinic's MRN rule (clinic setting `mrn_rule`): `case` "upper" or "as_typed";
#: `separators` "-" (runs of spaces and dashes become one dash),
#: "" (removed) or "as_typed". The default makes TAS-000123, tas-000123 and TAS 000123 one.
DEFAULT_MRN_RULE: dict[str, str] = {"case": "upper", "separators": "-"}
_MRN_SEPARATORS = " -"


def normalise_mrn(mrn: str, rule: Mapping[str, str] | None = None) -> str:
    """The MRN as the clinic's rule writes it (see DEFAULT_MRN_RULE)."""
    import re

    rule = {**DEFAULT_MRN_RULE, **(rule or {})}
    value = " ".join(mrn.split())
    if rule.get("case") == "upper":
        value = value.upper()
    separators = rule.get("separators")
    if separators != "as_typed":
        value = re.sub(f"[{re.escape(_MRN_SEPARATORS)}]+", separators or "", value)
    return value


def mrn_key(mrn: str) -> str:
    """What two MRNs that may be one patient share: their letters and digits, upper case."""
    return "".join(ch for ch in mrn.upper() if ch.isalnum())
