"""Walk 23 #8: "Record cycle given" stayed on for the earlier signed "give 100 mg" while a new,
unsigned review with grade-3 diarrhoea was on screen; pressed, it would have recorded a dose the
screen gave a reason to reduce. It records only the signed decision the form shows, and says
which (its tooltip); with a new review entered and not signed it is off, and refuses in words."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate

from tests.course_setup import NORMAL_LABS

DAY = dt.date(2026, 11, 20)


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


@pytest.fixture
def window(capecitabine_course_window):
    return capecitabine_course_window


def test_record_cycle_given_is_off_while_a_new_review_is_unsigned(window, record):
    c2 = DAY + dt.timedelta(days=21)
    window.entry.reviewed_on.setDate(qdate(c2))
    for name, result in NORMAL_LABS.items():
        window.entry.rows[name].write(result)
    window.update_preview()
    window.prescriber.setChecked(True)
    window.confirm_button.click()
    assert window.given_button.isEnabled()
    assert "Records the signed decision: give cycle 2" in window.given_button.toolTip()

    # a new review begins on the same form: neutrophils now low, not signed
    window.entry.rows["anc"].write({"value": 0.8, "unit": "10^9/L"})
    window.update_preview()
    assert window.entering()
    assert not window.given_button.isEnabled()
    window.record_given()  # (a shortcut or a stale click): refused in words
    assert "Nothing recorded: a new review is entered and not signed" in window.status.text()
    assert [c.cycle for c in record.course(window.course.id).cycles] == [1]

    # the form back as signed: the signed decision can be recorded again
    window.entry.rows["anc"].write(NORMAL_LABS["anc"])
    window.update_preview()
    assert window.given_button.isEnabled()
