"""Patients as a table model: the whole list, filled lazily in pages as the view scrolls, or the
rows of a search. Both are the same rows (services: `patients_page`, `search`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QColor

from planner.domain.dates import DEFAULT_DATE_FORMAT, show_date
from planner.domain.stored import PatientSummary
from planner.ui.item_roles import Alignment, ItemRole

PAGE = 200
Index = QModelIndex | QPersistentModelIndex
#: the columns: "alert" is the critical-alert flag, the others are PatientSummary fields
KEYS = (
    "alert",
    "mrn",
    "family_name",
    "given_name",
    "birth_date",
    "assessments",
    "last_assessed_on",
    "review_due_on",
)
COUNT_COLUMN = KEYS.index("assessments")
REVIEW_COLUMN = KEYS.index("review_due_on")
#: the list's orders (services: PatientRecord.patients_page) by the column that shows them
ORDER_OF_COLUMN = {
    KEYS.index("family_name"): "name",
    KEYS.index("given_name"): "name",
    KEYS.index("last_assessed_on"): "last_assessed",
    REVIEW_COLUMN: "review_due",
}
DATE_KEYS = frozenset({"birth_date", "last_assessed_on"})
FetchPage = Callable[[int, int], list[PatientSummary]]
#: an unfinished assessment of the patient, in the alert column beside (or instead of) the alert
DRAFT_WORDS = "✎ unfinished"
DRAFT_TIP = "An assessment of this patient was started and not finished: resume it (File menu)."
# Qt.ItemDataRole / Qt.AlignmentFlag by name without the `Qt` namespace (planner.ui.item_roles)
ALIGN_RIGHT_VCENTER = int(Alignment.RIGHT | Alignment.VCENTER)
#: the flag of a patient with an unacknowledged critical alert: words, not only a colour
ALERT_WORDS = "⚠ CRITICAL"
ALERT_TIP = (
    "A critical alert of this patient's plan is not yet acknowledged: open the record to read "
    "it and acknowledge it by name."
)


class PatientTableModel(QAbstractTableModel):
    """Columns: critical alert, MRN, family name, given name, birth date, assessments, last
    assessed. Dates are shown in the clinic's `date_format`; the alert column says "⚠ CRITICAL"
    for the MRNs given to `set_alerts` (those with an unacknowledged critical alert).

    No headerData(): Qt would hand it a Qt.Orientation, which builds PySide6's whole `Qt`
    namespace at start-up (~30 ms). The view's header shows `header_titles()` from a small C++
    model instead (MainWindow._header_titles).

    `fetch_page(limit, offset)` and `total`: rows arrive a page at a time (`fetchMore`);
    `PatientTableModel.of_rows(rows)`: a fixed set (search results), replaced by `set_rows`.
    """

    def __init__(
        self,
        fetch_page: FetchPage | None = None,
        total: int = 0,
        date_format: str = DEFAULT_DATE_FORMAT,
    ) -> None:
        super().__init__()
        self._date_format = date_format
        self._alerts: frozenset[str] = frozenset()
        self._fetch_page = fetch_page
        self._total = total if fetch_page is not None else 0
        self._rows: list[PatientSummary] = []
        # Views and the model tester may ask for more from inside beginInsertRows; a second
        # fetch at the same offset would duplicate a page.
        self._fetching = False
        self._headers = (
            self.tr("Alert"),
            self.tr("MRN"),
            self.tr("Family name"),
            self.tr("Given name"),
            self.tr("Born"),
            self.tr("Assessments"),
            self.tr("Last assessed"),
            self.tr("Next review"),
        )
        self._today = dt.date.today()
        # The first page is read at once so the list is never blank while the view settles.
        self.fetchMore(QModelIndex())

    @classmethod
    def of_rows(
        cls, rows: list[PatientSummary], date_format: str = DEFAULT_DATE_FORMAT
    ) -> PatientTableModel:
        model = cls(date_format=date_format)
        model._rows = list(rows)
        return model

    def set_date_format(self, date_format: str) -> None:
        if date_format != self._date_format:
            self.beginResetModel()
            self._date_format = date_format
            self.endResetModel()

    def set_alerts(self, mrns: frozenset[str]) -> None:
        """Flag these patients (an unacknowledged critical alert); the others lose the flag."""
        if mrns == self._alerts:
            return
        self._alerts = frozenset(mrns)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def has_alert(self, row: int) -> bool:
        return self.mrn_at(row) in self._alerts

    def set_rows(self, rows: list[PatientSummary]) -> None:
        self.beginResetModel()
        self._fetch_page, self._total = None, 0
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(KEYS)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._fetching and len(self._rows) < self._total

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid() or self._fetching or self._fetch_page is None:
            return
        self._fetching = True
        try:
            page = self._fetch_page(PAGE, len(self._rows))
            if not page:
                self._total = len(self._rows)
                return
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()
        finally:
            self._fetching = False

    def data(self, index: Index, role: int = ItemRole.DISPLAY) -> object:
        if role == ItemRole.TEXT_ALIGNMENT and index.column() == COUNT_COLUMN:
            return ALIGN_RIGHT_VCENTER
        if not index.isValid():
            return None
        key = KEYS[index.column()]
        if key == "alert":
            return self._alert_data(index.row(), role)
        if role not in (ItemRole.DISPLAY, ItemRole.ACCESSIBLE_TEXT):
            return None
        value = getattr(self._rows[index.row()], key)
        if key == "review_due_on":
            return self.review_words(value)
        if value is None:
            return ""
        return show_date(str(value), self._date_format) if key in DATE_KEYS else str(value)

    def review_words(self, due_on: object) -> str:
        """The next review in words as well as a date: "OVERDUE since …", "TODAY", the date,
        or "none set" (a plan without a review date, or no plan yet)."""
        if not due_on:
            return self.tr("none set")
        try:
            due = dt.date.fromisoformat(str(due_on))
        except ValueError:
            return str(due_on)
        shown = show_date(due, self._date_format)
        if due < self._today:
            return self.tr("OVERDUE since {date}").format(date=shown)
        if due == self._today:
            return self.tr("TODAY")
        return shown

    def _alert_data(self, row: int, role: int) -> object:
        draft = bool(self._rows[row].drafts)
        if not self.has_alert(row):
            if role in (ItemRole.DISPLAY, ItemRole.ACCESSIBLE_TEXT):
                return self.tr(DRAFT_WORDS) if draft else ""
            return self.tr(DRAFT_TIP) if draft and role == ItemRole.TOOLTIP else None
        if role == ItemRole.DISPLAY:
            return self.tr(ALERT_WORDS) + (" · " + self.tr(DRAFT_WORDS) if draft else "")
        if role in (ItemRole.TOOLTIP, ItemRole.ACCESSIBLE_TEXT):
            return self.tr(ALERT_TIP) + (" " + self.tr(DRAFT_TIP) if draft else "")
        if role == ItemRole.BACKGROUND:
            return QColor("#b00020")
        if role == ItemRole.FOREGROUND:
            return QColor("white")
        return None

    def header_title(self, section: int) -> str | None:
        return self._headers[section] if 0 <= section < len(self._headers) else None

    def header_titles(self) -> tuple[str, ...]:
        return self._headers

    def row_at(self, row: int) -> PatientSummary:
        return self._rows[row]

    def mrn_at(self, row: int) -> str:
        return self._rows[row].mrn
