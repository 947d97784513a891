"""Issue 20 (course item 5): her record's audit log, read-only, in a tab of the record reached by
keyboard (Alt+D): when, who, what, why — the amendment with its reason shows."""

from __future__ import annotations

import copy

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView

from planner.services import record_corrections
from planner.ui.record_view import RecordView


def test_the_audit_tab_shows_her_corrections_read_only_by_keyboard(qtbot, record, example_raw):
    mrn = example_raw["patient"]["mrn"]
    first = record.import_case(example_raw).assessment_id
    record.sign_in_as("Nurse Rao")
    fixed = copy.deepcopy(example_raw)
    fixed["labs"]["albumin"]["value"] = 33
    record_corrections.amend_assessment(record, first, fixed, "albumin typed as 31, report 33")

    view = RecordView(record)
    qtbot.addWidget(view)
    view.show()
    view.show_patient(mrn)
    assert view.audit.model.rowCount() == 0  # read when shown, not on every selection
    view.activateWindow()
    view.tabs.setFocus()
    qtbot.waitUntil(view.tabs.hasFocus)
    qtbot.keyClick(view.tabs, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: view.tabs.currentIndex() == view.audit_tab)
    model = view.audit.model
    rows = [
        [model.data(model.index(r, c)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [
        "When",
        "Who",
        "What",
        "Why",
    ]
    (amended,) = [r for r in rows if "amended" in r[2]]
    assert amended[1] == "Nurse Rao"
    assert amended[3] == "albumin typed as 31, report 33"
    assert amended[0]  # when, in the clinic's date format
    assert any("patient registered" in r[2] for r in rows)
    table = view.audit.table
    assert table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert not model.flags(model.index(0, 3)) & Qt.ItemFlag.ItemIsEditable


def test_the_audit_tab_follows_an_acknowledgement_and_shows_why_without_scrolling(
    qtbot, record, example_raw
):
    """Walk 21 F7: after an alert was acknowledged the audit tab showed nothing new until the
    patient was reopened, and its Why column was off-screen at 1366 px."""
    from planner.services import kept_plans

    mrn = example_raw["patient"]["mrn"]
    raw = copy.deepcopy(example_raw)
    raw["psychosocial"]["phq9"] = [1, 2, 1, 2, 1, 1, 0, 0, 1]
    first = record.import_case(raw).assessment_id
    kept_plans.make_and_keep_plan(record, first)
    fixed = copy.deepcopy(raw)
    fixed["labs"]["albumin"]["value"] = 27
    record_corrections.amend_assessment(record, first, fixed, "albumin typed 31 for 27 " * 4)

    view = RecordView(record)
    qtbot.addWidget(view)
    view.resize(700, 600)  # the record's half of a 1366 px window
    view.show()
    view.show_patient(mrn)
    view.tabs.setCurrentIndex(view.audit_tab)
    before = view.audit.model.rowCount()
    alert = next(a for a in view.alert_banner.alerts if a.code == "suicide_risk")
    view.alert_banner.acknowledge(alert, "psychiatry called")
    assert view.audit.model.rowCount() == before + 1
    assert "acknowledged" in view.audit.model.data(view.audit.model.index(before, 2))

    table = view.audit.table
    header = table.horizontalHeader()
    right = header.sectionViewportPosition(3) + header.sectionSize(3)
    assert right <= table.viewport().width()
    assert header.sectionSize(3) >= table.fontMetrics().horizontalAdvance("M") * 10


def test_a_tabs_alt_letter_moves_into_the_tab(qtbot, record, example_raw):
    """Walk 21 F16: Alt+M showed the Assessments tab but left focus on the buttons, so Down
    moved between "Treatment course" and "New assessment", not through her assessments."""
    mrn = example_raw["patient"]["mrn"]
    record.import_case(example_raw)
    view = RecordView(record)
    qtbot.addWidget(view)
    view.show()
    view.show_patient(mrn)
    view.activateWindow()
    view.assess_button.setFocus()
    qtbot.waitUntil(view.assess_button.hasFocus)
    qtbot.keyClick(view.assess_button, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(view.table.hasFocus)
    qtbot.keyClick(view.table, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(view.audit.table.hasFocus)
    assert view.tabs.currentIndex() == view.audit_tab
