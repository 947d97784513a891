"""The printed plan is signed by the person who decided, not the person at the keyboard (nurse16
walkthrough): the Decide dialog shows and asks "Decided by" (the program's user to start with,
editable, required), and each drug change keeps who made it and when."""

from __future__ import annotations

import io
import json
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtWidgets import QMessageBox

from planner.domain.decision import decision_of
from planner.services import kept_plans, printing
from planner.ui.decision_dialog import DecisionDialog

CASE = Path(__file__).resolve().parents[1] / "data" / "nurse16"


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def _kept(record) -> int:
    raw = json.loads((CASE / "everolimus_exemestane_held.json").read_text(encoding="utf-8"))
    assessment = record.import_case(raw).assessment_id
    return kept_plans.make_and_keep_plan(record, assessment).plan_id


def _ask(qtbot, record, plan_id: int, who: str, drug: str, action: str, reason: str, **more):
    # Replacing another person's decision asks first (test_decision_reopened): agreed here.
    more.pop("monkeypatch").setattr(
        QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes
    )
    plan = record.plan(plan_id).plan
    dialog = DecisionDialog(
        plan,
        check=lambda chosen: kept_plans.check_plan_decision(record, plan_id, **chosen),
        who=record.who,
    )
    qtbot.addWidget(dialog)
    earlier = decision_of(plan)
    # shown: the person using the program, whoever decided before (review 16c)
    assert earlier is None or earlier.decided_by != record.who
    assert dialog.decided_by.text() == record.who
    dialog.course.setCurrentIndex(dialog.course.findData("everolimus_exemestane"))
    dialog.decided_by.setText(who)
    dialog.drug.setCurrentIndex(dialog.drug.findData(drug))
    dialog.action.setCurrentIndex(dialog.action.findData(action))
    if "dose" in more:
        dialog.new_dose.setText(more["dose"])
    dialog.reason.setPlainText(reason)
    dialog.prescriber.setChecked(True)
    dialog.check_and_accept()
    assert dialog.result() == DecisionDialog.DialogCode.Accepted, dialog.error.text()
    return kept_plans.decide_plan(record, plan_id, **dialog.decision_input())


def test_decided_by_is_required(qtbot, record):
    plan_id = _kept(record)
    dialog = DecisionDialog(record.plan(plan_id).plan, who=record.who)
    qtbot.addWidget(dialog)
    dialog.decided_by.clear()
    dialog.reason.setPlainText("as suggested")
    dialog.check_and_accept()
    assert dialog.result() != DecisionDialog.DialogCode.Accepted
    assert "who decided" in dialog.error.text()


def test_each_change_keeps_its_own_signer(qtbot, record, monkeypatch):
    """Anita (the user) types the oncologist's dose change as her own; the next day Dr Menon
    holds exemestane: the dose change stays hers, the hold and the decision are his."""
    assert record.who == "test-nurse"
    plan_id = _kept(record)
    first = _ask(
        qtbot,
        record,
        plan_id,
        "Anita Rao, staff nurse",
        "everolimus",
        "change_dose",
        "Child-Pugh B: start at 2.5 mg",
        dose="2.5",
        monkeypatch=monkeypatch,
    )
    second = _ask(
        qtbot,
        record,
        first,
        "Dr Ravi Menon, oncologist",
        "exemestane",
        "hold",
        "hot flushes: resume when settled",
        monkeypatch=monkeypatch,
    )
    decision = decision_of(record.plan(second).plan)
    assert decision.decided_by == "Dr Ravi Menon, oncologist"
    (change,) = decision.dose_changes
    assert change.decided_by == "Anita Rao, staff nurse"
    (held,) = decision.held
    assert held.decided_by == "Dr Ravi Menon, oncologist"
    source = printing.plan_print_source(record, second)
    printed = _text(printing.print_plan_document(source, audience="both", slips=True).pdf)
    flat = " ".join(printed.split())
    assert "Decided by Dr Ravi Menon, oncologist" in flat
    assert "Everolimus 2.5 mg: decided by Anita Rao, staff nurse on" in flat
    # the hold is the decision's own (same person, time and reason): said once, by the
    # decision's line, beside the drug's "held" line (the reason printed three times: walk 16d)
    assert "Exemestane: held by the clinician" in flat
    assert flat.split("Alerts", 1)[0].count("hot flushes: resume when settled") == 1
    assert "test-nurse" not in flat  # the person at the keyboard signs nothing
    slips = _text(printing.print_plan_document(source, audience="slips").pdf)
    assert "Referred by Dr Ravi Menon, oncologist" in " ".join(slips.split())
