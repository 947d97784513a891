"""The medicines page's answers (issue 20 leftovers): "she takes no regular medicines" is an
empty list, distinct from "not recorded" (null), through wizard -> case -> plan; and which lines
carried from the last visit were confirmed is kept with a draft, so a draft reopened shows it."""

from __future__ import annotations

import copy

import pytest
from PySide6.QtCore import Qt

from planner.ui.main_window import MainWindow
from planner.ui.wizard.pages.medicines import CARRIED_WORDS, CONFIRMED_WORDS, MedicinesPage

LAST_MEDICINES = [
    {"drug": "carbamazepine", "dose": {"value": 200, "unit": "mg"}, "route": "oral"},
    {"drug": "paracetamol", "dose": {"value": 1, "unit": "g"}, "route": "oral"},
    {"drug": "sertraline", "dose": {"value": 50, "unit": "mg"}},
]


def new_wizard(qtbot, record, start):
    from planner.ui.wizard.assessment_wizard import AssessmentWizard

    wizard = AssessmentWizard(record, start)
    qtbot.addWidget(wizard)
    return wizard, wizard._page(MedicinesPage)


def test_ticking_none_taken_writes_an_empty_list_and_no_answer_writes_null(qtbot, record):
    wizard, page = new_wizard(qtbot, record, {"patient": {"mrn": "M-1", "family_name": "K"}})
    assert wizard.case()["medications"] is None  # nothing said: not recorded
    qtbot.keyClicks(page.medicine_lines[0].inputs[0], "carbamazepine")
    page.none_taken.click()
    assert wizard.case()["medications"] == []  # she takes none: the line is set aside
    assert not page.medicine_lines[0].inputs[0].isEnabled()
    assert not page.add_medicine_button.isEnabled()
    page.none_taken.click()
    assert wizard.case()["medications"] == [{"drug": "carbamazepine"}]  # the line is back
    page.medicine_lines[0].inputs[0].clear()
    assert wizard.case()["medications"] is None
    wizard._draft_timer.stop()


def test_an_empty_list_reopens_ticked_and_unticking_it_is_not_recorded(qtbot, record):
    start = {"patient": {"mrn": "M-1", "family_name": "K"}, "medications": []}
    wizard, page = new_wizard(qtbot, record, start)
    assert page.none_taken.isChecked()
    assert wizard.case()["medications"] == []  # kept, not normalised to null
    page.none_taken.click()
    assert wizard.case()["medications"] is None  # never the loaded "none"
    wizard._draft_timer.stop()

    wizard, page = new_wizard(qtbot, record, {**start, "medications": None})
    assert not page.none_taken.isChecked()
    page.none_taken.click()
    assert wizard.case()["medications"] == []  # null loaded, "none" answered
    wizard._draft_timer.stop()


@pytest.fixture
def carried(qtbot, record, ui_settings, example_raw):
    last = copy.deepcopy(example_raw)
    last["medications"] = copy.deepcopy(LAST_MEDICINES)
    last["herbal_or_traditional"] = ["green tea extract"]
    record.import_case(last)
    window = MainWindow(record, ui_settings)
    qtbot.addWidget(window)
    window.start_assessment(last["patient"]["mrn"])  # the wizard is the window's child
    yield window, window.wizard, window.wizard._page(MedicinesPage)
    _closed(window)


def _closed(window):
    """Close the assessment while its record is open (not in the later GUI teardown)."""
    if window.wizard is not None:
        window.wizard._draft_timer.stop()
        window.wizard.reject()


def test_a_draft_keeps_which_carried_lines_were_confirmed(qtbot, carried, record):
    window, wizard, page = carried
    first, second, _third = page.medicine_lines
    qtbot.mouseClick(first.confirm, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(second.remove, Qt.MouseButton.LeftButton)  # not saved: later lines move up
    assert wizard.save_draft()
    (draft,) = record.drafts()
    assert draft.unconfirmed == ("medications[1]", "herbal_or_traditional")
    assert [m["drug"] for m in draft.content["medications"]] == ["carbamazepine", "sertraline"]
    wizard._draft_timer.stop()

    window._resume_draft(draft.id)  # closes the open wizard, as the window does
    reopened = window.wizard._page(MedicinesPage)
    states = [line.state.text() for line in reopened.medicine_lines]
    assert states == [CONFIRMED_WORDS, CARRIED_WORDS]
    assert reopened.remedies_state.isVisibleTo(reopened)
    assert reopened.unconfirmed() == 2  # Next still waits for these two


def test_none_taken_carried_from_last_visit_waits_for_confirmation(
    qtbot, record, ui_settings, example_raw
):
    last = {**copy.deepcopy(example_raw), "medications": []}
    record.import_case(last)
    window = MainWindow(record, ui_settings)
    qtbot.addWidget(window)
    window.start_assessment(last["patient"]["mrn"])
    wizard = window.wizard  # the window's child
    page = wizard._page(MedicinesPage)
    assert page.none_taken.isChecked()
    assert page.none_taken_state.text() == CARRIED_WORDS
    assert page.unconfirmed() == 1
    assert wizard.save_draft()
    assert record.drafts()[0].unconfirmed == ("medications",)
    qtbot.mouseClick(page.none_taken_confirm, Qt.MouseButton.LeftButton)
    assert page.unconfirmed() == 0
    assert wizard.case()["medications"] == []
    _closed(window)
