"""`planner db check`: SQLite's own checks plus the record's invariants, one message per problem."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

from planner.storage import assessments, audit, patients
from planner.storage.db import pending_migrations

if TYPE_CHECKING:
    from sqlite_utils import Database

AUDITED = {  # table -> the row's key as the audit log spells it
    "patients": "CAST(t.id AS TEXT)",
    "assessments": "CAST(t.id AS TEXT)",
    "plans": "CAST(t.id AS TEXT)",
    "clinic_settings": "t.key",
}
MAX_PER_CHECK = 20


def check_record(db: Database) -> list[str]:
    """Every problem found; an empty list means the record is sound."""
    integrity = [row[0] for row in db.execute("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        # A damaged file: the deeper checks would only add noise (or fail).
        return [f"integrity_check: {line}" for line in integrity]
    problems: list[str] = []
    for check in (
        _foreign_keys,
        _schema,
        _audit_chain,
        _plans_have_assessments,
        _assessment_columns,
        _audit_covers_rows,
        _search_index,
    ):
        found = []
        for problem in check(db):
            found.append(problem)
            if len(found) >= MAX_PER_CHECK:
                found.append(f"{check.__name__.strip('_')}: more problems not listed")
                break
        problems.extend(found)
        if check is _schema and found:
            break  # the invariants below assume the current schema
    return problems


def _foreign_keys(db: Database) -> Iterator[str]:
    for table, rowid, parent, _ in db.execute("PRAGMA foreign_key_check"):
        yield f"foreign_key_check: {table} row {rowid} refers to a missing {parent} row"


def _schema(db: Database) -> Iterator[str]:
    for name in pending_migrations(db.conn):
        yield f"schema: migration {name} not applied (open the record, e.g. `planner db init`)"


def _audit_chain(db: Database) -> Iterator[str]:
    yield from audit.verify_chain(db.conn)


def _plans_have_assessments(db: Database) -> Iterator[str]:
    cursor = db.execute(
        "SELECT id, assessment_id FROM plans WHERE assessment_id NOT IN (SELECT id FROM assessments)"
    )
    for plan_id, assessment_id in cursor:
        yield f"plans #{plan_id}: its assessment #{assessment_id} is not in the record"


def _assessment_columns(db: Database) -> Iterator[str]:
    cursor = db.execute(
        f"SELECT id, case_json, case_sha256, {', '.join(assessments.INDEXED)} FROM assessments"
    )
    for assessment_id, text, digest, *stored in cursor:
        if assessments.sha256(text) != digest:
            yield f"assessments #{assessment_id}: case_sha256 does not match case_json"
        try:
            expected = assessments.indexed_columns(json.loads(text))
        except (ValueError, KeyError, TypeError) as exc:
            yield f"assessments #{assessment_id}: case_json cannot be read ({exc})"
            continue
        for name, value in zip(assessments.INDEXED, stored, strict=True):
            if value != expected[name]:
                yield (
                    f"assessments #{assessment_id}: {name} is {value!r} but its case gives "
                    f"{expected[name]!r}"
                )


def _audit_covers_rows(db: Database) -> Iterator[str]:
    """Every audited row has its history, and the latest entry shows the row as it is now (a
    change made behind the program's back, or audit entries cut off the end, shows here)."""
    for table, key in AUDITED.items():
        cursor = db.execute(
            f"SELECT {key} FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM audit_log l"
            f" WHERE l.table_name = '{table}' AND l.row_key = {key})"
        )
        for (row_key,) in cursor:
            yield f"{table} {row_key}: no audit entry records it"
    latest = (
        "SELECT l.after_json FROM audit_log l WHERE l.table_name = ? AND l.row_key = ?"
        " ORDER BY l.id DESC LIMIT 1"
    )
    cursor = db.execute(f"SELECT {', '.join(patients.COLUMNS)} FROM patients")
    for values in cursor:
        row = dict(zip(patients.COLUMNS, values, strict=True))
        found = db.execute(latest, ["patients", str(row["id"])]).fetchone()
        if found is not None and found[0] != audit.snapshot(row):
            yield f"patients {row['id']}: differs from its last audited state"
    cursor = db.execute(
        "SELECT a.id FROM assessments a WHERE a.case_sha256 IS NOT (SELECT"
        " json_extract(l.after_json, '$.case_sha256') FROM audit_log l"
        " WHERE l.table_name = 'assessments' AND l.row_key = CAST(a.id AS TEXT)"
        " ORDER BY l.id DESC LIMIT 1)"
    )
    for (assessment_id,) in cursor:
        yield f"assessments {assessment_id}: differs from its last audited state"


def _search_index(db: Database) -> Iterator[str]:
    import sqlite3

    for table in ("patients_fts", "patients_mrn_fts"):
        try:
            db.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as exc:
            yield f"{table}: search index out of step with patients ({exc})"
