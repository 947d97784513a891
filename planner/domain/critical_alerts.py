"""Critical alerts that stay on a patient's record until a named person acknowledges them.

A critical alert (suicide risk, a current therapy that must stop, an allergy to a drug the plan
gives, …) is shown as a banner on the record and the plan until someone acknowledges it by name.
Which plans count: the latest kept plan of each assessment (a decision or a new version is a
new plan row of the same assessment; older rows are history), with its decision applied, so an
alert about a drug the decided course does not give has gone as it has from the print.

An acknowledgement covers the same alert (code and the engine's wording) of any plan of the
same assessment: a decision made after the nurse acknowledged does not raise the banner again,
but a new finding (a new assessment, or other wording because the rules or settings changed)
does, since that is something nobody has read yet.

A later plan of the same patient carries each alert still open (`carry_open_alerts`): the alert
itself "carried from the assessment of DATE, not acknowledged", and the earliest review of the
plan that raised it. A second assessment the same day with the psychosocial page left blank
otherwise gave a plan with no banner, no crisis box and a 28-day review while the suicide-risk
alert was still unread. A carried alert is a copy: it is acknowledged on its own assessment's
plan, so `open_critical_alerts` lists the original only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from planner.domain.dates import DEFAULT_DATE_FORMAT, show_date
from planner.domain.decision import decided_plan
from planner.domain.follow_up import PSYCHOSOCIAL_NOT_RECORDED
from planner.domain.frozen_value import frozen_value
from planner.domain.stored import StoredPlan

#: critical alerts acknowledged only with a note of what was done (walk 21 F18): for a risk to
#: her life, "read" alone records nothing of the call, the safety plan or who was told
NOTE_REQUIRED = frozenset({"suicide_risk"})


@frozen_value
class OpenAlert:
    """A critical alert of a kept plan that no one has acknowledged yet."""

    plan_id: int
    assessment_id: int
    assessed_on: str
    code: str
    message: str  # as shown (the plan as decided)
    engine_message: str  # what an acknowledgement names (stable across decisions)


def alert_key(assessment_id: int, code: str, engine_message: str) -> tuple[int, str, str]:
    return (int(assessment_id), str(code), str(engine_message))


def open_critical_alerts(
    plans: Iterable[tuple[StoredPlan, str]], acknowledged: Iterable[Mapping[str, Any]]
) -> tuple[OpenAlert, ...]:
    """The unacknowledged critical alerts of a patient's plans, newest assessment first.

    `plans`: kept plans, each with the day of its assessment (ISO);
    `acknowledged`: acknowledgements (keys `assessment_id`, `alert_code`, `alert_message`).
    """
    latest: dict[int, tuple[StoredPlan, str]] = {}
    for kept, assessed_on in plans:
        assessment = kept.assessment_id
        if assessment not in latest or kept.id > latest[assessment][0].id:
            latest[assessment] = (kept, assessed_on)
    done = {
        alert_key(a["assessment_id"], a["alert_code"], a["alert_message"]) for a in acknowledged
    }
    found: list[OpenAlert] = []
    for assessment, (kept, assessed_on) in latest.items():
        document = kept.plan
        engine = {
            str(a.get("code")): str(a.get("message") or "")
            for a in document.get("alerts") or ()
            if a.get("level") == "critical"
        }
        for alert in decided_plan(document).get("alerts") or ():
            if alert.get("level") != "critical" or alert.get("carried_from"):
                continue
            code = str(alert.get("code"))
            shown = str(alert.get("message") or "")
            named = engine.get(code, shown)
            if alert_key(assessment, code, named) in done:
                continue
            found.append(
                OpenAlert(
                    kept.id,
                    assessment,
                    assessed_on,
                    code,
                    shown,
                    named,
                )
            )
    found.sort(key=lambda a: (a.assessed_on, a.plan_id), reverse=True)
    return tuple(found)


def carry_open_alerts(
    plan: Mapping[str, Any],
    assessed_on: str,
    open_alerts: Iterable[OpenAlert],
    origins: Mapping[int, Mapping[str, Any]],
    date_format: str = DEFAULT_DATE_FORMAT,
) -> dict[str, Any]:
    """`plan` (a new plan of an assessment of `assessed_on`, ISO) with the patient's open
    critical alerts of her other assessments carried in: each as a critical alert "carried from
    the assessment of DATE, not acknowledged", and the review of the plan that raised it
    (`origins`: plan id -> that plan's document) when it falls earlier: its days less the days
    since, never below 0 (a same-day review stays same-day)."""
    out = dict(plan)
    alerts = list(out.get("alerts") or ())
    follow = dict(out.get("follow_up") or {})
    days = follow.get("next_review_days")
    reasons = list(follow.get("review_reasons") or ())
    carried_any = False
    for alert in open_alerts:
        if alert.assessed_on > assessed_on:
            continue  # a later assessment's alert is not this plan's past
        origin = decided_plan(origins.get(alert.plan_id) or {})
        on = show_date(alert.assessed_on, date_format)
        first: Mapping[str, Any] = next(
            (a for a in origin.get("alerts") or () if a.get("code") == alert.code),
            {},
        )
        carried = {
            **{k: v for k, v in first.items() if k in ("field", "basis", "reasons")},
            "code": alert.code,
            "level": "critical",
            "message": f"Carried from the assessment of {on}, not acknowledged: {alert.message}",
            "carried_from": {
                "assessment_id": alert.assessment_id,
                "assessed_on": alert.assessed_on,
                "plan_id": alert.plan_id,
            },
        }
        if carried["message"] in {a.get("message") for a in alerts}:
            continue
        alerts.insert(0, carried)
        carried_any = True
        before = (origin.get("follow_up") or {}).get("next_review_days")
        if not isinstance(before, int) or isinstance(before, bool):
            continue
        since = (dt.date.fromisoformat(assessed_on) - dt.date.fromisoformat(alert.assessed_on)).days
        left = max(0, before - since)
        why = [
            f"carried from the assessment of {on} (critical alert not acknowledged): {r}"
            for r in (origin.get("follow_up") or {}).get("review_reasons") or ()
        ] or [f"carried from the assessment of {on} (critical alert not acknowledged)"]
        if not isinstance(days, int) or isinstance(days, bool) or left < days:
            # The earlier review replaces the reasons for a later one; a gap stays said.
            gaps = [r for r in reasons if r.startswith(PSYCHOSOCIAL_NOT_RECORDED)]
            days, reasons = left, why + gaps
        elif left == days:
            reasons += [r for r in why if r not in reasons]
    if not carried_any:
        return out
    # The routine-interval line no longer holds: an earlier review is due.
    reasons = [r for r in reasons if not r.startswith("no trigger for an earlier review")]
    out["alerts"] = alerts
    out["follow_up"] = {**follow, "next_review_days": days, "review_reasons": reasons}
    return out
