"""Allergy lines with case endings (misc23 item 3).

Russian declines the INN ("реакция на паклитакселе", "непереносимость паклитаксела",
"паклитакселу"), Uzbek adds suffixes ("paklitakselga allergiya", "паклитакселга"): the exact
lookup read none of them, so the line was a gap and paclitaxel went out at a standard dose with
"not checked". The decision, from the test set below: a closed list of endings per language
joined to whole spellings (drug_names.toml [[declension]]) is safe, because every form is
checked at load time to be no other drug's spelling or form, and no form is a prefix match (a
longer word, "паклитакселин", is still not read). Hindi in Latin letters keeps its postpositions
as words ("paclitaxel se allergy"), read already; a phonetic spelling ("paclitaxal") is not read
and stays a gap. A gap is never "no allergy".
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from planner.domain.allergy_names import catalogue_names, names_in, read_allergy, words_of
from planner.domain.engine import build_plan
from planner.domain.validation import validate_case
from planner.rules import RulesError, load_rules

CASES = Path(__file__).parents[1] / "data" / "independent_rx21"
STOPPED = {"not_recommended", "contraindicated"}

# (as written, what it names): the test set the decision was made on
READ = [
    # Russian: nominative (read before), then each case
    ("аллергия на паклитаксел", "paclitaxel"),
    ("реакция на паклитакселе", "paclitaxel"),
    ("непереносимость паклитаксела", "paclitaxel"),
    ("паклитакселу", "paclitaxel"),
    ("анафилаксия при лечении паклитакселом", "paclitaxel"),
    ("аллергия на доцетакселе (анафилактический шок)", "docetaxel"),
    ("сыпь на капецитабине", "capecitabine"),
    ("реакция на трастузумабе", "trastuzumab"),
    ("герцептину", "trastuzumab"),
    ("аллергия на таксоле", "paclitaxel"),
    ("карбоплатина", "carboplatin"),
    # the longer name wins inflected too: nab-paclitaxel is not read as paclitaxel
    ("аллергия на наб-паклитакселе", "nab-paclitaxel"),
    ("абраксану", "nab-paclitaxel"),
    # Uzbek, Latin and Cyrillic script
    ("paklitakselga allergiya", "paclitaxel"),
    ("dotsetakselga allergiya bor", "docetaxel"),
    ("kapetsitabinga", "capecitabine"),
    ("paclitaxelga allergiya", "paclitaxel"),
    ("trastuzumabga reaksiya", "trastuzumab"),
    ("паклитакселга аллергия", "paclitaxel"),
    ("доцетакселдан тошма", "docetaxel"),
    # Hindi in Latin letters: postpositions are words of their own
    ("paclitaxel se allergy", "paclitaxel"),
    ("mujhe taxol se allergy hai", "paclitaxel"),
    ("docetaxel ke baad reaction", "docetaxel"),
]

# written in a way no rule reads: kept as not read (a gap), never a guess
NOT_READ = [
    "paclitaxal se allergy",  # a phonetic spelling (Hindi in Latin letters)
    "paklitaxel ki allergy",
    "паклитакселин",  # a longer word: no prefix match
    "паклитаксельный",  # an adjective, not a case of the name
    "кселоде",  # a name ending in a vowel declines otherwise: not in the table
    "золедроновой кислоте",  # two words: not in the table
]


def _names(rules) -> dict[str, tuple[str, str]]:
    limits = rules.limits
    return catalogue_names(
        {**limits.allergy_inflections, **limits.medicines},
        limits.allergy_classes,
        limits.allergy_excipients,
        limits.allergy_combinations,
    )


def _read(rules, written: str):
    limits = rules.limits
    return read_allergy(
        written, _names(rules), limits.excipients_of, limits.classes_of, limits.combinations_of
    )


@pytest.mark.parametrize(("written", "drug"), READ)
def test_a_case_ending_is_read_as_the_drug(rules, written, drug):
    reading = _read(rules, written)
    assert reading.named == (("drug", drug),)
    assert reading.negation is None


@pytest.mark.parametrize("written", NOT_READ)
def test_what_no_rule_reads_stays_not_read(rules, written):
    reading = _read(rules, written)
    assert reading.named == ()
    assert reading.not_read == (written,)


@pytest.mark.parametrize(
    "written", ["docetaxelga allergiya yo'q", "docetaxelga allergiya yoʻq", "доцетакселга йўқ"]
)
def test_an_uzbek_no_is_a_word_of_negation_and_the_allergy_still_applies(rules, written):
    reading = _read(rules, written)
    assert reading.named == (("drug", "docetaxel"),)
    assert reading.negation is not None


def test_every_form_reads_as_its_drug_alone(rules):
    """Each stem is unambiguous across all drugs: every form of every row, read alone, names
    its own drug and nothing else (the loader refuses a form that is another's spelling)."""
    names = _names(rules)
    inflections = rules.limits.allergy_inflections
    assert len(inflections) > 500
    for form, drug in inflections.items():
        assert names_in(form, names) == (("drug", drug),), form
        assert form not in rules.limits.medicines


def test_no_form_holds_or_is_held_by_another_drugs_spelling(rules):
    spellings = [(inn, words_of(s)) for s, inn in rules.limits.medicines.items()]

    def within(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
        return any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1))

    for form, drug in rules.limits.allergy_inflections.items():
        mine = words_of(form)
        for other, theirs in spellings:
            if other == drug or within(words_of(drug), words_of(other)):
                continue  # "nab-paclitaxel" holds "paclitaxel" by its INN: the longer wins
            if within(words_of(other), words_of(drug)):
                continue
            assert not within(theirs, mine), (form, drug, other)


def test_the_forms_are_not_offered_as_medicine_names(rules):
    # the medicine list suggests the spellings (limits.medicines); a form is read, not offered
    assert "паклитакселе" not in rules.limits.medicines
    assert rules.limits.allergy_inflections["паклитакселе"] == "paclitaxel"


def test_the_loader_refuses_a_form_that_is_another_drugs_spelling(rules_copy):
    path = rules_copy / "drug_names.toml"
    text = path.read_text(encoding="utf-8")
    # "летрозол" + "а" is a new name of anastrozole: a form that names two drugs is refused
    text = text.replace('names = ["anastrozol", ', 'names = ["летрозола", "anastrozol", ', 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError, match="'летрозола' \\(letrozole\\) is already a spelling"):
        load_rules(rules_copy)


# ---- in the plan -------------------------------------------------------------------------------


def _plan(rules, written: str) -> dict[str, Any]:
    (path,) = CASES.glob("A05_*.json")
    raw = copy.deepcopy(json.loads(path.read_text(encoding="utf-8")))
    raw["allergies"] = [{"substance": written, "reaction": "anaphylaxis", "severity": "severe"}]
    case, doubts = validate_case(raw, rules.limits)
    return build_plan(case, doubts, rules).to_json()


def _rows(plan: dict[str, Any], drug: str) -> list[dict[str, Any]]:
    return [d for o in plan["options"] for d in o["drugs"] if d["drug"] == drug]


@pytest.mark.parametrize(
    ("written", "drug"),
    [("реакция на доцетакселе", "docetaxel"), ("dotsetakselga allergiya", "docetaxel")],
)
def test_an_inflected_allergy_stops_the_drug_in_the_plan(rules, written, drug):
    plan = _plan(rules, written)
    rows = _rows(plan, drug)
    assert rows
    assert all(r["status"] in STOPPED and r["dose"] is None for r in rows)
    (allergy,) = plan["allergies"]
    assert allergy["substances"] == [{"substance": drug, "kind": "drug"}]
    assert not [g for g in plan["gaps"] if g["field"] == "allergies[0].substance"]


def test_an_unread_line_stays_a_gap_never_no_allergy(rules):
    plan = _plan(rules, "dotsetaksal se allergy")
    assert plan["allergies_recorded"] == "listed"
    (allergy,) = plan["allergies"]
    assert allergy["substances"] == []
    assert allergy["not_read"] == ["dotsetaksal se allergy"]
    gaps = [g for g in plan["gaps"] if g["field"] == "allergies[0].substance"]
    assert gaps, plan["gaps"]
    assert "not checked" in gaps[0]["effect"] or "not read" in gaps[0]["effect"]
