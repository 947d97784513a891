"""The supportive half of the plan: problems by QoL domain, interventions, referrals, alerts, follow-up.

Why one module: `build_supportive` composes the supportive half of the plan and this module holds
its result types (`SupportivePart` and its items, written to the contract's keys); the findings,
screens and tables it composes live in their own modules.

    build_supportive(case, hepatic_status, options, rules_tables, settings, ...) -> SupportivePart
        # settings: the ClinicSettings (its supportive cut-offs and instrument choices are used)
    SupportivePart.to_json()  # contract §3 keys `supportive`, `referrals`, `alerts`, `follow_up`

Pure. The steps:

1. `screens.screen_case` calls the instrument scorers (PHQ-9, GAD-7, DT, ESAS-r, MUST, PG-SGA SF,
   PPI) with the clinic's instrument settings (`ClinicSettings.instrument_settings`);
2. `symptoms.collect_problems` turns scores, liver status (`liver_safe_drugs.hepatic_facts`),
   function and the problem list into problems with severity, and into named facts;
3. every intervention row of resources/rules/supportive_interventions.toml whose problem,
   severity, facts and clinic choice match is attached to its problem, with its plain-words
   `patient_text`, its basis and any disagreement between sources (both positions shown);
4. `liver_safe_drugs.interaction_flags` checks the suggested supportive drugs against the current
   therapy and every option's drugs (dosing.md §1.5);
5. `referrals`, `alerts` and `follow_up` build their parts from the same facts.

Anything resting on an unverified row says "unverified — confirm locally".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from planner.domain.alerts import Alert, build_alerts
from planner.domain.case import Case
from planner.domain.evidence import UNVERIFIED, Basis, Gap
from planner.domain.follow_up import FollowUp, build_follow_up, psychosocial_recorded
from planner.domain.frozen_value import frozen_value
from planner.domain.hepatic import HepaticAssessment
from planner.domain.instruments.instrument_settings import InstrumentSettings
from planner.domain.instruments.tables import InstrumentRules
from planner.domain.kidney import KidneyAssessment
from planner.domain.liver_safe_drugs import Fact, InteractionFlag, interaction_flags
from planner.domain.problems import Problem
from planner.domain.referrals import Referral, build_referrals
from planner.domain.regimen_tables import MonitoringItem
from planner.domain.screens import Screens, screen_case
from planner.domain.settings import ClinicSettings
from planner.domain.supportive_tables import (
    GAP_FACTS,
    SEVERITIES,
    Disagreement,
    DrugGroup,
    InteractionRule,
    Intervention,
    SupportiveSettings,
    SupportiveTables,
)
from planner.domain.symptoms import (
    Collected,
    Finding,
    Findings,
    KidneyFunction,
    collect_problems,
)


@frozen_value(hot=True)
class PlannedTherapy:
    """One systemic-therapy option of the plan, as the supportive part needs it.

    `givable`: the drugs the plan gives a dose for (None: all of them). Advice that follows a
    drug (G-CSF with sacituzumab govitecan) is given only for a givable drug; interaction flags
    still check every drug named."""

    regimen: str
    drugs: tuple[str, ...]
    rank: int = 1
    givable: tuple[str, ...] | None = None

    @property
    def givable_drugs(self) -> tuple[str, ...]:
        return self.drugs if self.givable is None else self.givable


@frozen_value(hot=True)
class ChosenIntervention:
    row: Intervention
    disagreement: Disagreement | None
    # The reasons of the case facts that made a conditional row apply (its `requires` and the
    # `any_of` facts that held), so the screen and the print show why this advice is here.
    because: tuple[str, ...] = ()
    # The anticancer drugs the row's required facts are about (tamoxifen for "with tamoxifen:
    # avoid CYP2D6 inhibitors"): the advice goes from the plan as decided when none is given.
    for_drugs: tuple[str, ...] = ()
    # only a missing result (GAP_FACTS) of its `any_of` held: the family reads the gap words
    from_gap: bool = False

    @property
    def patient_text(self) -> str:
        """The booklet's words: never a finding the missing result did not show (rule 2)."""
        if self.from_gap and self.row.gap_patient_text is not None:
            return self.row.gap_patient_text
        return self.row.patient_text

    @property
    def text(self) -> str:
        text = self.row.text
        if self.disagreement is not None:
            text += (
                " Sources differ: " + " | ".join(p.text for p in self.disagreement.positions) + "."
            )
        return text + ("" if self.row.verified else UNVERIFIED)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.row.id,
            "rule": self.row.rule,
            "text": self.text,
            "patient_text": self.patient_text,
            "verified": self.row.verified,
            "drugs": list(self.row.drugs),
            "basis": [b.to_json() for b in self.row.basis],
            "because": list(self.because),
        }
        if self.for_drugs:
            out["for_drugs"] = list(self.for_drugs)
        if self.disagreement is not None:
            out["disagreement"] = _disagreement_json(self.disagreement)
        return out


def _disagreement_json(d: Disagreement) -> dict[str, Any]:
    return {
        "id": d.id,
        "topic": d.topic,
        "reference": d.reference,
        "behaviour": d.behaviour,
        "positions": [
            {"text": p.text, "sources": list(p.sources), "verified": p.verified}
            for p in d.positions
        ],
    }


@frozen_value
class SupportiveItem:
    finding: Finding
    interventions: tuple[ChosenIntervention, ...]
    interactions: tuple[InteractionFlag, ...]

    @property
    def basis(self) -> tuple[Basis, ...]:
        found = list(self.finding.basis)
        for chosen in self.interventions:
            found += chosen.row.basis
        for flag in self.interactions:
            found += flag.rule.basis
        return tuple(dict.fromkeys(found))

    @property
    def texts(self) -> tuple[str, ...]:
        """Clinician texts; interaction flags are listed apart (`interactions`)."""
        return tuple(c.text for c in self.interventions)

    def to_json(self) -> dict[str, Any]:
        details = [c.to_json() for c in self.interventions]
        return {
            "domain": self.finding.domain,
            "problem": self.finding.problem,
            "severity": self.finding.severity,
            # `texts`, as each detail gives it (not composed twice)
            "interventions": [d["text"] for d in details],
            "basis": [b.to_json() for b in self.basis],
            "reasons": list(self.finding.reasons),
            "patient_text": [d["patient_text"] for d in details],
            "intervention_details": details,
            "interactions": [f.to_json() for f in self.interactions],
            "unverified": any(not c.row.verified for c in self.interventions),
        } | ({"for_drugs": list(self.finding.for_drugs)} if self.finding.for_drugs else {})


@frozen_value
class CurrentMedicineCheck:
    """A medicine she takes now that clashes with today's findings (supportive_plan.toml
    [[medicine_check]]); planner.domain.medicines folds it into that medicine's action."""

    drugs: tuple[str, ...]
    message: str
    basis: tuple[Basis, ...]
    action: str = "review"  # what it asks of her medicine (a contraindication: stop)
    # a daily ceiling in mg: her dose x times a day is counted against it (rx24 F1, F3)
    max_mg_per_day: float | None = None
    because: str = ""  # the findings that make it hold, in words ("" for a ceiling always held)


@frozen_value
class SupportivePart:
    items: tuple[SupportiveItem, ...]
    referrals: tuple[Referral, ...]
    alerts: tuple[Alert, ...]
    follow_up: FollowUp
    interactions: tuple[InteractionFlag, ...]
    facts: Mapping[str, Fact]
    screens: Screens
    settings: SupportiveSettings
    gaps: tuple[Gap, ...]
    medicine_checks: tuple[CurrentMedicineCheck, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The contract's supportive keys, plus `interactions`, `supportive_settings`, `gaps`."""
        return {
            "supportive": [item.to_json() for item in self.items],
            "referrals": [r.to_json() for r in self.referrals],
            "alerts": [a.to_json() for a in self.alerts],
            "follow_up": self.follow_up.to_json(),
            "interactions": [f.to_json() for f in self.interactions],
            "supportive_settings": {
                "values": self.settings.to_json(),
                "changed_by_clinic": sorted(self.settings.chosen),
            },
            "gaps": [g.to_json() for g in self.gaps],
        }


def _applies(
    row: Intervention, finding: Finding, findings: Findings, settings: SupportiveSettings
) -> bool:
    if row.problem != finding.problem:
        return False
    if finding.severity is None:
        # present with no score: only advice that holds at every severity (rule 2: a blank
        # score is never a band); severity-dependent advice waits for the score (a gap)
        if not set(SEVERITIES) <= set(row.severities):
            return False
    elif finding.severity not in row.severities:
        return False
    # Asked for every candidate row of every problem, in each choice of a plan (~100 times):
    # plain loops over the facts mapping (`Findings.holds` is `name in facts`), not generator
    # expressions, whose set-up cost more than the tests themselves.
    facts = findings.facts
    for name in row.requires:
        if name not in facts:
            return False
    if row.any_of:
        for name in row.any_of:
            if name in facts:
                break
        else:
            return False
    for name in row.unless:
        if name in facts:
            return False
    return row.choice is None or settings.choice(row.choice[0]) == row.choice[1]


def current_therapy(case: Case) -> frozenset[str]:
    """Drugs of prior-therapy lines still running (reason `ongoing`, or no end date)."""
    disease = case.disease
    if disease is None or disease.prior_therapy is None:
        return frozenset()
    return frozenset(
        drug
        for line in disease.prior_therapy
        if line.reason_stopped == "ongoing"
        or (line.ended_on is None and line.reason_stopped is None)
        for drug in line.drugs
    )


def build_supportive(
    case: Case,
    hepatic_status: HepaticAssessment,
    options: Sequence[PlannedTherapy],
    rules_tables: SupportiveTables,
    settings: ClinicSettings | SupportiveSettings | None = None,
    *,
    instruments: InstrumentRules | None = None,
    instrument_settings: InstrumentSettings | None = None,
    doubts: Iterable[Problem] = (),
    screens: Screens | None = None,
    regimen_monitoring: Iterable[MonitoringItem] = (),
    kidney: KidneyAssessment | KidneyFunction | None = None,
    checked_with_medicines: Callable[[str, str], bool] | None = None,
    allergy_facts: Sequence[Fact] = (),
    both_ways: Sequence[InteractionRule] = (),
) -> SupportivePart:
    """`kidney`: the plan's kidney assessment; None means CrCl is unknown, and the advice for a
    low CrCl is shown (a gap is never read as normal kidneys). `checked_with_medicines(medicine,
    drug)`: whether the plan's medicine review checks that medicine she takes against that
    suggested drug (planner.domain.medicines.pair_checked); such a pair is its finding and is
    not flagged here again (one finding, one alert). `allergy_facts`: the drug classes she is
    allergic to ("nsaid_allergy"), so no row offers a drug of them. `both_ways`: the medicine
    table's rows that hold both ways, as supportive rules (a QT drug suggested beside ribociclib):
    flagged on the advice that suggests the drug."""
    tables = rules_tables
    if isinstance(settings, SupportiveSettings):
        resolved = settings
    else:
        overrides = settings.supportive if settings is not None else None
        resolved = tables.resolved_settings(overrides)
        if instrument_settings is None and settings is not None and instruments is not None:
            instrument_settings = settings.instrument_settings(instruments)
    if screens is None:
        screens = screen_case(case, instruments, instrument_settings, resolved)

    current = current_therapy(case)
    if case.treatment is not None:
        # On treatment the drugs she is on are the therapy, not the first plan's options (not
        # printed): rifampicin for itch was checked against everolimus and tamoxifen, never
        # against the palbociclib she takes (independent re-check, HARM).
        current |= frozenset(d.drug for d in case.treatment.drugs)
        option_drugs: frozenset[str] = frozenset()
        givable = current
    else:
        option_drugs = frozenset(d for o in options for d in o.drugs)
        givable = current | frozenset(d for o in options for d in o.givable_drugs)
    therapy = current | option_drugs
    # Medicines she takes now (contract §2a) count as part of the plan for drug groups and
    # interaction flags: her own SSRI rules out tramadol as much as a suggested one.
    medicines = frozenset(m.drug for m in case.medications or ())
    kidney_function = _kidney_function(kidney)

    def collect(plan_facts: list[Fact]) -> Collected:
        return collect_problems(
            case,
            hepatic_status,
            screens,
            therapy,
            tables,
            resolved,
            kidney=kidney_function,
            plan_facts=plan_facts,
        )

    # Advice depends on the rest of the plan (tramadol not beside a suggested serotonergic
    # antidepressant): choose once, find which drug groups the suggestions hold, and choose again
    # if that changed a fact. Rows only ever step back from a drug on these facts, so the second
    # choice is final. The problems are collected again only when a collector asked about a
    # fact that changed (`Collected.with_plan_facts`; the drug-group facts of suggested drugs
    # are read by the rows, rarely by a collector).
    group_facts = [
        *allergy_facts,
        *_group_facts(tables.drug_groups, frozenset(), givable, medicines),
    ]
    # The first choice needs only which rows apply (the drugs they suggest); the chosen rows are
    # worded (their reasons and drugs from the facts) once, from the choice that stands.
    collected = collect(group_facts)
    findings = collected.findings
    rows = _applying_rows(findings, tables, resolved)
    suggested_now = frozenset(d for rs in rows.values() for r in rs for d in r.drugs)
    with_suggested = [
        *allergy_facts,
        *_group_facts(tables.drug_groups, suggested_now, givable, medicines),
    ]
    if {f.name for f in with_suggested} != {f.name for f in group_facts}:
        findings = (collected.with_plan_facts(with_suggested) or collect(with_suggested)).findings
        rows = _applying_rows(findings, tables, resolved)
    chosen = _chosen_rows(findings, tables, rows)

    checks = _medicine_reviews(tables, medicines, findings)
    # a daily ceiling is alerted by the medicine review, which counts her dose against it (a
    # dose within the ceiling is no alert; one above it names the count: rx24 F1)
    reviews = [c for c in checks if c.max_mg_per_day is None]
    if reviews:
        findings = findings.with_facts(
            [
                Fact(
                    "current_medicine_review",
                    "; ".join(r.message for r in reviews),
                    tuple(b for r in reviews for b in r.basis),
                )
            ]
        )
    flags = interaction_flags(
        {p: [c.row for c in cs] for p, cs in chosen.items()},
        therapy | medicines,
        tables,
        both_ways,
    )
    if checked_with_medicines is not None:
        flags = _without_medicine_pairs(
            flags,
            medicines - therapy - {d for cs in chosen.values() for c in cs for d in c.row.drugs},
            checked_with_medicines,
        )
    if flags:
        findings = findings.with_facts(
            [
                Fact(
                    "drug_interaction",
                    "; ".join(f.message for f in flags),
                    tuple(b for f in flags for b in f.rule.basis),
                )
            ]
        )
    items = tuple(
        SupportiveItem(
            finding,
            tuple(chosen[problem]),
            tuple(f for f in flags if problem in f.problems),
        )
        for problem, finding in findings.problems.items()
    )
    suggested = {d for cs in chosen.values() for c in cs for d in c.row.drugs}
    first = min(options, key=lambda o: o.rank, default=None)
    monitored = current | (frozenset(first.drugs) if first is not None else frozenset())
    follow_up = build_follow_up(
        findings,
        tables,
        suggested_drugs=suggested,
        monitored_drugs=monitored,
        any_option=bool(options),
        regimen_monitoring=regimen_monitoring,
        drug_classes=tables.drug_classes,
        psychosocial_recorded=psychosocial_recorded(case.psychosocial),
    )
    return SupportivePart(
        items=items,
        referrals=build_referrals(
            findings, tables, tuple(dict.fromkeys(p for f in flags for p in f.problems))
        ),
        alerts=build_alerts(
            findings,
            tables,
            doubts,
            [f.message for f in flags],
            [r.message for r in reviews],
        ),
        follow_up=follow_up,
        interactions=flags,
        facts=findings.facts,
        screens=screens,
        settings=resolved,
        gaps=(*screens.gaps, *findings.gaps),
        medicine_checks=tuple(checks),
    )


def _applying_rows(
    findings: Findings, tables: SupportiveTables, settings: SupportiveSettings
) -> dict[str, list[Intervention]]:
    """The rows that apply to each problem, in `order` (interventions_for gives them so)."""
    return {
        finding.problem: [
            r
            for r in tables.interventions_for(finding.problem)
            if _applies(r, finding, findings, settings)
        ]
        for finding in findings.problems.values()
    }


def _chosen_rows(
    findings: Findings, tables: SupportiveTables, rows: dict[str, list[Intervention]]
) -> dict[str, list[ChosenIntervention]]:
    chosen: dict[str, list[ChosenIntervention]] = {}
    facts = findings.facts
    disagreements = tables.disagreements
    for problem, applying in rows.items():
        chosen[problem] = [
            ChosenIntervention(
                r,
                None if r.disagreement is None else disagreements[r.disagreement],
                # the reasons in the row's printed order (Intervention.because_facts)
                tuple(facts[name].reason for name in r.because_facts if name in facts),
                tuple(dict.fromkeys(d for name in r.requires_sorted for d in facts[name].drugs))
                if r.requires
                else (),
                from_gap=bool(r.any_of)
                and all(name in GAP_FACTS for name in r.any_of if name in facts),
            )
            for r in applying
        ]
    return chosen


def _group_facts(
    groups: Iterable[DrugGroup],
    suggested: frozenset[str],
    anticancer: frozenset[str],
    medicines: frozenset[str] = frozenset(),
) -> list[Fact]:
    """Facts about the drugs of the whole plan: suggested supportive drugs, the medicines she
    takes now and, unless the group is for supportive drugs only, the givable options and
    current anticancer therapy."""
    facts: list[Fact] = []
    for group in groups:
        pool = suggested | medicines | (frozenset() if group.supportive_only else anticancer)
        hit = sorted(group.drugs & pool)
        if hit:
            named = [f"{d} (taken now)" if d in medicines else d for d in hit]
            text = f"{group.text} in this plan: {', '.join(named)}"
            facts.append(
                Fact(
                    group.fact,
                    text + ("" if group.verified else UNVERIFIED),
                    group.basis,
                    # the anticancer drugs of the hit (not her medicines or supportive drugs)
                    drugs=tuple(d for d in hit if d in anticancer and d not in medicines),
                )
            )
    return facts


def _kidney_function(kidney: KidneyAssessment | KidneyFunction | None) -> KidneyFunction | None:
    if kidney is None or isinstance(kidney, KidneyFunction):
        return kidney
    return KidneyFunction(
        crcl_ml_min=kidney.crcl_ml_min,
        doubtful=kidney.doubtful,
        missing=tuple(dict.fromkeys(g.field for g in kidney.gaps)),
        basis=kidney.basis,
    )


def _without_medicine_pairs(
    flags: Sequence[InteractionFlag],
    her_medicines: frozenset[str],
    checked: Callable[[str, str], bool],
) -> tuple[InteractionFlag, ...]:
    """The flags less each partner that is a medicine she takes and that the medicine review
    checks against every supportive drug of the flag (the tramadol she takes with a suggested
    sertraline: one finding, the medicine review's); a flag with no partner left goes."""
    out = []
    for flag in flags:
        partners = tuple(
            p
            for p in flag.partners
            if p not in her_medicines or not all(checked(p, d) for d in flag.supportive)
        )
        if partners == flag.partners:
            out.append(flag)
        elif partners:
            out.append(dataclasses.replace(flag, partners=partners))
    return tuple(out)


def _medicine_reviews(
    tables: SupportiveTables, medicines: frozenset[str], findings: Findings
) -> list[CurrentMedicineCheck]:
    """Each medicine she takes now that clashes with today's findings: the message names the
    medicine, the findings (with their cut-offs) and the rule's advice."""
    out: list[CurrentMedicineCheck] = []
    for check in tables.medicine_checks:
        taken = sorted(check.drugs & medicines)
        held = sorted(f for f in check.any_of if findings.holds(f))
        # a ceiling with no facts applies always (domperidone: 30 mg a day, whatever else)
        if not (taken and (held or not check.any_of)) or any(
            findings.holds(f) for f in check.unless
        ):
            continue
        why = "; ".join(findings.facts[f].reason for f in held)
        # a ceiling's words start from her count (planner.domain.medicines), the findings after it
        message = (
            check.message
            if check.max_mg_per_day is not None
            else f"{', '.join(taken)} (taken now) with {why}: {check.message}"
        )
        if not check.verified:
            message += UNVERIFIED
        basis = (*check.basis, *(b for f in held for b in findings.facts[f].basis))
        out.append(
            CurrentMedicineCheck(
                tuple(taken), message, basis, check.action, check.max_mg_per_day, why
            )
        )
    return out
