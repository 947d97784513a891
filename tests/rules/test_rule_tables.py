"""Sweep over the rule tables: every row well-formed, every source resolvable, loader strict."""

from __future__ import annotations

import pytest

from planner.domain import validation
from planner.domain.json_checks import Number
from planner.rules import RulesError, load_rules


def test_every_field_limit_is_sane_and_sourced(rules):
    for key, bounds in rules.limits.fields.items():
        assert bounds.low <= bounds.high, key
        assert bounds.sources, key
        for source in bounds.sources:
            assert source in rules.sources, (key, source)


def test_every_lab_unit_nests_plausible_inside_possible(rules):
    for name, lab in rules.limits.labs.items():
        assert next(iter(lab.units.values())).factor == 1.0, name
        for unit, rng in lab.units.items():
            assert rng.possible_low <= rng.plausible_low <= rng.plausible_high <= rng.possible_high
            assert rng.factor > 0, (name, unit)
            if lab.takes_uln:
                assert rng.uln_plausible_low is not None, (name, unit)


def test_conversion_factors_match_the_reference(rules):
    """dosing.md §1.1 and instruments.md §8.5: bilirubin × 17.1, creatinine × 88.4, albumin × 10."""
    labs = rules.limits.labs
    assert labs["bilirubin"].units["mg/dL"].factor == 17.1
    assert labs["creatinine"].units["mg/dL"].factor == 88.4
    assert labs["albumin"].units["g/dL"].factor == 10.0


def _number_keys(spec, seen=None):
    """Every limits key a spec refers to, found by walking the spec objects."""
    seen = set() if seen is None else seen
    if id(spec) in seen or not hasattr(spec, "__dict__"):
        return set()
    seen.add(id(spec))
    keys = {spec.key} if isinstance(spec, Number) else set()
    for value in vars(spec).values():
        if isinstance(value, dict):
            for child in value.values():
                keys |= _number_keys(child[0] if isinstance(child, tuple) else child, seen)
        else:
            keys |= _number_keys(value, seen)
    return keys


def test_every_limit_the_validator_names_exists(rules):
    keys = _number_keys(validation.CASE)
    assert "body.weight_kg" in keys  # the walk works
    assert keys <= set(rules.limits.fields), keys - set(rules.limits.fields)


def test_every_lab_of_the_case_has_a_definition(rules):
    from planner.domain.case import LAB_NAMES

    assert set(LAB_NAMES) == set(rules.limits.labs)


def test_rules_version_is_a_digest_of_the_tables(rules):
    assert rules.version.startswith("rules-")
    assert len(rules.version) == len("rules-") + 12


def test_loader_refuses_unknown_keys(rules_copy):
    path = rules_copy / "case_limits.toml"
    path.write_text(
        path.read_text().replace('key = "body.weight_kg"', 'key = "body.weight_kg"\nlow_kg = 1', 1)
    )
    with pytest.raises(RulesError, match="unknown keys"):
        load_rules(rules_copy)


def test_loader_refuses_a_dangling_source(rules_copy):
    path = rules_copy / "drugs.toml"
    path.write_text(path.read_text().replace('sources = ["who.inn"]', 'sources = ["nowhere"]', 1))
    with pytest.raises(RulesError, match="'nowhere' is not defined"):
        load_rules(rules_copy)


def test_loader_refuses_a_plausible_range_outside_the_possible(rules_copy):
    path = rules_copy / "case_limits.toml"
    path.write_text(path.read_text().replace("plausible = [2, 600]", "plausible = [2, 6000]", 1))
    with pytest.raises(RulesError, match="plausible range is not inside"):
        load_rules(rules_copy)
