"""Trend charts: drawn from two or more dated points, skipped cleanly otherwise."""

from __future__ import annotations

import datetime as dt

from reportlab.graphics.shapes import Line, String

from planner.reports.charts import TRENDS, points, trend_chart, trend_charts


def _strings(drawing) -> list[str]:
    out = []

    def walk(node):
        for child in getattr(node, "contents", []):
            if isinstance(child, String):
                out.append(child.text)
            walk(child)

    walk(drawing)
    return out


def test_points_are_dated_numeric_sorted_and_one_per_date():
    rows = [
        {"date": "2026-11-20", "weight_kg": 54},
        {"date": "2026-08-01", "weight_kg": 60},
        {"date": "2026-09-01", "weight_kg": None},
        {"date": "not a date", "weight_kg": 58},
        {"date": "2026-10-01", "weight_kg": True},
        {"date": "2026-11-20", "weight_kg": 53.5},
    ]
    assert points(rows, "weight_kg") == [(dt.date(2026, 8, 1), 60.0), (dt.date(2026, 11, 20), 53.5)]


def test_fewer_than_two_points_skip_the_chart():
    drawn, skipped = trend_charts(
        [{"date": "2026-11-20", "bilirubin_x_uln": 1.7, "weight_kg": 54}], 400
    )
    assert drawn == []
    assert skipped == [spec.title for spec in TRENDS]
    assert trend_charts(None, 400) == ([], [spec.title for spec in TRENDS])


def test_bilirubin_chart_draws_the_plans_odwg_reference_lines(rules):
    """The lines come from the rule tables through the plan, not from numbers in the report."""
    from planner.domain.hepatic import bilirubin_reference_lines
    from planner.domain.plan_document import ReferenceLine

    lines = [ReferenceLine(x, t) for x, t in bilirubin_reference_lines(rules.instruments)]
    rows = [
        {"date": "2026-09-01", "bilirubin_x_uln": 0.8},
        {"date": "2026-11-01", "bilirubin_x_uln": 1.9},
    ]
    drawn, _ = trend_charts(rows, 450, bilirubin_lines=lines)
    drawing = drawn[0]
    labels = _strings(drawing)
    assert "1.5 × ULN" in labels
    assert "3 × ULN" in labels
    dashed = [c for c in drawing.contents if isinstance(c, Line) and c.strokeDashArray]
    assert len(dashed) == 2
    assert dashed[0].y1 < dashed[1].y1  # 1.5 below 3


def test_only_the_charts_with_enough_points_are_drawn():
    rows = [
        {"date": "2026-09-01", "weight_kg": 58, "esas_total": 30},
        {"date": "2026-11-01", "weight_kg": 55},
    ]
    drawn, skipped = trend_charts(rows, 400)
    assert len(drawn) == 1
    assert skipped == ["Bilirubin", "ESAS-r total symptom distress"]


def test_flat_series_still_draws():
    """An unchanged weight gives a y axis with room around the value, and both points drawn."""
    series = [(dt.date(2026, 9, 1), 54.0), (dt.date(2026, 10, 1), 54.0)]
    drawing = trend_chart(TRENDS[1], series, 400)
    plot = next(c for c in drawing.contents if hasattr(c, "yValueAxis"))
    y_axis = plot.yValueAxis
    assert y_axis.valueMin < 54.0 < y_axis.valueMax
    assert plot.data == [[(series[0][0].toordinal(), 54.0), (series[1][0].toordinal(), 54.0)]]
