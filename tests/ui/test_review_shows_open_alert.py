"""A second assessment the same day: its Review step said "Everything entered passes the checks"
and showed no critical alert while the morning's suicide-risk alert was unacknowledged; it
appeared only after Save (issue 16, review 16c finding 7). The Review shows it, red, as the
saved plan will carry it."""

from __future__ import annotations

import copy

from planner.services import kept_plans


def test_the_review_step_shows_the_patients_open_critical_alert(qtbot, record, example_raw):
    from planner.ui.wizard.assessment_wizard import AssessmentWizard

    morning = copy.deepcopy(example_raw)
    morning["psychosocial"]["phq9"] = [1, 2, 1, 2, 1, 1, 0, 0, 1]  # item 9 = 1: critical
    first = record.import_case(morning).assessment_id
    kept_plans.make_and_keep_plan(record, first)
    afternoon = copy.deepcopy(example_raw)
    afternoon["psychosocial"] = None  # the page left blank
    wizard = AssessmentWizard(record, afternoon)
    qtbot.addWidget(wizard)
    review = wizard.review_page
    review.initializePage()
    said = review.problems.text()
    assert "Critical alert" in said
    assert "Carried from the assessment of" in said
    critical = [a for a in review.plan["alerts"] if a.get("level") == "critical"]
    assert [a["code"] for a in critical] == ["suicide_risk"]
    alerts = review.tree.topLevelItem(0)
    assert alerts.text(0) == "Alerts"
    assert any("Carried from" in alerts.child(i).text(0) for i in range(alerts.childCount()))


def test_no_alert_is_carried_once_acknowledged(qtbot, record, example_raw):
    from planner.ui.wizard.assessment_wizard import AssessmentWizard

    morning = copy.deepcopy(example_raw)
    morning["psychosocial"]["phq9"] = [1, 2, 1, 2, 1, 1, 0, 0, 1]
    first = record.import_case(morning).assessment_id
    plan_id = kept_plans.make_and_keep_plan(record, first).plan_id
    record.acknowledge_alert(plan_id, "suicide_risk", "psychiatry called")
    afternoon = copy.deepcopy(example_raw)
    afternoon["psychosocial"] = None
    wizard = AssessmentWizard(record, afternoon)
    qtbot.addWidget(wizard)
    wizard.review_page.initializePage()
    assert "Critical alert" not in wizard.review_page.problems.text()
