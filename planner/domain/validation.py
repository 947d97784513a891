"""The one validator of the case document (contract §2), used by every door: CLI, store, UI, import.

`validate_case(raw, limits)` returns `(Case, doubts)` or raises `InputInvalid` listing every
problem with its field path. Doubts are accepted values that look like a unit mix-up; the plan
raises them as `unit_or_range_doubt` alerts.

The schema is here section by section; the value checkers are `validation_values`, the
treatment section `validation_treatment`, the lab confirmations `validation_confirmations`, the
medicines and allergies `validation_medicines`,
and the document's text is read and cleaned first by `case_document`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from planner.domain import case as c
from planner.domain.case_document import normalise_document
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
from planner.domain.limits import CaseLimits
from planner.domain.problems import Problem
from planner.domain.validation_confirmations import LAB_CONFIRMATION, confirmations_match_labs
from planner.domain.validation_medicines import ALLERGY, MEDICATION
from planner.domain.validation_treatment import TREATMENT, treatment_dates
from planner.domain.validation_values import (
    DrugName,
    LabValue,
    opt,
    req,
)


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


def _started_before_assessment(values: Mapping[str, Any], path: str, chk: Checker) -> None:
    on = values.get("assessed_on")
    for i, medication in enumerate(values.get("medications") or ()):
        started = medication.started_on
        if isinstance(on, dt.date) and started is not None and started > on:
            chk.error(
                f"medications[{i}].started_on",
                f"{started.isoformat()} is after the assessment date {on.isoformat()}",
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
        treatment_dates,
        confirmations_match_labs,
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
