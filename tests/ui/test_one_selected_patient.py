"""Walk 21 H3: "New assessment of the selected patient" under Today's work opened the patient
selected in the Find list (Смирнова Светлана), not the one highlighted in Today's work just
above it (Смирнова Елена) — a wrong-patient entry. The button acts on the patient last chosen,
in whichever pane she was chosen, and its label names her; discarding a draft from the
"Unfinished" banner leaves the Find box and its selection alone."""

from __future__ import annotations

import copy

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea

from planner.ui.main_window import MainWindow


def _case(example_raw, mrn, family, given, assessed_on):
    raw = copy.deepcopy(example_raw)
    raw["patient"].update({"mrn": mrn, "family_name": family, "given_name": given})
    raw["assessed_on"] = assessed_on
    return raw


def _keep(record, assessment_id, days):
    document = {"follow_up": {"next_review_days": days, "monitoring": []}, "alerts": []}
    record.record_plan(assessment_id, document, pdf_sha256=None, rules_version="t", settings={})


@pytest.fixture
def window(qtbot, record, ui_settings, example_raw):
    for mrn, given, on, days in (
        ("MSK-18", "Светлана", "2026-11-20", 3650),
        ("MSK-66", "Елена", "2026-11-20", 7),  # overdue: in Today's work
    ):
        stored = record.import_case(_case(example_raw, mrn, "Смирнова", given, on))
        _keep(record, stored.assessment_id, days)
    shown = MainWindow(record, ui_settings)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def _find(qtbot, window, text):
    window.search.setFocus()
    window.search.setText(text)  # QTest types Latin letters only
    qtbot.waitUntil(lambda: window.selected_mrn() is not None)


def test_new_assessment_under_todays_work_is_of_the_patient_highlighted_there(
    qtbot, window, monkeypatch
):
    started = []
    monkeypatch.setattr(window, "start_assessment", started.append)
    _find(qtbot, window, "Светлана")
    assert window.selected_mrn() == "MSK-18"
    assert "Светлана" in window.hint_assess_button.text()  # named, not "the selected patient"

    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)  # Today's work
    due = window.worklist_view.due
    qtbot.waitUntil(due.hasFocus)
    qtbot.keyClick(due, Qt.Key.Key_End)
    assert due.currentItem().text().startswith("Смирнова, Елена — MSK-66")
    assert "Елена" in window.hint_assess_button.text()
    assert "MSK-66" in window.hint_assess_button.text()

    window.worklist_view.refresh()  # the window active again: she stays on her row
    assert due.currentItem().text().startswith("Смирнова, Елена — MSK-66")
    assert "Елена" in window.hint_assess_button.text()

    qtbot.keyClick(due, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bool(started))
    assert started == ["MSK-66"]
    started.clear()
    window.assess_action.trigger()  # Ctrl+Shift+A: the same patient, one notion of "selected"
    assert started == ["MSK-66"]

    window.table.setFocus()  # back in the Find list, choosing her there
    window.table.selectRow(0)
    assert "Светлана" in window.hint_assess_button.text()
    window.hint_assess_button.click()
    assert started[-1] == "MSK-18"


def test_discarding_a_draft_from_the_banner_leaves_the_find_box_alone(
    qtbot, window, record, monkeypatch
):
    from planner.ui.resume_dialog import ResumeDraftDialog

    window.open_patient("MSK-66")  # a record opened earlier in the day ...
    window.show_worklist()  # ... then Today's work
    record.save_draft({"patient": {"mrn": "MSK-18"}}, "symptoms", mrn="MSK-18")
    window.refresh()
    _find(qtbot, window, "MSK-18")
    monkeypatch.setattr(ResumeDraftDialog, "ask", classmethod(lambda cls, parent, d: "discard"))
    window.resume_drafts()
    assert record.drafts() == []
    assert window.search.text() == "MSK-18"
    assert window.selected_mrn() == "MSK-18"


def test_todays_work_shows_fifteen_due_reviews_at_1366_by_768(
    qtbot, record, ui_settings, example_raw
):
    """Walk 21 F5: the reviews-due box showed 7 of 15 rows while "Unfinished assessments" below
    was a large empty box; a patient due today was found only by scrolling."""
    for n in range(15):
        stored = record.import_case(_case(example_raw, f"D-{n:02}", "Rao", f"P{n}", "2026-11-20"))
        _keep(record, stored.assessment_id, 7)
    shown = MainWindow(record, ui_settings)
    qtbot.addWidget(shown)
    shown.resize(1366, 740)  # a 1366 × 768 screen less the panel
    shown.show()
    qtbot.waitExposed(shown)
    due = shown.worklist_view.due
    assert due.count() == 15
    viewport = due.viewport().rect()
    for row in range(15):
        place = due.visualItemRect(due.item(row))
        assert viewport.top() <= place.top(), row
        assert place.bottom() <= viewport.bottom(), row
        assert place.left() == viewport.left(), row
    # and across: a row never runs off to be scrolled to (the list shortens it with "…" at
    # its edge, walk 23 HARM 1)
    assert due.horizontalScrollBar().maximum() == 0
    assert due.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert due.textElideMode() == Qt.TextElideMode.ElideRight


def test_a_merged_away_mrn_finds_the_patient_it_was_merged_into(qtbot, window, record):
    """Walk 21 F17: searching the MRN of a record merged into another said "No patient
    matches"; a lab report or sticker with the old MRN led nowhere."""
    from planner.services import record_corrections

    record.add_patient({"mrn": "MSK-900", "family_name": "Смирнова", "given_name": "Елена"})
    record_corrections.merge_patients(record, "MSK-900", "MSK-66", "registered twice")
    window.refresh()
    window.search.setText("MSK-900")
    qtbot.waitUntil(lambda: window.selected_mrn() is not None)
    assert window.selected_mrn() == "MSK-66"
    assert "MSK-900 was merged into MSK-66" in window.detail_hint.text()


def test_her_name_heads_the_record_unscrolled_at_1366_by_768(
    qtbot, record, ui_settings, example_raw
):
    """Walk 21 F6: the top half of "Patel, Priya — DEL-0-000226 · born" was cut off by the
    right pane scrolled down: the one thing that must always be legible."""
    from planner.services import kept_plans

    raw = _case(example_raw, "DEL-0-000226", "Patel", "Priya", "2026-11-20")
    raw["psychosocial"]["phq9"] = [1, 2, 1, 2, 1, 1, 0, 0, 1]  # a critical banner too
    stored = record.import_case(raw)
    kept_plans.make_and_keep_plan(record, stored.assessment_id)
    for n in range(15):
        other = record.import_case(_case(example_raw, f"D-{n:02}", "Rao", f"P{n}", "2026-11-20"))
        _keep(record, other.assessment_id, 7)
    shown = MainWindow(record, ui_settings)
    qtbot.addWidget(shown)
    shown.resize(1366, 740)
    shown.show()
    qtbot.waitExposed(shown)
    shown.open_patient("DEL-0-000226")
    view = shown.record_view
    view.table.setFocus()
    for index in range(view.tabs.count()):
        view.tabs.setCurrentIndex(index)
        qtbot.wait(10)
        pane = shown.detail.parentWidget()
        while not isinstance(pane, QScrollArea):  # the right pane's scroll area
            pane = pane.parentWidget()
        # nothing to scroll: a focus change cannot scroll her name out of view
        assert pane.verticalScrollBar().maximum() == 0, view.tabs.tabText(index)
        top = view.heading.mapTo(pane.viewport(), view.heading.rect().topLeft())
        assert top.y() >= 0
