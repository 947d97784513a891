"""Issue 20 item 6: how the family booklet speaks about the aim of treatment ("It will not cure
the cancer") is the clinician's choice for this patient, made in the Decide dialog and kept
with the decision. Not chosen, the dialog shows the choice unmade and the booklet keeps neutral
words: never a silent default."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from planner.domain.decision import decision_of
from planner.domain.problems import InputInvalid
from planner.services import kept_plans, printing
from planner.ui.decision_dialog import DecisionDialog

CASE = Path(__file__).resolve().parents[1] / "data" / "cases" / "example.json"


def _plan(record) -> int:
    raw = json.loads(CASE.read_text(encoding="utf-8"))
    assessment = record.import_case(raw).assessment_id
    return kept_plans.make_and_keep_plan(record, assessment).plan_id


def _dialog(qtbot, record, plan_id: int) -> DecisionDialog:
    dialog = DecisionDialog(
        record.plan(plan_id).plan,
        check=lambda chosen: kept_plans.check_plan_decision(record, plan_id, **chosen),
        who="Dr A. Rahimova, oncologist",
    )
    qtbot.addWidget(dialog)
    return dialog


def _booklet(record, plan_id: int) -> str:
    source = printing.plan_print_source(record, plan_id)
    pdf = printing.print_plan_document(source, audience="booklet").pdf
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join((p.extract_text() or "") for p in pages).split())


def test_the_choice_is_shown_unmade_and_the_booklet_stays_neutral(qtbot, record):
    plan_id = _plan(record)
    dialog = _dialog(qtbot, record, plan_id)
    assert dialog.aim_wording.currentData() == ""  # asked, not defaulted
    assert "Not chosen" in dialog.aim_wording.currentText()
    dialog.reason.setPlainText("agreed with the patient")
    decided = kept_plans.decide_plan(record, plan_id, **dialog.decision_input())
    assert decision_of(record.plan(decided).plan).aim_wording == ""
    booklet = _booklet(record, decided)
    assert "Your doctor will talk with you about what this treatment can do for you." in booklet
    assert "cure" not in booklet


def test_the_chosen_words_are_kept_with_the_decision_and_printed(qtbot, record):
    plan_id = _plan(record)
    dialog = _dialog(qtbot, record, plan_id)
    dialog.aim_wording.setCurrentIndex(dialog.aim_wording.findData("not_cure"))
    dialog.reason.setPlainText("she asked us to be plain")
    decided = kept_plans.decide_plan(record, plan_id, **dialog.decision_input())
    assert record.plan(decided).plan["decision"]["aim_wording"] == "not_cure"
    assert "This treatment will not cure the cancer." in _booklet(record, decided)
    reopened = _dialog(qtbot, record, decided)  # opens on the choice as recorded
    assert reopened.aim_wording.currentData() == "not_cure"
    reopened.aim_wording.setCurrentIndex(reopened.aim_wording.findData("control"))
    again = kept_plans.decide_plan(record, decided, **reopened.decision_input())
    booklet = _booklet(record, again)
    assert "This treatment aims to keep the cancer under control" in booklet
    assert "cure" not in booklet


def test_an_unknown_wording_is_refused_naming_the_field(record):
    plan_id = _plan(record)
    with pytest.raises(InputInvalid) as refused:
        kept_plans.decide_plan(
            record,
            plan_id,
            course="option",
            regimen="capivasertib_fulvestrant",
            reason="agreed",
            decided_by="Dr A",
            aim_wording="cheerful",
        )
    assert [p.path for p in refused.value.problems] == ["decision.aim_wording"]


def test_best_supportive_care_has_no_aim_to_word(qtbot, record):
    plan_id = _plan(record)
    dialog = _dialog(qtbot, record, plan_id)
    assert dialog.aim_wording.isEnabled()
    dialog.course.setCurrentIndex(dialog.course.findData("supportive_care"))
    assert not dialog.aim_wording.isEnabled()
    assert "aim_wording" not in dialog.decision_input()
