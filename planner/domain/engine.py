"""The plan engine: one checked case in, one plan document (contract §3) out. Pure.

Why one module: `build_plan` is the one composition of the plan document; the helpers below it are
its steps (the appropriateness judgement, regimen doses, monitoring, on-treatment doses), in the
order the plan needs them, and `lab_grades` reads one of them without building the plan. The
assessments and rule logic it composes already live in their own modules.

    build_plan(case, doubts, rules, settings=None, labels=None) -> Plan
    build_plan(...).to_json()   # plain JSON, schema "planner.plan/1"

It composes the organ assessments and dosing of `planner.domain.dosing` (hepatic, kidney, body,
`drug_dose`), subtype and line (`subtype`) and regimen selection (`regimens`), then judges
whether palliative systemic therapy is appropriate (regimens_supportive.md §6):

- **not appropriate** (prompts for discussion, never refusals; the options stay listed, marked):
  ECOG >= 3 (STOP-1; "exception may apply" for HER2+ or endocrine-naive HR+ disease); PPS <= 30 %
  (STOP-3: survival probably weeks; the surprise question "no" is named with it); severe hepatic
  impairment: ODWG severe, Child-Pugh C or any hepatic encephalopathy (STOP-4); hepatic visceral
  crisis with ECOG >= 2 (VC-8); every option contains chemotherapy and the patient declines it;
  every option has a drug that is not recommended or contraindicated for her now (organ
  function, an allergy or a medicine she takes; STOP-4).
- **warnings**: ECOG 2 is outside the trial population (GEN-3, STOP-5); surprise question "no"
  alone is a prompt for advance care planning (PROG-4); ER-low; relapse date assumed; hidden
  options; the patient declines chemotherapy.

Cut-offs (ECOG, PPS) come from resources/rules/subtype.toml. `rules` is the loaded RuleSet
(typed here as a protocol: the domain does not import `planner.rules`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Protocol

from planner.domain.case import Case, TreatmentDose
from planner.domain.cycle_findings import Graded, GradingInputs, grade_labs
from planner.domain.cycle_review import CycleReview, ReviewInputs, review_cycle
from planner.domain.cycle_tables import CycleTables
from planner.domain.dose_tables import DoseTables
from planner.domain.dosing import (
    DoseInputs,
    DrugDose,
    UnknownSchedule,
    dose_inputs,
    drug_dose,
    no_dose,
)
from planner.domain.evidence import UNVERIFIED, Basis, Gap
from planner.domain.givable import (
    GivableFacts,
    check_givable,
    current_therapy_alerts,
    givable_facts,
    ledger_companions,
    on_treatment_tables,
)
from planner.domain.hard_limit_tables import HardLimitTables
from planner.domain.hepatic import assess_liver, bilirubin_reference_lines
from planner.domain.instruments.tables import InstrumentRules
from planner.domain.lab_deltas import confirmed_changes
from planner.domain.limits import CaseLimits
from planner.domain.liver_safe_drugs import Fact, InteractionFlag
from planner.domain.medicine_tables import InteractionTables
from planner.domain.medicines import (
    allergy_class_reasons,
    pair_checked,
    review_medicines,
    suggestions,
    with_current_medicines,
)
from planner.domain.plan import (
    AvoidDrug,
    CitedSource,
    Plan,
    PlanOption,
    StopReason,
    SystemicTherapy,
)
from planner.domain.plan_words import say
from planner.domain.problems import Problem
from planner.domain.regimen_tables import Regimen, RegimenTable
from planner.domain.regimens import UNUSABLE_STATUSES, Selection, select_regimens
from planner.domain.screens import distress_edge
from planner.domain.settings import ClinicSettings
from planner.domain.subtype import (
    HasClasses,
    Subtype,
    TherapyHistory,
    classify_subtype,
    therapy_history,
)
from planner.domain.supportive import PlannedTherapy, build_supportive
from planner.domain.supportive_tables import ALERT_LEVELS, FACTS, SupportiveTables


class RuleBook(Protocol):
    """What the engine reads from the loaded rules (planner.rules.RuleSet satisfies it)."""

    @property
    def version(self) -> str: ...
    @property
    def limits(self) -> CaseLimits: ...
    @property
    def drugs(self) -> Mapping[str, HasClasses]: ...
    @property
    def doses(self) -> DoseTables: ...
    @property
    def regimens(self) -> RegimenTable: ...
    @property
    def instruments(self) -> InstrumentRules: ...
    @property
    def sources(self) -> Mapping[str, CitedSource]: ...
    @property
    def supportive(self) -> SupportiveTables: ...
    @property
    def hard_limits(self) -> HardLimitTables: ...
    @property
    def interactions(self) -> InteractionTables: ...
    @property
    def cycle(self) -> CycleTables: ...


def build_plan(
    case: Case,
    doubts: Iterable[Problem],
    rules: RuleBook,
    settings: ClinicSettings | None = None,
    labels: str | None = None,
) -> Plan:
    settings = settings or ClinicSettings()
    if labels is not None and labels != settings.labels:
        settings = dataclasses.replace(settings, labels=labels)
    labels = settings.labels
    doubts = tuple(doubts)
    table = rules.regimens
    # The clinic's instrument choices (DT cut-off, Child–Pugh albumin bands, ...) resolved once
    # against the rule tables; the liver assessment reads the same ClinicSettings.
    instrument_settings = settings.instrument_settings(rules.instruments)

    inputs = dose_inputs(case, rules.limits, settings, doubts, instruments=rules.instruments)
    hepatic = inputs.hepatic
    subtype = classify_subtype(case, table.cutoffs)
    history = therapy_history(case, table.cutoffs, rules.drugs)

    # Every dose goes through the one "is this drug givable today" pass (planner.domain.givable).
    facts = givable_facts(case, rules.limits, doubts, hepatic)
    doses: dict[tuple[str, str | None, frozenset[str], int], DrugDose] = {}
    by_regimen: dict[tuple[str, str], DrugDose] = {}  # selection and options ask twice

    def givable(
        drug: str,
        schedule: str | None,
        companions: tuple[str, ...],
        dose: Callable[[], DrugDose],
        day: int = 1,
    ) -> DrugDose:
        key = (drug, schedule, ledger_companions(rules.hard_limits, companions), day)
        found = doses.get(key)
        if found is None:
            found = doses[key] = with_current_medicines(  # allergies, what she takes (§2a)
                check_givable(dose(), facts, rules.hard_limits, settings, companions, day),
                case,
                rules.interactions,
            )
        return found

    def dose_of(regimen: Regimen, drug: str) -> DrugDose:
        """The drug in the regimen's own schedule (contract §3a), through the givable pass."""
        found = by_regimen.get((regimen.id, drug))
        if found is None:
            schedule = regimen_schedule(regimen, drug, rules.doses, labels)
            found = by_regimen[(regimen.id, drug)] = givable(
                drug,
                schedule,
                regimen.drugs,
                lambda: regimen_drug_dose(regimen, drug, inputs, rules.doses, settings),
            )
        return found

    selection = select_regimens(
        case,
        subtype,
        history,
        hepatic.visceral_crisis,
        table,
        rules.drugs,
        formulary=settings.formulary,
        dose_of=dose_of,
    )
    systemic = _systemic_therapy(
        case, subtype, history, selection, hepatic.visceral_crisis, hepatic.severe_impairment, table
    )
    gaps: dict[tuple[str, str], Gap] = {}

    def add_gaps(found: Iterable[Gap]) -> None:
        for gap in found:
            gaps.setdefault((gap.field, gap.effect), gap)

    options = []
    for ranked in selection.options:
        regimen = ranked.regimen
        drugs = tuple(dose_of(regimen, d) for d in regimen.drugs)
        for d in drugs:
            add_gaps(d.gaps)
        options.append(
            PlanOption(
                ranked=ranked,
                drugs=drugs,
                # A marked option cites why systemic therapy was judged not appropriate, so the
                # reason travels with the option (screen row, printed line), not only the header.
                basis=regimen.basis
                + ranked.basis
                + tuple(b for r in systemic.reasons for b in r.basis),
                monitoring=table.monitoring_lines(regimen, rules.drugs),
                not_appropriate=not systemic.appropriate,
                not_appropriate_because=tuple(r.code for r in systemic.reasons),
            )
        )

    # The drugs the patient takes now are re-checked at today's findings (contract §3a).
    # A current drug's schedule is not recorded: its standard single-agent one is checked.
    # A drug of her course is checked on the day of the cycle its review is for (rx23 F4).
    course = case.treatment
    current = [
        givable(
            drug,
            None,
            companions,
            partial(drug_dose, drug, inputs, rules.doses, labels=labels, settings=settings),
            course.day if course is not None and course.drug(drug) is not None else 1,
        )
        for drug, companions in facts.current
    ]
    avoid_by_drug: dict[str, DrugDose] = {}
    for d in (*current, *(d for option in options for d in option.drugs)):
        if d.status in UNUSABLE_STATUSES and d.drug not in avoid_by_drug:
            avoid_by_drug[d.drug] = d
    avoid = tuple(
        AvoidDrug(d.drug, _avoid_reason(d), d.basis) for _, d in sorted(avoid_by_drug.items())
    )

    # Supportive care, referrals, alerts and the one merged follow-up/monitoring list are built
    # in planner.domain.supportive (alerts: planner.domain.alerts; follow-up: follow_up).
    supportive = build_supportive(
        case,
        hepatic,
        [
            PlannedTherapy(
                o.ranked.regimen.id,
                o.ranked.regimen.drugs,
                o.ranked.rank,
                # Drug-led supportive advice (G-CSF) follows only drugs the plan gives a dose for.
                tuple(d.drug for d in o.drugs if d.status not in UNUSABLE_STATUSES)
                if systemic.appropriate
                else (),
            )
            for o in options
        ],
        rules.supportive,
        settings,
        instruments=rules.instruments,
        instrument_settings=instrument_settings,
        doubts=doubts,
        regimen_monitoring=table.monitoring.values(),
        kidney=inputs.kidney,
        # her medicines against suggested drugs are the medicine review's findings (one home)
        checked_with_medicines=lambda medicine, drug: pair_checked(
            rules.interactions, medicine, rules.limits.medicines.get(drug, drug)
        ),
        # a class she is allergic to (an NSAID reaction): no supportive row offers a drug of it
        allergy_facts=[
            Fact(f"{cls}_allergy", reason, basis)
            for cls, (reason, basis) in allergy_class_reasons(case, rules.interactions).items()
            if f"{cls}_allergy" in FACTS
        ],
        both_ways=rules.interactions.both_ways(rules.limits.drugs),
    )

    # A supportive drug flagged against an option's drug is said on that drug's row as well as
    # on the symptom line (misc23: oxycodone for pain beside a ribociclib option was said on
    # neither). The row keeps its dose and status: the usual change is the supportive drug.
    flagged = _flags_by_drug(supportive.interactions)
    options = [_with_supportive_flags(o, flagged) for o in options]

    add_gaps(subtype.gaps)
    add_gaps(history.gaps)
    add_gaps(selection.gaps)
    add_gaps(hepatic.gaps)
    add_gaps(inputs.kidney.gaps)
    add_gaps(inputs.body.gaps)
    add_gaps(supportive.gaps)
    # What she already takes against everything suggested (contract §2a: planner.domain.medicines)
    # On treatment the course is the therapy (contract §3a `treatment.drugs`): the first plan's
    # options are not printed, so a finding naming "option 2: …" pointed at nothing on the
    # page, and a course drug not among the options (or in prior_therapy as ongoing) was never
    # checked at all (rx20 G1). The course drugs are "the anticancer therapy she is on now".
    on_course = () if case.treatment is None else tuple(d.drug for d in case.treatment.drugs)
    medicines = review_medicines(
        case,
        suggestions(
            (
                (o.ranked.rank, o.ranked.regimen.id, o.ranked.regimen.drugs)
                for o in options
                if case.treatment is None
            ),
            (
                (i.finding.problem, [d for c in i.interventions for d in c.row.drugs])
                for i in supportive.items
            ),
            (*(drug for drug, _ in facts.current), *on_course),
            rules.limits.medicines,
        ),
        rules.interactions,
        # the lower paracetamol ceilings apply with liver impairment or another risk factor
        supportive.facts.get("hepatic_modifier") or supportive.facts.get("paracetamol_risk"),
        supportive.medicine_checks,
    )
    add_gaps(medicines.gaps)
    clinical = case.clinical
    if clinical is None or clinical.ecog is None:
        add_gaps(
            [
                Gap(
                    "clinical.ecog",
                    "performance status not recorded: whether systemic therapy is appropriate (STOP-1) is not judged",
                )
            ]
        )
    if case.function is None or case.function.pps_percent is None:
        add_gaps(
            [
                Gap(
                    "function.pps_percent",
                    "PPS not recorded: the end-of-life check (STOP-3) is not done",
                )
            ]
        )

    # contract §5: the review before the next cycle, only when she is on treatment
    next_cycle: CycleReview | None = None
    if case.treatment is not None:
        organ_doses, organ_percents = _on_treatment_doses(case, rules, inputs, facts, settings)
        on_regimen = rules.regimens.regimens.get(case.treatment.regimen)
        next_cycle = review_cycle(
            case,
            ReviewInputs(
                limits=rules.limits,
                hepatic=hepatic,
                doubts=doubts,
                instruments=rules.instruments,
                tables=rules.cycle,
                hard_limits=rules.hard_limits,
                settings=settings,
                organ_doses=organ_doses,
                organ_percents=organ_percents,
                interactions=rules.interactions,
                regimen_kind=None if on_regimen is None else on_regimen.kind,
            ),
        )
        add_gaps(next_cycle.gaps)

    return Plan(
        lab_confirmations=confirmed_changes(case.lab_confirmations or (), rules.limits),
        rules_version=rules.version,
        labels=labels,
        subtype=subtype,
        history=history,
        hepatic=hepatic,
        body=inputs.body,
        kidney=inputs.kidney,
        systemic_therapy=systemic,
        options=tuple(options),
        hidden_options=selection.hidden,
        avoid=avoid,
        # most severe first; the current-therapy alert leads the critical ones
        alerts=tuple(
            sorted(
                (
                    *current_therapy_alerts(current),
                    *(() if next_cycle is None else next_cycle.alerts),
                    *medicines.alerts,
                    *supportive.alerts,
                ),
                key=lambda a: ALERT_LEVELS.index(a.level),
            )
        ),
        monitoring=supportive.follow_up.monitoring,
        supportive=supportive,
        medicines=medicines,
        source_catalogue=rules.sources,
        bilirubin_reference_lines=bilirubin_reference_lines(rules.instruments),
        gaps=tuple(gaps.values()),
        next_cycle=next_cycle,
        # the drugs she is on now: ongoing prior therapy and, on treatment, the course's drugs
        # (never "not given" by a decision on the options: planner.domain.course_scope)
        current_therapy=tuple(dict.fromkeys((*(drug for drug, _ in facts.current), *on_course))),
        settings={
            **settings.to_json(rules.instruments),
            "distress_thermometer_cutoff": (
                f"{distress_edge(rules.instruments, instrument_settings)} (instrument setting "
                f"distress_cutoff = {instrument_settings.distress_cutoff})"
            ),
            "supportive": supportive.settings.to_json(),
            "supportive_changed_by_clinic": sorted(supportive.settings.chosen),
        },
    )


def _flags_by_drug(flags: Iterable[InteractionFlag]) -> dict[str, list[InteractionFlag]]:
    """The supportive interaction flags naming each drug, in the flags' order: looked up once
    per plan, not filtered again for each of the ~20 drug rows of the options."""
    by_drug: dict[str, list[InteractionFlag]] = {}
    for flag in flags:
        for drug in flag.partners:
            by_drug.setdefault(drug, []).append(flag)
    return by_drug


def _with_supportive_flags(
    option: PlanOption, flags_by_drug: Mapping[str, list[InteractionFlag]]
) -> PlanOption:
    """`option` with each supportive interaction flag that names one of its drugs added to that
    drug's warnings and basis (the flag's own words, with where the suggestion comes from); the
    option itself where no flag names a drug it gives (most options: a copy of each was ~20 K
    instructions)."""
    drugs = []
    changed = False
    for dose in option.drugs:
        mine = flags_by_drug.get(dose.drug)
        if not mine or dose.status in UNUSABLE_STATUSES:
            drugs.append(dose)  # a drug given no dose is not given beside anything
            continue
        notes = [_supportive_flag_note(f) for f in mine]
        drugs.append(
            dataclasses.replace(
                dose,
                warnings=tuple(dict.fromkeys((*dose.warnings, *notes))),
                basis=tuple(dict.fromkeys((*dose.basis, *(b for f in mine for b in f.rule.basis)))),
            )
        )
        changed = True
    return dataclasses.replace(option, drugs=tuple(drugs)) if changed else option


def _supportive_flag_note(flag: InteractionFlag) -> str:
    """What a supportive flag says on the option's drug row: which advice suggests which drug,
    and the flag's first statement (what happens), pointing to the problem line that says it
    in full; the decision page prints the row beside the alert that holds the whole text."""
    problems = ", ".join(say("problem", p) for p in flag.problems)
    gist = flag.rule.message.split("; ", 1)[0].rstrip(".")
    return (
        f"supportive care ({problems}) suggests {', '.join(flag.supportive)}: {gist} (in full on "
        f"the {problems} line; {flag.rule.rule})" + ("" if flag.rule.verified else UNVERIFIED)
    )


def lab_grades(
    case: Case,
    doubts: Iterable[Problem],
    rules: RuleBook,
    settings: ClinicSettings | None = None,
) -> tuple[Graded, ...]:
    """The CTCAE v5 grades the cycle review gives today's labs (the plan's `next_cycle.graded`),
    without building the plan: the liver assessment and the grading only.

    The course service reads them before the plan, to enter each graded term with its
    occurrence in the course (the labels count appearances, and only the course knows the
    earlier ones), then builds the plan once (issue 19). The grades do not depend on the
    entered toxicities, so they are the plan's own."""
    settings = settings or ClinicSettings()
    doubts = tuple(doubts)
    hepatic = assess_liver(case, rules.limits, settings, doubts, instruments=rules.instruments)
    graded, _ = grade_labs(
        case,
        GradingInputs(
            limits=rules.limits,
            hepatic=hepatic,
            doubts=doubts,
            instruments=rules.instruments,
            settings=settings,
        ),
    )
    return tuple(graded)


def _on_treatment_doses(
    case: Case, rules: RuleBook, inputs: DoseInputs, facts: GivableFacts, settings: ClinicSettings
) -> tuple[dict[str, DrugDose], dict[str, frozenset[float]]]:
    """Each drug of her treatment through the first plan's organ-function pass (dose tables,
    hard limits) at today's findings; the cycle review caps its dose by it, and a label's "do not
    give" stops the drug (contract §5). Whose standard dose the organ rows take their percentage
    of is `on_treatment_schedule`'s. Besides, the percentages of that standard the schedule's
    organ rows can give at any organ function: the only doses off the label's toxicity steps a
    later review reads as such a row's (capecitabine 937.5 mg/m2 on a start of 1000 is its
    kidney row's 75 % of 1250; 600 is no row's dose and stays undecided)."""
    treatment = case.treatment
    assert treatment is not None
    doses, limits = on_treatment_tables(rules.doses, rules.hard_limits)
    regimen = rules.regimens.regimens.get(treatment.regimen)
    companions = tuple(d.drug for d in treatment.drugs)
    labels = settings.labels
    out: dict[str, DrugDose] = {}
    percents: dict[str, frozenset[float]] = {}
    for on in treatment.drugs:
        started_at = on_treatment_schedule(regimen, on.drug, on.starting_dose, doses, labels)
        table = doses.drugs.get(on.drug)
        schedule = started_at or (
            None if regimen is None else regimen_schedule(regimen, on.drug, doses, labels)
        )
        percents[on.drug] = frozenset(
            b.percent
            for b in (() if table is None else table.bands)
            if b.percent is not None
            and b.organ_row
            and not b.alternative
            and labels in b.labels
            and (schedule is None or b.applies_to(labels, schedule))
        )
        if started_at is not None:
            dose = drug_dose(
                on.drug, inputs, doses, labels=labels, settings=settings, schedule=started_at
            )
        elif regimen is not None and on.drug in regimen.drugs:
            dose = regimen_drug_dose(regimen, on.drug, inputs, doses, settings)
        else:
            dose = drug_dose(on.drug, inputs, doses, labels=labels, settings=settings)
        given = check_givable(dose, facts, limits, settings, companions)
        if given.standard_dose is None and dose.standard_dose is not None:
            # a stop names no dose (contract §3a), but a held drug's restart dose is still the
            # organ row's percentage of this standard (rx22 F8: doxorubicin begun at 50 held at
            # bilirubin > 5 mg/dL restarts at 25 % of 60, as at 3.1-5 mg/dL, not 25 % of 50)
            given = dataclasses.replace(given, standard_dose=dose.standard_dose)
        out[on.drug] = given
    return out, percents


def on_treatment_schedule(
    regimen: Regimen | None, drug: str, start: TreatmentDose, tables: DoseTables, labels: str
) -> str | None:
    """The schedule whose standard dose the label's organ rows take their percentage of on a
    course (None: the regimen's own, else the label's standard). One rule for every drug and
    every kidney or liver row (recheck 21 N6): the regimen's own schedule — the label's starting
    dose — unless the course began at another of the label's standard doses above it (docetaxel
    begun at 100 where the regimen names 75). A course begun below the regimen's standard is a
    lower start of that regimen, never the standard of another regimen that happens to equal it:
    capecitabine alone begun at 1000 mg/m2 is below the single-agent 1250, and 1000 is the
    standard only beside lapatinib or tucatinib — at CrCl 30-50 the cap is 75 % of 1250
    (937.5), not 75 % of 1000 (750), the kidney counted on a dose already lowered."""
    table = tables.drugs.get(drug)
    if table is None:
        return None
    own = None if regimen is None else regimen_schedule(regimen, drug, tables, labels)
    own_value = next(
        (s.value for s in table.schedules if s.id == own and s.unit == start.unit), None
    )
    matching = [
        s.id
        for s in table.schedules_for(labels)
        if s.value is not None
        and s.unit == start.unit
        and abs(s.value - start.value) <= 0.05 * s.value
        and (own_value is None or s.id == own or s.value > own_value)
    ]
    return own if own in matching else next(iter(matching), None)


def regimen_schedule(regimen: Regimen, drug: str, tables: DoseTables, labels: str) -> str | None:
    """The schedule id the regimen row names for `drug` under this label set, if any."""
    table = tables.drugs.get(drug)
    for schedule_id in regimen.dose_schedules.get(drug, ()):
        if table is None or any(
            s.id == schedule_id and labels in s.labels for s in table.schedules
        ):
            return schedule_id
    return None


def regimen_drug_dose(
    regimen: Regimen,
    drug: str,
    inputs: DoseInputs,
    tables: DoseTables,
    settings: ClinicSettings,
) -> DrugDose:
    """The drug's dose in the regimen's own schedule (contract §3a). A regimen that names no
    schedule the dose table holds gives no dose, with the reason: never the drug's
    single-agent dose in its place (issue #15, defect class 1)."""
    schedule = regimen_schedule(regimen, drug, tables, settings.labels)
    reason = (
        f"{regimen.name} names no {drug} dose for the {settings.labels.upper()} label set"
        if schedule is None
        else None
    )
    if schedule is not None:
        try:
            return drug_dose(
                drug, inputs, tables, labels=settings.labels, settings=settings, schedule=schedule
            )
        except UnknownSchedule:
            reason = f"{regimen.name}: {drug} schedule {schedule!r} is not in the dose table"
    return no_dose(
        drug,
        settings.labels,
        [f"no dose printed: {reason}; the single-agent dose does not apply inside a regimen"],
    )


def _avoid_reason(dose: DrugDose) -> str:
    """What was found against which limit first ("CrCl 25 mL/min < 30: ..."), then the verdict."""
    words = "contraindicated" if dose.status == "contraindicated" else "not recommended"
    if dose.stop_reason:
        return f"{dose.stop_reason} — {words}"
    detail = next((w for w in dose.warnings if not w.startswith("UNVERIFIED")), "")
    return f"{words} at this patient's organ function" + (f": {detail}" if detail else "")


def _stop_basis(table: RegimenTable, key: str) -> tuple[Basis, ...]:
    """The cited basis of a STOP-4 reason, as subtype.toml's [[stop_reason]] rows give it."""
    return tuple(
        Basis(row.rule, s, row.verified)
        for row in table.cutoffs.stop_reasons[key]
        for s in row.sources
    )


def _cut_basis(table: RegimenTable, key: str) -> tuple[Basis, ...]:
    cut = table.cutoffs[key]
    return tuple(Basis(cut.rule, s, cut.verified) for s in cut.sources)


def _systemic_therapy(
    case: Case,
    subtype: Subtype,
    history: TherapyHistory,
    selection: Selection,
    visceral_crisis: str,
    severe_impairment: bool,
    table: RegimenTable,
) -> SystemicTherapy:
    cut = table.cutoffs
    reasons: list[StopReason] = []
    warnings: list[str] = [*subtype.warnings, *history.warnings, *selection.warnings]
    clinical, function, preferences = case.clinical, case.function, case.preferences
    ecog = None if clinical is None else clinical.ecog
    pps = None if function is None else function.pps_percent
    surprise_no = bool(clinical is not None and clinical.surprise_question_no)

    if ecog is not None and ecog >= cut.value("not_appropriate_ecog_min"):
        text = (
            f"ECOG {ecog}: cancer-directed therapy is not advised unless prior treatment helped and strong "
            "evidence says more will help; focus on symptom control and palliative care (STOP-1)"
        )
        endocrine_naive = subtype.group == "HR+/HER2-" and "endocrine" not in history.prior_classes
        if subtype.group == "HER2+" or endocrine_naive:
            text += "; an exception may apply (HER2+ or endocrine-naive HR+ disease responds often): discuss"
        reasons.append(StopReason("ecog_3_4", text, _cut_basis(table, "not_appropriate_ecog_min")))
    elif ecog is not None and ecog > cut.value("trial_population_ecog_max"):
        warnings.append(
            f"ECOG {ecog}: outside the trial populations (ECOG 0-{cut.value('trial_population_ecog_max'):g}); "
            "every regimen rule is an extrapolation (GEN-3, STOP-5)"
        )
    if pps is not None and pps <= cut.value("end_of_life_pps_max_percent"):
        text = (
            f"PPS {pps} %: survival is probably weeks; chemotherapy in the last "
            f"{cut.value('end_of_life_chemo_last_days'):g} days and a new regimen in the last "
            f"{cut.value('end_of_life_new_regimen_last_days'):g} days of life are markers of "
            "over-treatment (STOP-3)"
        )
        if surprise_no:
            text += "; the surprise question was answered 'no'"
        reasons.append(
            StopReason("end_of_life", text, _cut_basis(table, "end_of_life_pps_max_percent"))
        )
    elif surprise_no:
        warnings.append(
            "surprise question answered 'no': a prompt for advance care planning and palliative referral, "
            "not for stopping treatment (PROG-4)"
        )
    options = selection.options
    encephalopathy = None if clinical is None else clinical.encephalopathy
    severe_text = (
        "drug hard stops apply; if no agent remains usable, best supportive care and a "
        "hospice discussion (STOP-4)"
    )
    if encephalopathy in ("grade_1_2", "grade_3_4"):
        what = (
            "hepatic encephalopathy"
            if not severe_impairment
            else "severe hepatic impairment (ODWG severe or Child-Pugh C)"
        )
        reasons.append(
            StopReason(
                "severe_hepatic_impairment",
                f"{what}: {severe_text}",
                _stop_basis(table, "severe_hepatic_impairment"),
            )
        )
    elif severe_impairment and any(not o.unusable_drugs for o in options):
        # STOP-4 says best supportive care when NO agent remains usable; an option whose every
        # drug is still usable at this liver function is offered (review rx20 F8: HER2+ first
        # line, bilirubin 3.6 x ULN, was told "best supportive care" with trastuzumab and
        # pertuzumab at full dose in its own options)
        warnings.append(
            "severe hepatic impairment (ODWG severe or Child-Pugh C): drug hard stops apply (a "
            "drug not recommended at this liver function gets no dose, and its options come "
            "last); an option remains usable, so systemic therapy is offered; if none remained, "
            "best supportive care and a hospice discussion (STOP-4)"
        )
    elif severe_impairment:
        reasons.append(
            StopReason(
                "severe_hepatic_impairment",
                f"severe hepatic impairment (ODWG severe or Child-Pugh C): {severe_text}",
                _stop_basis(table, "severe_hepatic_impairment"),
            )
        )
    if (
        visceral_crisis == "yes"
        and ecog is not None
        and ecog >= cut.value("visceral_crisis_goals_of_care_ecog_min")
    ):
        reasons.append(
            StopReason(
                "visceral_crisis_poor_performance",
                f"hepatic visceral crisis with ECOG {ecog}: about "
                f"{cut.value('visceral_crisis_poor_ps_benefit_percent'):g} % chance of response or "
                f"stable disease (vs about {cut.value('visceral_crisis_good_ps_benefit_percent'):g} % "
                f"at ECOG 0-{cut.value('trial_population_ecog_max'):g}); raise goals of care with "
                "the urgent oncology referral (VC-8)",
                _cut_basis(table, "visceral_crisis_goals_of_care_ecog_min"),
            )
        )
    declines = bool(preferences is not None and preferences.declines_chemotherapy)
    if options and all(o.declined for o in options):
        reasons.append(
            StopReason(
                "patient_declines",
                "the patient declines chemotherapy and every option contains it: supportive care, and revisit the choice",
                (),
            )
        )
    elif declines:
        warnings.append(
            "the patient declines chemotherapy: options containing it are listed last and marked"
        )
    if options and all(o.unusable_drugs for o in options):
        reasons.append(
            StopReason(
                "no_usable_agent",
                "every option has a drug that is not recommended or contraindicated for her now "
                "(each drug's row says why: organ function, an allergy or a medicine she takes); "
                "with no agent usable, best supportive care (STOP-4)",
                # the program's own rule (no guideline states it), beside the guideline that
                # makes supportive care routine from the diagnosis (ABC 4): subtype.toml
                _stop_basis(table, "no_usable_agent"),
            )
        )
    if not options and subtype.group != "unknown":
        warnings.append(
            "no regimen in the table fits this case: see gaps for tests that would open options"
        )

    first_reason = options[0].rank_reason if options else None
    basis = (*selection.basis, *subtype.basis, *history.basis)
    return SystemicTherapy(not reasons, tuple(warnings), tuple(reasons), first_reason, tuple(basis))
