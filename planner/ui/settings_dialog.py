"""Clinic settings: one dialog, saved in the record (every plan records the settings it used)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from planner.domain.problems import Problem
from planner.services import clinic_settings, patient_record, previews, rule_tables
from planner.ui.geometry import fit_to_screen
from planner.ui.mnemonics import make_unique
from planner.ui.wizard.fields import NumberEdit, message_label

ULN_LABS = ("bilirubin", "ast", "alt", "alp", "ggt")
UNIT_LABS = ("bilirubin", "albumin", "creatinine", "hemoglobin", "anc", "platelets")
UNIT_WORDS = {"umol/L": "µmol/L", "10^9/L": "× 10⁹/L", "/uL": "/µL", "/mm3": "/mm³"}
# Marks a stored value the dialog does not offer (see _choose). Application roles start at
# UserRole (Qt's documented rule); a combo box keeps each item's own value in UserRole itself.
NOT_OFFERED_ROLE = Qt.ItemDataRole.UserRole + 1

#: The points where published sources disagree, as the dialog offers them: setting name, label,
#: and words for each option of the rule table's `[[setting]]` row (the options themselves, and
#: which is the default, come from the tables; tests/ui checks these words cover exactly them).
#: `distress_cutoff` and `child_pugh_albumin` are stored under their own keys in the record's
#: words (clinic_settings.STORED_INSTRUMENT_OPTIONS); the others under `instrument_settings`.
INSTRUMENT_CHOICES: tuple[tuple[str, str, dict[str, str]], ...] = (
    (
        "distress_cutoff",
        "&Distress thermometer cut-off",
        {"nccn": "4 or more — NCCN guideline", "onf": "3 or more — ONF study (2017)"},
    ),
    (
        "child_pugh_albumin",
        "Child–Pugh &albumin variant",
        {
            "pugh_1973": "28 g/L (2.8 g/dL) — Pugh 1973",
            "harrison": "30 g/L (3.0 g/dL) — Harrison's textbook table",
        },
    ),
    (
        "pgsga_box2",
        "PG-SGA box &2 (food intake)",
        {
            "highest": "highest value checked",
            "sum": "sum of the two parts (public implementations; unverified)",
        },
    ),
    (
        "hads_bands",
        "&HADS subscale bands",
        {
            "three_band": "three bands — Zigmond & Snaith 1983",
            "four_band": "four bands — later variant, not cited (unverified)",
        },
    ),
    (
        "phq2_cutoff",
        "PHQ-2 positive &screen",
        {"standard": "3 or more — standard", "sensitive": "2 or more — more sensitive"},
    ),
    (
        "kps_ecog_mapping",
        "&KPS ↔ ECOG pairing shown",
        {
            "conventional": "conventional pairing (Oken 1982-based)",
            "empirical": "empirical pairing (lung-cancer clinic study)",
        },
    ),
)
#: Supportive-care choices where sources disagree (resources/rules/supportive.toml, stored under
#: `supportive`): setting name, label, words for each option of its `[[setting]]` row.
SUPPORTIVE_CHOICES: tuple[tuple[str, str, dict[str, str]], ...] = (
    (
        "itch_ladder",
        "Cholestatic-&itch drug order",
        {"etg": "eTG palliative order", "bsg": "British Society of Gastroenterology order"},
    ),
    (
        "paracentesis_volume",
        "Paracentesis &volume",
        {
            "etg": "eTG: up to 4 L a day, drained slowly",
            "fast_fact": "US Fast Fact: 4–6 L a session",
        },
    ),
)
#: The moderate/severe pain band (two number settings that move together): (moderate from,
#: severe from) -> words. The first pair is the tables' default.
PAIN_BANDS: dict[tuple[int, int], str] = {
    (4, 7): "moderate 4–6, severe 7–10 — common practice",
    (5, 8): "moderate 5–7, severe 8–10 — ESMO 2009",
}
PAIN_KEYS = ("pain_moderate_min", "pain_severe_min")
#: The doxorubicin-equivalence factors a clinic may choose for the lifetime anthracycline ledger
#: (resources/rules/hard_limits.toml `[[equivalent]] offered`, stored under
#: `anthracycline_factors`): drug, label, words for each offered factor.
ANTHRACYCLINE_CHOICES: tuple[tuple[str, str, dict[float, str]], ...] = (
    (
        "epirubicin",
        "&Epirubicin counted as doxorubicin (lifetime anthracycline limit)",
        {
            0.8: "× 0.8 — COG guideline v6.0 (Feijen 2019)",
            0.67: "× 0.67 — COG guideline v5.0",
            1.0: "× 1 — counted mg for mg (most cautious)",
        },
    ),
)
#: what a problem's key is called in the dialog (for messages shown elsewhere)
SETTING_NAMES: dict[str, str] = {
    **{key: label.replace("&", "") for key, label, _ in INSTRUMENT_CHOICES},
    **{
        f"instrument_settings.{key}": label.replace("&", "") for key, label, _ in INSTRUMENT_CHOICES
    },
    **{f"supportive.{key}": label.replace("&", "") for key, label, _ in SUPPORTIVE_CHOICES},
    **{f"supportive.{key}": "Pain bands" for key in PAIN_KEYS},
    **{
        f"anthracycline_factors.{d}": label.replace("&", "")
        for d, label, _ in ANTHRACYCLINE_CHOICES
    },
    "crisis_rise_percent": "Visceral crisis: smallest bilirubin rise",
    "labels": "Label set",
    "paper": "Paper",
    "date_format": "Dates shown as",
    "formulary": "Formulary",
}


def _whole(value: Any) -> Any:
    """4.0 -> 4 (numbers come back from JSON and the tables as floats)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def setting_name(key: str) -> str:
    """The dialog's words for a settings key (`lab_uln.bilirubin` -> itself when unnamed)."""
    return SETTING_NAMES.get(key, key)


class ClinicSettingsDialog(QDialog):
    def __init__(self, record: patient_record.PatientRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Clinic settings"))
        self._record = record
        self.stored = {**clinic_settings.CLINIC_SETTING_DEFAULTS, **record.clinic_settings()}
        labs = rule_tables.case_limits().labs
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

        disagree = self._form(column, self.tr("Where published sources disagree"))
        # Long names and long choices: each name above its box reads better than three-line
        # names squeezed beside it.
        disagree.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        recorded = QLabel(
            self.tr(
                "Choose the clinic's rule at each point. The default is marked; whatever is "
                "chosen is recorded in every plan made with it."
            )
        )
        recorded.setWordWrap(True)
        disagree.addRow(recorded)
        tables = rule_tables.rules()
        self.choices: dict[str, QComboBox] = {}  # settings key -> its box (data: stored value)
        for name, label, option_words in INSTRUMENT_CHOICES:
            row = tables.instruments.setting(name)
            stored_of = {
                o: v for v, o in clinic_settings.STORED_INSTRUMENT_OPTIONS.get(name, {}).items()
            }
            key = (
                name
                if name in clinic_settings.STORED_INSTRUMENT_OPTIONS
                else f"instrument_settings.{name}"
            )
            box = self._row(disagree, key, self.tr(label), QComboBox())
            for option in row.options:
                text = self.tr(option_words.get(option, option))
                if option == row.default:
                    text = self.tr("{choice} (default)").format(choice=text)
                box.addItem(text, stored_of.get(option, option))
            self.choices[key] = box
        for name, label, option_words in SUPPORTIVE_CHOICES:
            setting = tables.supportive.settings[name]
            box = self._row(disagree, f"supportive.{name}", self.tr(label), QComboBox())
            for option in setting.options:
                text = self.tr(option_words.get(option, option))
                if option == setting.default:
                    text = self.tr("{choice} (default)").format(choice=text)
                box.addItem(text, option)
            self.choices[f"supportive.{name}"] = box
        pain_defaults = tuple(_whole(tables.supportive.settings[k].default) for k in PAIN_KEYS)
        self._pain_defaults = pain_defaults
        self.pain_bands = self._row(
            disagree, "supportive.pain_bands", self.tr("&Pain bands (0–10 scale)"), QComboBox()
        )
        for pair, words in PAIN_BANDS.items():
            text = self.tr(words)
            if pair == pain_defaults:
                text = self.tr("{choice} (default)").format(choice=text)
            self.pain_bands.addItem(text, list(pair))
        self.pain_bands.setToolTip(
            self.tr("Where moderate and severe pain start on the 0–10 numeric rating scale.")
        )
        self.factors: dict[str, QComboBox] = {}  # anthracycline -> its box (data: the factor)
        for drug, label, factor_words in ANTHRACYCLINE_CHOICES:
            equivalent = tables.hard_limits.equivalents[drug]
            box = self._row(disagree, f"anthracycline_factors.{drug}", self.tr(label), QComboBox())
            for factor in equivalent.offered:
                text = self.tr(factor_words.get(factor, f"× {factor:g}"))
                if factor == equivalent.default:
                    text = self.tr("{choice} (default)").format(choice=text)
                box.addItem(text, factor)
            self.factors[drug] = box
        rise = clinic_settings.crisis_rise_bounds()
        self.crisis_rise = self._row(
            disagree,
            "crisis_rise_percent",
            self.tr(
                "&Visceral crisis: smallest bilirubin rise counted as rising, within 14 days "
                "({low:g}–{high:g} %; empty: {default:g} %, no guideline gives a number, "
                "unverified)"
            ).format(**rise),
            NumberEdit("%"),
        )
        self.distress_cutoff = self.choices["distress_cutoff"]
        self.child_pugh_albumin = self.choices["child_pugh_albumin"]

        uln = self._form(
            column, self.tr("Default upper limits of normal (used when a result has none)")
        )
        self.uln: dict[str, NumberEdit] = {}
        #: the unit each default ULN is typed in (stored in the lab's canonical unit)
        self.uln_units: dict[str, QComboBox] = {}
        for name in ULN_LABS:
            unit = labs[name].canonical_unit
            if len(labs[name].units) == 1:
                self.uln[name] = self._row(
                    uln,
                    f"lab_uln.{name}",
                    self.tr("{lab} ({unit})").format(
                        lab=labs[name].label, unit=UNIT_WORDS.get(unit, unit)
                    ),
                    NumberEdit(UNIT_WORDS.get(unit, unit)),
                )
                continue
            # Typed in any unit the test has (a lab sheet in mg/dL); saved in the canonical one.
            holder = QWidget()
            line = QHBoxLayout(holder)
            line.setContentsMargins(0, 0, 0, 0)
            edit = NumberEdit(self.tr("ULN"))
            box = QComboBox()
            for each in labs[name].units:
                box.addItem(UNIT_WORDS.get(each, each), each)
            box.setAccessibleName(self.tr("{lab} ULN unit").format(lab=labs[name].label))
            line.addWidget(edit)
            line.addWidget(box)
            line.addStretch(1)
            holder.setFocusProxy(edit)  # the label's Alt-key and Tab land in the number
            self._row(
                uln, f"lab_uln.{name}", labs[name].label[:1].upper() + labs[name].label[1:], holder
            )
            self.uln[name] = edit
            self.uln_units[name] = box

        units = self._form(column, self.tr("Units and paper"))
        self.units: dict[str, QComboBox] = {}
        for name in UNIT_LABS:
            box = QComboBox()
            for unit in [*labs[name].units, *dict(labs[name].entry_units)]:
                box.addItem(UNIT_WORDS.get(unit, unit), unit)
            self.units[name] = self._row(
                units, f"units.{name}", self.tr("{lab} unit").format(lab=labs[name].label), box
            )
        self.paper = self._row(units, "paper", self.tr("Pape&r"), QComboBox())
        self.paper.addItem("A4", "a4")
        self.paper.addItem("Letter", "letter")
        self.date_format = self._row(units, "date_format", self.tr("&Dates shown as"), QComboBox())
        for key, example in (
            ("dd/mm/yyyy", "31/12/2026"),
            ("dd.mm.yyyy", "31.12.2026"),
            ("iso", "2026-12-31"),
        ):
            self.date_format.addItem(example, key)
        self.date_format.setToolTip(
            self.tr("Any of these forms can be typed; this is how dates are shown.")
        )
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
        fit_to_screen(self, 680, 720)
        make_unique(self)
        self.load(self.stored)
        # A value the services refuse (e.g. a cut-off an older version allowed) is named at once.
        self.show_problems(
            [(p.path, p.message) for p in clinic_settings.check_clinic_settings(self.stored)]
        )

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
        # Wrapped in every form: a long name above its box (WrapAllRows) that could not wrap
        # made the dialog wider than a 1366-pixel screen at 125 % (issue 16: cut off).
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
        extra = values.get("instrument_settings")
        extra = extra if isinstance(extra, dict) else {}
        supportive = values.get("supportive")
        supportive = supportive if isinstance(supportive, dict) else {}
        for key, box in self.choices.items():
            section, _, name = key.partition(".")
            if not name:
                stored = values.get(key)
                table = clinic_settings.STORED_INSTRUMENT_OPTIONS[key]
                words = {option: word for word, option in table.items()}
                stored = words.get(stored, stored) if isinstance(stored, str) else stored
            else:
                stored = (extra if section == "instrument_settings" else supportive).get(name)
            self._choose(box, stored)
        pair = [
            _whole(supportive.get(k, d))
            for k, d in zip(PAIN_KEYS, self._pain_defaults, strict=True)
        ]
        self._choose(
            self.pain_bands,
            pair,
            self.tr("moderate from {0}, severe from {1}").format(*pair),
            self.tr("the clinic's own, set outside this dialog"),
        )
        factors = values.get("anthracycline_factors")
        factors = factors if isinstance(factors, dict) else {}
        for drug, box in self.factors.items():
            self._choose(box, factors.get(drug))
        self.crisis_rise.set_json_value(values.get("crisis_rise_percent"))
        for name, edit in self.uln.items():
            edit.set_json_value((values.get("lab_uln") or {}).get(name))
            if name in self.uln_units:  # stored in the canonical unit, shown in it
                self.uln_units[name].setCurrentIndex(0)
        for name, box in self.units.items():
            box.setCurrentIndex(max(box.findData((values.get("units") or {}).get(name)), 0))
        self.paper.setCurrentIndex(max(self.paper.findData(values.get("paper")), 0))
        self.date_format.setCurrentIndex(
            max(self.date_format.findData(values.get("date_format")), 0)
        )

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
            **self._choice_values(),
            "lab_uln": {
                name: self._uln_in_canonical_unit(name, edit.json_value())
                for name, edit in self.uln.items()
                if edit.json_value() is not None
            },
            "units": {name: box.currentData() for name, box in self.units.items()},
            "paper": self.paper.currentData(),
            "anthracycline_factors": self._factor_values(),
            "crisis_rise_percent": self.crisis_rise.json_value(),
            "date_format": self.date_format.currentData(),
        }

    def _factor_values(self) -> dict[str, Any]:
        """The chosen factors; the table default is not stored (it follows the tables), and
        factors this dialog does not show are kept as they were."""
        stored = self.stored.get("anthracycline_factors")
        out = dict(stored) if isinstance(stored, dict) else {}
        equivalents = rule_tables.rules().hard_limits.equivalents
        for drug, box in self.factors.items():
            out.pop(drug, None)
            if box.currentData() != equivalents[drug].default:
                out[drug] = box.currentData()
        return out

    def _uln_in_canonical_unit(self, name: str, value: Any) -> Any:
        box = self.uln_units.get(name)
        if box is None or not isinstance(value, int | float) or box.currentIndex() == 0:
            return value
        canonical = box.itemData(0)
        return previews.lab_value_in(name, float(value), box.currentData(), canonical)

    def _choose(
        self, box: QComboBox, stored: Any, shown: str | None = None, note: str | None = None
    ) -> None:
        """Select the stored value; None: the default (first-marked item). A value the dialog
        does not offer (saved by an older version, or by hand) stays visible and selected, so
        it is never silently replaced: saving refuses it until the nurse chooses."""
        while box.count() and box.itemData(0, NOT_OFFERED_ROLE) == "not offered":
            box.removeItem(0)
        if stored is None:
            default = self.tr("(default)")
            box.setCurrentIndex(
                next((i for i in range(box.count()) if box.itemText(i).endswith(default)), 0)
            )
            return
        index = box.findData(stored)
        if index < 0:
            box.insertItem(
                0,
                "{value} — {note}".format(
                    value=shown or repr(stored),
                    note=note or self.tr("not offered by this version: choose another"),
                ),
                stored,
            )
            box.setItemData(0, "not offered", NOT_OFFERED_ROLE)
            index = 0
        box.setCurrentIndex(index)

    def _choice_values(self) -> dict[str, Any]:
        """The disagreement settings as the record keeps them; supportive and instrument
        settings this dialog does not show are kept as they were."""
        extra = self.stored.get("instrument_settings")
        extra = dict(extra) if isinstance(extra, dict) else {}
        supportive = self.stored.get("supportive")
        supportive = dict(supportive) if isinstance(supportive, dict) else {}
        out: dict[str, Any] = {}
        for key, box in self.choices.items():
            section, _, name = key.partition(".")
            if not name:
                out[key] = box.currentData()
            else:
                (extra if section == "instrument_settings" else supportive)[name] = (
                    box.currentData()
                )
        for name, value in zip(PAIN_KEYS, self.pain_bands.currentData() or (), strict=False):
            supportive[name] = value
        return {**out, "instrument_settings": extra, "supportive": supportive}

    def _field_of(self, key: str, message: str) -> tuple[str, str]:
        """clinic_settings.check_clinic_settings names an instrument or supportive choice the rule
        tables refuse under "settings", its message starting with the setting's name: put it
        beside that setting's box."""
        if key != "settings":
            return key, message
        for field in self.choices:
            name = field.rpartition(".")[2]
            for prefix in (f"{name}: ", f"supportive setting {name}: "):
                if message.startswith(prefix) and field != name:
                    return field, message.removeprefix(prefix)
        for name in PAIN_KEYS:
            prefix = f"supportive setting {name}: "
            if message.startswith(prefix):
                return f"supportive.{name}", message.removeprefix(prefix)
        return key, message

    def show_problems(self, problems: list[tuple[str, str]]) -> None:
        """Each problem beside its field (the pain keys share one box); others at the bottom."""
        for label in (*self.messages.values(), self.general):
            label.hide()
            label.clear()
        for key, message in problems:
            key, message = self._field_of(key, message)
            alias = "supportive.pain_bands" if key.removeprefix("supportive.") in PAIN_KEYS else key
            label = self.messages.get(alias, self.general)
            text = message if label is not self.general else f"{setting_name(key)}: {message}"
            label.setText("\n".join(t for t in (label.text(), text) if t))
            label.show()

    def save(self) -> None:
        values = self.values()
        bad_numbers = [
            f"lab_uln.{k}" for k, v in values["lab_uln"].items() if not isinstance(v, int | float)
        ]
        problems = [(key, self.tr("is not a number")) for key in bad_numbers]
        if not problems:
            problems = [(p.path, p.message) for p in clinic_settings.check_clinic_settings(values)]
        self.show_problems(problems)
        if problems:
            return
        self._record.set_clinic_settings(values)
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, record: patient_record.PatientRecord) -> bool:
        """Show the dialog; True when new settings were saved."""
        return bool(cls(record, parent).exec())


def confirm_fix_settings(parent: QWidget | None, problems: list[Problem]) -> bool:
    """Tell the nurse which stored setting cannot be used; True: open the settings dialog."""
    lines = "\n".join(f"• {setting_name(p.path)}: {p.message}" for p in problems)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QWidget.tr(box, "Clinic settings need a choice"))
    box.setText(
        QWidget.tr(
            box,
            "The clinic settings saved in this record cannot be used, so nothing is worked out "
            "with them and no other value is put in their place:",
        )
    )
    box.setInformativeText(
        lines
        + "\n\n"
        + QWidget.tr(
            box,
            "An older version of the program may have saved this. Open Clinic settings to "
            "choose a value, then carry on.",
        )
    )
    open_button = box.addButton(
        QWidget.tr(box, "Open clinic &settings…"), QMessageBox.ButtonRole.AcceptRole
    )
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(open_button)
    box.exec()
    return box.clickedButton() is open_button


def usable_settings(parent: QWidget | None, record: patient_record.PatientRecord) -> Any:
    """The record's clinic settings as the engine takes them (a ClinicSettings), or None when
    one cannot be used and the nurse did not fix it: the message names the setting and offers
    this dialog; after a save the settings are checked again. Never a crash, never a stand-in."""
    while True:
        stored = record.clinic_settings()
        problems = clinic_settings.check_clinic_settings(stored)
        if not problems:
            return clinic_settings.engine_settings(stored)
        if not confirm_fix_settings(parent, problems):
            return None
        if not ClinicSettingsDialog.ask(parent, record):
            return None
