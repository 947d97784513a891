"""Likely duplicate patients: the same birth date and the same name however it was spelt.

A clinic registers one woman twice when her name is typed in Cyrillic one day and in Latin the
next, with or without diacritics, oʻ or o', -ayeva or -aeva, or with family and given name
swapped. `name_key` folds those differences away; `likely_duplicate` asks for the same birth
date as well, so two women who only share a name are not flagged. It is a warning for a person
to judge, never a merge: a false alarm costs a glance, a missed one a split record.

Pure and standard library only. (The search keys of `storage.name_keys`, from the clinic day's
search work, fold spellings for finding; this folds them for matching two whole names. Merge
them into one home when both are on main.)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from itertools import combinations

from planner.domain.frozen_value import frozen_value

# Russian and Uzbek Cyrillic to Latin, as clinics write the names in passports (then folded
# further below, so BGN/PCGN and Uzbek Latin spellings meet).
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "ў": "o", "қ": "q", "ғ": "g", "ҳ": "h", "і": "i", "ї": "yi", "є": "ye",
}  # fmt: skip
_TABLE = str.maketrans({**_CYRILLIC, "ı": "i", "ß": "ss", "æ": "ae", "ø": "o", "đ": "d"})
# apostrophes and marks that vanish (oʻ, o', o’, g‘ …), and separators that become spaces
_APOSTROPHES = re.compile("['`\u2018\u2019\u02bb\u02bc\u02b9\u00b4]")
_SEPARATORS = re.compile(r"[^a-z0-9]+")
# spelling variants folded to one, in this order (each a common variation between clinics'
# transliterations, or between Uzbek Latin and Russian-style Latin)
_FOLDS = (
    ("shch", "sh"),
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("x", "h"),
    ("q", "k"),
    ("ye", "e"),  # -ayeva / -aeva, Yelena / Elena
    ("iy", "i"),  # Dmitriy / Dmitrii / Dmitri
    ("yo", "o"),
    ("w", "v"),
    ("ph", "f"),
)
_DOUBLED = re.compile(r"([a-z])\1+")


def name_key(text: str | None) -> str:
    """`text` folded for comparison: case, diacritics, Turkish ı/İ, apostrophes, Cyrillic,
    common transliteration variants, doubled letters. Words keep their order, space-separated."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text).replace("İ", "i").casefold()
    folded = _APOSTROPHES.sub("", folded).translate(_TABLE)
    folded = "".join(
        ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch)
    )
    folded = _SEPARATORS.sub(" ", folded)
    for before, after in _FOLDS:
        folded = folded.replace(before, after)
    return " ".join(_DOUBLED.sub(r"\1", folded).split())


@frozen_value
class PersonKey:
    """What two records of one person share: birth date and the folded names."""

    ref: str  # the caller's handle (an MRN)
    birth_date: str | None  # ISO
    family: str
    given: str


def person_key(
    ref: str, family_name: str | None, given_name: str | None, birth_date: str | None
) -> PersonKey:
    return PersonKey(ref, birth_date, name_key(family_name), name_key(given_name))


def likely_duplicate(a: PersonKey, b: PersonKey) -> bool:
    """Both born the same day (a birth date not recorded matches nothing) and named alike: the
    same folded family and given names, or the two swapped (typed in each other's box), or one
    given name not recorded."""
    if a.birth_date is None or a.birth_date != b.birth_date or not a.family or not b.family:
        return False
    if a.family == b.family:
        return a.given == b.given or not a.given or not b.given
    return bool(a.given) and a.family == b.given and a.given == b.family


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
