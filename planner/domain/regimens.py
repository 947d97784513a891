"""Which regimens fit this patient, in what order, and why (regimens_supportive.md §4-§5).

Why one module: eligibility, the formulary and the ranking are one selection over the same table
and case, and the ranking key and the first option's reason (`_rank_reason`) read each other's
positions; apart, a new rank criterion could be ranked on and never explained.

Public API (pure)::

    select_regimens(case, subtype, history, visceral_crisis, table, drug_classes,
                    formulary=None, dose_of=None) -> Selection

`dose_of(regimen, drug)` gives the drug's dose row in that regimen's schedule (its status and
the gaps behind it).

1. **Eligibility.** Every row of the regimen table is checked against the case in three-valued
   logic: a condition is met, not met, or *unknown* (e.g. PIK3CA not tested). Rows with a failed
   condition are dropped; rows whose only problem is an unknown input are not offered but named
   as gaps ("biology.pik3ca: not tested: capivasertib + fulvestrant (HR-10) not considered"), so
   the nurse sees which test would unlock what (TEST-1..9). Progression on one of a row's
   `key_drugs` in the metastatic setting drops it.
2. **Formulary.** A row with a drug the clinic cannot get is *hidden*, and reported as such.
3. **Ranking** (lower first): patient declines chemotherapy and the row contains it; the row has
   a drug whose dose status is `contraindicated` or `not_recommended` at this organ function;
   hepatic visceral crisis (`yes`): cytotoxic chemotherapy first, then ADCs, then the rest as
   "MDT decision" (VC-1, VC-5, VC-6, D-1); within that, a drug whose label says avoid with a
   medicine she takes and gives no dose for the pair (`avoided_with`) right after the last option
   of its own kind that needs no change of her medicines (letrozole + ribociclib beside
   fluconazole after the other AI + CDK4/6 options, before chemotherapy), or, where every
   option of its kind is so avoided (capivasertib, alpelisib, everolimus beside rifampicin),
   after every option that needs no change (`_after_its_kind`); then a drug the labels
   give no dose for at what was found (`insufficient_data` with no input missing: weekly paclitaxel beside a raised
   bilirubin) after the options the plan can dose (a missing result is a gap, never a reason to
   rank lower: rule 2); primary endocrine resistance (ES-1, as computed in
   `therapy_history`): rows that need endocrine-sensitive disease (endocrine therapy alone,
   everolimus-based) after chemotherapy and the other targeted options (HR-1); the row's priority for the subtype plus its
   adjustments for case facts (brain metastases, diabetes, ECOG 3-4, visceral crisis, line 2);
   all-oral first when the patient prefers oral treatment; then the row id (stable order).
   Every option carries the notes that explain its place; rank 1 also carries `rank_reason`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Protocol

from planner.domain.case import Case
from planner.domain.evidence import UNVERIFIED, Basis, Gap
from planner.domain.frozen_value import frozen_value
from planner.domain.regimen_tables import (
    CHEMOTHERAPY_KINDS,
    Regimen,
    RegimenConditions,
    RegimenTable,
    SubtypeCutoffs,
)
from planner.domain.subtype import HasClasses, Subtype, TherapyHistory

UNUSABLE_STATUSES = frozenset({"contraindicated", "not_recommended"})


class DoseState(Protocol):
    """What ranking reads of a drug's dose row (planner.domain.dosing.DrugDose satisfies it)."""

    @property
    def status(self) -> str: ...
    @property
    def gaps(self) -> tuple[Gap, ...]: ...
    @property
    def avoided_with(self) -> tuple[str, ...]: ...
    @property
    def stopped_by_allergy(self) -> bool: ...


def no_label_dose(dose: DoseState) -> bool:
    """The labels give no dose for what was found (not: an input is missing). A missing result
    leaves the row `insufficient_data` with its gaps; that is the nurse's to fill, never a reason
    for the option to rank lower (rule 2)."""
    return dose.status == "insufficient_data" and not dose.gaps


# How the note of an option offered only because every option of her line is stopped begins
# (a later-line row brought forward; a row of another subtype's table): the decision page prints
# it beside the option, so a HER2+ patient offered chemotherapy alone is told why on page 1
OFFERED_WHEN_STOPPED = ("offered before its usual line", "offered because ")

CYTOTOXIC_KINDS = CHEMOTHERAPY_KINDS - {"adc"}
ENDOCRINE_KINDS = frozenset({"endocrine", "endocrine_targeted"})

_BIOMARKER_FIELDS = {
    "pik3ca": "biology.pik3ca",
    "akt1_pten": "biology.akt1_pten",
    "esr1": "biology.esr1",
}
_BIOMARKER_WORDS = {"pik3ca": "PIK3CA", "akt1_pten": "AKT1/PTEN", "esr1": "ESR1"}
_TESTS = {"pik3ca": "TEST-1", "akt1_pten": "TEST-1", "esr1": "TEST-2"}


@frozen_value(hot=True)
class RankedOption:
    regimen: Regimen
    rank: int
    line: int
    notes: tuple[str, ...]
    rank_reason: str
    declined: bool
    mdt_decision: bool
    unusable_drugs: tuple[str, ...]
    # why an option brought forward for her subtype is offered: its [[stopped_line]]'s sources
    basis: tuple[Basis, ...] = ()


@frozen_value
class HiddenOption:
    regimen: Regimen
    missing: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "regimen": self.regimen.id,
            "name": self.regimen.name,
            "missing": list(self.missing),
            "reason": "not in the clinic formulary: " + ", ".join(self.missing),
        }


@frozen_value
class Selection:
    options: tuple[RankedOption, ...]
    hidden: tuple[HiddenOption, ...]
    gaps: tuple[Gap, ...]
    warnings: tuple[str, ...]
    basis: tuple[Basis, ...]


@frozen_value
class _Asked:
    """What the selection asks each row of the table about, read by every step of it: her case,
    subtype and history, the hepatic visceral crisis, the table, the drugs' classes, and each
    drug's dose row in a regimen (None: no doses, as in tests of the ranking alone)."""

    case: Case
    subtype: Subtype
    history: TherapyHistory
    visceral_crisis: str
    table: RegimenTable
    drug_classes: Mapping[str, HasClasses]
    dose_of: Callable[[Regimen, str], DoseState] | None


def _conditions_or_none(
    regimen: Regimen, asked: _Asked, history: TherapyHistory
) -> list[Gap] | None:
    """What cannot be told of the regimen's conditions for her, her history as `history` (a gap
    each, in the order of the conditions; empty: every one is met), or None when one failed and
    excluded it."""
    unknown = _unknown_conditions(regimen, asked, history)
    if unknown is None:
        return None
    label = f"{regimen.name} ({regimen.rule})"
    return [Gap(field, f"{why}: {label} not considered") for field, why in unknown]


def _unknown_conditions(
    regimen: Regimen, asked: _Asked, history: TherapyHistory
) -> list[tuple[str, str]] | None:
    """(field, why) of each condition that cannot be told, or None at the first that fails: one
    failed condition excludes the regimen whatever else holds, so a HER2+ regimen is not
    checked line by line for an HR+ patient (most of the selection's time). Each test returns
    at once; no condition is an object (a plan asks ~40 regimens' conditions)."""
    when = regimen.when
    subtype = asked.subtype
    biology = asked.case.biology
    unknown: list[tuple[str, str]] = []
    line = history.line
    if line < when.line_min or (when.line_max is not None and line > when.line_max):
        return None
    if when.visceral_crisis_only and asked.visceral_crisis != "yes":
        return None
    if when.her2:
        if subtype.her2 == "unknown":
            unknown.append(("biology.her2_ihc", "HER2 IHC degree (low/ultralow/zero) unknown"))
        elif subtype.her2 not in when.her2:
            return None
    if when.hr_positive is not None:
        if subtype.hr_positive is None:
            unknown.append(("biology.er_percent", "hormone-receptor status unknown"))
        elif subtype.hr_positive != when.hr_positive:
            return None
    if when.endocrine_states:
        if history.endocrine_state is None:
            unknown.append(("disease.prior_therapy", "endocrine sensitivity unknown"))
        elif history.endocrine_state not in when.endocrine_states:
            return None
    flags = history.endocrine_flags
    for flag in when.endocrine_flags_all:
        if flag not in flags:
            return None
    for flag in when.endocrine_flags_none:
        if flag in flags:
            return None
    if when.mutated_any:
        states = {m: (None if biology is None else getattr(biology, m)) for m in when.mutated_any}
        if not any(s == "mutated" for s in states.values()):
            if all(s == "not_detected" for s in states.values()):
                return None
            missing = [m for m, s in states.items() if s not in ("mutated", "not_detected")]
            words = " / ".join(_BIOMARKER_WORDS[m] for m in missing)
            tests = ", ".join(sorted({_TESTS[m] for m in missing}))
            # A blank is "not recorded", never "not tested" (safety rule 2).
            said = "not recorded" if all(states[m] is None for m in missing) else "unknown"
            unknown.append((_BIOMARKER_FIELDS[missing[0]], f"{words} {said} (test: {tests})"))
    if when.germline_any:
        g = None if biology is None else biology.gbrca
        if g not in when.germline_any:
            if g is not None and g != "unknown":
                return None
            said = "not recorded" if g is None else "unknown"
            unknown.append(("biology.gbrca", f"germline BRCA1/2 / PALB2 {said} (TEST-3)"))
    if when.pdl1_cps_min is not None or when.pdl1_cps_below is not None:
        cps = None if biology is None else biology.pdl1_cps
        if cps is None:
            unknown.append(("biology.pdl1_cps", "PD-L1 CPS (22C3) not recorded (TEST-5)"))
        elif not (
            (when.pdl1_cps_min is None or cps >= when.pdl1_cps_min)
            and (when.pdl1_cps_below is None or cps < when.pdl1_cps_below)
        ):
            return None
    prior = history.prior_classes
    for cls in when.prior_classes_all:
        if cls not in prior:
            return None
    for cls in when.prior_classes_none:
        if cls in prior:
            return None
    for drug in when.prior_drugs_none:
        if drug in history.prior_drugs:
            return None
    metastatic = history.metastatic_classes
    for cls in when.metastatic_classes_all:
        if cls not in metastatic:
            return None
    for cls in when.metastatic_classes_none:
        if cls in metastatic:
            return None
    chemo = history.metastatic_chemo_lines
    if when.metastatic_chemo_lines_min is not None and chemo < when.metastatic_chemo_lines_min:
        return None
    if when.metastatic_chemo_lines_max is not None and chemo > when.metastatic_chemo_lines_max:
        return None
    if when.dfi_months_min is not None or when.dfi_months_max is not None:
        dfi = _dfi(regimen, when, history, asked.table.umbrella_classes, asked.drug_classes)
        if dfi is False:
            return None
        if dfi is not True:
            unknown.append(dfi)
    for drug in regimen.key_drugs:
        if drug in history.progressed_metastatic_drugs:
            return None
    if when.unrecorded_input is not None:
        unknown.append((when.unrecorded_input, "not recorded by the case document"))
    return unknown


def _considered(
    rows: Iterable[Regimen], asked: _Asked, at_usual_line: bool = False
) -> Iterator[tuple[Regimen, list[Gap]]]:
    """Each of `rows` whose conditions did not fail, with what cannot be told of them (empty:
    every condition met): the one loop over the table for the selection, the rows brought
    forward (`line_min_if_stopped`: `at_usual_line`, her history asked as at the row's
    `line_min`) and the rows offered when her line is stopped (`subtypes_if_stopped`)."""
    history = asked.history
    for regimen in rows:
        at = dataclasses.replace(history, line=regimen.when.line_min) if at_usual_line else history
        unknowns = _conditions_or_none(regimen, asked, at)
        if unknowns is not None:
            yield regimen, unknowns


def _has_stopped_drug(regimen: Regimen, dose_of: Callable[[Regimen, str], DoseState]) -> bool:
    """A drug of the regimen is contraindicated or not recommended for her now."""
    return any(dose_of(regimen, d).status in UNUSABLE_STATUSES for d in regimen.drugs)


def _dfi(
    regimen: Regimen,
    when: RegimenConditions,
    history: TherapyHistory,
    umbrella: frozenset[str],
    drug_classes: Mapping[str, HasClasses],
) -> bool | tuple[str, str]:
    """Whether the disease-free interval meets the row's, or (field, why) when it is unknown."""
    if not history.has_curative_therapy:
        # de novo metastatic disease: no curative treatment, so no interval to respect;
        # a row that needs a *short* interval (early relapse) does not apply
        return when.dfi_months_max is None
    if history.dfi_months is None:
        return ("disease.prior_therapy[].ended_on", "disease-free interval unknown")
    dfi = history.dfi_months
    needed = when.dfi_months_min
    if needed is not None and when.dfi_months_min_same_class is not None:
        own: set[str] = set()
        for drug in regimen.drugs:
            known = drug_classes.get(drug)
            if known is not None:
                own |= known.classes
        if (own - umbrella) & history.curative_classes:
            needed = when.dfi_months_min_same_class
    return (needed is None or dfi >= needed) and (
        when.dfi_months_max is None or dfi <= when.dfi_months_max
    )


def _facts(
    case: Case, history: TherapyHistory, visceral_crisis: str, cutoffs: SubtypeCutoffs
) -> frozenset[str]:
    facts: set[str] = set()
    disease, clinical = case.disease, case.clinical
    if disease is not None and (disease.brain_metastases or "brain" in (disease.other_sites or ())):
        facts.add("brain_metastases")
    if clinical is not None and clinical.diabetes:
        facts.add("diabetes")
    # The same ECOG edge as the "not appropriate" prompt (STOP-1), read from the table.
    if (
        clinical is not None
        and clinical.ecog is not None
        and clinical.ecog >= cutoffs.value("not_appropriate_ecog_min")
    ):
        facts.add("ecog_3_plus")
    if visceral_crisis == "yes":
        facts.add("visceral_crisis")
    if history.line == 2:
        facts.add("line_2")
    return frozenset(facts)


def select_regimens(
    case: Case,
    subtype: Subtype,
    history: TherapyHistory,
    visceral_crisis: str,
    table: RegimenTable,
    drug_classes: Mapping[str, HasClasses],
    formulary: frozenset[str] | None = None,
    dose_of: Callable[[Regimen, str], DoseState] | None = None,
) -> Selection:
    gaps: dict[tuple[str, str], Gap] = {}
    warnings: list[str] = []
    basis: list[Basis] = []
    if subtype.group == "unknown":
        return Selection((), (), (), ("subtype unknown: no regimen can be selected",), ())

    asked = _Asked(case, subtype, history, visceral_crisis, table, drug_classes, dose_of)
    eligible: list[Regimen] = []
    mine = (r for r in table.regimens.values() if subtype.group in r.when.subtypes)
    for regimen, unknowns in _considered(mine, asked):
        for gap in unknowns:
            gaps.setdefault((gap.field, gap.effect), gap)
        if not unknowns:
            eligible.append(regimen)

    early = _offered_early(eligible, asked)
    forward = _offered_for_stopped_line([*eligible, *early], asked)
    eligible.extend(early)
    eligible.extend(forward.regimens)
    if forward.warning:
        warnings.append(forward.warning)

    hidden: list[HiddenOption] = []
    available: list[Regimen] = []
    for regimen in eligible:
        missing = tuple(d for d in regimen.drugs if formulary is not None and d not in formulary)
        if missing:
            hidden.append(HiddenOption(regimen, missing))
        else:
            available.append(regimen)
    if hidden:
        warnings.append(
            f"{len(hidden)} option(s) hidden because the clinic formulary lacks a drug: "
            + "; ".join(f"{h.regimen.name} ({', '.join(h.missing)})" for h in hidden)
        )

    preferences = case.preferences
    declines = bool(preferences is not None and preferences.declines_chemotherapy)
    prefers_oral = bool(preferences is not None and preferences.prefers_oral)
    crisis = visceral_crisis == "yes"
    resistant = history.endocrine_state == "primary_resistance"
    facts = _facts(case, history, visceral_crisis, table.cutoffs)
    premenopausal = case.patient.menopausal_status in ("pre", "peri") or case.patient.sex == "male"

    scored: list[_Scored] = []
    for regimen in available:
        notes: list[str] = []
        declined = declines and regimen.contains_chemotherapy
        if declined:
            notes.append(
                "contains chemotherapy (or a cytotoxic payload), which the patient declines"
            )
        rows = {} if dose_of is None else {d: dose_of(regimen, d) for d in regimen.drugs}
        unusable = tuple(d for d, row in rows.items() if row.status in UNUSABLE_STATUSES)
        undosable = tuple(d for d, row in rows.items() if no_label_dose(row))
        # the label says avoid a medicine she takes with it, and gives no dose for the pair
        avoided = {d: row.avoided_with for d, row in rows.items() if row.avoided_with}
        if unusable:
            notes.append(
                # organ function, an allergy or a medicine she takes: the drug's row says which
                # (recheck20 W1: a trastuzumab allergy read as "at this organ function")
                "not recommended or contraindicated for her now: " + ", ".join(unusable)
            )
        if regimen in forward.regimens:
            notes.append(forward.note)
        if regimen in early:
            notes.append(
                f"offered before its usual line (line {regimen.when.line_min} on): every option "
                f"of line {history.line} has a drug not recommended for her now, and its label "
                f"allows it from line {regimen.when.line_min_if_stopped} (its sources below)"
            )
        if undosable:
            notes.append(
                "no dose in the labels for her results: "
                + ", ".join(undosable)
                + " (listed after the options the plan can dose; a dose would be a clinician decision)"
            )
        if crisis:
            tier = 0 if regimen.kind in CYTOTOXIC_KINDS else 1 if regimen.kind == "adc" else 2
        else:
            tier = 0
        mdt = crisis and tier == 2
        after_resistance = int(resistant and regimen.needs_endocrine_sensitivity)
        if after_resistance:
            notes.append(
                "primary endocrine resistance (ES-1): endocrine therapy alone or with everolimus is "
                "listed after chemotherapy and the other targeted options (HR-1; BOLERO-2 enrolled "
                "endocrine-sensitive disease only)"
            )
        if mdt:
            if regimen.kind in ENDOCRINE_KINDS and subtype.group == "HR+/HER2-":
                notes.append(
                    "hepatic visceral crisis: MDT decision; guidelines favour chemotherapy, RIGHT Choice "
                    "favoured ribociclib + ET but reportedly excluded raised liver enzymes (VC-5, D-1)"
                )
            else:
                notes.append(
                    "hepatic visceral crisis: MDT decision; chemotherapy is the guideline default (VC-5, VC-6)"
                )
        score = regimen.priority[subtype.group]
        for adjust in regimen.adjustments:
            if adjust.when in facts:
                score += adjust.by
                notes.append(adjust.note)
        if regimen.kind == "combination_chemotherapy" and not crisis:
            notes.append(
                "combination chemotherapy: a single agent is preferred unless the need is urgent (GEN-1, STOP-2)"
            )
        if regimen.status == "emerging":
            notes.append("newer option: check local approval")
        elif regimen.status == "jurisdiction":
            notes.append("licensed in some jurisdictions only: check locally")
        if prefers_oral:
            notes.append(
                "all-oral, as the patient prefers"
                if regimen.oral
                else "includes an injection or infusion (the patient prefers oral treatment)"
            )
        if (
            premenopausal
            and regimen.kind in ENDOCRINE_KINDS | {"her2_directed"}
            and any(
                d in drug_classes and "endocrine" in drug_classes[d].classes for d in regimen.drugs
            )
        ):
            notes.append(
                "pre-/perimenopausal or male: add ovarian function suppression / LHRH agonist every 4 weeks (HR-5)"
            )
        oral_key = 0 if (not prefers_oral or regimen.oral) else 1
        key = (
            int(declined),
            int(bool(unusable)),
            tier,
            0,  # every option of its kind avoided with her medicines: `_after_its_kind`
            # after the options the plan can dose (in a visceral crisis an undosable
            # chemotherapy still comes before endocrine therapy)
            int(bool(undosable)),
            after_resistance,
            score,
            oral_key,
            0,  # after the option of its kind it follows: `_after_its_kind`
            regimen.id,
        )
        scored.append(
            (key, regimen, tuple(notes), declined, mdt, unusable, undosable, tuple(avoided.items()))
        )
    scored = _after_its_kind(scored)
    scored.sort(key=lambda item: item[0])

    options: list[RankedOption] = []
    for rank, (key, regimen, shown_notes, declined, mdt, unusable, *_) in enumerate(
        scored, start=1
    ):
        reason = (
            _rank_reason(regimen, key, scored, subtype, history, crisis, case) if rank == 1 else ""
        )
        options.append(
            RankedOption(
                regimen,
                rank,
                history.line,
                shown_notes,
                reason,
                declined,
                mdt,
                unusable,
                forward.basis if regimen in forward.regimens else (),
            )
        )
    if crisis:
        basis.append(Basis("VC-5", "reg.vc.asco_chemo_default", True))
        basis.append(Basis("VC-1", "reg.vc.abc4", True))
    if resistant and any(item[0][5] for item in scored):
        basis.append(Basis("HR-1", "reg.hr.abc5_endocrine_resistance", True))
        basis.append(Basis("HR-12", "reg.hr.bolero2", True))
    return Selection(
        tuple(options), tuple(hidden), tuple(gaps.values()), tuple(warnings), tuple(basis)
    )


# (sort key, regimen, notes, declined, MDT, unusable drugs, drugs with no label dose, the drugs
# whose label says avoid with a medicine she takes) per eligible regimen
_Scored = tuple[
    tuple[int, int, int, int, int, int, int, int, int, str],
    Regimen,
    tuple[str, ...],
    bool,
    bool,
    tuple[str, ...],
    tuple[str, ...],
    tuple[tuple[str, tuple[str, ...]], ...],
]


def _after_its_kind(scored: list[_Scored]) -> list[_Scored]:
    """The place of an option with a drug whose label says avoid with a medicine she takes and
    gives no dose for the pair (docs/decisions.md, "A label's avoid in the ranking: after its own
    kind"): right after the last option of its own kind that needs no change of her medicines —
    letrozole + ribociclib beside fluconazole after letrozole + abemaciclib and + palbociclib,
    still before chemotherapy, which the guideline puts after endocrine-based therapy (recheck 21
    F2). Where every option of its kind is avoided with her medicines, the kind itself waits for
    a change of them, and its options follow every option that needs none (rx21 F5:
    capivasertib, alpelisib and everolimus beside rifampicin after T-DXd). Never higher than its
    own place; an option still comes after a declined, unusable or later-tier one as before."""
    out: list[_Scored] = []
    for item in scored:
        key, regimen, notes, declined, mdt, unusable, undosable, avoided = item
        if not avoided:
            out.append(item)
            continue
        kind = regimen.kind.replace("_", " ")
        said = "; ".join(f"{d} with {', '.join(m)}" for d, m in avoided)
        anchors = [
            other[0]
            for other in scored
            if not other[7] and other[1].kind == regimen.kind and other[0][:3] == key[:3]
        ]
        if anchors:
            key = (*max(key[:-2], max(anchors)[:-2]), 1, regimen.id)
            why = (
                f"listed right after the other {kind} options, which need no change of her "
                "medicines, and not below a later kind of treatment; usable if the medicine is "
                "changed"
            )
        else:
            key = (*key[:3], 1, *key[4:])
            why = (
                f"every {kind} option is one whose label says avoid with her medicines: listed "
                "after the options that need no change of her medicines; usable if the medicine "
                "is changed"
            )
        note = f"the label says avoid with a medicine she takes: {said} ({why})"
        out.append((key, regimen, (*notes, note), declined, mdt, unusable, undosable, avoided))
    return out


def _offered_early(eligible: list[Regimen], asked: _Asked) -> list[Regimen]:
    """The later-line regimens of her subtype offered at her line because every option of it
    has a drug stopped for her (rx21 F8: a trastuzumab allergy stopped T-DXd and T-DM1, and the
    plan ended in best supportive care while lapatinib + capecitabine, which its label allows
    after trastuzumab, was in the table): the rows that say so (`line_min_if_stopped`), every
    other condition met as at their usual line. None while one option of her line is usable."""
    dose_of, subtype, history = asked.dose_of, asked.subtype, asked.history
    if dose_of is None or not eligible:
        return []
    if not all(_has_stopped_drug(r, dose_of) for r in eligible):
        return []
    later = (
        r
        for r in asked.table.regimens.values()
        if subtype.group in r.when.subtypes
        and r.when.line_min_if_stopped is not None
        and r.when.line_min_if_stopped <= history.line < r.when.line_min
    )
    return [r for r, unknowns in _considered(later, asked, at_usual_line=True) if not unknowns]


@frozen_value
class _StoppedLineOptions:
    """The rows offered for her subtype because every option of her line is stopped, the note
    each carries, its basis, and the plan's warning (None: her line has a usable option)."""

    regimens: tuple[Regimen, ...] = ()
    note: str = ""
    basis: tuple[Basis, ...] = ()
    warning: str | None = None


def _offered_for_stopped_line(eligible: list[Regimen], asked: _Asked) -> _StoppedLineOptions:
    """What the guideline offers her subtype when every option of her line, the rows brought
    forward from a later line included, has a drug stopped for her (misc22: HER2+ line 1 with a
    trastuzumab allergy stopped THP, T-DXd + pertuzumab and letrozole + trastuzumab +
    pertuzumab, and the plan said best supportive care): the rows whose
    `subtypes_if_stopped` names her subtype and whose every drug she can have, every other
    condition checked at her line; each with its subtype's [[stopped_line]] words. The plan
    says what was stopped and, where an allergy stopped it, that reassessing it
    (desensitisation) is a specialist's decision. Nothing while one option is usable."""
    dose_of, subtype, history = asked.dose_of, asked.subtype, asked.history
    stopped_line = asked.table.stopped_lines.get(subtype.group)
    if dose_of is None or not eligible or stopped_line is None:
        return _StoppedLineOptions()
    if not all(_has_stopped_drug(r, dose_of) for r in eligible):
        return _StoppedLineOptions()
    stopped = [
        (n, d)
        for r in eligible
        for n in r.drugs
        if (d := dose_of(r, n)).status in UNUSABLE_STATUSES
    ]
    drugs = ", ".join(dict.fromkeys(n for n, _ in stopped))
    allergic = ", ".join(dict.fromkeys(n for n, d in stopped if d.stopped_by_allergy))
    found = (
        f"every option of line {history.line} for {subtype.group} has a drug stopped for her "
        f"({drugs}): {stopped_line.stopped} is stopped as the plan stands"
    )
    if allergic == drugs:
        why = f"{stopped_line.stopped} is stopped for her ({drugs}: her recorded allergy)"
    elif allergic:
        why = f"{stopped_line.stopped} is stopped for her ({drugs}; her allergy stops {allergic})"
    else:
        why = f"{stopped_line.stopped} is stopped for her ({drugs})"
    if allergic:
        found += f"; her recorded allergy stops {allergic}: {stopped_line.allergy_note}"
    said = f"{stopped_line.note} ({stopped_line.rule})" + (
        "" if stopped_line.verified else UNVERIFIED
    )
    others = (
        r for r in asked.table.regimens.values() if subtype.group in r.when.subtypes_if_stopped
    )
    considered = _considered(others, asked)
    out = [r for r, unknowns in considered if not unknowns and not _has_stopped_drug(r, dose_of)]
    return _StoppedLineOptions(
        tuple(out),
        f"offered because {why}: {said}",
        stopped_line.basis,
        f"{found}. {said}" + ("" if out else "; no option without it is usable for her either"),
    )


def _rank_reason(
    regimen: Regimen,
    key: tuple[Any, ...],
    scored: list[Any],
    subtype: Subtype,
    history: TherapyHistory,
    crisis: bool,
    case: Case,
) -> str:
    parts = [
        f"{regimen.name} ({regimen.rule}) leads {len(scored)} eligible option(s) for {subtype.group}, line {history.line}"
    ]
    if key[0] == 0 and any(item[3] for item in scored):
        parts.append("options containing chemotherapy, which the patient declines, come after it")
    if key[1] == 0 and any(item[5] for item in scored):
        parts.append("options with a drug not recommended for her now come after it")
    if key[3] == 0 and any(item[7] for item in scored):
        parts.append(
            "options with a drug whose label says avoid with a medicine she takes come after it "
            "(after the options of their own kind that need no change)"
        )
    if key[4] == 0 and any(item[6] for item in scored):
        parts.append("options with a drug the labels give no dose for at her results come after it")
    if crisis and key[2] == 0:
        parts.append(
            "hepatic visceral crisis: the fastest-acting effective therapy, chemotherapy, comes first (VC-1, VC-5)"
        )
    if key[5] == 0 and any(item[0][5] for item in scored):
        parts.append(
            "primary endocrine resistance: endocrine therapy alone and everolimus-based options come "
            "after it (HR-1)"
        )
    biology = case.biology
    if biology is not None:
        matched = [
            _BIOMARKER_WORDS[m]
            for m in regimen.when.mutated_any
            if getattr(biology, m) == "mutated"
        ]
        if matched:
            parts.append(" / ".join(matched) + " mutated")
        if regimen.when.germline_any and biology.gbrca in regimen.when.germline_any:
            parts.append(f"germline {biology.gbrca.upper()}")
        if regimen.when.pdl1_cps_min is not None and biology.pdl1_cps is not None:
            parts.append(f"PD-L1 CPS {biology.pdl1_cps:g}")
    if history.endocrine_state and regimen.kind in ENDOCRINE_KINDS:
        parts.append("endocrine sensitivity: " + history.endocrine_state.replace("_", " "))
    ties = [item for item in scored if item[0][:7] == key[:7]]
    if len(ties) > 1 and key[7] == 0 and any(item[0][7] == 1 for item in ties):
        parts.append("all-oral, as the patient prefers (ties broken by route)")
    parts.append(regimen.note)
    return "; ".join(parts)
