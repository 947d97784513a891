"""What the nurse enters at a cycle review (issue 19), as the course window shows it: the day's
labs (the assessment wizard's `LabRow`s, so units, ULNs and the messages naming a field read the
same here as there), her weight, the day of the cycle, the findings asked only where a drug of
the course reads them, and the side effects by their CTCAE terms (`SideEffectRow`). The window is
`ui/course_window.py`; the decision the entry gives, in words, is `ui/cycle_decision.py`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from planner.domain.case import URINE_DIPSTICK
from planner.domain.dates import show_date
from planner.domain.plan_words import unit_words
from planner.domain.treatment_course import SideEffect
from planner.services import course_views, review_fields, rule_tables
from planner.ui.qt_dates import qdate
from planner.ui.typed_date import TypedDateEdit
from planner.ui.wizard import words
from planner.ui.wizard.fields import ChoiceBox, FieldPage, NumberEdit
from planner.ui.wizard.pages.labs import LabRow

#: the results a cycle review reads (counts on day 1, the liver tests the labels name)
REVIEW_LABS = (
    ("anc", "N&eutrophils"),
    ("platelets", "Platele&ts"),
    ("hemoglobin", "&Haemoglobin"),
    ("bilirubin", "&Bilirubin (total)"),
    ("alt", "A&LT"),
    ("ast", "A&ST"),
    ("alp", "AL&P"),
    ("albumin", "Albu&min"),
    ("creatinine", "&Creatinine"),
    ("glucose_fasting", "Fast&ing glucose"),  # the PI3K/AKT inhibitors' tables
)


class SideEffectRow:
    """One side effect: the CTCAE term by its plain description, its worst and current grade
    picked from the term's own grade definitions."""

    def __init__(self, page: CycleEntryPage, grid: QGridLayout, row: int) -> None:
        self.terms = page.terms
        self.term = QComboBox()
        self.term.addItem(page.tr("(choose a side effect)"), None)
        for term in self.terms.values():
            self.term.addItem(term.label(), term.term)
        self.worst = QComboBox()
        self.not_chosen = page.tr("(choose the worst grade)")
        self.current = QComboBox()
        # the boxes are as wide as a few words, not their longest grade definition, so the row
        # fits its panel at 1366 × 768 (the full text is in the list and the tooltip)
        for box, chars in ((self.term, 22), (self.worst, 14), (self.current, 14)):
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(chars)
        self.remove = QPushButton(page.tr("Remove"))
        path = f"side_effects[{row}]"
        message = page.register(
            path,
            self.term,
            page.tr("Side effect {n}").format(n=row + 1),
            read=self.read,
            write=lambda _value: None,
            signals=[
                self.term.currentIndexChanged,
                self.worst.currentIndexChanged,
                self.current.currentIndexChanged,
            ],
        )
        # the review names a problem of the row by it ("Side effect 1: worst grade not chosen")
        self.term.setAccessibleName(page.tr("Side effect {n}").format(n=row + 1))
        self.worst.setAccessibleName(page.tr("Worst grade since the last cycle"))
        self.current.setAccessibleName(page.tr("Grade now"))
        self.term.currentIndexChanged.connect(self._fill_grades)
        base = 1 + 2 * row
        grid.addWidget(self.term, base, 0)
        grid.addWidget(self.worst, base, 1)
        grid.addWidget(self.current, base, 2)
        grid.addWidget(self.remove, base, 3)
        grid.addWidget(message, base + 1, 0, 1, 4)
        self.widgets = (self.term, self.worst, self.current, self.remove, message)

    def _fill_grades(self, *_: Any) -> None:
        term = self.terms.get(self.term.currentData())
        for box in (self.worst, self.current):
            box.clear()
        if term is None:
            return
        # no grade until the nurse chooses one: a grade nobody chose is a gap, never grade 1
        self.worst.addItem(self.not_chosen, None)
        self.current.addItem("not reassessed", None)
        self.current.addItem("0 — resolved", 0)
        for grade in term.defined_grades():
            words = term.grade_words(grade)
            self.worst.addItem(words, grade)
            self.current.addItem(words, grade)
            self.worst.setItemData(self.worst.count() - 1, words, Qt.ItemDataRole.ToolTipRole)

    def read(self) -> SideEffect | None:
        term = self.term.currentData()
        worst = self.worst.currentData()
        if term is None:
            return None
        # a term without its grade is read as such, and the review names it (no decision)
        return SideEffect(term, None if worst is None else int(worst), self.current.currentData())


class CycleEntryPage(FieldPage):
    """What the nurse enters at a cycle review: the day's labs (the wizard's lab rows), her
    weight, the day of the cycle and the side effects since the last cycle."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        limits = rule_tables.case_limits()
        self.terms = {t.term: t for t in course_views.recordable_terms()}
        top = self.form()
        self.reviewed_on = TypedDateEdit(dt.date.today())
        self.add_row(
            top,
            "reviewed_on",
            self.tr("Re&viewed on (labs drawn)"),
            self.reviewed_on,
            read=self.reviewed_on.json_value,
            write=lambda _value: None,
            signals=[self.reviewed_on.dateChanged],
        )
        self.day = QSpinBox()
        self.day.setRange(1, 84)
        self.add_row(
            top,
            "day",
            self.tr("Day of the c&ycle"),
            self.day,
            read=self.day.value,
            write=lambda _value: None,
            signals=[self.day.valueChanged],
        )
        self.weight = NumberEdit("kg")
        self.weight.setPlaceholderText(self.tr("not weighed today"))
        self.add_row(top, "body.weight_kg", self.tr("&Weight today"), self.weight)
        box = QGroupBox(self.tr("Today's results"))
        grid = QGridLayout(box)
        for col, text in enumerate(
            (self.tr("Test"), self.tr("Value"), self.tr("Unit"), self.tr("ULN"), self.tr("× ULN"))
        ):
            grid.addWidget(QLabel(f"<b>{text}</b>"), 0, col)
        self.rows: dict[str, LabRow] = {}
        for i, (name, label) in enumerate(REVIEW_LABS):
            self.rows[name] = LabRow(self, grid, 1 + 2 * i, limits.labs[name], self.tr(label))  # type: ignore[arg-type]
        grid.setColumnStretch(5, 1)
        self.body_layout.addWidget(box)
        self._add_when_needed(limits)
        effects = QGroupBox(self.tr("Side effects since the last cycle (CTCAE v5)"))
        outer = QVBoxLayout(effects)
        self.effects_grid = QGridLayout()
        for col, text in enumerate(
            (self.tr("What she has"), self.tr("Worst grade"), self.tr("Grade now"))
        ):
            self.effects_grid.addWidget(QLabel(f"<b>{text}</b>"), 0, col)
        self.effects_grid.setColumnStretch(4, 1)
        outer.addLayout(self.effects_grid)
        self.add_effect_button = QPushButton(self.tr("&Add a side effect"))
        self.add_effect_button.clicked.connect(self._add_effect_and_choose)
        outer.addWidget(self.add_effect_button)
        if any(not t.verified for t in self.terms.values()):
            unverified = QLabel(
                self.tr(
                    "UNVERIFIED: the side effects and grades marked so were written from "
                    "CTCAE v5.0 (NCI, 2017) and not yet checked word for word against it — "
                    "confirm locally"
                )
            )
            # wrapped: one long line widened the form past its panel, and the captions of the
            # results scrolled out of view at 1366 × 768
            unverified.setWordWrap(True)
            outer.addWidget(unverified)
        self.body_layout.addWidget(effects)
        self.body_layout.addStretch(1)
        self.effects: list[SideEffectRow] = []

    def _add_when_needed(self, limits: Any) -> None:
        """The findings asked only where a drug of the course reads them (`set_needed`): blood
        pressure and urine protein (the bevacizumab table), INR, ascites and encephalopathy
        (a dose table's Child–Pugh bands), the LVEF (the HER2 drugs' tables). Units and
        ranges are the case limits'. No mnemonics: the window's letters are taken."""
        self.when_needed = QGroupBox(
            self.tr("Asked for this course's drugs (today; their label tables read them)")
        )
        form = QFormLayout(self.when_needed)
        #: field path -> its row in `form` (shown only where the course reads it)
        self.asked_rows: dict[str, int] = {}

        def number(path: str, caption: str) -> NumberEdit:
            bounds = limits.fields[path]
            shown = unit_words(bounds.unit)
            edit = NumberEdit(shown)
            edit.setPlaceholderText(self.tr("{unit}, not measured").format(unit=shown))
            allowed = QLabel(f"{bounds.low:g}–{bounds.high:g} {shown}")
            allowed.setAccessibleName(self.tr("{what}: the values accepted").format(what=caption))
            self.add_row(form, path, caption, edit, trailing=allowed)
            self.asked_rows[path] = form.rowCount() - 1
            return edit

        def lab(name: str, caption: str) -> LabRow:
            holder = QWidget()
            grid = QGridLayout(holder)
            grid.setContentsMargins(0, 0, 0, 0)
            row = LabRow(self, grid, 0, limits.labs[name], caption)  # type: ignore[arg-type]
            form.addRow(holder)
            self.asked_rows[f"labs.{name}"] = form.rowCount() - 1
            return row

        def choice(path: str, caption: str, choices: list[tuple[str, str]]) -> ChoiceBox:
            box = ChoiceBox(choices, blank=self.tr("not examined today"))
            self.add_row(form, path, caption, box)
            self.asked_rows[path] = form.rowCount() - 1
            return box

        self.systolic = number("clinical.systolic_bp_mmhg", self.tr("Blood pressure, systolic"))
        self.diastolic = number("clinical.diastolic_bp_mmhg", self.tr("Blood pressure, diastolic"))
        self.dipstick = ChoiceBox([(v, v) for v in URINE_DIPSTICK], blank=self.tr("not tested"))
        self.add_row(
            form,
            "clinical.urine_dipstick_protein",
            self.tr("Urine dipstick, protein"),
            self.dipstick,
        )
        self.asked_rows["clinical.urine_dipstick_protein"] = form.rowCount() - 1
        self.urine_protein = lab(
            "urine_protein_24h",
            self.tr("Urine protein, 24-hour collection (at dipstick 2+ or more)"),
        )
        self.inr = lab("inr", self.tr("INR (for Child–Pugh)"))
        self.ascites = choice(
            "clinical.ascites", self.tr("Ascites (for Child–Pugh)"), words.ascites()
        )
        self.encephalopathy = choice(
            "clinical.encephalopathy",
            self.tr("Encephalopathy (for Child–Pugh)"),
            words.encephalopathy(),
        )
        self.lvef = number("clinical.lvef_percent", self.tr("LVEF (echo or MUGA)"))
        self.body_layout.addWidget(self.when_needed)
        self._asked_form = form
        self.set_needed(frozenset())

    def set_preferred_units(self, units: Mapping[str, str]) -> None:
        """The unit offered first per test: the clinic's usual one (Clinic settings), as the
        wizard offers it (walk 21 F10: counts offered in × 10⁹/L to a clinic that reads /µL);
        any unit can still be picked."""
        rows = {**self.rows, "urine_protein_24h": self.urine_protein, "inr": self.inr}
        for name, row in rows.items():
            unit = units.get(name)
            if unit is not None and (unit in row.lab.units or unit in row.entry_units):
                row.preferred_unit = unit
                if row.value.json_value() is None:
                    row.unit.setCurrentIndex(max(row.unit.findData(unit), 0))

    def set_needed(self, fields: frozenset[str]) -> None:
        """Show only the asked findings a drug of this course reads (none: no box)."""
        for path, row in self.asked_rows.items():
            self._asked_form.setRowVisible(row, path in fields)
        self.when_needed.setVisible(bool(fields & self.asked_rows.keys()))

    def set_last_lvef(
        self, last: review_fields.MeasuredLvef | None, date_format: str, *, due: bool = False
    ) -> None:
        """The LVEF box says which measurement the review uses when none is entered today, or
        that the last one is too old to be used (`due`: a gap until it is measured)."""
        if last is None:
            self.lvef.setPlaceholderText(self.tr("%, not measured"))
            return
        words = (
            self.tr("DUE: the last, {percent:g} % of {day}, is too old to be used — enter today's")
            if due
            else self.tr("not measured today: the last, {percent:g} % of {day}, is used")
        )
        self.lvef.setPlaceholderText(
            words.format(percent=last.percent, day=show_date(last.measured_on, date_format))
        )

    def clinical(self) -> dict[str, Any]:
        """Today's clinical findings the form asks (blood pressure, dipstick, ascites,
        encephalopathy, LVEF) as the case's `clinical` keys (entered ones)."""
        found = {k: w.json_value() for k, w in self._clinical_widgets().items()}
        return {k: v for k, v in found.items() if v is not None}

    def caption(self, path: str) -> str | None:
        """What the form calls the field of `path` (None: the form does not ask it for this
        course)."""
        found = self.field_for(path)
        # a side-effect row is named as soon as it is added (it is shown at the layout's next
        # pass); an asked row hidden for this course is not asked
        shown = found is not None and (
            found.widget.isVisibleTo(self) or found.path.startswith("side_effects[")
        )
        if found is None or not shown:
            return None
        # a part of a lab row: its ULN or unit named after the row ("Bilirubin (total) ULN")
        part = path[len(found.path) :].strip(".")
        extra = {"uln": " ULN", "unit": " unit"}.get(part, "")
        return found.widget.accessibleName() + extra

    def add_effect(self) -> SideEffectRow:
        row = SideEffectRow(self, self.effects_grid, len(self.effects))
        row.remove.clicked.connect(lambda: self.remove_effect(row))
        self.effects.append(row)
        self.edited.emit()
        return row

    def _add_effect_and_choose(self) -> None:
        """The button: a new row, and the keyboard in its side-effect box (walk 21 F14: the focus
        stayed in Creatinine, and the next keys typed went there)."""
        row = self.add_effect()
        row.term.show()  # shown now, not at the layout's next pass: it can take the focus
        row.term.setFocus()

    def remove_effect(self, row: SideEffectRow) -> None:
        """Remove a row; the rows after it take its place (paths follow positions)."""
        kept = [
            (r.term.currentData(), r.worst.currentData(), r.current.currentData())
            for r in self.effects
            if r is not row
        ]
        self._drop_effects()
        for term, worst, current in kept:
            new = self.add_effect()
            new.term.setCurrentIndex(max(new.term.findData(term), 0))
            new.worst.setCurrentIndex(max(new.worst.findData(worst), 0))
            new.current.setCurrentIndex(max(new.current.findData(current), 0))
        self.edited.emit()

    def _drop_effects(self) -> None:
        for each in self.effects:
            for widget in each.widgets:
                widget.hide()
                self.effects_grid.removeWidget(widget)
                widget.deleteLater()
        self.unregister("side_effects")
        self.effects = []

    def labs(self) -> dict[str, Any]:
        out: dict[str, Any] = {"drawn_on": self.reviewed_on.json_value()}
        for name, row in self.rows.items():
            result = row.read()
            if result is not None:
                out[name] = result
        for name, row in (("urine_protein_24h", self.urine_protein), ("inr", self.inr)):
            result = row.read()
            if result is not None:
                out[name] = result
        return out

    def show_times_uln(self, found: dict[str, str]) -> None:
        """The "× ULN" column: each liver test's multiple of its ULN, in words (blank until the
        value and a ULN are entered)."""
        for name, row in self.rows.items():
            if row.lab.takes_uln:
                row.x_uln.setText(found.get(name, ""))

    def side_effects(self) -> tuple[SideEffect, ...]:
        return tuple(e for e in (row.read() for row in self.effects) if e is not None)

    def state(self) -> dict[str, Any]:
        """What is entered, as plain JSON (the review's draft): every lab row as typed, the
        weight, the day, the side effects."""
        return {
            "reviewed_on": self.reviewed_on.json_value(),
            "day": self.day.value(),
            "weight_kg": self.weight.json_value(),
            "labs": {
                **{name: row.read() for name, row in self.rows.items()},
                "urine_protein_24h": self.urine_protein.read(),
                "inr": self.inr.read(),
            },
            "clinical": self.clinical(),
            "side_effects": [
                [r.term.currentData(), r.worst.currentData(), r.current.currentData()]
                for r in self.effects
            ],
        }

    def restore(self, state: dict[str, Any]) -> None:
        """Put a saved state back (a draft offered on reopening); what it lacks is left empty."""
        self.clear_results()
        with contextlib.suppress(ValueError):  # a date the form never wrote: today's stays
            self.reviewed_on.setDate(qdate(dt.date.fromisoformat(str(state.get("reviewed_on")))))
        day = state.get("day")
        if isinstance(day, int) and not isinstance(day, bool):
            self.day.setValue(day)
        self.weight.set_json_value(state.get("weight_kg"))
        saved_labs = state.get("labs")
        labs: dict[str, Any] = saved_labs if isinstance(saved_labs, dict) else {}
        for name, row in self.rows.items():
            row.write(labs.get(name))
        self.urine_protein.write(labs.get("urine_protein_24h"))
        self.inr.write(labs.get("inr"))
        saved_clinical = state.get("clinical")
        clinical: dict[str, Any] = saved_clinical if isinstance(saved_clinical, dict) else {}
        for key, widget in self._clinical_widgets().items():
            widget.set_json_value(clinical.get(key))
        for saved in state.get("side_effects") or ():
            if not isinstance(saved, list) or len(saved) != 3:
                continue
            term, worst, current = saved
            effect = self.add_effect()
            effect.term.setCurrentIndex(max(effect.term.findData(term), 0))
            effect.worst.setCurrentIndex(max(effect.worst.findData(worst), 0))
            effect.current.setCurrentIndex(max(effect.current.findData(current), 0))
        self.edited.emit()

    def _clinical_widgets(self) -> dict[str, NumberEdit | ChoiceBox]:
        return {
            "systolic_bp_mmhg": self.systolic,
            "diastolic_bp_mmhg": self.diastolic,
            "urine_dipstick_protein": self.dipstick,
            "ascites": self.ascites,
            "encephalopathy": self.encephalopathy,
            "lvef_percent": self.lvef,
        }

    def clear_results(self) -> None:
        for row in (*self.rows.values(), self.urine_protein, self.inr):
            row.value.set_json_value(None)
        for widget in self._clinical_widgets().values():
            widget.set_json_value(None)
        self._drop_effects()
        self.weight.set_json_value(None)
        self.day.setValue(1)
