"""Likely duplicate patients: the same birth date and the same name however it was spelt.

A clinic registers one woman twice when her name is typed in Cyrillic one day and in Latin the
next, with or without diacritics, oʻ or o', -ayeva or -aeva, or with family and given name
swapped. `name_key` folds those differences away; `likely_duplicate` asks for the same birth
date as well, so two women who only share a name are not flagged. It is a warning for a person
to judge, never a merge: a false alarm costs a glance, a missed one a split record.

Pure and standard library only. The folding is search's (`domain.name_keys`, one home for both:
a name the search finds as one woman is the name this matches as one woman); matching two whole
names adds one relaxation search does not need, doubled letters (Hassanova, Hasanova), since a
search is a prefix typed by someone looking at the name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import combinations

from planner.domain import name_keys
from planner.domain.frozen_value import frozen_value

_DOUBLED = re.compile(r"([a-z])\1+")


def name_key(text: str | None) -> str:
    """`text` folded for comparison: each word's search key (`name_keys.spelled` over
    `name_keys.words`: case, diacritics, Turkish ı/İ, apostrophes, Cyrillic, transliteration
    variants), doubled letters made single. Words keep their order, space-separated."""
    if not text:
        return ""
    return " ".join(_DOUBLED.sub(r"\1", name_keys.spelled(word)) for word in name_keys.words(text))


@frozen_value
class PersonKey:
    """What two records of one person share: birth date and the folded names."""

    ref: str  # the caller's handle (an MRN)
    birth_date: str | None  # ISO
    family: str
    given: str
    #: every spelling key of each name, its alternatives' included (Laxmi is also laksmi)
    family_variants: frozenset[str] = frozenset()
    given_variants: frozenset[str] = frozenset()


def person_key(
    ref: str, family_name: str | None, given_name: str | None, birth_date: str | None
) -> PersonKey:
    return PersonKey(
        ref,
        birth_date,
        name_key(family_name),
        name_key(given_name),
        name_variants(family_name),
        name_variants(given_name),
    )


#: more spellings than this of one name are not compared (a name of many words, each with an
#: alternative): its first key still is
_MOST_VARIANTS = 16


def name_variants(text: str | None) -> frozenset[str]:
    """`name_key` and the keys of each word's alternative spellings (`name_keys.word_keys`:
    Laxmi is lahmi and laksmi), doubled letters made single, so two names that search finds as
    one are matched as one (walk24 #4: Lakshmi and Laxmi)."""
    if not text:
        return frozenset()
    per_word = [
        [_DOUBLED.sub(r"\1", key) for key in name_keys.word_keys(word)]
        for word in name_keys.words(text)
    ]
    out: list[str] = [""]
    for keys in per_word:
        out = [f"{done} {key}".strip() for done in out for key in keys][:_MOST_VARIANTS]
    return frozenset(out)


def _alike(a: str, a_variants: frozenset[str], b: str, b_variants: frozenset[str]) -> bool:
    return a == b or bool(a_variants & b_variants)


def likely_duplicate(a: PersonKey, b: PersonKey) -> bool:
    """Both born the same day (a birth date not recorded matches nothing) and named alike: the
    same folded family and given names, or the two swapped (typed in each other's box), or one
    given name not recorded."""
    if a.birth_date is None or a.birth_date != b.birth_date or not a.family or not b.family:
        return False
    if _alike(a.family, a.family_variants, b.family, b.family_variants):
        return (
            _alike(a.given, a.given_variants, b.given, b.given_variants)
            or not a.given
            or not b.given
        )
    return (
        bool(a.given)
        and _alike(a.family, a.family_variants, b.given, b.given_variants)
        and _alike(a.given, a.given_variants, b.family, b.family_variants)
    )


def matches(new: PersonKey, stored: Iterable[PersonKey]) -> list[PersonKey]:
    """The stored people `new` is likely the same person as."""
    return [other for other in stored if other.ref != new.ref and likely_duplicate(new, other)]


def duplicate_pairs(people: Sequence[PersonKey]) -> list[tuple[PersonKey, PersonKey]]:
    """Every likely-duplicate pair among `people`, compared within each birth date only."""
    by_date: dict[str, list[PersonKey]] = {}
    for person in people:
        if person.birth_date:
            by_date.setdefault(person.birth_date, []).append(person)
    return [
        (a, b)
        for group in by_date.values()
        for a, b in combinations(group, 2)
        if likely_duplicate(a, b)
    ]
