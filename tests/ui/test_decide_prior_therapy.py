"""The Decide dialog asks for the prior-therapy answer when it is not recorded (issue 16): an
option is signed only with "no previous cancer treatment" confirmed; recorded, nothing is asked."""

from __future__ import annotations

import copy

from planner.services import case_commands
from planner.ui.plan_view import SUPPORTIVE_CARE, DecisionDialog


def _dialog(qtbot, raw, prior):
    case = copy.deepcopy(raw)
    case["disease"]["prior_therapy"] = prior
    plan = case_commands.make_plan(case)
    dialog = DecisionDialog(plan, who="Dr Rao")
    qtbot.addWidget(dialog)
    regimen = next(o["regimen"] for o in plan["options"] if all(d.get("dose") for d in o["drugs"]))
    dialog.course.setCurrentIndex(dialog.course.findData(regimen))
    dialog.reason.setPlainText("as discussed")
    return dialog


def test_not_recorded_asks_for_the_confirmation_before_signing(qtbot, example_raw):
    dialog = _dialog(qtbot, example_raw, None)
    assert not dialog.no_prior_therapy.isHidden()
    assert dialog.no_prior_therapy.isEnabled()
    dialog.check_and_accept()
    assert dialog.result() != DecisionDialog.DialogCode.Accepted
    assert "previous cancer treatment is not recorded" in dialog.error.text()
    dialog.no_prior_therapy.setChecked(True)
    assert dialog.decision_input()["prior_therapy_confirmed_none"] is True
    dialog.check_and_accept()
    assert dialog.result() == DecisionDialog.DialogCode.Accepted


def test_best_supportive_care_needs_no_confirmation(qtbot, example_raw):
    dialog = _dialog(qtbot, example_raw, None)
    dialog.course.setCurrentIndex(dialog.course.findData(SUPPORTIVE_CARE))
    assert not dialog.no_prior_therapy.isEnabled()
    dialog.check_and_accept()
    assert dialog.result() == DecisionDialog.DialogCode.Accepted
    assert "prior_therapy_confirmed_none" not in dialog.decision_input()


def test_recorded_as_none_asks_nothing(qtbot, example_raw):
    dialog = _dialog(qtbot, example_raw, [])
    assert dialog.no_prior_therapy.isHidden()
    dialog.check_and_accept()
    assert dialog.result() == DecisionDialog.DialogCode.Accepted
    assert dialog.decision_input()["prior_therapy_confirmed_none"] is False
