"""Walk 21 H1: picking a side effect pre-filled "worst grade 1", and a grade nobody chose
decided between giving and stopping (vinorelbine: grade 1 "give", grade 2 "stop"). The worst
grade starts not chosen; until it is chosen the review names the gap and nothing can be signed,
by Confirm or by an override (every door: the service refuses it too)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from planner.domain.problems import InputInvalid
from planner.domain.treatment_course import SideEffect, check_side_effects
from tests.ui.test_treatment_course_flow import DAY, enter_labs, qdate, window  # noqa: F401

NEUROPATHY = "peripheral_sensory_neuropathy"


def test_a_chosen_side_effect_has_no_grade_until_one_is_chosen(window, qtbot, record):  # noqa: F811
    window.started_on.setDate(qdate(DAY))
    window.cycle_days.setValue(21)
    window.start_button.click()
    c2 = DAY + dt.timedelta(days=21)
    enter_labs(window, qtbot, c2, "3.0")
    assert window.confirm_button.isEnabled()

    qtbot.keyClick(window.entry.add_effect_button, Qt.Key.Key_Space)
    effect = window.entry.effects[-1]
    qtbot.waitUntil(effect.term.isVisible)
    effect.term.setFocus()
    effect.term.setCurrentIndex(effect.term.findData(NEUROPATHY))
    window.update_preview()
    assert effect.worst.currentData() is None
    assert effect.worst.currentText() == "(choose the worst grade)"
    shown = window.decision.toPlainText()
    assert "No decision yet" in shown
    assert "Side effect 1: worst grade not chosen for peripheral sensory neuropathy" in shown
    assert "Give this cycle" not in shown
    assert not window.confirm_button.isEnabled()
    # the override door is refused as well: nothing is signed
    window.reason.setPlainText("as discussed with the oncologist on the ward")
    window.decided_by.setText("Dr Karimov (oncologist)")
    window.prescriber.setChecked(True)
    window.override()
    assert "worst grade not chosen" in window.status.text()
    assert window.course is not None
    assert not record.course(window.course.id).reviews

    effect.worst.setCurrentIndex(effect.worst.findData(1))
    window.update_preview()
    assert "No decision yet" not in window.decision.toPlainText()
    assert window.confirm_button.isEnabled()


def test_the_service_refuses_a_side_effect_without_its_worst_grade():
    with pytest.raises(InputInvalid) as raised:
        check_side_effects((SideEffect(NEUROPATHY, None),))
    (problem,) = raised.value.problems
    assert problem.path == "side_effects[0].worst_grade"
    assert "worst grade not chosen" in problem.message
