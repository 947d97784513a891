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


def test_every_other_dialog(qtbot, record, example_raw):
    """Walk 21 F9: the checks above covered six windows; Alt+S went to Sex beside Save, since a
    standard button's letter (GNOME's "&Save") was not counted. Every dialog the nurse meets."""
    import copy

    from planner.domain.stored import Draft
    from planner.ui.alert_banner import AcknowledgeDialog
    from planner.ui.assessment_dialog import AssessmentDialog
    from planner.ui.course_window import CourseWindow
    from planner.ui.record_review_dialog import ReasonDialog, RecordReviewDialog
    from planner.ui.resume_dialog import ResumeDraftDialog
    from planner.ui.review_date_dialog import ReviewDateDialog

    raw = copy.deepcopy(example_raw)
    raw["psychosocial"]["phq9"] = [1, 2, 1, 2, 1, 1, 0, 0, 1]
    mrn = raw["patient"]["mrn"]
    assessment = record.import_case(raw).assessment_id
    made = kept_plans.make_and_keep_plan(record, assessment)
    kept_plans.decide_plan(
        record, made.plan_id, course="option", regimen="capecitabine", reason="oral, at home"
    )
    (alert, *_) = record.critical_alerts(mrn)
    draft = Draft(
        id=1,
        patient_id=None,
        content={"patient": {"mrn": mrn}},
        wizard_page="symptoms",
        updated_at="2026-12-07T10:00:00+00:00",
        updated_by="test-nurse",
    )
    amending = AssessmentDialog(record, assessment)
    dialogs = [
        AcknowledgeDialog(alert, "test-nurse"),
        ReviewDateDialog(record, mrn),
        AssessmentDialog(record, assessment),
        amending,
        ResumeDraftDialog(draft),
        RecordReviewDialog(record),
        ReasonDialog("Retire", "why", "test-nurse"),
        CourseWindow(record, mrn),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
    amending.start_amending()
    for dialog in dialogs:
        assert _clashes(dialog) == [], type(dialog).__name__
    wait_for_all()
