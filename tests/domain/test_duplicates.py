"""Likely duplicate patients: pairs that must match (one woman, spelt two ways) and pairs that
must not (two women who share a name or a birthday)."""

from __future__ import annotations

import pytest

from planner.domain.duplicates import duplicate_pairs, likely_duplicate, matches, person_key

BORN = "1968-03-14"

MUST_MATCH = [
    (("Karimova", "Dilnoza"), ("Каримова", "Дилноза")),  # Latin and Cyrillic
    (("KARIMOVA", "dilnoza"), ("Karimova", "Dilnoza")),  # case
    (("Aliyeva", "Gulnora"), ("Alieva", "Gulnora")),  # -ayeva / -aeva
    (("Алиева", "Гулнора"), ("Aliyeva", "Gulnora")),
    (("Xo'jayeva", "Mohira"), ("Ходжаева", "Мохира")),  # Uzbek Latin x/j, Russian kh/dzh
    (("Oʻrinova", "Sevara"), ("O'rinova", "Sevara")),  # oʻ in its apostrophe forms
    (("O’rinova", "Sevara"), ("Ўринова", "Севара")),
    (("Yıldız", "Ayşe"), ("YILDIZ", "Ayse")),  # Turkish dotless ı, diacritics
    (("İnce", "Elif"), ("Ince", "Elif")),  # Turkish dotted İ
    (("Şahin", "Zeynep"), ("Sahin", "Zeynep")),
    (("Hasanova", "Nodira"), ("Hassanova", "Nodira")),  # a doubled letter
    (("Dilnoza", "Karimova"), ("Karimova", "Dilnoza")),  # names typed in each other's box
    (("Karimova", None), ("Karimova", "Dilnoza")),  # given name not recorded
    (("Sharma", "Priya"), ("sharma", "PRIYA")),
]

MUST_NOT_MATCH = [
    (("Karimova", "Dilnoza"), ("Karimova", "Dilfuza")),  # another given name
    (("Karimova", "Dilnoza"), ("Karimov", "Dilnoza")),  # another family name
    (("Aliyeva", "Gulnora"), ("Aliyeva", "Gulnoza")),
    (("Sharma", "Priya"), ("Verma", "Priya")),
]


def key(names, born=BORN, ref="a"):
    return person_key(ref, names[0], names[1], born)


@pytest.mark.parametrize(("one", "other"), MUST_MATCH)
def test_one_woman_spelt_two_ways_matches(one, other):
    assert likely_duplicate(key(one, ref="a"), key(other, ref="b"))
    assert likely_duplicate(key(other, ref="b"), key(one, ref="a"))


@pytest.mark.parametrize(("one", "other"), MUST_NOT_MATCH)
def test_two_women_do_not_match(one, other):
    assert not likely_duplicate(key(one, ref="a"), key(other, ref="b"))


def test_the_same_name_born_another_day_or_not_recorded_does_not_match():
    one = key(("Karimova", "Dilnoza"))
    assert not likely_duplicate(one, key(("Karimova", "Dilnoza"), born="1968-03-15"))
    assert not likely_duplicate(key(("Karimova", "Dilnoza"), born=None), one)


def test_pairs_are_found_within_a_birth_date_and_a_person_never_matches_herself():
    people = [
        key(("Karimova", "Dilnoza"), ref="TAS-1"),
        key(("Каримова", "Дилноза"), ref="TAS-2"),
        key(("Karimova", "Dilnoza"), born="1970-01-01", ref="TAS-3"),
        key(("Sharma", "Priya"), ref="DEL-4"),
    ]
    assert [(a.ref, b.ref) for a, b in duplicate_pairs(people)] == [("TAS-1", "TAS-2")]
    assert [m.ref for m in matches(people[0], people)] == ["TAS-2"]
