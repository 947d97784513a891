"""Defects an independent nurse walkthrough found in the window (2026-12-07), each with the
behaviour that fixes it: the decision dialog never lets an undosed option be given."""

from __future__ import annotations

import pytest

from planner.domain.problems import InputInvalid, Problem
from planner.services import case_commands, kept_plans
from planner.ui.decision_dialog import DecisionDialog


@pytest.fixture
def kept(record, example_raw):
    """The example case kept with its plan: docetaxel is a US boxed-warning stop (bilirubin
    above ULN) and weekly paclitaxel has no dose (insufficient data)."""
    assessment = record.import_case(example_raw).assessment_id
    return kept_plans.make_and_keep_plan(record, assessment).plan_id


def _choose(dialog: DecisionDialog, regimen: str) -> None:
    dialog.course.setCurrentIndex(dialog.course.findData(regimen))


def test_an_option_with_a_label_stop_cannot_be_given_as_suggested(qtbot, record, kept):
    plan = record.plan(kept).plan
    dialog = DecisionDialog(
        plan,
        check=lambda chosen: kept_plans.check_plan_decision(record, kept, **chosen),
        who="Sister Rao",
    )
    qtbot.addWidget(dialog)
    _choose(dialog, "docetaxel")
    assert not dialog.action.isEnabled()  # neither "give as suggested" nor a dose change
    assert not dialog.new_dose.isEnabled()
    assert dialog.no_dose.isVisibleTo(dialog)
    assert "boxed warning" in dialog.no_dose.text()
    qtbot.keyClicks(dialog.reason, "she asked for docetaxel")
    dialog.prescriber.setChecked(True)
    dialog.check_and_accept()
    assert dialog.result() != DecisionDialog.DialogCode.Accepted
    assert "boxed warning" in dialog.error.text()
    assert dialog.reason.toPlainText() == "she asked for docetaxel"  # what was typed is kept
    # insufficient data: says which result is missing, or why there is no dose
    _choose(dialog, "paclitaxel_weekly")
    assert not dialog.action.isEnabled()
    assert "insufficient data" in dialog.no_dose.text() or "record" in dialog.no_dose.text()
    # another option, or best supportive care, can still be decided
    _choose(dialog, "supportive_care")
    assert dialog.no_dose.isHidden()
    dialog.check_and_accept()
    assert dialog.result() == DecisionDialog.DialogCode.Accepted


def test_the_service_refuses_an_undosed_option_by_any_path(record, kept):
    with pytest.raises(InputInvalid, match="boxed warning"):
        kept_plans.decide_plan(
            record, kept, course="option", regimen="docetaxel", reason="she asked"
        )
    assert "decision" not in record.plan(kept).plan


def test_a_refused_decision_is_shown_in_the_dialog_with_the_typed_reason(qtbot, record, kept):
    """What the service refuses (here a dose change) is shown in the dialog, which stays open."""
    plan = record.plan(kept).plan

    def check(chosen):
        kept_plans.check_plan_decision(record, kept, **chosen)  # the real check passes
        raise InputInvalid((Problem("decision.dose_changes[0].value", "refused for a reason"),))

    dialog = DecisionDialog(plan, check=check, who="Sister Rao")
    qtbot.addWidget(dialog)
    dialog.action.setCurrentIndex(dialog.action.findData("change_dose"))
    dialog.new_dose.setText("100")
    qtbot.keyClicks(dialog.reason, "neuropathy grade 2")
    dialog.prescriber.setChecked(True)
    dialog.check_and_accept()
    assert dialog.result() != DecisionDialog.DialogCode.Accepted
    assert "refused for a reason" in dialog.error.text()
    assert dialog.reason.toPlainText() == "neuropathy grade 2"


def test_the_why_of_a_suicide_risk_alert_is_a_finding_never_a_gap(example_raw):
    """PHQ-9 entered with item 9 = 1: the why panel said "phq9: not recorded" and "Record
    psychosocial phq9" (the alert names its field). It shows what was found, what it means
    and the alert's own action; only a real gap says "not recorded"."""
    from planner.domain.evidence import Gap
    from planner.domain.plan_document import read_alert
    from planner.ui.why import why_html

    example_raw["psychosocial"]["phq9"] = [1, 1, 1, 1, 1, 1, 0, 0, 1]
    plan = case_commands.make_plan(example_raw)
    alert = next(a for a in plan["alerts"] if a["code"] == "suicide_risk")
    assert alert["field"] == "psychosocial.phq9"
    shown = why_html(read_alert(alert, "alerts[0]"))
    assert "not recorded" not in shown
    assert "Record " not in shown
    found = shown.split("What it means")[0]
    assert "item 9 answered 1" in found
    assert "several days" in found
    assert "Same-day clinician review of suicide risk" in shown.split("What to do")[1]
    # a real gap still says so
    gap = why_html(Gap("clinical.edema", "no PPI score"))
    assert "not recorded" in gap
    assert "Record " in gap


def _luminance(colour) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def _contrast(a, b) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_acknowledge_dialog_is_readable_not_white_on_light_grey(
    qtbot, record, example_raw, monkeypatch
):
    """The dialog inherited the red banner's white label text on its own light background."""
    from PySide6.QtWidgets import QDialog, QLabel

    from planner.ui.alert_banner import AcknowledgeDialog
    from planner.ui.record_view import RecordView

    example_raw["psychosocial"]["phq9"] = [1, 2, 1, 2, 1, 1, 0, 0, 1]
    assessment = record.import_case(example_raw).assessment_id
    kept_plans.make_and_keep_plan(record, assessment)
    view = RecordView(record)
    qtbot.addWidget(view)
    view.show_patient(example_raw["patient"]["mrn"])
    banner = view.alert_banner
    alert = banner.alerts[0]
    ratios: list[tuple[str, float]] = []

    def look(dialog: AcknowledgeDialog) -> int:
        dialog.show()
        background = dialog.palette().color(dialog.backgroundRole())
        for label in dialog.findChildren(QLabel):
            label.ensurePolished()
            ratios.append(
                (label.text(), _contrast(label.palette().color(label.foregroundRole()), background))
            )
        dialog.hide()
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(AcknowledgeDialog, "exec", look)
    banner.ask_and_acknowledge(alert)
    assert ratios
    assert all(ratio >= 4.5 for _, ratio in ratios), ratios  # WCAG AA for body text
    # the banner itself stays white on red
    row_label = next(lbl for lbl in banner.findChildren(QLabel) if "CRITICAL" in lbl.text())
    row_label.ensurePolished()
    assert row_label.palette().color(row_label.foregroundRole()).name() == "#ffffff"
