"""A case document's text, read before any field is (contract §2): strict JSON (no NaN or
Infinity, no duplicate keys, no integer of too many digits, no document too large) and every
text in Unicode NFC, with invisible and text-direction characters refused, each naming its
field. Every door reads a document through here before `validation.validate_case`.
"""

from __future__ import annotations

import json
from typing import Any

from planner.domain.json_checks import join_path
from planner.domain.problems import InputInvalid, Problem

#: a case file is a few kilobytes; anything this large is not one (and would take minutes)
MAX_DOCUMENT_BYTES = 5_000_000


#: digits allowed in a JSON integer (Python refuses over 4,300; no field needs more than 12)
MAX_INTEGER_DIGITS = 30


class _TooLong(str):
    """An integer literal with too many digits, kept as its text until its field is named."""


def parse_json(text: str | bytes, source: str = "(document)") -> Any:
    """Parse JSON strictly: NaN/Infinity, numbers too large to be finite, integers of more than
    MAX_INTEGER_DIGITS digits, unpaired surrogates and duplicate keys are refused, each with
    the path of its field; documents over MAX_DOCUMENT_BYTES are refused unread."""
    if len(text) > MAX_DOCUMENT_BYTES:
        raise InputInvalid(
            (
                Problem(
                    source,
                    f"is {len(text) / 1e6:.1f} MB: too large for a case document (at most "
                    f"{MAX_DOCUMENT_BYTES / 1e6:.0f} MB)",
                ),
            )
        )

    def no_constants(name: str) -> Any:
        raise InputInvalid((Problem(source, f"{name} is not allowed in JSON"),))

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise InputInvalid(
                    (Problem(source, f'key "{_printable(key)}" appears twice in one object'),)
                )
            out[key] = value
        return out

    def integer(digits: str) -> Any:
        return _TooLong(digits) if len(digits.lstrip("-")) > MAX_INTEGER_DIGITS else int(digits)

    try:
        parsed = json.loads(
            text, parse_constant=no_constants, object_pairs_hook=no_duplicates, parse_int=integer
        )
    except json.JSONDecodeError as exc:
        raise InputInvalid(
            (
                Problem(
                    source, f"is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
                ),
            )
        ) from None
    except UnicodeDecodeError:
        raise InputInvalid((Problem(source, "is not UTF-8 text"),)) from None
    except RecursionError:
        raise InputInvalid((Problem(source, "is nested too deeply"),)) from None
    return normalise_document(parsed)


#: invisible characters that only hide what a name really is (a name with one displays
#: normally and cannot be found): zero-width space, word joiner, BOM, soft hyphen, Mongolian
#: vowel separator
INVISIBLE = frozenset("\u200b\u2060\ufeff\u00ad\u180e")


#: text-direction controls (left-to-right/right-to-left marks, embeddings, overrides, isolates)
BIDI_CONTROLS = frozenset(
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


#: zero-width (non-)joiners are kept between letters of scripts that need them (Devanagari,
#: Arabic/Persian), refused elsewhere
JOINERS = frozenset("\u200c\u200d")


def normalise_document(raw: Any, path: str = "") -> Any:
    """The document with every text in Unicode NFC (how names are compared and searched); or
    InputInvalid naming each field that holds a number too large to be finite, an integer of
    too many digits, an unpaired surrogate, or an invisible or text-direction character.
    Pure: the input is not changed."""
    import math
    import unicodedata

    problems: list[Problem] = []

    def text(value: str, where: str) -> str:
        where = where or "(document)"  # a bare string as the whole document still names a place
        for index, char in enumerate(value):
            code = ord(char)
            if 0xD800 <= code <= 0xDFFF:
                problems.append(
                    Problem(where, f"holds an unpaired surrogate (U+{code:04X}): not valid text")
                )
                return value
            if (
                char in INVISIBLE
                or char in BIDI_CONTROLS
                or (char in JOINERS and not _between_letters(value, index))
            ):
                kind = "text-direction" if char in BIDI_CONTROLS else "invisible"
                name = unicodedata.name(char, f"U+{code:04X}")
                problems.append(
                    Problem(
                        where,
                        f"holds an {kind} character (U+{code:04X} {name}) at position "
                        f"{index + 1}: it hides what the text says; type it again without it",
                    )
                )
                return value
        return unicodedata.normalize("NFC", value)

    def walk(value: Any, where: str) -> Any:
        if isinstance(value, _TooLong):
            problems.append(
                Problem(where, f"is a number of {len(value)} digits: too long to be a value")
            )
            return None
        if isinstance(value, str):
            return text(value, where)
        if isinstance(value, float) and not math.isfinite(value):
            problems.append(Problem(where, "is not a finite number (too large, or not a number)"))
            return value
        if isinstance(value, dict):
            return {
                text(str(key), join_path(where, _printable(str(key)))): walk(
                    item, join_path(where, _printable(str(key)))
                )
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [walk(item, f"{where}[{i}]") for i, item in enumerate(value)]
        return value

    cleaned = walk(raw, path)
    if problems:
        from planner.domain.json_checks import capped

        raise InputInvalid(capped(tuple(problems), path or "(document)"))
    return cleaned


def _between_letters(value: str, index: int) -> bool:
    """Whether the character at `index` stands between letters (or their marks, a virama) of
    a script beyond Latin."""
    import unicodedata

    if index == 0 or index + 1 >= len(value):
        return False
    return all(
        ord(ch) > 0x024F and unicodedata.category(ch)[0] in "LM"
        for ch in (value[index - 1], value[index + 1])
    )


def _printable(text: str) -> str:
    """Text safe to print in a message (unpaired surrogates escaped)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
