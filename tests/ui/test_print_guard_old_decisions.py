"""Issue 16 (nurse walkthrough): a decision kept BEFORE undosed options were refused (docetaxel
"as suggested" under a US boxed-warning stop) still printed as the decided treatment. Such a plan
is refused for printing, in words, on every path (services, the CLI's export, the window); the
plan window still opens, says why in the preview's place, and offers Decide to decide again."""

from __future__ import annotations

import pytest

from planner.domain.decision import Decision, HeldDrug, print_refusal
from planner.domain.problems import InputInvalid
from planner.services import kept_plans, printing
from planner.ui.background import wait_for_all
from planner.ui.decision_dialog import DecisionDialog
from planner.ui.plan_view import PlanView

REFUSED = "Decide again before printing"


@pytest.fixture
def assessment(record, example_raw):
    return record.import_case(example_raw).assessment_id


def _old_decision(regimen: str, **fields) -> dict:
    return Decision(
        course="option",
        regimen=regimen,
        reason="she asked for it",
        decided_by="Dr Old",
        decided_at="2026-11-01T09:30",
        **fields,
    ).to_json()


@pytest.fixture
def old_plan(record, assessment):
    """A plan whose decision (docetaxel, a label's stop here) was kept by an older program that
    did not check it: written straight into the record, past kept_plans.decide_plan."""
    kept = record.plan(kept_plans.make_and_keep_plan(record, assessment).plan_id)
    docetaxel = next(o for o in kept.plan["options"] if o["regimen"] == "docetaxel")
    assert docetaxel["drugs"][0]["status"] == "not_recommended"  # the stop this test is about
    return record.record_plan(
        assessment,
        {**kept.plan, "decision": _old_decision("docetaxel", decided_on_plan=kept.id)},
        pdf_sha256=None,
        rules_version=kept.rules_version,
        settings=kept.settings,
    )


def test_the_services_refuse_to_print_it_in_words(record, old_plan):
    source = printing.plan_print_source(record, old_plan)  # reading it never fails
    assert REFUSED in source.refused
    with pytest.raises(InputInvalid) as caught:
        printing.printed_plan(record, old_plan)
    (problem,) = caught.value.problems
    assert problem.path == "decision"
    assert problem.message.startswith("This decision gives Docetaxel, for which the plan has no")
    assert "boxed warning" in problem.message  # the stop's own reason, in words
    assert problem.message.endswith(REFUSED + ".")


def test_the_cli_export_refuses_it(record, old_plan, example_raw, tmp_path):
    """`planner plan --pdf` prints through export_plan_pdf: a plan document carrying such a
    decision is refused (InputInvalid: exit 2, the message naming the decision), nothing written."""
    out = tmp_path / "plan.pdf"
    with pytest.raises(InputInvalid, match=REFUSED):
        printing.export_plan_pdf(example_raw, record.plan(old_plan).plan, out)
    assert not out.exists()


def test_a_held_or_changed_dose_of_a_dosed_option_still_prints(record, assessment):
    """The guard looks at what the plan suggested: a held drug (its dose removed by the
    decision) or a changed dose is not an undosed drug."""
    kept = record.plan(kept_plans.make_and_keep_plan(record, assessment).plan_id)
    option = kept.plan["options"][0]
    held = (HeldDrug(option["drugs"][0]["drug"], "rash"),)
    document = {**kept.plan, "decision": _old_decision(option["regimen"], held=held)}
    assert print_refusal(document) == ""
    from planner.domain.decision import decided_plan

    assert print_refusal(decided_plan(document)) == ""  # nor once the decision is applied


def test_the_window_opens_says_why_and_offers_decide(
    qtbot, record, old_plan, monkeypatch, tmp_path
):
    view = PlanView(record, old_plan)
    qtbot.addWidget(view)
    try:
        # the preview's place says why, in words; nothing is made, saved or printed
        assert view.preview.currentWidget() is view.refusal
        assert view.refusal.text().startswith("This decision gives Docetaxel")
        assert REFUSED in view.refusal.text()
        assert not view.save_button.isEnabled()
        assert not view.print_button.isEnabled()
        assert view.decide_button.isEnabled()  # the clinician decides again
        assert view.shown is None
        view.save_pdf_to(tmp_path / "never.pdf")
        assert REFUSED in view.status.text()
        assert not (tmp_path / "never.pdf").exists()

        # decide again (option 1): the new plan previews and can be saved
        first = view.kept.plan["options"][0]["regimen"]
        chosen = {"course": "option", "regimen": first, "reason": "stop respected"}
        monkeypatch.setattr(
            DecisionDialog, "ask", classmethod(lambda cls, parent, plan, **_: chosen)
        )
        with qtbot.waitSignal(view.changed):
            view.decide()
        qtbot.waitUntil(lambda: view.ready, timeout=30000)
        assert view.preview.currentWidget() is view.view
        assert view.save_button.isEnabled()
        assert view.print_button.isEnabled()
        assert view.refused == ""
    finally:
        wait_for_all()
