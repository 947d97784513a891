"""`planner db check`: SQLite's own checks, the write-ahead log, the schema, and the audit log
as the record's ledger, one message per problem.

The ledger: every audited change keeps the row as it was after it, so replaying the log gives
each audited table (patients, assessments, plans, acknowledgements of critical alerts, clinic
settings, treatment courses with their reviews, cycles given and stops, amendments, merges
and retirements) as the program left it.
Any row that differs from its replay, is missing from the table or from the log, was changed
outside the program; the message says which row and what differs. The chain that holds the log together
is keyed (`storage.audit_key`), so it cannot be recomputed after an edit without the key.

Everything is read through a read-only connection, so a check never writes, never waits for
another program's write lock, and never deletes a damaged write-ahead log's evidence (the last
writer to close a record removes its log). Only the search-index check needs a writer's
connection; when another program holds the lock it is skipped and said so (a note, not damage).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from planner.domain import name_keys
from planner.storage import (
    acknowledgements,
    assessments,
    audit,
    audit_key,
    corrections,
    courses,
    patients,
    plans,
    worklist,
)
from planner.storage.db import (
    RecordError,
    applied_migrations,
    lost_commits_problem,
    pending_migrations,
    refuse_unusable_file,
    schema_problem,
)

MAX_PER_CHECK = 20
SEARCH_LOCK_WAIT_S = 2.0


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)  # damage or changes outside the program
    notes: list[str] = field(default_factory=list)  # what could not be checked now, and why


def check_file(path: Path, *, key_of: Path | None = None, search_index: bool = True) -> Findings:
    """Check the record at `path` (RecordError if it is not a record at all). `key_of`: the
    record whose audit key to use when `path` has none beside it (a backup of that record);
    `search_index` False: check nothing that needs a writer's connection."""
    path = Path(path)
    refuse_unusable_file(path)
    found = Findings()
    lost = lost_commits_problem(path)
    if lost:
        found.problems.append(
            f"write-ahead log: {lost} (restore from a backup; keep a copy of the record and "
            "its -wal file for recovery)"
        )
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10.0)
    try:
        try:
            _read_only_checks(conn, path, key_of, found)
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            found.notes.append(
                "not checked: another program holds the record locked; run the check again "
                "when it has finished"
            )
            return found
        except sqlite3.DatabaseError as exc:
            found.problems.append(f"the file is damaged ({exc}): restore it from a backup")
            return found
    finally:
        conn.close()
    if search_index and not found.problems:
        _search_index(path, found)
    return found


def _read_only_checks(
    conn: sqlite3.Connection, path: Path, key_of: Path | None, found: Findings
) -> None:
    try:
        problem = schema_problem(conn)
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise
        problem = None  # its first page is damaged: the integrity check says how
    if problem:  # not a record this program checks: refused, as opening refuses it
        raise RecordError(path, problem)
    integrity = _integrity(conn)
    if integrity:
        # A damaged file: the deeper checks would only add noise (or fail).
        found.problems.extend(integrity)
        return
    pending = pending_migrations(conn)
    if pending:
        found.problems.extend(
            f"schema: migration {name} not applied (open the record, e.g. `planner search`)"
            for name in pending
        )
        return
    key_path = audit_key.key_path(path)
    if key_of is not None and not key_path.exists():
        key_path = audit_key.key_path(key_of)
    try:
        key = audit_key.load_file(key_path)
        key_problem = None if key is not None else f"no key file {key_path}"
    except audit_key.KeyUnreadable as exc:
        key, key_problem = None, str(exc)
    checks: tuple[Callable[[], Iterator[str]], ...] = (
        lambda: _foreign_keys(conn),
        lambda: _schema_objects(conn),
        lambda: audit.verify_chain(
            conn,
            None if key is None else key.key,
            None if key is None else key.keyed_from,
            key_problem,
        ),
        lambda: _ledger(conn),
        lambda: _assessment_columns(conn),
        lambda: _search_keys(conn),
        lambda: worklist.stale_rows(conn),
    )
    for check in checks:
        for listed, message in enumerate(check()):
            if listed == MAX_PER_CHECK:
                found.problems.append("… more problems of this kind not listed")
                break
            found.problems.append(message)


def _integrity(conn: sqlite3.Connection) -> list[str]:
    """SQLite's integrity check, damaged pages named; [] when sound."""
    try:
        lines = [row[0] for row in conn.execute(f"PRAGMA integrity_check({MAX_PER_CHECK})")]
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise
        return [
            *_damaged_tables(conn),
            f"integrity_check: the file is damaged ({exc}): restore it from a backup",
        ]
    if lines == ["ok"]:
        return []
    return [f"integrity_check: {line}" for line in lines] + [
        "integrity_check: the file is damaged: restore it from a backup"
    ]


def _damaged_tables(conn: sqlite3.Connection) -> Iterator[str]:
    """Table by table, where SQLite's whole-file check stopped at damage it could not step
    over: each table (with its indexes) that cannot be read, and its first page."""
    try:
        tables = conn.execute(
            "SELECT name, rootpage FROM sqlite_master WHERE type = 'table' AND rootpage > 0"
        ).fetchall()
    except sqlite3.DatabaseError:
        return  # the schema page itself: nothing more to name
    for name, root in tables:
        quoted = name.replace('"', '""')
        try:
            lines = [row[0] for row in conn.execute(f'PRAGMA integrity_check("{quoted}")')]
        except sqlite3.DatabaseError as exc:
            yield f"integrity_check: table {name} (page {root} on) cannot be read ({exc})"
            continue
        if lines != ["ok"]:
            yield from (f"integrity_check: table {name}: {line}" for line in lines[:5])


def _foreign_keys(conn: sqlite3.Connection) -> Iterator[str]:
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
        yield f"foreign_key_check: {table} row {rowid} refers to a missing {parent} row"


def _schema_objects(conn: sqlite3.Connection) -> Iterator[str]:
    """Tables, indexes and triggers as the migrations make them: a dropped trigger (the one
    that keeps plans immutable, say) or an added one is a change outside the program."""
    expected = _expected_schema(applied_migrations(conn))
    actual = _schema_of(conn)
    for (kind, name), sql in sorted(expected.items()):
        if (kind, name) not in actual:
            yield f"schema: {kind} {name} is missing (removed outside the program)"
        elif actual[(kind, name)] != sql:
            yield f"schema: {kind} {name} differs from the program's (changed outside it)"
    for kind, name in sorted(set(actual) - set(expected)):
        yield f"schema: {kind} {name} is not the program's (added outside it)"


def _schema_of(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    cursor = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    )
    return {(kind, name): " ".join((sql or "").split()) for kind, name, sql in cursor}


def _expected_schema(applied: list[str]) -> dict[tuple[str, str], str]:
    from sqlite_utils import Database

    from planner.storage.migration_names import MIGRATION_NAMES
    from planner.storage.migrations import MIGRATIONS

    memory = sqlite3.connect(":memory:", isolation_level=None)
    try:
        later = MIGRATION_NAMES[len(applied)] if len(applied) < len(MIGRATION_NAMES) else None
        MIGRATIONS.apply(Database(memory), stop_before=later)
        return _schema_of(memory)
    finally:
        memory.close()


@dataclass(frozen=True)
class Ledger:
    """How one audited table is kept in the log: its key, the columns its snapshot holds, and
    the snapshot itself (the same function the writer used)."""

    table: str
    key: str  # the key column
    columns: tuple[str, ...]
    snapshot: Callable[[dict[str, Any]], str]
    numeric_key: bool = True


LEDGERS = (
    Ledger("patients", "id", patients.COLUMNS, audit.snapshot),
    Ledger(
        "assessments",
        "id",
        tuple(c for c in assessments.COLUMNS if c != "case_json"),  # pinned by its sha256
        assessments.row_snapshot,
    ),
    Ledger("plans", "id", plans.COLUMNS, plans.row_snapshot),
    Ledger(
        "alert_acknowledgements",
        "id",
        acknowledgements.COLUMNS,
        acknowledgements.row_snapshot,
    ),
    Ledger("review_changes", "id", worklist.REVIEW_COLUMNS, audit.snapshot),
    Ledger(
        "clinic_settings",
        "key",
        ("key", "value_json", "updated_at", "updated_by"),
        lambda row: audit.snapshot(row, ("value_json",)),
        numeric_key=False,
    ),
    *(
        Ledger(
            table,
            "id",
            columns,
            partial(courses.row_snapshot, table),
        )
        for table, (columns, _) in courses.TABLES.items()
    ),
    *(
        Ledger(table, "id", columns, partial(corrections.row_snapshot, table))
        for table, columns in corrections.TABLES.items()
    ),
)


def _ledger(conn: sqlite3.Connection) -> Iterator[str]:
    for ledger in LEDGERS:
        yield from _replay(conn, ledger)


def _replay(conn: sqlite3.Connection, ledger: Ledger) -> Iterator[str]:
    """Merge the table (in key order) with the last audit entry of each of its rows."""
    order = "CAST(l.row_key AS INTEGER)" if ledger.numeric_key else "l.row_key"
    logged = conn.execute(
        "SELECT l.row_key, l.action, l.after_json FROM audit_log l JOIN (SELECT max(id) AS id"
        " FROM audit_log WHERE table_name = ? GROUP BY row_key) m ON m.id = l.id"
        f" ORDER BY {order}",
        [ledger.table],
    )
    rows = conn.execute(
        f"SELECT {', '.join(ledger.columns)} FROM {ledger.table} ORDER BY {ledger.key}"
    )

    def keyed(value: Any) -> Any:
        return int(value) if ledger.numeric_key else str(value)

    entry = next(logged, None)
    row = next(rows, None)
    name = ledger.table
    while entry is not None or row is not None:
        entry_key = None if entry is None else keyed(entry[0])
        row_dict = None if row is None else dict(zip(ledger.columns, row, strict=True))
        row_key = None if row_dict is None else keyed(row_dict[ledger.key])
        if row_dict is not None and (entry_key is None or row_key < entry_key):
            yield f"{name} {row_key}: in the record but not in the audit log (added outside the program)"
            row = next(rows, None)
        elif entry is not None and (row_key is None or entry_key < row_key):
            if entry[1] != "delete":
                yield (
                    f"{name} {entry_key}: in the audit log but not in the record (deleted "
                    "outside the program)"
                )
            entry = next(logged, None)
        else:
            assert entry is not None
            assert row_dict is not None
            if entry[1] == "delete":
                yield f"{name} {row_key}: deleted in the audit log but still in the record"
            elif ledger.snapshot(row_dict) != entry[2]:
                yield f"{name} {row_key}: {_difference(row_dict, entry[2], ledger)}"
            entry = next(logged, None)
            row = next(rows, None)


def _difference(row: dict[str, Any], logged: str | None, ledger: Ledger) -> str:
    """What differs between a row and its last audited state, in words."""
    try:
        now = json.loads(ledger.snapshot(row))
        then = json.loads(logged or "null") or {}
    except ValueError:
        return "differs from its last audited state (changed outside the program)"
    changed = [k for k in sorted(set(now) | set(then)) if now.get(k) != then.get(k)]
    parts = []
    for column in changed[:4]:
        parts.append(
            f"{column} is {_short(now.get(column))} in the record, "
            f"{_short(then.get(column))} in the audit log"
        )
    more = f" (and {len(changed) - 4} more)" if len(changed) > 4 else ""
    return (
        "differs from its last audited state (changed outside the program): "
        + "; ".join(parts)
        + more
    )


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


#: the parts of a case its indexed columns come from (`assessments.indexed_columns`), pulled
#: out by SQLite's JSON functions: parsing only these in Python halves the check's time
_INDEX_SOURCES = (
    ("assessed_on",),
    ("labs", "bilirubin"),
    ("labs", "alp"),
    ("symptoms", "esas"),
    ("psychosocial", "phq9"),
    ("psychosocial", "distress_thermometer"),
    ("body", "weight_kg"),
    ("clinical", "ecog"),
)


def _assessment_columns(conn: sqlite3.Connection) -> Iterator[str]:
    paths = ", ".join("'$." + ".".join(parts) + "'" for parts in _INDEX_SOURCES)
    cursor = conn.execute(
        f"SELECT id, case_json, case_sha256, json_extract(case_json, {paths}),"
        f" {', '.join(assessments.INDEXED)} FROM assessments"
    )
    for assessment_id, text, digest, sources, *stored in cursor:
        if assessments.sha256(text) != digest:
            yield f"assessments #{assessment_id}: case_sha256 does not match case_json"
        try:
            raw: dict[str, Any] = {}
            for parts, value in zip(_INDEX_SOURCES, json.loads(sources), strict=True):
                *sections, name = parts
                target = raw
                for section in sections:
                    target = target.setdefault(section, {})
                target[name] = value
            expected = assessments.indexed_columns(raw)
        except (ValueError, KeyError, TypeError) as exc:
            yield f"assessments #{assessment_id}: case_json cannot be read ({exc})"
            continue
        for name, value in zip(assessments.INDEXED, stored, strict=True):
            if value != expected[name]:
                yield (
                    f"assessments #{assessment_id}: {name} is {value!r} but its case gives "
                    f"{expected[name]!r}"
                )


def _search_keys(conn: sqlite3.Connection) -> Iterator[str]:
    """Each patient's search keys as the transliteration table makes them now: a missing row
    hides her from search; a stale one (a patient written outside the program, or a table
    changed without a migration) finds her by the wrong spellings."""
    cursor = conn.execute(
        "SELECT p.id, p.family_name, p.given_name, p.mrn, k.name_key, k.mrn_key"
        " FROM patients p LEFT JOIN patient_keys k ON k.patient_id = p.id ORDER BY p.id"
    )
    for patient_id, family, given, mrn, *stored in cursor:
        if stored[0] is None:
            yield f"patients #{patient_id}: no search keys (search cannot find this patient)"
        elif tuple(stored) != name_keys.keys_row(patient_id, family, given, mrn)[1:]:
            yield f"patients #{patient_id}: search keys out of step with the names or MRN"
    orphans = conn.execute(
        "SELECT count(*) FROM patient_keys WHERE patient_id NOT IN (SELECT id FROM patients)"
    ).fetchone()[0]
    if orphans:
        yield f"patient_keys: {orphans} row(s) of patients not in the record"


def _search_index(path: Path, found: Findings) -> None:
    """FTS5's own integrity check (it takes the write lock, so a busy record skips it)."""
    try:
        conn = sqlite3.connect(str(path), timeout=SEARCH_LOCK_WAIT_S, isolation_level=None)
    except sqlite3.Error:
        return
    try:
        for table in ("patients_fts", "patients_mrn_fts"):
            try:
                conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)")
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    found.notes.append(
                        "search index not checked: another program is writing to the record; "
                        "run the check again when it has finished"
                    )
                    return
                found.problems.append(f"{table}: search index out of step with patients ({exc})")
            except sqlite3.DatabaseError as exc:
                found.problems.append(f"{table}: search index out of step with patients ({exc})")
    finally:
        conn.close()
