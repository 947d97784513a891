"""The clinician section's "Current medicines": what she takes and what to do with each (§2a).

One row per medicine or remedy from the plan's `medications`: what was recorded (dose, route and
frequency as the nurse wrote them: not doses the plan gives), the action (continue, change, stop,
review) and every reason with its rules and numbered sources. Suggested drugs she is allergic to
follow. Kept in its own module: the clinician section calls `current_medicines_section` once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable

from planner.domain.medicines import NOT_RECORDED, RECORDED_WORDS
from planner.domain.plan_words import MEDICINE_ACTIONS, clinician_words
from planner.domain.vocabulary import MedicineAction
from planner.reports import styles
from planner.reports.citations import References, cite
from planner.reports.formatting import number, text
from planner.reports.tables import grid, para

Plan = Mapping[str, Any]
# what asks for a change is in bold
ACTION_WORDS = {
    action: f"<b>{words}</b>" if action in (MedicineAction.CHANGE, MedicineAction.STOP) else words
    for action, words in MEDICINE_ACTIONS.items()
}


def current_medicines_section(plan: Plan, width: float, refs: References) -> list[Flowable]:
    medicines = plan.get("medications") or []
    allergies = [f for f in plan.get("medication_findings") or [] if f.get("kind") == "allergy"]
    # rule 2: "takes none" and "not recorded" are said apart, never left as an empty section
    # (a plan from before `medications_recorded` says neither)
    recorded = plan.get("medications_recorded")
    st = styles.clinician_styles()
    said: list[Flowable] = []
    if not medicines and recorded in RECORDED_WORDS:
        words = RECORDED_WORDS[recorded]
        if recorded == NOT_RECORDED:
            words += ": what she takes was not checked against this plan"
        said.append(para(f"<b>Current medicines:</b> {text(words)}.", st.body))
    if not medicines and not allergies:
        return said  # one line, no section of its own
    # never a heading alone at the foot of a page
    out: list[Flowable] = [CondPageBreak(5 * cm), para("Current medicines", st.h1), *said]
    if medicines:
        rows: list[list[Any]] = [["Medicine (as recorded)", "Action", "Why"]]
        for entry in medicines:
            reasons = "<br/>".join(
                f"• {text(clinician_words(r))}" for r in entry.get("reasons") or []
            )
            why = reasons + (
                f"<br/><i>{cite(entry.get('basis'), refs)}</i>" if entry.get("basis") else ""
            )
            rows.append(
                [
                    _recorded(entry),
                    ACTION_WORDS.get(entry.get("action"), text(entry.get("action") or "–")),
                    why or "–",
                ]
            )
        widths = [width * f for f in (0.25, 0.1, 0.65)]
        out.append(grid(rows, widths, styles.clinician_dense_styles(), split_in_row=12))
    for finding in allergies:
        out.append(
            para(
                f"<b>Allergy:</b> {text(clinician_words(finding.get('message')))} — "
                f"{cite(finding.get('basis'), refs)}",
                st.bullet,
                bulletText="•",
            )
        )
    return out


def _recorded(entry: Mapping[str, Any]) -> str:
    """What the nurse recorded: the name, then dose, route, frequency and indication."""
    name = f"<b>{text(entry.get('drug') or '?')}</b>"
    if entry.get("kind") == "remedy":
        return f"{name} (remedy)"
    dose = entry.get("dose")
    parts = []
    if isinstance(dose, Mapping):
        parts.append(f"{number(dose.get('value'))} {dose.get('unit')}")
    for key in ("route", "frequency"):
        if entry.get(key):
            parts.append(str(entry[key]))
    line = name + (f" {text(' '.join(parts))}" if parts else " (dose not recorded)")
    if entry.get("indication"):
        line += f"<br/>for {text(entry['indication'])}"
    return line
