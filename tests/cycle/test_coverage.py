"""Every drug of every regimen in the library has a cycle-review table (issue 19: bevacizumab
and cisplatin were the last two; a drug without one would say "no cycle-review table for X:
review by the prescriber" and print no dose)."""

from __future__ import annotations

WITHOUT_A_TABLE: set[str] = set()


def test_every_regimen_drug_has_a_table(rules):
    drugs = {d for regimen in rules.regimens.regimens.values() for d in regimen.drugs}
    missing = {d for d in drugs if rules.cycle.ladder(d, "us") is None}
    assert missing == WITHOUT_A_TABLE
