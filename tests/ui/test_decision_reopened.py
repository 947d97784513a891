"""Nurse16 re-walk, item 2: re-opening Decide on a decided plan showed "Give as suggested", so
one careless Save could overwrite the doctor's decision. The dialog opens on the decision as
recorded (signed by the person using the program now, never the earlier decider: review 16c),
and saving over another person's decision asks first; the earlier decision stays in the plan's
history."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from planner.domain.decision import DoseChange, HeldDrug, decision_of
from planner.services import kept_plans
from planner.ui.decision_dialog import DecisionDialog

CASE = Path(__file__).resolve().parents[1] / "data" / "nurse16"
DOCTOR = "Dr Ravi Menon, oncologist"


def _decided(record) -> tuple[int, int]:
    raw = json.loads((CASE / "everolimus_exemestane_held.json").read_text(encoding="utf-8"))
    assessment = record.import_case(raw).assessment_id
    plan_id = kept_plans.make_and_keep_plan(record, assessment).plan_id
    decided = kept_plans.decide_plan(
        record,
        plan_id,
        course="option",
        regimen="everolimus_exemestane",
        reason="Child-Pugh B: start low",
        dose_changes=(DoseChange("everolimus", 2.5, "mg", "Child-Pugh B: start low"),),
        held=(HeldDrug("exemestane", "Child-Pugh B: start low"),),
        decided_by=DOCTOR,
    )
    return plan_id, decided


def _dialog(qtbot, record, plan_id: int) -> DecisionDialog:
    dialog = DecisionDialog(
        record.plan(plan_id).plan,
        check=lambda chosen: kept_plans.check_plan_decision(record, plan_id, **chosen),
        who=record.who,
    )
    qtbot.addWidget(dialog)
    return dialog


def test_reopened_on_the_decision_as_recorded(qtbot, record):
    _, decided = _decided(record)
    dialog = _dialog(qtbot, record, decided)
    assert dialog.course.currentData() == "everolimus_exemestane"
    assert dialog.decided_by.text() == record.who  # who decides now; never inherited
    assert dialog.reason.toPlainText() == "Child-Pugh B: start low"
    assert dialog.drug.currentData() == "everolimus"
    assert dialog.action.currentData() == "change_dose"
    assert dialog.new_dose.text() == "2.5"
    assert DOCTOR in dialog.current.text()
    dialog.drug.setCurrentIndex(dialog.drug.findData("exemestane"))
    assert dialog.action.currentData() == "hold"
    # Saved untouched, the decision is the same one (nothing silently undone).
    chosen = dialog.decision_input()
    assert [(c.drug, c.value) for c in chosen["dose_changes"]] == [("everolimus", 2.5)]
    assert [h.drug for h in chosen["held"]] == ["exemestane"]


def test_saving_over_another_persons_decision_asks_first(qtbot, record, monkeypatch):
    assert record.who != DOCTOR
    _, decided = _decided(record)
    asked: list[str] = []

    def refuse(parent, title, text, *rest):
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", refuse)
    dialog = _dialog(qtbot, record, decided)
    dialog.decided_by.setText("Sister Rao")
    dialog.drug.setCurrentIndex(dialog.drug.findData("everolimus"))
    dialog.action.setCurrentIndex(dialog.action.findData("as_suggested"))
    dialog.prescriber.setChecked(True)
    dialog.check_and_accept()
    assert dialog.result() != DecisionDialog.DialogCode.Accepted  # refused: nothing replaced
    assert len(asked) == 1
    assert f"This replaces {DOCTOR}'s decision of" in asked[0]

    def agree(parent, title, text, *rest):
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", agree)
    dialog.check_and_accept()
    assert dialog.result() == DecisionDialog.DialogCode.Accepted
    newer = kept_plans.decide_plan(record, decided, **dialog.decision_input())
    assert decision_of(record.plan(newer).plan).decided_by == "Sister Rao"
    assert decision_of(record.plan(decided).plan).decided_by == DOCTOR  # kept in history


def test_the_same_person_is_not_asked(qtbot, record, monkeypatch):
    record.sign_in_as(DOCTOR)
    _, decided = _decided(record)
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a: (_ for _ in ()).throw(AssertionError("asked"))
    )
    dialog = _dialog(qtbot, record, decided)
    dialog.prescriber.setChecked(True)
    dialog.check_and_accept()
    assert dialog.result() == DecisionDialog.DialogCode.Accepted, dialog.error.text()
