"""What she already takes, and what she is allergic to, against what the plan suggests (§2a).

Why one module: the §2a review of what she takes reads one list of `Taken` medicines against one
set of interaction, allergy and ceiling tables; `with_current_medicines` (every dose) and
`review_medicines` (the plan's `medications`) must judge the same pairs the same way, so they share
the matching and the finding words below.

Public API (pure)::

    dose = with_current_medicines(dose, case, tables)     # every dose the plan prints
    review = review_medicines(case, suggested, tables, liver)   # the plan's `medications`

`with_current_medicines` makes a drug she is allergic to (or to its class) `not_recommended` with
the reason and no dose; a drug that interacts with a medicine or remedy she takes keeps its dose
and carries the finding among its warnings (a standard dose becomes `caution`): the label's
"avoid" concerns the combination, and the usual change is to her other medicine.

`review_medicines` gives each current medicine and remedy an action (`continue`, `change`,
`stop`, `review`) with its reasons and basis, the findings (interactions, cautions, allergies,
paracetamol from every source against the daily ceiling), the `drug_allergy` (critical) and
`medicine_interaction` alerts, and gaps for what it could not check. The rows are
resources/rules/interactions.toml (planner.domain.medicine_tables); nothing here holds a number.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from planner.domain.alerts import Alert
from planner.domain.as_recorded import (
    NOT_RECORDED,
    NOT_RECORDED_EFFECT,
    allergies_recorded,
    allergy_contradictions,
    allergy_gaps,
    medicines_recorded,
)
from planner.domain.case import Allergy, Case, Medication
from planner.domain.dosing import AbsoluteDose, Amount, DrugDose
from planner.domain.evidence import UNVERIFIED, Basis, Gap
from planner.domain.frozen_value import frozen_value
from planner.domain.givable import stopped
from planner.domain.hard_limit_tables import STOP_STATUSES
from planner.domain.medicine_tables import (
    ACTIONS,
    AVOIDED_KINDS,
    Cited,
    CrossReactiveClass,
    InteractionDose,
    InteractionRule,
    InteractionTables,
    RelatedAllergy,
    StopFirst,
)
from planner.domain.plan_words import ALLERGY_NOTE, joined

# Where a drug comes from when she already takes it (the other places are the plan's).
TAKEN_NOW = "she takes it now"
_MG_PER = {"mg": 1.0, "g": 1000.0, "mcg": 0.001}
_EVERY_HOURS = re.compile(
    r"^(?:every|q)\s*(\d{1,2})\s*(?:h|hr|hrs|hours?)(?:ly)?$|^(\d{1,2})[- ]hourly$"
)
_TIMES_A_DAY = re.compile(r"^(\d)\s*(?:x|times)\s*(?:daily|a day|per day|/day)$")


class TodayCheck(Protocol):
    """A medicine she takes against today's findings (planner.domain.supportive's
    CurrentMedicineCheck: an NSAID at a low CrCl, a benzodiazepine with encephalopathy, ...)."""

    @property
    def drugs(self) -> tuple[str, ...]: ...
    @property
    def message(self) -> str: ...
    @property
    def basis(self) -> tuple[Basis, ...]: ...
    @property
    def action(self) -> str: ...
    @property
    def max_mg_per_day(self) -> float | None: ...
    @property
    def because(self) -> str: ...


class LiverFact(Protocol):
    """A held fact with its reason and basis (planner.domain.liver_safe_drugs.Fact)."""

    @property
    def reason(self) -> str: ...
    @property
    def basis(self) -> tuple[Basis, ...]: ...


@frozen_value
class Taken:
    """One thing she takes: a catalogue medicine (`drug` set) or a remedy as written."""

    name: str  # the INN, or the remedy as the nurse wrote it
    kind: str  # "medicine" | "remedy"
    field: str  # its place in the case ("medications[0]", "herbal_or_traditional[1]")
    drug: str | None = None
    remedies: frozenset[str] = frozenset()  # remedy ids recognised in what was written
    medication: Medication | None = None


@frozen_value
class Finding:
    """One thing found, with who it concerns, what to do and why."""

    kind: str  # "interaction" | "caution" | "allergy" | "paracetamol_total"
    taken: tuple[str, ...]  # what she takes (or, for an allergy, the allergy as written)
    suggested: tuple[str, ...]  # the suggested drugs concerned
    where: tuple[str, ...]  # where the plan suggests them
    action: str | None  # for what she takes; None when it is about a suggested drug only
    message: str
    basis: tuple[Basis, ...]
    verified: bool
    # the rule's advice in a few words, where its row gives them (the decision page's line)
    what_to_do: str = ""

    def to_json(self) -> dict[str, Any]:
        out = {
            "kind": self.kind,
            "taken": list(self.taken),
            "suggested": list(self.suggested),
            "where": list(self.where),
            "action": self.action,
            "message": self.message,
            "verified": self.verified,
            "basis": [b.to_json() for b in self.basis],
        }
        if self.what_to_do:
            out["what_to_do"] = self.what_to_do
        return out


@frozen_value
class CurrentMedicine:
    """One entry of the plan's `medications` (contract §2a)."""

    taken: Taken
    action: str
    reasons: tuple[str, ...]
    basis: tuple[Basis, ...]

    def to_json(self) -> dict[str, Any]:
        medication = self.taken.medication
        dose = None if medication is None or medication.dose is None else medication.dose
        return {
            "drug": self.taken.name,
            "kind": self.taken.kind,
            "field": self.taken.field,
            "dose": None if dose is None else {"value": dose.value, "unit": dose.unit},
            "route": None if medication is None else medication.route,
            "frequency": None if medication is None else medication.frequency,
            "indication": None if medication is None else medication.indication,
            **(
                {"written": medication.written}
                if medication is not None and medication.written
                else {}
            ),
            "action": self.action,
            "reasons": list(self.reasons),
            "basis": [b.to_json() for b in self.basis],
        }


@frozen_value
class MedicineReview:
    medicines: tuple[CurrentMedicine, ...]
    findings: tuple[Finding, ...]
    alerts: tuple[Alert, ...]
    gaps: tuple[Gap, ...]
    recorded: str = NOT_RECORDED  # medicines_recorded(case)
    allergies: tuple[Allergy, ...] = ()  # as recorded, matched or not
    allergies_recorded: str = NOT_RECORDED  # allergies_recorded(case)


# ---- what she takes ------------------------------------------------------------------------


def taken_by(case: Case, tables: InteractionTables) -> tuple[Taken, ...]:
    out = [
        Taken(m.drug, "medicine", f"medications[{i}]", drug=m.drug, medication=m)
        for i, m in enumerate(case.medications or ())
    ]
    for i, written in enumerate(case.herbal_or_traditional or ()):
        lowered = written.lower()
        found = frozenset(r.id for r in tables.remedies if any(w in lowered for w in r.words))
        out.append(Taken(written, "remedy", f"herbal_or_traditional[{i}]", remedies=found))
    return tuple(out)


def _takes(item: Taken, drugs: frozenset[str], remedies: frozenset[str]) -> bool:
    return (item.drug is not None and item.drug in drugs) or bool(item.remedies & remedies)


def interaction_doses_for(
    drug: str, case: Case, tables: InteractionTables
) -> list[tuple[InteractionDose, tuple[str, ...]]]:
    """The label's dose changes for `drug` that what she takes calls for, each with the names of
    the medicines (or remedies, as written) that call for it: palbociclib with clarithromycin ->
    the IBRANCE strong-CYP3A-inhibitor row, ("clarithromycin",)."""
    taken = taken_by(case, tables)
    out = []
    for change in tables.interaction_doses:
        if change.drug != drug:
            continue
        names = tuple(
            dict.fromkeys(
                t.name
                for t in taken
                if t.name != drug and _takes(t, change.taken_drugs, change.taken_remedies)
            )
        )
        if names:
            out.append((change, names))
    return out


@frozen_value
class AllergyMatch:
    """A recorded allergy that concerns a drug: to the drug, to its class, (`cross`) to
    another drug of a class whose members cross-react, or (`related`) to a drug this one
    contains or is reported to cross-react with."""

    allergy: Allergy
    cross: CrossReactiveClass | None = None
    related: RelatedAllergy | None = None

    @property
    def stops(self) -> bool:
        """Whether the drug is not given for it (a `caution` relation only shows the reason)."""
        return self.related is None or self.related.status != "caution"


def _allergies_to(drug: str, case: Case, tables: InteractionTables) -> list[AllergyMatch]:
    classes = tables.drug_classes.get(drug, frozenset())
    out = []
    for a in each_allergy(case):
        if (a.kind == "drug" and a.substance == drug) or (
            a.kind == "class" and a.substance in classes
        ):
            out.append(AllergyMatch(a))
        elif a.kind in ("drug", "excipient"):
            shared = classes & tables.drug_classes.get(a.substance, frozenset())
            cross = next((c for c in tables.cross_reactive if shared & set(c.classes)), None)
            if cross is not None and a.kind == "drug":
                out.append(AllergyMatch(a, cross))
                continue
            # every relation that reaches the drug, a stop before a caution: a cabazitaxel
            # reaction reaches docetaxel as another taxane and through polysorbate 80 (rx21 F3)
            related = sorted(
                (
                    r
                    for r in tables.related_allergies
                    if r.allergy == a.substance and drug in r.drugs
                ),
                key=lambda r: r.status == "caution",
            )
            out.extend(AllergyMatch(a, related=r) for r in related)
    return out


def each_allergy(case: Case) -> tuple[Allergy, ...]:
    """Every substance of every allergy line, as if each had a line of its own (a line naming
    "paclitaxel, carboplatin" stops both: recheck21 N1b)."""
    return tuple(a for line in case.allergies or () for a in line.each())


def _allergy_said(allergy: Allergy) -> str:
    """The allergy as its reason names it: the line as written, or, for one substance of a line
    naming several, the substance and the line ('carboplatin (written "paclitaxel, carboplatin")')."""
    if allergy.negation is not None:  # "no allergy to paclitaxel": applied, to be checked
        what = allergy.substance if allergy.kind == "drug" else allergy.substance.replace("_", " ")
        return f'{what} (the line says "{allergy.written}": check it)'
    if not allergy.one_of_several:
        return allergy.written
    return f'{allergy.substance.replace("_", " ")} (written "{allergy.written}")'


def _allergy_words(drug: str, match: AllergyMatch) -> str:
    allergy, cross, related = match.allergy, match.cross, match.related
    said = _allergy_said(allergy)
    if cross is not None:
        what = f"{said} ({cross.name}, as {drug} is: {_text(cross.cited, cross.text)})"
    elif related is not None:
        what = f"{said} ({drug} {related.name}: {_text(related.cited, related.text)})"
    elif allergy.kind == "drug":
        what = said
    else:
        what = f"{said} (the class of {drug})"
    detail = ", ".join(x for x in (allergy.reaction, allergy.severity) if x)
    return f"{ALLERGY_NOTE} {what}" + (f": {detail}" if detail else "")


def allergy_class_reasons(
    case: Case, tables: InteractionTables
) -> dict[str, tuple[str, tuple[Basis, ...]]]:
    """Drug classes she is allergic to -> why, in words, with the basis: a class recorded as
    such, or the class of a drug she reacted to where the class cross-reacts (diclofenac ->
    NSAIDs). The supportive part offers no drug of such a class (fact "<class>_allergy")."""
    out: dict[str, tuple[str, tuple[Basis, ...]]] = {}
    rule = tables.allergy.cited
    for allergy in each_allergy(case):
        detail = ", ".join(x for x in (allergy.reaction, allergy.severity) if x)
        said = f"allergy recorded to {_allergy_said(allergy)}" + (f": {detail}" if detail else "")
        if allergy.kind == "class":
            out.setdefault(allergy.substance, (_text(rule, said), rule.basis))
        elif allergy.kind == "drug":
            classes = tables.drug_classes.get(allergy.substance, frozenset())
            for cross in tables.cross_reactive:
                for cls in sorted(classes & set(cross.classes)):
                    words = f"{said} ({cross.name}: {_text(cross.cited, cross.text)})"
                    out.setdefault(cls, (words, (*rule.basis, *cross.cited.basis)))
    return out


def _allergy_finding(
    matches: Sequence[AllergyMatch],
    drug: str,
    where: tuple[str, ...],
    message: str,
    basis: tuple[Basis, ...],
) -> Finding:
    """The plan's finding of an allergy to a suggested drug (stopping it or a caution)."""
    written = tuple(m.allergy.written for m in matches)
    return Finding(
        "allergy", written, (drug,), where, None, message, basis, all(b.verified for b in basis)
    )


def _allergy_basis(matches: Iterable[AllergyMatch]) -> tuple[Basis, ...]:
    return tuple(
        b
        for m in matches
        for cited in (m.cross, m.related)
        if cited is not None
        for b in cited.cited.basis
    )


def _text(cited: Cited, words: str) -> str:
    return words + ("" if cited.verified else UNVERIFIED)


# ---- every dose the plan prints --------------------------------------------------------------


def with_current_medicines(dose: DrugDose, case: Case, tables: InteractionTables) -> DrugDose:
    """`dose`, stopped for an allergy, or annotated with what she takes that interacts."""
    matched = _allergies_to(dose.drug, case, tables)
    allergies = [m for m in matched if m.stops]
    if allergies:
        allergy = tables.allergy
        reason = "; ".join(_allergy_words(dose.drug, a) for a in allergies)
        reasons = [_text(allergy.cited, f"{reason} — {allergy.text}")]
        if dose.stop_reason and dose.status in STOP_STATUSES:
            reasons.append(dose.stop_reason)  # an organ-function stop stays named beside it
        status = "contraindicated" if dose.status == "contraindicated" else "not_recommended"
        cited = tuple(
            dict.fromkeys((*allergy.cited.basis, *_allergy_basis(allergies), *dose.basis))
        )
        # the one way a row is stopped (planner.domain.givable): no dose anywhere in it
        return stopped(
            dataclasses.replace(dose, basis=cited, stopped_by_allergy=True),
            status,
            "; ".join(reasons),
            reasons,
        )
    if dose.status in STOP_STATUSES:
        return dose  # a stopped row carries only the reasons for its stop
    taken = taken_by(case, tables)
    # an allergy that only asks for caution (nab-paclitaxel after a paclitaxel reaction): the
    # row keeps its dose and says why, first, so no "standard" row is silent about it
    notes: list[str] = [_allergy_words(dose.drug, m) for m in matched]
    basis: list[Basis] = list(_allergy_basis(matched))
    for rule in tables.interactions if taken else ():  # nothing taken: nothing interacts
        if dose.drug not in rule.with_drugs:
            continue
        mine = [t.name for t in taken if _takes(t, rule.taken_drugs, rule.taken_remedies)]
        mine = [n for n in mine if n != dose.drug]
        if mine:
            notes.append(
                _text(
                    rule.cited,
                    f"she takes {', '.join(mine)}: {rule.effect}; {rule.advice} ({rule.cited.rule})",
                )
            )
            basis += rule.cited.basis
    if not notes:
        return dose
    return _with_label_dose(
        dataclasses.replace(
            dose,
            status="caution" if dose.status == "standard" else dose.status,
            basis=tuple(dict.fromkeys((*dose.basis, *basis))),
            warnings=tuple(dict.fromkeys((*notes, *dose.warnings))),
        ),
        case,
        tables,
    )


def stoppable_remedies(case: Case, tables: InteractionTables) -> dict[str, StopFirst]:
    """The remedies and foods she takes that she can stop before a cancer drug starts, by the
    name written, each with how (interactions.toml [[stop_first]]; rx24 F5)."""
    out: dict[str, StopFirst] = {}
    for item in taken_by(case, tables):
        found = [tables.stop_first[r] for r in sorted(item.remedies) if r in tables.stop_first]
        if item.kind == "remedy" and found:
            out[item.name] = found[0]
    return out


def _with_label_dose(dose: DrugDose, case: Case, tables: InteractionTables) -> DrugDose:
    """A first plan's dose at the label's own dose for what she takes (IBRANCE §2.2: palbociclib
    75 mg with a strong CYP3A inhibitor; AROMASIN §2.2: exemestane 50 mg with a strong CYP3A4
    inducer), said in its warnings; the interaction's own note (avoid, use an alternative) stays
    beside it. Only a flat dose the label names is changed (a dose in whole tablets or with a
    first-cycle dose keeps its value, and the label's words say what to do).

    A remedy or food she can stop (St John's wort, grapefruit juice) is "stop it, then start":
    no label dose for it (the labels' reduced dose is for an inhibitor that cannot be avoided)
    and no lower rank. Where one medicine she takes calls for the label's dose and another
    for "avoid, no dose" (a strong CYP3A inhibitor beside a strong inducer), no label gives a
    dose for the pair: the row gives none and names the conflict (rx24 F5)."""
    now = dose.dose  # the dose before any change: one label row applies to it, never a chain
    changed = False
    stoppable = stoppable_remedies(case, tables)
    found: list[tuple[InteractionDose, tuple[str, ...]]] = []
    stop_rules: dict[str, list[str]] = {}  # a remedy she can stop -> the label rules about it
    for change, names in interaction_doses_for(dose.drug, case, tables):
        for name in names:
            if name in stoppable:
                stop_rules.setdefault(name, []).append(change.cited.rule)
        kept = tuple(n for n in names if n not in stoppable)
        if kept:
            found.append((change, kept))
    for name, rules in stop_rules.items():
        stop = stoppable[name]
        said = _text(
            stop.cited,
            f"she takes {name}, which she can stop: {stop.text} ({stop.cited.rule}); then "
            f"{dose.drug} starts at the plan's dose, the label's without it "
            f"({'; '.join(dict.fromkeys(rules))}: avoid it with {dose.drug})",
        )
        dose = dataclasses.replace(
            dose,
            warnings=tuple(dict.fromkeys((said, *dose.warnings))),
            basis=tuple(dict.fromkeys((*dose.basis, *stop.cited.basis))),
        )
    dosed = {n for change, names in found if change.change == "dose" for n in names}
    avoided = {n for change, names in found if change.change in AVOIDED_KINDS for n in names}
    if dosed and avoided - dosed:
        return _no_dose_for_the_pair(dose, found, dosed, avoided - dosed)
    for change, names in found:
        said = _text(change.cited, f"{change.text} ({change.cited.rule})")
        if change.change in AVOIDED_KINDS:
            said += (
                f": this option is listed after the options that need no change of "
                f"{joined(list(names))}"
            )
            said += label_option_words(change, now)
            dose = dataclasses.replace(
                dose, avoided_with=tuple(dict.fromkeys((*dose.avoided_with, *names)))
            )
        if change.change != "dose" or now is None:
            dose = dataclasses.replace(
                dose,
                warnings=tuple(
                    dict.fromkeys((*dose.warnings, f"she takes {', '.join(names)}: {said}"))
                ),
                basis=tuple(dict.fromkeys((*dose.basis, *change.cited.basis))),
            )
            continue
        absolute = dose.absolute_dose
        if (
            changed
            or change.dose is None
            or now.unit != change.unit
            or not any(abs(now.value - d) < 1e-6 for d in change.from_doses)
            or dose.loading_dose is not None
            or (absolute is not None and (absolute.tablets is not None or absolute.unit != "mg"))
        ):
            continue
        value = change.dose
        standard = dose.standard_dose
        dose = dataclasses.replace(
            dose,
            status="reduced" if value < now.value else "caution",
            dose=Amount(value, now.unit),
            percent_of_standard=(
                round(100 * value / standard.value, 1)
                if standard is not None and standard.unit == now.unit
                else None
            ),
            absolute_dose=(
                None
                if absolute is None
                else AbsoluteDose(value, "mg", f"{_mg(value)} mg (flat dose)")
            ),
            basis=tuple(dict.fromkeys((*dose.basis, *change.cited.basis))),
            warnings=tuple(
                dict.fromkeys(
                    (
                        *dose.warnings,
                        f"she takes {', '.join(names)}: {said}: the dose is the label's while she "
                        f"takes it; {change.after}",
                    )
                )
            ),
        )
        changed = True
    return dose


def _no_dose_for_the_pair(
    dose: DrugDose,
    found: list[tuple[InteractionDose, tuple[str, ...]]],
    dosed: set[str],
    avoided: set[str],
) -> DrugDose:
    """No dose: a medicine she takes calls for the label's dose (a strong CYP3A inhibitor that
    cannot be avoided) while another calls for "avoid, no dose" (a strong CYP3A inducer); no
    label gives a dose for the two together (rx24 F5). The conflict is named; the label's
    reduced dose is not printed (rule 3), and the option ranks after those the plan can dose."""
    rules = "; ".join(dict.fromkeys(change.cited.rule for change, _ in found))
    inhibitors = joined(sorted(dosed))
    inducers = joined(sorted(avoided))
    said = (
        f"she takes {inhibitors}, for which the label lowers the dose of {dose.drug} when it "
        f"cannot be avoided, and {inducers}, with which the label says avoid {dose.drug} and "
        f"gives no dose: no label gives a dose for the two together ({rules}); no dose until "
        "one of them is changed (the clinician decides which)"
    )
    verified = all(change.cited.verified for change, _ in found)
    return dataclasses.replace(
        dose,
        loading_dose=None,  # a row that gives no dose gives no loading dose either
        loading_absolute_dose=None,
        status="insufficient_data",
        dose=None,
        percent_of_standard=None,
        absolute_dose=None,
        avoided_with=tuple(dict.fromkeys((*dose.avoided_with, *sorted(avoided)))),
        basis=tuple(
            dict.fromkeys((*dose.basis, *(b for change, _ in found for b in change.cited.basis)))
        ),
        warnings=tuple(dict.fromkeys((said + ("" if verified else UNVERIFIED), *dose.warnings))),
    )


class _Dose(Protocol):
    @property
    def value(self) -> float: ...
    @property
    def unit(self) -> str: ...


def label_option_words(change: InteractionDose, now: _Dose | None) -> str:
    """The label's own way to give the drug with the medicine if it cannot be avoided (AFINITOR
    with a strong inducer: a dose raised step by step), said as the label's and never given;
    only where today's dose is one the label writes it from (a liver-reduced dose is not).
    "" for a row without one. `now`: the first plan's dose, or the cycle's current dose."""
    if not change.label_option:
        return ""
    option = _text(change.cited, change.label_option)
    if (
        now is not None
        and now.unit == change.unit
        and any(abs(now.value - d) < 1e-6 for d in change.from_doses)
    ):
        return f"; if it must be given with it, the label: {option} (not the plan's dose)"
    return (
        "; the label's dose change for the pair starts from the full dose, which is not her "
        "dose today: a prescriber's decision"
    )


# ---- the plan's current medicines ------------------------------------------------------------


def pair_checked(tables: InteractionTables, taken: str, other: str) -> bool:
    """Whether the interaction table checks a medicine she takes (`taken`) against `other`
    when the plan suggests it. Such a pair is this module's finding (alert
    `medicine_interaction`, and her medicine's action): the supportive part does not flag it
    again."""
    for rule in tables.interactions:
        if taken in rule.taken_drugs and other in rule.with_drugs:
            return True
        if rule.either_way and taken in rule.with_drugs and other in rule.taken_drugs:
            return True
    return False


def option_place(rank: Any, regimen: Any) -> str:
    """Where an option's drug comes from, as findings name it ("option 2: capecitabine")."""
    return f"option {rank}: {regimen}"


def suggestions(
    options: Iterable[tuple[int, str, Iterable[str]]],
    supportive: Iterable[tuple[str, Iterable[str]]],
    ongoing: Iterable[str],
    spellings: Mapping[str, str],
) -> dict[str, list[str]]:
    """Every drug the plan suggests or she is on now -> where: (rank, regimen id, drugs) of
    each option, (problem, drugs) of each supportive item, and the ongoing anticancer drugs.
    `spellings` (CaseLimits.medicines) turns another spelling of a rule row into the INN."""
    out: dict[str, list[str]] = {}

    def add(drug: str, where: str) -> None:
        places = out.setdefault(spellings.get(drug, drug), [])
        if where not in places:
            places.append(where)

    for rank, regimen, drugs in options:
        for drug in drugs:
            add(drug, option_place(rank, regimen))
    for problem, drugs in supportive:
        for drug in drugs:
            add(drug, f"supportive care: {problem}")
    for drug in ongoing:
        add(drug, "anticancer therapy she is on now")
    return out


def review_medicines(
    case: Case,
    suggested: Mapping[str, Sequence[str]],
    tables: InteractionTables,
    liver_impairment: LiverFact | None = None,
    today: Iterable[TodayCheck] = (),
) -> MedicineReview:
    """Each current medicine and remedy with its action; findings, alerts and gaps.

    `suggested`: every drug the plan suggests or she is on now -> where ("option 1: …",
    "supportive: pain", "on now"). `liver_impairment`: the plan's liver-impairment fact, if held.
    `today`: her medicines against today's findings, already alerted by the supportive part
    (`current_medicine_review`): each is a reason to review that medicine here too.
    """
    taken = taken_by(case, tables)
    universe: dict[str, list[str]] = {d: list(w) for d, w in suggested.items()}
    for item in taken:
        if item.drug is not None:
            universe.setdefault(item.drug, [])
            if TAKEN_NOW not in universe[item.drug]:
                universe[item.drug].append(TAKEN_NOW)
    findings: list[Finding] = []
    actions: dict[str, list[tuple[str, str, tuple[Basis, ...]]]] = {t.field: [] for t in taken}
    gaps: list[Gap] = []

    def concern(item: Taken, action: str, reason: str, basis: tuple[Basis, ...]) -> None:
        actions[item.field].append((action, reason, basis))

    # interactions: what she takes against what is suggested (or also taken)
    stoppable = stoppable_remedies(case, tables)
    for rule in tables.interactions:
        pairs_seen: set[frozenset[str]] = set()
        directions = [(rule.taken_drugs, rule.taken_remedies, rule.with_drugs)]
        if rule.either_way:
            directions.append((rule.with_drugs, frozenset(), rule.taken_drugs))
        for taken_drugs, taken_remedies, partners in directions:
            for item in taken:
                if not _takes(item, taken_drugs, taken_remedies):
                    continue
                hits = sorted(d for d in partners & set(universe) if d != item.drug)
                hits = [d for d in hits if frozenset((item.name, d)) not in pairs_seen]
                if not hits:
                    continue
                pairs_seen.update(frozenset((item.name, d)) for d in hits)
                finding = _interaction_finding(rule, item, hits, universe)
                findings.append(finding)
                concern(item, rule.action, finding.message, finding.basis)
                stop = stoppable.get(item.name)
                if stop is not None:  # a remedy she can stop: how, before the drug starts
                    said = f"{item.name}: {stop.text} ({stop.cited.rule})"
                    concern(item, rule.action, _text(stop.cited, said), stop.cited.basis)
                # a partner she also takes is a medicine of hers in the same finding: it is
                # reviewed too, never "continue, nothing found" (rx21 F4: rifampicin beside
                # apixaban); a both-ways rule says the same of either side
                for partner in taken:
                    if partner is not item and partner.drug in hits:
                        action = rule.action if rule.either_way else "review"
                        concern(partner, action, finding.message, finding.basis)

    # cautions: what she takes, a concern by itself
    metastases = case.disease.liver_metastases if case.disease is not None else None
    for caution in tables.cautions:
        for item in taken:
            if not _takes(item, caution.taken_drugs, caution.taken_remedies):
                continue
            if caution.when == "liver_involvement" and not metastases and liver_impairment is None:
                if metastases is False:
                    continue
                gaps.append(
                    Gap(
                        "disease.liver_metastases",
                        f"not recorded: whether {item.name} harms an involved liver is not judged",
                    )
                )
                continue
            message = _text(
                caution.cited,
                f"{item.name}: {caution.effect}; {caution.advice} ({caution.cited.rule})",
            )
            finding = Finding(
                "caution",
                (item.name,),
                (),
                (),
                caution.action,
                message,
                caution.cited.basis,
                caution.cited.verified,
            )
            findings.append(finding)
            concern(item, caution.action, message, finding.basis)

    # allergies against every suggested drug (and what she takes)
    allergic: list[str] = []
    cautions: list[str] = []
    for drug in sorted(universe):
        related = _allergies_to(drug, case, tables)
        if not related:
            continue
        allergy_rule = tables.allergy
        where = tuple(universe[drug])
        matched = [m for m in related if m.stops]
        if not matched:
            # caution only: a finding with the reason, no "not recommended", no critical alert
            reason = "; ".join(_allergy_words(drug, a) for a in related)
            basis = _allergy_basis(related)
            message = f"{drug} ({', '.join(where)}): caution — {reason}"
            findings.append(_allergy_finding(related, drug, where, message, basis))
            # in the critical banner too, after the drugs not recommended (walk23 #6: a dosed
            # nab-paclitaxel for a woman with a paclitaxel rash, the caution only in details)
            cautions.append(message)
            continue
        reason = "; ".join(_allergy_words(drug, a) for a in matched)
        message = _text(
            allergy_rule.cited, f"{drug} ({', '.join(where)}): not recommended — {reason}"
        )
        basis = tuple(dict.fromkeys((*allergy_rule.cited.basis, *_allergy_basis(matched))))
        findings.append(_allergy_finding(matched, drug, where, message, basis))
        allergic.append(message)
        for item in taken:
            if item.drug == drug:
                concern(item, "review", message, basis)
    contradictions = allergy_contradictions(case.allergies or ())
    for i, allergy in enumerate(case.allergies or ()):
        if i in contradictions:  # the contradiction, not "if she has none, remove the line"
            gaps.append(Gap(f"allergies[{i}].substance", contradictions[i]))
            continue
        gaps.extend(allergy_gaps(allergy, f"allergies[{i}].substance"))

    # paracetamol from every recorded source against the ceilings that apply
    for drug in sorted({c.drug for c in tables.ceilings}):
        found = _ceiling_finding(drug, taken, universe, tables, liver_impairment)
        if found is None:
            continue
        finding, found_gaps = found
        findings.append(finding)
        gaps.extend(found_gaps)
        for item in taken:
            if item.drug == drug and finding.action is not None:
                concern(item, finding.action, finding.message, finding.basis)

    # her medicines against today's findings (kidney, liver, encephalopathy): the check's
    # action (a label's contraindication is a stop); a daily ceiling counts her dose first
    for check in today:
        if check.max_mg_per_day is not None:
            mine = {t.drug for t in taken if t.drug is not None and t.drug in check.drugs}
            for drug in sorted(mine):
                counted, not_counted, above = _today_ceiling(check, drug, taken, tables)
                gaps.extend(not_counted)
                # above the ceiling: a finding, so the alert names it; a dose not counted is
                # her row's review and a gap, not an alert of its own
                if above:
                    findings.append(counted)
                for item in taken:
                    if item.drug == drug:
                        concern(item, str(counted.action), counted.message, counted.basis)
            continue
        for item in taken:
            if item.drug is not None and item.drug in check.drugs:
                concern(item, check.action, check.message, check.basis)

    # unrecognised remedies are named, not passed over
    for item in taken:
        if item.kind == "remedy" and not item.remedies:
            concern(
                item,
                "review",
                f"{item.name}: not in the program's list: ask the pharmacist (what it contains, "
                "whether it harms the liver or interacts with her medicines: not checked)",
                (),
            )

    medicines = tuple(_current(item, actions[item.field]) for item in taken)
    recorded = medicines_recorded(case)
    if recorded == NOT_RECORDED:
        gaps.insert(0, Gap("medications", NOT_RECORDED_EFFECT))
    return MedicineReview(
        medicines=medicines,
        findings=tuple(findings),
        alerts=_alerts(
            tables, [*allergic, *cautions], [f for f in findings if f.kind != "allergy"]
        ),
        gaps=tuple(dict.fromkeys(gaps)),
        recorded=recorded,
        allergies=tuple(case.allergies or ()),
        allergies_recorded=allergies_recorded(case),
    )


def _interaction_finding(
    rule: InteractionRule, item: Taken, hits: list[str], universe: Mapping[str, list[str]]
) -> Finding:
    where = tuple(dict.fromkeys(w for d in hits for w in universe[d]))
    group = (
        f" (among {rule.taken_words})" if rule.taken_words and item.drug in rule.taken_drugs else ""
    )
    message = (
        f"she takes {item.name}{group}; {', '.join(hits)} ({', '.join(where) or 'suggested'}): "
        f"{rule.effect}; {rule.advice} ({rule.cited.rule})"
    )
    return Finding(
        "interaction",
        (item.name,),
        tuple(hits),
        where,
        rule.action,
        _text(rule.cited, message),
        rule.cited.basis,
        rule.cited.verified,
        rule.what_to_do,
    )


def _current(item: Taken, concerns: list[tuple[str, str, tuple[Basis, ...]]]) -> CurrentMedicine:
    if not concerns:
        what = (
            "in the interaction table nor against today's findings"
            if item.kind == "medicine"
            else "in the remedy table"
        )
        return CurrentMedicine(
            item,
            "continue",
            (f"nothing found against the suggested plan {what}: continue as prescribed",),
            (),
        )
    action = max((a for a, _, _ in concerns), key=ACTIONS.index)
    return CurrentMedicine(
        item,
        action,
        tuple(dict.fromkeys(r for _, r, _ in concerns)),
        tuple(dict.fromkeys(b for _, _, basis in concerns for b in basis)),
    )


def _alerts(
    tables: InteractionTables, allergic: list[str], concerns: Iterable[Finding]
) -> tuple[Alert, ...]:
    out = []
    if allergic:
        text = tables.alerts["drug_allergy"]
        out.append(
            Alert(
                code="drug_allergy",
                level=text.level,
                message=text.message + " — " + "; ".join(allergic),
                field="allergies",
                basis=text.cited.basis,
                reasons=tuple(allergic),
            )
        )
    concerning = [f for f in concerns if f.action in ("change", "stop", "review")]
    worrying = [f.message for f in concerning]
    if worrying:
        text = tables.alerts["medicine_interaction"]
        out.append(
            Alert(
                code="medicine_interaction",
                level=text.level,
                message=f"{text.message}: {_what_to_do(concerning)} — " + "; ".join(worrying),
                field="medications",
                basis=text.cited.basis,
                reasons=tuple(worrying),
            )
        )
    return tuple(out)


#: the alert's action per medicine, strongest first ("stop X; review Y")
_ACTION_ORDER = ("stop", "change", "review")


def _what_to_do(concerning: Iterable[Finding]) -> str:
    """The alert's "what to do" names each medicine and its action ("review paracetamol and
    ashwagandha powder"): a bare "see current medicines" told the nurse nothing (nurse16)."""
    # each medicine under its strongest action only ("change fluconazole", not also "review
    # fluconazole" from a weaker finding about it)
    strongest: dict[str, str] = {}
    for finding in concerning:
        for name in finding.taken:
            now = strongest.get(name)
            if now is None or _ACTION_ORDER.index(str(finding.action)) < _ACTION_ORDER.index(now):
                strongest[name] = str(finding.action)
    by_action: dict[str, list[str]] = {}
    for name, action in strongest.items():
        by_action.setdefault(action, []).append(name)
    said = [
        f"{action} {joined(by_action[action])}" for action in _ACTION_ORDER if by_action.get(action)
    ]
    return "; ".join(said)


# ---- daily totals against a ceiling -----------------------------------------------------------


# How an "as needed" line says its most ("four times daily as needed", "prn, up to 4 times a day",
# "every 6 hours if needed"): the words around the count, not numbers (rx24 W1)
_AT_MOST = re.compile(r"^(?:up to|at most|not more than|no more than|maximum|max\.?)\s+")


def as_needed_at_most(frequency: str | None, tables: InteractionTables) -> int | None:
    """The most times a day an "as needed" line allows, where its frequency says one ("four
    times daily as needed" -> 4; "prn q6h" -> 4), else None (a bare "as needed", or a regular
    line). A pharmacist counts such a line at its most (rx24 W1: it was left out of the daily
    paracetamol total)."""
    if frequency is None:
        return None
    words = " ".join(frequency.lower().split()).strip().rstrip(".")
    needed = sorted(
        (w for row in tables.frequencies if row.times_per_day is None for w in row.words),
        key=len,
        reverse=True,
    )
    for phrase in needed:
        if words.startswith(phrase + " ") or words.startswith(phrase + ","):
            rest = words[len(phrase) :]
        elif words.endswith(" " + phrase) or words.endswith("," + phrase):
            rest = words[: -len(phrase)]
        else:
            continue
        rest = _AT_MOST.sub("", rest.strip(" ,;()-"))
        times = times_per_day(rest, tables) if rest else None
        return times if isinstance(times, int) else None
    return None


def times_per_day(frequency: str | None, tables: InteractionTables) -> int | str | None:
    """How many times a day a free-text frequency means: a whole number, "as_needed", or None
    when it cannot be read (the caller names the gap)."""
    if frequency is None:
        return None
    words = " ".join(frequency.lower().split()).strip().rstrip(".")
    for row in tables.frequencies:
        if words in row.words:
            return "as_needed" if row.times_per_day is None else row.times_per_day
    every = _EVERY_HOURS.match(words)
    if every:
        hours = int(every.group(1) or every.group(2))
        return 24 // hours if hours and 24 % hours == 0 else None
    times = _TIMES_A_DAY.match(words)
    if times:
        return int(times.group(1)) or None
    return None


def _daily_mg(item: Taken, tables: InteractionTables) -> float | str:
    """Her recorded dose of one medicine line in mg a day, or why it cannot be counted."""
    medication = item.medication
    assert medication is not None  # a catalogue medicine always comes from medications[]
    dose = medication.dose
    if dose is None or dose.unit not in _MG_PER:
        return "dose not recorded in mg, g or mcg"
    # an as-needed line that says its most is counted at it (rx24 W1, as for paracetamol)
    per_day = as_needed_at_most(medication.frequency, tables) or times_per_day(
        medication.frequency, tables
    )
    if per_day == "as_needed":
        return "as needed, with no daily maximum recorded"
    if not isinstance(per_day, int):
        return (
            f'frequency "{medication.frequency}" cannot be read as times a day'
            if medication.frequency
            else "frequency not recorded"
        )
    return dose.value * _MG_PER[dose.unit] * per_day


# What a daily total above a medicine check's ceiling asks, by the check's action.
_CEILING_ASKS = {
    "review": "review the dose",
    "change": "lower it to the ceiling or change the medicine",
    "stop": "stop it",
}


def _today_ceiling(
    check: TodayCheck, drug: str, taken: Sequence[Taken], tables: InteractionTables
) -> tuple[Finding, list[Gap], bool]:
    """Her daily total of `drug` (every line of it) against a medicine check's daily ceiling
    (ondansetron 8 mg a day at Child-Pugh 10 or more; tramadol 200 mg a day at CrCl below 30):
    above it, the check's action, the count said; within it, continue, said; a line that cannot
    be counted, a review and a gap naming it, unless the lines counted are already above it
    (rx24 F1). The finding, the gaps, and whether the lines counted are above the ceiling."""
    ceiling = check.max_mg_per_day
    assert ceiling is not None
    sources = [t for t in taken if t.drug == drug]
    parts: list[str] = []
    unread: list[tuple[Taken, str]] = []
    total = 0.0
    for item in sources:
        medication = item.medication
        assert medication is not None  # a catalogue medicine always comes from medications[]
        counted = _daily_mg(item, tables)
        if isinstance(counted, str) or medication.dose is None:
            unread.append((item, str(counted)))
            continue
        total += counted
        at_most = as_needed_at_most(medication.frequency, tables)
        most = "" if at_most is None else f" (counted at its most, {at_most} times a day)"
        parts.append(
            f"{_mg(medication.dose.value)} {medication.dose.unit} {medication.frequency}{most}"
        )
    said = " + ".join(parts)
    limit = f"{_mg(ceiling)} mg a day" + (f" with {check.because}" if check.because else "")
    not_counted = ", ".join(f"{item.name} ({why})" for item, why in unread)
    gaps: list[Gap] = []
    if parts and total > ceiling:
        action = check.action
        count = f"she takes {drug} {said} = {_mg(total)} mg a day, above the ceiling of {limit}"
        if unread:
            count += f" (not counted: {not_counted})"
        count += f": {_CEILING_ASKS[action]}"
    elif unread:
        action = "review"
        counted = f"{_mg(total)} mg a day counted ({said}); " if parts else ""
        count = (
            f"her daily dose of {drug} could not be counted in full ({counted}not counted: "
            f"{not_counted}): check it against the ceiling of {limit}"
        )
        for item, why in unread:
            medication = item.medication
            assert medication is not None
            field = "dose" if medication.dose is None or why.startswith("dose") else "frequency"
            gaps.append(
                Gap(
                    f"{item.field}.{field}",
                    f"{drug}: {why}: her daily dose is not checked against the ceiling of "
                    f"{_mg(ceiling)} mg a day",
                )
            )
    else:
        action = "continue"
        count = f"she takes {drug} {said} = {_mg(total)} mg a day, within the ceiling of {limit}"
    finding = Finding(
        "daily_total",
        tuple(t.name for t in sources),
        (),
        (),
        action,
        f"{count}; {check.message}",
        check.basis,
        all(b.verified for b in check.basis),
    )
    return finding, gaps, bool(parts) and total > ceiling


def _ceiling_finding(
    drug: str,
    taken: Sequence[Taken],
    universe: Mapping[str, list[str]],
    tables: InteractionTables,
    liver_impairment: LiverFact | None,
) -> tuple[Finding, list[Gap]] | None:
    sources = [t for t in taken if t.drug == drug]
    remedy_sources = [t for t in taken if t.kind == "remedy" and drug in t.name.lower()]
    if not sources and not remedy_sources:
        return None
    when = "liver_impairment" if liver_impairment is not None else "no_liver_impairment"
    ceilings = sorted(
        (c for c in tables.ceilings if c.drug == drug and c.when == when),
        key=lambda c: c.max_mg_per_day,
    )
    if not ceilings:
        return None
    gaps: list[Gap] = []
    total = 0.0
    parts: list[str] = []
    for item in sources:
        medication = item.medication
        assert medication is not None  # a catalogue medicine always comes from medications[]
        per_day = times_per_day(medication.frequency, tables)
        at_most = as_needed_at_most(medication.frequency, tables)
        dose = medication.dose
        if dose is None or dose.unit not in _MG_PER:
            gaps.append(
                Gap(
                    f"{item.field}.dose",
                    f"{drug}: dose not recorded in mg, g or mcg: the daily total is not counted",
                )
            )
            continue
        if at_most is not None:
            # as needed, at most so many times a day: counted at its most, and said so
            amount = dose.value * _MG_PER[dose.unit] * at_most
            total += amount
            written = f"{item.name} {_mg(dose.value)} {dose.unit} {medication.frequency}"
            parts.append(
                f"{_mg(amount)} mg/day ({written}: counted at its most, {at_most} times a day)"
            )
            continue
        if not isinstance(per_day, int):
            why = (
                "as needed, with no daily maximum recorded"
                if per_day == "as_needed"
                else (
                    f'frequency "{medication.frequency}" cannot be read as times a day'
                    if medication.frequency
                    else "frequency not recorded"
                )
            )
            gaps.append(
                Gap(f"{item.field}.frequency", f"{drug}: {why}: the daily total is not counted")
            )
            continue
        amount = dose.value * _MG_PER[dose.unit] * per_day
        total += amount
        # the medicine as the nurse wrote it, not its place in the case ("medications[1]")
        written = f"{item.name} {_mg(dose.value)} {dose.unit} {medication.frequency}"
        parts.append(f"{_mg(amount)} mg/day ({written})")
    for item in remedy_sources:
        gaps.append(
            Gap(item.field, f"{item.name}: contains {drug} in an amount not recorded: not counted")
        )
    limits = "; ".join(
        f"{_mg(c.max_mg_per_day)} mg/day: {c.text} ({c.cited.rule})" for c in ceilings
    )
    basis = tuple(b for c in ceilings for b in c.cited.basis)
    verified = all(c.cited.verified for c in ceilings)
    also = ""
    if drug in universe and any(w != TAKEN_NOW for w in universe[drug]):
        also = f"; the plan's {drug} is not in addition to it: one daily total from all sources"
    context = f" ({liver_impairment.reason})" if liver_impairment is not None else ""
    if gaps:
        counted = f"{_mg(total)} mg/day counted so far" if parts else "no amount could be counted"
        # what is not counted can only add to the total: a count already above every ceiling
        # is a change whatever the rest (rx24 F8: 4 g against 2 g was only a review)
        above_all = bool(parts) and all(total > c.max_mg_per_day for c in ceilings)
        if above_all:
            counted = f"{' + '.join(parts)} = {counted}, already above every ceiling that applies"
        message = (
            f"{drug} from every source: {counted}, and not every source could be counted (see "
            f"gaps); ceilings that apply{context}: {limits}{also}"
        )
        action: str | None = "change" if above_all else "review"
        basis = (*basis, *(liver_impairment.basis if liver_impairment is not None else ()))
    else:
        above = [c for c in ceilings if total > c.max_mg_per_day]
        if len(above) == len(ceilings):
            action, verdict = "change", "above every ceiling that applies"
        elif above:
            action = "review"
            verdict = (
                f"above the {_mg(above[-1].max_mg_per_day)} mg/day ceiling but within "
                f"{_mg(ceilings[-1].max_mg_per_day)} mg/day: sources differ, the clinician chooses"
            )
        else:
            action, verdict = "continue", "within every ceiling that applies"
        message = (
            f"{drug} from every recorded source: {' + '.join(parts)} = {_mg(total)} mg/day, "
            f"{verdict}{context}: {limits}{also}"
        )
    text = message + ("" if verified else UNVERIFIED)
    where = tuple(w for w in universe.get(drug, ()) if w != TAKEN_NOW)
    return (
        Finding(
            "paracetamol_total" if drug == "paracetamol" else "daily_total",
            tuple(t.name for t in (*sources, *remedy_sources)),
            (drug,) if where else (),
            where,
            action,
            text,
            tuple(dict.fromkeys(basis)),
            verified,
        ),
        gaps,
    )


def _mg(value: float) -> str:
    return f"{value:g}"
