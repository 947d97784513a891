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
