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
   and `insufficient_data` — no dose; so is a laboratory result a row of the drug grades for
   today (its CTCAE term) that is not recorded or cannot be graded (rx23 F1). A drug without a
   table is `insufficient_data` with the reason, never a guessed action.
4. **The cycle**: stop when every drug is discontinued; insufficient_data when any drug cannot
   be decided (then no dose is printed for any drug); delay when any drug is held; else give.
5. **Cumulative doses** (anthracyclines in doxorubicin equivalents; the factors and the lifetime
   limit are the hard-limit tables and the clinic's setting, read through `planner.domain.givable`)
   and the on-treatment **alerts** (Hy's law, febrile neutropenia, pneumonitis,
   cumulative_dose_limit).

Where each step lives: grading, events and the measured values the rows test in `cycle_findings`;
the label's dose ladder in `cycle_ladder`; matching its rows in `cycle_rows`; one drug's decision
in `cycle_drug`, checked against today's liver and kidney function in `cycle_organ`; the
anthracycline ledger in `cycle_cumulative`. This module holds the review's inputs and result, the
companion drugs (pertuzumab with trastuzumab), the on-treatment alerts and the cycle's decision.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from planner.domain.alerts import Alert
from planner.domain.case import Case, Treatment, TreatmentDose, TreatmentDrug
from planner.domain.cycle_cumulative import CumulativeDose, cumulative_doses
from planner.domain.cycle_drug import (
    NO_DOSE_ACTIONS,
    DrugDecision,
    review_drug,
    stop_reasons,
    undecided,
)
from planner.domain.cycle_findings import (
    Event,
    Graded,
    finding_words,
    grade_labs,
    measured_values,
    toxicity_events,
    ungraded_terms,
)
from planner.domain.cycle_label_set import for_label_set
from planner.domain.cycle_medicines import with_medicines
from planner.domain.cycle_organ import child_pugh_words, with_liver_grading, with_organ_function
from planner.domain.cycle_rows import cite
from planner.domain.cycle_silent import named_by, with_silent_label
from planner.domain.cycle_tables import CycleRule, CycleTables, shown
from planner.domain.dosing import DrugDose
from planner.domain.evidence import UNVERIFIED, Basis, Gap
from planner.domain.frozen_value import frozen_value
from planner.domain.hard_limit_tables import HardLimitTables
from planner.domain.hepatic import HepaticAssessment
from planner.domain.instruments.tables import InstrumentRules
from planner.domain.limits import CaseLimits
from planner.domain.medicine_tables import InteractionTables
from planner.domain.problems import Problem
from planner.domain.settings import ClinicSettings

ALERT_CUMULATIVE = "cumulative_dose_limit"


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
    # the percentages of the standard the dose table's organ rows of each drug's schedule can
    # give: the only doses off the toxicity steps read as an earlier organ row's
    organ_percents: Mapping[str, frozenset[float]]
    # what she takes against each drug: the label's own dose while an interacting medicine is
    # recorded (planner.domain.cycle_medicines)
    interactions: InteractionTables
    # the kind of treatment her regimen is (regimens.toml `kind`; None: not in the table)
    regimen_kind: str | None = None


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
    # the kind of treatment of her regimen (an option's `kind`): which options' stops concern
    # this cycle (planner.reports.next_cycle.avoid_this_cycle)
    kind: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "cycle": self.cycle,
            "day": self.day,
            "regimen": self.regimen,
            "kind": self.kind,
            "decision": self.decision,
            "drugs": [d.to_json() for d in self.drugs],
            "graded": [g.to_json() for g in self.graded],
            "resume_when": list(self.resume_when),
            "recheck_in_days": self.recheck_in_days,
            "cumulative": [c.to_json() for c in self.cumulative],
            "notes": list(self.notes),
        }


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
        if mine is None or partner is None or mine.action in NO_DOSE_ACTIONS:
            continue
        drug, other = companion.drug, companion.partner
        basis = tuple(dict.fromkeys((*mine.basis, *cite(companion, companion.id), *partner.basis)))
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


def _alerts(
    treatment: Treatment,
    events: list[Event],
    values: Mapping[str, float],
    unknown: Mapping[str, Gap],
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
            if value is None and threshold.unknown_applies and threshold.measure in unknown:
                # a condition that only exempts: not known, the alert is raised and says so
                missing = unknown[threshold.measure]
                found.append(
                    f"whether {threshold.describe()} is not known ({missing.field}: "
                    f"{missing.effect})"
                )
                continue
            if value is None or not threshold.holds(value):
                held = False
                break
            found.append(f"{finding_words(threshold, value)} ({threshold.describe()})")
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


def _standard(on: TreatmentDrug, organ: DrugDose | None) -> TreatmentDose | None:
    """The label's standard dose the first plan gave for the drug, in the course's unit (None:
    not known, or in another unit)."""
    if organ is None or organ.standard_dose is None:
        return None
    if organ.standard_dose.unit != on.starting_dose.unit:
        return None
    return TreatmentDose(organ.standard_dose.value, organ.standard_dose.unit)


def review_cycle(case: Case, inputs: ReviewInputs) -> CycleReview:
    treatment = case.treatment
    assert treatment is not None, "review_cycle is called only for a case with treatment"
    lab_graded, grade_gaps = grade_labs(case, inputs)
    drawn_on = None if case.labs is None else case.labs.drawn_on
    events, notes, graded = toxicity_events(treatment, lab_graded, drawn_on)
    # the same results graded in × ULN, for the drugs whose labels write their grades so (a
    # result graded against her raised baseline gets its × ULN grade; None: that grade cannot be
    # told, today's ULN not known)
    uln_graded = [g.x_uln if g.against_baseline else g for g in lab_graded]
    uln_unknown = [g for g in lab_graded if g.against_baseline and g.x_uln is None]
    uln_events, uln_notes, _ = toxicity_events(
        treatment, [g for g in uln_graded if g is not None], drawn_on
    )
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
    values, unknown = measured_values(case, inputs)
    ungraded = ungraded_terms(lab_graded, grade_gaps)
    liver = child_pugh_words(case, inputs.hepatic)
    decisions: dict[str, DrugDecision] = {}
    resume: list[str] = []
    rechecks: list[int] = []
    gaps: list[Gap] = list(grade_gaps)

    def in_force(drug: str) -> tuple[CycleRule, ...]:
        return tuple(
            r
            for r in inputs.tables.rules.get(drug, ())
            if inputs.tables.in_force(r, treatment.regimen, inputs.settings.cycle_choices)
        )

    course_named = named_by(r for d in treatment.drugs for r in in_force(d.drug))
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
            _standard(on, inputs.organ_doses.get(on.drug)),
            inputs.organ_percents.get(on.drug, frozenset()),
            ungraded,
        )
        named = {t for r in inputs.tables.rules.get(on.drug, ()) for t in r.terms}
        decision = with_silent_label(
            decision,
            uln_events if graded_by_uln else events,
            named_by(in_force(on.drug)),
            course_named,
            inputs.instruments,
        )
        differ = [
            g for g in raised if g.term in named and (g.x_uln is None or g.x_uln.grade != g.grade)
        ]
        if grading is not None and differ:
            decision = with_liver_grading(
                decision,
                grading,
                differ,
                [g for g in uln_unknown if g.term in named] if graded_by_uln else [],
            )
        decision, also = with_organ_function(decision, on, inputs.organ_doses.get(on.drug), liver)
        decision, besides = with_medicines(decision, on, case, inputs.interactions)
        if besides and decision.action == "hold":  # what the hold waits for, or its dose then
            waits = (*waits, f"{on.drug}: {besides}")
        if decision.action in NO_DOSE_ACTIONS:
            waits, recheck = (), None
        elif also:
            waits = (*waits, f"{on.drug}: {also}")
        decisions[on.drug] = decision
        resume.extend(waits)
        if recheck is not None:
            rechecks.append(recheck)
        gaps.extend(decision.gaps)
    decisions, with_partner = with_companions(decisions, inputs.tables)
    # the rows' citations for the clinic's label set: an EU clinic's from the SmPC where a row
    # cites one, else the US label's shown unverified (cycle24; walk 23 #16)
    decisions = {
        drug: for_label_set(d, inputs.settings.labels, inputs.tables.source_labels)
        for drug, d in decisions.items()
    }
    resume.extend(with_partner)
    cumulative, ledger_gaps, ledger_stops, ledger_open = cumulative_doses(
        case, treatment, decisions, inputs.hard_limits, inputs.settings
    )
    gaps.extend(ledger_gaps)
    alerts = _alerts(treatment, events, values, unknown, inputs.tables)
    for drug, why in ledger_stops.items():
        before = decisions[drug]
        ledger = inputs.hard_limits.ledger
        basis = (*before.basis, *(Basis(ledger.id, s, ledger.verified) for s in ledger.sources))
        decisions[drug] = DrugDecision(
            drug, "discontinue", None, None, None, (why, *stop_reasons(before)), basis
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
    for drug, why in ledger_open.items():
        before = decisions[drug]
        if drug in ledger_stops or before.action == "discontinue":
            continue  # a stop stands whatever the ledger cannot tell
        ledger = inputs.hard_limits.ledger
        basis = (*before.basis, *(Basis(ledger.id, s, ledger.verified) for s in ledger.sources))
        decisions[drug] = undecided(
            drug,
            (why, *stop_reasons(before)),
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
        # a delay re-checks before the held drug is given; a cycle given in full re-checks where
        # a label asks for a later count (IBRANCE §2.2: day 15 of the first 2 cycles, "repeat the
        # complete blood count on day 22"): issue 19 review 19d, finding 6
        recheck_in_days=min(rechecks) if rechecks and overall in ("give", "delay") else None,
        cumulative=tuple(cumulative),
        alerts=tuple(alerts),
        gaps=tuple(dict.fromkeys(gaps)),
        notes=tuple(notes),
        kind=inputs.regimen_kind,
    )


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
