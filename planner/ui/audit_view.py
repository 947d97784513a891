"""The record's audit log for one patient, read-only (issue 20 item 3: "a typo ... corrected
with a reason and shows in the audit"): a table of when, who, what and why — corrections with
their reason, decisions, merges — from services.record_audit. A tab of her record; reached by
keyboard (its Alt-letter, then Tab into the table and the arrow keys)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.domain.dates import DEFAULT_DATE_FORMAT, show_date_time
from planner.domain.problems import InputInvalid
from planner.services import patient_record, record_audit

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("When", "Who", "What", "Why")


class AuditTableModel(QAbstractTableModel):
    """Her audit lines, oldest first; nothing in it can be edited."""

    def __init__(
        self,
        lines: Sequence[record_audit.AuditLine] = (),
        date_format: str = DEFAULT_DATE_FORMAT,
    ) -> None:
        super().__init__()
        self.lines = list(lines)
        self._date_format = date_format

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        line = self.lines[index.row()]
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            column = index.column()
            if column == 0:
                return show_date_time(line.at, self._date_format)
            return (line.who, line.what, line.why or "—")[column - 1]
        return None


class AuditView(QWidget):
    """Her audit log; loaded when asked (`show_patient`), not on every selection."""

    def __init__(self, record: patient_record.PatientRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._record = record
        self.mrn: str | None = None
        self.note = QLabel(
            self.tr(
                "Every change to her record, as the audit log keeps it (read-only): "
                "corrections with their reason, decisions, merges."
            )
        )
        self.note.setWordWrap(True)
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Audit log"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.model = AuditTableModel()
        self.table.setModel(self.model)
        # When and Who as wide as they are; What and Why share the rest and wrap, so Why is
        # in view without scrolling (walk 21 F7: it was off-screen at 1366 px)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in (2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)

    def show_patient(self, mrn: str | None, date_format: str = DEFAULT_DATE_FORMAT) -> None:
        self.mrn = mrn
        try:
            lines = record_audit.patient_audit(self._record, mrn) if mrn else []
        except InputInvalid:
            lines = []
        self.model = AuditTableModel(lines, date_format)
        self.table.setModel(self.model)
        if lines:
            self.table.selectRow(len(lines) - 1)  # the latest change first in view
            self.table.scrollToBottom()
