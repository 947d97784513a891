"""The "why" of one plan line, in the order a clinician reads it.

What was found -> what it means -> what to do, then the sources as references (title and
section). Rule ids and the raw inputs are for checking the rule tables, not for the bedside:
they are shown only on demand (`show_rule_ids`). Any UNVERIFIED rule behind the line says so
in words. One builder for every panel that explains a plan line (review page, plan view).

A line is read from the typed plan document (planner.domain.plan_document): an alert, an
option or one of its drugs, a drug to avoid, a supportive problem, a referral, a gap, or a line
explained by its findings alone (`Explained`: her allergies, a drug of a cycle review).
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication

from planner.domain.frozen_value import frozen_value
from planner.domain.hard_limit_tables import STOP_STATUSES
from planner.domain.plan_document import (
    Alert,
    AvoidDrug,
    Basis,
    DrugRow,
    Gap,
    Referral,
    RegimenOption,
    SupportiveItem,
)
from planner.domain.plan_words import clinician_words, dose_words, field_words, say
from planner.services import rule_tables


def tr(text: str) -> str:
    return QCoreApplication.translate("why", text)


@frozen_value
class Explained:
    """A line explained by what was found alone, with the rules behind it."""

    reasons: tuple[str, ...]
    basis: tuple[Basis, ...] = ()


#: a plan line the why panel explains
Entry = Alert | RegimenOption | DrugRow | AvoidDrug | SupportiveItem | Referral | Gap | Explained


def basis_of(entry: Entry) -> tuple[Basis, ...]:
    """The rules behind a line (a gap has none: nothing was decided)."""
    return () if isinstance(entry, Gap) else entry.basis


def _alert_parts(alert: Alert) -> tuple[str, str]:
    """An alert's message as (what it means, what to do): its rows read "finding: action."
    before the " — " that introduces the reasons."""
    head = alert.message.split(" — ", 1)[0]
    means, _, action = head.partition(": ")
    return means.strip(), action.strip()


def _found(entry: Entry) -> list[str]:
    if isinstance(entry, Alert | SupportiveItem | Referral | Explained):
        lines = list(entry.reasons)
    elif isinstance(entry, AvoidDrug):
        lines = [entry.reason] if entry.reason else []
    else:
        lines = []
    if isinstance(entry, Gap) and entry.field:  # the field that was not recorded
        lines.insert(0, tr("{field}: not recorded").format(field=field_words(entry.field)))
    if not lines and isinstance(entry, Alert) and entry.code and entry.message:
        lines.append(entry.message.split(" — ", 1)[-1])
    return lines


def _means(entry: Entry) -> list[str]:
    lines: list[str] = []
    if isinstance(entry, Alert) and entry.level and entry.message:
        means, action = _alert_parts(entry)
        lines.append(means if action else entry.message.split(" — ", 1)[0])
    elif isinstance(entry, Alert) and entry.message:
        lines.append(entry.message.split(" — ", 1)[0])
    if isinstance(entry, Gap) and entry.effect:
        lines.append(entry.effect)
    if (
        isinstance(entry, RegimenOption)
        and entry.drugs
        and all(d.dose is None for d in entry.drugs)
    ):
        # an option none of whose drugs has a dose is not "standard", whatever its evidence
        lines.append(
            tr("Status: no drug of this option can be given now ({drugs}).").format(
                drugs="; ".join(f"{d.drug}: {say('status', d.status)}" for d in entry.drugs)
            )
        )
    elif isinstance(entry, RegimenOption | DrugRow) and entry.status:
        lines.append(tr("Status: {status}").format(status=say("status", entry.status)))
    if isinstance(entry, RegimenOption):
        # an option's notes say why it stands where it does (offered because every option of
        # her line is stopped, declined, MDT decision): on screen as in the printed appendix
        lines.extend(entry.notes)
    if isinstance(entry, SupportiveItem):
        # a suggested drug against the plan's other drugs (oxycodone beside a ribociclib
        # option): on screen as on the printed problem line and the option's row (misc23)
        said = " ".join(entry.interventions)
        lines.extend(i.message for i in entry.interactions if i.message and i.message not in said)
    if isinstance(entry, DrugRow):
        lines.extend(entry.warnings)
        if entry.stop_reason:
            lines.append(entry.stop_reason)
    return lines


def _to_do(entry: Entry) -> list[str]:
    lines: list[str] = []
    if isinstance(entry, DrugRow):
        if entry.absolute_dose is not None:
            absolute = entry.absolute_dose
            dose = absolute.text or dose_words(absolute.value, absolute.unit)
        elif entry.dose is not None:
            dose = dose_words(entry.dose.value, entry.dose.unit)
        else:
            dose = ""
        if dose:
            lines.append(dose + (f" — {entry.schedule}" if entry.schedule else ""))
        elif entry.drug and entry.status in STOP_STATUSES:
            lines.append(tr("Do not give."))
    if isinstance(entry, Alert) and entry.level and entry.message:
        action = _alert_parts(entry)[1]
        if action:  # the alert's own words: "same-day clinician review of suicide risk, ..."
            lines.append(action[:1].upper() + action[1:])
    if isinstance(entry, SupportiveItem):
        lines.extend(entry.interventions)
    if isinstance(entry, Referral) and entry.service:
        lines.append(
            tr("Refer to {service} ({urgency}).").format(
                service=say("service", entry.service),
                urgency=say("urgency", entry.urgency).lower(),
            )
        )
    if isinstance(entry, Gap) and entry.field:
        lines.append(
            tr("Record {field} to let the plan decide this.").format(field=field_words(entry.field))
        )
    return lines


def _sources(basis: Iterable[Basis]) -> list[tuple[str, bool]]:
    """(reference, verified) per distinct source behind the line, in order."""
    try:
        known = rule_tables.rules().sources
    except Exception:  # a rules problem is reported elsewhere; the panel still explains
        known = {}
    out: dict[str, bool] = {}
    for item in basis:
        if not item.source:
            continue
        found = known.get(item.source)
        # the fact cited, then its primary in words: "title — issuer, date, section"
        reference = clinician_words(
            f"{found.title}: {found.reference}" if found is not None else item.source
        )
        # unverified if the rule is, or if the fact is not yet checked in its primary
        verified = item.verified and (found is None or found.verified)
        out[reference] = out.get(reference, True) and verified
    return list(out.items())


def _section(title: str, lines: list[str]) -> str:
    if not lines:
        return ""
    # one place where every engine sentence becomes clinician words: no setting trace, rule id
    # or field path reaches the panel (rule ids: on demand, below)
    items = "".join(f"<li>{html.escape(clinician_words(line))}</li>" for line in lines)
    return f"<p><b>{html.escape(title)}</b></p><ul>{items}</ul>"


def _not_in(title: str, lines: list[str]) -> list[str]:
    """The lines the title above the panel does not already say word for word (walk 16d: "What
    it means" repeated the headline just read)."""
    said = clinician_words(title).casefold()
    return [line for line in lines if clinician_words(line).strip().casefold() not in said]


def why_html(entry: Entry, *, show_rule_ids: bool = False, title: str = "") -> str:
    """One plan line's why, as HTML for a QTextBrowser. `title`: the line as shown just above
    the panel; what it already says is not said again under "What it means"."""
    basis = basis_of(entry)
    means = _means(entry)
    parts = [
        _section(tr("What was found"), _found(entry)),
        _section(tr("What it means"), _not_in(title, means) if title else means),
        _section(tr("What to do"), _to_do(entry)),
    ]
    sources = _sources(basis)
    if sources:
        lines = [
            html.escape(reference)
            + (
                ""
                if verified
                else ' <span style="color:#b00020"><b>'
                + html.escape(tr("UNVERIFIED — confirm locally"))
                + "</b></span>"
            )
            for reference, verified in sources
        ]
        parts.append(
            f"<p><b>{html.escape(tr('Sources'))}</b></p><ul>"
            + "".join(f"<li>{line}</li>" for line in lines)
            + "</ul>"
        )
    else:
        parts.append(f"<p><i>{html.escape(tr('No rule is cited for this line.'))}</i></p>")
    if show_rule_ids and basis:
        rules = "".join(f"<li><code>{html.escape(b.rule)}</code></li>" for b in basis)
        parts.append(f"<p><b>{html.escape(tr('Rules'))}</b></p><ul>{rules}</ul>")
    return "".join(p for p in parts if p)
