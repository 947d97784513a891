"""Nutrition screens: PG-SGA Short Form, MUST, NRS-2002, GLIM criteria, cancer cachexia (Fearon).

Why one module: PG-SGA SF, MUST, NRS-2002, GLIM and the cachexia criteria are the nutrition
screens; they read the same weight history, BMI and intake answers with the same missing-value
rules (`_points`, `_three_way`), and the clinic chooses among them as one instrument family.

PG-SGA (© FD Ottery / Pt-Global) and MUST (© BAPEN): items are stored as neutral codes; no form
wording is shipped. A missing input never defaults: the part it feeds (and the total) is null and
the result says why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from planner.domain.frozen_value import frozen_value
from planner.domain.instruments.body_size import bmi, weight_loss_percent
from planner.domain.instruments.instrument_settings import InstrumentSettings
from planner.domain.instruments.result import InstrumentResult, Trail, start
from planner.domain.instruments.tables import InstrumentRules, exceeds, falls_below, need

# ---- MUST --------------------------------------------------------------------------------------

MUST_BMI = "instr.must.bmi"
MUST_LOSS = "instr.must.weight_loss"
MUST_ACUTE = "instr.must.acute_disease"
MUST_RISK = "instr.must.risk"

# ---- PG-SGA SF ---------------------------------------------------------------------------------

PGSGA_LOSS_1M = "instr.pgsga.weight_loss_1_month"
PGSGA_LOSS_6M = "instr.pgsga.weight_loss_6_months"
PGSGA_2_WEEKS = "instr.pgsga.weight_decrease_2_weeks"
PGSGA_BOX2 = "instr.pgsga.box2_points"
PGSGA_BOX3 = "instr.pgsga.box3_points"
PGSGA_BOX4 = "instr.pgsga.box4_points"
PGSGA_TRIAGE = "instr.pgsga.triage"
PGSGA_INTAKE_VS_USUAL = ("unchanged", "more_than_usual", "less_than_usual")
PGSGA_INTAKE_TYPES = (
    "normal_food_less",
    "little_solid_food",
    "only_liquids",
    "only_supplements",
    "very_little_of_anything",
    "tube_or_iv_only",
)
PGSGA_SYMPTOMS = (
    "no_problems_eating",
    "no_appetite",
    "nausea",
    "vomiting",
    "constipation",
    "diarrhoea",
    "mouth_sores",
    "dry_mouth",
    "taste_change",
    "smells_bother",
    "problems_swallowing",
    "feel_full_quickly",
    "fatigue",
    "pain",
    "other",
)
PGSGA_ACTIVITY = (
    "normal",
    "not_normal_but_up",
    "not_up_to_most_things",
    "little_activity",
    "bedridden",
)

# ---- NRS-2002, GLIM, cachexia -----------------------------------------------------------------

NRS_LOSS = "instr.nrs2002.weight_loss"
NRS_LOSS_MONTHS = "instr.nrs2002.weight_loss_months"
NRS_INTAKE = "instr.nrs2002.intake"
NRS_BMI = "instr.nrs2002.bmi_impaired_condition"
NRS_SEVERITY = "instr.nrs2002.disease_severity"
NRS_AGE = "instr.nrs2002.age"
NRS_RISK = "instr.nrs2002.risk"
NRS_SEVERITIES = ("absent", "mild", "moderate", "severe")

GLIM_LOSS_6M = "instr.glim.weight_loss_within_6_months"
GLIM_LOSS_BEYOND = "instr.glim.weight_loss_beyond_6_months"
GLIM_BMI_YOUNGER = "instr.glim.bmi_under_70"
GLIM_BMI_OLDER = "instr.glim.bmi_70_and_over"
GLIM_AGE = "instr.glim.age_split"
GLIM_MUSCLE = "instr.glim.muscle_mass"
GLIM_DIAGNOSIS = "instr.glim.diagnosis"
GLIM_STAGE = "instr.glim.stage_most_severe"
GLIM_MUSCLE_STATES = ("normal", "moderate_deficit", "severe_deficit")
GLIM_STAGES = {1: "moderate", 2: "severe"}

CACHEXIA = "instr.cachexia.criteria"
SARCOPENIA = "instr.cachexia.sarcopenia"
CACHEXIA_STAGES = "instr.cachexia.stages"

NEEDS = (
    need(MUST_BMI, "bands"),
    need(MUST_LOSS, "bands"),
    need(MUST_ACUTE, "points", "acutely_ill_no_intake_5_days"),
    need(MUST_RISK, "bands"),
    need(PGSGA_LOSS_1M, "bands"),
    need(PGSGA_LOSS_6M, "bands"),
    need(PGSGA_2_WEEKS, "points", "decreased", "not_decreased"),
    need(PGSGA_BOX2, "points", *PGSGA_INTAKE_VS_USUAL, *PGSGA_INTAKE_TYPES),
    need(PGSGA_BOX3, "points", *PGSGA_SYMPTOMS),
    need(PGSGA_BOX4, "points", *PGSGA_ACTIVITY),
    need(PGSGA_TRIAGE, "bands"),
    need("instr.pgsga.box2_highest", "method"),
    need("instr.pgsga.box2_sum", "method"),
    need("instr.setting.pgsga_box2", "setting", "highest", "sum"),
    need(NRS_LOSS, "formula", "over_percent", "severe_over_percent", "severe_within_months"),
    need(NRS_LOSS_MONTHS, "points", "1", "2", "3"),
    need(NRS_INTAKE, "bands"),
    need(NRS_BMI, "bands"),
    need(NRS_SEVERITY, "points", *NRS_SEVERITIES),
    need(NRS_AGE, "bands"),
    need(NRS_RISK, "bands"),
    need(GLIM_LOSS_6M, "bands"),
    need(GLIM_LOSS_BEYOND, "bands"),
    need(GLIM_BMI_YOUNGER, "bands"),
    need(GLIM_BMI_OLDER, "bands"),
    need(GLIM_AGE, "formula", "older_from_years"),
    need(GLIM_MUSCLE, "points", *GLIM_MUSCLE_STATES),
    need(GLIM_DIAGNOSIS, "method"),
    need(GLIM_STAGE, "method"),
    need(CACHEXIA, "formula", "weight_loss_over_percent", "bmi_below", "small_loss_over_percent"),
    need(SARCOPENIA, "formula", "asmi_below_female", "asmi_below_male"),
    need(CACHEXIA_STAGES, "method"),
)


def _points(value: float | None) -> float | int | None:
    """Point totals print as whole numbers when they are whole."""
    return int(value) if value is not None and float(value).is_integer() else value


def _three_way(flags: Sequence[bool | None]) -> bool | None:
    """True if any is true, False if all are false, else None (undecided)."""
    if any(f is True for f in flags):
        return True
    if all(f is False for f in flags):
        return False
    return None


# ---- MUST --------------------------------------------------------------------------------------


@frozen_value
class MustInput:
    height_cm: float | None
    weight_kg: float | None
    weight_3_to_6_months_ago_kg: float | None
    acutely_ill_no_intake_5_days: bool | None


def must_input(
    height_cm: float | None, weight_kg: float | None, answers: Mapping[str, Any]
) -> MustInput:
    """From a checked MUST object (case `nutrition.must` or `planner score must` input); a case
    passes `body.height_cm` / `body.weight_kg`."""
    return MustInput(
        height_cm=height_cm,
        weight_kg=weight_kg,
        weight_3_to_6_months_ago_kg=answers.get("weight_3_to_6_months_ago_kg"),
        acutely_ill_no_intake_5_days=answers.get("acutely_ill_no_intake_5_days"),
    )


def score_must(
    given: MustInput, rules: InstrumentRules, settings: InstrumentSettings | None = None
) -> InstrumentResult:
    trail = start(rules, settings)
    values: dict[str, Any] = {"bmi": None, "weight_loss_percent": None}
    steps: dict[str, float | None] = {"bmi": None, "weight_loss": None, "acute_disease": None}
    if given.height_cm is not None and given.weight_kg is not None:
        values["bmi"] = bmi(given.height_cm, given.weight_kg)
        steps["bmi"] = trail.band(MUST_BMI, values["bmi"], "BMI").value
    else:
        trail.warn("step 1 not scored: height and weight are both needed")
    if given.weight_kg is not None and given.weight_3_to_6_months_ago_kg is not None:
        loss = weight_loss_percent(given.weight_3_to_6_months_ago_kg, given.weight_kg)
        values["weight_loss_percent"] = loss
        steps["weight_loss"] = trail.band(MUST_LOSS, loss, "weight loss %").value
    else:
        trail.warn("step 2 not scored: the weight 3–6 months ago is not recorded")
    if given.acutely_ill_no_intake_5_days is None:
        trail.warn("step 3 not scored: acute disease effect not assessed")
    else:
        steps["acute_disease"] = (
            trail.points(MUST_ACUTE, "acutely_ill_no_intake_5_days", "acute disease effect")
            if given.acutely_ill_no_intake_5_days
            else 0.0
        )
    total = None
    if all(v is not None for v in steps.values()):
        total = sum(v for v in steps.values() if v is not None)
    values["steps"] = {k: _points(v) for k, v in steps.items()}
    values["score"] = _points(total)
    values["risk"] = None if total is None else trail.band(MUST_RISK, total, "MUST total").shown()
    return trail.finish(
        "must",
        "'Malnutrition Universal Screening Tool' (BAPEN 2003); cut-offs unchanged",
        "every step is needed: a step that cannot be scored leaves the total null",
        values,
    )


# ---- PG-SGA SF ---------------------------------------------------------------------------------


@frozen_value
class PgsgaInput:
    weight_kg: float | None
    weight_1_month_ago_kg: float | None
    weight_6_months_ago_kg: float | None
    weight_decreased_past_2_weeks: bool | None
    intake_vs_usual: str | None
    intake_type: str | None
    symptoms: tuple[str, ...] | None
    activity: str | None


def pgsga_input(weight_kg: float | None, answers: Mapping[str, Any]) -> PgsgaInput:
    """From a checked PG-SGA SF object; a case passes `body.weight_kg` as the current weight."""
    symptoms = answers.get("symptoms")
    return PgsgaInput(
        weight_kg=weight_kg,
        weight_1_month_ago_kg=answers.get("weight_1_month_ago_kg"),
        weight_6_months_ago_kg=answers.get("weight_6_months_ago_kg"),
        weight_decreased_past_2_weeks=answers.get("weight_decreased_past_2_weeks"),
        intake_vs_usual=answers.get("intake_vs_usual"),
        intake_type=answers.get("intake_type"),
        symptoms=None if symptoms is None else tuple(symptoms),
        activity=answers.get("activity"),
    )


def _pgsga_box1(given: PgsgaInput, trail: Trail) -> tuple[float | None, float | None]:
    """(Box 1 points, % loss used). One-month data first; six-month only without it."""
    if given.weight_kg is None or (
        given.weight_1_month_ago_kg is None and given.weight_6_months_ago_kg is None
    ):
        trail.warn("box 1 not scored: no earlier weight (1 or 6 months ago) or no current weight")
        return None, None
    if given.weight_1_month_ago_kg is not None:
        loss = weight_loss_percent(given.weight_1_month_ago_kg, given.weight_kg)
        points = trail.band(PGSGA_LOSS_1M, loss, "weight loss % in 1 month").value
    else:
        assert given.weight_6_months_ago_kg is not None
        loss = weight_loss_percent(given.weight_6_months_ago_kg, given.weight_kg)
        points = trail.band(PGSGA_LOSS_6M, loss, "weight loss % in 6 months").value
    if given.weight_decreased_past_2_weeks is None:
        trail.warn("box 1 not scored: weight change in the past 2 weeks not recorded")
        return None, loss
    key = "decreased" if given.weight_decreased_past_2_weeks else "not_decreased"
    assert points is not None
    return points + trail.points(PGSGA_2_WEEKS, key, "past 2 weeks"), loss


def _pgsga_box2(given: PgsgaInput, trail: Trail) -> float | None:
    parts = [
        trail.points(PGSGA_BOX2, answer, what)
        for answer, what in (
            (given.intake_vs_usual, "intake vs usual"),
            (given.intake_type, "current intake"),
        )
        if answer is not None
    ]
    if not parts:
        trail.warn("box 2 not scored: food intake not recorded")
        return None
    option, rule_id = trail.setting("pgsga_box2")
    trail.method(rule_id)
    return max(parts) if option == "highest" else sum(parts)


def score_pgsga_sf(
    given: PgsgaInput, rules: InstrumentRules, settings: InstrumentSettings | None = None
) -> InstrumentResult:
    trail = start(rules, settings)
    box1, loss = _pgsga_box1(given, trail)
    box2 = _pgsga_box2(given, trail)
    if given.symptoms is None:
        trail.warn("box 3 not scored: symptoms not recorded")
        box3 = None
    else:
        box3 = sum(trail.points(PGSGA_BOX3, s, "symptom") for s in given.symptoms)
    if given.activity is None:
        trail.warn("box 4 not scored: activity not recorded")
        box4 = None
    else:
        box4 = trail.points(PGSGA_BOX4, given.activity, "activity")
    boxes = {
        "box1": _points(box1),
        "box2": _points(box2),
        "box3": _points(box3),
        "box4": _points(box4),
    }
    total = None
    if all(v is not None for v in boxes.values()):
        total = sum(v for v in boxes.values() if v is not None)
    return trail.finish(
        "pgsga_sf",
        "PG-SGA Short Form (boxes 1–4 of the Scored PG-SGA, v4.3.20; © FD Ottery / Pt-Global)",
        "each box needs its answers; an unscored box leaves the total null",
        {
            **boxes,
            "weight_loss_percent": loss,
            "score": _points(total),
            "triage": None
            if total is None
            else trail.band(PGSGA_TRIAGE, total, "PG-SGA SF").shown(),
        },
    )


# ---- NRS-2002 ---------------------------------------------------------------------------------


@frozen_value
class Nrs2002Input:
    age_years: int
    height_cm: float
    weight_kg: float
    impaired_general_condition: bool
    weight_loss_percent: float
    weight_loss_months: int | None  # the period (1–3 months) over which the loss happened
    intake_percent_of_requirement: float  # in the preceding week
    disease_severity: str  # absent / mild / moderate / severe


def _nrs_weight(given: Nrs2002Input, trail: Trail) -> float | None:
    rule = trail.formula(NRS_LOSS)
    loss = given.weight_loss_percent
    if not exceeds(loss, rule["over_percent"]):
        return 0.0
    if given.weight_loss_months is None:
        trail.warn("weight loss over 5 %: the months it took are needed to score it")
        return None
    if given.weight_loss_months <= rule["severe_within_months"] and exceeds(
        loss, rule["severe_over_percent"]
    ):
        return trail.points(NRS_LOSS_MONTHS, "1", "loss over 15 % within 3 months")
    return trail.points(NRS_LOSS_MONTHS, str(given.weight_loss_months), "months")


def score_nrs2002(
    given: Nrs2002Input, rules: InstrumentRules, settings: InstrumentSettings | None = None
) -> InstrumentResult:
    trail = start(rules, settings)
    body_mass = bmi(given.height_cm, given.weight_kg)
    weight = _nrs_weight(given, trail)
    intake = trail.band(NRS_INTAKE, given.intake_percent_of_requirement, "intake %").value
    condition = 0.0
    if given.impaired_general_condition:
        condition = trail.band(NRS_BMI, body_mass, "BMI with impaired condition").value or 0.0
    known = [p for p in (weight, intake, condition) if p is not None]
    status = max(known) if weight is not None or max(known) >= 3 else None
    severity = trail.points(NRS_SEVERITY, given.disease_severity, "disease severity")
    age = trail.band(NRS_AGE, given.age_years, "age").value or 0.0
    total = None if status is None else status + severity + age
    return trail.finish(
        "nrs2002",
        "NRS-2002 final screening (Kondrup, ESPEN 2003)",
        "all inputs required; impaired nutritional status = the highest of its criteria",
        {
            "bmi": body_mass,
            "nutritional_status": _points(status),
            "disease_severity": _points(severity),
            "age_point": _points(age),
            "score": _points(total),
            "risk": None if total is None else trail.band(NRS_RISK, total, "NRS-2002").shown(),
        },
    )


# ---- GLIM -------------------------------------------------------------------------------------


@frozen_value
class GlimInput:
    age_years: int
    height_cm: float | None
    weight_kg: float | None
    weight_loss_percent_within_6_months: float | None
    weight_loss_percent_beyond_6_months: float | None
    muscle_mass: str | None
    reduced_intake: bool | None
    inflammation: bool | None


def score_glim(
    given: GlimInput, rules: InstrumentRules, settings: InstrumentSettings | None = None
) -> InstrumentResult:
    trail = start(rules, settings)
    trail.method(GLIM_DIAGNOSIS)
    stages: list[float | None] = []
    if given.weight_loss_percent_within_6_months is not None:
        stages.append(
            trail.band(
                GLIM_LOSS_6M, given.weight_loss_percent_within_6_months, "loss % ≤ 6 mo"
            ).value
        )
    if given.weight_loss_percent_beyond_6_months is not None:
        stages.append(
            trail.band(
                GLIM_LOSS_BEYOND, given.weight_loss_percent_beyond_6_months, "loss % > 6 mo"
            ).value
        )
    if (
        given.weight_loss_percent_within_6_months is None
        and given.weight_loss_percent_beyond_6_months is None
    ):
        stages.append(None)
    body_mass = None
    if given.height_cm is not None and given.weight_kg is not None:
        body_mass = bmi(given.height_cm, given.weight_kg)
        older = given.age_years >= trail.formula(GLIM_AGE)["older_from_years"]
        stages.append(
            trail.band(GLIM_BMI_OLDER if older else GLIM_BMI_YOUNGER, body_mass, "BMI").value
        )
    else:
        stages.append(None)
    stages.append(
        None
        if given.muscle_mass is None
        else trail.points(GLIM_MUSCLE, given.muscle_mass, "muscle mass")
    )
    phenotypic = _three_way([None if s is None else s > 0 for s in stages])
    etiologic = _three_way([given.reduced_intake, given.inflammation])
    malnutrition: bool | None
    if phenotypic is True and etiologic is True:
        malnutrition = True
    elif phenotypic is False or etiologic is False:
        malnutrition = False
    else:
        malnutrition = None
    stage = None
    if malnutrition:
        trail.method(GLIM_STAGE)
        stage = GLIM_STAGES[int(max(s for s in stages if s is not None))]
    return trail.finish(
        "glim",
        "GLIM criteria (Cederholm et al., Clin Nutr 2019)",
        "an unrecorded criterion is unknown: the diagnosis is null unless the recorded ones decide it",
        {
            "bmi": body_mass,
            "phenotypic_criterion": phenotypic,
            "etiologic_criterion": etiologic,
            "malnutrition": malnutrition,
            "stage": stage,
        },
    )


# ---- Cachexia (Fearon 2011) -------------------------------------------------------------------


@frozen_value
class CachexiaInput:
    weight_loss_percent_6_months: float | None
    height_cm: float | None
    weight_kg: float | None
    sex: str | None
    appendicular_skeletal_muscle_index: float | None  # kg/m²
    anorexia_or_metabolic_change: bool | None
    refractory_features: bool | None  # procatabolic, unresponsive disease, low PS, < 3 months


def score_cachexia(
    given: CachexiaInput, rules: InstrumentRules, settings: InstrumentSettings | None = None
) -> InstrumentResult:
    trail = start(rules, settings)
    rule = trail.formula(CACHEXIA)
    loss = given.weight_loss_percent_6_months
    body_mass = None
    if given.height_cm is not None and given.weight_kg is not None:
        body_mass = bmi(given.height_cm, given.weight_kg)
    sarcopenic: bool | None = None
    if given.appendicular_skeletal_muscle_index is not None and given.sex is not None:
        limit = trail.formula(SARCOPENIA)[f"asmi_below_{given.sex}"]
        sarcopenic = falls_below(given.appendicular_skeletal_muscle_index, limit)
    small_loss = None if loss is None else exceeds(loss, rule["small_loss_over_percent"])
    criteria = [
        None if loss is None else exceeds(loss, rule["weight_loss_over_percent"]),
        _both(None if body_mass is None else falls_below(body_mass, rule["bmi_below"]), small_loss),
        _both(sarcopenic, small_loss),
    ]
    cachexia = _three_way(criteria)
    trail.method(CACHEXIA_STAGES)
    stage: str | None = None
    if cachexia is True:
        stage = {True: "refractory_cachexia", False: "cachexia", None: None}[
            given.refractory_features
        ]
        if stage is None:
            trail.warn("cachexia present; refractory features not recorded, so the stage is open")
    elif cachexia is False:
        stage = {True: "pre_cachexia", False: "none", None: None}[
            given.anorexia_or_metabolic_change
        ]
    return trail.finish(
        "cachexia",
        "Cancer cachexia consensus (Fearon et al., Lancet Oncol 2011)",
        "an unrecorded criterion is unknown: cachexia is null unless the recorded ones decide it",
        {"bmi": body_mass, "sarcopenia": sarcopenic, "cachexia": cachexia, "stage": stage},
    )


def _both(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    if a is True and b is True:
        return True
    return None
