"""Nurse16 re-walk, item 6: a single bilirubin result was charted as a trend, two points joined
by a line (drawn 06 Dec, assessed 07 Dec) with overprinted dates ("06 Dec07 26Dec 26"), while
page 1 said there was no earlier result. One result is one point (no chart); dates never
overprint."""

from __future__ import annotations

import datetime as dt

from planner.reports.charts import points, spaced_steps, trend_charts
from planner.services import kept_plans, printing


def test_one_result_drawn_the_day_before_is_one_point(record, example_raw):
    assert example_raw["labs"]["drawn_on"] != example_raw["assessed_on"]
    assert not example_raw.get("previous_labs")
    assessment = record.import_case(example_raw).assessment_id
    plan_id = kept_plans.make_and_keep_plan(record, assessment).plan_id
    source = printing.plan_print_source(record, plan_id)
    assert len(points(source.trends, "bilirubin_x_uln")) == 1
    _, skipped = trend_charts(source.trends, 400)
    assert any("ilirubin" in title for title in skipped)


def test_dates_a_day_apart_on_a_narrow_chart_are_not_both_labelled():
    day = dt.date(2026, 12, 6).toordinal()
    assert spaced_steps([day, day + 1], per_day=30, min_gap=45) == [day + 1]  # the newest kept
    assert spaced_steps([day, day + 1], per_day=60, min_gap=45) == [day, day + 1]
    steps = spaced_steps([day, day + 1, day + 2, day + 10], per_day=10, min_gap=45)
    assert steps == [day + 2, day + 10]
