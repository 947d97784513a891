"""Issue 16, the main window's patient list as a nurse meets it: a search that finds no one
clears the record beside it, a patient with an unacknowledged critical alert is flagged in
words, dates are shown in the clinic's format, and Alt+A starts the selected patient's
assessment instead of typing an "a" into Find."""

from __future__ import annotations

import copy

import pytest
from PySide6.QtCore import Qt

from planner.services import kept_plans
from planner.ui.main_window import MainWindow
from planner.ui.patient_model import ALERT_WORDS, KEYS

MRN = "TAS-000123"


@pytest.fixture
def window(qtbot, record, ui_settings, example_raw):
    record.import_case(example_raw)
    record.add_patient({"mrn": "DEL-42", "family_name": "Sharma", "birth_date": "1961-07-02"})
    shown = MainWindow(record, ui_settings)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def _cell(window, mrn, key):
    model = window.table.model()
    row = next(r for r in range(model.rowCount()) if model.mrn_at(r) == mrn)
    return model.index(row, KEYS.index(key))


def test_a_search_that_finds_no_one_clears_the_record_beside_the_list(qtbot, window):
    window.open_patient(MRN)
    assert window.detail.currentWidget() is window.record_view
    qtbot.keyClicks(window.search, "zzzz")
    qtbot.waitUntil(lambda: window.table.model().rowCount() == 0)  # the search has run
    assert window.detail.currentWidget() is window.detail_page
    assert window.detail_hint.text() == "No patient matches “zzzz”."
    assert window.selected_mrn() is None
    assert not window.hint_assess_button.isEnabled()


def test_a_search_that_hides_the_open_patient_clears_the_record_too(qtbot, window):
    window.open_patient(MRN)
    qtbot.keyClicks(window.search, "Sharma")
    qtbot.waitUntil(lambda: window.table.model().rowCount() == 1)
    assert window.mrn_at(0) == "DEL-42"
    assert window.detail.currentWidget() is window.detail_page
    assert window.detail_hint.text().startswith("Select a patient")


def test_alt_a_starts_the_selected_patients_assessment_and_types_nothing(
    qtbot, window, monkeypatch
):
    started = []
    monkeypatch.setattr(window, "start_assessment", started.append)
    window.table.selectRow(0)  # she chose a patient (nobody is selected at start-up: walk 20 F1)
    window.search.setFocus()
    qtbot.waitUntil(window.search.hasFocus)
    qtbot.keyClick(window.search, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bool(started))  # a mnemonic clicks after its short animation
    assert window.search.text() == ""
    assert started == [window.selected_mrn()]
    assert started[0] is not None


def test_an_alt_key_that_is_no_shortcut_never_types_into_find(qtbot, window):
    window.search.setFocus()
    qtbot.waitUntil(window.search.hasFocus)
    qtbot.keyClick(window.search, Qt.Key.Key_Q, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClicks(window.search, "Sh")
    assert window.search.text() == "Sh"
    qtbot.waitUntil(lambda: window.table.model().rowCount() == 1)  # the search has run


def test_the_list_shows_dates_in_the_clinic_format(qtbot, record, window):
    assert _cell(window, "DEL-42", "birth_date").data() == "02/07/1961"  # the default
    record.set_clinic_settings({"date_format": "dd.mm.yyyy"})
    window.refresh()
    assert _cell(window, "DEL-42", "birth_date").data() == "02.07.1961"
    assessed = _cell(window, MRN, "last_assessed_on").data()
    assert assessed.count(".") == 2
    assert "-" not in assessed
    qtbot.keyClicks(window.search, "Sharma")
    qtbot.waitUntil(lambda: window.table.model().rowCount() == 1)
    assert _cell(window, "DEL-42", "birth_date").data() == "02.07.1961"  # search results too


def test_a_patient_with_an_unacknowledged_critical_alert_is_flagged_in_words(
    qtbot, record, ui_settings, example_raw
):
    raw = copy.deepcopy(example_raw)
    raw["psychosocial"]["phq9"] = [1, 2, 1, 2, 1, 1, 0, 0, 1]  # item 9 positive: critical
    assessment = record.import_case(raw).assessment_id
    plan_id = kept_plans.make_and_keep_plan(record, assessment).plan_id
    record.add_patient({"mrn": "DEL-42", "family_name": "Sharma"})
    window = MainWindow(record, ui_settings)
    qtbot.addWidget(window)
    window.show()
    flag = _cell(window, MRN, "alert")
    assert flag.data() == ALERT_WORDS
    assert "not yet acknowledged" in flag.data(Qt.ItemDataRole.ToolTipRole)
    assert "not yet acknowledged" in flag.data(Qt.ItemDataRole.AccessibleTextRole)
    assert _cell(window, "DEL-42", "alert").data() == ""
    header = window.table.horizontalHeader().model()
    assert header.headerData(0, Qt.Orientation.Horizontal) == "Alert"
    # acknowledged on the record beside the list: the flag goes at once
    window.open_patient(MRN)
    for alert in window.record_view.alert_banner.alerts:
        window.record_view.alert_banner.acknowledge(alert, "called her; safety plan made")
    assert not window.record_view.alert_banner.alerts
    assert _cell(window, MRN, "alert").data() == ""
    assert record.patients_with_open_alerts() == frozenset()
    assert plan_id  # the plan kept its alert; only the acknowledgement is new
