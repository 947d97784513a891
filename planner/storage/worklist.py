"""Today's work: reviews due and overdue, critical alerts no one has acknowledged, and the
patient list sorted by name, last assessment or review date, each through an index.

The `worklist` table (migration 0006_worklist) holds one derived row per patient. When she was
last assessed is kept by triggers; her review date and open critical alerts are computed here
(`refresh`) from her plans, the acknowledgements and the nurse's review-date changes, whenever
one of those is stored (plans.add_plan, acknowledgements.add_acknowledgement,
`add_review_change`), so reading the worklist never parses a plan.

Review date: the newest plan of her newest assessment that has a plan says in how many days
(`follow_up.next_review_days`, as decided), counted from that assessment's date; a nurse's
change of the date (with a reason, audited) replaces it until a newer plan is made. A plan
with no review days gives no date: the list shows "no review date", never a made-up one.

Reading needs only `sqlite3` (the window's start-up); computing imports the domain.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from planner.storage import audit
from planner.storage.db import writing

if TYPE_CHECKING:
    from sqlite_utils import Database

REVIEW_COLUMNS = ("id", "patient_id", "plan_id", "due_on", "reason", "changed_by", "changed_at")


def refresh(conn: sqlite3.Connection, patient_ids: Iterable[int]) -> None:
    """Recompute the plan-derived part of these patients' worklist rows (call inside the write
    that changed their plans, acknowledgements or review date)."""
    for patient_id in patient_ids:
        due, plan_id, alerts = expected(conn, int(patient_id))
        conn.execute(
            "UPDATE worklist SET review_due_on = ?, review_plan_id = ?, open_alerts = ?,"
            " alert_codes = ? WHERE patient_id = ?",
            [due, plan_id, len(alerts), " ".join(sorted(set(alerts))) or None, patient_id],
        )


def recount(conn: sqlite3.Connection, patient_ids: Iterable[int]) -> None:
    """After assessments moved between patients (a merge) or were amended: each patient's last
    assessment date afresh, then the plan-derived part (`refresh`)."""
    for patient_id in patient_ids:
        conn.execute(
            "UPDATE worklist SET last_assessed_on ="
            " (SELECT max(assessed_on) FROM assessments WHERE patient_id = ?) WHERE patient_id = ?",
            [patient_id, patient_id],
        )
    refresh(conn, patient_ids)


def expected(conn: sqlite3.Connection, patient_id: int) -> tuple[str | None, int | None, list[str]]:
    """(review due on, the plan it comes from, codes of open critical alerts) as her plans,
    acknowledgements and review changes give them now."""
    from planner.domain.critical_alerts import open_critical_alerts
    from planner.domain.decision import decided_plan
    from planner.domain.stored import StoredPlan
    from planner.storage import acknowledgements, plans

    kept = [(StoredPlan(**row), on) for row, on in plans.plans_for_patient(conn, patient_id)]
    alerts = open_critical_alerts(kept, acknowledgements.for_patient(conn, patient_id))
    due: str | None = None
    plan_id: int | None = None
    if kept:
        current, assessed_on = kept[-1]  # the newest plan of the newest assessment with one
        plan_id = current.id
        days = (decided_plan(current.plan).get("follow_up") or {}).get("next_review_days")
        if isinstance(days, int) and not isinstance(days, bool):
            due = (dt.date.fromisoformat(assessed_on) + dt.timedelta(days)).isoformat()
    change = conn.execute(
        "SELECT plan_id, due_on FROM review_changes WHERE patient_id = ? ORDER BY id DESC LIMIT 1",
        [patient_id],
    ).fetchone()
    if change is not None and change[0] == plan_id:
        due = change[1]
    return due, plan_id, [a.code for a in alerts]


def add_review_change(db: Database, patient_id: int, due_on: dt.date, reason: str, who: str) -> int:
    """Keep a nurse's change of the patient's next-review date (audited) and apply it."""
    stamp = audit.now()
    with writing(db):
        _, plan_id, _ = expected(db.conn, patient_id)
        row: dict[str, Any] = {
            "patient_id": patient_id,
            "plan_id": plan_id,
            "due_on": due_on.isoformat(),
            "reason": reason,
            "changed_by": who,
            "changed_at": stamp,
        }
        cursor = db.execute(
            f"INSERT INTO review_changes ({', '.join(REVIEW_COLUMNS[1:])})"
            f" VALUES ({', '.join('?' * (len(REVIEW_COLUMNS) - 1))})",
            [row[c] for c in REVIEW_COLUMNS[1:]],
        )
        row = {"id": int(cursor.lastrowid or 0), **row}
        audit.append(
            db.conn,
            who,
            [audit.Change("review_changes", str(row["id"]), "insert", None, audit.snapshot(row))],
            stamp,
        )
        refresh(db.conn, [patient_id])
    return int(row["id"])


def review_changes(conn: sqlite3.Connection, patient_id: int) -> list[dict[str, Any]]:
    cursor = conn.execute(
        f"SELECT {', '.join(REVIEW_COLUMNS)} FROM review_changes WHERE patient_id = ? ORDER BY id",
        [patient_id],
    )
    return [dict(zip(REVIEW_COLUMNS, row, strict=True)) for row in cursor]


def review_of(conn: sqlite3.Connection, patient_id: int) -> tuple[str | None, int | None, int]:
    """(review due on, the plan it comes from, open critical alerts) as her worklist row holds
    them now."""
    found = conn.execute(
        "SELECT review_due_on, review_plan_id, open_alerts FROM worklist WHERE patient_id = ?",
        [patient_id],
    ).fetchone()
    if found is None:
        return None, None, 0
    return found[0], found[1], int(found[2] or 0)


def stale_rows(conn: sqlite3.Connection) -> Iterator[str]:
    """`planner db check`: worklist rows that differ from what the record gives (a write made
    outside the program, or a missed refresh)."""
    cursor = conn.execute(
        "SELECT p.id FROM patients p LEFT JOIN worklist w ON w.patient_id = p.id"
        " WHERE w.patient_id IS NULL OR w.last_assessed_on IS NOT"
        " (SELECT max(a.assessed_on) FROM assessments a WHERE a.patient_id = p.id)"
    )
    for (patient_id,) in cursor:
        yield f"patients #{patient_id}: worklist row missing or its last assessment date is stale"
    cursor = conn.execute(
        "SELECT w.patient_id, w.review_due_on, w.review_plan_id, w.open_alerts, w.alert_codes"
        " FROM worklist w WHERE w.review_plan_id IS NOT NULL OR w.open_alerts > 0"
        " OR w.review_due_on IS NOT NULL OR w.patient_id IN"
        " (SELECT a.patient_id FROM plans p JOIN assessments a ON a.id = p.assessment_id)"
        " OR w.patient_id IN (SELECT patient_id FROM review_changes)"
    )
    for patient_id, due, plan_id, count, codes in cursor.fetchall():
        want_due, want_plan, alerts = expected(conn, patient_id)
        want_codes = " ".join(sorted(set(alerts))) or None
        if (due, plan_id, count, codes) != (want_due, want_plan, len(alerts), want_codes):
            yield f"patients #{patient_id}: worklist review date or open alerts are stale"
