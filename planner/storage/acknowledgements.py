"""Acknowledgements of critical alerts: who read which alert of which plan, when, and a note.

Written once, never changed or deleted (triggers abort UPDATE and DELETE), each with its audit
entry in the same transaction, so `planner db check` replays them like plans.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from planner.storage import audit, worklist
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
        patient = db.execute(
            "SELECT a.patient_id FROM plans p JOIN assessments a ON a.id = p.assessment_id"
            " WHERE p.id = ?",
            [plan_id],
        )
        worklist.refresh(db.conn, [int(pid) for (pid,) in patient])
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
