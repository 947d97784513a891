"""ESAS-r, PHQ-9 / PHQ-2, GAD-7, HADS and the distress thermometer: known answers and edges."""

from __future__ import annotations

import pytest

from planner.domain.instruments.depression_anxiety import (
    score_distress_thermometer,
    score_gad7,
    score_hads,
    score_phq2,
    score_phq9,
)
from planner.domain.instruments.esas import CORE_ITEMS, score_esas_r
from planner.domain.instruments.instrument_settings import InstrumentSettings


def summing_to(total: int, count: int) -> list[int | None]:
    items: list[int | None] = []
    for _ in range(count):
        take = min(3, total)
        items.append(take)
        total -= take
    assert total == 0
    return items


CONTRACT_ESAS = {
    "pain": 6,
    "tiredness": 5,
    "drowsiness": 2,
    "nausea": 3,
    "lack_of_appetite": 7,
    "shortness_of_breath": 1,
    "depression": 4,
    "anxiety": 5,
    "wellbeing": 5,
}


def test_esas_contract_example(ir):
    result = score_esas_r(CONTRACT_ESAS, ("itch", 6), ir)
    assert result["TSDS"] == 38  # the "other" item is excluded
    assert result["physical"] == 24
    assert result["emotional"] == 9
    assert result["bands"]["pain"] == "moderate"
    assert result["bands"]["lack_of_appetite"] == "severe"
    assert result["bands"]["shortness_of_breath"] == "mild"
    assert result["bands"]["other"] == "moderate"
    # subscore composition and item bands are recalled, not verified: the result says so
    assert {"instr.esas_r.subscores", "instr.esas_r.item_bands"} <= set(result.unverified)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, "none"),
        (1, "mild"),
        (3, "mild"),
        (4, "moderate"),
        (6, "moderate"),
        (7, "severe"),
        (10, "severe"),
    ],
)
def test_esas_item_band_edges(ir, score, band):
    assert score_esas_r({**CONTRACT_ESAS, "pain": score}, None, ir)["bands"]["pain"] == band


def test_esas_missing_item_nulls_the_sums_that_need_it(ir):
    result = score_esas_r({**CONTRACT_ESAS, "anxiety": None}, None, ir)
    assert result["TSDS"] is None
    assert result["emotional"] is None
    assert result["physical"] == 24
    assert "anxiety" not in result["bands"]


def test_esas_has_no_total_band(ir):
    """Pitfall 4: invented total-burden bands (0-17 / 18-35 / 36-90) are not used."""
    out = score_esas_r(dict.fromkeys(CORE_ITEMS, 10), None, ir).to_json()
    assert out["TSDS"] == 90
    assert set(out["bands"]) == set(CORE_ITEMS)
    assert not any(k for k in out if "band" in k and k != "bands")


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately_severe"),
        (19, "moderately_severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_band_edges(ir, total, band):
    result = score_phq9(summing_to(total, 9), ir)
    assert result["total"] == total
    assert result["band"] == band


def test_phq9_item9_flag_whatever_the_total(ir):
    items = [0, 0, 0, 0, 0, 0, 0, 0, 1]
    result = score_phq9(items, ir)
    assert result["band"] == "minimal"
    assert result["item9_positive"] is True
    assert any("suicide" in w for w in result.warnings)
    assert score_phq9([3] * 8 + [0], ir)["item9_positive"] is False


def test_phq9_missing_item_keeps_the_flag(ir):
    result = score_phq9([1, 1, None, 1, 1, 1, 1, 1, 2], ir)
    assert result["total"] is None
    assert result["band"] is None
    assert result["item9_positive"] is True
    assert score_phq9([1] * 8 + [None], ir)["item9_positive"] is None


def test_phq2_cut_off_and_setting(ir):
    assert score_phq2([1, 2], ir)["positive"] is True
    assert score_phq2([1, 1], ir)["positive"] is False
    sensitive = InstrumentSettings.from_rules(ir, phq2_cutoff="sensitive")
    result = score_phq2([1, 1], ir, sensitive)
    assert result["positive"] is True
    assert result.settings == {"phq2_cutoff": "sensitive"}
    assert score_phq9([1, 2, 0, 0, 0, 0, 0, 0, 0], ir)["phq2_positive"] is True


@pytest.mark.parametrize(
    ("total", "band", "positive"),
    [
        (4, "minimal", False),
        (5, "mild", False),
        (9, "mild", False),
        (10, "moderate", True),
        (14, "moderate", True),
        (15, "severe", True),
        (21, "severe", True),
    ],
)
def test_gad7_band_edges(ir, total, band, positive):
    result = score_gad7(summing_to(total, 7), ir)
    assert (result["total"], result["band"], result["positive"]) == (total, band, positive)


def test_gad7_missing_item(ir):
    assert score_gad7([1, 1, 1, None, 1, 1, 1], ir)["total"] is None


def test_hads_subscales_and_bands(ir):
    items = [2 if n % 2 else 1 for n in range(1, 15)]  # odd items (anxiety) 2, even 1
    result = score_hads(items, ir)
    assert (result["HADS_A"], result["HADS_D"]) == (14, 7)
    assert (result["HADS_A_band"], result["HADS_D_band"]) == ("abnormal", "normal")
    four = score_hads(items, ir, InstrumentSettings.from_rules(ir, hads_bands="four_band"))
    assert four["HADS_A_band"] == "moderate"
    assert "instr.hads.bands.four" in four.unverified
    edges = score_hads([1] * 13 + [2], ir)  # D = 8: borderline starts at 8
    assert edges["HADS_D"] == 8
    assert edges["HADS_D_band"] == "borderline"
    assert score_hads([None] + [1] * 13, ir)["HADS_A"] is None


def test_distress_thermometer_cut_off_setting(ir):
    assert score_distress_thermometer(3, ["family"], ir)["positive"] is False
    assert score_distress_thermometer(4, None, ir)["positive"] is True
    onf = InstrumentSettings.from_rules(ir, distress_cutoff="onf")
    result = score_distress_thermometer(3, [], ir, onf)
    assert result["positive"] is True
    assert result.to_json()["settings"] == {"distress_cutoff": "onf"}


def test_settings_refuse_unknown_options(ir):
    with pytest.raises(ValueError, match="not one of"):
        InstrumentSettings.from_rules(ir, distress_cutoff="5")
    with pytest.raises(ValueError, match="not an instrument setting"):
        InstrumentSettings.from_rules(ir, colour="red")
