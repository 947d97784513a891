"""Online backup and restore: the restored record is the backed-up one, exactly."""

from __future__ import annotations

import pytest
from record_helpers import case_for, dump, query

from planner.domain.problems import InputInvalid
from planner.services import patient_record, record_admin


@pytest.fixture
def filled(record, example_raw):
    record.import_case(example_raw)
    record.fill_demo(20, seed=5)
    record.set_clinic_settings({"paper": "a4"})
    return record


def test_backup_then_restore_gives_an_identical_record(filled, record_path, tmp_path, example_raw):
    backup = filled.backup(tmp_path / "backup.sqlite3")
    saved = dump(backup)
    filled.import_case(case_for(example_raw, "AFTER-BACKUP"))  # a change the restore undoes
    filled.close()
    kept = record_admin.restore_record(record_path, backup)
    assert dump(record_path) == saved
    assert kept is not None
    assert query(kept, "SELECT count(*) FROM patients WHERE mrn = 'AFTER-BACKUP'") == [(1,)]
    with patient_record.PatientRecord(record_path) as restored:
        assert restored.check() == []
        assert restored.search("AFTER-BACKUP") == []


def test_backup_into_a_folder_and_never_over_a_file(filled, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    made = filled.backup(folder)
    assert made.parent == folder
    with pytest.raises(InputInvalid, match="already exists"):
        filled.backup(made)


def test_restore_refuses_what_is_not_a_record(tmp_path, record_path, filled):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(InputInvalid, match=r"junk\.sqlite3"):
        record_admin.restore_record(record_path, junk)
    with pytest.raises(InputInvalid, match="no such file"):
        record_admin.restore_record(record_path, tmp_path / "missing.sqlite3")
    assert filled.check() == []


def test_restore_into_a_new_place(filled, tmp_path):
    backup = filled.backup(tmp_path / "b.sqlite3")
    target = tmp_path / "elsewhere" / "record.sqlite3"
    assert record_admin.restore_record(target, backup) is None
    assert dump(target) == dump(backup)
