"""The Decide dialog asks for the prior-therapy answer when it is not recorded (issue 16): an
option is signed only with "no previous cancer treatment" confirmed; recorded, nothing is asked."""

from __future__ import annotations

import copy

from planner.services import case_commands
from planner.ui.decision_dialog import SUPPORTIVE_CARE, DecisionDialog


def _dialog(qtbot, raw, prior):
    case = copy.deepcopy(raw)
    case["disease"]["prior_therapy"] = prior
    plan = case_commands.make_plan(case)
    dialog = DecisionDialog(plan, who="Dr Rao")
    qtbot.addWidget(dialog)
    regimen = next(o["regimen"] for o in plan["options"] if all(d.get("dose") for d in o["drugs"]))
    dialog.course.setCurrentIndex(dialog.course.findData(regimen))
    dialog.reason.setPlainText("her choice after the talk with the oncologist")
    dialog.prescriber.setChecked(True)  # the person named is the prescriber (review 16c)
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


def _wizard(qtbot, record, case=None):
    from planner.ui.wizard.assessment_wizard import AssessmentWizard

    wizard = AssessmentWizard(record, copy.deepcopy(case))
    qtbot.addWidget(wizard)
    page = next(p for p in wizard.field_pages() if hasattr(p, "no_prior_therapy"))
    return wizard, page


def test_the_wizard_records_none_apart_from_not_recorded(qtbot, record, example_raw):
    """The nurse can say "no earlier systemic treatment" (an empty list); no lines and no tick
    stays "not recorded" (null)."""
    unrecorded = copy.deepcopy(example_raw)
    unrecorded["disease"]["prior_therapy"] = None
    wizard, page = _wizard(qtbot, record, unrecorded)
    assert not page.no_prior_therapy.isChecked()
    assert wizard.case()["disease"]["prior_therapy"] is None
    page.no_prior_therapy.setChecked(True)
    assert wizard.case()["disease"]["prior_therapy"] == []
    assert not page.add_therapy_button.isEnabled()
    page.no_prior_therapy.setChecked(False)
    assert wizard.case()["disease"]["prior_therapy"] is None
    # listed lines are cleared by the tick (none and lines cannot both be the answer)
    listed, page = _wizard(qtbot, record, example_raw)
    assert listed.case()["disease"]["prior_therapy"]
    page.no_prior_therapy.setChecked(True)
    assert listed.case()["disease"]["prior_therapy"] == []
    # loaded as none: ticked, and kept
    none = copy.deepcopy(example_raw)
    none["disease"]["prior_therapy"] = []
    loaded, page = _wizard(qtbot, record, none)
    assert page.no_prior_therapy.isChecked()
    assert loaded.case()["disease"]["prior_therapy"] == []


def test_the_tick_alone_is_kept_in_a_new_assessment(qtbot, record):
    wizard, page = _wizard(qtbot, record)
    assert (wizard.case().get("disease") or {}).get("prior_therapy") is None
    page.no_prior_therapy.setChecked(True)
    assert wizard.case()["disease"] == {"prior_therapy": []}
