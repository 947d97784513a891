"""Clinic settings: one dialog built from the settings table (resources/rules/clinic_settings.toml),
saved in the record (every plan records the settings it used). The same dialog is the first-run
question (`first_run=True`).

Why one module: the dialog is built from the settings table row by row, and one class keeps the
row-to-widget map that building, loading, reading back, showing problems and saving all use; the
few module-level functions serve that dialog and the questions asked around it.
"""

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
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner.domain.plan_words import unit_words  # units' one home, as printed
from planner.domain.problems import Problem
from planner.services import clinic_settings, patient_record, previews, rule_tables
from planner.ui.geometry import fit_to_screen
from planner.ui.mnemonics import make_unique
from planner.ui.wizard.fields import NumberEdit, message_label

# Marks a stored value the dialog does not offer (see _choose). Application roles start at
# UserRole (Qt's documented rule); a combo box keeps each item's own value in UserRole itself.
NOT_OFFERED_ROLE = Qt.ItemDataRole.UserRole + 1
#: the dialog's two tabs: the essential rows (also the first run's questions), then the rest
TAB_TITLES = {"essential": "C&linic", "expert": "E&xpert choices"}


def _whole(value: Any) -> Any:
    """4.0 -> 4 (numbers come back from JSON and the tables as floats)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def setting_name(key: str) -> str:
    """The dialog's words for a settings key (`supportive.pain_moderate_min` -> "Pain bands");
    a key of no row is shown as itself."""
    rows = clinic_settings.settings_table().rows
    labs = rule_tables.case_limits().labs
    for row in rows:
        if key == row.key or key in (f"{row.section}.{k}" for k in row.keys):
            return row.shown
        if row.options_from == "instruments" and key == f"instrument_settings.{row.key}":
            return row.shown
        section, _, lab = key.partition(".")
        if row.labs and section == row.key and lab in labs:
            return _lab_label(row, labs[lab].label).replace("&", "")
    return key


def _lab_label(row: Any, lab: str) -> str:
    if row.kind == "lab_uln":
        return lab[:1].upper() + lab[1:]
    return row.label.format(lab=lab[:1].upper() + lab[1:])


class ClinicSettingsDialog(QDialog):
    """Every clinic setting, built from the settings table's rows: the essential ones on the
    first tab, the choices where published sources disagree on the second. With
    `first_run=True` it is the start-up question: the same rows, a welcome and no Cancel word
    that suggests the answers are optional (Later leaves the record without settings)."""

    def __init__(
        self,
        record: patient_record.PatientRecord,
        parent: QWidget | None = None,
        *,
        first_run: bool = False,
    ) -> None:
        super().__init__(parent)
        self.first_run = first_run
        self.setWindowTitle(
            self.tr("Set up the clinic") if first_run else self.tr("Clinic settings")
        )
        self._record = record
        self.stored = record.clinic_settings()
        self.table = clinic_settings.settings_table()
        self._labs = rule_tables.case_limits().labs
        self.messages: dict[str, QLabel] = {}
        self.fields: dict[str, Any] = {}  # stored key -> its widget
        self.choices: dict[str, QComboBox] = {}  # rule_choice key -> its box
        self.factors: dict[str, QComboBox] = {}  # anthracycline -> its box (data: the factor)
        self.uln: dict[str, NumberEdit] = {}
        #: the unit each default ULN is typed in (stored in the lab's canonical unit)
        self.uln_units: dict[str, QComboBox] = {}
        self.units: dict[str, QComboBox] = {}
        self._defaults: dict[str, Any] = {}  # choice key -> the default's data

        self.tabs = QTabWidget()
        self.pages: dict[str, QVBoxLayout] = {}
        for tab, title in TAB_TITLES.items():
            body = QWidget()
            column = QVBoxLayout(body)
            scroll = QScrollArea()
            # not a stop of its own on Tab: the first Tab went to nothing visible (walk 21 F8)
            scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            scroll.setWidgetResizable(True)
            scroll.setWidget(body)
            self.tabs.addTab(scroll, self.tr(title))
            self.pages[tab] = column
        intro = QLabel(
            self.tr(
                "Before the first plan: the clinic's name and phones are printed on every plan, "
                "family booklet and referral slip. Fill in what you know; anything can be "
                "changed later under Clinic settings."
            )
            if first_run
            else self.tr("Printed on every plan; every plan records the settings it was made with.")
        )
        intro.setWordWrap(True)
        self.pages["essential"].addWidget(intro)
        recorded = QLabel(
            self.tr(
                "Where published sources disagree, choose the clinic's rule at each point. The "
                "default is marked; whatever is chosen is recorded in every plan made with it."
            )
        )
        recorded.setWordWrap(True)
        self.pages["expert"].addWidget(recorded)
        forms: dict[str, QFormLayout] = {}
        #: first run: who is setting the clinic up (signs these settings and the session)
        self.signer: QLineEdit | None = None
        if first_run:
            you = self._form(self.pages["essential"], self.tr("You"), "essential")
            self.signer = QLineEdit()
            self.signer.setPlaceholderText(self.tr("e.g. Malika Yusupova, palliative nurse"))
            caption = QLabel(self.tr("Your &name and role"))
            caption.setBuddy(self.signer)
            self.signer.setAccessibleName(self.tr("Your name and role"))
            self.signer.setToolTip(
                self.tr("Signs these settings and your decisions in this session.")
            )
            holder = QWidget()
            inner = QVBoxLayout(holder)
            inner.setContentsMargins(0, 0, 0, 0)
            inner.addWidget(self.signer)
            self.messages["user"] = message_label("user")
            inner.addWidget(self.messages["user"])
            you.addRow(caption, holder)
        for row in self.table.rows:
            if row.group not in forms:
                forms[row.group] = self._form(self.pages[row.tab], self.tr(row.group), row.tab)
            self._build(row, forms[row.group])
        for column in self.pages.values():
            column.addStretch(1)
        self.general = message_label("settings")

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        if first_run:
            later = buttons.button(QDialogButtonBox.StandardButton.Cancel)
            later.setText(self.tr("Ask me next time"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.general)
        layout.addWidget(buttons)
        fit_to_screen(self, 720, 720)
        make_unique(self, RESERVED)
        # Alt+S is Save on every tab: no field keeps the letter (reserved above), and Save says
        # so itself (walk24 #10: with no desktop theme naming it "&Save", Alt+S on the Expert
        # tab went to "PHQ-2 positive screen")
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("&Save"))
        # the names older code and tests use for single fields
        self.clinic_name = self.fields["clinic_name"]
        self.clinic_phone = self.fields["clinic_phone"]
        self.out_of_hours = self.fields["clinic_out_of_hours_phone"]
        self.labels = self.fields["labels"]
        self.formulary = self.fields["formulary"]
        self.paper = self.fields["paper"]
        self.date_format = self.fields["date_format"]
        self.distress_cutoff = self.choices["distress_cutoff"]
        self.child_pugh_albumin = self.choices["child_pugh_albumin"]
        self.pain_bands = self.fields["supportive.pain_bands"]
        self.crisis_rise = self.fields["crisis_rise_percent"]
        # a default ULN is typed in the clinic's unit for the test: the Delhi (mg/dL) clinic was
        # offered µmol/L and its 1.2 was refused (independent review 16c, finding 16)
        for lab, box in self.units.items():
            if lab in self.uln_units:
                box.currentIndexChanged.connect(lambda *_, n=lab: self._follow_clinic_unit(n))
        self.load(self.stored)
        # Typing starts in the first field, not on the tab bar (walk 21 F8: what was typed was
        # lost, and the Tabs after it put the clinic's name into "Your name and role").
        (self.signer or self.clinic_name).setFocus()
        # A value the services refuse (e.g. a cut-off an older version allowed) is named at once.
        self.show_problems(
            [(p.path, p.message) for p in clinic_settings.check_clinic_settings(self.stored)]
        )

    # ---- building from the rows ---------------------------------------------------------------

    def _form(self, column: QVBoxLayout, title: str, tab: str) -> QFormLayout:
        box = QGroupBox(title)
        form = QFormLayout(box)
        # Long names and long choices on the expert tab: each name above its box reads better
        # than three-line names squeezed beside it.
        form.setRowWrapPolicy(
            QFormLayout.RowWrapPolicy.WrapAllRows
            if tab == "expert"
            else QFormLayout.RowWrapPolicy.WrapLongRows
        )
        column.addWidget(box)
        return form

    def _build(self, row: Any, form: QFormLayout) -> None:
        kind = row.kind
        if kind in ("text", "phone"):
            edit = QLineEdit()
            if kind == "phone":
                edit.setPlaceholderText(self.tr("e.g. +998 71 200 00 00"))
            self.fields[row.key] = self._row(form, row.key, self.tr(row.label), edit, row)
        elif kind == "choice":
            box = QComboBox()
            if self.first_run and row.ask:
                # asked, never assumed: nothing is chosen until the nurse chooses (an Indian
                # clinic that saved the first tab as shown was set to US labels unasked)
                box.addItem(self.tr("— choose —"), None)
            for option in row.options:
                box.addItem(self.tr(row.words[option]), option)
            self._defaults[row.key] = row.default
            self.fields[row.key] = self._row(form, row.key, self.tr(row.label), box, row)
        elif kind == "drug_list":
            drugs = QPlainTextEdit()
            drugs.setTabChangesFocus(True)
            drugs.setMaximumHeight(drugs.fontMetrics().lineSpacing() * 7)  # scrolls past 6 drugs
            self.fields[row.key] = self._row(form, row.key, self.tr(row.label), drugs, row)
        elif kind in ("rule_choice", "band_pair"):
            options, default = clinic_settings.row_choices(row)
            box = QComboBox()
            for option in options:
                text = self.tr(row.words[option])
                if option == default:
                    text = self.tr("{choice} (default)").format(choice=text)
                box.addItem(text, self._data(row, option))
            self._defaults[row.key] = self._data(row, default)
            self._row(form, row.key, self.tr(row.label), box, row)
            if kind == "band_pair":
                self.fields[row.key] = box
            elif row.section == "anthracycline_factors":
                self.factors[row.name] = box
            else:
                self.choices[row.key] = box
        elif kind == "percent":
            bounds = clinic_settings.crisis_rise_bounds()
            label = self.tr("{label} ({low:g}–{high:g} {unit}; empty: {default:g} {unit})").format(
                label=self.tr(row.label), unit=row.unit, **bounds
            )
            self.fields[row.key] = self._row(form, row.key, label, NumberEdit(row.unit), row)
        elif kind == "lab_uln":
            self._help(form, row)
            for lab in row.labs:
                self._uln_row(form, row, lab)
        elif kind == "lab_units":
            for lab in row.labs:
                definition = self._labs[lab]
                box = QComboBox()
                for unit in [*definition.units, *dict(definition.entry_units)]:
                    box.addItem(unit_words(unit), unit)
                label = _lab_label(row, definition.label)
                self.units[lab] = self._row(form, f"{row.key}.{lab}", label, box, row)

    @staticmethod
    def _data(row: Any, option: str) -> Any:
        """What a choice box keeps for an option: the stored value."""
        if row.kind == "band_pair":
            return [int(part) for part in option.split()]
        if row.section == "anthracycline_factors":
            return float(option)
        return option

    def _help(self, form: QFormLayout, row: Any) -> None:
        note = QLabel(self.tr(row.help))
        note.setWordWrap(True)
        form.addRow(note)

    def _uln_row(self, form: QFormLayout, row: Any, lab: str) -> None:
        definition = self._labs[lab]
        unit = definition.canonical_unit
        key = f"{row.key}.{lab}"
        label = _lab_label(row, definition.label)
        if len(definition.units) == 1:
            words = unit_words(unit)
            self.uln[lab] = self._row(
                form, key, f"{label} ({words})", NumberEdit(words), row, tip=False
            )
            return
        # Typed in any unit the test has (a lab sheet in mg/dL); saved in the canonical one.
        holder = QWidget()
        line = QHBoxLayout(holder)
        line.setContentsMargins(0, 0, 0, 0)
        edit = NumberEdit(self.tr("ULN"))
        box = QComboBox()
        for each in definition.units:
            box.addItem(unit_words(each), each)
        box.setAccessibleName(self.tr("{lab} ULN unit").format(lab=definition.label))
        line.addWidget(edit)
        line.addWidget(box)
        line.addStretch(1)
        holder.setFocusProxy(edit)  # the label's Alt-key and Tab land in the number
        self._row(form, key, label, holder, row, tip=False)
        self.uln[lab] = edit
        self.uln_units[lab] = box

    def _row(
        self, form: QFormLayout, key: str, label: str, widget: Any, row: Any, tip: bool = True
    ) -> Any:
        widget.setAccessibleName(label.replace("&", ""))
        message = message_label(key)
        holder = QWidget()
        inner = QVBoxLayout(holder)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(widget)
        sources, verified = clinic_settings.row_sources(row)
        notes = [self.tr(row.help)] if tip and row.help and row.kind != "lab_units" else []
        if sources and not verified:  # shown, not only in the tooltip (safety rule 6)
            notes.append(self.tr("Unverified: not every source was checked in its primary text."))
        for text in notes:
            # read when the setting is chosen: shown under the field, not hidden in a tooltip
            note = QLabel(text)
            note.setWordWrap(True)
            note.setStyleSheet("color: palette(placeholder-text);")
            inner.addWidget(note)
        inner.addWidget(message)
        caption = QLabel(label)
        caption.setBuddy(widget)
        # Wrapped in every form: a long name that could not wrap made the dialog wider than a
        # 1366-pixel screen at 125 % (issue 16: cut off).
        caption.setWordWrap(True)
        tooltip = [self.tr(row.help)] if row.help else []
        if sources:
            tooltip.append(self.tr("Sources: {0}").format("; ".join(sources)))
            if not verified:
                tooltip.append(self.tr("UNVERIFIED: not all checked in the primary text."))
        if tooltip:
            widget.setToolTip("\n".join(tooltip))
        if form.rowWrapPolicy() == QFormLayout.RowWrapPolicy.WrapAllRows:
            # the name on a line of its own, as wide as the box (a wrapped label in the label
            # column is squeezed to a few words a line)
            form.addRow(caption)
            form.addRow(holder)
        else:
            form.addRow(caption, holder)
        self.messages[key] = message
        return widget

    # ---- stored values in and out ---------------------------------------------------------------

    def load(self, values: dict[str, Any]) -> None:
        for row in self.table.rows:
            kind, key = row.kind, row.key
            if kind in ("text", "phone"):
                self.fields[key].setText(str(values.get(key) or ""))
            elif kind == "choice":
                box = self.fields[key]
                asked = self.first_run and row.ask
                box.setCurrentIndex(
                    max(box.findData(values.get(key) or (None if asked else row.default)), 0)
                )
            elif kind == "drug_list":
                self.fields[key].setPlainText("\n".join(values.get(key) or []))
            elif kind == "rule_choice":
                box = self.choices.get(key) or self.factors[row.name]
                stored = self._stored(values, row)
                if row.legacy and stored is not None and not isinstance(stored, bool):
                    stored = row.legacy.get(str(_whole(stored)), stored)
                self._choose(box, key, stored)
            elif kind == "band_pair":
                section = self._section(values, row.section)
                default = self._defaults[key]
                pair = [_whole(section.get(k, d)) for k, d in zip(row.keys, default, strict=True)]
                self._choose(
                    self.fields[key],
                    key,
                    None if pair == default else pair,
                    self.tr("moderate from {0}, severe from {1}").format(*pair),
                    self.tr("the clinic's own, set outside this dialog"),
                )
            elif kind == "percent":
                self.fields[key].set_json_value(values.get(key))
            elif kind == "lab_uln":
                stored = self._section(values, key)
                for lab, edit in self.uln.items():
                    edit.set_json_value(stored.get(lab))
                    if lab in self.uln_units:  # stored in the canonical unit, shown in it
                        self.uln_units[lab].setCurrentIndex(0)
                        if lab in self.units:  # then in the clinic's unit, if loaded already
                            self._follow_clinic_unit(lab)
            elif kind == "lab_units":
                stored = self._section(values, key)
                for lab, box in self.units.items():
                    box.setCurrentIndex(max(box.findData(stored.get(lab)), 0))

    @staticmethod
    def _section(values: dict[str, Any], key: str) -> dict[str, Any]:
        value = values.get(key)
        return dict(value) if isinstance(value, dict) else {}

    def _stored(self, values: dict[str, Any], row: Any) -> Any:
        if row.section == row.key:
            return values.get(row.key)
        return self._section(values, row.section).get(row.name)

    def values(self) -> dict[str, Any]:
        """The stored form of what the dialog shows; settings it does not show are kept as they
        were (a supportive cut-off set outside it, an anthracycline it does not list)."""
        # every stored key no row of the table writes (cycle_choices, mrn_rule, an older
        # version's keys) is handed back as it was, so saving never drops it
        out: dict[str, Any] = dict(self.stored)
        sections = {
            section: self._section(self.stored, section)
            for section in (
                "instrument_settings",
                "supportive",
                "anthracycline_factors",
                "start_tests",
                "cycle_choices",
            )
        }
        for row in self.table.rows:
            kind, key = row.kind, row.key
            if kind in ("text", "phone"):
                out[key] = self.fields[key].text().strip()
            elif kind == "choice":
                out[key] = self.fields[key].currentData()
            elif kind == "drug_list":
                drugs = [
                    line.strip().lower()
                    for line in self.fields[key].toPlainText().replace(",", "\n").splitlines()
                    if line.strip()
                ]
                out[key] = drugs or None
            elif kind == "rule_choice":
                box = self.choices.get(key) or self.factors[row.name]
                data = box.currentData()
                if row.section == row.key:
                    out[key] = data
                elif row.section == "anthracycline_factors":
                    # the table default is not stored: it follows the tables
                    sections[row.section].pop(row.name, None)
                    if data != self._defaults[key]:
                        sections[row.section][row.name] = data
                else:
                    sections[row.section][row.name] = data
            elif kind == "band_pair":
                for name, value in zip(
                    row.keys, self.fields[key].currentData() or (), strict=False
                ):
                    sections[row.section][name] = value
            elif kind == "percent":
                out[key] = self.fields[key].json_value()
            elif kind == "lab_uln":
                out[key] = {
                    lab: self._uln_in_canonical_unit(lab, edit.json_value())
                    for lab, edit in self.uln.items()
                    if edit.json_value() is not None
                }
            elif kind == "lab_units":
                out[key] = {lab: box.currentData() for lab, box in self.units.items()}
        return {**out, **sections}

    def _follow_clinic_unit(self, lab: str) -> None:
        """The default ULN of `lab` shown in the clinic's unit for it, the number converted
        (1.2 mg/dL stays 1.2 mg/dL, not "20.52 µmol/L"); a unit the ULN has not (a count's
        entry unit) leaves it as it is."""
        box, unit = self.uln_units[lab], self.units[lab].currentData()
        found = box.findData(unit)
        if found < 0 or found == box.currentIndex():
            return
        edit = self.uln[lab]
        value = edit.json_value()
        if isinstance(value, int | float):
            edit.set_json_value(previews.lab_value_in(lab, float(value), box.currentData(), unit))
        box.setCurrentIndex(found)

    def _uln_in_canonical_unit(self, name: str, value: Any) -> Any:
        box = self.uln_units.get(name)
        if box is None or not isinstance(value, int | float) or box.currentIndex() == 0:
            return value
        canonical = box.itemData(0)
        return previews.lab_value_in(name, float(value), box.currentData(), canonical)

    def _choose(
        self,
        box: QComboBox,
        key: str,
        stored: Any,
        shown: str | None = None,
        note: str | None = None,
    ) -> None:
        """Select the stored value; None: the default. A value the dialog does not offer (saved
        by an older version, or by hand) stays visible and selected, so it is never silently
        replaced: saving refuses it until the nurse chooses."""
        while box.count() and box.itemData(0, NOT_OFFERED_ROLE) == "not offered":
            box.removeItem(0)
        if stored is None:
            stored = self._defaults[key]
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

    # ---- problems and saving -----------------------------------------------------------------

    def _field_of(self, key: str) -> str:
        """The message label a problem's key belongs beside."""
        for row in self.table.rows:
            if key in (f"{row.section}.{k}" for k in row.keys):
                return row.key
            if row.section == row.key and key == f"instrument_settings.{row.key}":
                return row.key
        return key

    def show_problems(self, problems: list[tuple[str, str]]) -> None:
        """Each problem beside its field, its tab brought forward; others at the bottom."""
        for label in (*self.messages.values(), self.general):
            label.hide()
            label.clear()
        first_tab = None
        first_label = None
        for key, message in problems:
            label = self.messages.get(self._field_of(key), self.general)
            text = message if label is not self.general else f"{setting_name(key)}: {message}"
            label.setText("\n".join(t for t in (label.text(), text) if t))
            label.show()
            if label is not self.general and first_tab is None:
                first_label = label
                first_tab = next(
                    (
                        i
                        for i in range(self.tabs.count())
                        if (page := self.tabs.widget(i)) is not None and page.isAncestorOf(label)
                    ),
                    None,
                )
        if first_tab is not None:
            self.tabs.setCurrentIndex(first_tab)
            # the message may sit below the fold of the tab's scroll area: a Save that shows
            # nothing reads as "did nothing" (independent review 19d: the unanswered label set)
            page = self.tabs.widget(first_tab)
            if isinstance(page, QScrollArea) and first_label is not None:
                page.ensureWidgetVisible(first_label)

    def save(self) -> None:
        if self.signer is not None:
            name = " ".join(self.signer.text().split())
            if not name:
                self.show_problems(
                    [
                        (
                            "user",
                            self.tr(
                                "A name is needed: it signs these settings and your decisions."
                            ),
                        )
                    ]
                )
                self.signer.setFocus()
                return
            self._record.sign_in_as(name)  # the settings below are signed by this name
        unanswered = [
            (row.key, self.tr("Choose one: it is asked, never assumed."))
            for row in self.table.rows
            if row.kind == "choice" and self.fields[row.key].currentData() is None
        ]
        if unanswered:
            self.show_problems(unanswered)
            self.fields[unanswered[0][0]].setFocus()
            return
        values = self.values()
        bad_numbers = [
            f"lab_uln.{k}" for k, v in values["lab_uln"].items() if not isinstance(v, int | float)
        ]
        problems = [(key, self.tr("is not a number")) for key in bad_numbers]
        if not problems:
            problems = [(p.path, p.message) for p in clinic_settings.save(self._record, values)]
        self.show_problems(problems)
        if problems:
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, record: patient_record.PatientRecord) -> bool:
        """Show the dialog; True when new settings were saved."""
        return bool(cls(record, parent).exec())


#: letters the dialog's own tabs and buttons take (never given to a field)
RESERVED = ("l", "x", "s")


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
            return clinic_settings.from_stored(stored)
        if not confirm_fix_settings(parent, problems):
            return None
        if not ClinicSettingsDialog.ask(parent, record):
            return None
