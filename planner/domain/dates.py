"""Dates as nurses type them, and as the clinic wants them shown.

Accepted: DD/MM/YYYY, DD.MM.YYYY (day first, as on reports in Uzbekistan, India and Europe) and
YYYY-MM-DD (the case document's own form). Month-first US dates are not accepted: 03/04/2026
is always 3 April. A month alone (MM/YYYY, MM.YYYY, YYYY-MM) is understood as the 1st of that
month and says so (`ParsedDate.note`), because prior-therapy start and end dates are often known
only to the month; the day is then not clinical information (docs/decisions.md).
"""

from __future__ import annotations

import datetime as dt
import re

from planner.domain.frozen_value import frozen_value

#: the clinic setting `date_format`: how dates are shown (any accepted form can be typed)
DATE_FORMATS = {"dd/mm/yyyy": "%d/%m/%Y", "dd.mm.yyyy": "%d.%m.%Y", "iso": "%Y-%m-%d"}
DEFAULT_DATE_FORMAT = "dd/mm/yyyy"

_DAY_FIRST = re.compile(r"^(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH_FIRST_YEAR_LAST = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@frozen_value
class ParsedDate:
    """A typed date understood: the date, and a note when part of it was assumed."""

    date: dt.date
    note: str | None


def parse_date(text: str) -> ParsedDate | None:
    """The date `text` means, or None when it is not a date in an accepted form (the validator
    then names the field and the forms)."""
    text = text.strip()
    day_first = _DAY_FIRST.match(text)
    if day_first:
        return _made(int(day_first[4]), int(day_first[3]), int(day_first[1]))
    iso = _ISO.match(text)
    if iso:
        return _made(int(iso[1]), int(iso[2]), int(iso[3]))
    month = _MONTH_FIRST_YEAR_LAST.match(text) or _YEAR_MONTH.match(text)
    if month:
        if month.re is _YEAR_MONTH:
            year, month_number = int(month[1]), int(month[2])
        else:
            year, month_number = int(month[2]), int(month[1])
        parsed = _made(year, month_number, 1)
        if parsed is None:
            return None
        return ParsedDate(parsed.date, "only the month was typed: taken as the 1st")
    return None


def show_date(date: dt.date | str | None, date_format: str = DEFAULT_DATE_FORMAT) -> str:
    """A date in the clinic's format ("" for none; text that is not an ISO date as it is)."""
    if date is None:
        return ""
    if isinstance(date, str):
        text = date
        try:
            date = dt.date.fromisoformat(text)
        except ValueError:
            return text
    return date.strftime(DATE_FORMATS.get(date_format, DATE_FORMATS[DEFAULT_DATE_FORMAT]))


def show_date_time(stamp: dt.datetime | str | None, date_format: str = DEFAULT_DATE_FORMAT) -> str:
    """A moment in the clinic's date format and 24-hour time ("06/12/2026 22:50"), never the
    ISO form with its "T" (the resume prompt showed "2026-12-06T22:50"). A stamp with a time
    zone (the record's UTC stamps) is shown in the computer's local time; "" for none; text that
    is not an ISO moment as it is."""
    if stamp is None or stamp == "":
        return ""
    if isinstance(stamp, str):
        text = stamp
        try:
            stamp = dt.datetime.fromisoformat(text)
        except ValueError:
            return text
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone()
    return f"{show_date(stamp.date(), date_format)} {stamp:%H:%M}"


def _made(year: int, month: int, day: int) -> ParsedDate | None:
    try:
        return ParsedDate(dt.date(year, month, day), None)
    except ValueError:
        return None
