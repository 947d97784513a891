"""A drug's cycle decision with what she takes now: the label's own dose while a recorded
medicine changes the drug's exposure (IBRANCE §2.2: palbociclib 75 mg with a strong CYP3A
inhibitor; AROMASIN §2.2: exemestane 50 mg with a strong CYP3A4 inducer), a hold where the label
says avoid and gives no dose (VERZENIO with ketoconazole), or the label's words where it leaves the
dose to the prescriber (AFINITOR with a strong inducer).

Why here and not only in medication_findings: the cycle row is the decision that is printed and
signed; "give, same dose — none of the label's conditions for a change is met" beside a strong
inhibitor the label reduces the dose for is a wrong order (independent review rx20, F4). The row
now gives the label's dose with the interaction as its reason; whether the medicine is changed
instead (and the earlier dose kept) is the clinician's decision, and the row says so, with the
label's return to the earlier dose once the medicine stops.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from planner.domain.case import Case, TreatmentDose, TreatmentDrug
from planner.domain.cycle_drug import NO_DOSE_ACTIONS, DrugDecision
from planner.domain.cycle_tables import shown
from planner.domain.evidence import UNVERIFIED
from planner.domain.medicine_tables import InteractionDose, InteractionTables
from planner.domain.medicines import interaction_doses_for, label_option_words

# dose notes that say the dose did not change: not true once the medicine changes it
_SAME = "the same dose"


def with_medicines(
    decision: DrugDecision, on: TreatmentDrug, case: Case, tables: InteractionTables
) -> tuple[DrugDecision, str]:
    """The cycle's decision for one drug with the label's dose changes for what she takes, and
    what a hold then waits for besides ("" when nothing)."""
    if decision.action in NO_DOSE_ACTIONS:
        return decision, ""
    found = interaction_doses_for(decision.drug, case, tables)
    if not found:
        return decision, ""
    drug = decision.drug
    basis = tuple(dict.fromkeys((*decision.basis, *(b for c, _ in found for b in c.cited.basis))))
    # one reason per rule and medicine (VERZENIO's two dose rows are one statement)
    reasons = list(
        dict.fromkeys((*decision.reasons, *(_reason(drug, c, names) for c, names in found)))
    )
    holds = [(c, names) for c, names in found if c.change == "hold"]
    if holds:
        waits = "; ".join(c.after for c, _ in holds)
        why = (
            f"{drug}: held — the label gives no dose while she takes "
            f"{_names(n for _, names in holds for n in names)}"
        )
        held = dataclasses.replace(decision, action="hold", reasons=(*reasons, why), basis=basis)
        return held, waits
    dose = decision.dose
    chosen = _label_dose(dose, [c for c, _ in found if c.change == "dose"])
    notes = list(decision.dose_notes)
    # the label's titration if the pair cannot be avoided (AFINITOR with a strong inducer):
    # shown beside today's dose, never given (rx21 F5)
    for change, names in found:
        option = label_option_words(change, dose)
        if option:
            notes.append(f"{drug} with {_names(names)}{option}")
    if dose is None or chosen is None:
        for change, names in found:
            if change.change == "dose" and dose is not None:
                notes.append(
                    f"{drug}: {_text(change)} ({change.cited.rule}); today's {shown(dose.value)} "
                    f"{dose.unit} is not a dose the label changes with {_names(names)}: it stays"
                )
        return dataclasses.replace(
            decision, reasons=tuple(reasons), basis=basis, dose_notes=tuple(notes)
        ), ""
    change, value = chosen
    names = next(n for c, n in found if c is change)
    start, now = on.starting_dose, on.current_dose.value
    action = decision.action
    if action != "hold":
        action = "reduce" if value < now else "increase" if value > now else "continue"
    notes = [n for n in notes if not n.endswith(_SAME)]
    # a hold resumes at the label's dose with the medicine, not at "the same dose" its own rule
    # names (TRUQAP: glucose back to 8.9 mmol/L, then 320 mg with itraconazole, not 400 mg)
    waits = (
        f"at the label's dose while she takes {_names(names)} (on the row)"
        if action == "hold"
        else ""
    )
    notes.append(
        f"{drug}: {_text(change)} ({change.cited.rule}): {shown(value)} {change.unit} is given while "
        f"she takes {_names(names)} — if {_names(names)} is stopped or changed instead, the "
        f"clinician keeps the dose used before it; {change.after}"
    )
    return (
        DrugDecision(
            drug,
            action,
            TreatmentDose(value, change.unit),
            round(100 * value / start.value, 1) if start.unit == change.unit else None,
            None,  # the label's interaction dose, not a step of its toxicity ladder
            tuple(reasons),
            basis,
            decision.gaps,
            tuple(notes),
        ),
        waits,
    )


def _label_dose(
    dose: TreatmentDose | None, changes: list[InteractionDose]
) -> tuple[InteractionDose, float] | None:
    """The row whose `from_doses` hold today's dose, and its dose; else None (today's dose is not
    one the label names: at or below its dose, it stays)."""
    if dose is None:
        return None
    for change in changes:
        if change.unit == dose.unit and any(abs(dose.value - d) < 1e-6 for d in change.from_doses):
            assert change.dose is not None  # the loader checks: a "dose" row has its dose
            return change, change.dose
    return None


def _reason(drug: str, change: InteractionDose, names: tuple[str, ...]) -> str:
    """Why, without the dose (a reason stays printed when the row ends with no dose)."""
    group = f" ({change.taken_words})" if change.taken_words else ""
    what = (
        f"{change.text}{'' if change.cited.verified else UNVERIFIED}"
        if change.change != "dose"
        else "the label changes the dose while she takes it (the dose below)"
    )
    return (
        f"{drug}: she takes {_names(names)}{group}, recorded in her medicines: {what} "
        f"({change.cited.rule})"
    )


def _text(change: InteractionDose) -> str:
    return change.text + ("" if change.cited.verified else UNVERIFIED)


def _names(names: Iterable[str]) -> str:
    return ", ".join(dict.fromkeys(names))
