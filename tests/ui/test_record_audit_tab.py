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
