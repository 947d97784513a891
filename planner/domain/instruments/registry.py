"""`planner score INSTRUMENT FILE.json`: the input shape of each instrument and how it is scored.

Input is checked with the one validation DSL (planner.domain.json_checks) and the case's own specs
(lab results, ESAS, MUST / PG-SGA parts), so `planner score` and the case agree. Lab inputs are
converted with planner.domain.units only; nothing is clamped or defaulted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from planner.domain import case as c
from planner.domain.frozen_value import frozen_value
from planner.domain.instruments import (
    body_size,
    depression_anxiety,
    esas,
    fact_b,
    inputs,
    kidney_equations,
    liver_scores,
    nutrition,
    performance,
    prognosis,
    qlq_br23,
    qlq_c30,
)
from planner.domain.instruments.instrument_settings import InstrumentSettings
from planner.domain.instruments.result import InstrumentResult
from planner.domain.instruments.tables import InstrumentRules
from planner.domain.json_checks import (
    Checker,
    Choice,
    Flag,
    Many,
    Maybe,
    Number,
    Record,
    Spec,
    describe,
    join_path,
    run,
)
from planner.domain.limits import CaseLimits
from planner.domain.problems import InputInvalid, Problem
from planner.domain.units import convert, times_uln, to_canonical
from planner.domain.validation import ESAS
from planner.domain.validation_values import LabValue

Scorer = Callable[[Any, InstrumentRules, CaseLimits, InstrumentSettings | None], InstrumentResult]


@frozen_value
class Instrument:
    spec: Spec
    score: Scorer


def req(spec: Spec) -> tuple[Spec, bool]:
    return (spec, True)


def opt(spec: Spec) -> tuple[Spec, bool]:
    return (Maybe(spec), False)


@frozen_value
class BareLab:
    """A lab given as a plain number in its canonical unit (INR, sodium mmol/L, lymphocyte %)."""

    name: str

    def __call__(self, raw: Any, path: str, chk: Checker) -> Any:
        before = len(chk.problems)
        unit = chk.limits.labs[self.name].canonical_unit
        result = LabValue(self.name)({"value": raw, "unit": unit}, path, chk)
        for i in range(before, len(chk.problems)):  # report against the field itself
            problem = chk.problems[i]
            chk.problems[i] = Problem(
                problem.path.replace(f"{path}.value", path), problem.message, problem.severity
            )
        return result


def items(count: int, key: str) -> Spec:
    return Record({"items": req(Many(Maybe(Number(key)), unique=False, exact_len=count))})


def in_tens(*names: str, lowest: int = 0) -> Callable[[Mapping[str, Any], str, Checker], None]:
    def check(values: Mapping[str, Any], path: str, chk: Checker) -> None:
        for name in names:
            value = values.get(name)
            if value is None:
                continue
            if value % 10:
                chk.error(join_path(path, name), f"{value} is not a multiple of 10")
            elif value < lowest:
                chk.error(join_path(path, name), f"{value} cannot be scored (lowest is {lowest})")

    return check


def uln_given(*labs: str) -> Callable[[Mapping[str, Any], str, Checker], None]:
    def check(values: Mapping[str, Any], path: str, chk: Checker) -> None:
        for lab in labs:
            result = values.get(lab)
            if isinstance(result, c.LabResult) and result.uln is None:
                chk.error(
                    join_path(join_path(path, lab), "uln"), "is required (ratios use the lab's ULN)"
                )

    return check


def mg_dl(limits: CaseLimits, lab: str, result: c.LabResult) -> float:
    return convert(limits, lab, result.value, result.unit or "", "mg/dL")


def g_dl(limits: CaseLimits, result: c.LabResult) -> float:
    return convert(limits, "albumin", result.value, result.unit or "", "g/dL")


SEX = Choice(c.SEXES)
AGE = Number("patient.age_years")
HEIGHT = Number("body.height_cm")
WEIGHT = Number("body.weight_kg")
LOSS = Number("instruments.weight_loss_percent")


def _esas(
    v: Any, r: InstrumentRules, lim: CaseLimits, s: InstrumentSettings | None
) -> InstrumentResult:
    scores = {name: getattr(v, name) for name in c.ESAS_ITEMS}
    other = None if v.other is None else (v.other.name, v.other.score)
    return esas.score_esas_r(scores, other, r, s)


def _must(
    v: Any, r: InstrumentRules, lim: CaseLimits, s: InstrumentSettings | None
) -> InstrumentResult:
    return nutrition.score_must(nutrition.must_input(v["height_cm"], v["weight_kg"], v), r, s)


def _pgsga(
    v: Any, r: InstrumentRules, lim: CaseLimits, s: InstrumentSettings | None
) -> InstrumentResult:
    return nutrition.score_pgsga_sf(nutrition.pgsga_input(v["weight_kg"], v), r, s)


def _child_pugh(
    v: Any, r: InstrumentRules, lim: CaseLimits, s: InstrumentSettings | None
) -> InstrumentResult:
    return liver_scores.child_pugh(
        to_canonical(lim, "bilirubin", v["bilirubin"]),
        to_canonical(lim, "albumin", v["albumin"]),
        v["inr"].value,
        v["ascites"],
        v["encephalopathy"],
        r,
        s,
    )


def _meld(
    v: Any, r: InstrumentRules, lim: CaseLimits, s: InstrumentSettings | None
) -> InstrumentResult:
    given = liver_scores.MeldInput(
        bilirubin_mg_dl=mg_dl(lim, "bilirubin", v["bilirubin"]),
        inr=v["inr"].value,
        creatinine_mg_dl=mg_dl(lim, "creatinine", v["creatinine"]),
        sodium_mmol_l=None if v["sodium"] is None else v["sodium"].value,
        albumin_g_dl=None if v["albumin"] is None else g_dl(lim, v["albumin"]),
        sex=v["sex"],
        dialysis=v["dialysis"],
    )
    return liver_scores.meld_scores(given, r, s)


def _odwg(
    v: Any, r: InstrumentRules, lim: CaseLimits, s: InstrumentSettings | None
) -> InstrumentResult:
    bili, ast = v["bilirubin"], v["ast"]
    return liver_scores.odwg_category(
        times_uln(bili.value, bili.uln),
        None if ast is None else times_uln(ast.value, ast.uln),
        r,
        s,
    )


def _ckd_epi(
    v: Any, r: InstrumentRules, lim: CaseLimits, s: InstrumentSettings | None
) -> InstrumentResult:
    bsa = None
    if v["height_cm"] is not None and v["weight_kg"] is not None:
        bsa = body_size.bsa_mosteller(v["height_cm"], v["weight_kg"], r)
    return kidney_equations.score_ckd_epi(
        v["age"], v["sex"], mg_dl(lim, "creatinine", v["creatinine"]), bsa, r, s
    )


def _one_of_performance(values: Mapping[str, Any], path: str, chk: Checker) -> None:
    if all(values.get(k) is None for k in ("ecog", "kps", "pps_percent", "akps")):
        chk.error(path or "(document)", "give at least one of ecog, kps, pps_percent, akps")


def _bilirubin_above_zero(values: Mapping[str, Any], path: str, chk: Checker) -> None:
    """ALBI takes the logarithm of bilirubin: 0 gives no score (and is not a measured value)."""
    bilirubin = values.get("bilirubin")
    if bilirubin is not None and getattr(bilirubin, "value", 1) <= 0:
        chk.error(
            join_path(join_path(path, "bilirubin"), "value"),
            "0 gives no ALBI score (the score takes the logarithm of bilirubin): enter the "
            "measured value",
        )


INSTRUMENTS: Mapping[str, Instrument] = {
    "qlq_c30": Instrument(inputs.QLQ_C30, lambda v, r, lim, s: qlq_c30.score_qlq_c30(v, r, s)),
    "qlq_br23": Instrument(inputs.QLQ_BR23, lambda v, r, lim, s: qlq_br23.score_qlq_br23(v, r, s)),
    "fact_b": Instrument(inputs.FACT_B, lambda v, r, lim, s: fact_b.score_fact_b(v, r, s)),
    "esas_r": Instrument(ESAS, _esas),
    "phq9": Instrument(
        items(9, "psychosocial.phq_item"),
        lambda v, r, lim, s: depression_anxiety.score_phq9(v["items"], r, s),
    ),
    "phq2": Instrument(
        items(2, "psychosocial.phq_item"),
        lambda v, r, lim, s: depression_anxiety.score_phq2(v["items"], r, s),
    ),
    "gad7": Instrument(
        items(7, "psychosocial.phq_item"),
        lambda v, r, lim, s: depression_anxiety.score_gad7(v["items"], r, s),
    ),
    "hads": Instrument(
        items(14, "instruments.hads_item"),
        lambda v, r, lim, s: depression_anxiety.score_hads(v["items"], r, s),
    ),
    "distress_thermometer": Instrument(
        Record(
            {
                "score": req(Number("psychosocial.distress_thermometer")),
                "problems": opt(Many(Choice(c.PROBLEM_AREAS))),
            }
        ),
        lambda v, r, lim, s: depression_anxiety.score_distress_thermometer(
            v["score"], v["problems"], r, s
        ),
    ),
    "must": Instrument(inputs.MUST, _must),
    "pgsga_sf": Instrument(inputs.PGSGA_SF, _pgsga),
    "nrs2002": Instrument(
        Record(
            {
                "age": req(AGE),
                "height_cm": req(HEIGHT),
                "weight_kg": req(WEIGHT),
                "impaired_general_condition": req(Flag()),
                "weight_loss_percent": req(LOSS),
                "weight_loss_months": opt(Number("instruments.weight_loss_months")),
                "intake_percent_of_requirement": req(Number("instruments.intake_percent")),
                "disease_severity": req(Choice(nutrition.NRS_SEVERITIES)),
            }
        ),
        lambda v, r, lim, s: nutrition.score_nrs2002(
            nutrition.Nrs2002Input(
                age_years=v["age"],
                height_cm=v["height_cm"],
                weight_kg=v["weight_kg"],
                impaired_general_condition=v["impaired_general_condition"],
                weight_loss_percent=v["weight_loss_percent"],
                weight_loss_months=v["weight_loss_months"],
                intake_percent_of_requirement=v["intake_percent_of_requirement"],
                disease_severity=v["disease_severity"],
            ),
            r,
            s,
        ),
    ),
    "glim": Instrument(
        Record(
            {
                "age": req(AGE),
                "height_cm": opt(HEIGHT),
                "weight_kg": opt(WEIGHT),
                "weight_loss_percent_within_6_months": opt(LOSS),
                "weight_loss_percent_beyond_6_months": opt(LOSS),
                "muscle_mass": opt(Choice(nutrition.GLIM_MUSCLE_STATES)),
                "reduced_intake": opt(Flag()),
                "inflammation": opt(Flag()),
            }
        ),
        lambda v, r, lim, s: nutrition.score_glim(
            nutrition.GlimInput(
                age_years=v["age"],
                height_cm=v["height_cm"],
                weight_kg=v["weight_kg"],
                weight_loss_percent_within_6_months=v["weight_loss_percent_within_6_months"],
                weight_loss_percent_beyond_6_months=v["weight_loss_percent_beyond_6_months"],
                muscle_mass=v["muscle_mass"],
                reduced_intake=v["reduced_intake"],
                inflammation=v["inflammation"],
            ),
            r,
            s,
        ),
    ),
    "cachexia": Instrument(
        Record(
            {
                "weight_loss_percent_6_months": opt(LOSS),
                "height_cm": opt(HEIGHT),
                "weight_kg": opt(WEIGHT),
                "sex": opt(SEX),
                "appendicular_skeletal_muscle_index": opt(Number("instruments.asmi_kg_m2")),
                "anorexia_or_metabolic_change": opt(Flag()),
                "refractory_features": opt(Flag()),
            }
        ),
        lambda v, r, lim, s: nutrition.score_cachexia(nutrition.CachexiaInput(**v), r, s),
    ),
    "performance": Instrument(
        Record(
            {
                "ecog": opt(Number("clinical.ecog")),
                "kps": opt(Number("instruments.kps_percent")),
                "pps_percent": opt(Number("function.pps_percent")),
                "akps": opt(Number("instruments.kps_percent")),
            },
            checks=(in_tens("kps", "pps_percent", "akps"), _one_of_performance),
        ),
        lambda v, r, lim, s: performance.score_performance(
            v["ecog"], v["kps"], v["pps_percent"], v["akps"], r, s
        ),
    ),
    "child_pugh": Instrument(
        Record(
            {
                "bilirubin": req(LabValue("bilirubin")),
                "albumin": req(LabValue("albumin")),
                "inr": req(BareLab("inr")),
                "ascites": req(Choice(c.ASCITES)),
                "encephalopathy": req(Choice(c.ENCEPHALOPATHY)),
            }
        ),
        _child_pugh,
    ),
    "albi": Instrument(
        Record(
            {"bilirubin": req(LabValue("bilirubin")), "albumin": req(LabValue("albumin"))},
            checks=(_bilirubin_above_zero,),
        ),
        lambda v, r, lim, s: liver_scores.albi(
            to_canonical(lim, "bilirubin", v["bilirubin"]),
            to_canonical(lim, "albumin", v["albumin"]),
            r,
            s,
        ),
    ),
    "meld": Instrument(
        Record(
            {
                "bilirubin": req(LabValue("bilirubin")),
                "inr": req(BareLab("inr")),
                "creatinine": req(LabValue("creatinine")),
                "sodium": opt(BareLab("sodium")),
                "albumin": opt(LabValue("albumin")),
                "sex": opt(SEX),
                "dialysis": req(Flag()),
            }
        ),
        _meld,
    ),
    "odwg": Instrument(
        Record(
            {"bilirubin": req(LabValue("bilirubin")), "ast": opt(LabValue("ast"))},
            checks=(uln_given("bilirubin", "ast"),),
        ),
        _odwg,
    ),
    "bsa": Instrument(
        Record({"height_cm": req(HEIGHT), "weight_kg": req(WEIGHT)}),
        lambda v, r, lim, s: body_size.score_bsa(v["height_cm"], v["weight_kg"], r, s),
    ),
    "crcl": Instrument(
        Record(
            {
                "age": req(AGE),
                "sex": req(SEX),
                "weight_kg": req(WEIGHT),
                "creatinine": req(LabValue("creatinine")),
            }
        ),
        lambda v, r, lim, s: kidney_equations.score_crcl(
            v["age"], v["sex"], v["weight_kg"], mg_dl(lim, "creatinine", v["creatinine"]), r, s
        ),
    ),
    "ckd_epi": Instrument(
        Record(
            {
                "age": req(AGE),
                "sex": req(SEX),
                "creatinine": req(LabValue("creatinine")),
                "height_cm": opt(HEIGHT),
                "weight_kg": opt(WEIGHT),
            }
        ),
        _ckd_epi,
    ),
    "calvert": Instrument(
        Record(
            {
                "target_auc": req(Number("instruments.carboplatin_auc")),
                "gfr_ml_min": req(Number("instruments.gfr_ml_min")),
                "gfr_estimated": req(Flag()),
            }
        ),
        lambda v, r, lim, s: kidney_equations.score_calvert(
            v["target_auc"], v["gfr_ml_min"], v["gfr_estimated"], r, s
        ),
    ),
    "ppi": Instrument(
        Record(
            {
                "pps_percent": req(Number("function.pps_percent")),
                "oral_intake": req(Choice(prognosis.ORAL_INTAKE)),
                "edema": req(Flag()),
                "dyspnea_at_rest": req(Flag()),
                "delirium": req(Flag()),
            },
            checks=(in_tens("pps_percent", lowest=10),),
        ),
        lambda v, r, lim, s: prognosis.score_ppi(prognosis.PpiInput(**v), r, s),
    ),
    "pap": Instrument(
        Record(
            {
                "dyspnea": req(Flag()),
                "anorexia": req(Flag()),
                "kps": req(Number("instruments.kps_percent")),
                "clinical_prediction_weeks": req(Number("instruments.clinical_prediction_weeks")),
                "wbc_per_mm3": req(Number("instruments.wbc_per_mm3")),
                "lymphocyte_percent": req(BareLab("lymphocyte_percent")),
            },
            checks=(in_tens("kps", lowest=10),),
        ),
        lambda v, r, lim, s: prognosis.score_pap(
            prognosis.PapInput(**{**v, "lymphocyte_percent": v["lymphocyte_percent"].value}),
            r,
            s,
        ),
    ),
}


def score(
    name: str,
    raw: Any,
    rules: InstrumentRules,
    limits: CaseLimits,
    settings: InstrumentSettings | None = None,
) -> tuple[InstrumentResult, tuple[Problem, ...]]:
    """Check `raw` for instrument `name` and score it; raise InputInvalid on any input error."""
    instrument = INSTRUMENTS.get(name)
    if instrument is None:
        raise InputInvalid(
            (Problem("INSTRUMENT", f"{describe(name)} is not one of {', '.join(INSTRUMENTS)}"),)
        )
    value, doubts = run(instrument.spec, raw, limits)
    return instrument.score(value, rules, limits, settings), doubts
