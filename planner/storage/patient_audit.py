"""One patient's entries of the audit log (issue 20 item 3: "shows in the audit"), for the
record's read-only audit view: every audited row that belongs to her or to a patient merged into
her — her patient row, her assessments, their plans and alert acknowledgements, amendments,
merges and retirements, review-date changes, and her treatment courses with their reviews,
cycles and stops. The log itself is `storage.audit` (append-only, hash-chained).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from planner.storage.corrections import patient_family

#: audited table -> how its rows belong to the patient: the row's own id ("id") or a key of its
#: snapshot; the set of ids it is checked against
_BY_ROW = {
    "patients": "patients",
    "assessments": "assessments",
    "plans": "plans",
    "treatment_courses": "courses",
}
_BY_KEY = {
    "alert_acknowledgements": (("plan_id", "plans"),),
    "assessment_amendments": (("amended_id", "assessments"),),
    "patient_merges": (("merged_id", "patients"), ("surviving_id", "patients")),
    "patient_retirements": (("patient_id", "patients"),),
    "review_changes": (("patient_id", "patients"),),
    "course_reviews": (("course_id", "courses"),),
    "course_cycles": (("course_id", "courses"),),
    "course_stops": (("course_id", "courses"),),
}


def _ids(conn: sqlite3.Connection, sql: str, among: list[int]) -> list[int]:
    if not among:
        return []
    marks = ",".join("?" * len(among))
    return [int(i) for (i,) in conn.execute(sql.format(marks=marks), among)]


def patient_entries(conn: sqlite3.Connection, patient_id: int) -> list[dict[str, Any]]:
    """Her audit entries, oldest first: id, at, who, table_name, row_key, action, and the row
    before and after the change (parsed JSON; None where there is none)."""
    ids: dict[str, list[int]] = {"patients": patient_family(conn, patient_id)}
    ids["assessments"] = _ids(
        conn, "SELECT id FROM assessments WHERE patient_id IN ({marks})", ids["patients"]
    )
    ids["plans"] = _ids(
        conn, "SELECT id FROM plans WHERE assessment_id IN ({marks})", ids["assessments"]
    )
    ids["courses"] = _ids(
        conn, "SELECT id FROM treatment_courses WHERE patient_id IN ({marks})", ids["patients"]
    )
    clauses: list[str] = []
    params: list[Any] = []
    for table, group in _BY_ROW.items():
        if ids[group]:
            clauses.append(f"(table_name = ? AND row_key IN ({','.join('?' * len(ids[group]))}))")
            params += [table, *(str(i) for i in ids[group])]
    for table, keys in _BY_KEY.items():
        for key, group in keys:
            if ids[group]:
                clauses.append(
                    f"(table_name = ? AND CAST(json_extract(after_json, '$.{key}') AS INTEGER)"
                    f" IN ({','.join('?' * len(ids[group]))}))"
                )
                params += [table, *ids[group]]
    if not clauses:
        return []
    cursor = conn.execute(
        "SELECT id, at, who, table_name, row_key, action, before_json, after_json"
        f" FROM audit_log WHERE {' OR '.join(clauses)} ORDER BY id",
        params,
    )
    return [
        {
            "id": int(row[0]),
            "at": row[1],
            "who": row[2],
            "table_name": row[3],
            "row_key": row[4],
            "action": row[5],
            "before": None if row[6] is None else json.loads(row[6]),
            "after": None if row[7] is None else json.loads(row[7]),
        }
        for row in cursor
    ]
