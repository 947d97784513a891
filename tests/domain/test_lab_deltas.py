"""Delta check (issue 16, failure 5): 2.1 mg/dL yesterday and 2.6 µmol/L today — a 93 % fall —
passed without a word. A result beyond its test's documented limit is now a jump to confirm."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain.lab_deltas import LabReading, exceeds, lab_jumps

TODAY = dt.date(2026, 12, 6)
YESTERDAY = TODAY - dt.timedelta(days=1)


def _jumps(rules, current, previous):
    return lab_jumps(current, previous, rules.limits, rules.lab_deltas)


def test_the_reported_bilirubin_fall_is_a_jump_and_names_the_unit_that_fits(rules):
    jumps = _jumps(
        rules,
        [LabReading("bilirubin", 2.6, "umol/L", TODAY)],
        [LabReading("bilirubin", 2.1, "mg/dL", YESTERDAY)],
    )
    assert len(jumps) == 1
    jump = jumps[0]
    assert jump.lab == "bilirubin"
    assert jump.previous_canonical == pytest.approx(35.91)
    assert jump.change_percent == pytest.approx(-92.8, abs=0.1)
    assert not jump.rose
    assert jump.unit_that_fits == "mg/dL"  # the number is right for the previous unit
    assert jump.limit.verified is False  # shown to the nurse as unverified


def test_an_ordinary_change_in_another_unit_is_not_questioned(rules):
    # 2.1 mg/dL (35.9 µmol/L) then 40 µmol/L: +11 %, the same result in the clinic's unit
    assert not _jumps(
        rules,
        [LabReading("bilirubin", 40, "umol/L", TODAY)],
        [LabReading("bilirubin", 2.1, "mg/dL", YESTERDAY)],
    )


def test_the_latest_earlier_result_is_the_comparison(rules):
    previous = [
        LabReading("albumin", 40, "g/L", TODAY - dt.timedelta(days=60)),
        LabReading("albumin", 26, "g/L", TODAY - dt.timedelta(days=7)),
    ]
    assert not _jumps(rules, [LabReading("albumin", 27, "g/L", TODAY)], previous)
    jumps = _jumps(rules, [LabReading("albumin", 2.7, "g/dL", TODAY)], previous[:1])
    assert [j.lab for j in jumps] == ["albumin"]  # 40 -> 27 g/L: -32 %, 13 g/L


def test_an_older_result_is_compared_only_for_a_change_like_a_units(rules):
    """Months apart, creatinine 70 -> 300 µmol/L may be real and is not asked; bilirubin 49 ->
    2.6 µmol/L (×19, a mg/dL value typed as µmol/L) was accepted unasked at 120 days
    (independent walk 16d) and is now asked, naming the unit that fits."""
    limit = rules.lab_deltas["creatinine"]
    old = TODAY - dt.timedelta(days=limit.within_days + 1)
    assert not _jumps(
        rules,
        [LabReading("creatinine", 300, "umol/L", TODAY)],
        [LabReading("creatinine", 70, "umol/L", old)],
    )
    months_ago = TODAY - dt.timedelta(days=120)
    jumps = _jumps(
        rules,
        [LabReading("bilirubin", 2.6, "umol/L", TODAY)],
        [LabReading("bilirubin", 49, "umol/L", months_ago)],
    )
    assert [(j.lab, j.unit_that_fits) for j in jumps] == [("bilirubin", "mg/dL")]
    # a real fall over months (49 -> 20 µmol/L after a stent) is not asked
    assert not _jumps(
        rules,
        [LabReading("bilirubin", 20, "umol/L", TODAY)],
        [LabReading("bilirubin", 49, "umol/L", months_ago)],
    )


def test_a_small_value_doubling_below_the_absolute_limit_is_not_questioned(rules):
    limit = rules.lab_deltas["bilirubin"]
    assert limit.absolute is not None
    assert not exceeds(5.0, 5.0 + limit.absolute, limit)  # +100 % but a few µmol/L
    assert exceeds(20.0, 20.0 + 2 * limit.absolute, limit)


def test_every_lab_has_a_limit_and_a_unit_mix_up_is_caught_for_every_lab(rules):
    for name, lab in rules.limits.labs.items():
        limit = rules.lab_deltas[name]
        assert limit.sources
        canonical = lab.canonical_unit
        for unit, factor in ((u, r.factor) for u, r in lab.units.items() if u != canonical):
            # a typical mid-range value in the canonical unit, typed as if in the other unit
            typical = (
                sum((lab.units[canonical].plausible_low, lab.units[canonical].plausible_high)) / 8
            )
            jumps = _jumps(
                rules,
                [LabReading(name, typical, unit, TODAY)],
                [LabReading(name, typical, canonical, YESTERDAY)],
            )
            assert [j.lab for j in jumps] == [name], (name, unit, factor)
            assert jumps[0].unit_that_fits == canonical


def test_unknown_units_and_labs_without_an_earlier_result_are_left_to_validation(rules):
    assert not _jumps(
        rules,
        [LabReading("bilirubin", 3, "mmol/L", TODAY), LabReading("ast", 900, "U/L", TODAY)],
        [LabReading("bilirubin", 30, "umol/L", YESTERDAY)],
    )


def test_the_reported_alt_fall_is_questioned(rules):
    # ALT 88 -> 3 U/L passed: a fall of 97 % could never exceed a limit of 100 %.
    jumps = _jumps(
        rules,
        [LabReading("alt", 3, "U/L", TODAY), LabReading("ast", 4, "U/L", TODAY)],
        [LabReading("alt", 88, "U/L", YESTERDAY), LabReading("ast", 95, "U/L", YESTERDAY)],
    )
    assert sorted(j.lab for j in jumps) == ["alt", "ast"]
    assert all(not j.rose for j in jumps)


def test_every_lab_row_fires_both_ways_and_a_fall_is_as_far_as_the_matching_rise(rules):
    """The sweep: for each row, a rise beyond the limit and the matching fall are both questioned
    from a value inside the plausible range, and the check never depends on the direction."""
    for name, lab in rules.limits.labs.items():
        limit = rules.lab_deltas[name]
        assert limit.factor > 1, name
        bounds = lab.units[lab.canonical_unit]
        low, high = bounds.plausible_low, bounds.plausible_high
        # a large move inside the plausible range fires in both directions
        assert exceeds(high, max(low, high / 1000), limit), (name, "fall")
        assert exceeds(max(low, high / 1000), high, limit), (name, "rise")
        # just beyond the ratio, and beyond the absolute limit, fires either way
        step = limit.factor * 1.05
        base = max(low, 1e-6, 2 * (limit.absolute or 0) / (1 - 1 / step))
        assert exceeds(base, base * step, limit), (name, "rise by the factor")
        assert exceeds(base, base / step, limit), (name, "fall by the factor")
        # just inside the ratio fires neither way
        inside = limit.factor * 0.98
        assert not exceeds(base, base * inside, limit), (name, "rise inside")
        assert not exceeds(base, base / inside, limit), (name, "fall inside")
        # direction never matters
        for a in (low, base, (low + high) / 2, high):
            for b in (low, base / step, base * step, high):
                assert exceeds(a, b, limit) == exceeds(b, a, limit), (name, a, b)


def test_a_limit_that_cannot_question_a_change_is_refused_when_rules_load(rules):
    from planner.rules.errors import RulesError
    from planner.rules.lab_deltas import load_lab_deltas

    row = {
        "id": "delta.alt",
        "lab": "alt",
        "factor": 1.0,
        "within_days": 90,
        "sources": ["delta.src.clsi-ep33"],
        "verified": False,
    }
    document = {
        "meta": {"table": "lab_deltas", "version": "1", "reviewed_on": "2026-12-06"},
        "delta": [row],
    }
    with pytest.raises(RulesError, match=r"delta\[0\]\.factor: 1 must be above 1"):
        load_lab_deltas({"lab_deltas.toml": document}, _SourcesAll(), rules.limits)


class _SourcesAll(dict):
    def __contains__(self, key):
        return True

    def __getitem__(self, key):
        return key


# ---- a confirmed jump, kept in the case (nurse16: the confirmation was forgotten) ------------


def _confirmed(example_raw, **change):
    import copy

    raw = copy.deepcopy(example_raw)
    labs = raw["labs"]
    raw["lab_confirmations"] = [
        {
            "lab": "bilirubin",
            "previous": {"value": 2.1, "unit": "mg/dL", "drawn_on": "2026-04-12"},
            "current": {
                "value": labs["bilirubin"]["value"],
                "unit": labs["bilirubin"]["unit"],
                "drawn_on": labs["drawn_on"],
            },
            "confirmed_by": "Asha Rao",
            "confirmed_on": raw["assessed_on"],
            **change,
        }
    ]
    return raw


def test_a_confirmation_is_validated_with_field_named_errors(example_raw, limits):
    from planner.domain.problems import InputInvalid
    from planner.domain.validation import validate_case

    case, _ = validate_case(_confirmed(example_raw), limits)
    (kept,) = case.lab_confirmations
    assert (kept.lab, kept.previous.unit, kept.confirmed_by) == ("bilirubin", "mg/dL", "Asha Rao")

    for change, path in (
        ({"previous": {"value": 2.1, "unit": "g", "drawn_on": "2026-04-12"}}, "previous.unit"),
        ({"previous": {"value": -1, "unit": "mg/dL"}}, "previous.value"),
        ({"confirmed_by": ""}, "confirmed_by"),
        ({"lab": "bilirubn"}, "lab"),
    ):
        with pytest.raises(InputInvalid) as refused:
            validate_case(_confirmed(example_raw, **change), limits)
        assert [p.path for p in refused.value.problems] == [f"lab_confirmations[0].{path}"]

    # a confirmation of another value than the case's result would print one nobody gave
    stale = _confirmed(example_raw)
    stale["lab_confirmations"][0]["current"]["value"] = 2.6
    with pytest.raises(InputInvalid) as refused:
        validate_case(stale, limits)
    assert [p.path for p in refused.value.problems] == ["lab_confirmations[0].current"]


def test_the_plan_says_the_confirmed_change_and_who_confirmed_it(example_raw):
    from planner.domain.lab_deltas import confirmation_words
    from planner.services import case_commands

    raw = _confirmed(example_raw)
    raw["labs"]["bilirubin"] = {"value": 2.6, "unit": "umol/L", "uln": 21}
    raw["lab_confirmations"][0]["current"].update(value=2.6, unit="umol/L")
    (entry,) = case_commands.make_plan(raw)["lab_confirmations"]
    assert entry["change_percent"] == pytest.approx(-92.8, abs=0.1)
    assert confirmation_words(entry, "dd/mm/yyyy") == (
        "Total bilirubin fell 93 % since 12/04/2026 (2.1 mg/dL → 2.6 µmol/L); "
        f"confirmed by Asha Rao on {dt.date.fromisoformat(raw['assessed_on']):%d/%m/%Y}"
    )
