"""Walk 21 H6: the course start date typed 07/12/2026 became 07/07/2026 (Qt's date box jumped
sections as the digits came, and the month never typed kept the current one); the refusal that
followed read "course.started_on: 2026-07-07 is before the plan's assessment (2026-12-07)". The
course window's dates are the wizard's typed-date field: DD/MM/YYYY, DD.MM.YYYY or YYYY-MM-DD,
shown in the clinic's format; a text that is no date is said in words and records nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from tests.ui.test_course_window_leftovers19 import DAY, closing, course_window  # noqa: F401


@pytest.mark.parametrize(
    ("date_format", "typed"),
    [("dd/mm/yyyy", "20/11/2026"), ("dd.mm.yyyy", "20.11.2026"), ("iso", "2026-11-20")],
)
def test_the_start_date_is_the_date_typed(
    qtbot,
    record,
    example_raw,
    closing,  # noqa: F811
    date_format,
    typed,
):
    record.set_clinic_settings({"date_format": date_format})
    window = course_window(qtbot, record, example_raw, bevacizumab=False)
    closing(window)
    window.today = lambda: dt.date(2027, 6, 30)
    field = window.started_on
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, typed)  # as the nurse types it, separators and all
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert field.day() == DAY
    window.cycle_days.setValue(21)
    window.start_button.click()
    assert window.course is not None, window.status.text()
    assert window.course.started_on == DAY.isoformat()


def test_a_start_date_that_is_no_date_is_said_in_words_and_starts_nothing(
    qtbot,
    record,
    example_raw,
    closing,  # noqa: F811
):
    window = course_window(qtbot, record, example_raw, bevacizumab=False)
    closing(window)
    field = window.started_on
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "07/13/2026")  # month first: no 13th month
    assert not window.start_button.isEnabled()
    said = window.date_problems.text()
    assert said.startswith("First cycle given on: 07/13/2026 is not a date")
    assert "course.started_on" not in said


def test_a_start_date_before_the_plan_is_refused_in_words(
    qtbot,
    record,
    example_raw,
    closing,  # noqa: F811
):
    window = course_window(qtbot, record, example_raw, bevacizumab=False)
    closing(window)
    window.today = lambda: dt.date(2027, 6, 30)
    field = window.started_on
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "21/10/2026")
    window.cycle_days.setValue(21)
    window.start_button.click()
    said = window.status.text()
    assert window.course is None
    assert "course.started_on" not in said
    assert said.startswith("First cycle given on: 21/10/2026 is before")
    assert "2026-" not in said
