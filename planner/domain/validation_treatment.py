"""The treatment section of the case (contract §5) for the one validator (`validation`): the
regimen, its drugs with their starting and current doses, the cycles given and the
toxicities, and their cross-checks (one dose unit per drug, grades in order, dates that agree
with the course and the assessment).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from planner.domain import case as c
from planner.domain.frozen_value import frozen_value
from planner.domain.json_checks import (
    Checker,
    Choice,
    Day,
    Many,
    Number,
    Record,
    describe,
    join_path,
)
from planner.domain.validation_values import DrugName, opt, req


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


def treatment_dates(values: Mapping[str, Any], path: str, chk: Checker) -> None:
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
