"""What the clinician's part shares between the decision page (`clinician`) and the evidence
appendix (`clinician_evidence`): its page style and headings, and how it says a drug's dose —
the one line with its arithmetic, the compact form, the table cells, the clinician's change
beside the suggestion, and the words for no dose. One home, so both parts say a dose alike.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.platypus import Flowable

from planner.domain.decision import Decision, HeldDrug, signed_parts
from planner.domain.plan_words import STATUS, clinician_words, field_words
from planner.domain.vocabulary import DoseStatus
from planner.reports import styles
from planner.reports.citations import UNVERIFIED
from planner.reports.formatting import amount, drug_title, moment, number, pretty_units, text, words
from planner.reports.tables import para

Plan = Mapping[str, Any]

ST = styles.clinician_styles


#: where the full text of what is shortened is: the plan window's tab (planner/ui/plan_text.py)
FULL_TEXT = "full text in the plan window, tab Plan text"


def h1(title: str) -> Flowable:
    return para(text(title), ST().h1)


def _unverified_drug(drug: Mapping[str, Any]) -> bool:
    """A dose resting on a fact not verified in its primary source (rule 6: said on paper)."""
    return any(b.get("verified") is False for b in drug.get("basis") or ()) or any(
        "UNVERIFIED" in str(w) for w in drug.get("warnings") or ()
    )


def dose_line(drug: Mapping[str, Any]) -> str:
    """One drug of the decided (or suggested) option on one line: the dose with its
    arithmetic (the clinician's change beside the suggestion it replaced), what she takes, the
    schedule; a stop or a hold says so in the dose's place."""
    name = f"<b>{text(drug_title(drug.get('drug', '?')))}</b>"
    decided = drug.get("decided") or {}
    if drug.get("dose") is None:
        return f"{name}: <b>{text(pretty_units(no_dose_words(drug, with_reason=True)))}</b>"
    absolute = drug.get("absolute_dose") or {}
    arithmetic = text(pretty_units(absolute.get("text") or ""))
    changed = decided.get("action") == "change_dose" and bool(decided.get("suggested_dose"))
    if changed:
        by = text(decided.get("decided_by") or "the clinician")
        sides = [side.strip() for side in arithmetic.split("=")]
        worked = len(sides) > 1 and len(set(sides)) > 1  # "100 mg = 100 mg" says nothing
        line = (
            f"{name} Suggested {text(pretty_units(amount(decided['suggested_dose'])))} → "
            f"changed by {by} to <b>{text(pretty_units(amount(drug['dose'])))}</b>"
            + (f" ({arithmetic})" if worked else "")
        )
    elif arithmetic:
        line = f"{name} {arithmetic}"
    else:  # no absolute dose: the compact line (with its status and any loading dose)
        line = compact_dose(drug, with_gaps=False)
    compact = not arithmetic and not changed
    if not compact and not changed:  # the suggestion's status ("standard") is not the change's
        line += f" · {text(STATUS.get(drug.get('status', ''), words(drug.get('status'))))}"
    tablets = absolute.get("tablets")
    if tablets:  # what she takes: whole tablets, with how the calculated dose was rounded
        line += f" · <b>{text(tablets['text'])}</b> each time ({text(tablets['rounding'])})"
    loading = drug.get("loading_dose")
    if loading and not compact:  # contract §3a: the first cycle differs from the maintenance dose
        line += f" · cycle 1 (loading): <b>{text(pretty_units(amount(loading)))}</b>"
        loading_absolute = drug.get("loading_absolute_dose")
        if loading_absolute:
            line += (
                f" = <b>{text(number(loading_absolute.get('value'), 1))} "
                f"{text(loading_absolute.get('unit', 'mg'))}</b>"
            )
    if drug.get("schedule"):
        line += f" · {text(pretty_units(drug['schedule']))}"
    for gap in drug.get("gaps") or []:
        line += (
            f" (could not decide: {text(field_words(gap.get('field')))} — "
            f"{text(clinician_words(gap.get('effect')))})"
        )
    if _unverified_drug(drug):
        line += UNVERIFIED
    return line


def no_dose_words(drug: Mapping[str, Any], *, with_reason: bool = False) -> str:
    if (drug.get("decided") or {}).get("action") == "hold":
        return "held by the clinician: no dose now"
    missing = "inputs missing (see gaps)" if drug.get("gaps") else "no sourced rule for this case"
    words = {
        # review rx20 G3: weekly paclitaxel with a raised bilirubin has no label band; nothing is
        # missing, and "inputs missing" sent the nurse looking for a field to fill in
        DoseStatus.INSUFFICIENT_DATA: f"no dose: {missing} — clinician decision",
        DoseStatus.NOT_RECOMMENDED: "no dose: not recommended",
        DoseStatus.CONTRAINDICATED: "no dose: contraindicated",
    }.get(drug.get("status", ""), "no dose")
    # a stop says what was found against which limit (counts, neuropathy, kidney, liver, ledger);
    # the option table prints it in the row's notes, the one-line summary needs it here
    reason = drug.get("stop_reason") if with_reason else None
    return f"{words} — {clinician_words(reason)}" if reason else words


def dose_cells(drug: Mapping[str, Any]) -> tuple[str, str, str]:
    standard = amount(drug.get("standard_dose"))
    if drug.get("dose") is None:
        why = no_dose_words(drug)
        return standard, f"<b>{text(why)}</b>", "–"
    percent = drug.get("percent_of_standard")
    adapted = amount(drug.get("dose"))
    if percent is not None:
        adapted += f" ({number(percent, 0)}\u00a0%)"  # "(100 %)" never breaks before its "%"
    decided = drug.get("decided") or {}
    changed_from = decided.get("suggested_dose") if decided.get("action") == "change_dose" else None
    absolute = drug.get("absolute_dose")
    if absolute:
        arithmetic = pretty_units(absolute.get("text") or amount(absolute))
        abs_text = (
            f"<b>{text(number(absolute.get('value'), 1))} {text(absolute.get('unit', 'mg'))}</b>"
            f"<br/>{text(arithmetic)}"
        )
        tablets = absolute.get("tablets")
        if tablets:  # what she takes: whole tablets, with how the calculated dose was rounded
            abs_text = (
                f"<b>{text(tablets['text'])}</b> each time<br/>"
                f"calculated: {text(arithmetic)}; {text(tablets['rounding'])}"
            )
    else:
        abs_text = "not calculated (see gaps)"
    adapted = f"<b>{text(pretty_units(adapted))}</b>"
    if changed_from:
        # The program's suggestion and the clinician's dose, visibly different: the changed dose
        # read as the program's own in this column (nurse16 re-walk).
        by = text(decided.get("decided_by") or "the clinician")
        adapted = (
            f"Suggested {text(pretty_units(amount(changed_from)))} → changed by {by} to {adapted}"
        )
    loading = drug.get("loading_dose")
    if loading:  # contract §3a: the first cycle differs from the maintenance dose above
        adapted += f"<br/>cycle 1 (loading): <b>{text(amount(loading))}</b>"
        loading_absolute = drug.get("loading_absolute_dose")
        if loading_absolute:
            abs_text += (
                f"<br/>cycle 1: <b>{text(number(loading_absolute.get('value'), 1))} "
                f"{text(loading_absolute.get('unit', 'mg'))}</b>"
            )
    return text(standard), adapted, abs_text


def decided_note(drug: Mapping[str, Any]) -> list[str]:
    """The clinician's change to a drug of the decided option, with the suggestion it replaced."""
    decided = drug.get("decided") or {}
    action = decided.get("action")
    suggested = (
        amount(decided.get("suggested_dose")) if decided.get("suggested_dose") else "no dose"
    )
    by = f" — decided by {text(decided['decided_by'])}" if decided.get("decided_by") else ""
    if action == "change_dose":
        return [
            f"<b>Dose changed by the clinician</b> (suggested {text(pretty_units(suggested))}): "
            f"{text(decided.get('reason'))}{by}"
        ]
    if action == "hold":
        return [
            f"<b>Held by the clinician</b> (suggested {text(pretty_units(suggested))}): "
            f"{text(decided.get('reason'))}{by}"
        ]
    return []


def compact_dose(drug: Mapping[str, Any], *, with_gaps: bool = True) -> str:
    """`Paclitaxel 80 → 60 mg/m² (75 %) = 93 mg · reduced` on one line."""
    name = f"<b>{text(drug_title(drug.get('drug', '?')))}</b>"
    status = text(STATUS.get(drug.get("status", ""), words(drug.get("status"))))
    if drug.get("dose") is None:
        out = f"{name}: {text(pretty_units(no_dose_words(drug, with_reason=True)))}"
    else:
        standard, dose = drug.get("standard_dose") or {}, drug["dose"]
        arithmetic = text(amount(dose))
        if standard and standard.get("value") != dose.get("value"):
            arithmetic = f"{text(number(standard.get('value')))} → {arithmetic}"
        if drug.get("percent_of_standard") is not None:
            arithmetic += f" ({number(drug['percent_of_standard'], 0)} %)"
        absolute = drug.get("absolute_dose")
        if absolute and dose.get("unit") not in ("mg", None):
            arithmetic += (
                f" = {text(number(absolute.get('value'), 1))} {text(absolute.get('unit', 'mg'))}"
            )
        loading = drug.get("loading_dose")
        if loading:
            arithmetic += f" (cycle 1: {text(amount(loading))} loading)"
        out = f"{name} {arithmetic} · {status}"
    for gap in drug.get("gaps") or [] if with_gaps else []:
        out += (
            f" (Could not decide: {text(field_words(gap.get('field')))} — "
            f"{text(clinician_words(gap.get('effect')))})"
        )
    return out


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
            f"{text(pretty_units(part.unit))}"
        )
        why = "" if part.reason == decision.reason else f": {text(part.reason)}"
        lines.append(
            f"{bullet}{what}: decided by <b>{text(by)}</b> on {text(moment(at, date_format))}{why}"
        )
    return lines


#: a dose named in words: "200 mg", "1.5 mg/m2", "8 mg/kg"
DOSE_IN_WORDS = re.compile(r"(\d+(?:\.\d+)?)\s*(mg/m2|mg/m²|mg/kg|mcg|mg|g)\b")
_SENTENCE = re.compile(r"(?<=\.)\s+(?=[A-Z])")


def _doses_given(drugs: Sequence[Mapping[str, Any]]) -> set[tuple[float, str]]:
    given = set()
    for drug in drugs:
        for key in ("dose", "loading_dose", "absolute_dose", "loading_absolute_dose"):
            dose = drug.get(key)
            if isinstance(dose, Mapping) and isinstance(dose.get("value"), int | float):
                given.add((float(dose["value"]), str(dose.get("unit") or "").replace("²", "2")))
    return given


def notes_without_other_doses(
    notes: Sequence[Any], drugs: Sequence[Mapping[str, Any]]
) -> list[str]:
    """An option's label notes without a sentence that names a dose this plan does not give
    (safety rule 3): "Monotherapy dose 200 mg twice daily" printed beside abemaciclib's decided
    100 mg while its partner was held (nurse walk). What was left out is said, with the doses
    the plan gives."""
    given = _doses_given(drugs)
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
                f"{drug_title(str(d.get('drug')))} {d['dose']['value']:g} {d['dose'].get('unit')}"
                for d in drugs
                if isinstance(d.get("dose"), Mapping)
                and isinstance(d["dose"].get("value"), int | float)
            )
            kept.append(
                "A dose named in the label notes is not printed: it is not this plan's"
                + (f" (this plan gives {plan_doses})." if plan_doses else " (no dose is given).")
            )
        out.append(" ".join(kept))
    return out


def warnings_as_printed(drug: Mapping[str, Any], option: Mapping[str, Any]) -> list[str]:
    """A drug's warnings as printed. With a partner drug held by the clinician, a sentence that
    names a dose other than this drug's is left out, saying so (safety rule 3): "Monotherapy
    dose 200 mg" beside abemaciclib's 150 mg, letrozole held, read as the dose to give now."""
    warnings = [str(w) for w in drug.get("warnings") or []]
    held = any(
        (d.get("decided") or {}).get("action") == "hold"
        for d in option.get("drugs") or []
        if isinstance(d, Mapping)
    )
    return notes_without_other_doses(warnings, [drug]) if held else warnings


def child_pugh_not_scored(hepatic: Mapping[str, Any]) -> str | None:
    """Why Child–Pugh has no class when the INR was recorded but measures her anticoagulant
    ("not scored: the INR measures apixaban"), else None (rx21 W4: it read "not recorded")."""
    anticoagulants = hepatic.get("child_pugh_inr_not_scored") or []
    if hepatic.get("child_pugh") or not anticoagulants:
        return None
    return "not scored: the INR measures " + text(", ".join(str(a) for a in anticoagulants))
