"""The clinician section's "Current medicines": what she takes and what to do with each (§2a).

One row per medicine or remedy from the plan's `medications`: what was recorded (dose, route and
frequency as the nurse wrote them: not doses the plan gives), the action (continue, change, stop,
review) and every reason with its rules and numbered sources. Suggested drugs she is allergic to
follow. Kept in its own module: the clinician section calls `current_medicines_section` once.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable

from planner.domain.as_recorded import NOT_RECORDED, RECORDED_WORDS
from planner.domain.plan_document import Medication
from planner.domain.plan_words import MEDICINE_ACTIONS, clinician_words, unit_words
from planner.domain.vocabulary import MedicineAction
from planner.reports import styles
from planner.reports.allergies import allergies_words
from planner.reports.citations import References, cite
from planner.reports.formatting import number, text
from planner.reports.plan_input import Plan, document_of
from planner.reports.tables import grid, para

# what asks for a change is in bold
ACTION_WORDS = {
    action: f"<b>{words}</b>" if action in (MedicineAction.CHANGE, MedicineAction.STOP) else words
    for action, words in MEDICINE_ACTIONS.items()
}


def current_medicines_section(plan: Plan, width: float, refs: References) -> list[Flowable]:
    document = document_of(plan)
    medicines = document.medications
    allergies = [f for f in document.medication_findings if f.kind == "allergy"]
    # rule 2: "takes none" and "not recorded" are said apart, never left as an empty section
    # (a plan from before `medications_recorded` says neither)
    recorded = document.medications_recorded
    st = styles.clinician_styles()
    said: list[Flowable] = []
    if not medicines and recorded in RECORDED_WORDS:
        words = RECORDED_WORDS[recorded]
        if recorded == NOT_RECORDED:
            words += ": what she takes was not checked against this plan"
        said.append(para(f"<b>Current medicines:</b> {text(words)}.", st.body))
    # her allergies beside what she takes, whether or not one matched a suggestion (walk 16d)
    said.append(para(f"<b>Allergies:</b> {allergies_words(document, bold_severe=True)}", st.body))
    if not medicines and not allergies:
        return said  # two lines, no section of its own
    # never a heading alone at the foot of a page
    out: list[Flowable] = [CondPageBreak(5 * cm), para("Current medicines", st.h1), *said]
    if medicines:
        rows: list[list[Any]] = [["Medicine (as recorded)", "Action", "Why"]]
        for entry in medicines:
            reasons = "<br/>".join(f"• {text(clinician_words(r))}" for r in entry.reasons)
            why = reasons + (f"<br/><i>{cite(entry.basis, refs)}</i>" if entry.basis else "")
            action = entry.action
            shown = "–" if action is None else ACTION_WORDS.get(action, text(action))
            rows.append([_recorded(entry), shown, why or "–"])
        widths = [width * f for f in (0.25, 0.1, 0.65)]
        out.append(grid(rows, widths, styles.clinician_dense_styles(), split_in_row=12))
    for finding in allergies:
        out.append(
            para(
                f"<b>Allergy:</b> {text(clinician_words(finding.message))} — "
                f"{cite(finding.basis, refs)}",
                st.bullet,
                bulletText="•",
            )
        )
    return out


def _recorded(entry: Medication) -> str:
    """What the nurse recorded: the name, then dose, route, frequency and indication."""
    name = f"<b>{text(entry.drug or '?')}</b>"
    if entry.written:  # the brand she holds, beside the INN it was read as (print24)
        name += f" ({text(entry.written)})"
    if entry.kind == "remedy":
        return f"{name} (remedy)"
    parts = []
    if entry.dose is not None:
        parts.append(f"{number(entry.dose.value)} {unit_words(entry.dose.unit)}")
    parts += [part for part in (entry.route, entry.frequency) if part]
    line = name + (f" {text(' '.join(parts))}" if parts else " (dose not recorded)")
    if entry.indication:
        line += f"<br/>for {text(entry.indication)}"
    return line
