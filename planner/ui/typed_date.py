"""A date the nurse types, for the course window: the wizard's date field (DD/MM/YYYY,
DD.MM.YYYY or YYYY-MM-DD, `planner.domain.dates`), shown in the clinic's format.

Qt's date box jumped from section to section as the digits came: 07/12/2026 typed the natural
way became 07/07/2026, the month never typed keeping the current one (walk 21 H6). Typed text is
read whole; text that is no date is no date (`day()` None), never a guess. A month alone, which
the wizard accepts for a prior therapy, is not a day a cycle was given on.

`date()`/`setDate()` take Qt dates, as the date box did, for the window's callers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QWidget

from planner.domain.dates import DEFAULT_DATE_FORMAT, parse_date, show_date
from planner.ui.qt_dates import pydate, qdate
from planner.ui.wizard.fields import DateEdit

#: what a date that cannot be read is told in words (the forms the field reads)
NOT_A_DATE = "is not a date: type it as DD/MM/YYYY (or DD.MM.YYYY, YYYY-MM-DD)"


class TypedDateEdit(DateEdit):
    """One typed date; `dateChanged` whenever the text changes (a date or not)."""

    dateChanged = Signal()

    def __init__(self, day: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.textChanged.connect(lambda _text: self.dateChanged.emit())
        self.setDate(qdate(day))

    def set_date_format(self, date_format: str) -> None:
        """Show dates as the clinic prints them (the `date_format` setting)."""
        day = self.day()
        self.shown_as = date_format or DEFAULT_DATE_FORMAT
        self.setPlaceholderText(self.shown_as.upper().replace("ISO", "YYYY-MM-DD"))
        if day is not None:
            self.setText(show_date(day, self.shown_as))

    def day(self) -> dt.date | None:
        """The date typed; None for text that is no whole date."""
        parsed = parse_date(self.text())
        if parsed is None or parsed.note:
            return None
        return parsed.date

    def date(self) -> QDate:
        day = self.day()
        return QDate() if day is None else qdate(day)

    def setDate(self, value: QDate) -> None:
        self.setText(show_date(pydate(value), self.shown_as) if value.isValid() else "")

    def json_value(self) -> Any:
        day = self.day()
        return self.text().strip() or None if day is None else day.isoformat()
