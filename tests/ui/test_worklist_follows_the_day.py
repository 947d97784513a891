"""Today's work is read again when the main window is active again (independent walk 16d: a
plan made in the plan window set a review due today, and Today's work still said "No reviews are
due today" until the program was restarted)."""

from __future__ import annotations

import copy

from PySide6.QtWidgets import QWidget

from planner.services import kept_plans
from planner.ui.main_window import MainWindow


def test_a_review_due_from_a_plan_made_elsewhere_shows_on_return(qtbot, record, example_raw):
    window = MainWindow(record)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    mrn = example_raw["patient"]["mrn"]
    assert not any(mrn in line for line in _due(window))

    elsewhere = QWidget()  # the plan window, over the main window
    qtbot.addWidget(elsewhere)
    elsewhere.show()
    elsewhere.activateWindow()
    qtbot.waitUntil(lambda: not window.isActiveWindow())
    stored = record.import_case(copy.deepcopy(example_raw))
    kept_plans.make_and_keep_plan(record, stored.assessment_id)  # her next review is set

    elsewhere.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert any(mrn in line for line in _due(window)), _due(window)


def _due(window: MainWindow) -> list[str]:
    due = window.worklist_view.due
    return [item.text() for i in range(due.count()) if (item := due.item(i)) is not None]
