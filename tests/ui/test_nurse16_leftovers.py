"""The independent nurse16 walk's leftovers (items 9–12): a critical alert that looks critical on
the review page, a live flag for PHQ-9 item 9, and the window's small items."""

from __future__ import annotations

import copy

from PySide6.QtCore import Qt

from planner.ui.wizard.assessment_wizard import AssessmentWizard
from planner.ui.wizard.pages.psychosocial import PsychosocialPage
from planner.ui.wizard.pages.review import CRITICAL_BACKGROUND, ReviewPage


def _walk_to_review(wizard):
    while not isinstance(wizard.currentPage(), ReviewPage):
        before = wizard.currentId()
        wizard.next()
        assert wizard.currentId() != before, type(wizard.currentPage()).__name__


def test_a_critical_alert_on_the_review_page_is_red_bold_and_named_above_the_list(
    qtbot, record, example_raw
):
    raw = copy.deepcopy(example_raw)
    raw["psychosocial"]["phq9"] = [1, 2, 1, 2, 1, 1, 0, 0, 1]
    wizard = AssessmentWizard(record, raw)
    qtbot.addWidget(wizard)
    wizard.show()
    _walk_to_review(wizard)
    review = wizard.review_page
    alerts = review.tree.topLevelItem(0)
    lines = [alerts.child(i) for i in range(alerts.childCount())]
    critical = [item for item in lines if item.text(0).startswith("CRITICAL")]
    others = [item for item in lines if not item.text(0).startswith("CRITICAL")]
    assert critical
    assert others
    for item in critical:
        assert item.background(0).color() == CRITICAL_BACKGROUND
        assert item.foreground(0).color() == Qt.GlobalColor.white
        assert item.font(0).bold()
        assert not item.icon(0).isNull()
    for item in others:  # a warning keeps the list's own look
        assert item.background(0).style() == Qt.BrushStyle.NoBrush
        assert not item.font(0).bold()
    assert "Critical alert — act today" in review.problems.text()
    assert "suicide risk" in review.problems.text()
    wizard.reject()


def test_phq9_item9_answered_shows_a_live_critical_flag_on_the_psychosocial_page(wizard):
    page = wizard._page(PsychosocialPage)
    item9 = page.phq9[8]
    assert not page.item9_frame.isVisibleTo(page)
    item9.setCurrentIndex(item9.findData(0))
    assert not page.item9_frame.isVisibleTo(page)  # "not at all" is no flag
    item9.setCurrentIndex(item9.findData(1))
    assert page.item9_frame.isVisibleTo(page)
    assert "ask about safety today" in page.item9_flag.text()
    assert "critical alert" in page.item9_flag.text()
    item9.setCurrentIndex(0)  # back to "not asked": the flag goes
    assert not page.item9_frame.isVisibleTo(page)


def test_a_draft_with_item9_positive_shows_the_flag_when_loaded(wizard):
    page = wizard._page(PsychosocialPage)
    page.set_value({"psychosocial": {"phq9": [0, 0, 0, 0, 0, 0, 0, 0, 2]}})
    assert page.item9_frame.isVisibleTo(page)


def test_the_albi_line_names_only_what_is_still_missing(wizard, qtbot):
    labs = wizard.labs_page
    labs.case_changed(wizard.case(), [], wizard.settings)
    assert "bilirubin" in labs.albi.text()
    labs.rows["bilirubin"].value.setText("35")
    labs.rows["bilirubin"].uln.setText("21")
    labs.case_changed(wizard.case(), [], wizard.settings)
    assert labs.albi.text() == "not scored: needs albumin"
    labs.rows["albumin"].value.setText("30")
    labs.case_changed(wizard.case(), [], wizard.settings)
    assert labs.albi.text().startswith("grade ")


def test_ctrl_q_quits_from_any_window_even_where_the_platform_binds_no_quit_key(qtbot, record):
    from PySide6.QtGui import QAction, QKeySequence

    from planner.ui.main_window import MainWindow

    window = MainWindow(record)
    qtbot.addWidget(window)
    quit_action = next(a for a in window.findChildren(QAction) if a.text() == window.tr("&Quit"))
    assert not quit_action.shortcut().isEmpty()
    bound = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
    expected = bound[0] if bound else QKeySequence("Ctrl+Q")
    assert quit_action.shortcut() == expected
    assert quit_action.shortcutContext() == Qt.ShortcutContext.ApplicationShortcut


def test_the_month_only_note_is_inline_never_a_tooltip(wizard, qtbot):
    from planner.ui.wizard.fields import DateEdit

    edit = wizard.patient_page.findChildren(DateEdit)[0]
    edit.setText("03/2025")
    edit._tidy()
    assert "month" in edit.note_label.text()
    assert edit.toolTip() == ""


def test_a_second_program_on_the_same_record_is_told_and_does_not_open(tmp_path, capsys):
    import pytest

    from planner.ui import app
    from planner.ui.record_lock import RecordInUse, hold_record

    path = tmp_path / "record.sqlite3"
    first = hold_record(path)
    assert first is not None
    with pytest.raises(RecordInUse, match="already open in another window"):
        hold_record(path)
    assert app.run(["--db", str(path), "--smoke", "--settle-ms", "0"]) == 1
    assert "already open in another window" in capsys.readouterr().err
    assert not path.exists()  # the record was never opened beside the first program
    first.unlock()
    second = hold_record(path)  # free again once the first program has ended
    assert second is not None
    second.unlock()


def test_the_control_with_keyboard_focus_is_ringed_on_every_page(qtbot, qapp, record, example_raw):
    from PySide6.QtWidgets import QComboBox

    from planner.ui.focus_ring import install_focus_ring
    from planner.ui.wizard.pages.preferences import PreferencesPage
    from planner.ui.wizard.pages.qol import QualityOfLifePage

    tracker = install_focus_ring(qapp)
    assert install_focus_ring(qapp) is tracker  # once per application
    wizard = AssessmentWizard(record, example_raw)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.activateWindow()
    for page_class in (QualityOfLifePage, PreferencesPage):
        while not isinstance(wizard.currentPage(), page_class):
            before = wizard.currentId()
            wizard.next()
            assert wizard.currentId() != before
        page = wizard.currentPage()
        control = page.first_field()  # the quality-of-life tick box, a preferences drop-down
        if page_class is PreferencesPage:
            control = next(w for w in page.findChildren(QComboBox) if w.isVisibleTo(page))
        control.setFocus()
        qtbot.waitUntil(lambda control=control: tracker.ring.target is control)
        ring = tracker.ring
        assert ring.isVisible()
        assert ring.parentWidget() is control  # drawn over it, moving with it
        assert ring.geometry() == control.rect()
    wizard.close()
    wizard.deleteLater()
    qtbot.wait(10)
    tracker.follow(None)  # the ring deleted with the wizard: a new one, no crash


def test_a_patient_opened_from_far_down_the_list_is_scrolled_into_view(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from planner.services.patient_record import PatientRecord
    from planner.ui.main_window import MainWindow

    with PatientRecord(tmp_path / "demo.sqlite3") as filled:
        filled.fill_demo(40, seed=1)
        filled.add_patient({"mrn": "NEW-1", "family_name": "Zzyzx", "given_name": "Ana"})
    opened = PatientRecord(tmp_path / "demo.sqlite3")
    shown = MainWindow(opened, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(shown)
    shown.resize(1093, 592)
    shown.show()
    qtbot.waitExposed(shown)
    shown.open_patient("NEW-1")  # last by name: far below the first screenful
    table = shown.table
    row = next(r for r in range(table.model().rowCount()) if shown.mrn_at(r) == "NEW-1")
    assert row > 20
    assert shown.selected_mrn() == "NEW-1"
    index = table.model().index(row, 1)
    qtbot.waitUntil(lambda: table.viewport().rect().contains(table.visualRect(index)))
    opened.close()
