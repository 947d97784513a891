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

from planner.domain.dates import DEFAULT_DATE_FORMAT, show_date
from planner.domain.problems import InputInvalid
from planner.services import record_corrections
from planner.services.patient_record import PatientRecord
from planner.ui.wizard.fields import DateEdit


class NewPatientDialog(QDialog):
    """Asks for MRN, names, birth date and sex; shows each problem beside its field."""

    def __init__(self, record: PatientRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New patient"))
        self._record = record
        self._near_duplicate_shown: object = None  # the MRN whose near-duplicate was said
        self._likely_same_shown: object = None  # the details whose likely duplicates were said
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
            ("sex", self.tr("Se&x"), self.sex),  # Alt+S is Save (walk 21 F9)
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
        # Likely the same woman already in the record (same birth date, the name however it was
        # spelt): said once, above the buttons; saving the same details again registers her.
        self.likely_same = QLabel()
        self.likely_same.setObjectName("likely_same")
        self.likely_same.setAccessibleName(self.tr("Likely already in the record"))
        self.likely_same.setStyleSheet("color: #8a4b00;")
        self.likely_same.setWordWrap(True)
        self.likely_same.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        # its own Alt+S on every desktop (Qt's text has none on some)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("&Save"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        # the dialog grows to fit a message shown beside a field instead of clipping it
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(form)
        layout.addWidget(self.likely_same)
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

    def _said_likely_duplicates(self, values: dict[str, object]) -> bool:
        """Say (once for these details) which listed patients she is likely to be; True when
        something was said and the save should wait for the nurse to look."""
        details = (values["family_name"], values["given_name"], values["birth_date"])
        if details == self._likely_same_shown:
            return False
        found = record_corrections.likely_duplicates_of(
            self._record,
            values["family_name"] if isinstance(values["family_name"], str) else None,
            values["given_name"] if isinstance(values["given_name"], str) else None,
            values["birth_date"] if isinstance(values["birth_date"], str) else None,
        )
        self.likely_same.setVisible(bool(found))
        if not found:
            return False
        self._likely_same_shown = details
        date_format = str(self._record.clinic_settings().get("date_format") or DEFAULT_DATE_FORMAT)
        lines = "; ".join(
            f"{p.name} ({p.mrn}, born {show_date(p.birth_date, date_format)})" for p in found[:5]
        )
        self.likely_same.setText(
            self.tr(
                "She may already be in the record: {lines}. Same birth date and the same name "
                "spelt another way. If she is, cancel and open her record; if not, Save again "
                "to register her."
            ).format(lines=lines)
        )
        return True

    def save(self) -> None:
        for shown in self._errors.values():
            shown.hide()
        values = self.values()
        if self._said_likely_duplicates(values):
            self.adjustSize()
            return
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
