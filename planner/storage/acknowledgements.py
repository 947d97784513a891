"""Acknowledgements of critical alerts: who read which alert of which plan, when, and a note.

Written once, never changed or deleted (triggers abort UPDATE and DELETE), each with its audit
entry in the same transaction, so `planner db check` replays them like plans.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from planner.storage import audit
from planner.storage.db import writing

if TYPE_CHECKING:
    import sqlite3

    from sqlite_utils import Database

COLUMNS = (
    "id",
    "plan_id",
    "alert_code",
    "alert_message",
    "note",
    "acknowledged_by",
    "acknowledged_at",
)


def add_acknowledgement(
    db: Database,
    plan_id: int,
    alert_code: str,
    alert_message: str,
    note: str | None,
    who: str,
) -> int:
    stamp = audit.now()
    row: dict[str, Any] = {
        "plan_id": plan_id,
        "alert_code": alert_code,
        "alert_message": alert_message,
        "note": note,
        "acknowledged_by": who,
        "acknowledged_at": stamp,
    }
    with writing(db):
        cursor = db.execute(
            f"INSERT INTO alert_acknowledgements ({', '.join(COLUMNS[1:])})"
            f" VALUES ({', '.join('?' * (len(COLUMNS) - 1))})",
            [row[c] for c in COLUMNS[1:]],
        )
        row = {"id": int(cursor.lastrowid or 0), **row}
        audit.append(
            db.conn,
            who,
            [
                audit.Change(
                    "alert_acknowledgements", str(row["id"]), "insert", None, row_snapshot(row)
                )
            ],
            stamp,
        )
    return int(row["id"])


def row_snapshot(row: dict[str, Any]) -> str:
    """The row as the audit log keeps it."""
    return audit.snapshot(row)


def for_patient(conn: sqlite3.Connection, patient_id: int) -> list[dict[str, Any]]:
    """Every acknowledgement of the patient's plans, oldest first, with the plan's assessment."""
    cursor = conn.execute(
        f"SELECT {', '.join('k.' + c for c in COLUMNS)}, p.assessment_id"
        " FROM alert_acknowledgements k JOIN plans p ON p.id = k.plan_id"
        " JOIN assessments a ON a.id = p.assessment_id WHERE a.patient_id = ? ORDER BY k.id",
        [patient_id],
    )
    return [dict(zip((*COLUMNS, "assessment_id"), row, strict=True)) for row in cursor]


def patients_with_critical_alerts(conn: sqlite3.Connection) -> list[str]:
    """MRNs of the patients whose latest plan of some assessment has a critical alert that no
    acknowledgement names (same assessment, code and engine wording), in one query over the
    plain connection (the patient list reads it at start-up).

    A superset of `domain.critical_alerts.open_critical_alerts`: a decision can scope an alert
    away (an allergy to a drug the decided course does not give), which only the domain knows;
    `services.PatientRecord.patients_with_open_alerts` confirms each MRN found here."""
    cursor = conn.execute(
        """
        WITH latest AS (SELECT max(id) AS id FROM plans GROUP BY assessment_id)
        SELECT DISTINCT pt.mrn
        FROM latest
        JOIN plans p ON p.id = latest.id
        JOIN assessments a ON a.id = p.assessment_id
        JOIN patients pt ON pt.id = a.patient_id,
             json_each(p.plan_json, '$.alerts') AS alert
        WHERE json_extract(alert.value, '$.level') = 'critical'
          AND NOT EXISTS (
              SELECT 1 FROM alert_acknowledgements k JOIN plans q ON q.id = k.plan_id
              WHERE q.assessment_id = p.assessment_id
                AND k.alert_code = json_extract(alert.value, '$.code')
                AND k.alert_message = coalesce(json_extract(alert.value, '$.message'), '')
          )
        ORDER BY pt.mrn
        """
    )
    return [str(row[0]) for row in cursor]
