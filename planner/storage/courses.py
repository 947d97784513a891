"""Treatment courses (contract §5): started from a decided plan, their signed cycle reviews,
the cycles given, and the stop.

Every row is written once and never changed or deleted (triggers abort UPDATE and DELETE), with
its audit entry in the same transaction, so `planner db check` replays these tables like plans.
A course's state (the cycle due, the current doses) is derived from its rows, never stored
twice (`planner.domain.treatment_course`).
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from planner.domain.stored import CourseReview, CourseStop, CycleGiven, DayGiven, StoredCourse
from planner.storage import audit
from planner.storage.db import writing

if TYPE_CHECKING:
    from sqlite_utils import Database

COURSE_COLUMNS = (
    "id",
    "patient_id",
    "plan_id",
    "regimen",
    "drugs_json",
    "cycle_days",
    "started_on",
    "started_by",
    "started_at",
)
REVIEW_COLUMNS = (
    "id",
    "course_id",
    "cycle",
    "day",
    "reviewed_on",
    "assessment_id",
    "plan_id",
    "toxicities_json",
    "suggested_json",
    "decided_json",
    "outcome",
    "reason",
    "signed_by",
    "signed_at",
)
CYCLE_COLUMNS = (
    "id",
    "course_id",
    "review_id",
    "cycle",
    "given_on",
    "drugs_json",
    "recorded_by",
    "recorded_at",
)
DAY_COLUMNS = (
    "id",
    "course_id",
    "review_id",
    "cycle",
    "day",
    "given_on",
    "drugs_json",
    "recorded_by",
    "recorded_at",
)
STOP_COLUMNS = (
    "id",
    "course_id",
    "review_id",
    "stopped_on",
    "reason",
    "stopped_by",
    "stopped_at",
)
#: table -> (columns, the columns holding JSON text): what `check` replays
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "treatment_courses": (COURSE_COLUMNS, ("drugs_json",)),
    "course_reviews": (
        REVIEW_COLUMNS,
        ("toxicities_json", "suggested_json", "decided_json"),
    ),
    "course_cycles": (CYCLE_COLUMNS, ("drugs_json",)),
    "course_day_doses": (DAY_COLUMNS, ("drugs_json",)),
    "course_stops": (STOP_COLUMNS, ()),
}


def _refresh_worklist(db: Database, course_id: int) -> None:
    """Her review date counts her courses' next steps (domain.review_due): recompute it in the
    write that changed the course, for the patient whose record holds the course now."""
    from planner.storage import worklist
    from planner.storage.corrections import surviving_patient

    (patient_id,) = db.execute(
        "SELECT patient_id FROM treatment_courses WHERE id = ?", [course_id]
    ).fetchone()
    worklist.refresh(db.conn, [surviving_patient(db.conn, int(patient_id))])


def row_snapshot(table: str, row: dict[str, Any]) -> str:
    """The row as the audit log keeps it (JSON columns embedded as JSON)."""
    return audit.snapshot(row, TABLES[table][1])


def _insert(db: Database, table: str, values: dict[str, Any], who: str, stamp: str) -> int:
    """Insert one row and its audit entry; the caller holds the write transaction."""
    columns = TABLES[table][0][1:]
    row = {c: values[c] for c in columns}
    cursor = db.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [row[c] for c in columns],
    )
    row = {"id": int(cursor.lastrowid or 0), **row}
    audit.append(
        db.conn,
        who,
        [audit.Change(table, str(row["id"]), "insert", None, row_snapshot(table, row))],
        stamp,
    )
    return int(row["id"])


def start_course(
    db: Database,
    *,
    patient_id: int,
    plan_id: int,
    regimen: str,
    drugs: list[dict[str, Any]],
    cycle_days: int,
    started_on: str,
    first_cycle: list[dict[str, Any]],
    who: str,
) -> int:
    """Start a course and record its first cycle as given on `started_on` (decided on the plan
    itself), in one transaction."""
    stamp = audit.now()
    with writing(db):
        course_id = _insert(
            db,
            "treatment_courses",
            {
                "patient_id": patient_id,
                "plan_id": plan_id,
                "regimen": regimen,
                "drugs_json": audit.canonical_json(drugs),
                "cycle_days": cycle_days,
                "started_on": started_on,
                "started_by": who,
                "started_at": stamp,
            },
            who,
            stamp,
        )
        _insert(
            db,
            "course_cycles",
            _cycle_row(course_id, None, 1, started_on, first_cycle, who, stamp),
            who,
            stamp,
        )
        _refresh_worklist(db, course_id)
    return course_id


def _cycle_row(
    course_id: int,
    review_id: int | None,
    cycle: int,
    given_on: str,
    drugs: list[dict[str, Any]],
    who: str,
    stamp: str,
) -> dict[str, Any]:
    return {
        "course_id": course_id,
        "review_id": review_id,
        "cycle": cycle,
        "given_on": given_on,
        "drugs_json": audit.canonical_json(drugs),
        "recorded_by": who,
        "recorded_at": stamp,
    }


def add_review(
    db: Database,
    *,
    course_id: int,
    cycle: int,
    day: int,
    reviewed_on: str,
    assessment_id: int,
    plan_id: int,
    toxicities: list[dict[str, Any]],
    suggested: dict[str, Any],
    decided: dict[str, Any],
    outcome: str,
    reason: str | None,
    who: str,
    stop: tuple[str, str] | None = None,
    entered_by: str | None = None,
) -> int:
    """Keep a signed cycle review; `stop` (stopped_on, reason): the decision stops the course,
    recorded in the same transaction. `who` signed it (the prescriber named); `entered_by`, the
    record's user who typed it, when another: the audit log names both (walk 23 #20: the log
    showed only the name typed in the form, not the nurse signed in)."""
    stamp = audit.now()
    logged = who if not entered_by or entered_by == who else f"{entered_by} for {who}"
    with writing(db):
        review_id = _insert(
            db,
            "course_reviews",
            {
                "course_id": course_id,
                "cycle": cycle,
                "day": day,
                "reviewed_on": reviewed_on,
                "assessment_id": assessment_id,
                "plan_id": plan_id,
                "toxicities_json": audit.canonical_json(toxicities),
                "suggested_json": audit.canonical_json(suggested),
                "decided_json": audit.canonical_json(decided),
                "outcome": outcome,
                "reason": reason,
                "signed_by": who,
                "signed_at": stamp,
            },
            logged,
            stamp,
        )
        if stop is not None:
            _stop(db, course_id, review_id, stop[0], stop[1], who, stamp, logged)
        _refresh_worklist(db, course_id)
    return review_id


def add_cycle(
    db: Database,
    *,
    course_id: int,
    review_id: int | None,
    cycle: int,
    given_on: str,
    drugs: list[dict[str, Any]],
    who: str,
) -> int:
    stamp = audit.now()
    with writing(db):
        cycle_id = _insert(
            db,
            "course_cycles",
            _cycle_row(course_id, review_id, cycle, given_on, drugs, who, stamp),
            who,
            stamp,
        )
        _refresh_worklist(db, course_id)
        return cycle_id


def add_day_given(
    db: Database,
    *,
    course_id: int,
    review_id: int,
    cycle: int,
    day: int,
    given_on: str,
    drugs: list[dict[str, Any]],
    who: str,
) -> int:
    """Record the dose given on a day inside a cycle (day 8, day 15) from its signed review."""
    stamp = audit.now()
    with writing(db):
        row = {
            **_cycle_row(course_id, review_id, cycle, given_on, drugs, who, stamp),
            "day": day,
        }
        day_id = _insert(db, "course_day_doses", row, who, stamp)
        _refresh_worklist(db, course_id)
        return day_id


def stop_course(
    db: Database,
    *,
    course_id: int,
    stopped_on: str,
    reason: str,
    who: str,
    review_id: int | None = None,
) -> int:
    stamp = audit.now()
    with writing(db):
        stop_id = _stop(db, course_id, review_id, stopped_on, reason, who, stamp)
        _refresh_worklist(db, course_id)
        return stop_id


def _stop(
    db: Database,
    course_id: int,
    review_id: int | None,
    stopped_on: str,
    reason: str,
    who: str,
    stamp: str,
    logged: str | None = None,
) -> int:
    return _insert(
        db,
        "course_stops",
        {
            "course_id": course_id,
            "review_id": review_id,
            "stopped_on": stopped_on,
            "reason": reason,
            "stopped_by": who,
            "stopped_at": stamp,
        },
        logged or who,
        stamp,
    )


def _rows(
    conn: sqlite3.Connection, table: str, where: str, args: list[Any]
) -> list[dict[str, Any]]:
    columns, json_columns = TABLES[table]
    cursor = conn.execute(
        f"SELECT {', '.join(columns)} FROM {table} WHERE {where} ORDER BY id", args
    )
    out = []
    for values in cursor:
        row = dict(zip(columns, values, strict=True))
        for name in json_columns:
            row[name.removesuffix("_json")] = json.loads(row.pop(name))
        out.append(row)
    return out


def courses_for_patient(conn: sqlite3.Connection, patient_id: int) -> list[StoredCourse]:
    """The patient's courses, oldest first, each with its reviews, cycles and stop (or None);
    with the courses of any patient merged into her (a course is never changed, so it keeps the
    patient it was started for: storage.corrections)."""
    from planner.storage.corrections import patient_family

    family = patient_family(conn, patient_id)
    where = f"patient_id IN ({', '.join('?' * len(family))})"
    return [
        _with_events(conn, course) for course in _rows(conn, "treatment_courses", where, family)
    ]


def course(conn: sqlite3.Connection, course_id: int) -> StoredCourse | None:
    found = _rows(conn, "treatment_courses", "id = ?", [course_id])
    return _with_events(conn, found[0]) if found else None


def _with_events(conn: sqlite3.Connection, row: dict[str, Any]) -> StoredCourse:
    course_id = row["id"]
    stops = _rows(conn, "course_stops", "course_id = ?", [course_id])
    given = [
        CycleGiven(**{**c, "drugs": tuple(c["drugs"])})
        for c in _rows(conn, "course_cycles", "course_id = ?", [course_id])
    ]
    return StoredCourse(
        **{**row, "drugs": tuple(row["drugs"])},
        reviews=tuple(
            CourseReview(**{**r, "toxicities": tuple(r["toxicities"])})
            for r in _rows(conn, "course_reviews", "course_id = ?", [course_id])
        ),
        cycles=tuple(c for c in given if not at_delay(c.drugs)),
        stop=CourseStop(**stops[0]) if stops else None,
        given_at_delay=tuple(c for c in given if at_delay(c.drugs)),
        days_given=tuple(
            DayGiven(**{**d, "drugs": tuple(d["drugs"])})
            for d in _rows(conn, "course_day_doses", "course_id = ?", [course_id])
        )
        if _has_day_doses(conn)
        else (),
    )


def _has_day_doses(conn: sqlite3.Connection) -> bool:
    """Whether the record has its table yet: the worklist migrations before 0013 read courses
    while upgrading an older record."""
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'course_day_doses'"
    ).fetchone()
    return found is not None


def at_delay(drugs: Any) -> bool:
    """Whether a course_cycles row records the drugs given on the day of a delay (the delayed
    cycle is still to come), not a cycle given."""
    return any(d.get("given_at_delay") or d.get("delayed") for d in drugs)
