"""Dates as nurses type them (issue 16): day first with / . or -, ISO, or a month alone."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain.dates import parse_date, show_date


@pytest.mark.parametrize(
    ("typed", "date"),
    [
        ("14/03/1968", dt.date(1968, 3, 14)),
        ("14.03.1968", dt.date(1968, 3, 14)),
        ("4.3.1968", dt.date(1968, 3, 4)),
        ("03/04/2026", dt.date(2026, 4, 3)),  # always day first: 3 April
        ("1968-03-14", dt.date(1968, 3, 14)),
        (" 14 / 03 / 1968 ", dt.date(1968, 3, 14)),
    ],
)
def test_whole_dates(typed, date):
    parsed = parse_date(typed)
    assert parsed is not None
    assert parsed.date == date
    assert parsed.note is None


@pytest.mark.parametrize("typed", ["03/2024", "03.2024", "2024-03"])
def test_a_month_alone_is_the_first_and_says_so(typed):
    parsed = parse_date(typed)
    assert parsed is not None
    assert parsed.date == dt.date(2024, 3, 1)
    assert parsed.note is not None
    assert "month" in parsed.note


@pytest.mark.parametrize("typed", ["31/02/2026", "13/13/2026", "2026", "yesterday", "14/03/68", ""])
def test_not_dates(typed):
    assert parse_date(typed) is None


def test_shown_in_the_clinic_format():
    day = dt.date(2026, 12, 31)
    assert show_date(day, "dd/mm/yyyy") == "31/12/2026"
    assert show_date(day, "dd.mm.yyyy") == "31.12.2026"
    assert show_date("2026-12-31", "iso") == "2026-12-31"
    assert show_date(None) == ""
    assert show_date("not a date") == "not a date"
