"""A patient's audit log in words, for the record's read-only audit view (issue 20 item 3): each
entry's when, who, what and why — an assessment added or amended (with the reason), a plan kept
or decided (the choice and its reason), a merge or a retirement (the reason), a review date
changed, a course started, a cycle review signed (confirmed or overridden, with the reason), a
cycle given, a course stopped. The entries are the log's own (storage.patient_audit); nothing
here changes the record.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.domain.case_changes import changed_fields, shown
from planner.domain.frozen_value import frozen_value
from planner.domain.plan_words import field_words, spaced
from planner.domain.problems import InputInvalid, Problem
from planner.services.patient_record import PatientRecord
from planner.storage import patients
from planner.storage.patient_audit import patient_entries


@frozen_value
class AuditLine:
    """One audit entry as the view shows it."""

    entry: int  # the log's id
    at: str  # UTC, ISO (as logged)
    who: str
    what: str
    why: str  # the reason given, where the change has one ("" otherwise)


def patient_audit(record: PatientRecord, mrn: str) -> list[AuditLine]:
    """Her audit entries (and those of patients merged into her), oldest first, in words.
    An MRN not in the record is InputInvalid naming `patient`."""
    found = patients.find_by_mrn(record.database, mrn)
    if found is None:
        raise InputInvalid((Problem("patient", f'"{mrn}" is not in the record'),))
    entries = patient_entries(record.database.conn, int(found["id"]))
    return [
        AuditLine(e["id"], str(e["at"]), str(e["who"]), *describe(e, _changes(record, e)))
        for e in entries
    ]


def _changes(record: PatientRecord, entry: Mapping[str, Any]) -> str:
    """An amendment's changed fields in words ("albumin value 31 → 27"); "" for other entries
    (walk 21 F7: the log said only which version replaced which)."""
    if entry["table_name"] != "assessment_amendments":
        return ""
    row = _row(entry)
    old, new = record.case(int(row["amended_id"])), record.case(int(row["amendment_id"]))
    if old is None or new is None:
        return ""
    return "; ".join(
        f"{field_words(path)} {shown(was)} → {shown(now)}"
        for path, was, now in changed_fields(old, new)
    )


def _row(entry: Mapping[str, Any], side: str = "after") -> Mapping[str, Any]:
    found = entry.get(side)
    return found if isinstance(found, Mapping) else {}


def describe(entry: Mapping[str, Any], changes: str = "") -> tuple[str, str]:
    """(what, why) of one audit entry; `changes`: an amendment's changed fields in words."""
    table, key, action = entry["table_name"], entry["row_key"], entry["action"]
    row = _row(entry)
    reason = str(row.get("reason") or "")
    if table == "patients":
        if action == "insert":
            return f"patient registered: MRN {row.get('mrn', '')}", ""
        before = _row(entry, "before")
        changed = sorted(k for k in row if before.get(k) != row.get(k))
        return f"patient details changed: {', '.join(changed) or 'none'}", ""
    if table == "assessments":
        if action == "update":
            before = _row(entry, "before")
            if before.get("patient_id") != row.get("patient_id"):
                return f"assessment {key} moved to the surviving patient (merge)", ""
            return f"assessment {key} changed", ""
        return f"assessment {key} added (assessed {row.get('assessed_on', '?')})", ""
    if table == "assessment_amendments":
        what = f" ({changes})" if changes else ""
        return (
            f"assessment {row.get('amended_id')} amended{what}: the corrected version is "
            f"assessment {row.get('amendment_id')}",
            reason,
        )
    if table == "plans":
        return _plan(key, row)
    if table == "alert_acknowledgements":
        # the alert as the plan said it, never its code (walk 21 F7: "alert suicide_risk")
        alert = str(row.get("alert_message") or "") or spaced(row.get("alert_code"))
        return (
            f"critical alert acknowledged on plan {row.get('plan_id')}: {alert}",
            str(row.get("note") or ""),
        )
    if table == "patient_merges":
        return (
            f"patient record {row.get('merged_id')} merged into {row.get('surviving_id')}",
            reason,
        )
    if table == "patient_retirements":
        state = "retired (entered by mistake)" if row.get("retired") else "shown again"
        return f"patient {state}", reason
    if table == "review_changes":
        return f"next review date set to {row.get('due_on', '')}", reason
    if table == "treatment_courses":
        return (
            f"treatment course {key} started: {row.get('regimen', '')} from plan "
            f"{row.get('plan_id')}, on {row.get('started_on', '')}",
            "",
        )
    if table == "course_reviews":
        decided = row.get("decided_json") or row.get("decided") or {}
        decision = decided.get("decision", "") if isinstance(decided, Mapping) else ""
        return (
            f"cycle {row.get('cycle')} review signed ({row.get('outcome', '')}): {decision}",
            str(row.get("reason") or ""),
        )
    if table == "course_cycles":
        from planner.storage.courses import at_delay

        drugs = row.get("drugs_json") or row.get("drugs") or []
        if isinstance(drugs, list) and at_delay(d for d in drugs if isinstance(d, Mapping)):
            # what a delay gave today; the delayed cycle is still to come (walk 23 #7)
            words = ", ".join(
                f"{d.get('drug')} delayed" if d.get("delayed") else f"{d.get('drug')} given"
                for d in drugs
                if isinstance(d, Mapping)
            )
            return (
                f"at the delay of cycle {row.get('cycle')}, on {row.get('given_on', '')}: {words}",
                "",
            )
        return f"cycle {row.get('cycle')} recorded as given on {row.get('given_on', '')}", ""
    if table == "course_stops":
        return f"treatment course stopped on {row.get('stopped_on', '')}", reason
    return f"{table} {key}: {action}", reason


def _plan(key: str, row: Mapping[str, Any]) -> tuple[str, str]:
    plan = row.get("plan_json")
    decision = plan.get("decision") if isinstance(plan, Mapping) else None
    if not isinstance(decision, Mapping):
        return f"plan {key} made for assessment {row.get('assessment_id')}", ""
    chosen = decision.get("regimen") or decision.get("course") or ""
    return (
        f"plan {key} decided: {chosen} (by {decision.get('decided_by', '')})",
        str(decision.get("reason") or ""),
    )
