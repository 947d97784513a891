"""Issue 16 (nurse walkthrough): the printed summary cut interventions off ("… full text on screen
/ plan JSON"), but the plan window showed only the PDF preview, so the full text was nowhere on
screen. The plan window has a "Plan text" tab with every line of the plan as decided, whole, and
the printed note says where that is."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from planner.domain.plan_words import clinician_words
from planner.services import kept_plans
from planner.ui.background import wait_for_all
from planner.ui.plan_view import PlanView


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def plan_view(qtbot, record, example_raw):
    assessment = record.import_case(example_raw).assessment_id
    view = PlanView(record, kept_plans.make_and_keep_plan(record, assessment).plan_id)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.ready, timeout=30000)
    yield view
    wait_for_all()


def _tab_names(view: PlanView) -> list[str]:
    return [view.tabs.tabText(i).replace("&", "") for i in range(view.tabs.count())]


def test_every_intervention_and_alert_is_on_screen_in_full(plan_view):
    assert "Plan text" in _tab_names(plan_view)
    shown = _flat(plan_view.text.toPlainText())
    plan = plan_view.kept.plan
    interventions = [i for item in plan["supportive"] for i in item["interventions"]]
    assert any(len(i) > 300 for i in interventions)  # the ones the print shortens
    for intervention in interventions:
        assert _flat(intervention) in shown
    for alert in plan["alerts"]:
        for reason in alert.get("reasons") or ():
            # in full, in clinician words (a setting's trace reads as its threshold: issue 16)
            assert _flat(clinician_words(reason)) in shown
    for monitoring in plan["follow_up"]["monitoring"]:
        assert _flat(clinician_words(monitoring)) in shown


def test_the_plan_text_names_no_rule_id(plan_view):
    # a clinician reads words; rule ids stay behind the review page's "Show rule ids" (issue 16)
    shown = plan_view.text.toPlainText()
    assert re.search(r"\[[A-Z]{2,}[A-Z0-9]*-[A-Z0-9-]+", shown) is None, shown


def test_the_printed_cut_off_note_points_to_the_tab(plan_view, qtbot):
    plan_view.audience.setCurrentIndex(plan_view.audience.findData("clinician"))
    qtbot.waitUntil(lambda: plan_view.ready, timeout=30000)
    printed = _flat(
        " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(plan_view.pdf_bytes)).pages)
    )
    assert "in the plan window, tab Plan text" in printed
    assert "on screen / plan JSON" not in printed


def test_the_text_follows_the_decision(plan_view, monkeypatch, qtbot):
    from planner.ui.decision_dialog import DecisionDialog

    chosen = {"course": "supportive_care", "regimen": None, "reason": "her wish"}
    monkeypatch.setattr(DecisionDialog, "ask", classmethod(lambda cls, parent, plan, **_: chosen))
    with qtbot.waitSignal(plan_view.changed):
        plan_view.decide()
    assert "best supportive care" in plan_view.text.toPlainText()
    assert "her wish" in plan_view.text.toPlainText()
