"""Today's work's "Change review date…": a new next-review date for one patient, with the reason
(kept in the audit log)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from planner.domain.problems import InputInvalid
from planner.services.patient_record import PatientRecord


class ReviewDateDialog(QDialog):
    """A new next-review date for one patient, with the reason (kept in the audit log)."""

    def __init__(self, record: PatientRecord, mrn: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._record = record
        self.mrn = mrn
        self.setWindowTitle(self.tr("Change review date — {mrn}").format(mrn=mrn))
        form = QFormLayout(self)
        self.due_on = QLineEdit()
        self.due_on.setPlaceholderText(self.tr("DD/MM/YYYY"))
        self.due_on.setAccessibleName(self.tr("New review date"))
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("Why the review date changes"))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        form.addRow(self.tr("New review &date"), self.due_on)
        form.addRow(self.tr("&Why"), self.reason)
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def save(self) -> None:
        try:
            self._record.set_review_date(self.mrn, self.due_on.text(), self.reason.text())
        except InputInvalid as exc:
            names = {"review_due_on": self.tr("Review date"), "reason": self.tr("Why")}
            self.error.setText(
                "\n".join(f"{names.get(p.path, p.path)}: {p.message}" for p in exc.problems)
            )
            self.error.show()
            return
        self.accept()
