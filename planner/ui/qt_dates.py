"""Dates between Python and Qt's date boxes, and the clinic's `date_format` setting as a Qt display
format (the date boxes show a date as the clinic prints it)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate

#: the clinic's `date_format` setting as a Qt display format (the date boxes show what it prints)
QT_DATE_FORMATS = {"dd/mm/yyyy": "dd/MM/yyyy", "dd.mm.yyyy": "dd.MM.yyyy", "iso": "yyyy-MM-dd"}


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())
