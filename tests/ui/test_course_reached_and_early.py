"""Review 19c, finding 7: "Treatment course…" was reachable from the File menu only (Ctrl+Shift+T)
— a button on her record and on her decided plan opens it; and the "why early" question is
asked only while the cycle's date is before its due date, saying how early (a review may be
early; a cycle given early needs a reason)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate

from planner.services import kept_plans
from planner.ui.background import wait_for_all
from tests.course_setup import NORMAL_LABS

DAY = dt.date(2026, 11, 20)
TODAY = dt.date(2027, 6, 30)
NORMAL = NORMAL_LABS


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def decided_plan(record, raw) -> tuple[int, int]:
    """(the undecided plan, the decided one) of the sample patient."""
    assessment = record.import_case(raw).assessment_id
    made = kept_plans.make_and_keep_plan(record, assessment)
    record.sign_in_as("Dr Karimov (oncologist)")
    decided = kept_plans.decide_plan(
        record, made.plan_id, course="option", regimen="capecitabine", reason="oral, at home"
    )
    return made.plan_id, decided


def test_her_record_has_a_treatment_course_button(qtbot, record, ui_settings, example_raw):
    from planner.ui.main_window import MainWindow

    decided_plan(record, example_raw)
    main = MainWindow(record, ui_settings)
    qtbot.addWidget(main)
    main.show()
    mrn = example_raw["patient"]["mrn"]
    main.open_patient(mrn)
    button = main.record_view.course_button
    assert button.isVisibleTo(main)
    button.click()
    window = main.course_window
    try:
        assert window.mrn == mrn
        assert window.isVisible()
        assert "Capecitabine" in window.offer.text()
    finally:
        window._timer.stop()
        window.close()
        wait_for_all()


def test_the_decided_plan_window_has_a_treatment_course_button(qtbot, record, example_raw):
    from planner.ui.plan_view import PlanView

    undecided, decided = decided_plan(record, example_raw)
    view = PlanView(record, decided)
    qtbot.addWidget(view)
    assert view.course_button.isVisibleTo(view)
    asked: list[str] = []
    view.course_requested.connect(asked.append)
    view.course_button.click()
    assert asked == [example_raw["patient"]["mrn"]]
    wait_for_all()
    # a plan with no decided option (here superseded by the decided one) has nothing to start
    earlier = PlanView(record, undecided)
    qtbot.addWidget(earlier)
    assert not earlier.course_button.isVisibleTo(earlier)
    wait_for_all()


def test_the_plan_window_s_button_opens_her_course_from_the_record(
    qtbot, record, ui_settings, example_raw
):
    from planner.ui.main_window import MainWindow

    _, decided = decided_plan(record, example_raw)
    main = MainWindow(record, ui_settings)
    qtbot.addWidget(main)
    main.show()
    main.open_patient(example_raw["patient"]["mrn"])
    main.record_view.open_plan(decided)
    main.record_view.plan_view.course_button.click()
    window = main.course_window
    try:
        assert window.mrn == example_raw["patient"]["mrn"]
    finally:
        window._timer.stop()
        window.close()
        main.record_view.plan_view.close()
        wait_for_all()


def test_why_early_is_asked_only_for_a_cycle_given_before_its_due_date(qtbot, record, example_raw):
    from planner.ui.course_window import CourseWindow

    decided_plan(record, example_raw)
    window = CourseWindow(record, example_raw["patient"]["mrn"])
    qtbot.addWidget(window)
    window.show()
    window.today = lambda: TODAY
    try:
        window.started_on.setDate(qdate(DAY))
        window.cycle_days.setValue(21)
        window.start_button.click()
        assert not window.early_reason.isVisibleTo(window)  # nothing waits to be given
        assert window.reason.tabChangesFocus()  # Tab leaves the override's reason box
        # reviewed three days before cycle 2 is due (11/12/2026): a review may be early
        early = DAY + dt.timedelta(days=18)
        window.entry.reviewed_on.setDate(qdate(early))
        for name, result in NORMAL.items():
            window.entry.rows[name].write(result)
        window.update_preview()
        window.prescriber.setChecked(True)
        window.confirm_button.click()
        assert "Signed by" in window.status.text()
        # the date given defaults to the review's: three days early — asked, saying so
        assert window.given_on.date() == qdate(early)
        assert window.early_reason.isVisibleTo(window)
        assert window.early_reason.placeholderText() == (
            "Given 3 days before it is due (11/12/2026): why early? (required)"
        )
        # given on the due date: nothing to explain
        window.given_on.setDate(qdate(DAY + dt.timedelta(days=21)))
        assert not window.early_reason.isVisibleTo(window)
        window.given_button.click()
        assert "Cycle 2 recorded as given on 11/12/2026" in window.status.text()
    finally:
        window._timer.stop()
        wait_for_all()


def test_no_early_hint_beside_a_given_date_that_is_no_date(qtbot, record, example_raw):
    """Recheck 21: "31/02/2026" beside "Record cycle given" was said to be no date, and the hint
    beside it read "Given 739963 days before it is due" (its distance from year 1). While the
    text is no date the hint is hidden; a real early date brings it back."""
    from PySide6.QtCore import Qt

    from planner.ui.course_window import CourseWindow

    decided_plan(record, example_raw)
    window = CourseWindow(record, example_raw["patient"]["mrn"])
    qtbot.addWidget(window)
    window.show()
    window.today = lambda: TODAY
    try:
        window.started_on.setDate(qdate(DAY))
        window.cycle_days.setValue(21)
        window.start_button.click()
        early = DAY + dt.timedelta(days=18)
        window.entry.reviewed_on.setDate(qdate(early))
        for name, result in NORMAL.items():
            window.entry.rows[name].write(result)
        window.update_preview()
        window.prescriber.setChecked(True)
        window.confirm_button.click()
        assert window.early_reason.isVisibleTo(window)
        field = window.given_on
        field.setFocus()
        field.selectAll()
        qtbot.keyClicks(field, "31/02/2026")
        qtbot.keyClick(field, Qt.Key.Key_Tab)
        assert field.day() is None
        assert not window.early_reason.isVisibleTo(window)
        assert not window.given_button.isEnabled()
        assert "31/02/2026 is not a date" in window.date_problems.text()
        field.setFocus()
        field.selectAll()
        qtbot.keyClicks(field, "09/12/2026")
        assert window.early_reason.isVisibleTo(window)
        assert window.early_reason.placeholderText() == (
            "Given 2 days before it is due (11/12/2026): why early? (required)"
        )
    finally:
        window._timer.stop()
        wait_for_all()
