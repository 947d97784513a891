"""Known answers for subtype (BIO-2..11): ER cut-offs, ER-low, HER2 IHC/ISH states, groups."""

from __future__ import annotations

import pytest

from planner.domain.subtype import classify_subtype


def subtype_of(checked, rules, raw, er=85, pr=10, ihc="1+", ish=None):
    raw["biology"].update(er_percent=er, pr_percent=pr, her2_ihc=ihc, her2_ish=ish)
    return classify_subtype(checked(raw).case, rules.regimens.cutoffs)


@pytest.mark.parametrize(
    ("er", "hr_positive", "er_low"),
    [
        (0, False, False),
        (0.5, False, False),
        (1, True, True),
        (10, True, True),
        (11, True, False),
        (100, True, False),
    ],
)
def test_er_cut_offs(checked, rules, example_raw, er, hr_positive, er_low):
    result = subtype_of(checked, rules, example_raw, er=er, pr=0)
    assert result.hr_positive is hr_positive
    assert result.er_low is er_low
    assert result.group == ("HR+/HER2-" if hr_positive else "TNBC")
    if er_low:
        assert any("ER-low" in w for w in result.warnings)
        assert any(b.rule == "BIO-3" for b in result.basis)


def test_pr_positive_alone_is_hr_positive(checked, rules, example_raw):
    result = subtype_of(checked, rules, example_raw, er=0, pr=5)
    assert result.hr_positive is True
    assert result.group == "HR+/HER2-"


@pytest.mark.parametrize(
    ("ihc", "ish", "her2", "group"),
    [
        ("0", None, "zero", "HR+/HER2-"),
        ("0_membrane", None, "ultralow", "HR+/HER2-"),
        ("1+", None, "low", "HR+/HER2-"),
        ("2+", "not_amplified", "low", "HR+/HER2-"),
        ("2+", "amplified", "positive", "HER2+"),
        ("2+", None, "unknown", "unknown"),
        ("3+", None, "positive", "HER2+"),
        ("3+", "not_amplified", "positive", "HER2+"),
        (None, "amplified", "positive", "HER2+"),
        (None, "not_amplified", "unknown", "HR+/HER2-"),
        (None, None, "unknown", "unknown"),
    ],
)
def test_her2_states(checked, rules, example_raw, ihc, ish, her2, group):
    result = subtype_of(checked, rules, example_raw, ihc=ihc, ish=ish)
    assert result.her2 == her2
    assert result.group == group
    if her2 == "unknown":
        assert result.gaps


def test_ihc_2_plus_without_ish_names_the_ish_gap(checked, rules, example_raw):
    result = subtype_of(checked, rules, example_raw, ihc="2+", ish=None)
    assert next(g.field for g in result.gaps) == "biology.her2_ish"


def test_tnbc_needs_both_receptors_negative(checked, rules, example_raw):
    assert subtype_of(checked, rules, example_raw, er=0, pr=0, ihc="0").group == "TNBC"
    unknown_pr = subtype_of(checked, rules, example_raw, er=0, pr=None, ihc="0")
    assert unknown_pr.group == "unknown"
    assert any(g.field == "biology.pr_percent" for g in unknown_pr.gaps)


def test_her2_positive_wins_over_hormone_receptors(checked, rules, example_raw):
    result = subtype_of(checked, rules, example_raw, er=90, ihc="3+")
    assert result.group == "HER2+"
    assert result.hr_positive is True


def test_subtype_json_has_contract_keys(checked, rules, example_raw):
    data = subtype_of(checked, rules, example_raw).to_json()
    assert {
        "group": "HR+/HER2-",
        "hr_positive": True,
        "er_low": False,
        "her2": "low",
    }.items() <= data.items()
