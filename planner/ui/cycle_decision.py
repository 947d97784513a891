"""The suggested decision of a cycle review in words, as the course window's results pane shows it
(issue 19): the cycle, each drug's action and dose with why, its rules and sources, what to wait
for, what is missing to decide (named by the entry form's own captions) and the cycle's alerts.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from planner.domain.plan_document import read_plan
from planner.domain.plan_words import clinician_words, dose_words, field_words
from planner.services import cycle_sheets, review_fields
from planner.ui.why import Explained, why_html

ACTION_WORDS = {
    "continue": "give, same dose",
    "reduce": "give, reduced dose",
    "increase": "give, higher dose",
    "hold": "hold (delay the cycle)",
    "discontinue": "discontinue",
    "insufficient_data": "not decided: results missing (no dose)",
}
DECISION_WORDS = {
    "give": "Give this cycle",
    "delay": "Delay this cycle",
    "stop": "Stop the course",
    "insufficient_data": "Not decided: results are missing",
}

#: a review of a day inside the cycle (day 8, day 15) decides that day's dose, not a cycle
#: (walk 24 HARM 1: "Give this cycle — cycle 2, day 8" for a day-8 reduction)
DAY_DECISION_WORDS = {
    **DECISION_WORDS,
    "give": "Give this day's dose",
    "delay": "Hold this day's dose",
}


def decision_html(
    plan: dict[str, Any], caption: Callable[[str], str | None] = lambda _path: None
) -> str:
    """The suggested decision: the cycle, then each drug (action, dose, why, sources), then
    what to wait for and the gaps that stop a decision — each named in words, by the form's
    own caption where the form asks it (`caption`: a field path -> the form's caption)."""
    document = read_plan(plan)
    next_cycle = document.next_cycle
    if next_cycle is None:
        raise ValueError("the plan has no next_cycle: no cycle review to show")
    words = DECISION_WORDS if (next_cycle.day or 1) == 1 else DAY_DECISION_WORDS
    decision = next_cycle.drug_by_drug() or words.get(next_cycle.decision, next_cycle.decision)
    parts = [f"<h3>{html.escape(decision)} — cycle {next_cycle.cycle}, day {next_cycle.day}</h3>"]
    for drug in next_cycle.drugs:
        dose = drug.dose
        shown = (
            f"{dose_words(dose.value, dose.unit)} ({drug.percent_of_starting:g} % of starting)"
            if dose is not None
            else "restart dose not decided"
            if drug.action == "hold"
            else "no dose"
        )
        action = ACTION_WORDS.get(drug.action, drug.action)
        parts.append(
            f"<p><b>{html.escape(drug.drug)}</b>: {html.escape(action)} — {html.escape(shown)}</p>"
        )
        # the why panel explains the drug's line by its findings (planner/ui/why.py)
        parts.append(why_html(Explained(drug.reasons, drug.basis)))
        rules = dict.fromkeys(b.rule for b in drug.basis)
        if rules:
            parts.append(
                "<p><b>Rules:</b> "
                + ", ".join(f"<code>{html.escape(r)}</code>" for r in rules)
                + "</p>"
            )
    if next_cycle.resume_when:
        parts.append(
            "<p><b>Give when:</b> " + html.escape("; ".join(next_cycle.resume_when)) + "</p>"
        )
    if next_cycle.recheck_in_days:
        parts.append(f"<p><b>Repeat the blood tests in {next_cycle.recheck_in_days} days.</b></p>")
    # the first plan's other options are not this course: their drugs' gaps are left out
    # (walk 21 F14: a vinorelbine course listed capecitabine's, carboplatin's and eribulin's
    # neutrophil cut-offs), wherever the gap names the drug ("not recorded: capecitabine is
    # not given at …"), unless it names a drug of the course too
    course_drugs = {d.drug for d in next_cycle.drugs}
    others = {
        row.drug
        for option in document.options  # a hidden option or a drug to avoid lists no drugs
        for row in option.drugs
        if row.drug and row.drug not in course_drugs
    }

    def other_drugs_only(effect: str) -> bool:
        # a course drug named only inside another drug's name is not named ("doxorubicin" in
        # "pegylated liposomal doxorubicin")
        rest = effect
        for drug in sorted(others, key=len, reverse=True):
            rest = rest.replace(drug, "")
        return rest != effect and not any(drug in rest for drug in course_drugs)

    # a gap elsewhere in her record that names a drug of the course is this decision's too
    # (rx23 F2: mediastinal radiotherapy not recorded, which the anthracycline ledger needs)
    gaps = [
        g
        for g in document.gaps
        if (
            g.field.startswith(("labs", "treatment"))
            or g.field in review_fields.ASKED_FIELDS
            or any(drug in g.effect for drug in course_drugs)
        )
        and not other_drugs_only(g.effect)
        # a result the form asks only for other drugs (INR on a paclitaxel course) is no gap
        # of this course's decision unless a drug of it names it
        and (
            g.field not in review_fields.ASKED_FIELDS
            or caption(g.field) is not None
            or any(drug in g.effect for drug in course_drugs)
        )
    ]
    if next_cycle.decision == "insufficient_data" and gaps:
        effects: dict[str, list[str]] = {}
        for gap in gaps:
            said = clinician_words(gap.effect).replace("; no dose is printed", "")
            effects.setdefault(gap.field, [])
            if said not in effects[gap.field]:
                effects[gap.field].append(said)
        items = []
        for field, found in effects.items():
            named = caption(field)
            where = (
                f"<b>{html.escape(named)}</b> — fill it in on the left"
                if named
                else f"<b>{html.escape(field_words(field))}</b> — not asked here: record it in "
                "her assessment"
            )
            items.append(f"<li>{where}: {html.escape('; '.join(found))}</li>")
        # first, under the heading: what to fill in is what the nurse looks for
        parts.insert(1, "<p><b>Missing — fill in to decide:</b></p><ul>" + "".join(items) + "</ul>")
    restart = [g for g in gaps if g.effect.startswith("restart dose: needs ")]
    if restart:
        parts.append(
            "<p><b>Before she restarts:</b></p><ul>"
            + "".join(f"<li>{html.escape(g.effect)}</li>" for g in restart)
            + "</ul>"
        )
    # the review's notes (a carried LVEF's date and age, due or not): printed on the sheet too
    for note in next_cycle.notes:
        parts.append(f"<p><i>{html.escape(clinician_words(note))}</i></p>")
    for alert in document.alerts:
        if alert.code in cycle_sheets.CYCLE_ALERTS:
            parts.append(
                f'<p style="color:#b00020"><b>{html.escape(str(alert.level).upper())}</b> '
                f"{html.escape(alert.message)}</p>"
            )
    return "".join(parts)
