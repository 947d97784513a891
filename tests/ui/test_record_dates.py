"""Issue 16: the record view shows dates as the clinic's `date_format` setting says (the
record and the case keep ISO)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from planner.services import kept_plans
from planner.ui.record_view import RecordView


@pytest.mark.parametrize(
    ("date_format", "assessed", "born"),
    [
        ("dd/mm/yyyy", "20/11/2026", "14/03/1968"),
        ("dd.mm.yyyy", "20.11.2026", "14.03.1968"),
        ("iso", "2026-11-20", "1968-03-14"),
    ],
)
def test_record_view_dates_follow_the_clinic_setting(
    qtbot, record, example_raw, date_format, assessed, born
):
    record.set_clinic_settings({"date_format": date_format})
    assessment = record.import_case(example_raw).assessment_id
    kept_plans.make_and_keep_plan(record, assessment)
    view = RecordView(record)
    qtbot.addWidget(view)
    view.show_patient("TAS-000123")
    cell = view.model.index(0, 0).data(Qt.ItemDataRole.DisplayRole)
    assert cell == assessed
    assert f"born {born}" in view.heading.text()
    assert f"· {assessed} ·" in view.left_plan.itemText(0)
    words = view.left_plan.itemData(0, Qt.ItemDataRole.ToolTipRole)
    assert f"from the assessment of {assessed}" in words
