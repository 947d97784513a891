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
