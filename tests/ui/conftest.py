"""Fixtures for the desktop app's tests: a fresh record, a private QSettings, an open wizard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from planner.services.patient_record import PatientRecord


@pytest.fixture
def record(tmp_path):
    opened = PatientRecord(tmp_path / "record.sqlite3", who="test-nurse")
    yield opened
    opened.close()


@pytest.fixture
def ui_settings(tmp_path):
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
