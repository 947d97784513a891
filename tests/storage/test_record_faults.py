"""Faults, damage and hostile files end in a clear refusal, never in silent loss (issue #17).

Each test reproduces one failure the reliability test found; the record's files are compared
byte for byte before and after, so "refused" also means "left exactly as it was".
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from record_helpers import case_for, query
from sqlite_utils import Database

from planner import cli
from planner.domain.problems import InputInvalid
from planner.services import case_commands, patient_record, record_admin
from planner.storage.db import connect
from planner.storage.migration_names import MIGRATION_NAMES
from planner.storage.migrations import MIGRATIONS


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sqlite_file(path: Path, sql: str) -> Path:
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(sql)
    return path


def future_record(path: Path) -> Path:
    patient_record.PatientRecord(path).close()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
            " VALUES ('planner', '9999_from_the_future', '2030-01-01')"
        )
        conn.commit()
    return path


def truncated_record(path: Path, example_raw: dict) -> Path:
    with patient_record.PatientRecord(path) as record:
        record.import_case(example_raw)
        record.fill_demo(30, seed=3)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])
    return path


UNUSABLE = {
    "empty": lambda p, raw: (p.write_bytes(b""), p)[1],
    "truncated": truncated_record,
    "not sqlite": lambda p, raw: (p.write_bytes(b"PK\x03\x04 a zip file, say" * 400), p)[1],
    "foreign": lambda p, raw: sqlite_file(p, "CREATE TABLE invoices (id INTEGER, total REAL);"),
    "hollow": lambda p, raw: sqlite_file(p, "PRAGMA user_version = 1;"),
    "future schema": lambda p, raw: future_record(p),
}


@pytest.fixture(params=sorted(UNUSABLE))
def unusable(request, tmp_path, example_raw) -> tuple[str, Path, str]:
    path = UNUSABLE[request.param](tmp_path / "record.sqlite3", example_raw)
    return request.param, path, digest(path)


def test_an_unusable_file_is_refused_and_never_replaced_by_any_command(
    capsys, unusable, tmp_path, example_raw
):
    kind, path, before = unusable
    case = tmp_path / "case.json"
    case.write_text(json.dumps(example_raw), "utf-8")
    for argv in (
        ("db", "--db", path, "init"),
        ("db", "--db", path, "import", case),
        ("db", "--db", path, "check"),
        ("db", "--db", path, "export", tmp_path / "out"),
        ("db", "--db", path, "demo", "--patients", "2"),
        ("search", "--db", path, "kari"),
    ):
        code, out, err = run(capsys, *argv)
        assert code == 2, (kind, argv, out, err)
        assert str(path) in err, err
        assert "nothing was changed" in err or "damaged" in err, err
        assert "Traceback" not in err
        assert "internal error" not in err
        assert digest(path) == before, (kind, argv)
    with pytest.raises(patient_record.RecordUnavailable, match=r"nothing was changed|damaged"):
        patient_record.PatientRecord(path)
    assert digest(path) == before


def test_the_app_refuses_an_empty_record_with_a_message(capsys, tmp_path):
    from planner.ui import app

    path = tmp_path / "record.sqlite3"
    path.write_bytes(b"")
    assert app.run(["--db", str(path), "--smoke"]) == 1
    err = capsys.readouterr().err
    assert "is empty (0 bytes)" in err
    assert "restore it from a backup" in err
    assert path.read_bytes() == b""


def test_init_on_an_existing_record_refuses_and_changes_nothing(capsys, record_path, example_raw):
    with patient_record.PatientRecord(record_path) as record:
        record.import_case(example_raw)
    before = digest(record_path)
    code, _, err = run(capsys, "db", "--db", record_path, "init")
    assert code == 2
    assert "already holds a record (1 patient); nothing was changed" in err
    assert digest(record_path) == before


def test_a_new_record_is_created_whole_or_not_at_all(tmp_path, monkeypatch):
    """Creation builds the record under a temporary name and links it into place: a failure
    half-way leaves no file under the record's name (nor a hollow one that the next open would
    mistake for a record)."""
    path = tmp_path / "record.sqlite3"

    def broken(db):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(MIGRATIONS, "apply", broken)
    with pytest.raises(patient_record.RecordUnavailable, match="disk is full"):
        patient_record.PatientRecord(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


OPEN_OLD_RECORD = """
import json, sys
from pathlib import Path
from planner.services import case_commands, patient_record, record_admin
try:
    with patient_record.PatientRecord(Path(sys.argv[1])) as record:
        print(json.dumps(["ok", record.patient_count()]))
except patient_record.RecordUnavailable as exc:
    print(json.dumps(["refused", exc.reason]))
"""


def test_an_old_schema_opened_by_several_processes_at_once_is_migrated_once(
    tmp_path, example_raw, monkeypatch
):
    path = tmp_path / "old.sqlite3"
    db = Database(connect(path))
    MIGRATIONS.apply(db, stop_before=MIGRATION_NAMES[-1])
    db.close()
    from planner.storage import cases, patients

    if MIGRATION_NAMES.index("0005_name_search_keys") >= len(MIGRATION_NAMES) - 1:
        # the record is older than search keys: the code of its time wrote none
        monkeypatch.setattr(patients, "add_keys", lambda conn, names: None)
    db = Database(connect(path))
    cases.import_case(db, case_commands.check_case(example_raw).case, example_raw, "earlier.build")
    db.close()
    monkeypatch.undo()
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_OLD_RECORD, str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outcomes = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        assert "Traceback" not in err
        outcomes.append(tuple(json.loads(out)))
    assert ("ok", 1) in outcomes
    assert all(o == ("ok", 1) or "try again" in o[1] for o in outcomes), outcomes
    applied = query(path, "SELECT name FROM _sqlite_migrations ORDER BY rowid")
    assert [name for (name,) in applied] == list(MIGRATION_NAMES)
    backups = [p for p in tmp_path.iterdir() if ".before-" in p.name]
    assert len(backups) == 1  # one migration, one safety backup


# ---- backup and restore ------------------------------------------------------------------------


@pytest.fixture
def filled(record, example_raw):
    record.import_case(example_raw)
    record.fill_demo(10, seed=5)
    return record


def test_restore_refuses_the_record_itself_without_hanging(filled, record_path):
    before = query(record_path, "SELECT count(*) FROM patients")
    with pytest.raises(InputInvalid, match="is the record itself"):
        record_admin.restore_record(record_path, record_path)
    assert query(record_path, "SELECT count(*) FROM patients") == before


@pytest.mark.parametrize(
    "backup_kind", ["hollow (only the migrations table)", "foreign", "damaged", "empty"]
)
def test_restore_refuses_a_backup_that_is_not_a_sound_record(
    filled, record_path, tmp_path, backup_kind
):
    backup = filled.backup(tmp_path / "good.sqlite3")
    bad = tmp_path / "bad.sqlite3"
    if backup_kind.startswith("hollow"):
        shutil.copy(backup, bad)
        with closing(sqlite3.connect(bad)) as conn:
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE '%fts%' AND name NOT IN ('_sqlite_migrations')"
            ).fetchall():
                conn.execute(f"DROP TABLE IF EXISTS {name}")
            conn.commit()
    elif backup_kind == "foreign":
        sqlite_file(bad, "CREATE TABLE invoices (id INTEGER);")
    elif backup_kind == "damaged":
        shutil.copy(backup, bad)
        data = bytearray(bad.read_bytes())
        for page in range(2, len(data) // 8192):  # every b-tree page's header overwritten
            data[page * 8192 : page * 8192 + 12] = b"\x0d\xff" * 6
        bad.write_bytes(bytes(data))
    else:
        bad.write_bytes(b"")
    before = query(record_path, "SELECT count(*) FROM patients")
    with pytest.raises(InputInvalid, match=r"bad\.sqlite3"):
        record_admin.restore_record(record_path, bad)
    assert query(record_path, "SELECT count(*) FROM patients") == before
    assert not [p for p in tmp_path.iterdir() if "before-restore" in p.name]


def test_restore_repairs_an_emptied_record_and_keeps_the_empty_file(filled, record_path, tmp_path):
    backup = filled.backup(tmp_path / "good.sqlite3")
    filled.close()
    record_path.write_bytes(b"")
    for side in ("-wal", "-shm"):
        Path(f"{record_path}{side}").unlink(missing_ok=True)
    kept = record_admin.restore_record(record_path, backup)
    assert kept is not None
    assert kept.read_bytes() == b""
    with patient_record.PatientRecord(record_path) as restored:
        assert restored.patient_count() == 11


def test_an_interrupted_backup_leaves_nothing_under_a_finished_name(filled, tmp_path, monkeypatch):
    from planner.storage import db as storage_db

    def interrupted(source):
        raise storage_db.RecordError(source, "is damaged (simulated)")

    monkeypatch.setattr(storage_db, "verify_backup", interrupted)
    with pytest.raises(patient_record.RecordUnavailable, match="could not be verified"):
        filled.backup(tmp_path / "copy.sqlite3")
    assert not [p for p in tmp_path.iterdir() if "copy" in p.name]


# ---- environment faults: one sentence naming the file, exit 2 -----------------------------------


def test_a_locked_record_is_exit_2_with_what_to_do(
    capsys, record_path, example_raw, tmp_path, monkeypatch
):
    from planner.storage import db as storage_db

    monkeypatch.setattr(storage_db, "BUSY_TIMEOUT_S", 0.1)
    patient_record.PatientRecord(record_path).close()
    case = tmp_path / "case.json"
    case.write_text(json.dumps(example_raw), "utf-8")
    other = sqlite3.connect(record_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        code, _out, err = run(capsys, "db", "--db", record_path, "import", case)
    finally:
        other.rollback()
        other.close()
    assert code == 2
    assert str(record_path) in err
    assert "locked" in err
    assert "try again" in err
    assert "Traceback" not in err
    assert "internal error" not in err


def test_a_folder_given_as_the_record_is_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "db", "--db", tmp_path, "import", tmp_path / "x.json")
    assert code == 2
    assert "is a folder, not a record file" in err


def test_a_record_path_under_a_file_is_exit_2(capsys, tmp_path):
    (tmp_path / "afile").write_text("x")
    code, _, err = run(capsys, "db", "--db", tmp_path / "afile" / "record.sqlite3", "init")
    assert code == 2
    assert "is a file, not a folder" in err
    assert "internal error" not in err


@pytest.mark.skipif(
    os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root ignores modes"
)
def test_a_read_only_record_is_exit_2(capsys, record_path, tmp_path, example_raw):
    patient_record.PatientRecord(record_path).close()
    case = tmp_path / "case.json"
    case.write_text(json.dumps(example_raw), "utf-8")
    record_path.chmod(0o444)
    try:
        code, _, err = run(capsys, "db", "--db", record_path, "import", case)
    finally:
        record_path.chmod(0o644)
    assert code == 2
    assert "internal error" not in err
    assert str(record_path) in err


def test_an_export_path_that_is_a_file_is_exit_2(capsys, filled, record_path, tmp_path):
    filled.close()
    target = tmp_path / "out"
    target.write_text("a file")
    code, _, err = run(capsys, "db", "--db", record_path, "export", target)
    assert code == 2
    assert "is a file, not a folder" in err
    assert "internal error" not in err


def test_a_backup_into_a_file_path_is_exit_2(capsys, filled, record_path, tmp_path):
    filled.close()
    (tmp_path / "afile").write_text("x")
    code, _, err = run(
        capsys, "db", "--db", record_path, "backup", tmp_path / "afile" / "b.sqlite3"
    )
    assert code == 2
    assert "internal error" not in err
    assert "afile" in err


# ---- db check: the audit log as the record's ledger ---------------------------------------------


@pytest.fixture
def ledger(record, record_path, example_raw):
    """A record with two patients, assessments, a kept plan and a clinic setting; closed, so
    the test edits it as someone with the sqlite3 shell would."""
    record.import_case(example_raw)
    record.import_case(case_for(example_raw, "TAS-000200", family_name="Rahimova"))
    record.record_plan(
        1,
        {"schema": "planner.plan/1", "drugs": [{"name": "capecitabine", "dose_mg_m2": 1000}]},
        pdf_sha256=None,
        rules_version="1",
        settings={},
    )
    record.set_clinic_settings({"lab_uln": {"bilirubin": 21}})
    assert record.check() == []
    record.close()
    return record_path


def shell(path: Path, *statements: str) -> None:
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        for statement in statements:
            conn.execute(statement)


def check(capsys, path: Path) -> tuple[int, str]:
    code, out, err = run(capsys, "db", "--db", path, "check")
    assert "Traceback" not in err
    return code, out


def test_check_reports_a_deleted_row(capsys, ledger):
    shell(ledger, "DELETE FROM assessments WHERE id = 2")
    code, out = check(capsys, ledger)
    assert code == 1
    assert "assessments 2: in the audit log but not in the record (deleted outside" in out


def test_check_reports_an_assessment_moved_to_another_patient(capsys, ledger):
    shell(ledger, "UPDATE assessments SET patient_id = 2 WHERE id = 1")
    code, out = check(capsys, ledger)
    assert code == 1
    assert "assessments 1: differs from its last audited state" in out
    assert "patient_id is 2 in the record, 1 in the audit log" in out


def test_check_reports_a_kept_plans_dose_edited_and_the_dropped_trigger(capsys, ledger):
    shell(
        ledger,
        "DROP TRIGGER plans_are_immutable",
        "UPDATE plans SET plan_json = replace(plan_json, '1000', '1250') WHERE id = 1",
    )
    code, out = check(capsys, ledger)
    assert code == 1
    assert "schema: trigger plans_are_immutable is missing" in out
    assert "plans 1: differs from its last audited state" in out
    assert "plan_json" in out


def test_check_reports_a_clinic_setting_changed_outside_the_program(capsys, ledger):
    shell(
        ledger,
        "UPDATE clinic_settings SET value_json = '{\"bilirubin\":99}' WHERE key = 'lab_uln'",
    )
    code, out = check(capsys, ledger)
    assert code == 1
    assert "clinic_settings lab_uln: differs" in out
    assert '{"bilirubin": 99} in the record, {"bilirubin": 21} in the audit log' in out


def test_check_reports_a_dropped_trigger_alone(capsys, ledger):
    shell(ledger, "DROP TRIGGER audit_log_no_delete")
    code, out = check(capsys, ledger)
    assert code == 1
    assert "schema: trigger audit_log_no_delete is missing" in out


def test_an_edit_with_a_recomputed_unkeyed_chain_is_caught(capsys, ledger):
    """The old weakness: edit a row, rewrite its audit entry to match, recompute the chain with
    SHA-256. Without the key the chain cannot be made to verify."""
    from planner.storage import audit

    shell(ledger, "DROP TRIGGER audit_log_no_update")
    with closing(sqlite3.connect(ledger, isolation_level=None)) as conn:
        conn.execute("UPDATE patients SET family_name = 'Someone' WHERE id = 1")
        row = conn.execute("SELECT * FROM patients WHERE id = 1").fetchone()
        names = [d[1] for d in conn.execute("PRAGMA table_info(patients)")]
        forged = audit.snapshot(dict(zip(names, row, strict=True)))
        conn.execute(
            "UPDATE audit_log SET after_json = ? WHERE table_name = 'patients' AND row_key = '1'",
            [forged],
        )
        prev = audit.GENESIS
        for entry in conn.execute("SELECT * FROM audit_log ORDER BY id").fetchall():
            digest = audit.entry_hash(prev, *entry[:8])
            conn.execute(
                "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?",
                [prev, digest, entry[0]],
            )
            prev = digest
        conn.execute(
            "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT"
            " RAISE(ABORT, 'the audit log is append-only'); END"
        )
    code, out = check(capsys, ledger)
    assert code == 1
    assert "audit_log #1: not keyed" in out


def test_the_audit_key_file_is_the_owners_only(ledger):
    from planner.storage import audit_key

    key_file = audit_key.key_path(ledger)
    assert key_file.exists()
    if os.name == "posix":
        assert key_file.stat().st_mode & 0o777 == 0o600


def test_a_missing_key_is_said(capsys, ledger):
    from planner.storage import audit_key

    audit_key.key_path(ledger).unlink()
    code, out = check(capsys, ledger)
    assert code == 1
    assert "keyed entries cannot be verified: no key file" in out


def test_restore_refuses_a_tampered_backup(ledger, tmp_path):
    with patient_record.PatientRecord(ledger) as record:
        backup = record.backup(tmp_path / "backup.sqlite3")
    shell(backup, "UPDATE patients SET family_name = 'Someone' WHERE id = 1")
    with pytest.raises(InputInvalid, match="does not pass the record's checks"):
        record_admin.restore_record(ledger, backup)


def test_check_does_not_mistake_another_programs_lock_for_damage(capsys, ledger):
    other = sqlite3.connect(ledger, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute(
        "INSERT INTO drafts (wizard_page, draft_json, updated_at, updated_by)"
        " VALUES ('PatientPage', '{}', 'now', 'x')"
    )
    try:
        code, out, err = run(capsys, "db", "--db", ledger, "check")
    finally:
        other.rollback()
        other.close()
    assert (code, out) == (0, "ok\n")
    assert "another program is writing" in err


# ---- db check: a damaged page and a corrupted write-ahead-log frame ------------------------------


def _frame_of_a_commit_in_the_middle(wal: Path) -> int:
    data = wal.read_bytes()
    page_size = int.from_bytes(data[8:12], "big")
    frames = (len(data) - 32) // (24 + page_size)
    return frames // 3


def test_check_reports_a_damaged_page_and_a_corrupted_wal_frame(capsys, tmp_path, example_raw):
    """Fault injection: the record is copied (file and -wal) while a writer has it open, as a
    crash leaves it; a frame of the log and a page of the file are then damaged."""
    source = tmp_path / "live" / "record.sqlite3"
    with patient_record.PatientRecord(source) as record:
        record.fill_demo(40, seed=9)  # checkpointed below: pages in the file
    writer = patient_record.PatientRecord(source)
    writer._conn.execute("PRAGMA wal_autocheckpoint = 0")
    writer._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for n in range(30):  # each its own commit: frames in the log
        writer.import_case(case_for(example_raw, f"WAL-{n}"))
    copy = tmp_path / "copy" / "record.sqlite3"
    copy.parent.mkdir()
    for suffix in ("", "-wal", "-audit.key"):
        shutil.copy(f"{source}{suffix}", f"{copy}{suffix}")
    writer.close()
    wal = Path(f"{copy}-wal")
    data = bytearray(wal.read_bytes())
    page_size = int.from_bytes(data[8:12], "big")
    frame = _frame_of_a_commit_in_the_middle(wal)
    start = 32 + frame * (24 + page_size) + 24
    # page content changed (inverted, not zeroed: the bytes may be zero already, in a page of
    # the search or worklist tables): its checksum fails
    data[start + 100 : start + 164] = bytes(b ^ 0xFF for b in data[start + 100 : start + 164])
    wal.write_bytes(bytes(data))
    with closing(sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)) as conn:
        root = conn.execute(
            # a page the imports after the checkpoint did not touch (not in the log)
            "SELECT rootpage FROM sqlite_master WHERE name = 'clinic_settings'"
        ).fetchone()[0]
    pages = bytearray(copy.read_bytes())
    pages[(root - 1) * 8192 : (root - 1) * 8192 + 8] = b"\xff" * 8  # b-tree page header
    copy.write_bytes(bytes(pages))
    wal_before = wal.read_bytes()

    code, out = check(capsys, copy)
    assert code == 1
    assert "write-ahead log: its write-ahead log (record.sqlite3-wal) is damaged at frame" in out
    assert "saved change(s) after it cannot be read" in out
    assert f"integrity_check: table clinic_settings (page {root} on) cannot be read" in out
    assert wal.read_bytes() == wal_before  # the evidence is kept: check never writes
    # Opening it to work on is refused: a write would overwrite the hidden commits.
    with pytest.raises(patient_record.RecordUnavailable, match="write-ahead log"):
        patient_record.PatientRecord(copy)
    assert wal.read_bytes() == wal_before


# ---- hostile input: refused naming the field, exit 2 ---------------------------------------------


def write_case(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def raw_text(example_raw: dict, **replacements: str) -> str:
    """The example as JSON with some values replaced by literal JSON text."""
    text = json.dumps(example_raw, ensure_ascii=True)
    for marker, literal in replacements.items():
        text = text.replace(f'"{marker}"', literal)
    return text


@pytest.mark.parametrize(
    ("literal", "field", "words"),
    [
        ("1e400", "labs.bilirubin.uln", "is not a finite number"),
        ("1" + "0" * 5000, "labs.bilirubin.uln", "is a number of 5001 digits"),
        ('"Kari\\ud800mova"', "patient.family_name", "unpaired surrogate"),
        ('"Kari\\u200bmova"', "patient.family_name", "invisible character (U+200B ZERO WIDTH"),
        ('"\\u202eavomiraK"', "patient.family_name", "text-direction character (U+202E"),
    ],
)
def test_hostile_values_are_input_errors_naming_the_field(
    capsys, tmp_path, record_path, example_raw, literal, field, words
):
    raw = json.loads(json.dumps(example_raw))
    if field.startswith("labs"):
        raw["labs"]["bilirubin"]["uln"] = "MARK"
    else:
        raw["patient"]["family_name"] = "MARK"
    bad = write_case(tmp_path, "bad.json", raw_text(raw, MARK=literal))
    good = write_case(tmp_path, "good.json", json.dumps(example_raw))
    for argv in (
        ("validate", bad),
        ("plan", bad),
        ("db", "--db", record_path, "import", bad, good),
    ):
        code, out, err = run(capsys, *argv)
        assert code == 2, (argv, err)
        assert f"{field}: " in err
        assert words in err
        assert "internal error" not in err
        assert "Traceback" not in err
    # The batch went on after the refused file, and says so file by file.
    assert "refused " in out
    assert "ok " in out
    assert query(record_path, "SELECT count(*) FROM patients") == [(1,)]


def test_one_patient_however_her_mrn_is_typed(capsys, tmp_path, record_path, example_raw):
    files = []
    for n, mrn in enumerate(("TAS-000123", "tas-000123", "TAS  000123", " TAS--000123 ")):
        raw = case_for(example_raw, mrn)
        raw["assessed_on"] = f"2026-11-2{n}"
        raw["labs"]["drawn_on"] = f"2026-11-2{n}"
        files.append(write_case(tmp_path, f"c{n}.json", json.dumps(raw)))
    code, _, err = run(capsys, "db", "--db", record_path, "import", *files)
    assert code == 0, err
    assert query(record_path, "SELECT mrn FROM patients") == [("TAS-000123",)]
    assert query(record_path, "SELECT count(*) FROM assessments") == [(4,)]
    stored = query(record_path, "SELECT case_json FROM assessments")
    assert {json.loads(text)["patient"]["mrn"] for (text,) in stored} == {"TAS-000123"}


def test_a_near_duplicate_mrn_is_flagged_at_import_and_registration(
    capsys, tmp_path, record_path, example_raw
):
    first = write_case(tmp_path, "a.json", json.dumps(example_raw))
    second = write_case(tmp_path, "b.json", json.dumps(case_for(example_raw, "TAS000123")))
    run(capsys, "db", "--db", record_path, "import", first)
    code, _, err = run(capsys, "db", "--db", record_path, "import", second)
    assert code == 0
    assert 'patient.mrn: "TAS000123" is close to TAS-000123 already in the record' in err
    with patient_record.PatientRecord(record_path) as record:
        with pytest.raises(InputInvalid, match="is close to TAS-000123"):
            record.add_patient({"mrn": "tas 000123x", "family_name": "K"} | {"mrn": "TAS/000123"})
        record.add_patient({"mrn": "TAS/000123", "family_name": "K"}, near_duplicate_confirmed=True)


def test_names_are_stored_in_nfc_and_found(record, example_raw):
    decomposed = "S\u0327ahin"  # S + combining cedilla: displays as Şahin
    record.import_case(case_for(example_raw, "IST-1", family_name=decomposed))
    assert [p.family_name for p in record.search("Şahin")] == ["Şahin"]
    assert record.search("Şahin")[0].family_name == "\u015eahin"


def test_joiners_inside_devanagari_names_are_kept(record, example_raw):
    name = "क्\u200dष"  # a zero-width joiner between Devanagari letters shapes a conjunct
    record.import_case(case_for(example_raw, "DEL-1", family_name=name))
    assert query(record.path, "SELECT family_name FROM patients WHERE mrn = 'DEL-1'") == [(name,)]


def test_problems_reported_are_capped(capsys, tmp_path, example_raw):
    raw = json.loads(json.dumps(example_raw))
    raw["body"] = {f"unknown_{n}": n for n in range(20_000)}
    path = write_case(tmp_path, "many.json", json.dumps(raw))
    code, _, err = run(capsys, "validate", path)
    assert code == 2
    lines = err.splitlines()
    assert len(lines) <= 51
    assert lines[-1].endswith("more problems not listed")


def test_input_size_is_capped(capsys, tmp_path):
    path = tmp_path / "huge.json"
    path.write_text('{"x": "' + "a" * 6_000_000 + '"}', "utf-8")
    code, _, err = run(capsys, "validate", path)
    assert code == 2
    assert "too large for a case document" in err


def test_albi_with_bilirubin_zero_is_an_input_error(capsys, tmp_path):
    path = write_case(
        tmp_path,
        "albi.json",
        json.dumps(
            {
                "bilirubin": {"value": 0, "unit": "umol/L"},
                "albumin": {"value": 35, "unit": "g/L"},
            }
        ),
    )
    code, _, err = run(capsys, "score", "albi", path)
    assert code == 2
    assert "bilirubin.value: 0 gives no ALBI score" in err


def test_a_full_disk_is_exit_2_with_what_to_do(
    capsys, record_path, tmp_path, example_raw, monkeypatch
):
    """SQLite's own error for a full disk, met half-way through an import."""
    from planner.storage import cases

    patient_record.PatientRecord(record_path).close()

    def full(*_args, **_kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(cases, "import_case", full)
    case = write_case(tmp_path, "case.json", json.dumps(example_raw))
    code, _, err = run(capsys, "db", "--db", record_path, "import", case)
    assert code == 2
    assert f"{record_path}: the disk is full: free some space" in err
    assert "internal error" not in err


def test_the_app_says_a_damaged_record_is_damaged(capsys, tmp_path, example_raw):
    from planner.ui import app

    path = tmp_path / "record.sqlite3"
    with patient_record.PatientRecord(path) as record:
        record.fill_demo(60, seed=4)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'patients'"
        ).fetchone()[0]
    data = bytearray(path.read_bytes())
    data[(root - 1) * 8192 : (root - 1) * 8192 + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))
    assert app.run(["--db", str(path), "--smoke"]) == 1
    err = capsys.readouterr().err
    assert "is damaged" in err
    assert "restore it from a backup" in err
    assert "Traceback" not in err
