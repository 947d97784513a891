"""Recheck 21 (other observations): a cycle review of a vinorelbine course with no results typed
listed the neutrophil limits of capecitabine, carboplatin and eribulin — drugs she is not on.
With nothing typed, the "Missing" list names only the course's own drugs' needs."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.services import kept_plans
from planner.ui.background import wait_for_all
from tests.ui.test_treatment_course_flow import DAY, qdate

OTHERS = (
    "capecitabine",
    "carboplatin",
    "eribulin",
    "paclitaxel",
    "gemcitabine",
    "docetaxel",
    "doxorubicin",
)


@pytest.fixture
def vinorelbine_window(qtbot, record, ui_settings, example_raw):
    from planner.ui.main_window import MainWindow

    assessment = record.import_case(example_raw).assessment_id
    made = kept_plans.make_and_keep_plan(record, assessment)
    record.sign_in_as("Dr Karimov (oncologist)")
    kept_plans.decide_plan(
        record, made.plan_id, course="option", regimen="vinorelbine", reason="weekly, day unit"
    )
    main = MainWindow(record, ui_settings)
    qtbot.addWidget(main)
    main.show()
    main.open_patient(example_raw["patient"]["mrn"])
    main.course_action.trigger()
    shown = main.course_window
    qtbot.addWidget(shown)
    qtbot.waitExposed(shown)
    shown.today = lambda: dt.date(2027, 6, 30)
    yield shown
    shown._timer.stop()
    wait_for_all()


def test_no_results_typed_names_only_the_course_s_drugs(vinorelbine_window):
    window = vinorelbine_window
    window.started_on.setDate(qdate(DAY))
    window.cycle_days.setValue(21)
    window.start_button.click()
    assert window.course is not None, window.status.text()
    window.entry.reviewed_on.setDate(qdate(DAY + dt.timedelta(days=21)))
    window.update_preview()
    shown = window.decision.toPlainText()
    assert "Missing — fill in to decide" in shown
    missing = shown[shown.index("Missing — fill in to decide") :].lower()
    assert "vinorelbine" in missing or "neutrophils" in missing
    for other in OTHERS:
        assert other not in missing, (other, missing)
