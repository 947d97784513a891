"""Draft autosave: saved on the first change and at least every second while typing, on leaving
the window; a failed save (record locked, disk full) is said in the window and retried; Cancel
always closes. Time is a fake clock the wizard reads (no timed assertions)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from planner.services import patient_record
from planner.storage.db import explain
from planner.ui.wizard.assessment_wizard import DRAFT_INTERVAL_S, AssessmentWizard


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def typing_wizard(qtbot, record):
    wizard = AssessmentWizard(record)
    qtbot.addWidget(wizard)
    wizard.clock = Clock()
    yield wizard
    wizard._draft_timer.stop()


def stored_drafts(record) -> list[dict]:
    """The drafts as another process sees them (a crash leaves only what is in the file)."""
    with closing(sqlite3.connect(record.path)) as conn:
        return [json.loads(text) for (text,) in conn.execute("SELECT draft_json FROM drafts")]


def type_slowly(qtbot, wizard, widget, text: str, seconds_per_key: float) -> None:
    widget.setFocus()
    for char in text:
        wizard.clock.now += seconds_per_key
        qtbot.keyClicks(widget, char)


def test_the_first_change_is_saved_at_once(qtbot, typing_wizard, record):
    qtbot.keyClicks(typing_wizard.patient_page.family_name, "K")
    assert [d["patient"]["family_name"] for d in stored_drafts(record)] == ["K"]
    assert "Draft saved" in typing_wizard.draft_status.text()


def test_steady_typing_is_saved_at_least_every_second(qtbot, typing_wizard, record):
    """2.7 s of typing without a pause (a debounce would save nothing until it stops)."""
    name = "Karimova-Abdullayeva-Tashkentova"  # 32 keys, one every 0.085 s
    type_slowly(qtbot, typing_wizard, typing_wizard.patient_page.family_name, name, 0.085)
    saved = stored_drafts(record)[0]["patient"]["family_name"]
    keys_per_interval = int(DRAFT_INTERVAL_S / 0.085) + 1
    assert name.startswith(saved)
    assert len(saved) >= len(name) - keys_per_interval
    assert typing_wizard._draft_timer.isActive()  # the rest follows within the second


def test_crash_while_typing_loses_nothing_acknowledged(qtbot, typing_wizard, record):
    page = typing_wizard.patient_page
    type_slowly(qtbot, typing_wizard, page.mrn, "TAS-000777", 0.3)
    type_slowly(qtbot, typing_wizard, page.family_name, "Petrova", 0.3)
    acknowledged = typing_wizard.case() if not typing_wizard._dirty else None
    if acknowledged is None:  # the last keys wait for their save: the timer's moment comes
        typing_wizard.clock.now += DRAFT_INTERVAL_S
        typing_wizard._draft_timer.timeout.emit()
        acknowledged = typing_wizard.case()
    assert "Draft saved" in typing_wizard.draft_status.text()
    # A crash: the window is gone without Cancel or Finish; the file holds what was said saved.
    typing_wizard._draft_timer.stop()
    assert stored_drafts(record) == [acknowledged]
    assert acknowledged["patient"]["family_name"] == "Petrova"


def test_leaving_the_window_saves_the_draft(qtbot, typing_wizard, record):
    page = typing_wizard.patient_page
    type_slowly(qtbot, typing_wizard, page.family_name, "Ka", 0.1)  # 'a' waits for its second
    assert stored_drafts(record)[0]["patient"]["family_name"] == "K"
    QApplication.sendEvent(typing_wizard, QEvent(QEvent.Type.ActivationChange))
    assert stored_drafts(record)[0]["patient"]["family_name"] == "Ka"


def test_a_locked_record_is_said_in_the_window_retried_and_cancel_still_closes(
    qtbot, typing_wizard, record, tmp_path, monkeypatch
):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    closed_unsaved: list[str] = []
    typing_wizard.unsaved.connect(closed_unsaved.append)
    other = sqlite3.connect(record.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program writing: the record is locked
    try:
        qtbot.keyClicks(typing_wizard.patient_page.family_name, "K")
        status = typing_wizard.draft_status.text()
        assert "NOT saved" in status
        assert "locked" in status
        assert "try again" in status
        assert typing_wizard._draft_timer.isActive()  # the retry is set
    finally:
        other.rollback()
    typing_wizard.clock.now += 5
    typing_wizard._draft_timer.timeout.emit()  # the retry's moment
    assert stored_drafts(record)[0]["patient"]["family_name"] == "K"
    assert "Draft saved" in typing_wizard.draft_status.text()

    other.execute("BEGIN IMMEDIATE")
    try:
        typing_wizard.clock.now += 5
        qtbot.keyClicks(typing_wizard.patient_page.family_name, "a")
        typing_wizard.show()
        typing_wizard.reject()  # Cancel, while the record is still locked
        assert not typing_wizard.isVisible()
    finally:
        other.rollback()
        other.close()
    assert len(closed_unsaved) == 1
    assert "could not be saved" in closed_unsaved[0]
    kept = list((tmp_path / "data").rglob("draft-*.json"))
    assert [json.loads(k.read_text("utf-8"))["patient"]["family_name"] for k in kept] == ["Ka"]


def test_a_full_disk_is_said_in_the_window(qtbot, typing_wizard, record, monkeypatch):
    def full(*_args, **_kwargs):
        raise patient_record.RecordUnavailable(
            record.path, explain(sqlite3.OperationalError("database or disk is full"))
        )

    monkeypatch.setattr(record, "save_draft", full)
    qtbot.keyClicks(typing_wizard.patient_page.family_name, "K")
    assert "disk is full" in typing_wizard.draft_status.text()
    assert "free some space" in typing_wizard.draft_status.text()


def test_a_record_fault_in_any_slot_is_said_in_the_window(qtbot, record, ui_settings):
    import sys

    from PySide6.QtWidgets import QMessageBox

    from planner.ui.app import install_fault_hook
    from planner.ui.main_window import MainWindow

    window = MainWindow(record, ui_settings)
    qtbot.addWidget(window)
    previous = install_fault_hook(window)
    try:
        fault = patient_record.RecordUnavailable(
            record.path, explain(sqlite3.OperationalError("database or disk is full"))
        )
        sys.excepthook(type(fault), fault, None)
    finally:
        sys.excepthook = previous
    boxes = window.findChildren(QMessageBox)
    assert len(boxes) == 1
    assert str(record.path) in boxes[0].text()
    assert "free some space" in boxes[0].text()


def test_a_new_assessment_closed_untouched_leaves_no_draft(qtbot, typing_wizard, record):
    """Cancel with nothing typed left an "Unfinished assessment" (issue 16 nurse walk)."""
    typing_wizard.reject()
    assert stored_drafts(record) == []


def test_typed_then_emptied_again_leaves_no_draft(qtbot, typing_wizard, record):
    family = typing_wizard.patient_page.family_name
    qtbot.keyClicks(family, "K")
    assert len(stored_drafts(record)) == 1  # saved at the first change
    family.clear()
    typing_wizard.reject()
    assert stored_drafts(record) == []


def test_closed_with_something_typed_keeps_the_draft(qtbot, typing_wizard, record):
    qtbot.keyClicks(typing_wizard.patient_page.family_name, "K")
    typing_wizard.reject()
    assert [d["patient"]["family_name"] for d in stored_drafts(record)] == ["K"]


def test_escape_asks_before_closing_a_typed_assessment(qtbot, typing_wizard, record, monkeypatch):
    """Walk 21 F12: Escape closed all ten steps at once, and the next keys went to the main
    window (another patient's record opened). With something typed it asks first; "keep
    typing" is the default answer, and Escape on an untouched window still just closes."""
    from PySide6.QtCore import Qt

    typing_wizard.show()
    asked = []
    monkeypatch.setattr(typing_wizard, "ask_to_close", lambda: asked.append(1) or False)
    family = typing_wizard.patient_page.family_name
    qtbot.keyClicks(family, "K")
    qtbot.keyClick(family, Qt.Key.Key_Escape)
    assert asked == [1]
    assert typing_wizard.isVisible()
    monkeypatch.setattr(typing_wizard, "ask_to_close", lambda: True)
    qtbot.keyClick(family, Qt.Key.Key_Escape)
    assert not typing_wizard.isVisible()
    assert [d["patient"]["family_name"] for d in stored_drafts(record)] == ["K"]


def test_escape_closes_an_untouched_assessment_without_asking(qtbot, typing_wizard, monkeypatch):
    from PySide6.QtCore import Qt

    typing_wizard.show()
    monkeypatch.setattr(typing_wizard, "ask_to_close", lambda: pytest.fail("asked"))
    qtbot.keyClick(typing_wizard.patient_page.family_name, Qt.Key.Key_Escape)
    assert not typing_wizard.isVisible()
