"""Walk 24 HARM 1, #8 and #9 in the course window. On day 8 of gemcitabine's cycle 1 the form
opened on "Day of the cycle 1" and, set to day 8, filed the review as "cycle 2, day 8"; a day-8
dose could not be recorded; after "Record cycle given" the count conversions ("= 3.4 × 10⁹/L")
stayed beside the emptied fields."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate

from planner.services import cycle_sheets
from planner.services import treatment_courses as courses
from planner.ui.background import wait_for_all
from planner.ui.course_window import CourseWindow
from tests.course_setup import DAY, DOCTOR, NORMAL_LABS, NORMAL_LIVER, decide_regimen

DAY8 = DAY + dt.timedelta(days=7)


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


@pytest.fixture
def window(qtbot, record, example_raw):
    example_raw["labs"].update(NORMAL_LIVER)
    plan_id = decide_regimen(
        record, example_raw, "gemcitabine", reason="single agent gemcitabine after capecitabine"
    )
    courses.start_course(record, plan_id, cycle_days=21, started_on=DAY, today=DAY)
    shown = CourseWindow(record, example_raw["patient"]["mrn"])
    qtbot.addWidget(shown)
    shown.show()
    yield shown
    shown._timer.stop()
    wait_for_all()


def _open_on(window, day: dt.date) -> None:
    window.today = lambda: day
    window.entry.reviewed_on.setDate(qdate(day))
    window.refresh()


def test_on_day_8_the_review_is_cycle_1_day_8_and_records_its_dose(window, record):
    _open_on(window, DAY8)
    assert window.entry.day.value() == 8
    assert "This review decides cycle 1, day 8 (due 27/11/2026)." in window.visit_note.text()
    assert "not due" not in window.visit_note.text()
    for name, result in NORMAL_LABS.items():
        window.entry.rows[name].write(result)
    window.entry.rows["anc"].write({"value": 1100, "unit": "/uL"})
    window.update_preview()
    assert "= 1.1" in window.entry.rows["anc"].x_uln.text()
    assert "Give this day's dose — cycle 1, day 8" in window.decision.toPlainText()
    assert "cycle 2" not in window.decision.toPlainText()
    window.decided_by.setText(DOCTOR)
    window.prescriber.setChecked(True)
    window.confirm_button.click()
    assert "Give this day's dose (cycle 1, day 8)." in window.status.text()
    assert window.given_button.text() == "Record day 8 dose &given"
    assert window.given_button.isEnabled()
    window.given_on.setDate(qdate(DAY8))
    window.given_button.click()
    assert "Cycle 1, day 8: its dose recorded as given on 27/11/2026." in window.status.text()
    source = cycle_sheets.cycle_sheet_source(record, window.course.id, window.signed_review)
    assert cycle_sheets.cycle_sheet_file_name(source).endswith("_cycle1_day8.pdf")
    assert source.planned_on == DAY8.isoformat()  # the day's date, not round 2's
    assert source.next_due == (DAY + dt.timedelta(days=21)).isoformat()
    course = record.course(window.course.id)
    (given,) = course.days_given
    assert (given.cycle, given.day) == (1, 8)
    assert [c.cycle for c in course.cycles] == [1]
    # the cleared form shows no conversion of a count no longer there (walk 24 #9)
    assert window.entry.rows["anc"].value.text() == ""
    assert window.entry.rows["anc"].x_uln.text() == ""
    assert not window.given_button.isEnabled()


def test_a_cycle_2_review_two_weeks_early_says_it_is_not_due(window):
    _open_on(window, DAY8)
    window.entry.day.setValue(1)
    window.update_preview()
    note = window.visit_note.text()
    assert "This review decides cycle 2 (due 11/12/2026)." in note
    assert "It is not due yet: cycle 2 is due on 11/12/2026, 14 days after" in note


def test_a_signed_day_8_hold_keeps_its_day_on_the_form(window):
    """The day follows the calendar only on an empty form: a day-8 dose held (that day is then
    closed) must not move the signed form to cycle 2's day 1 under its day-8 results."""
    _open_on(window, DAY8)
    for name, result in NORMAL_LABS.items():
        window.entry.rows[name].write(result)
    window.entry.rows["anc"].write({"value": 400, "unit": "/uL"})
    window.update_preview()
    window.decided_by.setText(DOCTOR)
    window.prescriber.setChecked(True)
    window.confirm_button.click()
    (review,) = window.course.reviews
    assert (review.cycle, review.day) == (1, 8)
    assert review.decided["decision"] != "give"
    assert window.entry.day.value() == 8
    assert not window.entering()
