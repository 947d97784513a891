"""Issue 16 (nurse's report): an old undecided plan could still be decided or printed while a
newer plan of the same assessment was decided, and plan history showed two identical rows.
A superseded plan now opens read-only, says what replaced it, and history marks the current one.
"""

from __future__ import annotations

import pytest

from planner.domain.problems import InputInvalid
from planner.services import kept_plans
from planner.ui.background import wait_for_all
from planner.ui.plan_view import PlanView
from planner.ui.record_view import RecordView


@pytest.fixture
def two_plans(record, example_raw):
    """Plan 1 as made, and the decision on it kept as the newer plan."""
    assessment = record.import_case(example_raw).assessment_id
    first = kept_plans.make_and_keep_plan(record, assessment).plan_id
    regimen = record.plan(first).plan["options"][1]["regimen"]
    decided = kept_plans.decide_plan(
        record, first, course="option", regimen=regimen, reason="she prefers it"
    )
    return assessment, first, decided


def test_the_old_plan_opens_read_only_and_says_what_superseded_it(qtbot, record, two_plans):
    _, first, decided = two_plans
    record.set_clinic_settings({"date_format": "dd.mm.yyyy"})
    view = PlanView(record, first)
    qtbot.addWidget(view)
    wait_for_all()
    qtbot.waitUntil(lambda: view.shown is not None, timeout=30000)
    assert view.read_only
    line = view.superseded.text()
    assert not view.superseded.isHidden()
    assert f"Superseded by plan {decided}" in line
    assert "decided by test-nurse on plan" in line
    assert "read-only" in line
    assert "T" not in line.split("(")[1].split(",")[0]  # a date and time, not an ISO stamp
    assert "." in line.split("(")[1].split(" ")[0]  # the clinic's dd.mm.yyyy
    for button in (view.decide_button, view.print_button, view.save_button):
        assert not button.isEnabled(), button.text()


def test_the_current_plan_can_be_decided_and_printed(qtbot, record, two_plans):
    _, _, decided = two_plans
    view = PlanView(record, decided)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.ready, timeout=30000)
    assert not view.read_only
    assert view.superseded.isHidden()
    assert view.decide_button.isEnabled()
    assert view.print_button.isEnabled()
    wait_for_all()


def test_a_superseded_plan_cannot_be_decided_by_any_door(record, two_plans):
    _, first, decided = two_plans
    with pytest.raises(InputInvalid, match=f"superseded by plan {decided}"):
        kept_plans.decide_plan(record, first, course="supportive_care", regimen=None, reason="x")


def test_plan_history_marks_the_current_plan_and_no_two_rows_read_alike(qtbot, record, two_plans):
    _, first, decided = two_plans
    view = RecordView(record)
    qtbot.addWidget(view)
    view.show_patient("TAS-000123")
    rows = [view.left_plan.itemText(i) for i in range(view.left_plan.count())]
    assert len(rows) == len(set(rows)) == 2
    assert f"plan {first}" in rows[0]
    assert f"superseded by plan {decided}" in rows[0]
    assert f"plan {decided}" in rows[1]
    assert "CURRENT, decided by test-nurse" in rows[1]
    assert not any("T" in row.split("made ")[1][:12] for row in rows)  # no ISO stamps
