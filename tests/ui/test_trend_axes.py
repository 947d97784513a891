"""Trend axes fit the data (issue 16): the weight chart's fixed 0–100 kg axis hid a 4 kg loss."""

from __future__ import annotations

from planner.ui.trend_chart import axis_range


def test_a_4_kg_loss_fills_a_visible_part_of_the_weight_axis():
    low, high = axis_range([58.0, 54.0], from_zero=False)
    assert low <= 54 < 58 <= high
    assert (58 - 54) / (high - low) >= 0.5  # at least half the height, not 4 %


def test_one_weight_still_has_an_axis_around_it():
    low, high = axis_range([61.0], from_zero=False)
    assert low < 61 < high


def test_scores_and_multiples_of_uln_start_at_zero_and_reach_their_reference_lines():
    low, high = axis_range([1.05, 1.67], [1.5, 3.0])
    assert low == 0
    assert high >= 3.0


def test_a_score_charts_on_its_instruments_range_not_fitted_to_the_values():
    """Issue 16: distress 2 then 1 drew on a 0–2.5 axis, a small change made to look large."""
    assert axis_range([2.0, 1.0], scale=(0, 10)) == (0, 10)
    assert axis_range([14.0, 9.0], scale=(0, 90)) == (0, 90)
    assert axis_range([1.0, 2.0]) == (0.0, 2.5)  # what the chart did without its scale


def test_the_record_views_score_charts_carry_their_instrument_ranges(qtbot, record):
    from planner.ui.record_view import RecordView

    view = RecordView(record)
    qtbot.addWidget(view)
    assert view.charts["distress_thermometer"].scale == (0, 10)
    assert view.charts["esas_total"].scale == (0, 90)
    assert view.charts["phq9_total"].scale == (0, 27)
    assert view.charts["weight_kg"].scale is None  # weight keeps fitting its data


def test_score_chart_ranges_come_from_the_rule_tables(rules):
    # The range of each score chart is the item range of case_limits.toml times the items.
    from planner.services import rule_tables

    fields = rules.limits.fields
    ranges = rule_tables.score_chart_ranges()
    assert ranges["esas_total"] == (0, 9 * fields["symptoms.esas"].high)
    assert ranges["phq9_total"] == (0, 9 * fields["psychosocial.phq_item"].high)
    assert ranges["distress_thermometer"] == (0, fields["psychosocial.distress_thermometer"].high)
    assert ranges["phq9_total"] == (0, 27)  # the PHQ-9's published range
