"""Allergy relations kept as classes (rx22 F2, F6): one active substance in two formulations
reaches both ways, and every drug of a cross-reactive class (platinum, anthracycline: their
labels' §4) reaches every other, whichever row carries it."""

from __future__ import annotations

import itertools

import pytest

from planner.domain.engine import build_plan
from planner.domain.validation import validate_case
from tests.safety.test_independent_rx22 import _raw, _rows, _said


def _formulation_pairs(drugs) -> list[tuple[str, str]]:
    """Catalogue drugs whose name is another's in a formulation ("nab-paclitaxel" holds
    "paclitaxel"; "pegylated liposomal doxorubicin" holds "doxorubicin")."""
    names = [d.name for d in drugs.values() if d.anticancer]
    return [
        (base, form)
        for base, form in itertools.permutations(names, 2)
        if form.endswith((" " + base, "-" + base))
    ]


def _reaches(rules) -> set[tuple[str, str]]:
    """(allergy, drug) pairs an allergy to one drug reaches another by a rule row."""
    tables = rules.interactions
    pairs = {(r.allergy, d) for r in tables.related_allergies for d in r.drugs}
    for cross in tables.cross_reactive:
        members = [n for n, d in rules.drugs.items() if set(cross.classes) & d.classes]
        pairs |= set(itertools.permutations(members, 2))
    return pairs


def test_the_catalogue_has_formulation_pairs(rules):
    pairs = _formulation_pairs(rules.drugs)
    assert ("doxorubicin", "pegylated liposomal doxorubicin") in pairs
    assert ("paclitaxel", "nab-paclitaxel") in pairs


def test_an_allergy_to_one_formulation_reaches_the_other_both_ways(rules):
    reaches = _reaches(rules)
    for base, form in _formulation_pairs(rules.drugs):
        assert (base, form) in reaches, (base, form)
        assert (form, base) in reaches, (form, base)


@pytest.mark.parametrize("cls", ["anthracycline", "platinum"])
def test_every_drug_of_a_cross_reactive_class_reaches_every_other(rules, cls):
    members = sorted(n for n, d in rules.drugs.items() if cls in d.classes and d.anticancer)
    assert len(members) >= 2
    reaches = _reaches(rules)
    for allergy, drug in itertools.permutations(members, 2):
        assert (allergy, drug) in reaches, (allergy, drug)


def _plan(raw, rules):
    case, doubts = validate_case(raw, rules.limits)
    return build_plan(case, doubts, rules).to_json()


@pytest.mark.parametrize(
    ("written", "drug"),
    [
        ("Caelyx", "doxorubicin"),  # doxorubicin SmPC §4.3: the same substance, an anthracycline
        ("Doxil", "doxorubicin"),
        ("doxorubicin", "pegylated liposomal doxorubicin"),  # CAELYX §4.3: its active substance
        ("epirubicin", "doxorubicin"),
        ("Farmorubicina (epirubicin)", "pegylated liposomal doxorubicin"),
    ],
)
def test_anthracycline_allergy_variants_stop_the_other(rules, written, drug):
    raw = _raw("A01")
    raw["allergies"] = [{"substance": written, "reaction": "anaphylaxis", "severity": "severe"}]
    rows = _rows(_plan(raw, rules), drug)
    assert rows, f"{drug} is offered in A01"
    for row in rows:
        assert row["status"] in {"not_recommended", "contraindicated"}, row["status"]
        assert row["dose"] is None
        assert "anthracycline" in _said(row), _said(row)
