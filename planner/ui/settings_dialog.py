"""Clinic settings: one dialog, saved in the record (every plan records the settings it used)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from planner import services
from planner.ui.geometry import fit_to_screen
from planner.ui.wizard.fields import NumberEdit, message_label

ULN_LABS = ("bilirubin", "ast", "alt", "alp", "ggt")
UNIT_LABS = ("bilirubin", "albumin", "creatinine", "hemoglobin")
UNIT_WORDS = {"umol/L": "µmol/L"}


class ClinicSettingsDialog(QDialog):
    def __init__(self, record: services.PatientRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Clinic settings"))
        self._record = record
        self.stored = {**services.CLINIC_SETTING_DEFAULTS, **record.clinic_settings()}
        labs = services.case_limits().labs
        self.messages: dict[str, QLabel] = {}
        body = QWidget()
        column = QVBoxLayout(body)

        clinic = self._form(column, self.tr("Clinic (printed on the plan and referral slips)"))
        self.clinic_name = self._row(clinic, "clinic_name", self.tr("Clinic &name"), QLineEdit())
        self.clinic_phone = self._row(clinic, "clinic_phone", self.tr("&Phone"), QLineEdit())
        self.out_of_hours = self._row(
            clinic, "clinic_out_of_hours_phone", self.tr("&Out-of-hours phone"), QLineEdit()
        )

        rules = self._form(column, self.tr("Rules"))
        self.labels = self._row(rules, "labels", self.tr("&Label set"), QComboBox())
        self.labels.addItem(self.tr("US (FDA labels)"), "us")
        self.labels.addItem(self.tr("EU (EMA SmPCs)"), "eu")
        self.formulary = self._row(
            rules,
            "formulary",
            self.tr("&Formulary (one drug per line; empty: all available)"),
            QPlainTextEdit(),
        )
        self.formulary.setTabChangesFocus(True)
        self.distress_cutoff = self._row(
            rules, "distress_cutoff", self.tr("&Distress thermometer cut-off"), QSpinBox()
        )
        self.distress_cutoff.setRange(0, 10)
        self.child_pugh_albumin = self._row(
            rules, "child_pugh_albumin", self.tr("Child–Pugh &albumin variant"), QComboBox()
        )
        self.child_pugh_albumin.addItem(self.tr("28 g/L (Pugh 1973)"), "2.8")
        self.child_pugh_albumin.addItem(self.tr("30 g/L (Harrison's)"), "3.0")

        uln = self._form(
            column, self.tr("Default upper limits of normal (used when a result has none)")
        )
        self.uln: dict[str, NumberEdit] = {}
        for name in ULN_LABS:
            unit = labs[name].canonical_unit
            self.uln[name] = self._row(
                uln,
                f"lab_uln.{name}",
                self.tr("{lab} ({unit})").format(
                    lab=labs[name].label, unit=UNIT_WORDS.get(unit, unit)
                ),
                NumberEdit(UNIT_WORDS.get(unit, unit)),
            )

        units = self._form(column, self.tr("Units and paper"))
        self.units: dict[str, QComboBox] = {}
        for name in UNIT_LABS:
            box = QComboBox()
            for unit in labs[name].units:
                box.addItem(UNIT_WORDS.get(unit, unit), unit)
            self.units[name] = self._row(
                units, f"units.{name}", self.tr("{lab} unit").format(lab=labs[name].label), box
            )
        self.paper = self._row(units, "paper", self.tr("Pape&r"), QComboBox())
        self.paper.addItem("A4", "a4")
        self.paper.addItem("Letter", "letter")
        self.general = message_label("settings")
        column.addWidget(self.general)
        column.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 640, 720)
        self.load(self.stored)

    def _form(self, column: QVBoxLayout, title: str) -> QFormLayout:
        box = QGroupBox(title)
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        column.addWidget(box)
        return form

    def _row(self, form: QFormLayout, key: str, label: str, widget: Any) -> Any:
        widget.setAccessibleName(label.replace("&", ""))
        message = message_label(key)
        holder = QWidget()
        inner = QVBoxLayout(holder)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(widget)
        inner.addWidget(message)
        caption = QLabel(label)
        caption.setBuddy(widget)
        caption.setWordWrap(True)
        form.addRow(caption, holder)
        self.messages[key] = message
        return widget

    def load(self, values: dict[str, Any]) -> None:
        self.clinic_name.setText(values.get("clinic_name") or "")
        self.clinic_phone.setText(values.get("clinic_phone") or "")
        self.out_of_hours.setText(values.get("clinic_out_of_hours_phone") or "")
        self.labels.setCurrentIndex(max(self.labels.findData(values.get("labels")), 0))
        self.formulary.setPlainText("\n".join(values.get("formulary") or []))
        self.distress_cutoff.setValue(int(values.get("distress_cutoff") or 0))
        self.child_pugh_albumin.setCurrentIndex(
            max(self.child_pugh_albumin.findData(values.get("child_pugh_albumin")), 0)
        )
        for name, edit in self.uln.items():
            edit.set_json_value((values.get("lab_uln") or {}).get(name))
        for name, box in self.units.items():
            box.setCurrentIndex(max(box.findData((values.get("units") or {}).get(name)), 0))
        self.paper.setCurrentIndex(max(self.paper.findData(values.get("paper")), 0))

    def values(self) -> dict[str, Any]:
        drugs = [
            line.strip().lower()
            for line in self.formulary.toPlainText().replace(",", "\n").splitlines()
            if line.strip()
        ]
        return {
            "clinic_name": self.clinic_name.text().strip(),
            "clinic_phone": self.clinic_phone.text().strip(),
            "clinic_out_of_hours_phone": self.out_of_hours.text().strip(),
            "labels": self.labels.currentData(),
            "formulary": drugs or None,
            "distress_cutoff": self.distress_cutoff.value(),
            "child_pugh_albumin": self.child_pugh_albumin.currentData(),
            "lab_uln": {
                name: edit.json_value()
                for name, edit in self.uln.items()
                if edit.json_value() is not None
            },
            "units": {name: box.currentData() for name, box in self.units.items()},
            "paper": self.paper.currentData(),
        }

    def save(self) -> None:
        values = self.values()
        for label in (*self.messages.values(), self.general):
            label.hide()
        bad_numbers = [
            f"lab_uln.{k}" for k, v in values["lab_uln"].items() if not isinstance(v, int | float)
        ]
        problems = [(key, self.tr("is not a number")) for key in bad_numbers]
        if not problems:
            problems = [(p.path, p.message) for p in services.check_clinic_settings(values)]
        if problems:
            for key, message in problems:
                label = self.messages.get(key, self.general)
                label.setText(message if label is not self.general else f"{key}: {message}")
                label.show()
            return
        self._record.set_clinic_settings(values)
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, record: services.PatientRecord) -> bool:
        """Show the dialog; True when new settings were saved."""
        return bool(cls(record, parent).exec())
