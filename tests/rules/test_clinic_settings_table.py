"""The clinic settings table is read strictly: a setting whose options lack words, words for an
option the rule table does not offer, or an unknown lab is refused naming the file and row."""

from __future__ import annotations

import pytest

from planner.rules.loader import RulesError, check_rules

TABLE = "clinic_settings.toml"


def _edit(rules_copy, old, new):
    path = rules_copy / TABLE
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'words = { nccn = "4 or more — NCCN guideline", onf = "3 or more — ONF study (2017)" }',
            'words = { nccn = "4 or more — NCCN guideline" }',
            r"clinic_settings\.toml setting\[\d+\]\.words: no words for onf",
        ),
        (
            'words = { nccn = "4 or more — NCCN guideline", ',
            'words = { nccn = "4 or more", dt5 = "5 or more", ',
            r"words for options not offered: dt5",
        ),
        (
            'labs = ["bilirubin", "ast"',
            'labs = ["bilirubin", "sodium_x"',
            r"'sodium_x' is not a lab",
        ),
        ('label = "Pape&r"', 'label = "Pape&r"\ncolour = "red"', r"unknown keys \['colour'\]"),
        ('options = ["a4", "letter"]', 'options = ["a3", "letter"]', r"default: must be one of"),
    ],
)
def test_a_bad_row_is_refused_naming_it(rules_copy, old, new, message):
    _edit(rules_copy, old, new)
    with pytest.raises(RulesError, match=message):
        check_rules(rules_copy)


def test_every_setting_of_the_table_is_read(rules):
    keys = [row.key for row in rules.clinic_settings.rows]
    assert len(keys) == len(set(keys))
    assert {"clinic_name", "clinic_phone", "clinic_out_of_hours_phone", "lab_uln"} <= set(keys)
