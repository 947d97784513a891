"""File → Import case files…, Back up record…, Restore from backup…: run off the GUI thread,
with progress, and say what happened (refused files with their field messages)."""

from __future__ import annotations

import copy
import json
import threading

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from planner.services import patient_record, record_admin
from planner.ui import record_files
from planner.ui.background import wait_for_all
from planner.ui.main_window import MainWindow
from planner.ui.record_files import ImportResultDialog, RestoreConfirmation


@pytest.fixture
def window(qtbot, record, ui_settings):
    shown = MainWindow(record, ui_settings)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown
    wait_for_all()


@pytest.fixture
def worker_threads(monkeypatch):
    """The threads the import, backup and restore services ran on."""
    seen: list[threading.Thread] = []
    for name in ("import_case_files", "backup_record", "restore_record"):
        real = getattr(record_admin, name)

        def spy(*args, _real=real, **kwargs):
            seen.append(threading.current_thread())
            return _real(*args, **kwargs)

        monkeypatch.setattr(record_admin, name, spy)
    return seen


def _message_box(qtbot, window) -> QMessageBox:
    qtbot.waitUntil(lambda: window.findChild(QMessageBox) is not None, timeout=10000)
    return window.findChild(QMessageBox)


def _case(example_raw, mrn: str, family_name: str) -> dict:
    raw = copy.deepcopy(example_raw)
    raw["patient"].update(mrn=mrn, family_name=family_name)
    return raw


def test_the_main_window_is_the_record_host_the_file_actions_need(window):
    """record_files reaches the window only through RecordHost (it does not import the window:
    an import-linter contract); the window must keep implementing every member of it."""
    assert isinstance(window, record_files.RecordHost)
    assert window.dialog_parent() is window


def test_import_runs_off_the_gui_thread_and_reports_each_refused_file(
    qtbot, window, record, example_raw, tmp_path, monkeypatch, worker_threads
):
    good = [tmp_path / "karimova.json", tmp_path / "petrova.json"]
    good[0].write_text(json.dumps(example_raw), "utf-8")
    good[1].write_text(json.dumps(_case(example_raw, "TAS-000777", "Petrova")), "utf-8")
    wrong_unit = _case(example_raw, "TAS-000888", "Sidorova")
    wrong_unit["labs"]["bilirubin"]["unit"] = "mmol/L"
    refused = tmp_path / "sidorova.json"
    refused.write_text(json.dumps(wrong_unit), "utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{ not json", "utf-8")
    files = [*good, refused, broken]
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(f) for f in files], "")
    )
    assert window.pages.currentWidget() is window.empty_page

    window.import_action.trigger()
    qtbot.waitUntil(lambda: window.import_result is not None, timeout=20000)

    assert worker_threads
    assert worker_threads[0] is not threading.main_thread()
    assert record.patient_count() == 2
    assert window.pages.currentWidget() is window.table
    assert sorted(window.mrn_at(r) for r in range(window.table.model().rowCount())) == [
        "TAS-000123",
        "TAS-000777",
    ]
    dialog: ImportResultDialog = window.import_result
    assert dialog.isVisible()
    text = dialog.text()
    assert text.startswith("2 of 4 files imported; 2 refused.")
    assert "sidorova.json" in text
    assert "broken.json" in text
    assert "labs.bilirubin.unit: " in text  # the field path, then its message
    [sidorova] = [r for r in dialog.results if r.path == refused]
    assert sidorova.outcome is None
    assert any(p.path == "labs.bilirubin.unit" for p in sidorova.problems)
    for problem in sidorova.problems:
        assert problem.message in text
    assert "TAS-000777 (new patient), assessment" in text
    assert "broken.json (" in text
    assert "\nis not valid JSON" in text  # the file's own problem, without repeating its path
    dialog.close()


def test_import_progress_is_reported_per_file(qtbot, window, example_raw, tmp_path, monkeypatch):
    files = []
    for n in range(3):
        path = tmp_path / f"case{n}.json"
        path.write_text(json.dumps(_case(example_raw, f"P-{n}", f"Name{n}")), "utf-8")
        files.append(path)
    monkeypatch.setattr(record_files, "ask_case_files", lambda parent: files)
    op = record_files.import_case_files(window)
    qtbot.waitUntil(lambda: window.import_result is not None, timeout=20000)
    assert op is not None
    assert op.last_report == (2, "3 of 3: case2.json")
    assert window.import_result.text().startswith("All 3 files imported.")


def test_backup_writes_a_sound_record_with_the_same_patients(
    qtbot, window, record, example_raw, tmp_path, monkeypatch, worker_threads
):
    record.import_case(example_raw)
    record.add_patient({"mrn": "B-2", "family_name": "Ivanova"})
    dest = tmp_path / "backups" / "copy.sqlite3"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(dest), ""))

    window.backup_action.trigger()
    box = _message_box(qtbot, window)

    assert str(dest) in box.text()
    assert worker_threads[0] is not threading.main_thread()
    with patient_record.PatientRecord(dest, migrate=False) as copy_of:
        assert copy_of.patient_count() == 2
        assert copy_of.check() == []
    box.close()


def test_backup_never_overwrites_a_file(qtbot, window, tmp_path, monkeypatch):
    dest = tmp_path / "taken.sqlite3"
    dest.write_bytes(b"someone else's file")
    monkeypatch.setattr(record_files, "ask_backup_file", lambda parent, suggested: dest)
    record_files.back_up(window)
    box = _message_box(qtbot, window)
    assert "already exists" in box.text()
    assert dest.read_bytes() == b"someone else's file"
    box.close()


def test_restore_asks_replaces_the_record_and_keeps_the_one_it_replaced(
    qtbot, window, record, example_raw, tmp_path, monkeypatch, worker_threads
):
    record.import_case(example_raw)
    backup = record.backup(tmp_path / "backup.sqlite3")
    window.refresh()
    window.open_patient("TAS-000123")
    record.add_patient({"mrn": "AFTER-1", "family_name": "Later"})  # the restore undoes this
    asked = []
    monkeypatch.setattr(record_files, "ask_backup_to_restore", lambda parent: backup)
    monkeypatch.setattr(
        RestoreConfirmation,
        "ask",
        classmethod(lambda cls, parent, path, patients, source: asked.append(patients) or True),
    )

    window.restore_action.trigger()
    box = _message_box(qtbot, window)

    assert asked == [2]
    assert worker_threads[0] is not threading.main_thread()
    assert window.record is not record
    assert window.record.patient_count() == 1
    assert window.record.search("AFTER-1") == []
    assert window.record_view is None
    assert window.centralWidget().isEnabled()
    kept = [p for p in tmp_path.glob("*.before-restore-*.sqlite3")]  # (its audit key beside it)
    assert len(kept) == 1
    assert str(kept[0]) in box.text()
    with patient_record.PatientRecord(kept[0], migrate=False) as replaced:
        assert replaced.patient_count() == 2
    box.close()
    window.record.close()


def test_restore_declined_or_refused_changes_nothing(
    qtbot, window, record, example_raw, tmp_path, monkeypatch
):
    record.import_case(example_raw)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a record" * 100)
    monkeypatch.setattr(record_files, "ask_backup_to_restore", lambda parent: junk)
    answers = [False, True]
    monkeypatch.setattr(RestoreConfirmation, "ask", classmethod(lambda cls, *args: answers.pop(0)))
    assert record_files.restore(window) is None  # declined
    assert window.record is record
    record_files.restore(window)  # confirmed, but the file is not a record
    box = _message_box(qtbot, window)
    assert "not replaced" in box.text()
    assert "junk.sqlite3" in box.text()
    assert window.record.patient_count() == 1
    assert not [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]
    box.close()
    window.record.close()


def test_restore_confirmation_names_what_is_replaced(qtbot, tmp_path):
    box = RestoreConfirmation(None, tmp_path / "record.sqlite3", 12, tmp_path / "b.sqlite3")
    qtbot.addWidget(box)
    assert "record.sqlite3 (12 patients)" in box.text()
    assert "b.sqlite3" in box.text()
    assert "record.before-restore-" in box.informativeText()
    assert box.defaultButton() is not box.replace_button
