"""Alt-shortcuts are unique in every window and on every page or tab as it is shown (issue 16:
"Alt-shortcuts clash"; Alt+A typed into Find). Each test walks the shown widgets' mnemonics
(labels, buttons, group boxes, tabs, menus) and fails on the first letter used twice."""

from __future__ import annotations

from collections import Counter

import pytest

from planner.services import kept_plans, patient_record
from planner.ui.background import wait_for_all
from planner.ui.mnemonics import mnemonics_in_view
from planner.ui.wizard.assessment_wizard import AssessmentWizard


def _clashes(window) -> list[str]:
    return sorted(letter for letter, n in Counter(mnemonics_in_view(window)).items() if n > 1)


@pytest.fixture
def main_window(qtbot, record, ui_settings, example_raw):
    from planner.ui.main_window import MainWindow

    record.import_case(example_raw)
    shown = MainWindow(record, ui_settings)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def test_an_empty_record_window(qtbot, tmp_path, ui_settings):
    from planner.ui.main_window import MainWindow

    with patient_record.PatientRecord(tmp_path / "empty.sqlite3", who="t") as empty:
        window = MainWindow(empty, ui_settings)
        qtbot.addWidget(window)
        window.show()
        assert _clashes(window) == []
        window.close()


def test_the_main_window_before_and_with_a_record_open_on_every_tab(main_window, example_raw):
    assert "a" in mnemonics_in_view(main_window)  # New assessment of the selected patient
    assert _clashes(main_window) == []
    main_window.open_patient(example_raw["patient"]["mrn"])
    tabs = main_window.record_view.tabs
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        assert _clashes(main_window) == [], tabs.tabText(index)
    assert mnemonics_in_view(main_window).count("a") == 1


def test_the_plan_window_and_the_decision_dialog(qtbot, record, example_raw):
    from planner.ui.decision_dialog import DecisionDialog
    from planner.ui.plan_view import PlanView

    assessment = record.import_case(example_raw).assessment_id
    view = PlanView(record, kept_plans.make_and_keep_plan(record, assessment).plan_id)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.ready, timeout=30000)
    assert _clashes(view) == []
    dialog = DecisionDialog(view.kept.plan, view)
    qtbot.addWidget(dialog)
    dialog.show()
    assert _clashes(dialog) == []
    wait_for_all()


def test_the_new_patient_and_settings_dialogs(qtbot, record):
    from planner.ui.new_patient_dialog import NewPatientDialog
    from planner.ui.settings_dialog import ClinicSettingsDialog

    for dialog in (NewPatientDialog(record), ClinicSettingsDialog(record)):
        qtbot.addWidget(dialog)
        dialog.show()
        assert _clashes(dialog) == [], type(dialog).__name__


def test_every_page_of_the_wizard(qtbot, record, example_raw):
    wizard = AssessmentWizard(record, example_raw)
    qtbot.addWidget(wizard)
    wizard.show()
    for page_id in wizard.pageIds():
        wizard.steps.go_to(wizard.pageIds().index(page_id))
        assert wizard.currentId() == page_id
        assert _clashes(wizard) == [], type(wizard.currentPage()).__name__
    wizard._draft_timer.stop()
