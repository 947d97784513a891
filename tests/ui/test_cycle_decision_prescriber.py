"""Walk 21 F1: "Confirm and sign" signed the dose of the day as the nurse at the keyboard, with
no prescriber named. The program has no roles: both sign steps (Confirm, the override) sign as
the name in "Decided by (prescriber)", once the box saying that person is the prescriber who
decided is ticked — never ticked for them, and cleared after each signature."""

from __future__ import annotations

import datetime as dt

from tests.ui.test_treatment_course_flow import DAY, enter_labs


def test_confirm_signs_as_the_prescriber_named_once_ticked(
    capecitabine_course_window, qtbot, record
):
    window = capecitabine_course_window
    enter_labs(window, qtbot, DAY + dt.timedelta(days=21), "3.0")
    assert window.decided_by.isVisibleTo(window)
    assert not window.prescriber.isChecked()

    window.confirm_button.click()
    assert window.status.text().startswith("Nothing signed: confirm that the person named")
    assert window.course is not None
    assert not record.course(window.course.id).reviews

    window.decided_by.setText("Dr Anil Mehta, oncologist")
    window.prescriber.setChecked(True)
    window.confirm_button.click()
    assert "Signed by Dr Anil Mehta, oncologist" in window.status.text()
    (review,) = record.course(window.course.id).reviews
    assert review.signed_by == "Dr Anil Mehta, oncologist"
    assert review.outcome == "confirmed"
    assert not window.prescriber.isChecked()  # the next decision is confirmed afresh
