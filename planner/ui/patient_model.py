"""Patients as a lazily filled table model: rows arrive from the record in pages as the view scrolls."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from planner.domain.case import Patient

PAGE = 200
Index = QModelIndex | QPersistentModelIndex


class PatientTableModel(QAbstractTableModel):
    """Columns: MRN, family name, given name, birth date, sex."""

    def __init__(self, fetch_page: Callable[[int, int], list[Patient]], total: int) -> None:
        super().__init__()
        self._fetch_page = fetch_page
        self._total = total
        self._rows: list[Patient] = []
        # Views and the model tester may ask for more from inside beginInsertRows; a second
        # fetch at the same offset would duplicate a page.
        self._fetching = False
        self._headers = (
            self.tr("MRN"),
            self.tr("Family name"),
            self.tr("Given name"),
            self.tr("Born"),
            self.tr("Sex"),
        )
        # The first page is read at once so the list is never blank while the view settles.
        self.fetchMore(QModelIndex())

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._fetching and len(self._rows) < self._total

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid() or self._fetching:
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

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        patient = self._rows[index.row()]
        column = index.column()
        if column == 0:
            return patient.mrn
        if column == 1:
            return patient.family_name
        if column == 2:
            return patient.given_name or ""
        if column == 3:
            return patient.birth_date.isoformat() if patient.birth_date else ""
        if column == 4:
            return {"female": self.tr("female"), "male": self.tr("male")}.get(patient.sex or "", "")
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._headers)
        ):
            return self._headers[section]
        return None

    def patient_at(self, row: int) -> Patient:
        return self._rows[row]
