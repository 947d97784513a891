"""A number as a nurse types it from a report: a comma is a decimal mark ("54,5") or digit
grouping ("3,200", Indian "1,80,000"), and where it could be either the program asks, never
guesses (walk24 HARM 3: "3,200" neutrophils were read as 3.2 and ALP "1,250" as 1.25).

Read here, once, for every number field of the form (`read_typed_number`) and named in words by
the validator when a text could not be read as one number (`comma_doubt`)."""

from __future__ import annotations

import re

#: one comma, no point, exactly three digits after it and a first group that grouping allows
#: ("3,200", "1,250", "100,000"): a thousands separator or a decimal mark, the text cannot say
_AMBIGUOUS = re.compile(r"^[1-9]\d{0,2},\d{3}$")
#: digit grouping that a decimal comma cannot be: more than one comma ("1,800,000"), or a
#: comma before a decimal point ("3,200.5"), in Western (3-digit) or Indian (2-then-3) groups
_WESTERN = re.compile(r"^[1-9]\d{0,2}(,\d{3})+(\.\d+)?$")
_INDIAN = re.compile(r"^[1-9]\d?(,\d{2})+,\d{3}(\.\d+)?$")


def read_typed_number(text: str) -> int | float | str | None:
    """ "" -> None; "7" -> 7; "54,5" -> 54.5; "1,80,000" and "1,800,000" -> 180000 and
    1800000 (grouping, since a decimal mark comes once); "3,200" is returned as typed, as is
    anything else that is not one number (the validator names it: `comma_doubt`)."""
    text = text.strip()
    if not text:
        return None
    compact = text.replace(" ", "")
    if _AMBIGUOUS.match(compact):
        return text
    if _WESTERN.match(compact) or _INDIAN.match(compact):
        candidate = compact.replace(",", "")
    else:
        candidate = compact.replace(",", ".")
    try:
        return int(candidate)
    except ValueError:
        pass
    try:
        return float(candidate)
    except ValueError:
        return text


def comma_doubt(raw: object) -> str | None:
    """Why a typed text with one comma and three digits after it was not read: it could be
    either of two numbers a thousand-fold apart ("3,200": 3200 or 3.2). None for any other."""
    if not isinstance(raw, str) or not _AMBIGUOUS.match(raw.strip().replace(" ", "")):
        return None
    compact = raw.strip().replace(" ", "")
    grouped, decimal = compact.replace(",", ""), compact.replace(",", ".")
    return (
        f"the comma in {compact!r} could group thousands ({grouped}) or be a decimal mark "
        f"({decimal}): type {grouped} or {decimal}, without the comma"
    )
