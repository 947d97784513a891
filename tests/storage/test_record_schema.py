"""The schema after all migrations is pinned; older records upgrade to it, after a backup."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from record_helpers import case_for, query
from sqlite_utils import Database

from planner.services import case_commands, patient_record
from planner.storage import migration_names, search
from planner.storage.db import connect, open_db, pending_migrations
from planner.storage.migrations import MIGRATIONS

RECORDS = Path(__file__).parents[1] / "data" / "records"
MIGRATION_NAMES = [m.name for m in MIGRATIONS.pending(Database(memory=True))]


def schema_of(path: Path) -> str:
    rows = query(
        path,
        "SELECT type, name, tbl_name, sql FROM sqlite_master"
        " WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )
    return (
        "\n".join(f"-- {kind} {name} on {table}\n{sql};" for kind, name, table, sql in rows) + "\n"
    )


def test_migrations_are_named_and_ordered():
    assert MIGRATION_NAMES == [
        "0001_record",
        "0002_patient_search",
        "0003_alert_acknowledgements",
        "0004_treatment_courses",
        "0005_name_search_keys",
        "0006_worklist",
        "0007_record_corrections",
        "0008_draft_confirmations",
        "0009_worklist_review_why",
        "0010_worklist_cycle_days",
        "0011_worklist_visits_done",
        "0012_worklist_reasons",
        "0013_course_day_doses",
        "0014_indian_name_keys",
    ]


def test_schema_is_pinned(db, record_path):
    """Changing the schema means a new migration and a new pinned copy (schema.sql)."""
    assert schema_of(record_path) == (RECORDS / "schema.sql").read_text("utf-8")
    applied = query(record_path, "SELECT name FROM _sqlite_migrations ORDER BY id")
    assert [name for (name,) in applied] == MIGRATION_NAMES


def test_record_settings(db):
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA page_size").fetchone()[0] == 8192


def test_opening_twice_applies_nothing_and_backs_up_nothing(record_path):
    open_db(record_path).close()
    open_db(record_path).close()
    assert sorted(p.name for p in record_path.parent.iterdir() if "before" in p.name) == []


def _record_at(path: Path, stop_before: str, example_raw: dict, monkeypatch) -> int:
    """A record whose schema stops before `stop_before`, holding what that schema can hold."""
    db = Database(connect(path))
    try:
        MIGRATIONS.apply(db, stop_before=stop_before)
        if "assessments" not in db.table_names():
            return 0
    finally:
        db.close()
    # Records that old are written by the code of their time: patients and assessments via
    # the same storage functions (they predate search), without the search keys of 0004.
    from planner.storage import cases, patients

    if MIGRATION_NAMES.index(stop_before) <= MIGRATION_NAMES.index("0005_name_search_keys"):
        monkeypatch.setattr(patients, "add_keys", lambda conn, names: None)

    raw = [
        case_for(example_raw, f"OLD-{n}", family_name=name)
        for n, name in enumerate(("Şahin", "Каримова", "Karimova"))
    ]
    db = Database(connect(path))
    try:
        for doc in raw:
            cases.import_case(db, case_commands.check_case(doc).case, doc, "earlier.build")
    finally:
        db.close()
    return len(raw)


@pytest.mark.parametrize("stop_before", MIGRATION_NAMES[1:])
def test_every_earlier_schema_upgrades(tmp_path, example_raw, stop_before, monkeypatch):
    path = tmp_path / "old.sqlite3"
    stored = _record_at(path, stop_before, example_raw, monkeypatch)
    monkeypatch.undo()
    with patient_record.PatientRecord(path) as record:
        assert record.check() == []
        assert record.patient_count() == stored
        assert [p.mrn for p in record.search("sahin")] == ["OLD-0"]
        # Каримова and Karimova: one name in two scripts (since 0005_name_search_keys)
        assert sorted(p.mrn for p in record.search("кари")) == ["OLD-1", "OLD-2"]
    backups = [p for p in tmp_path.iterdir() if p.name.startswith(f"old.before-{stop_before}-")]
    assert len(backups) == 1
    assert query(backups[0], "SELECT count(*) FROM patients") == [(stored,)]


@pytest.mark.parametrize("fixture", sorted(p.name for p in RECORDS.glob("record-*.sqlite3")))
def test_committed_old_records_upgrade(tmp_path, fixture):
    """Small records written by earlier schemas (tests/data/records), upgraded intact."""
    path = tmp_path / fixture
    shutil.copy(RECORDS / fixture, path)
    before = query(path, "SELECT mrn, family_name FROM patients ORDER BY id")
    with patient_record.PatientRecord(path) as record:
        assert record.check() == []
    assert query(path, "SELECT mrn, family_name FROM patients ORDER BY id") == before
    conn = search.connect(path)
    try:
        assert search.search(conn, "sahin")[0]["family_name"] == "Şahin"
    finally:
        conn.close()


def test_committed_fixtures_exist():
    assert len(list(RECORDS.glob("record-*.sqlite3"))) == len(MIGRATION_NAMES) - 1


def test_the_light_list_of_migration_names_matches_the_registered_migrations():
    """Opening a record decides "nothing pending" from storage.migration_names alone (no sqlite-utils);
    that list must be exactly the registered migrations, in order."""
    assert list(migration_names.MIGRATION_NAMES) == MIGRATION_NAMES
    assert MIGRATIONS.name == migration_names.MIGRATION_SET
    assert MIGRATIONS.migrations_table == migration_names.MIGRATIONS_TABLE


def test_pending_is_read_without_sqlite_utils_and_agrees_with_it(
    tmp_path, example_raw, monkeypatch
):
    path = tmp_path / "old.sqlite3"
    _record_at(path, MIGRATION_NAMES[-1], example_raw, monkeypatch)
    monkeypatch.undo()
    conn = connect(path)
    try:
        assert pending_migrations(conn) == [MIGRATION_NAMES[-1]]
        assert pending_migrations(conn) == [m.name for m in MIGRATIONS.pending(Database(conn))]
    finally:
        conn.close()
    open_db(path).close()
    conn = connect(path)
    try:
        assert pending_migrations(conn) == []
    finally:
        conn.close()


def test_opening_reads_through_sqlite3_and_makes_the_database_on_first_write(record_path):
    """The quick open: count, list, drafts and search need no sqlite-utils Database; the first
    write makes it, over the same connection (WAL, foreign keys, busy timeout kept)."""
    patient_record.PatientRecord(record_path).close()  # create and migrate
    with patient_record.PatientRecord(record_path, who="nurse.test") as record:
        assert record.patient_count() == 0
        assert record.patients_page(200, 0) == []
        assert record.drafts() == []
        assert record.search("kari") == []
        assert record._database is None
        conn = record._conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000
        record.add_patient({"mrn": "A-1", "family_name": "Karimova"})
        assert record._database is not None
        assert record._db.conn is conn
        assert record.patients_page(10, 0)[0].family_name == "Karimova"
        assert record.check() == []  # audited
    assert query(record_path, "SELECT count(*) FROM audit_log") == [(1,)]


def test_a_draft_from_before_0008_has_no_unconfirmed_lines(tmp_path):
    """A draft saved before drafts kept their carried lines' marks opens with none waiting."""
    path = tmp_path / "record-0007_record_corrections.sqlite3"
    shutil.copy(RECORDS / path.name, path)
    with patient_record.PatientRecord(path) as record:
        (draft,) = record.drafts()
        assert draft.unconfirmed == ()
        assert draft.content["patient"]["mrn"] == "OLD-0"
        record.save_draft(draft.content, "MedicinesPage", draft_id=draft.id, unconfirmed=("x[0]",))
        assert record.drafts()[0].unconfirmed == ("x[0]",)


def test_0014_recomputes_each_name_key_with_the_indian_spellings(tmp_path, monkeypatch):
    """walk24 #4: a record keyed before 0014 finds Chatterjee by "chaterjee" once opened."""
    from planner.domain import name_keys
    from planner.storage.db import open_db as open_record

    path = tmp_path / "old.sqlite3"
    db = Database(connect(path))
    MIGRATIONS.apply(db, stop_before="0014_indian_name_keys")
    db.execute(
        "INSERT INTO patients (mrn, family_name, given_name, created_at, updated_at)"
        " VALUES ('DEL-1', 'Chatterjee', 'Priya', '2026-12-08', '2026-12-08')"
    )
    pid = db.execute("SELECT id FROM patients").fetchone()[0]
    db.execute(
        "INSERT INTO patient_keys (patient_id, name_key, mrn_key) VALUES (?, ?, ?)",
        [pid, "chatterjee priya del 1", "del1"],
    )
    db.conn.commit()
    db.close()
    opened = open_record(path)
    try:
        (stored,) = opened.execute("SELECT name_key FROM patient_keys").fetchone()
    finally:
        opened.close()
    assert stored == name_keys.keys_row(pid, "Chatterjee", "Priya", "DEL-1")[1]
    assert "chaterji" in stored.split()
