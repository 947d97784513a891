"""Recent patients after a correction (issue 20 leftovers): a patient merged or retired since
her name went on the recent list is never opened from it. A merged one opens the patient whose
record holds hers, with a note; a retired one is not opened and the nurse is told why; the list
is brought up to date either way."""

from __future__ import annotations

import copy

import pytest
from PySide6.QtWidgets import QMessageBox

from planner.services import record_corrections
from planner.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, record, ui_settings, example_raw):
    twin = copy.deepcopy(example_raw)
    twin["patient"].update(mrn="TAS-777", family_name="Каримова", given_name="Дилноза")
    record.import_case(example_raw)
    record.import_case(twin)
    shown = MainWindow(record, ui_settings)
    qtbot.addWidget(shown)
    shown.open_patient("TAS-777")
    shown.open_patient("TAS-000123")
    assert shown._recent_shown == ["TAS-000123", "TAS-777"]
    return shown


def test_a_merged_patient_opens_the_survivor_with_a_note(window, record):
    record_corrections.merge_patients(record, "TAS-777", "TAS-000123", "same woman")
    window.open_recent("TAS-777")  # the list still shows her (merged since, e.g. by planner db)
    assert window.record_view.mrn == "TAS-000123"
    assert "TAS-777 was merged into TAS-000123" in window.statusBar().currentMessage()
    assert window._recent_shown == ["TAS-000123"]
    assert window.recent_mrns() == ["TAS-000123"]


def test_a_merged_patient_is_listed_as_the_survivor(window, record):
    record_corrections.merge_patients(record, "TAS-000123", "TAS-777", "same woman")
    window.refresh_recent()
    assert window._recent_shown == ["TAS-777"]
    assert window.recent.item(0).text().endswith("— TAS-777")


def test_a_retired_patient_is_not_opened(qtbot, window, record):
    record_corrections.retire_patient(record, "TAS-777", "entered in a training session")
    window.open_recent("TAS-777")
    told = [w for w in window.findChildren(QMessageBox) if w.isVisible()]
    assert told
    assert "TAS-777 is retired" in told[0].text()
    told[0].close()
    assert window.record_view.mrn == "TAS-000123"  # the last patient opened, not her
    assert window._recent_shown == ["TAS-000123"]


def test_the_open_record_of_a_patient_merged_away_shows_the_survivor(window, record):
    """Walk 20 F6: after a merge the right pane still showed the merged-away patient, and New
    assessment there led to a page that could not be finished (and left a draft behind)."""
    window.show()
    window.open_patient("TAS-777")
    record_corrections.merge_patients(record, "TAS-777", "TAS-000123", "same woman")
    window.refresh()  # what the review screen's close does after a merge
    assert window.record_view.mrn == "TAS-000123"
    assert window.detail.currentWidget() is window.record_view
    assert "TAS-777 was merged into TAS-000123" in window.statusBar().currentMessage()


def test_the_open_record_of_a_patient_retired_is_no_longer_shown(window, record):
    window.show()
    window.open_patient("TAS-777")
    record_corrections.retire_patient(record, "TAS-777", "entered in a training session")
    window.refresh()
    assert window.detail.currentWidget() is window.detail_page
