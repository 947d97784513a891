"""Walk 23 #19: a course of fulvestrant + palbociclib offered its cycle length as "not set"
although the regimen is a 28-day cycle (palbociclib's schedule; fulvestrant monthly follows it),
and the course's title was the regimen's id. The length comes from the regimen table where the
drugs agree with it; two drugs that state different cycles (capivasertib's 7 days) are asked."""

from __future__ import annotations

import copy

import pytest

from planner.services import course_views
from planner.services import treatment_courses as courses
from tests.course_setup import DAY, decide_regimen


@pytest.fixture
def no_cdk(example_raw):
    """The sample patient, her first line letrozole alone (no CDK4/6 inhibitor yet)."""
    raw = copy.deepcopy(example_raw)
    raw["disease"]["prior_therapy"][0]["drugs"] = ["letrozole"]
    return raw


@pytest.mark.parametrize(
    ("regimen", "days"),
    [
        ("fulvestrant_palbociclib_after_et", 28),
        ("fulvestrant_ribociclib_after_et", 28),
        # no drug states a cycle and the table gives none: asked, never guessed
        ("fulvestrant_abemaciclib_after_et", None),
        # capivasertib's weekly schedule against fulvestrant monthly: asked
        ("capivasertib_fulvestrant", None),
    ],
)
def test_the_offer_takes_the_regimens_cycle(record, no_cdk, regimen, days):
    plan_id = decide_regimen(record, no_cdk, regimen, reason="tablets and a monthly injection")
    assert courses.course_offer(record, plan_id).cycle_days == days


def test_the_course_is_named_as_her_plan_named_the_option(record, no_cdk):
    plan_id = decide_regimen(
        record,
        no_cdk,
        "fulvestrant_palbociclib_after_et",
        reason="no CDK4/6 inhibitor yet: palbociclib",
    )
    course_id = courses.start_course(record, plan_id, cycle_days=28, started_on=DAY)
    course = record.course(course_id)
    assert course_views.course_name(record, course) == (
        "Fulvestrant + palbociclib (no CDK4/6 inhibitor yet)"
    )
