"""Plans: written once, never changed or deleted (triggers abort UPDATE and DELETE)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from planner.storage import audit, worklist
from planner.storage.db import writing

if TYPE_CHECKING:
    from sqlite_utils import Database

COLUMNS = (
    "id",
    "assessment_id",
    "plan_json",
    "pdf_sha256",
    "rules_version",
    "settings_json",
    "made_by",
    "made_at",
)


def add_plan(
    db: Database,
    assessment_id: int,
    plan: dict[str, Any],
    *,
    pdf_sha256: str | None,
    rules_version: str,
    settings: dict[str, Any],
    who: str,
) -> int:
    stamp = audit.now()
    row: dict[str, Any] = {
        "assessment_id": assessment_id,
        "plan_json": audit.canonical_json(plan),
        "pdf_sha256": pdf_sha256,
        "rules_version": rules_version,
        "settings_json": audit.canonical_json(settings),
        "made_by": who,
        "made_at": stamp,
    }
    with writing(db):
        cursor = db.execute(
            f"INSERT INTO plans ({', '.join(COLUMNS[1:])}) VALUES ({', '.join('?' * 7)})",
            [row[c] for c in COLUMNS[1:]],
        )
        row = {"id": int(cursor.lastrowid or 0), **row}
        snapshot = row_snapshot(row)
        audit.append(
            db.conn, who, [audit.Change("plans", str(row["id"]), "insert", None, snapshot)], stamp
        )
        worklist.refresh(db.conn, _patient_of(db, assessment_id))
    return int(row["id"])


def _patient_of(db: Database, assessment_id: int) -> list[int]:
    found = db.execute("SELECT patient_id FROM assessments WHERE id = ?", [assessment_id])
    return [int(pid) for (pid,) in found]


def row_snapshot(row: dict[str, Any]) -> str:
    """The row as the audit log keeps it (the plan and its settings embedded as JSON)."""
    return audit.snapshot(row, ("plan_json", "settings_json"))


def _as_dict(row: tuple[Any, ...]) -> dict[str, Any]:
    out = dict(zip(COLUMNS, row, strict=True))
    out["plan"] = json.loads(out.pop("plan_json"))
    out["settings"] = json.loads(out.pop("settings_json"))
    return out


def get_plan(db: Database, plan_id: int) -> dict[str, Any] | None:
    row = db.execute(f"SELECT {', '.join(COLUMNS)} FROM plans WHERE id = ?", [plan_id]).fetchone()
    return None if row is None else _as_dict(row)


def plans_for_assessment(db: Database, assessment_id: int) -> list[dict[str, Any]]:
    cursor = db.execute(
        f"SELECT {', '.join(COLUMNS)} FROM plans WHERE assessment_id = ? ORDER BY id",
        [assessment_id],
    )
    return [_as_dict(row) for row in cursor]


def latest_x_uln(db: Database, assessment_ids: Sequence[int]) -> dict[int, dict[str, float | None]]:
    """Each assessment's liver × ULN as its latest plan computed them (`hepatic.bilirubin_x_uln`,
    `hepatic.alp_x_uln`): with the clinic's default ULN where the lab report gave none. Read with
    SQLite's JSON functions, so no plan document is parsed for it."""
    if not assessment_ids:
        return {}
    marks = ", ".join("?" * len(assessment_ids))
    cursor = db.execute(
        "SELECT assessment_id, json_extract(plan_json, '$.hepatic.bilirubin_x_uln'),"
        " json_extract(plan_json, '$.hepatic.alp_x_uln') FROM plans"
        f" WHERE id IN (SELECT max(id) FROM plans WHERE assessment_id IN ({marks})"
        " GROUP BY assessment_id)",
        list(assessment_ids),
    )
    return {
        int(found): {"bilirubin_x_uln": bilirubin, "alp_x_uln": alp}
        for found, bilirubin, alp in cursor
    }


#: (amended, id): every later version `id` of each amended assessment, however many
#: amendments deep
_LATER_VERSIONS = """
    WITH RECURSIVE later_versions (amended, id) AS (
        SELECT amended_id, amendment_id FROM assessment_amendments
        UNION SELECT v.amended, m.amendment_id
        FROM later_versions v JOIN assessment_amendments m ON m.amended_id = v.id
    )
"""


def plans_for_patient(
    conn: sqlite3.Connection, patient_id: int
) -> list[tuple[dict[str, Any], str]]:
    """The patient's plans that stand, each with its assessment's date, oldest assessment first
    (then oldest plan): what the worklist computes her review date and open alerts from, and
    the record's alert banner reads.

    An amended assessment's plans are superseded, but they stand until a later version of it
    has a plan of its own (walk 21 H2): correcting a typo must not take her booked review or an
    unread critical alert off Today's work before anyone has planned from the corrected case."""
    cursor = conn.execute(
        f"{_LATER_VERSIONS}"
        f" SELECT {', '.join('p.' + c for c in COLUMNS)}, a.assessed_on FROM plans p"
        " JOIN assessments a ON a.id = p.assessment_id WHERE a.patient_id = ?"
        " AND NOT EXISTS (SELECT 1 FROM later_versions v JOIN plans q ON q.assessment_id = v.id"
        " WHERE v.amended = a.id)"
        " ORDER BY a.assessed_on, a.id, p.id",
        [patient_id],
    )
    return [(_as_dict(row[:-1]), str(row[-1])) for row in cursor]
