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
import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from planner.storage import audit
from planner.storage.db import writing

if TYPE_CHECKING:
    from sqlite_utils import Database

    from planner.domain.review_due import ReviewDue

REVIEW_COLUMNS = ("id", "patient_id", "plan_id", "due_on", "reason", "changed_by", "changed_at")


def refresh(conn: sqlite3.Connection, patient_ids: Iterable[int]) -> None:
    """Recompute the plan-derived part of these patients' worklist rows (call inside the write
    that changed their plans, courses, acknowledgements or review date)."""
    for patient_id in patient_ids:
        due, alerts = expected(conn, int(patient_id))
        conn.execute(
            "UPDATE worklist SET review_due_on = ?, review_plan_id = ?, review_why = ?,"
            " open_alerts = ?, alert_codes = ?, review_reasons = ? WHERE patient_id = ?",
            [
                due.due_on,
                due.plan_id,
                due.why,
                len(alerts),
                " ".join(sorted(set(alerts))) or None,
                reasons_json(due),
                patient_id,
            ],
        )


def reasons_json(due: ReviewDue) -> str | None:
    """Every follow-up booked (`ReviewDue.reasons`) as the worklist keeps it: a JSON list of
    {"on", "short", "why"}, earliest first (None: nothing booked)."""
    if not due.reasons:
        return None
    return json.dumps(
        [{"on": on, "short": short, "why": why} for on, short, why in due.reasons],
        ensure_ascii=False,
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


#: the assessments a cycle review kept (and their later versions): their plans are the
#: program's, never decided by anyone, so they book no review (domain.review_due)
_CYCLE_REVIEW_ASSESSMENTS = """
    WITH RECURSIVE kept (id) AS (
        SELECT r.assessment_id FROM course_reviews r
        JOIN assessments a ON a.id = r.assessment_id WHERE a.patient_id = ?
        UNION SELECT m.amendment_id FROM kept JOIN assessment_amendments m ON m.amended_id = kept.id
    )
    SELECT id FROM kept
"""


def expected(conn: sqlite3.Connection, patient_id: int) -> tuple[ReviewDue, list[str]]:
    """(her review date, the plan it is counted from and why; codes of open critical alerts)
    as her plans, courses, acknowledgements and review changes give them now."""
    from planner.domain.critical_alerts import open_critical_alerts
    from planner.domain.review_due import ReviewChange, review_due
    from planner.domain.stored import StoredPlan
    from planner.storage import acknowledgements, courses, plans

    kept = [(StoredPlan(**row), on) for row, on in plans.plans_for_patient(conn, patient_id)]
    alerts = open_critical_alerts(kept, acknowledgements.for_patient(conn, patient_id))
    program_made = {int(i) for (i,) in conn.execute(_CYCLE_REVIEW_ASSESSMENTS, [patient_id])}
    change = conn.execute(
        "SELECT plan_id, due_on, reason, changed_by, changed_at FROM review_changes"
        " WHERE patient_id = ? ORDER BY id DESC LIMIT 1",
        [patient_id],
    ).fetchone()
    due = review_due(
        kept,
        program_made,
        courses.courses_for_patient(conn, patient_id),
        None if change is None else ReviewChange(*change),
    )
    return due, [a.code for a in alerts]


def add_review_change(db: Database, patient_id: int, due_on: dt.date, reason: str, who: str) -> int:
    """Keep a nurse's change of the patient's next-review date (audited) and apply it."""
    stamp = audit.now()
    with writing(db):
        due, _ = expected(db.conn, patient_id)
        row: dict[str, Any] = {
            "patient_id": patient_id,
            "plan_id": due.plan_id,
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


def review_of(conn: sqlite3.Connection, patient_id: int) -> tuple[str | None, str | None, int]:
    """(review due on, why she is due then, open critical alerts) as her worklist row holds
    them now."""
    found = conn.execute(
        "SELECT review_due_on, review_why, open_alerts FROM worklist WHERE patient_id = ?",
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
        "SELECT w.patient_id, w.review_due_on, w.review_plan_id, w.review_why, w.open_alerts,"
        " w.alert_codes, w.review_reasons FROM worklist w WHERE w.review_plan_id IS NOT NULL OR w.open_alerts > 0"
        " OR w.review_due_on IS NOT NULL OR w.patient_id IN"
        " (SELECT a.patient_id FROM plans p JOIN assessments a ON a.id = p.assessment_id)"
        " OR w.patient_id IN (SELECT patient_id FROM review_changes)"
    )
    for patient_id, due, plan_id, why, count, codes, reasons in cursor.fetchall():
        want, alerts = expected(conn, patient_id)
        want_codes = " ".join(sorted(set(alerts))) or None
        found = (due, plan_id, why, count, codes, reasons)
        wanted = (want.due_on, want.plan_id, want.why, len(alerts), want_codes, reasons_json(want))
        if found != wanted:
            yield f"patients #{patient_id}: worklist review date or open alerts are stale"
