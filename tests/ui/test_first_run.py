"""First run (issue 20 item 7): with no clinic settings the start of a session is one dialog,
the essential settings and the name that signs them; saved, it is never asked again, and a
smoke start or a window made by a test asks nothing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from planner.services import clinic_settings
from planner.ui import sign_name
from planner.ui.main_window import MainWindow
from planner.ui.settings_dialog import ClinicSettingsDialog

ROOT = Path(__file__).resolve().parents[2]


def _answer(qtbot, act):
    """Run `act(dialog)` on the modal dialog once it is shown (the nurse's answer)."""
    seen = []
    tries = [200]  # bounded: a dialog that never comes must not answer a later test's

    def on_shown():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            tries[0] -= 1
            if tries[0]:
                QTimer.singleShot(10, on_shown)
            return
        seen.append(dialog)
        act(dialog)

    QTimer.singleShot(0, on_shown)
    return seen


@pytest.fixture
def no_name_prompt(monkeypatch):
    asked = []

    def ask(parent=None):
        asked.append(True)
        return "Nurse Dilnoza"

    monkeypatch.setattr(sign_name, "ask_name", ask)
    return asked


def _fill(dialog):
    dialog.signer.setText("  Nurse   Malika ")
    dialog.clinic_name.setText("Tashkent Hospice")
    dialog.clinic_phone.setText("+998 71 200 00 00")
    dialog.out_of_hours.setText("+998 71 200 00 99")
    dialog.paper.setCurrentIndex(dialog.paper.findData("letter"))
    dialog.date_format.setCurrentIndex(dialog.date_format.findData("iso"))
    dialog.uln["bilirubin"].setText("21")
    dialog.labels.setCurrentIndex(dialog.labels.findData("eu"))
    dialog.save()


def test_first_run_asks_the_settings_and_the_name_once(qtbot, record, no_name_prompt, monkeypatch):
    assert not record.has_clinic_settings()
    shown = _answer(qtbot, _fill)
    assert sign_name.start_session(record) == "Nurse Malika"
    (dialog,) = shown
    assert isinstance(dialog, ClinicSettingsDialog)
    assert dialog.first_run
    assert no_name_prompt == []  # one dialog, not the settings and then a second prompt
    settings = clinic_settings.of_record(record)
    assert settings.clinic_name == "Tashkent Hospice"
    assert (settings.clinic_phone, settings.out_of_hours_phone) == (
        "+998 71 200 00 00",
        "+998 71 200 00 99",
    )
    assert (settings.paper, settings.date_format) == ("letter", "iso")
    assert settings.lab_uln == {"bilirubin": 21.0}
    assert settings.labels == "eu"
    with sqlite3.connect(record.path) as conn:
        signers = {
            who
            for (who,) in conn.execute(
                "SELECT who FROM audit_log WHERE table_name = 'clinic_settings'"
            )
        }
    assert signers == {"Nurse Malika"}  # the settings are signed by the name asked with them
    # the next start asks only the name
    monkeypatch.setattr(
        ClinicSettingsDialog, "exec", lambda self: pytest.fail("first-run dialog shown again")
    )
    assert sign_name.start_session(record) == "Nurse Dilnoza"
    assert no_name_prompt == [True]
    assert record.has_clinic_settings()


def test_the_first_run_refuses_to_save_without_a_name(qtbot, record, no_name_prompt):
    def nameless_then_named(dialog):
        dialog.clinic_name.setText("Delhi Pain Clinic")
        dialog.save()
        assert dialog.isVisible()
        assert dialog.messages["user"].isVisible()
        assert "A name is needed" in dialog.messages["user"].text()
        assert not record.clinic_settings()  # nothing saved unsigned
        _fill(dialog)

    _answer(qtbot, nameless_then_named)
    assert sign_name.start_session(record) == "Nurse Malika"


def test_ask_me_next_time_asks_the_name_and_the_settings_again_next_start(
    qtbot, record, no_name_prompt
):
    _answer(qtbot, lambda d: d.reject())
    assert sign_name.start_session(record) == "Nurse Dilnoza"
    assert no_name_prompt == [True]
    assert record.who == "Nurse Dilnoza"
    assert not record.has_clinic_settings()  # nothing kept: asked again at the next start


def test_the_first_tab_holds_the_essential_rows_and_the_second_the_expert_ones(qtbot, record):
    dialog = ClinicSettingsDialog(record, first_run=True)
    qtbot.addWidget(dialog)
    first, second = (dialog.tabs.widget(i) for i in range(2))
    assert dialog.tabs.currentIndex() == 0
    for row in clinic_settings.settings_table().rows:
        page = first if row.tab == "essential" else second
        widget = {**dialog.fields, **dialog.choices}.get(row.key)
        if widget is not None:
            assert page.isAncestorOf(widget), row.key
    essential = {row.key for row in clinic_settings.settings_table().on_tab("essential")}
    assert essential == {
        "clinic_name",
        "clinic_phone",
        "clinic_out_of_hours_phone",
        "emergency_phone",  # printed beside "call an ambulance" (print recheck 16/20)
        "units",
        "date_format",
        "paper",
        "lab_uln",
        "labels",  # asked at the first run, not assumed (review 16c)
    }
    assert first.isAncestorOf(dialog.signer)


def test_the_first_run_asks_which_labels_and_never_assumes_us(qtbot, record, no_name_prompt):
    """A Delhi clinic that saved the first tab as shown was set to US labels unasked (issue 16,
    independent nurse walk): the label set starts unchosen and Save waits for a choice."""

    def unchosen_then_chosen(dialog):
        assert dialog.labels.currentData() is None
        assert dialog.labels.currentText() == "— choose —"
        dialog.signer.setText("Nurse Priya")
        dialog.clinic_name.setText("Delhi Pain Clinic")
        dialog.save()
        assert dialog.isVisible()
        assert "never assumed" in dialog.messages["labels"].text()
        assert not record.clinic_settings()  # nothing saved with the label set unanswered
        dialog.labels.setCurrentIndex(dialog.labels.findData("us"))
        dialog.save()

    _answer(qtbot, unchosen_then_chosen)
    assert sign_name.start_session(record) == "Nurse Priya"
    assert clinic_settings.of_record(record).labels == "us"  # chosen, not defaulted


def test_an_unanswered_question_below_the_fold_is_scrolled_into_view(qtbot, record, no_name_prompt):
    """Review 19d: at 1366x768 Save with the label set unanswered "did nothing": the message
    stood below the fold of the first tab. It is scrolled into view."""
    seen = []

    def save_unanswered(dialog):
        dialog.resize(720, 420)  # the tab shows only its top rows
        page = dialog.tabs.currentWidget()
        page.verticalScrollBar().setValue(0)
        dialog.signer.setText("Reviewer 19d, oncology pharmacist")
        dialog.clinic_name.setText("Day unit")
        dialog.save()
        QApplication.processEvents()
        message = dialog.messages["labels"]
        seen.append((message.isVisible(), message.visibleRegion().isEmpty()))
        dialog.labels.setCurrentIndex(dialog.labels.findData("eu"))
        dialog.save()

    _answer(qtbot, save_unanswered)
    assert sign_name.start_session(record) == "Reviewer 19d, oncology pharmacist"
    assert seen == [(True, False)]  # shown, and within the scroll area's view


def test_the_settings_dialog_shows_the_stored_label_set_with_no_placeholder(qtbot, record):
    record.sign_in_as("Nurse Priya")
    clinic_settings.save(record, {"labels": "eu"})
    dialog = ClinicSettingsDialog(record)
    qtbot.addWidget(dialog)
    assert dialog.labels.currentData() == "eu"
    assert dialog.labels.findData(None) == -1


def test_a_window_made_by_a_test_asks_nothing(qtbot, tmp_path, ui_settings, monkeypatch):
    """The first-run question belongs to the start of the app, not to the main window."""
    from planner.services.patient_record import PatientRecord

    monkeypatch.setattr(
        ClinicSettingsDialog, "exec", lambda self: pytest.fail("first-run dialog shown")
    )
    with PatientRecord(tmp_path / "empty.sqlite3", who="test-nurse") as empty:
        window = MainWindow(empty, ui_settings)
        qtbot.addWidget(window)
        window.show()


def test_a_smoke_start_on_an_empty_record_asks_nothing(tmp_path):
    """`main.py --smoke` (make smoke, the start-up benchmark) on a new record: no dialog waits
    for an answer, the window is shown and the run ends by itself."""
    result = subprocess.run(
        [sys.executable, "main.py", "--db", str(tmp_path / "new.sqlite3"), "--smoke"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert "shown" in result.stdout


def test_the_wheel_guard_is_on_before_the_first_run_dialog(tmp_path, monkeypatch, qapp):
    """Review 16c: a wheel notch over the first-run dialog's albumin unit changed g/L to g/dL
    while the cursor was in the night phone field: the guard came only after the main window."""
    from planner.ui import app as app_module

    app_module.remove_wheel_guard(qapp)
    seen = []

    def start_session(record, parent=None):
        seen.append(bool(qapp.property(app_module.WHEEL_GUARD_INSTALLED)))
        return None  # the nurse cancelled: the program stops here

    monkeypatch.setattr(sign_name, "start_session", start_session)
    try:
        assert app_module.run(["--db", str(tmp_path / "record.sqlite3")]) == 0
    finally:
        app_module.remove_wheel_guard(qapp)
    assert seen == [True]


@pytest.mark.parametrize("first_run", [True, False])
def test_typing_starts_in_the_first_field_and_tab_follows_the_fields(qtbot, record, first_run):
    """Walk 21 F8: the dialog opened with the focus on its tab bar; what the nurse typed was
    lost, the first Tab went to nothing visible, and following the fields with Tab put the
    clinic's name into "Your name and role" (every phone then one field up)."""
    from PySide6.QtCore import Qt

    dialog = ClinicSettingsDialog(record, first_run=first_run)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    first = dialog.signer if first_run else dialog.clinic_name
    qtbot.waitUntil(first.hasFocus)
    typed = ["Sunita Sharma, palliative nurse"] if first_run else []
    typed += ["Sahyog Palliative Care", "011 2658 8500", "011 2658 8700"]
    fields = ([dialog.signer] if first_run else []) + [
        dialog.clinic_name,
        dialog.clinic_phone,
        dialog.out_of_hours,
    ]
    for text in typed:
        widget = QApplication.focusWidget()
        qtbot.keyClicks(widget, text)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    assert [field.text() for field in fields] == typed
