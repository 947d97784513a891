"""New patient: the minimum to open a record entry, checked by the same validator as a case."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from planner.domain.problems import InputInvalid
from planner.services.patient_record import PatientRecord
from planner.ui.wizard.fields import DateEdit


class NewPatientDialog(QDialog):
    """Asks for MRN, names, birth date and sex; shows each problem beside its field."""

    def __init__(self, record: PatientRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New patient"))
        self._record = record
        self._near_duplicate_shown: object = None  # the MRN whose near-duplicate was said
        self.mrn = QLineEdit()
        self.family_name = QLineEdit()
        self.given_name = QLineEdit()
        # the wizard's own date field: the same forms accepted (14/03/1968, 14.03.1968,
        # 1968-03-14, a month alone) by the one parser, and shown in the clinic's format
        self.birth_date = DateEdit()
        self.sex = QComboBox()
        self.sex.addItem(self.tr("not recorded"), None)
        self.sex.addItem(self.tr("female"), "female")
        self.sex.addItem(self.tr("male"), "male")
        self._errors: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, label, widget in (
            ("mrn", self.tr("&MRN"), self.mrn),
            ("family_name", self.tr("&Family name"), self.family_name),
            ("given_name", self.tr("&Given name"), self.given_name),
            ("birth_date", self.tr("&Birth date"), self.birth_date),
            ("sex", self.tr("&Sex"), self.sex),
        ):
            widget.setAccessibleName(label.replace("&", ""))
            error = QLabel()
            error.setObjectName(f"error_{key}")
            error.setStyleSheet("color: #b00020;")
            error.setWordWrap(True)
            error.hide()
            self._errors[key] = error
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(widget)
            if widget is self.birth_date:
                column.addWidget(self.birth_date.note_label)
            column.addWidget(error)
            form.addRow(label, column)
            caption = form.labelForField(column)
            if isinstance(caption, QLabel):
                caption.setBuddy(widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        # the dialog grows to fit a message shown beside a field instead of clipping it
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> dict[str, object]:
        # A blank box means "not given", so a required field says "is required", not "is empty".
        return {
            "mrn": self.mrn.text().strip() or None,
            "family_name": self.family_name.text().strip() or None,
            "given_name": self.given_name.text().strip() or None,
            "birth_date": self.birth_date.json_value(),
            "sex": self.sex.currentData(),
        }

    def save(self) -> None:
        for label in self._errors.values():
            label.hide()
        values = self.values()
        try:
            # A near-duplicate MRN is said once; saving the same MRN again registers her.
            self._record.add_patient(
                values,
                near_duplicate_confirmed=values["mrn"] is not None
                and values["mrn"] == self._near_duplicate_shown,
            )
        except InputInvalid as exc:
            if any("is close to" in p.message for p in exc.problems):
                self._near_duplicate_shown = values["mrn"]
            for problem in exc.problems:
                key = problem.path.split(".", 1)[-1]
                label = self._errors.get(key)
                if label is not None:
                    label.setText(problem.message)
                    label.show()
            self.adjustSize()  # the messages wrap; the dialog takes the height they need
            return
        self.accept()
