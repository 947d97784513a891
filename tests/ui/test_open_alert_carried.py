"""Nurse16 re-walk, item 1: a second assessment the same day, its symptom and psychosocial pages
left blank, gave a plan with no CRITICAL banner, "no trigger for an earlier review", no crisis
box in the booklet and no review due on the worklist, while the record still held the
unacknowledged suicide-risk alert of the first. An open critical alert is carried into every
later plan of the patient until acknowledged by name; a blank psychosocial page is a gap."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from planner.domain.follow_up import PSYCHOSOCIAL_NOT_RECORDED
from planner.reports.booklet import watch_for
from planner.services import kept_plans
from planner.ui.background import wait_for_all
from planner.ui.record_view import RecordView

MRN = "TAS-000123"


@pytest.fixture
def two_plans(record, example_raw):
    first = copy.deepcopy(example_raw)
    first["psychosocial"]["phq9"] = [1, 2, 1, 2, 1, 1, 0, 0, 1]  # item 9 = 1: critical
    a1 = record.import_case(first).assessment_id
    p1 = kept_plans.make_and_keep_plan(record, a1).plan_id
    second = copy.deepcopy(example_raw)  # same patient, same day
    second["symptoms"] = None
    second["psychosocial"] = None
    a2 = record.import_case(second).assessment_id
    assert a2 != a1
    p2 = kept_plans.make_and_keep_plan(record, a2).plan_id
    return p1, p2


def test_the_later_plan_carries_the_open_alert_and_its_same_day_review(record, two_plans):
    p1, p2 = two_plans
    first, second = record.plan(p1).plan, record.plan(p2).plan
    carried = [a for a in second["alerts"] if a.get("carried_from")]
    assert [a["code"] for a in carried] == ["suicide_risk"]
    assert carried[0]["level"] == "critical"
    assert carried[0]["message"].startswith("Carried from the assessment of ")
    assert "not acknowledged" in carried[0]["message"]
    want = first["follow_up"]["next_review_days"]
    assert second["follow_up"]["next_review_days"] == want < 28
    reasons = " ".join(second["follow_up"]["review_reasons"])
    assert "no trigger" not in reasons
    assert "carried from the assessment of" in reasons
    assert PSYCHOSOCIAL_NOT_RECORDED in reasons


def test_the_later_plan_has_the_crisis_box_in_the_booklet(record, two_plans):
    _, p2 = two_plans
    text = str(watch_for(record.plan(p2).plan, {}))
    assert "thoughts of self-harm, call us now" in text  # the crisis line (every booklet's)


def test_the_worklist_keeps_the_review_due_and_the_alert(record, two_plans):
    work = record.worklist(dt.date.fromisoformat("2026-11-20"))
    assert MRN in [p.mrn for p in work.reviews_due]
    assert MRN in [p.mrn for p in work.open_alerts]


def test_the_banner_is_on_the_later_plan_window_until_acknowledged(qtbot, record, two_plans):
    p1, p2 = two_plans
    view = RecordView(record)
    qtbot.addWidget(view)
    view.show_patient(MRN)
    view.open_plan(p2)
    banner = view.plan_view.alert_banner
    assert "suicide_risk" in [a.code for a in banner.alerts]
    assert banner.isVisibleTo(view.plan_view)
    # One alert, not two: the carried copy is acknowledged on its own assessment's plan.
    assert [a.plan_id for a in banner.alerts if a.code == "suicide_risk"] == [p1]
    record.acknowledge_alert(p1, "suicide_risk", "psychiatry called")
    view.plan_view.refresh_alerts()
    assert "suicide_risk" not in [a.code for a in banner.alerts]
    assert record.critical_alerts(MRN) == () or all(
        a.code != "suicide_risk" for a in record.critical_alerts(MRN)
    )
    view.plan_view.close()
    wait_for_all()


def test_after_acknowledging_a_new_plan_no_longer_carries_it(record, two_plans, example_raw):
    p1, _ = two_plans
    record.acknowledge_alert(p1, "suicide_risk", "seen")
    third = copy.deepcopy(example_raw)
    third["psychosocial"] = None
    a3 = record.import_case(third).assessment_id
    plan = record.plan(kept_plans.make_and_keep_plan(record, a3).plan_id).plan
    assert not [a for a in plan["alerts"] if a.get("carried_from")]
    reasons = " ".join(plan["follow_up"]["review_reasons"])
    assert "no trigger" not in reasons
    assert PSYCHOSOCIAL_NOT_RECORDED in reasons
