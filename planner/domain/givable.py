"""Is this drug givable today? The one pass every dose goes through (contract §3a).

Why one module: it is the one pass every dose goes through (contract §3a): the label's start tests,
the on-treatment limits and the lifetime anthracycline ledger are applied here and only here, so
that no dose can reach print by a path that skips one of them.

Public API (pure)::

    facts = givable_facts(case, limits, doubts, hepatic)      # once per case
    dose = check_givable(dose, facts, tables, settings, companions=regimen.drugs)
    dose = check_givable(dose, facts, tables, settings, companions, day=treatment.day)
                                       # a drug of her course, on the day of its review
    alerts = current_therapy_alerts(current_doses)           # drugs the patient is on now
                                       # (ongoing prior_therapy, anticancer medications[])

`check_givable` takes the `DrugDose` that `planner.domain.dosing.drug_dose` made from the drug's
dose table (whose organ-function stops, e.g. capecitabine at CrCl < 30 mL/min, already decided
it) and applies the label's "do not give" conditions at the start of a course that no dose band
holds (resources/rules/hard_limits.toml, `planner.domain.hard_limit_tables`):

- blood-count floors (neutrophils, platelets, haemoglobin) and pre-existing neuropathy by grade;
- hepatic impairment where the label says no starting dose can be recommended;
- the lifetime anthracycline ledger in doxorubicin equivalents: what was given before (the
  mg/m² recorded on each prior-therapy line, `prior_therapy[].cumulative_mg_m2`, times the
  clinic's equivalence factor of its drug; or the recorded total
  `disease.cumulative_anthracycline_mg_m2`, already in doxorubicin equivalents; the larger when
  both are known), plus this dose converted with its own factor, against
  550 mg/m² — or 400 mg/m² after cyclophosphamide (before, or in the same regimen) or mediastinal
  radiotherapy. A total above the limit is `not_recommended`; a limit already reached is
  `contraindicated` (the labels contraindicate a further anthracycline then).

- a test the labels ask for before the first dose (DPYD before capecitabine) whose result is not
  recorded: with the clinic's setting `required` no dose is printed ("test first", a named gap);
  with `advised` the dose stands, `caution`, with the warning that the result is not recorded.
  Each says its sources (hard_limits.toml `[[start_test]]`).

A condition that holds is a stop: status `not_recommended` or `contraindicated`, `dose`,
`absolute_dose`, `percent_of_standard` and `schedule` all `None`, and `stop_reason` saying what
was found against which limit ("neutrophils 0.8 × 10⁹/L < 1.5: ..."), first among the warnings.
A value the condition needs that is missing or doubted is a named gap and `insufficient_data`
(no dose), never a pass.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from planner.domain.alerts import Alert
from planner.domain.case import Case, PriorTherapy
from planner.domain.dose_tables import DoseTables
from planner.domain.dosing import GILBERT_CAVEAT, DrugDose
from planner.domain.evidence import UNVERIFIED, Basis, Gap
from planner.domain.frozen_value import frozen_value
from planner.domain.hard_limit_tables import (
    MEASURE_FIELDS,
    STOP_STATUSES,
    TEST_FIELDS,
    TEST_OPTIONS,
    HardLimitTables,
    StartTest,
    shown,
)
from planner.domain.hepatic import HepaticAssessment, doubtful_labs
from planner.domain.limits import CaseLimits
from planner.domain.problems import Problem
from planner.domain.settings import ClinicSettings
from planner.domain.units import to_canonical

CURRENT_THERAPY_ALERT = "current_therapy_contraindicated"
_COUNTS = ("anc", "platelets", "hemoglobin")
_RANK = {"insufficient_data": 0, "not_recommended": 1, "contraindicated": 2}


@frozen_value
class GivableFacts:
    """What the hard limits read from one case, assessed once."""

    # measure -> value in the measure's unit (counts 10^9/L, haemoglobin g/L, × ULN, grade)
    values: Mapping[str, float]
    # measure -> why it is not known ("not recorded", "unit or range doubt")
    unknown: Mapping[str, str]
    cumulative_anthracycline_mg_m2: float | None  # doxorubicin equivalents, as recorded
    prior_drugs: frozenset[str]
    # (drug, mg/m²) recorded on prior-therapy lines, and the drugs of lines with no mg/m² for them
    prior_doses: tuple[tuple[str, float], ...]
    undosed_prior_drugs: frozenset[str]
    mediastinal_radiotherapy: bool | None
    # the drugs the patient takes now (prior_therapy with reason_stopped "ongoing", each with the
    # other drugs of the same line; anticancer drugs in medications[])
    current: tuple[tuple[str, tuple[str, ...]], ...]
    # start test name -> the result as recorded (None: not recorded; "unknown" as recorded)
    tested: Mapping[str, str | None] = dataclasses.field(default_factory=dict)
    # on treatment, the mg/m² of each drug of her course given so far (`treatment.given`): the
    # ongoing prior-therapy line is the course itself, counted from what was given, never a line
    # "with no mg/m2" that leaves the limit unchecked (rx22 W2)
    course_doses: tuple[tuple[str, float], ...] = ()


def givable_facts(
    case: Case, limits: CaseLimits, doubts: Iterable[Problem], hepatic: HepaticAssessment
) -> GivableFacts:
    values: dict[str, float] = {}
    unknown: dict[str, str] = {}
    doubted = doubtful_labs(doubts)
    labs = case.labs
    for name in _COUNTS:
        result = None if labs is None else labs.result(name)
        if result is None:
            unknown[name] = "not recorded"
        elif name in doubted:
            unknown[name] = "unit or range doubt"
        else:
            values[name] = to_canonical(limits, name, result)
    bilirubin = hepatic.bilirubin_x_uln
    if "bilirubin" in hepatic.doubtful:
        unknown["bilirubin_x_uln"] = "unit or range doubt"
    elif bilirubin is None:
        unknown["bilirubin_x_uln"] = "not recorded (or no ULN)"
    else:
        values["bilirubin_x_uln"] = bilirubin
    grade = None if case.clinical is None else case.clinical.neuropathy_grade
    if grade is None:
        unknown["neuropathy_grade"] = "not recorded"
    else:
        values["neuropathy_grade"] = float(grade)
    disease = case.disease
    therapies = () if disease is None else disease.prior_therapy or ()
    current = tuple(
        (drug, tuple(d for d in t.drugs if d != drug))
        for t in therapies
        if t.reason_stopped == "ongoing"
        for drug in t.drugs
    ) + tuple(
        # an anticancer drug listed among what she takes now (contract §2a medications[])
        (m.drug, ())
        for m in case.medications or ()
        if m.drug in limits.drugs
    )
    course = case.treatment
    course_drugs = frozenset(() if course is None else (d.drug for d in course.drugs))
    course_doses: dict[str, float] = {}
    for cycle in () if course is None else course.given:
        for given in cycle.drugs:
            if given.dose.unit == "mg/m2":
                course_doses[given.drug] = course_doses.get(given.drug, 0.0) + given.dose.value

    def counted(t: PriorTherapy, drug: str) -> bool:
        # a dose recorded on the line, or the line is her course, counted from what was given
        return drug in dict(t.cumulative_mg_m2 or ()) or (
            t.reason_stopped == "ongoing" and drug in course_drugs
        )

    firsts: dict[str, tuple[str, ...]] = {}  # one check per drug: its ongoing line first
    for drug, others in current:
        firsts.setdefault(drug, others)
    return GivableFacts(
        values=values,
        unknown=unknown,
        cumulative_anthracycline_mg_m2=(
            None if disease is None else disease.cumulative_anthracycline_mg_m2
        ),
        prior_drugs=frozenset(d for t in therapies for d in t.drugs),
        prior_doses=tuple(pair for t in therapies for pair in t.cumulative_mg_m2 or ()),
        undosed_prior_drugs=frozenset(d for t in therapies for d in t.drugs if not counted(t, d)),
        mediastinal_radiotherapy=None if disease is None else disease.mediastinal_radiotherapy,
        current=tuple(firsts.items()),
        course_doses=tuple(sorted(course_doses.items())),
        tested={
            name: None if case.clinical is None else getattr(case.clinical, name)
            for name in TEST_FIELDS
        },
    )


def check_factors(tables: HardLimitTables, factors: Mapping[str, float]) -> None:
    """Raise ValueError for a clinic factor that names no anthracycline or leaves its range."""
    for drug, factor in factors.items():
        row = tables.equivalents.get(drug)
        if row is None:
            known = ", ".join(sorted(tables.equivalents))
            raise ValueError(f"anthracycline_factors: {drug!r} is not one of {known}")
        if not row.low <= factor <= row.high:
            raise ValueError(
                f"anthracycline_factors.{drug}: {factor:g} is outside {row.low:g}–{row.high:g}"
            )


def check_start_tests(tables: HardLimitTables, chosen: Mapping[str, str]) -> None:
    """Raise ValueError for a clinic choice that names no start test or is not one of its
    options."""
    for name, option in chosen.items():
        if name not in tables.tests:
            known = ", ".join(sorted(tables.tests))
            raise ValueError(f"start_tests.{name}: is not a test before a first dose ({known})")
        if option not in TEST_OPTIONS:
            raise ValueError(
                f"start_tests.{name}: {option!r} is not one of {', '.join(TEST_OPTIONS)}"
            )


def ledger_companions(tables: HardLimitTables, drugs: Iterable[str]) -> frozenset[str]:
    """The drugs of a regimen that change what the pass concludes (cyclophosphamide lowers the
    anthracycline limit); the engine keys its dose cache on them."""
    return frozenset(drugs) & tables.ledger.lower_after_drugs


@frozen_value
class _Finding:
    status: str
    reason: str
    basis: tuple[Basis, ...]


def check_givable(
    dose: DrugDose,
    facts: GivableFacts,
    tables: HardLimitTables,
    settings: ClinicSettings | None = None,
    companions: Sequence[str] = (),
    day: int = 1,
) -> DrugDose:
    """`dose`, or the stop (or named gap) the label's start-of-course conditions make of it;
    `day`: the day of the cycle the dose is for (a course starts on day 1; a drug of her course
    is checked on the day its review is for, so a floor the label writes for day 1 does not
    stand against a day-8 dose the cycle review gives — one decision on the page, rx23 F4)."""
    settings = settings or ClinicSettings()
    stops: list[_Finding] = []
    cautions: list[_Finding] = []
    gaps: list[Gap] = []
    warnings: list[str] = []
    for limit in tables.limits_for(dose.drug, dose.labels):
        if not limit.on_day(day):
            continue
        value = facts.values.get(limit.measure)
        if value is None and limit.status == "caution":
            continue  # a caution cannot stop a dose, so its missing input is not a gap here
        if value is None:
            why = facts.unknown.get(limit.measure, "not recorded")
            gaps.append(
                Gap(
                    MEASURE_FIELDS[limit.measure],
                    f"{why}: {dose.drug} is not given at {limit.describe()} (label), which "
                    "cannot be ruled out; no dose is printed",
                )
            )
            continue
        if limit.holds(value):
            reason = f"{limit.finding(value)}: {limit.reason}"
            found = _Finding(
                limit.status, reason + ("" if limit.verified else UNVERIFIED), limit.basis
            )
            (cautions if limit.status == "caution" else stops).append(found)
    for test in tables.tests_for(dose.drug):
        result = facts.tested.get(test.name)
        if result is not None and result != "unknown":
            continue  # recorded: the dose table's bands for the result decide
        option = settings.start_tests.get(test.name, test.default)
        basis = tuple(Basis(test.id, s, test.verified) for s in test.sources(option))
        dose = dataclasses.replace(dose, basis=tuple(dict.fromkeys((*dose.basis, *basis))))
        finding = _untested(test, option, dose.drug, "not recorded" if result is None else result)
        if option == "required":
            gaps.append(Gap(TEST_FIELDS[test.name], finding))
            warnings.append(finding)  # the first reason the row shows
        else:
            cautions.append(_Finding("caution", finding, basis))
    if dose.drug in tables.equivalents:
        ledger_stop, ledger_gaps, ledger_notes = _ledger(dose, facts, tables, settings, companions)
        if ledger_stop is not None:
            stops.append(ledger_stop)
        gaps.extend(ledger_gaps)
        warnings.extend(ledger_notes)
    given = _apply(dose, stops, gaps, warnings)
    if cautions and given.dose is not None:
        # The dose stands; what was found, and the label's rule, travel with the row.
        given = dataclasses.replace(
            given,
            status="caution" if given.status == "standard" else given.status,
            warnings=tuple(dict.fromkeys((*(c.reason for c in cautions), *given.warnings))),
            basis=tuple(dict.fromkeys((*given.basis, *(b for c in cautions for b in c.basis)))),
        )
    return given


def _untested(test: StartTest, option: str, drug: str, said: str) -> str:
    """Why a start test's missing result holds the dose, or travels with it, in words."""
    marker = "" if test.verified else UNVERIFIED
    if option == "required":
        return (
            f"{test.test} {said}: test first — this clinic gives {drug} only once the result is "
            f"recorded (clinic setting; {test.required_text}); no dose is printed{marker}"
        )
    return (
        f"{test.test} {said}: the dose assumes normal activity — this clinic gives {drug} with "
        f"the test advised (clinic setting; {test.advised_text}); record the result when it "
        f"comes{marker}"
    )


# On treatment the cycle tables decide the blood counts (with each label's day-1/day-8
# thresholds), neuropathy, the heart (LVEF) and the lifetime anthracycline ledger; organ function
# (liver, kidney) and genotype stops and reductions are the first plan's, and apply to every cycle
# alike — "no dose" (insufficient_data: eribulin in Child–Pugh C, T-DXd in severe hepatic
# impairment, weekly paclitaxel at a raised bilirubin) as much as a reduction or a stop (rx22 F1:
# the course was given its full dose where the first plan gave none). Only a band whose label
# words concern the start of treatment alone (`baseline_only`: KADCYLA "not studied with
# baseline bilirubin > 1.5 x ULN") is left to the cycle tables' own rows for those results.
CYCLE_OWNED_MEASURES = frozenset({"anc", "platelets", "hemoglobin", "neuropathy_grade"})
CYCLE_OWNED_DOSE_MEASURES = frozenset({"lvef_percent"})


def on_treatment_tables(
    doses: DoseTables, limits: HardLimitTables
) -> tuple[DoseTables, HardLimitTables]:
    """The dose and hard-limit tables the cycle review passes each drug through: the same rows as
    the first plan less the ones the cycle tables own on treatment (`CYCLE_OWNED_MEASURES`).

    Made once per pair of loaded tables, not per plan: filtering every drug's bands was a third
    of what a cycle review adds to the engine (issue 19's 5 ms budget). The tables are immutable,
    so the pair is keyed by identity; the entry holds the pair itself, so an id is never reused
    while its entry lives (hashing the tables by value would cost more than the filtering)."""
    key = (id(doses), id(limits))
    found = _ON_TREATMENT.get(key)
    if found is not None and found[0] is doses and found[1] is limits:
        return found[2], found[3]
    made = _without_cycle_owned(doses, limits)
    if len(_ON_TREATMENT) >= _ON_TREATMENT_KEPT:
        _ON_TREATMENT.clear()  # tests load many rule sets; a running program has one
    _ON_TREATMENT[key] = (doses, limits, *made)
    return made


_ON_TREATMENT: dict[
    tuple[int, int], tuple[DoseTables, HardLimitTables, DoseTables, HardLimitTables]
] = {}
_ON_TREATMENT_KEPT = 8


def _without_cycle_owned(
    doses: DoseTables, limits: HardLimitTables
) -> tuple[DoseTables, HardLimitTables]:
    drugs = {
        name: dataclasses.replace(
            table,
            bands=tuple(
                b
                for b in table.bands
                if not b.baseline_only
                and not any(c.measure in CYCLE_OWNED_DOSE_MEASURES for c in b.when)
            ),
        )
        for name, table in doses.drugs.items()
    }
    return (
        dataclasses.replace(doses, drugs=drugs),
        dataclasses.replace(
            limits,
            limits=tuple(x for x in limits.limits if x.measure not in CYCLE_OWNED_MEASURES),
            equivalents={},
            tests={},  # a test before the first dose: the course has started
        ),
    )


def anthracycline_factor(tables: HardLimitTables, settings: ClinicSettings, drug: str) -> float:
    """mg/m² of `drug` × this = mg/m² of doxorubicin: the clinic's setting, else the default."""
    chosen = settings.anthracycline_factors.get(drug)
    return tables.equivalents[drug].default if chosen is None else chosen


def lifetime_limit(
    tables: HardLimitTables,
    prior_drugs: Iterable[str],
    companions: Iterable[str],
    mediastinal_radiotherapy: bool | None,
) -> tuple[float, str]:
    """The lifetime anthracycline limit in doxorubicin equivalents for this patient, and why:
    the lower limit after cyclophosphamide (before, or in the same regimen) or mediastinal
    radiotherapy. The labels differ on cyclophosphamide given before (rx23 N1): the doxorubicin
    label read says "previous or concomitant", the liposomal doxorubicin US label "concurrent";
    the lower limit stands and both readings are said (`ledger.earlier_drug_text`)."""
    ledger = tables.ledger
    now = ledger.lower_after_drugs & set(companions)
    before = (ledger.lower_after_drugs & set(prior_drugs)) - now
    lower_because = [f"with {d} in the same regimen" for d in sorted(now)]
    lower_because += [f"after {d} of an earlier line" for d in sorted(before)]
    if ledger.lower_after_mediastinal_radiotherapy and mediastinal_radiotherapy:
        lower_because.append("after mediastinal radiotherapy")
    limit = ledger.lower_limit_mg_m2 if lower_because else ledger.limit_mg_m2
    why = f"lifetime limit {shown(limit)} mg/m2"
    if lower_because:
        why += f" {' and '.join(lower_because)}"
    if before and ledger.earlier_drug_text:
        why += f" ({ledger.earlier_drug_text})"
    return limit, why


def prior_anthracycline(
    case: Case, tables: HardLimitTables, settings: ClinicSettings
) -> tuple[float | None, list[Gap], str]:
    """What was given before the current course, in doxorubicin equivalents (the cycle review's
    ledger, contract §5): the finished prior-therapy lines' mg/m² times each drug's factor, or
    the recorded total, the larger when both are known (under-counting is the unsafe error).
    The ongoing line is the course itself, counted from `treatment.given`. None with a gap when
    it is not recorded (not recorded is not "none given")."""
    disease = case.disease
    recorded = None if disease is None else disease.cumulative_anthracycline_mg_m2
    lines = [
        t
        for t in (() if disease is None else disease.prior_therapy or ())
        if t.reason_stopped != "ongoing"
    ]
    dosed = [
        (d, mg) for t in lines for d, mg in t.cumulative_mg_m2 or () if d in tables.equivalents
    ]
    undosed = sorted(
        {
            d
            for t in lines
            for d in t.drugs
            if d in tables.equivalents and d not in dict(t.cumulative_mg_m2 or ())
        }
    )
    field = "disease.cumulative_anthracycline_mg_m2"
    cannot = (
        "the lifetime anthracycline limit cannot be checked before this cycle; no dose is printed"
    )
    if recorded is None and (undosed or not dosed):
        missing = f" and no mg/m2 for {', '.join(undosed)} in prior therapy" if undosed else ""
        return None, [Gap(field, f"not recorded{missing}: {cannot}")], ""
    if recorded == 0 and undosed:
        return (
            None,
            [
                Gap(
                    field,
                    f"0 mg/m2 recorded, but prior therapy lists {', '.join(undosed)}: {cannot}",
                )
            ],
            "",
        )
    per_line = sum(mg * anthracycline_factor(tables, settings, d) for d, mg in dosed)
    if recorded is None or (dosed and per_line > recorded):
        return (
            per_line,
            [],
            f"{shown(per_line)} mg/m2 doxorubicin equivalents before this course (prior-therapy lines)",
        )
    return (
        recorded,
        [],
        f"{shown(recorded)} mg/m2 doxorubicin equivalents recorded before this course",
    )


def _ledger(
    dose: DrugDose,
    facts: GivableFacts,
    tables: HardLimitTables,
    settings: ClinicSettings,
    companions: Sequence[str],
) -> tuple[_Finding | None, list[Gap], list[str]]:
    ledger = tables.ledger
    basis = [Basis(ledger.id, s, ledger.verified) for s in ledger.sources]
    field = "disease.cumulative_anthracycline_mg_m2"
    recorded = facts.cumulative_anthracycline_mg_m2  # doxorubicin equivalents, as recorded
    dosed = [(d, mg) for d, mg in facts.prior_doses if d in tables.equivalents]
    undosed = sorted(d for d in facts.undosed_prior_drugs if d in tables.equivalents)
    cannot = f"{dose.drug}'s lifetime limit ({ledger.text}) cannot be checked; no dose is printed"
    if recorded is None and (undosed or not dosed):
        missing = f" and no mg/m2 for {', '.join(undosed)} in prior therapy" if undosed else ""
        return None, [Gap(field, f"not recorded{missing}: {cannot}")], []
    if recorded == 0 and undosed:
        return (
            None,
            [
                Gap(
                    field,
                    f"0 mg/m2 recorded, but prior therapy lists {', '.join(undosed)}: {cannot}",
                )
            ],
            [],
        )
    planned = dose.dose or dose.standard_dose
    if planned is None or planned.unit != "mg/m2":
        return (
            None,
            [Gap(field, f"{dose.drug}: no dose in mg/m2 to count against the lifetime limit")],
            [],
        )
    notes: list[str] = []
    factor = anthracycline_factor(tables, settings, dose.drug)
    for drug in sorted({*(d for d, _ in dosed), dose.drug}):
        row = tables.equivalents[drug]
        basis.extend(
            Basis(f"anthracycline.equivalent.{drug}", s, row.verified) for s in row.sources
        )
    # What was given before, in doxorubicin equivalents: each line's recorded mg/m² times its
    # drug's factor, and the recorded total; when both are known the larger is counted (they
    # should agree; under-counting is the unsafe error).
    per_line = sum(mg * anthracycline_factor(tables, settings, d) for d, mg in dosed)
    parts = [
        f"{d} {shown(mg)}"
        + (f" × {shown(f)}" if (f := anthracycline_factor(tables, settings, d)) != 1 else "")
        for d, mg in dosed
    ]
    if recorded is None or (dosed and per_line > recorded):
        given_equiv = per_line
        conversion = " + ".join(parts) + f" = {shown(per_line)} before"
    else:
        given_equiv = recorded
        conversion = f"{shown(recorded)} recorded before"
    course = [(d, mg) for d, mg in facts.course_doses if d in tables.equivalents]
    if course:
        # her course so far, on top of what was recorded before it (the cycle review's ledger)
        so_far = sum(mg * anthracycline_factor(tables, settings, d) for d, mg in course)
        given_equiv += so_far
        conversion += "; her course so far " + " + ".join(
            f"{d} {shown(mg)}"
            + (f" × {shown(f)}" if (f := anthracycline_factor(tables, settings, d)) != 1 else "")
            for d, mg in course
        )
    if dosed and recorded is not None and abs(per_line - recorded) >= 1:
        notes.append(
            f"anthracycline ledger: the recorded total ({shown(recorded)} mg/m2 doxorubicin "
            f"equivalents) differs from the doses of the prior-therapy lines ({' + '.join(parts)} "
            f"= {shown(per_line)}); the larger is counted — correct the record"
        )
    this_equiv = planned.value * factor
    conversion += f"; this dose {shown(planned.value)} mg/m2" + (
        f" × {shown(factor)} = {shown(this_equiv)}" if factor != 1.0 else ""
    )
    total = given_equiv + this_equiv
    limit, why_limit = lifetime_limit(
        tables, facts.prior_drugs, companions, facts.mediastinal_radiotherapy
    )
    lower_because = limit < ledger.limit_mg_m2
    cited = tuple(dict.fromkeys(basis))
    unverified = "" if all(b.verified for b in cited) else UNVERIFIED
    if given_equiv >= limit:
        return (
            _Finding(
                "contraindicated",
                f"lifetime anthracycline limit reached: {shown(given_equiv)} ≥ {shown(limit)} mg/m2 "
                f"doxorubicin equivalents ({conversion}; {why_limit}){unverified}",
                cited,
            ),
            [],
            [],
        )
    if total > limit:
        return (
            _Finding(
                "not_recommended",
                f"this dose would pass the lifetime anthracycline limit: {shown(given_equiv)} + "
                f"{shown(this_equiv)} = {shown(total)} > {shown(limit)} mg/m2 doxorubicin "
                f"equivalents ({conversion}; {why_limit}){unverified}",
                cited,
            ),
            [],
            [],
        )
    gaps: list[Gap] = []
    if (
        not lower_because
        and ledger.lower_after_mediastinal_radiotherapy
        and facts.mediastinal_radiotherapy is None
        and total > ledger.lower_limit_mg_m2
    ):
        gaps.append(
            Gap(
                "disease.mediastinal_radiotherapy",
                f"not recorded: {shown(total)} mg/m2 doxorubicin equivalents with this dose would "
                f"pass the {shown(ledger.lower_limit_mg_m2)} mg/m2 limit after mediastinal "
                f"radiotherapy; {dose.drug}: no dose is printed",
            )
        )
    notes.append(
        f"anthracycline ledger: {shown(given_equiv)} + {shown(this_equiv)} = {shown(total)} of "
        f"{shown(limit)} mg/m2 doxorubicin equivalents ({conversion}; {why_limit}); "
        f"{shown(limit - total)} mg/m2 remain after this dose{unverified}"
    )
    return None, gaps, notes


def _loading_cleared(dose: DrugDose) -> dict[str, Any]:
    """A first-cycle loading dose (`loading_dose`, `loading_absolute_dose`, contract §3a) goes
    with the dose: a row that gives no dose gives no loading dose either."""
    return {f.name: None for f in dataclasses.fields(dose) if f.name.startswith("loading")}


def stopped(dose: DrugDose, status: str, stop_reason: str, reasons: Sequence[str]) -> DrugDose:
    """A stop names no dose anywhere in its row (contract §3a): no dose, standard dose, percent,
    absolute dose or schedule, and of the warnings only the reasons for the stop (how the drug
    would have been given no longer applies; the rules it rested on stay in `basis`)."""
    return dataclasses.replace(
        dose,
        **_loading_cleared(dose),
        status=status,
        standard_dose=None,
        dose=None,
        percent_of_standard=None,
        absolute_dose=None,
        stop_reason=stop_reason,
        # the Gilbert's caveat stays: it says why a bilirubin-based stop may not fit (issue #15)
        warnings=tuple(
            dict.fromkeys((*reasons, *(w for w in dose.warnings if w.startswith(GILBERT_CAVEAT))))
        ),
    )


def _apply(dose: DrugDose, stops: list[_Finding], gaps: list[Gap], warnings: list[str]) -> DrugDose:
    if stops:
        worst = max(stops, key=lambda f: _RANK[f.status])
        status = dose.status
        if _RANK.get(worst.status, 0) > _RANK.get(status, -1) or status not in STOP_STATUSES:
            status = worst.status
        reasons = [f.reason for f in sorted(stops, key=lambda f: -_RANK[f.status])]
        if dose.stop_reason and dose.status in STOP_STATUSES:
            reasons.insert(0, dose.stop_reason)  # the dose table's own stop, organ function first
        basis = tuple(dict.fromkeys((*(b for f in stops for b in f.basis), *dose.basis)))
        return stopped(dataclasses.replace(dose, basis=basis), status, "; ".join(reasons), reasons)
    if dose.status in STOP_STATUSES:
        # the dose table's own stop decided; nothing here can loosen it
        reason = dose.stop_reason or f"{dose.drug}: {dose.status.replace('_', ' ')}"
        return stopped(dose, dose.status, reason, [reason])
    # A row that gives no dose prints no schedule (contract §3a): DrugDose.schedule is composed
    # from the row's own dose, so withholding the dose withholds it from the schedule too.
    if gaps:
        return dataclasses.replace(
            dose,
            **_loading_cleared(dose),
            status="insufficient_data",
            dose=None,
            percent_of_standard=None,
            absolute_dose=None,
            gaps=tuple(dict.fromkeys((*dose.gaps, *gaps))),
            warnings=tuple(dict.fromkeys((*warnings, *dose.warnings))),
        )
    if warnings:
        return dataclasses.replace(dose, warnings=tuple(dict.fromkeys((*dose.warnings, *warnings))))
    return dose


def current_therapy_alerts(current: Iterable[DrugDose]) -> tuple[Alert, ...]:
    """One critical alert naming every drug the patient takes now that is not givable today."""
    stopped = [d for d in current if d.status in STOP_STATUSES]
    if not stopped:
        return ()
    lines = [
        f"{d.drug} ({d.status.replace('_', ' ')}): {d.stop_reason or 'see its dose row'}"
        for d in stopped
    ]
    return (
        Alert(
            code=CURRENT_THERAPY_ALERT,
            level="critical",
            message="a drug the patient is taking now is not givable at today's findings — "
            + "; ".join(lines),
            field="disease.prior_therapy",
            basis=tuple(dict.fromkeys(b for d in stopped for b in d.basis)),
            reasons=tuple(lines),
        ),
    )
