"""The "why" of one plan line, in the order a clinician reads it.

What was found -> what it means -> what to do, then the sources as references (title and
section). Rule ids and the raw inputs are for checking the rule tables, not for the bedside:
they are shown only on demand (`show_rule_ids`). Any UNVERIFIED rule behind the line says so
in words. One builder for every panel that explains a plan line (review page, plan view).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

from planner.domain.hard_limit_tables import STOP_STATUSES
from planner.domain.plan_words import clinician_words, dose_words, field_words, say
from planner.services import rule_tables


def tr(text: str) -> str:
    return QCoreApplication.translate("why", text)


def _list(value: Any) -> list[str]:
    if not value:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def _is_gap(entry: Mapping[str, Any]) -> bool:
    """A gap names a field that was not recorded. An alert may name the field it is about
    (suicide_risk: psychosocial.phq9, which WAS recorded): it is a finding, never a gap."""
    return bool(entry.get("field")) and not entry.get("level")


def _alert_parts(entry: Mapping[str, Any]) -> tuple[str, str]:
    """An alert's message as (what it means, what to do): its rows read "finding: action."
    before the " — " that introduces the reasons."""
    head = str(entry.get("message") or "").split(" — ", 1)[0]
    means, _, action = head.partition(": ")
    return means.strip(), action.strip()


def _found(entry: Mapping[str, Any]) -> list[str]:
    lines = _list(entry.get("reasons")) or _list(entry.get("reason"))
    if _is_gap(entry):  # the field that was not recorded
        lines.insert(0, tr("{field}: not recorded").format(field=field_words(entry["field"])))
    if not lines and entry.get("code") and entry.get("message"):
        lines.append(str(entry["message"]).split(" — ", 1)[-1])
    return lines


def _means(entry: Mapping[str, Any]) -> list[str]:
    lines: list[str] = []
    if entry.get("level") and entry.get("message"):
        means, action = _alert_parts(entry)
        lines.append(means if action else str(entry["message"]).split(" — ", 1)[0])
    elif entry.get("message"):
        lines.append(str(entry["message"]).split(" — ", 1)[0])
    if entry.get("effect"):
        lines.append(str(entry["effect"]))
    drugs = [d for d in entry.get("drugs") or () if isinstance(d, Mapping)]
    if drugs and all(d.get("dose") is None for d in drugs):
        # an option none of whose drugs has a dose is not "standard", whatever its evidence
        lines.append(
            tr("Status: no drug of this option can be given now ({drugs}).").format(
                drugs="; ".join(f"{d.get('drug')}: {say('status', d.get('status'))}" for d in drugs)
            )
        )
    elif entry.get("status"):
        lines.append(tr("Status: {status}").format(status=say("status", entry["status"])))
    lines.extend(_list(entry.get("warnings")))
    if entry.get("stop_reason"):
        lines.append(str(entry["stop_reason"]))
    return lines


def _to_do(entry: Mapping[str, Any]) -> list[str]:
    lines: list[str] = []
    dose = entry.get("absolute_dose") or entry.get("dose")
    if isinstance(dose, Mapping) and dose.get("value") is not None:
        lines.append(
            str(dose.get("text") or dose_words(dose["value"], dose.get("unit", "")))
            + (f" — {entry['schedule']}" if entry.get("schedule") else "")
        )
    elif entry.get("drug") and entry.get("status") in STOP_STATUSES:
        lines.append(tr("Do not give."))
    if entry.get("level") and entry.get("message"):
        action = _alert_parts(entry)[1]
        if action:  # the alert's own words: "same-day clinician review of suicide risk, ..."
            lines.append(action[:1].upper() + action[1:])
    lines.extend(_list(entry.get("interventions")))
    if entry.get("service"):
        lines.append(
            tr("Refer to {service} ({urgency}).").format(
                service=say("service", entry["service"]),
                urgency=say("urgency", entry.get("urgency")).lower(),
            )
        )
    if _is_gap(entry):
        lines.append(
            tr("Record {field} to let the plan decide this.").format(
                field=field_words(entry["field"])
            )
        )
    return lines


def _sources(basis: Iterable[Mapping[str, Any]]) -> list[tuple[str, bool]]:
    """(reference, verified) per distinct source behind the line, in order."""
    try:
        known = rule_tables.rules().sources
    except Exception:  # a rules problem is reported elsewhere; the panel still explains
        known = {}
    out: dict[str, bool] = {}
    for item in basis:
        names = item.get("sources") or item.get("source") or []
        for name in names if isinstance(names, list) else [names]:
            found = known.get(str(name))
            # the fact cited, then its primary in words: "title — issuer, date, section"
            reference = clinician_words(
                f"{found.title}: {found.reference}" if found is not None else str(name)
            )

            # unverified if the rule is, or if the fact is not yet checked in its primary
            verified = bool(item.get("verified", True)) and (found is None or found.verified)
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


def why_html(entry: Mapping[str, Any], *, show_rule_ids: bool = False, title: str = "") -> str:
    """One plan line's why, as HTML for a QTextBrowser. `title`: the line as shown just above
    the panel; what it already says is not said again under "What it means"."""
    basis = [b for b in entry.get("basis") or [] if isinstance(b, Mapping)]
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
        rules = "".join(
            f"<li><code>{html.escape(str(b.get('rule', '')))}</code></li>" for b in basis
        )
        parts.append(f"<p><b>{html.escape(tr('Rules'))}</b></p><ul>{rules}</ul>")
    return "".join(p for p in parts if p)
