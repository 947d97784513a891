"""Issue 16 (nurse's report): an old undecided plan could still be decided or printed while a
newer plan of the same assessment was decided, and plan history showed two identical rows.
A superseded plan now opens read-only, says what replaced it, and history marks the current one.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyle

from planner.domain.problems import InputInvalid
from planner.services import kept_plans
from planner.ui.background import wait_for_all
from planner.ui.plan_view import PlanView
from planner.ui.record_view import RecordView


@pytest.fixture
def two_plans(record, example_raw):
    """Plan 1 as made, and the decision on it kept as the newer plan."""
    assessment = record.import_case(example_raw).assessment_id
    first = kept_plans.make_and_keep_plan(record, assessment).plan_id
    regimen = record.plan(first).plan["options"][1]["regimen"]
    decided = kept_plans.decide_plan(
        record, first, course="option", regimen=regimen, reason="she prefers it"
    )
    return assessment, first, decided


def test_the_old_plan_opens_read_only_and_says_what_superseded_it(qtbot, record, two_plans):
    _, first, decided = two_plans
    record.set_clinic_settings({"date_format": "dd.mm.yyyy"})
    view = PlanView(record, first)
    qtbot.addWidget(view)
    wait_for_all()
    qtbot.waitUntil(lambda: view.shown is not None, timeout=30000)
    assert view.read_only
    line = view.superseded.text()
    assert not view.superseded.isHidden()
    assert f"Superseded by plan {decided}" in line
    assert "decided by test-nurse on plan" in line
    assert "read-only" in line
    assert "T" not in line.split("(")[1].split(",")[0]  # a date and time, not an ISO stamp
    assert "." in line.split("(")[1].split(" ")[0]  # the clinic's dd.mm.yyyy
    for button in (view.decide_button, view.print_button, view.save_button):
        assert not button.isEnabled(), button.text()


def test_the_current_plan_can_be_decided_and_printed(qtbot, record, two_plans):
    _, _, decided = two_plans
    view = PlanView(record, decided)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.ready, timeout=30000)
    assert not view.read_only
    assert view.superseded.isHidden()
    assert view.decide_button.isEnabled()
    assert view.print_button.isEnabled()
    wait_for_all()


def test_a_superseded_plan_cannot_be_decided_by_any_door(record, two_plans):
    _, first, decided = two_plans
    with pytest.raises(InputInvalid, match=f"superseded by plan {decided}"):
        kept_plans.decide_plan(record, first, course="supportive_care", regimen=None, reason="x")


def test_plan_history_marks_the_current_plan_and_no_two_rows_read_alike(qtbot, record, two_plans):
    _, first, decided = two_plans
    view = RecordView(record)
    qtbot.addWidget(view)
    view.show_patient("TAS-000123")
    rows = [view.left_plan.itemText(i) for i in range(view.left_plan.count())]
    assert len(rows) == len(set(rows)) == 2
    assert rows[0].startswith(f"Plan {first} ")
    assert rows[0].endswith("superseded")
    assert rows[1].startswith(f"Plan {decided} ")
    assert rows[1].endswith("CURRENT, decided")
    # in full words: first in each pane, and as the row's tooltip
    words = [view.left_plan.itemData(i, Qt.ItemDataRole.ToolTipRole) for i in range(2)]
    assert f"superseded by plan {decided} (decided by test-nurse on plan {first})" in words[0]
    assert "Not decided." in words[0]
    assert words[1].startswith(f"Plan {decided} is the current plan: the one to act on.")
    assert "Decided by test-nurse, " in words[1]
    assert not any("T" in w.split("Made ")[1][:12] for w in words)  # no ISO stamps
    view.left_plan.setCurrentIndex(1)
    assert "Decided by test-nurse" in view.left_text.toPlainText().splitlines()[0]


def test_plan_history_labels_fit_the_pane_at_its_narrowest(qtbot, record, two_plans):
    """The rows were cut at "made 07/1…" in a window 1100 px wide (1366 × 768 at 125 %): each
    fits its drop-down at the record view's own minimum width."""
    view = RecordView(record)
    qtbot.addWidget(view)
    view.show_patient("TAS-000123")
    view.tabs.setCurrentIndex(view.tabs.count() - 1)
    view.resize(view.minimumSizeHint().width(), 600)
    view.show()
    qtbot.waitExposed(view)
    for combo in (view.left_plan, view.right_plan):
        room = combo.width() - combo.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent) - 12
        for i in range(combo.count()):
            assert combo.fontMetrics().horizontalAdvance(combo.itemText(i)) <= room
