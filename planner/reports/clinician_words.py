"""What the clinician's part shares between the decision page (`clinician`) and the evidence
appendix (`clinician_evidence`): its page style and headings, and how it says a drug's dose —
the one line with its arithmetic, the compact form, the table cells, the clinician's change
beside the suggestion, and the words for no dose. One home, so both parts say a dose alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reportlab.platypus import Flowable

from planner.domain.decision import Decision, HeldDrug, signed_parts
from planner.domain.plan_document import (
    AbsoluteDose,
    ChildPugh,
    DrugRow,
    Hepatic,
    RegimenOption,
)
from planner.domain.plan_words import (
    STATUS,
    allergy_flag,
    clinician_words,
    dose_words,
    field_words,
    units_in_words,
)
from planner.domain.vocabulary import DoseStatus
from planner.reports import styles
from planner.reports.citations import UNVERIFIED
from planner.reports.formatting import amount, drug_title, moment, number, text, words
from planner.reports.tables import para

ST = styles.clinician_styles


#: where the full text of what is shortened is: the plan window's tab (planner/ui/plan_text.py)
FULL_TEXT = "full text in the plan window, tab Plan text"


def h1(title: str) -> Flowable:
    return para(text(title), ST().h1)


def _held(drug: DrugRow) -> bool:
    return drug.decided is not None and drug.decided.action == "hold"


def _unverified_drug(drug: DrugRow) -> bool:
    """A dose resting on a fact not verified in its primary source (rule 6: said on paper)."""
    return any(not b.verified for b in drug.basis) or any("UNVERIFIED" in w for w in drug.warnings)


def _status(drug: DrugRow) -> str:
    """The row's status, and for a dosed drug beside a related allergy the caution in bold
    (walk23 #6: the caution was only in the option's details)."""
    flag = allergy_flag(drug.warnings, drug.dose is not None)
    said = text(STATUS.get(drug.status or "", words(drug.status)))
    return said + (f" <b>{text(flag)}</b>" if flag else "")


def _gaps(drug: DrugRow, lead: str) -> str:
    return "".join(
        f" ({lead}: {text(field_words(gap.field))} — {text(clinician_words(gap.effect))})"
        for gap in drug.gaps
    )


def _mg(dose: AbsoluteDose) -> str:
    """A worked-out dose in mg as printed ("1550 mg")."""
    return f"{text(number(dose.value, 1))} {text(dose.unit or 'mg')}"


def dose_line(drug: DrugRow) -> str:
    """One drug of the decided (or suggested) option on one line: the dose with its
    arithmetic (the clinician's change beside the suggestion it replaced), what she takes, the
    schedule; a stop or a hold says so in the dose's place."""
    name = f"<b>{text(drug_title(drug.drug or '?'))}</b>"
    decided = drug.decided
    if drug.dose is None:
        return f"{name}: <b>{text(units_in_words(no_dose_words(drug, with_reason=True)))}</b>"
    absolute = drug.absolute_dose
    arithmetic = text(units_in_words((absolute.text if absolute else None) or ""))
    suggested = decided.suggested_dose if decided and decided.action == "change_dose" else None
    changed = suggested is not None
    if decided is not None and suggested is not None:
        by = text(decided.decided_by or "the clinician")
        sides = [side.strip() for side in arithmetic.split("=")]
        worked = len(sides) > 1 and len(set(sides)) > 1  # "100 mg = 100 mg" says nothing
        line = (
            f"{name} Suggested {text(units_in_words(amount(suggested)))} → "
            f"changed by {by} to <b>{text(units_in_words(amount(drug.dose)))}</b>"
            + (f" ({arithmetic})" if worked else "")
        )
    elif arithmetic:
        line = f"{name} {arithmetic}"
    else:  # no absolute dose: the compact line (with its status and any loading dose)
        line = compact_dose(drug, with_gaps=False)
    compact = not arithmetic and not changed
    if not compact and not changed:  # the suggestion's status ("standard") is not the change's
        line += f" · {_status(drug)}"
    tablets = absolute.tablets if absolute else None
    if tablets:  # what she takes: whole tablets, with how the calculated dose was rounded
        line += f" · <b>{text(tablets.text)}</b> each time ({text(tablets.rounding)})"
    loading = drug.loading_dose
    if loading and not compact:  # contract §3a: the first cycle differs from the maintenance dose
        line += f" · cycle 1 (loading): <b>{text(units_in_words(amount(loading)))}</b>"
        if drug.loading_absolute_dose:
            line += f" = <b>{_mg(drug.loading_absolute_dose)}</b>"
    if drug.schedule:
        line += f" · {text(units_in_words(drug.schedule))}"
    line += _gaps(drug, "could not decide")
    if _unverified_drug(drug):
        line += UNVERIFIED
    return line


def no_dose_words(drug: DrugRow, *, with_reason: bool = False) -> str:
    if _held(drug):
        return "held by the clinician: no dose now"
    missing = "inputs missing (see gaps)" if drug.gaps else "no sourced rule for this case"
    words = (
        {
            # review rx20 G3: weekly paclitaxel with a raised bilirubin has no label band; nothing is
            # missing, and "inputs missing" sent the nurse looking for a field to fill in
            DoseStatus.INSUFFICIENT_DATA: f"no dose: {missing} — clinician decision",
            DoseStatus.NOT_RECOMMENDED: "no dose: not recommended",
            DoseStatus.CONTRAINDICATED: "no dose: contraindicated",
        }.get(drug.status, "no dose")
        if drug.status is not None
        else "no dose"
    )
    # a stop says what was found against which limit (counts, neuropathy, kidney, liver, ledger);
    # the option table prints it in the row's notes, the one-line summary needs it here
    reason = drug.stop_reason if with_reason else None
    return f"{words} — {clinician_words(reason)}" if reason else words


def dose_cells(drug: DrugRow) -> tuple[str, str, str]:
    standard = amount(drug.standard_dose)
    if drug.dose is None:
        why = no_dose_words(drug)
        return standard, f"<b>{text(why)}</b>", "–"
    percent = drug.percent_of_standard
    adapted = amount(drug.dose)
    if percent is not None:
        adapted += f" ({number(percent, 0)}\u00a0%)"  # "(100 %)" never breaks before its "%"
    decided = drug.decided
    changed_from = decided.suggested_dose if decided and decided.action == "change_dose" else None
    absolute = drug.absolute_dose
    if absolute:
        arithmetic = units_in_words(absolute.text or amount(absolute))
        abs_text = f"<b>{_mg(absolute)}</b><br/>{text(arithmetic)}"
        tablets = absolute.tablets
        if tablets:  # what she takes: whole tablets, with how the calculated dose was rounded
            abs_text = (
                f"<b>{text(tablets.text)}</b> each time<br/>"
                f"calculated: {text(arithmetic)}; {text(tablets.rounding)}"
            )
    else:
        abs_text = "not calculated (see gaps)"
    adapted = f"<b>{text(units_in_words(adapted))}</b>"
    if decided is not None and changed_from:
        # The program's suggestion and the clinician's dose, visibly different: the changed dose
        # read as the program's own in this column (nurse16 re-walk).
        by = text(decided.decided_by or "the clinician")
        adapted = (
            f"Suggested {text(units_in_words(amount(changed_from)))} → changed by {by} to {adapted}"
        )
    loading = drug.loading_dose
    if loading:  # contract §3a: the first cycle differs from the maintenance dose above
        adapted += f"<br/>cycle 1 (loading): <b>{text(amount(loading))}</b>"
        if drug.loading_absolute_dose:
            abs_text += f"<br/>cycle 1: <b>{_mg(drug.loading_absolute_dose)}</b>"
    return text(standard), adapted, abs_text


def decided_note(drug: DrugRow) -> list[str]:
    """The clinician's change to a drug of the decided option, with the suggestion it replaced."""
    decided = drug.decided
    if decided is None:
        return []
    suggested = amount(decided.suggested_dose) if decided.suggested_dose else "no dose"
    by = f" — decided by {text(decided.decided_by)}" if decided.decided_by else ""
    if decided.action == "change_dose":
        return [
            f"<b>Dose changed by the clinician</b> (suggested {text(units_in_words(suggested))}): "
            f"{text(decided.reason)}{by}"
        ]
    if decided.action == "hold":
        return [
            f"<b>Held by the clinician</b> (suggested {text(units_in_words(suggested))}): "
            f"{text(decided.reason)}{by}"
        ]
    return []


def compact_dose(drug: DrugRow, *, with_gaps: bool = True) -> str:
    """`Paclitaxel 80 → 60 mg/m² (75 %) = 93 mg · reduced` on one line."""
    name = f"<b>{text(drug_title(drug.drug or '?'))}</b>"
    dose = drug.dose
    if dose is None:
        out = f"{name}: {text(units_in_words(no_dose_words(drug, with_reason=True)))}"
    else:
        standard = drug.standard_dose
        arithmetic = text(amount(dose))
        if standard is not None and standard.value != dose.value:
            arithmetic = f"{text(number(standard.value))} → {arithmetic}"
        if drug.percent_of_standard is not None:
            arithmetic += f" ({number(drug.percent_of_standard, 0)} %)"
        absolute = drug.absolute_dose
        if absolute and dose.unit not in ("mg", ""):
            arithmetic += f" = {_mg(absolute)}"
        if drug.loading_dose:
            arithmetic += f" (cycle 1: {text(amount(drug.loading_dose))} loading)"
        out = f"{name} {arithmetic} · {_status(drug)}"
    return out + (_gaps(drug, "Could not decide") if with_gaps else "")


def decided_lines(decision: Decision, date_format: str, bullet: str = "") -> list[str]:
    """Who decided, when and why; then each drug change signed by the person who made it, when
    (an earlier change kept by a later decision keeps its own signer), each line after `bullet`."""
    lines = [
        f"Decided by <b>{text(decision.decided_by)}</b>, "
        f"{text(moment(decision.decided_at, date_format))}: {text(decision.reason)}"
    ]
    for part, by, at in signed_parts(decision):
        if (
            by == decision.decided_by
            and at == decision.decided_at
            and (part.reason == decision.reason)
        ):
            continue  # said by the line above: the reason printed three times (walk 16d)
        what = (
            f"{text(drug_title(part.drug))} held"
            if isinstance(part, HeldDrug)
            else f"{text(drug_title(part.drug))} {text(number(part.value))} "
            f"{text(units_in_words(part.unit))}"
        )
        why = "" if part.reason == decision.reason else f": {text(part.reason)}"
        lines.append(
            f"{bullet}{what}: decided by <b>{text(by)}</b> on {text(moment(at, date_format))}{why}"
        )
    return lines


#: a dose named in words: "200 mg", "1.5 mg/m2", "8 mg/kg"
DOSE_IN_WORDS = re.compile(r"(\d+(?:\.\d+)?)\s*(mg/m2|mg/m²|mg/kg|mcg|mg|g)\b")
_SENTENCE = re.compile(r"(?<=\.)\s+(?=[A-Z])")


def _doses_given(drugs: Sequence[DrugRow]) -> set[tuple[float, str]]:
    given = set()
    for drug in drugs:
        for dose in (drug.dose, drug.loading_dose, drug.absolute_dose, drug.loading_absolute_dose):
            if dose is not None:
                given.add((float(dose.value), dose.unit.replace("²", "2")))
    return given


def notes_without_other_doses(notes: Sequence[str], drugs: Sequence[DrugRow]) -> list[str]:
    """An option's label notes without a sentence that names a dose this plan does not give
    (safety rule 3): "Monotherapy dose 200 mg twice daily" printed beside abemaciclib's decided
    100 mg while its partner was held (nurse walk). What was left out is said, with the doses
    the plan gives."""
    rows = list(drugs)
    given = _doses_given(rows)
    out: list[str] = []
    for note in notes:
        kept, dropped = [], False
        for sentence in _SENTENCE.split(str(note)):
            named = {(float(v), u.replace("²", "2")) for v, u in DOSE_IN_WORDS.findall(sentence)}
            if named - given:
                dropped = True
            else:
                kept.append(sentence)
        if dropped:
            plan_doses = "; ".join(
                f"{drug_title(d.drug)} {dose_words(d.dose.value, d.dose.unit)}"
                for d in rows
                if d.dose is not None
            )
            kept.append(
                "A dose named in the label notes is not printed: it is not this plan's"
                + (f" (this plan gives {plan_doses})." if plan_doses else " (no dose is given).")
            )
        out.append(" ".join(kept))
    return out


def warnings_as_printed(drug: DrugRow, option: RegimenOption) -> list[str]:
    """A drug's warnings as printed. With a partner drug held by the clinician, a sentence that
    names a dose other than this drug's is left out, saying so (safety rule 3): "Monotherapy
    dose 200 mg" beside abemaciclib's 150 mg, letrozole held, read as the dose to give now."""
    warnings = list(drug.warnings)
    held = any(_held(d) for d in option.drugs)
    return notes_without_other_doses(warnings, [drug]) if held else warnings


def child_pugh_points(hepatic: Hepatic, found: ChildPugh) -> str:
    """Her Child–Pugh points as printed: "7 points", or, with the INR of an anticoagulant not
    scored and every INR giving one class, "7–9 points whatever the INR; the INR measures
    apixaban" (rx24 W2: the class is said, with why its points are a range)."""
    said = found.points_words
    if found.points is None and hepatic.child_pugh_inr_not_scored:
        said += "; the INR measures " + ", ".join(hepatic.child_pugh_inr_not_scored)
    return text(said)


def child_pugh_not_scored(hepatic: Hepatic) -> str | None:
    """Why Child–Pugh has no class when the INR was recorded but measures her anticoagulant
    ("not scored: the INR measures apixaban"), else None (rx21 W4: it read "not recorded")."""
    anticoagulants = hepatic.child_pugh_inr_not_scored
    if hepatic.child_pugh is not None or not anticoagulants:
        return None
    return "not scored: the INR measures " + text(", ".join(anticoagulants))
