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
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from planner.domain.decision import decided_plan
from planner.domain.frozen_value import frozen_value
from planner.domain.stored import StoredPlan


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
            if alert.get("level") != "critical":
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
