"""The plan's full text on screen (the plan window's "Plan text" tab).

The printed clinician summary shortens long alerts and supportive-care interventions and says
where the full text is: here. Every line of the plan as decided, each with its why (what was
found, what it means, what to do, its sources: planner/ui/why.py), every intervention whole.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

from planner.domain.decision import decision_summary
from planner.domain.lab_deltas import confirmation_words
from planner.domain.plan_document import FollowUp, SupportiveItem, read_plan
from planner.domain.plan_words import clinician_words, say, severity_with_cause
from planner.domain.symptoms import UNSCORED
from planner.ui.why import Entry, why_html
from planner.ui.wizard.pages.review import plan_items


def tr(text: str) -> str:
    return QCoreApplication.translate("plan_text", text)


def _title(line: str, entry: Entry) -> str:
    """A line's title: a supportive-care problem by its name and severity (its interventions
    follow, whole, under "What to do"), anything else as the review page names it."""
    if isinstance(entry, SupportiveItem):
        cause = {"severity": entry.severity, "reasons": entry.reasons}
        return f"{say('problem', entry.problem)} ({severity_with_cause(cause, UNSCORED)})"
    return clinician_words(line.strip())


def _follow_up(follow: FollowUp | None) -> str:
    if follow is None:
        return ""
    lines = [clinician_words(m) for m in follow.monitoring]
    lines += [clinician_words(r) for r in follow.review_reasons]
    if not lines:
        return ""
    days = follow.next_review_days
    head = "" if days is None else tr("Next review in {days} days.").format(days=days)
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return (
        f"<h2>{html.escape(tr('Monitoring and follow-up'))}</h2>"
        + (f"<p>{html.escape(head)}</p>" if head else "")
        + f"<ul>{items}</ul>"
    )


def plan_text_html(plan: Mapping[str, Any], date_format: str) -> str:
    """The plan as decided (planner.domain.decision.decided_plan), whole, as HTML."""
    parts = [
        f"<p><b>{html.escape(decision_summary(plan, date_format))}</b></p>",
        "<p><i>"
        + html.escape(tr("The program suggests; the clinician decides. Full text of every line."))
        + "</i></p>",
    ]
    document = read_plan(plan)
    confirmed = [confirmation_words(c, date_format) for c in document.lab_confirmations]
    if confirmed:  # a result that jumped, confirmed as typed (issue 16)
        parts.append(
            f"<h2>{html.escape(tr('Results confirmed as typed'))}</h2><ul>"
            + "".join(f"<li>{html.escape(line)}</li>" for line in confirmed)
            + "</ul>"
        )
    # the review page's lines and the why panel explain each line of the read document
    for heading, entries in plan_items(document):
        parts.append(f"<h2>{html.escape(tr(heading))}</h2>")
        for line, evidence in entries:
            level = "h4" if line.startswith(" ") else "h3"  # a drug under its option
            title = _title(line, evidence)
            parts.append(f"<{level}>{html.escape(title)}</{level}>")
            parts.append(why_html(evidence, title=title))
    parts.append(_follow_up(document.follow_up))
    return "".join(p for p in parts if p)
