"""Sweep over resources/rules/instruments/*.toml and the strict loader's refusals."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planner.domain.instruments.catalogue import NEEDS
from planner.domain.instruments.instrument_settings import InstrumentSettings
from planner.domain.instruments.tables import BandSet, Interval, SettingRule
from planner.rules import RulesError
from planner.rules.loader import _load, default_rules_dir, load_rules

# Rules the reference marks R / unverified must stay flagged until someone confirms them.
MUST_BE_UNVERIFIED = {
    "instr.esas_r.subscores",
    "instr.esas_r.item_bands",
    "instr.hads.bands.four",
    "instr.pgsga.box2_highest",
    "instr.pgsga.box2_sum",
    "instr.glim.stage_most_severe",
    "instr.cachexia.sarcopenia",
    "instr.cachexia.stages",
    "instr.meld.original",
    "instr.meld.v3_coefficients",
    "instr.bsa.dubois",
}


def test_every_rule_is_cited_and_resolves(rules):
    table = rules.instruments.rules
    assert set(table) == set(NEEDS)
    for rule in table.values():
        assert rule.sources, rule.id
        for source in rule.sources:
            assert source in rules.sources, (rule.id, source)


def test_instrument_sources_use_the_instr_prefix(rules):
    cited = {s for rule in rules.instruments.rules.values() for s in rule.sources}
    assert all(s.startswith("instr.src.") for s in cited)


def test_bands_ascend_without_gaps_or_overlaps(rules):
    for rule in rules.instruments.rules.values():
        if isinstance(rule, BandSet):
            assert rule.layout_problems() == [], rule.id
            lows = [b.interval.low for b in rule.bands]
            assert lows == sorted(lows), rule.id
            assert all(b.label is not None or b.value is not None for b in rule.bands)


def test_recalled_rules_are_flagged_unverified(rules):
    for rule_id in MUST_BE_UNVERIFIED:
        assert rules.instruments.rules[rule_id].verified is False, rule_id


def test_settings_match_the_settings_type_and_defaults_resolve(rules):
    ir = rules.instruments
    settings = [r for r in ir.rules.values() if isinstance(r, SettingRule)]
    assert {s.name for s in settings} == set(InstrumentSettings.__dataclass_fields__)
    defaults = InstrumentSettings.from_rules(ir)
    for setting in settings:
        assert getattr(defaults, setting.name) == setting.default
        assert all(target in ir.rules for target in setting.options.values())
    assert defaults.child_pugh_albumin == "pugh_1973"
    assert defaults.distress_cutoff == "nccn"


def test_no_copyrighted_wording_in_resources(licensed_item_openings):
    text = "".join(p.read_text() for p in (default_rules_dir() / "instruments").glob("*.toml"))
    for phrase in licensed_item_openings:
        assert phrase not in text


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("[0, 4]", True),
        ("(20, inf)", True),
        ("(-inf, 18.5)", True),
        ("[-inf, 2)", False),
        ("[4, 0]", False),
        ("(1, 1)", False),
        ("0-4", False),
    ],
)
def test_interval_parsing(text, ok):
    if ok:
        assert str(Interval.parse(text)).replace(" ", "") == text.replace(" ", "")
    else:
        with pytest.raises(ValueError, match=r"interval|edge|empty"):
            Interval.parse(text)


def _copy_rules(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), target)
    return target


def _load_fresh(directory: Path):
    _load.cache_clear()
    try:
        return load_rules(directory)
    finally:
        _load.cache_clear()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('id = "instr.must.risk"\n', 'id = "instr.must.risk"\ncolour = "red"\n', "unknown keys"),
        (
            '{ range = "[18.5, 20]", value = 1 }',
            '{ range = "[18.6, 20]", value = 1 }',
            "do not meet",
        ),
        (
            '{ range = "[5, 9]", label = "mild" }',
            '{ range = "[6, 9]", label = "mild" }',
            "not adjacent",
        ),
        ('sources = ["instr.src.must"]', 'sources = ["instr.src.nowhere"]', "not defined"),
        (
            "coefficients = { divisor = 3600 }",
            "coefficients = { divisr = 3600 }",
            "the scorer reads",
        ),
        ('default = "pugh_1973"', 'default = "pugh_1974"', "not one of its options"),
        ('id = "instr.must.risk"', 'id = "instr.must.risks"', "no scorer reads"),
    ],
)
def test_loader_refuses_bad_tables(tmp_path, old, new, message):
    directory = _copy_rules(tmp_path)
    for path in (directory / "instruments").glob("*.toml"):
        text = path.read_text()
        if old in text:
            path.write_text(text.replace(old, new, 1))
            break
    else:
        pytest.fail(f"{old!r} not found")
    with pytest.raises(RulesError, match=message):
        _load_fresh(directory)
