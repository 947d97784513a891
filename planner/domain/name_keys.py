"""Search keys for names and MRNs: what every spelling of one name, or typing of one MRN, shares.

The rows (and their sources) are data: resources/search/transliteration.toml, which also says
the order they apply in. A stored patient's keys (`patient_keys`) and a typed search
(`search_terms`) go through the same `words`, so "Каримова" finds Karimova, "yildiz" finds
Yıldız, "o'rinova" finds Oʻrinova, "musaeva" finds Musayeva, and back.

Standard library only, and quick to import: `planner search` loads this on every run.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from planner.domain.frozen_value import frozen_value

TABLE = Path(__file__).resolve().parents[2] / "resources" / "search" / "transliteration.toml"

# Combining marks Latin and Cyrillic letters decompose into (NFD): dropped after the table's
# letters are mapped (й and ў are mapped whole first). Marks of other scripts (Devanagari
# vowel signs) stay: they are part of the word.
_LATIN_MARKS = re.compile("[\u0300-\u036f]")
_TURKISH_I = str.maketrans({"İ": "i", "ı": "i"})


@frozen_value
class Rewrite:
    pattern: re.Pattern[str]
    replace: str


@frozen_value
class KeyRules:
    """The transliteration table, compiled."""

    letters: dict[int, str | None]  # str.translate table: apostrophes removed, letters mapped
    spellings: tuple[Rewrite, ...]
    alternatives: tuple[Rewrite, ...]
    unfinished_last_letter: frozenset[str]
    unfinished_trailing_run: frozenset[str]


class KeyTableError(ValueError):
    """The transliteration table is malformed (a program fault: the file ships with it)."""


def compile_rules(data: dict[str, object]) -> KeyRules:
    """The table's rows as KeyRules; refuses unknown keys and rows that are not what they say."""
    known = {
        "source",
        "apostrophes",
        "letters",
        "spelling",
        "alternative",
        "unfinished_last_letter",
        "unfinished_trailing_run",
    }
    if unknown := set(data) - known:
        raise KeyTableError(f"unknown keys {sorted(unknown)}")
    apostrophes = data["apostrophes"]
    letters = data["letters"]
    if not isinstance(apostrophes, list) or not isinstance(letters, dict):
        raise KeyTableError("apostrophes must be a list and letters a table")
    table: dict[int, str | None] = {}
    for mark in apostrophes:
        if not isinstance(mark, str) or len(mark) != 1:
            raise KeyTableError(f"apostrophe {mark!r} is not one character")
        table[ord(mark)] = None
    for letter, latin in letters.items():
        if len(letter) != 1 or not isinstance(latin, str) or not latin.isascii():
            raise KeyTableError(f"letter {letter!r} -> {latin!r}: one letter to ASCII expected")
        table[ord(letter)] = latin
    return KeyRules(
        letters=table,
        spellings=_rewrites(data.get("spelling", [])),
        alternatives=_rewrites(data.get("alternative", [])),
        unfinished_last_letter=frozenset(_letters(data, "unfinished_last_letter")),
        unfinished_trailing_run=frozenset(_letters(data, "unfinished_trailing_run")),
    )


def _rewrites(rows: object) -> tuple[Rewrite, ...]:
    if not isinstance(rows, list):
        raise KeyTableError("spelling and alternative rows must be arrays of tables")
    rewrites = []
    for row in rows:
        if not isinstance(row, dict) or set(row) != {"pattern", "replace", "why"}:
            raise KeyTableError(f"row {row!r}: pattern, replace and why expected")
        try:
            rewrites.append(Rewrite(re.compile(row["pattern"]), row["replace"]))
        except re.error as exc:
            raise KeyTableError(f"pattern {row['pattern']!r}: {exc}") from None
    return tuple(rewrites)


def _letters(data: dict[str, object], key: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and len(v) == 1 for v in value):
        raise KeyTableError(f"{key} must be a list of single letters")
    return value


@functools.cache
def rules() -> KeyRules:
    # imported here: the desktop program loads this module at start-up (the record's search
    # keys), and reads the table only when a name is first keyed (a search, a new patient)
    import tomllib

    with TABLE.open("rb") as handle:
        return compile_rules(tomllib.load(handle))


def words(text: str, key_rules: KeyRules | None = None, *, apart: bool = False) -> list[str]:
    """The text's words folded to Latin: case, Turkish i, apostrophes, Cyrillic, diacritics.
    `apart`: an apostrophe separates words (O'Brien: o, brien) instead of vanishing (obrien)."""
    key_rules = key_rules or rules()
    text = unicodedata.normalize("NFC", text).translate(_TURKISH_I).casefold()
    text = unicodedata.normalize("NFC", text)
    if apart:
        text = text.translate({k: " " for k, v in key_rules.letters.items() if v is None})
    text = text.translate(key_rules.letters)
    text = unicodedata.normalize("NFC", _LATIN_MARKS.sub("", unicodedata.normalize("NFD", text)))
    # A word is letters, digits and the marks that belong to them (Devanagari vowel signs are
    # marks, not separators); anything else separates.
    kept = (ch if ch.isalnum() or unicodedata.category(ch)[0] == "M" else " " for ch in text)
    return "".join(kept).split()


def spelled(word: str, key_rules: KeyRules | None = None) -> str:
    """One folded word with the table's spelling rows applied (its key)."""
    for rewrite in (key_rules or rules()).spellings:
        word = rewrite.pattern.sub(rewrite.replace, word)
    return word


def word_keys(word: str, key_rules: KeyRules | None = None) -> tuple[str, ...]:
    """A folded word's key, then the keys of its alternative spellings (no repeats)."""
    key_rules = key_rules or rules()
    keys = [spelled(word, key_rules)]
    for rewrite in key_rules.alternatives:
        other = spelled(rewrite.pattern.sub(rewrite.replace, word), key_rules)
        if other not in keys:
            keys.append(other)
    return tuple(keys)


def name_key(*names: str | None) -> str:
    """The stored search key of a patient's names: every word's keys, space-separated. A word
    with an apostrophe is also stored in its parts, so "brien" finds O'Brien (a search keeps
    the word whole: "o'rinova" finds Orinova)."""
    keys: list[str] = []
    for name in names:
        for word in [*words(name or ""), *words(name or "", apart=True)]:
            keys.extend(k for k in word_keys(word) if k not in keys)
    return " ".join(keys)


def search_terms(text: str) -> list[tuple[str, ...]]:
    """Each word of a typed search as the key prefixes any of which it may match, its unfinished
    ending taken off (see the table)."""
    key_rules = rules()
    terms = []
    for word in words(text, key_rules):
        trimmed = _unfinished_trimmed(word, key_rules)
        prefixes = tuple(dict.fromkeys(word_keys(trimmed, key_rules)))
        terms.append(prefixes)
    return terms


def _unfinished_trimmed(word: str, key_rules: KeyRules) -> str:
    if word[-1] in key_rules.unfinished_last_letter:
        trimmed = word[:-1]
    else:
        trimmed = word.rstrip("".join(key_rules.unfinished_trailing_run))
    return trimmed or word


def keys_row(
    patient_id: int, family_name: str, given_name: str | None, mrn: str
) -> tuple[int, str, str]:
    """A patient's row of `patient_keys`: (patient_id, name_key, mrn_key). The name key holds
    the MRN's words too, so a short MRN (A-1, too short for the MRN index's trigrams) or an
    MRN typed in parts ("tas 1 000123") is found like a name."""
    return patient_id, name_key(family_name, given_name, mrn), mrn_key(mrn)


def mrn_key(text: str) -> str:
    """An MRN's letters and digits, lower case: TAS-1-000123, tas 1 000123 and TAS1000123 agree."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())
