"""Recheck 21 (other observations): closing the course window with Escape right after adding a
side-effect row (nothing signed) closed it without a word. As the wizard does (walk 21 F12),
Escape with an unsigned review entered asks first; "keep entering" is the default; an untouched
form, or one whose review was just signed, closes as before."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from tests.ui.test_course_reached_and_early import DAY, NORMAL, qdate


@pytest.fixture
def course(capecitabine_course_window):
    return capecitabine_course_window


def test_escape_after_adding_a_side_effect_row_asks(qtbot, course, monkeypatch):
    asked: list[int] = []
    monkeypatch.setattr(course, "ask_to_close", lambda: asked.append(1) or False)
    qtbot.keyClick(course.entry.add_effect_button, " ")
    row = course.entry.effects[-1]
    qtbot.keyClick(row.term, Qt.Key.Key_Escape)
    assert asked == [1]
    assert course.isVisible()
    monkeypatch.setattr(course, "ask_to_close", lambda: True)
    qtbot.keyClick(row.term, Qt.Key.Key_Escape)
    assert not course.isVisible()


def test_escape_on_an_untouched_review_closes_without_asking(qtbot, course, monkeypatch):
    monkeypatch.setattr(course, "ask_to_close", lambda: pytest.fail("asked"))
    qtbot.keyClick(course.entry.reviewed_on, Qt.Key.Key_Escape)
    assert not course.isVisible()


def test_escape_after_signing_closes_without_asking(qtbot, course, monkeypatch):
    course.entry.reviewed_on.setDate(qdate(DAY + dt.timedelta(days=21)))
    for name, result in NORMAL.items():
        course.entry.rows[name].write(result)
    course.update_preview()
    assert course.entering()
    course.prescriber.setChecked(True)
    course.confirm_button.click()
    assert "Signed by" in course.status.text()
    monkeypatch.setattr(course, "ask_to_close", lambda: pytest.fail("asked"))
    qtbot.keyClick(course.entry.reviewed_on, Qt.Key.Key_Escape)
    assert not course.isVisible()


def test_the_question_keeps_entering_by_default(qtbot, course):
    """The box itself: "Keep entering" is the default and Escape's answer."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    answers: list[bool] = []

    def answer_with_escape() -> None:
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox))
        assert box.defaultButton().text() == "&Keep entering"
        assert "not signed" in box.text()
        qtbot.keyClick(box, Qt.Key.Key_Escape)

    qtbot.keyClick(course.entry.add_effect_button, " ")
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, answer_with_escape)
    answers.append(course.ask_to_close())
    assert answers == [False]


def test_a_count_implausible_in_its_unit_is_asked_before_signing(qtbot, course, monkeypatch):
    """walk23 HARM 2 in the course window: neutrophils "3.2" typed per µL (0.0032 × 10⁹/L) are
    asked about before the review is signed; "check the unit" signs nothing."""
    course.entry.reviewed_on.setDate(qdate(DAY + dt.timedelta(days=21)))
    for name, result in NORMAL.items():
        course.entry.rows[name].write(result)
    row = course.entry.rows["anc"]
    row.unit.setCurrentIndex(row.unit.findData("/uL"))
    row.value.setText("3.2")
    course.update_preview()
    course.prescriber.setChecked(True)
    asked: list[list[str]] = []
    monkeypatch.setattr(course, "ask_units", lambda d: asked.append(list(d)) or False)
    course.confirm_button.click()
    assert asked
    assert "not a plausible count" in asked[0][0]
    assert "Nothing signed" in course.status.text()
    row.value.setText("3200")
    course.update_preview()
    monkeypatch.setattr(course, "ask_units", lambda d: pytest.fail("asked"))
    course.confirm_button.click()
    assert "Signed by" in course.status.text()
