"""QLQ-C30, QLQ-BR23 and FACT-B: hand-worked known answers from the manuals' formulas."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain.instruments.fact_b import score_fact_b
from planner.domain.instruments.inputs import FACT_B_REQUIRED
from planner.domain.instruments.qlq_br23 import score_qlq_br23
from planner.domain.instruments.qlq_c30 import C30_SCALES, score_qlq_c30
from planner.rules import load_rules


def c30(value: int = 1, global_value: int = 7, **overrides: int | None) -> dict[str, int | None]:
    items: dict[str, int | None] = {f"q{n}": value for n in range(1, 29)}
    items.update({"q29": global_value, "q30": global_value})
    items.update(overrides)
    return items


def br23(value: int = 1, **overrides: int | None) -> dict[str, int | None]:
    items: dict[str, int | None] = {f"q{n}": value for n in range(31, 54)}
    items.update(overrides)
    return items


# ---- QLQ-C30 -------------------------------------------------------------------------------


def test_c30_best_answers_give_best_scores(ir):
    result = score_qlq_c30(c30(), ir)
    for code in ("PF", "RF", "EF", "CF", "SF", "QL", "SUMMARY"):
        assert result[code] == pytest.approx(100.0)
    for code in ("FA", "NV", "PA", "DY", "SL", "AP", "CO", "DI", "FI"):
        assert result[code] == pytest.approx(0.0)


def test_c30_hand_worked_scales(ir):
    # PF: q1..q4 = 1,2,2,3, q5 missing -> mean 2 -> (1 - 1/3) x 100 = 66.67
    # QL: 4 and 5 -> mean 4.5 -> 3.5 / 6 x 100 = 58.33; FA: 2,3,4 -> mean 3 -> 2/3 x 100 = 66.67
    items = c30(q1=1, q2=2, q3=2, q4=3, q5=None, q29=4, q30=5, q10=2, q12=3, q18=4)
    result = score_qlq_c30(items, ir)
    assert result["PF"] == pytest.approx(200 / 3)
    assert result["QL"] == pytest.approx(350 / 6)
    assert result["FA"] == pytest.approx(200 / 3)


def test_c30_summary_is_mean_of_13_with_symptoms_inverted(ir):
    result = score_qlq_c30(c30(value=2, global_value=1), ir)
    assert result["SUMMARY"] == pytest.approx(200 / 3)  # 66.67 on every contributing scale
    assert result["QL"] == pytest.approx(0.0)  # QL and FI are not part of the summary


@pytest.mark.parametrize(
    ("missing", "scale", "scored"),
    [
        (("q21", "q22"), "EF", True),  # exactly half of 4 answered: scored
        (("q21", "q22", "q23"), "EF", False),
        (("q1", "q2"), "PF", True),  # 3 of 5 answered
        (("q1", "q2", "q3"), "PF", False),
        (("q10",), "FA", True),  # 2 of 3
        (("q10", "q12"), "FA", False),
        (("q6",), "RF", True),  # 1 of 2 is half
        (("q8",), "DY", False),  # single items: no imputation
    ],
)
def test_c30_half_rule(ir, missing, scale, scored):
    items = c30(value=3, **dict.fromkeys(missing))
    result = score_qlq_c30(items, ir)
    assert (result[scale] is not None) is scored
    if scored:
        expected = (
            100 / 3
            if C30_SCALES[[s.code for s in C30_SCALES].index(scale)].kind == "functional"
            else 200 / 3
        )
        assert result[scale] == pytest.approx(expected)


def test_c30_summary_needs_all_13_scales(ir):
    result = score_qlq_c30(c30(q8=None), ir)  # DY missing
    assert result["DY"] is None
    assert result["SUMMARY"] is None
    result = score_qlq_c30(c30(q28=None, q29=None, q30=None), ir)  # FI and QL do not count
    assert result["SUMMARY"] == pytest.approx(100.0)


def test_c30_has_no_interpretation_bands(ir):
    """Pitfall 1: quartile 'interpretation' bands are not EORTC guidance."""
    out = score_qlq_c30(c30(value=3), ir).to_json()
    assert not any("band" in key.lower() for key in out)
    assert "half" in out["missing_rule"]
    assert out["basis"][0]["rule"] == "instr.qlq_c30.half_rule"


def test_c30_result_keeps_full_precision_and_prints_two_places(ir):
    result = score_qlq_c30(c30(q1=2), ir)
    assert result["PF"] == pytest.approx(93.33333333333333, abs=1e-12)
    assert result.to_json()["PF"] == 93.33


c30_items = st.fixed_dictionaries(
    {
        **{f"q{n}": st.one_of(st.none(), st.integers(1, 4)) for n in range(1, 29)},
        "q29": st.one_of(st.none(), st.integers(1, 7)),
        "q30": st.one_of(st.none(), st.integers(1, 7)),
    }
)


@settings(max_examples=150, deadline=None)
@given(items=c30_items, item=st.integers(1, 28))
def test_c30_properties(items, item):
    ir = load_rules().instruments
    before = score_qlq_c30(items, ir)
    for value in before.values.values():
        assert value is None or 0.0 <= value <= 100.0
    current = items[f"q{item}"]
    if current is None or current == 4:
        return
    after = score_qlq_c30({**items, f"q{item}": current + 1}, ir)
    for scale in C30_SCALES:
        if item not in scale.items:
            continue
        a, b = before[scale.code], after[scale.code]
        assert (a is None) == (b is None)  # the answered count did not change
        if a is None or b is None:
            continue
        if scale.kind == "symptom":
            assert b >= a  # more of a symptom never lowers a symptom scale
        else:
            assert b <= a  # ... and never raises a functional scale


# ---- QLQ-BR23 ------------------------------------------------------------------------------


def test_br23_future_perspective_uses_the_functional_formula(ir):
    """Pitfall 2: BRFU is labelled a symptom in the SAS macro but scored as functional."""
    assert score_qlq_br23(br23(q43=1), ir)["BRFU"] == pytest.approx(100.0)
    assert score_qlq_br23(br23(q43=4), ir)["BRFU"] == pytest.approx(0.0)


def test_br23_sexual_scales_are_not_reversed(ir):
    result = score_qlq_br23(br23(q44=4, q45=4, q46=3), ir)
    assert result["BRSEF"] == pytest.approx(100.0)
    assert result["BRSEE"] == pytest.approx(200 / 3)


def test_br23_conditional_items(ir):
    result = score_qlq_br23(br23(q45=1, q46=3, q34=1, q35=4), ir)
    assert result["BRSEE"] is None
    assert result["BRHL"] is None
    assert any("q46" in w for w in result.warnings)
    result = score_qlq_br23(br23(q34=2, q35=4), ir)
    assert result["BRHL"] == pytest.approx(100.0)


def test_br23_half_rule_and_symptom_scale(ir):
    # BRST: 7 items (q31-34, q36-38); 4 answered (values 2,2,3,3 -> mean 2.5 -> 50) is enough
    items = br23(q31=2, q32=2, q33=3, q34=3, q36=None, q37=None, q38=None)
    assert score_qlq_br23(items, ir)["BRST"] == pytest.approx(50.0)
    items = br23(q31=2, q32=2, q33=3, q34=None, q36=None, q37=None, q38=None)
    assert score_qlq_br23(items, ir)["BRST"] is None
    # BRBI: functional, 2 of 4 answered is half
    assert score_qlq_br23(br23(q39=2, q40=2, q41=None, q42=None), ir)["BRBI"] == pytest.approx(
        200 / 3
    )


# ---- FACT-B --------------------------------------------------------------------------------


def fact(value: int = 2, **overrides: int | None) -> dict[str, int | None]:
    items: dict[str, int | None] = dict.fromkeys(FACT_B_REQUIRED, value)
    items.update(overrides)
    return items


def test_fact_b_all_twos(ir):
    result = score_fact_b(fact(2), ir)
    assert (result["PWB"], result["SWB"], result["EWB"], result["FWB"]) == (14, 14, 12, 14)
    assert result["FACT_G"] == 54
    assert result["BCS"] == 20
    assert result["FACT_B"] == 74
    assert result["TOI"] == 48
    assert "ARM" not in result.values


def test_fact_b_reversals(ir):
    # all 4: PWB all reversed -> 0; SWB 28; EWB only GE2 not reversed -> 4; FWB 28;
    # BCS: B4 and B9 not reversed -> 8. FACT-G 60, FACT-B 68, TOI 0 + 28 + 8 = 36.
    result = score_fact_b(fact(4), ir)
    assert (result["PWB"], result["SWB"], result["EWB"], result["FWB"]) == (0, 28, 4, 28)
    assert (result["BCS"], result["FACT_G"], result["FACT_B"], result["TOI"]) == (8, 60, 68, 36)


def test_fact_b_bcs_includes_p2(ir):
    """Pitfall 3: BCS has 10 items, P2 included (reversed)."""
    assert score_fact_b(fact(2, P2=0), ir)["BCS"] == 22
    assert score_fact_b(fact(2, P2=4), ir)["BCS"] == 18


def test_fact_b_prorating_and_more_than_half(ir):
    # PWB responses 0 (reversed to 4): 6 answered -> 24 x 7/6 = 28; 4 answered -> 16 x 7/4 = 28
    gp = {f"GP{i}": 0 for i in range(1, 8)}
    assert score_fact_b(fact(**{**gp, "GP1": None}), ir)["PWB"] == pytest.approx(28)
    three_missing = {**gp, "GP1": None, "GP2": None, "GP3": None}
    assert score_fact_b(fact(**three_missing), ir)["PWB"] == pytest.approx(28)
    four_missing = {**three_missing, "GP4": None}
    assert score_fact_b(fact(**four_missing), ir)["PWB"] is None  # 3 of 7 is not > 50 %
    # EWB: 6 items, exactly half answered is not more than half
    assert score_fact_b(fact(GE1=None, GE2=None, GE3=None), ir)["EWB"] is None
    assert score_fact_b(fact(GE1=None, GE2=None), ir)["EWB"] == pytest.approx(12)
    # BCS: 10 items, 5 answered -> null, 6 -> prorated
    five = dict.fromkeys(("B1", "B2", "B3", "B4", "B5"))
    assert score_fact_b(fact(**five), ir)["BCS"] is None
    assert score_fact_b(fact(B1=None, B2=None, B3=None, B4=None), ir)["BCS"] == pytest.approx(20)


def test_fact_b_totals_need_more_than_80_percent(ir):
    five = dict.fromkeys(("GP1", "GP2", "GS1", "GS2", "GE1"))  # 22 of 27 answered (81.5 %)
    result = score_fact_b(fact(**five), ir)
    assert result["FACT_G"] == pytest.approx(54)
    six = {**five, "GF1": None}  # 21 of 27 (77.8 %): every subscale valid, total not
    result = score_fact_b(fact(**six), ir)
    assert all(result[c] is not None for c in ("PWB", "SWB", "EWB", "FWB"))
    assert result["FACT_G"] is None
    assert result["TOI"] is not None  # TOI has no 80 % rule
    # FACT-B: 37 items; 30 answered (81 %) passes, 29 (78 %) does not
    seven = {**five, "B1": None, "B2": None}
    assert score_fact_b(fact(**seven), ir)["FACT_B"] == pytest.approx(74)
    eight = {**seven, "B4": None}
    result = score_fact_b(fact(**eight), ir)
    assert result["FACT_B"] is None


def test_fact_b_arm_subscale_only_when_b10_to_b13_given(ir):
    result = score_fact_b(fact(2, B10=4, B11=4, B12=4, B13=4, B3=4), ir)
    assert result["ARM"] == 0  # all five reversed
    assert result["FACT_B"] == 74 - 2 + 0  # B3 = 4 changes BCS by -2 only; ARM is not added
    assert score_fact_b(fact(2, B10=None, B11=None, B12=None, B13=1), ir)["ARM"] is None


@settings(max_examples=100, deadline=None)
@given(
    answers=st.fixed_dictionaries(
        {code: st.one_of(st.none(), st.integers(0, 4)) for code in FACT_B_REQUIRED}
    )
)
def test_fact_b_scores_stay_in_range(answers):
    result = score_fact_b(answers, load_rules().instruments)
    limits = {
        "PWB": 28,
        "SWB": 28,
        "EWB": 24,
        "FWB": 28,
        "FACT_G": 108,
        "BCS": 40,
        "FACT_B": 148,
        "TOI": 96,
    }
    for code, high in limits.items():
        value = result[code]
        assert value is None or 0 <= value <= high + 1e-9
