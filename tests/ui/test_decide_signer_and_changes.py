"""The Decide dialog, as an independent nurse and oncologist walked it (issue 16, review 16c):

- finding 1 (harm): reopening a decided plan pre-filled "Decided by" with the earlier decider, so
  the signed-in doctor's change was signed and printed with the nurse's name;
- finding 2 (harm): only the drug showing at Save kept its action: a dose change made for one
  drug was silently dropped when the Drug selector moved to the other drug of the option;
- finding 5: a decision was taken in one click, with no prescriber confirmed and "ok" as reason.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from planner.domain.decision import DoseChange, decision_of
from planner.domain.problems import InputInvalid
from planner.services import kept_plans, printing
from planner.ui.decision_dialog import DecisionDialog

CASE = Path(__file__).resolve().parents[1] / "data" / "nurse16"
NURSE = "Priya Sharma, palliative nurse"
DOCTOR = "Dr Arjun Mehta, oncologist"


def _kept(record) -> int:
    raw = json.loads((CASE / "everolimus_exemestane_held.json").read_text(encoding="utf-8"))
    assessment = record.import_case(raw).assessment_id
    return kept_plans.make_and_keep_plan(record, assessment).plan_id


def _dialog(qtbot, record, plan_id: int) -> DecisionDialog:
    dialog = DecisionDialog(
        record.plan(plan_id).plan,
        check=lambda chosen: kept_plans.check_plan_decision(record, plan_id, **chosen),
        who=record.who,
    )
    qtbot.addWidget(dialog)
    return dialog


def _decided_by_nurse(record) -> int:
    plan_id = _kept(record)
    return kept_plans.decide_plan(
        record,
        plan_id,
        course="option",
        regimen="everolimus_exemestane",
        reason="Child-Pugh B: start everolimus low",
        dose_changes=(DoseChange("everolimus", 2.5, "mg", "Child-Pugh B: start everolimus low"),),
        decided_by=NURSE,
    )


def test_reopened_decision_is_signed_by_the_signed_in_person(qtbot, record, monkeypatch):
    decided = _decided_by_nurse(record)
    record.sign_in_as(DOCTOR)
    asked: list[str] = []

    def agree(parent, title, text, *rest):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", agree)
    dialog = _dialog(qtbot, record, decided)
    assert dialog.decided_by.text() == DOCTOR  # never the earlier decider's name
    assert NURSE in dialog.current.text()  # whose decision this replaces is still said
    dialog.drug.setCurrentIndex(dialog.drug.findData("everolimus"))
    dialog.new_dose.clear()
    qtbot.keyClicks(dialog.new_dose, "5")
    dialog.reason.setPlainText("Liver function improved: full dose of everolimus")
    dialog.prescriber.setChecked(True)
    dialog.check_and_accept()
    assert dialog.result() == DecisionDialog.DialogCode.Accepted, dialog.error.text()
    assert f"signed by {DOCTOR}" in asked[0]
    newer = kept_plans.decide_plan(record, decided, **dialog.decision_input())
    decision = decision_of(record.plan(newer).plan)
    assert decision.decided_by == DOCTOR
    (change,) = decision.dose_changes
    assert (change.value, change.decided_by) == (5.0, DOCTOR)


def test_every_drugs_action_is_kept_across_drug_switches(qtbot, record):
    plan_id = _kept(record)
    dialog = _dialog(qtbot, record, plan_id)
    dialog.course.setCurrentIndex(dialog.course.findData("everolimus_exemestane"))
    dialog.drug.setCurrentIndex(dialog.drug.findData("everolimus"))
    dialog.action.setCurrentIndex(dialog.action.findData("change_dose"))
    qtbot.keyClicks(dialog.new_dose, "2.5")
    dialog.drug.setCurrentIndex(dialog.drug.findData("exemestane"))
    assert dialog.action.currentData() == "as_suggested"  # exemestane has no change yet
    dialog.action.setCurrentIndex(dialog.action.findData("hold"))
    # both pending changes are listed in the dialog
    listed = dialog.changes.text()
    assert "everolimus: dose changed to 2.5 mg" in listed
    assert "exemestane: held" in listed
    # going back shows everolimus's change as it was typed
    dialog.drug.setCurrentIndex(dialog.drug.findData("everolimus"))
    assert dialog.action.currentData() == "change_dose"
    assert dialog.new_dose.text() == "2.5"
    dialog.reason.setPlainText("Child-Pugh B: everolimus low, exemestane held for flushes")
    dialog.prescriber.setChecked(True)
    dialog.check_and_accept()
    assert dialog.result() == DecisionDialog.DialogCode.Accepted, dialog.error.text()
    newer = kept_plans.decide_plan(record, plan_id, **dialog.decision_input())
    decision = decision_of(record.plan(newer).plan)
    assert [(c.drug, c.value) for c in decision.dose_changes] == [("everolimus", 2.5)]
    assert [h.drug for h in decision.held] == ["exemestane"]
    printed = printing.plan_print_source(record, newer).plan
    (option,) = [o for o in printed["options"] if o.get("chosen")]
    doses = {d["drug"]: d.get("dose") for d in option["drugs"]}
    assert doses["everolimus"]["value"] == 2.5
    assert doses["exemestane"] is None


def test_setting_a_drug_back_to_as_suggested_removes_its_change(qtbot, record):
    plan_id = _kept(record)
    dialog = _dialog(qtbot, record, plan_id)
    dialog.course.setCurrentIndex(dialog.course.findData("everolimus_exemestane"))
    dialog.drug.setCurrentIndex(dialog.drug.findData("exemestane"))
    dialog.action.setCurrentIndex(dialog.action.findData("hold"))
    dialog.action.setCurrentIndex(dialog.action.findData("as_suggested"))
    assert "exemestane" not in dialog.changes.text()
    assert dialog.decision_input()["held"] == ()


def test_a_bad_dose_of_a_drug_not_showing_is_named(qtbot, record):
    plan_id = _kept(record)
    dialog = _dialog(qtbot, record, plan_id)
    dialog.course.setCurrentIndex(dialog.course.findData("everolimus_exemestane"))
    dialog.drug.setCurrentIndex(dialog.drug.findData("everolimus"))
    dialog.action.setCurrentIndex(dialog.action.findData("change_dose"))
    dialog.drug.setCurrentIndex(dialog.drug.findData("exemestane"))
    dialog.reason.setPlainText("Child-Pugh B: everolimus lower than suggested")
    dialog.prescriber.setChecked(True)
    dialog.check_and_accept()
    assert dialog.result() != DecisionDialog.DialogCode.Accepted
    assert "new dose of everolimus as a number above 0" in dialog.error.text()


def test_the_prescriber_is_confirmed_for_every_decision(qtbot, record):
    plan_id = _kept(record)
    dialog = _dialog(qtbot, record, plan_id)
    assert not dialog.prescriber.isChecked()  # never ticked for the user
    dialog.reason.setPlainText("As suggested: liver function allows it")
    dialog.check_and_accept()
    assert dialog.result() != DecisionDialog.DialogCode.Accepted
    assert "prescriber" in dialog.error.text()
    dialog.course.setCurrentIndex(dialog.course.findData("supportive_care"))
    dialog.check_and_accept()
    assert dialog.result() != DecisionDialog.DialogCode.Accepted
    assert "prescriber" in dialog.error.text()
    dialog.prescriber.setChecked(True)
    dialog.reason.setPlainText("She chose comfort care after talking with her family")
    dialog.check_and_accept()
    assert dialog.result() == DecisionDialog.DialogCode.Accepted, dialog.error.text()


def test_a_placeholder_reason_is_refused_where_the_decision_differs(qtbot, record):
    plan_id = _kept(record)
    dialog = _dialog(qtbot, record, plan_id)
    dialog.course.setCurrentIndex(dialog.course.findData("supportive_care"))
    dialog.prescriber.setChecked(True)
    for thin in ("ok", "OK.", "agreed", "as discussed", "x"):
        dialog.reason.setPlainText(thin)
        dialog.check_and_accept()
        assert dialog.result() != DecisionDialog.DialogCode.Accepted, thin
        assert "say what was chosen and why" in dialog.error.text()
    with pytest.raises(InputInvalid, match="say what was chosen and why"):
        kept_plans.decide_plan(
            record, plan_id, course="supportive_care", regimen=None, reason="ok", decided_by=DOCTOR
        )


def test_accepting_the_suggestion_needs_a_reason_but_not_a_long_one(record, example_raw):
    """Best supportive care where systemic therapy was judged not appropriate (ECOG 3) is the
    suggestion: "agreed" says enough (the program's why is printed beside it)."""
    raw = {**example_raw, "clinical": {**example_raw["clinical"], "ecog": 3}}
    assessment = record.import_case(raw).assessment_id
    plan_id = kept_plans.make_and_keep_plan(record, assessment).plan_id
    newer = kept_plans.decide_plan(
        record, plan_id, course="supportive_care", regimen=None, reason="agreed", decided_by=DOCTOR
    )
    assert decision_of(record.plan(newer).plan).reason == "agreed"
