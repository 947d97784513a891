"""Fixtures for the desktop app's tests: a private QSettings, an open wizard (the record is in
tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def ui_settings(tmp_path):
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def wizard(qtbot, record):
    from planner.ui.wizard.assessment_wizard import AssessmentWizard

    shown = AssessmentWizard(record)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown
    shown._draft_timer.stop()


@pytest.fixture
def capecitabine_course_window(qtbot, record, example_raw):
    """The course window of the contract's sample patient, capecitabine decided by a doctor and
    its course started on 2026-11-20 with 21-day cycles; the clinic's today after every date the
    tests give (none is in the future)."""
    from PySide6.QtCore import QDate

    from planner.services import kept_plans
    from planner.ui.background import wait_for_all
    from planner.ui.course_window import CourseWindow
    from tests.course_setup import DAY, DOCTOR, TODAY

    assessment = record.import_case(example_raw).assessment_id
    made = kept_plans.make_and_keep_plan(record, assessment)
    record.sign_in_as(DOCTOR)
    kept_plans.decide_plan(
        record, made.plan_id, course="option", regimen="capecitabine", reason="oral, at home"
    )
    shown = CourseWindow(record, example_raw["patient"]["mrn"])
    qtbot.addWidget(shown)
    shown.show()
    shown.today = lambda: TODAY
    shown.started_on.setDate(QDate(DAY.year, DAY.month, DAY.day))
    shown.cycle_days.setValue(21)
    shown.start_button.click()
    assert shown.course is not None
    yield shown
    shown._timer.stop()  # no live preview after the record is closed
    wait_for_all()
