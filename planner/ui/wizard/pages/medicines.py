"""Page 4: what she takes now, what she is allergic to, and her herbal or traditional remedies
(`medications`, `allergies`, `herbal_or_traditional`, contract §2a).

Why one module: it is one wizard page (one Qt class) whose medicine lines, allergy lines, the two
"none" answers and the remedies share one carried-from-last-visit state that Next checks as a
whole; split, each part would reach into the others' widgets.

Drugs are picked from the catalogue's international non-proprietary names (any letter case; an
accepted synonym such as acetaminophen is written as its INN, paracetamol); allergies take an INN,
a drug class as the catalogue writes it ("taxanes") or free text; remedies are free text, one a
line. What was carried from her last assessment is shown as "from last visit — confirm" until
the nurse confirms, changes or removes each line: Next does not leave the page before.

A removed line stays in its place as a blank (None) so the lines after it keep their positions:
their fields no page shows (a medicine's start date, its indication) are carried by position
(`carry`), and the removed line's go with it.

"She takes no regular medicines" is an answer, written as an empty list; no lines and no tick is
"not recorded" (null). The plan says the two apart (safety rule 2: a gap is never a decision).

Which carried lines are still unconfirmed is kept with a draft (`carried_paths`, by their
position in the draft's case), so a draft reopened shows which were confirmed and which not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner.domain.assessment_wording import (
    ALLERGIES_TITLE,
    ALLERGY_COLUMNS,
    MEDICINE_COLUMNS,
    MEDICINES_TITLE,
    NO_ALLERGIES_LABEL,
    NO_MEDICINES_LABEL,
    REMEDIES_TITLE,
)
from planner.domain.case import ALLERGY_SEVERITIES, MEDICATION_DOSE_UNITS, ROUTES
from planner.services import previews, rule_tables
from planner.ui.questions import ask_safe_first
from planner.ui.wizard import paths as case_paths
from planner.ui.wizard.fields import (
    ChoiceBox,
    DrugNameCompleter,
    FieldPage,
    LongTextEdit,
    NumberEdit,
    TextEdit,
    note,
)

CARRIED_WORDS = "from last visit — confirm"
CONFIRMED_WORDS = "confirmed"
#: a line with an error beside it (a brand or a name the catalogue does not know): never
#: "confirmed" (walk 21 F13)
NOT_ACCEPTED_WORDS = "not accepted — see below"
REMOVED_WORDS = "removed"
#: lines kept for an allergy line's state sentence ("checked: paclitaxel and carboplatin",
#: "not checked — …"), so the lines below stay put as it is read (walk23 #11)
STATE_LINES_KEPT = 3
CARRIED_STYLE = "color: #8a5a00; font-weight: bold;"
#: an allergy line the plan cannot check in full (a part it cannot read, a "no …" to check)
UNCHECKED_STYLE = "color: #a00000; font-weight: bold;"
#: the sections a new assessment carries from the last one, for the nurse to confirm
CARRIED_SECTIONS = ("medications", "allergies", "herbal_or_traditional")


def _looked_up(text: str) -> str:
    """How the catalogue looks a typed name up (planner.domain.validation: case and spaces)."""
    return " ".join(text.split()).lower()


def medicine_inn(text: Any) -> Any:
    """A typed drug name as the case holds it: the catalogue's INN for a name or synonym it
    knows, else the text as typed (the validator then names the field)."""
    if not isinstance(text, str) or not text.strip():
        return None
    return rule_tables.case_limits().medicines.get(_looked_up(text), text.strip())


def medicine_written(text: Any) -> str | None:
    """What was typed, where the catalogue read it as another name (a brand: "Dolo 650" is
    paracetamol): the case keeps it beside the INN, for print (print24); None where the typed
    name is the INN itself or is not known."""
    if not isinstance(text, str) or not text.strip():
        return None
    inn = rule_tables.case_limits().medicines.get(_looked_up(text))
    if inn is None or _looked_up(text) == _looked_up(inn):
        return None
    return " ".join(text.split())


def allergy_substance(text: Any) -> Any:
    """An allergy's substance: the INN of a known drug name or synonym, else as typed (a class
    such as "taxanes", or free text)."""
    if not isinstance(text, str) or not text.strip():
        return None
    return rule_tables.case_limits().medicines.get(_looked_up(text), text.strip())


@dataclass
class Line:
    """One medicine or allergy line: its widgets, whether it came from the last visit and is not
    confirmed yet, and whether the nurse removed it."""

    widgets: list[QWidget]
    state: QLabel
    confirm: QPushButton
    remove: QPushButton
    carried: bool = False
    removed: bool = False
    inputs: list[QWidget] = field(default_factory=list)
    path: str = ""  # "medications[0]": the case path of the line's fields


class MedicinesPage(FieldPage):
    SECTIONS = CARRIED_SECTIONS
    LISTS = ("medications", "allergies")
    STATED_EMPTY = ("medications", "allergies")
    OPTIONAL_SECTIONS = ()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Medicines, allergies and remedies"))
        self.setSubTitle(
            self.tr(
                "What she takes now (by international non-proprietary name), her drug "
                "allergies, and herbal or traditional remedies. The plan checks them against "
                "what it suggests."
            )
        )
        limits = rule_tables.case_limits()
        self._drug_names = sorted(limits.medicines)
        self._allergy_names = sorted(
            {*limits.medicines, *limits.allergy_classes, *limits.allergy_excipients}
        )
        self.medicine_lines: list[Line] = []
        self.allergy_lines: list[Line] = []
        #: allergy texts the program cannot read that the nurse chose to keep (asked once each)
        self._unread_kept: set[Any] = set()

        meds = QGroupBox(self.tr(MEDICINES_TITLE))
        column = QVBoxLayout(meds)
        column.addWidget(
            note(
                self.tr(
                    "Type a few letters of the name (any case; a synonym such as acetaminophen "
                    "is accepted). Dose and how often as on the label or the prescription."
                )
            )
        )
        none_row = QHBoxLayout()
        self.none_taken = QCheckBox(self.tr(NO_MEDICINES_LABEL))
        self.none_taken.setToolTip(
            self.tr(
                "Tick only when she (or her family) said so. No lines and no tick is printed as "
                '"medicines not recorded".'
            )
        )
        self.none_taken_state = QLabel()
        self.none_taken_state.setStyleSheet(CARRIED_STYLE)
        self.none_taken_confirm = QPushButton(self.tr("Confirm"))
        self.none_taken_confirm.setAccessibleName(
            self.tr('Confirm "takes no regular medicines" from last visit')
        )
        self.none_taken_confirm.clicked.connect(self._confirm_none_taken)
        self.none_taken_carried = False
        for widget in (self.none_taken, self.none_taken_state, self.none_taken_confirm):
            none_row.addWidget(widget)
        none_row.addStretch(1)
        column.addLayout(none_row)
        self.none_taken.toggled.connect(self._none_taken_toggled)
        self._show_none_taken_carried()
        self.medicine_grid = QGridLayout()
        for col, text in enumerate(
            (*(self.tr(c) for c in MEDICINE_COLUMNS), self.tr("State"))  # as on the paper form
        ):
            self.medicine_grid.addWidget(QLabel(f"<b>{text}</b>"), 0, col)
        column.addLayout(self.medicine_grid)
        self.add_medicine_button = QPushButton(self.tr("Add a &medicine"))
        self.add_medicine_button.setAccessibleName(self.tr("Add a medicine"))
        self.add_medicine_button.clicked.connect(self._add_medicine_clicked)
        column.addWidget(self.add_medicine_button)
        self.body_layout.addWidget(meds)

        allergies = QGroupBox(self.tr(ALLERGIES_TITLE))
        column = QVBoxLayout(allergies)
        column.addWidget(
            note(
                self.tr(
                    "A medicine (INN), a class as the catalogue writes it (taxanes, platinum "
                    "compounds, penicillins …), or in words if neither fits."
                )
            )
        )
        # "No known drug allergies" is an answer (an empty list); no lines and no tick is "not
        # recorded" (null): every print says which (rule 2, issue 20)
        nkda_row = QHBoxLayout()
        self.no_allergies = QCheckBox(self.tr(NO_ALLERGIES_LABEL))
        self.no_allergies.setToolTip(
            self.tr(
                "Tick only when she (or her family) was asked and said none. No lines and no "
                'tick is printed as "Allergies: not recorded".'
            )
        )
        self.no_allergies_state = QLabel()
        self.no_allergies_state.setStyleSheet(CARRIED_STYLE)
        self.no_allergies_confirm = QPushButton(self.tr("Confirm"))
        self.no_allergies_confirm.setAccessibleName(
            self.tr('Confirm "no known drug allergies" from last visit')
        )
        self.no_allergies_confirm.clicked.connect(lambda: self._set_no_allergies_carried(False))
        for widget in (self.no_allergies, self.no_allergies_state, self.no_allergies_confirm):
            nkda_row.addWidget(widget)
        nkda_row.addStretch(1)
        column.addLayout(nkda_row)
        self.no_allergies.toggled.connect(self._no_allergies_toggled)
        self._set_no_allergies_carried(False)
        self.allergy_grid = QGridLayout()
        for col, text in enumerate((*(self.tr(c) for c in ALLERGY_COLUMNS), self.tr("State"))):
            self.allergy_grid.addWidget(QLabel(f"<b>{text}</b>"), 0, col)
        column.addLayout(self.allergy_grid)
        self.add_allergy_button = QPushButton(self.tr("Add an a&llergy"))
        self.add_allergy_button.setAccessibleName(self.tr("Add an allergy"))
        self.add_allergy_button.clicked.connect(self._add_allergy_clicked)
        column.addWidget(self.add_allergy_button)
        self.body_layout.addWidget(allergies)

        remedies = self.form(self.tr(REMEDIES_TITLE))
        self.remedies = LongTextEdit()
        self.remedies.setPlaceholderText(self.tr("one a line, in words (e.g. green tea extract)"))
        self.remedies_state = QLabel()
        self.remedies_state.setStyleSheet(CARRIED_STYLE)
        self.remedies_state.hide()
        self.remedies_confirm = QPushButton(self.tr("Confirm remedies"))
        self.remedies_confirm.setAccessibleName(self.tr("Confirm the remedies from last visit"))
        self.remedies_confirm.clicked.connect(lambda: self._confirm_remedies())
        self.remedies_confirm.hide()
        self.remedies_carried = False
        self.add_row(
            remedies,
            "herbal_or_traditional",
            self.tr("Re&medies"),
            self.remedies,
            read=lambda: _lines(self.remedies.toPlainText()),
            write=lambda v: self.remedies.setPlainText("\n".join(v) if isinstance(v, list) else ""),
        )
        remedies.addRow(self.remedies_state, self.remedies_confirm)
        self.remedies.textEdited.connect(lambda _t: self._confirm_remedies())
        self.body_layout.addStretch(1)

    # -- lines ------------------------------------------------------------------------------

    def _add_medicine_clicked(self) -> None:
        self.add_medicine_line()
        _focus_new(self.medicine_lines[-1])
        self._on_edit()

    def _add_allergy_clicked(self) -> None:
        self.add_allergy_line()
        _focus_new(self.allergy_lines[-1])
        self._on_edit()

    def add_medicine_line(self) -> None:
        index = len(self.medicine_lines)
        base, n = f"medications[{index}]", index + 1
        drug = TextEdit()
        drug.setCompleter(DrugNameCompleter(self._drug_names, drug))
        drug.setPlaceholderText(self.tr("e.g. carbamazepine"))
        dose = NumberEdit()
        unit = ChoiceBox([(u, u) for u in MEDICATION_DOSE_UNITS], blank=self.tr("unit"))
        route = ChoiceBox([(r, r) for r in ROUTES], blank=self.tr("route"))
        often = TextEdit()
        often.setPlaceholderText(self.tr("e.g. twice daily"))
        inputs: list[QWidget] = [drug, dose, unit, route, often]
        line = self._line(inputs, self.medicine_grid, 1 + 2 * index, self.medicine_lines)
        specs: list[tuple[str, str, Callable[[], Any] | None]] = [
            ("drug", self.tr("Medicine {n}"), lambda: medicine_inn(drug.json_value())),
            ("dose.value", self.tr("Medicine {n} dose"), None),
            ("dose.unit", self.tr("Medicine {n} dose unit"), None),
            ("route", self.tr("Medicine {n} route"), None),
            ("frequency", self.tr("Medicine {n} how often"), None),
        ]
        self._register_line(base, n, inputs, specs, line, self.medicine_grid, 1 + 2 * index)
        self._chain_tab_order()

    def add_allergy_line(self) -> None:
        index = len(self.allergy_lines)
        base, n = f"allergies[{index}]", index + 1
        substance = TextEdit()
        substance.setCompleter(DrugNameCompleter(self._allergy_names, substance))
        substance.setPlaceholderText(self.tr("e.g. paclitaxel, taxanes"))
        reaction = TextEdit()
        reaction.setPlaceholderText(self.tr("e.g. anaphylaxis"))
        severity = ChoiceBox([(s, s) for s in ALLERGY_SEVERITIES], blank=self.tr("severity"))
        inputs: list[QWidget] = [substance, reaction, severity]
        line = self._line(inputs, self.allergy_grid, 1 + 2 * index, self.allergy_lines)
        specs: list[tuple[str, str, Callable[[], Any] | None]] = [
            (
                "substance",
                self.tr("Allergy {n}"),
                lambda: allergy_substance(substance.json_value()),
            ),
            ("reaction", self.tr("Allergy {n} reaction"), None),
            ("severity", self.tr("Allergy {n} severity"), None),
        ]
        self._register_line(base, n, inputs, specs, line, self.allergy_grid, 1 + 2 * index)
        self._chain_tab_order()

    def _chain_tab_order(self) -> None:
        """Tab goes down the page as it reads: the medicines' tick, their lines, "Add a
        medicine", the allergies' tick, their lines, "Add an allergy", the remedies. Putting
        "Add a medicine" after a new line's Remove (alone) took it out of the chain before the
        allergies: Tab then went from it to Back and Next, and "No known drug allergies" was
        reachable only by its letter (walk24 #10)."""
        chain: list[QWidget] = [self.none_taken, self.none_taken_confirm]
        for line in self.medicine_lines:
            chain += [*line.inputs, line.confirm, line.remove]
        chain += [self.add_medicine_button, self.no_allergies, self.no_allergies_confirm]
        for line in self.allergy_lines:
            chain += [*line.inputs, line.confirm, line.remove]
        chain += [self.add_allergy_button, self.remedies, self.remedies_confirm]
        for first, then in pairwise(chain):
            QWidget.setTabOrder(first, then)

    def _line(self, inputs: list[QWidget], grid: QGridLayout, row: int, lines: list[Line]) -> Line:
        state = QLabel()
        state.setWordWrap(True)  # an allergy line's state can be a sentence
        state.setStyleSheet(CARRIED_STYLE)
        state.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # walk23 #11: the columns took their widths from the states ("confirmed", "not accepted
        # — see below") and changed as each line was validated; an allergy line grew with its
        # state sentence and moved the lines below. The state column has a width of its own,
        # the fields share the rest by fixed stretches, and a line keeps room for its state
        # (STATE_LINES_KEPT lines for an allergy's sentence) and for one message.
        metrics = self.fontMetrics()
        words = max(
            metrics.horizontalAdvance(self.tr(w))
            for w in (CARRIED_WORDS, NOT_ACCEPTED_WORDS, CONFIRMED_WORDS, REMOVED_WORDS)
        )
        allergy = lines is self.allergy_lines
        state.setFixedWidth(words * (2 if allergy else 1) + metrics.averageCharWidth())
        state.setMinimumHeight(metrics.lineSpacing() * (STATE_LINES_KEPT if allergy else 1))
        for col in range(len(inputs)):
            grid.setColumnStretch(col, 2 if col == 0 else 1)
        confirm = QPushButton(self.tr("Confirm"))
        remove = QPushButton(self.tr("Remove"))
        line = Line([*inputs, state, confirm, remove], state, confirm, remove, inputs=inputs)
        confirm.clicked.connect(lambda: self._confirm(line))
        remove.clicked.connect(lambda: self._remove(line))
        for col, widget in enumerate([*inputs, state, confirm, remove]):
            grid.addWidget(widget, row, col)
        lines.append(line)
        self._set_carried(line, False)
        return line

    def _register_line(
        self,
        base: str,
        n: int,
        inputs: list[QWidget],
        specs: list[tuple[str, str, Callable[[], Any] | None]],
        line: Line,
        grid: QGridLayout,
        row: int,
    ) -> None:
        messages = QWidget()
        column = QVBoxLayout(messages)
        column.setContentsMargins(0, 0, 0, 0)
        for widget, (key, name, read) in zip(inputs, specs, strict=True):
            reader = read or widget.json_value  # type: ignore[attr-defined]
            message = self.register(
                f"{base}.{key}",
                widget,
                name.format(n=n),
                read=_unless_removed(reader, line),
                # under the row, apart from its field: each message names it ("Medicine 2
                # dose unit: is required"; walk23 #13: a bare "is required")
                named=name.format(n=n),
            )
            column.addWidget(message)
            # An edit is the nurse's word on the line: it is hers now, not last visit's.
            signal = getattr(widget, "textEdited", None) or widget.currentIndexChanged  # type: ignore[attr-defined]
            signal.connect(lambda *_a, ln=line: self._set_carried(ln, False))
        line.path = base
        line.confirm.setAccessibleName(self.tr("Confirm line {n}").format(n=n))
        line.remove.setAccessibleName(self.tr("Remove line {n}").format(n=n))
        messages.setMinimumHeight(self.fontMetrics().lineSpacing())  # one message: no move
        grid.addWidget(messages, row + 1, 0, 1, grid.columnCount())
        line.widgets.append(messages)

    def _set_carried(self, line: Line, carried: bool) -> None:
        line.carried = carried and not line.removed
        if line.removed:
            line.state.setText(self.tr(REMOVED_WORDS))
        elif line.carried:
            line.state.setText(self.tr(CARRIED_WORDS))
        elif self._refused(line):
            line.state.setText(self.tr(NOT_ACCEPTED_WORDS))
        else:
            has_value = any(not _blank(w) for w in line.inputs)
            line.state.setText(self.tr(CONFIRMED_WORDS) if has_value else "")
            if has_value and line in self.allergy_lines:
                # what the line is read as, in the plan's words: "checked: paclitaxel and
                # carboplatin" or "not checked — …" (recheck21: both said "confirmed")
                read = previews.allergy_line_state(line.inputs[0].json_value())  # type: ignore[attr-defined]
                against = self._contradictions().get(self.allergy_lines.index(line))
                if against is not None:  # "no known drug allergies" beside real ones
                    read = (False, against)
                if read is not None:
                    checked, words = read
                    line.state.setText(words)
                    line.state.setStyleSheet("" if checked else UNCHECKED_STYLE)
                    line.confirm.setVisible(False)
                    return
        line.state.setStyleSheet(CARRIED_STYLE if line.carried else "")
        line.confirm.setVisible(line.carried)

    def _contradictions(self) -> dict[int, str]:
        """By line index, a "no known drug allergies" line beside lines naming allergies: a
        contradiction to resolve, said on its line (walk23 HARM 3)."""
        return previews.allergy_line_contradictions(
            [
                None if line.removed else line.inputs[0].json_value()  # type: ignore[attr-defined]
                for line in self.allergy_lines
            ]
        )

    def _refused(self, line: Line) -> bool:
        """True when an error of the line is shown beside it (a brand name, a name the
        catalogue does not know, a dose without its unit)."""
        return bool(line.path) and any(
            case_paths.is_within(p.path, line.path) for p in self.shown_errors()
        )

    def messages_shown(self) -> None:
        """A line's State follows the messages shown: "not accepted" while an error of it is
        shown, "confirmed" once it is put right (walk 21 F13)."""
        for line in (*self.medicine_lines, *self.allergy_lines):
            if not line.carried and not line.removed:
                self._set_carried(line, False)

    def _confirm(self, line: Line) -> None:
        self._set_carried(line, False)
        self._on_edit()

    def _remove(self, line: Line) -> None:
        line.removed = True
        for widget in line.inputs:
            widget.setEnabled(False)
        line.remove.setEnabled(False)
        self._set_carried(line, False)
        self._on_edit()

    def _none_taken_toggled(self, checked: bool) -> None:
        """Ticked: her medicine lines are set aside (kept on screen, greyed, not saved)."""
        self.none_taken_carried = False  # the nurse's word now, not last visit's
        self._show_none_taken_carried()
        self._enable_medicine_lines(not checked)
        self._on_edit()

    def _no_allergies_toggled(self, checked: bool) -> None:
        """Ticked: her allergy lines are set aside (kept on screen, greyed, not saved)."""
        self._set_no_allergies_carried(False)  # the nurse's word now, not last visit's
        self._enable_allergy_lines(not checked)
        self._on_edit()

    def _enable_allergy_lines(self, enabled: bool) -> None:
        for line in self.allergy_lines:
            for widget in line.inputs:
                widget.setEnabled(enabled and not line.removed)
            line.remove.setEnabled(enabled and not line.removed)
            line.confirm.setEnabled(enabled)
        self.add_allergy_button.setEnabled(enabled)

    def _set_no_allergies_carried(self, carried: bool) -> None:
        self.no_allergies_carried = carried
        self.no_allergies_state.setText(self.tr(CARRIED_WORDS) if carried else "")
        self.no_allergies_state.setVisible(carried)
        self.no_allergies_confirm.setVisible(carried)

    def _enable_medicine_lines(self, enabled: bool) -> None:
        for line in self.medicine_lines:
            for widget in line.inputs:
                widget.setEnabled(enabled and not line.removed)
            line.remove.setEnabled(enabled and not line.removed)
            line.confirm.setEnabled(enabled)
        self.add_medicine_button.setEnabled(enabled)

    def _confirm_none_taken(self) -> None:
        self.none_taken_carried = False
        self._show_none_taken_carried()
        self._on_edit()

    def _show_none_taken_carried(self) -> None:
        self.none_taken_state.setText(self.tr(CARRIED_WORDS) if self.none_taken_carried else "")
        self.none_taken_state.setVisible(self.none_taken_carried)
        self.none_taken_confirm.setVisible(self.none_taken_carried)

    def _confirm_remedies(self) -> None:
        self.remedies_carried = False
        self.remedies_state.hide()
        self.remedies_confirm.hide()

    # -- values -----------------------------------------------------------------------------

    def value(self) -> dict[str, Any]:
        out = super().value()
        for key in ("medications", "allergies"):
            lines = []
            for line in out.get(key) or []:
                dose = line.get("dose") if isinstance(line, dict) else None
                if isinstance(dose, dict) and all(v is None for v in dose.values()):
                    line["dose"] = None
                # A blank or removed line keeps its place as None (dropped when the case is
                # written), so the lines after it keep their hidden fields (`carry`); within a
                # line, what is not recorded is left out rather than written as null.
                kept = {k: v for k, v in (line or {}).items() if v is not None}
                lines.append(kept or None)
            out[key] = lines if any(lines) else None
        for line, entry in zip(self.medicine_lines, out.get("medications") or (), strict=False):
            if isinstance(entry, dict) and "drug" in entry:
                written = medicine_written(line.inputs[0].json_value())  # type: ignore[attr-defined]
                entry.pop("written", None)  # what was typed now, never a brand carried over
                if written is not None:
                    entry["written"] = written
        if self.none_taken.isChecked():
            out["medications"] = []  # an answer: she takes none (not "not recorded")
        if self.no_allergies.isChecked():
            out["allergies"] = []  # an answer: no known drug allergies (not "not recorded")
        return out

    def set_value(self, document: dict[str, Any]) -> None:
        for key, lines, add in (
            ("medications", self.medicine_lines, self.add_medicine_line),
            ("allergies", self.allergy_lines, self.add_allergy_line),
        ):
            loaded = document.get(key)
            count = len(loaded) if isinstance(loaded, list) else 0
            while len(lines) < count:
                add()
            for line in lines:
                line.removed = False
                for widget in line.inputs:
                    widget.setEnabled(True)
                line.remove.setEnabled(True)
        if not self.medicine_lines:
            self.add_medicine_line()  # a first line to type into
        super().set_value(document)
        loaded = document.get("medications")
        for line, entry in zip(self.medicine_lines, loaded or (), strict=False):
            if isinstance(entry, dict) and isinstance(entry.get("written"), str):
                # the brand as she typed it stays in the box (saved again as typed)
                line.inputs[0].setText(entry["written"])  # type: ignore[attr-defined]
        for line in (*self.medicine_lines, *self.allergy_lines):
            self._set_carried(line, False)
        self._confirm_remedies()
        self.none_taken.blockSignals(True)  # loading is not an edit
        self.none_taken.setChecked(document.get("medications") == [])
        self.none_taken.blockSignals(False)
        self.none_taken_carried = False
        self._show_none_taken_carried()
        self._enable_medicine_lines(not self.none_taken.isChecked())
        self.no_allergies.blockSignals(True)
        self.no_allergies.setChecked(document.get("allergies") == [])
        self.no_allergies.blockSignals(False)
        self._set_no_allergies_carried(False)
        self._enable_allergy_lines(not self.no_allergies.isChecked())

    def first_field(self) -> QWidget | None:
        """The first medicine's name (the remedies box was registered before any line)."""
        for line in self.medicine_lines:
            if not line.removed:
                return line.inputs[0]
        return super().first_field()

    def mark_carried(self, paths: tuple[str, ...]) -> None:
        """What came from the last assessment and is not confirmed yet: each shows "from last
        visit — confirm" until the nurse confirms, changes or removes it. A section's name
        (`medications`) marks all of it (a new assessment); a line's path (`medications[1]`)
        marks that line (a draft reopened: `carried_paths` as it was saved)."""
        for key, lines in (("medications", self.medicine_lines), ("allergies", self.allergy_lines)):
            for index, line in enumerate(lines):
                if (key in paths or f"{key}[{index}]" in paths) and _filled(line):
                    self._set_carried(line, True)
        if "medications" in paths and self.none_taken.isChecked():
            self.none_taken_carried = True
            self._show_none_taken_carried()
        if "allergies" in paths and self.no_allergies.isChecked():
            self._set_no_allergies_carried(True)
        if "herbal_or_traditional" in paths and self.remedies.toPlainText().strip():
            self.remedies_carried = True
            self.remedies_state.setText(self.tr(CARRIED_WORDS))
            self.remedies_state.show()
            self.remedies_confirm.show()

    def carried_paths(self) -> tuple[str, ...]:
        """What is still unconfirmed, as `mark_carried` reads it back from a draft: a line by its
        position in the saved case (removed and blank lines are not saved, so they do not
        count), "takes no medicines" and the remedies by their section's name."""
        out: list[str] = []
        none_taken = self.none_taken.isChecked()
        no_allergies = self.no_allergies.isChecked()
        for key, lines in (("medications", self.medicine_lines), ("allergies", self.allergy_lines)):
            if (key == "medications" and none_taken) or (key == "allergies" and no_allergies):
                continue  # the lines are set aside: not saved
            saved = [line for line in lines if not line.removed and _filled(line)]
            out += [f"{key}[{i}]" for i, line in enumerate(saved) if line.carried]
        if none_taken and self.none_taken_carried:
            out.append("medications")
        if no_allergies and self.no_allergies_carried:
            out.append("allergies")
        if self.remedies_carried:
            out.append("herbal_or_traditional")
        return tuple(out)

    def unconfirmed(self) -> int:
        """How many lines (and the remedies) from the last visit are not confirmed yet."""
        return len(self.carried_paths())

    def validatePage(self) -> bool:
        waiting = self.unconfirmed()
        if waiting:
            self.page_message.setText(
                self.tr(
                    "{n} line(s) from the last visit are not confirmed: confirm, change or "
                    "remove each (her medicines may have changed since)."
                ).format(n=waiting)
            )
            self.page_message.show()
            return False
        if not super().validatePage():
            return False
        return self.unread_allergies_confirmed()

    def unread_allergies(self) -> list[tuple[Line, str]]:
        """Each allergy line kept that the plan cannot check in full, with its state in words
        ("not checked — the program cannot read 'shellfish' …"); none while the lines are set
        aside by "No known drug allergies"."""
        if self.no_allergies.isChecked():
            return []
        out = []
        for line in self.allergy_lines:
            written = line.inputs[0].json_value()  # type: ignore[attr-defined]
            read = None if line.removed else previews.allergy_line_state(written)
            if read is not None and not read[0]:
                out.append((line, read[1]))
        return out

    def unread_allergies_confirmed(self) -> bool:
        """Next: an allergy line the program cannot read is asked about, once per text (walk24
        #7: "sulfa" was not read and Next passed silently). Going back (the default) leaves the
        nurse on the line; going on keeps it, printed as not read by the program."""
        for line, words in self.unread_allergies():
            written = line.inputs[0].json_value()  # type: ignore[attr-defined]
            if written in self._unread_kept:
                continue
            if not self.ask_unread(str(written), words):
                line.inputs[0].setFocus(Qt.FocusReason.OtherFocusReason)
                return False
            self._unread_kept.add(written)
        return True

    def ask_unread(self, written: str, words: str) -> bool:
        """True when the nurse keeps the line as written (tests answer for her)."""
        return ask_safe_first(
            self,
            QMessageBox.Icon.Warning,
            self.tr("An allergy the program cannot check"),
            self.tr(
                'Allergy "{written}": {words}.\n\nIf kept, it is printed on the plan and the '
                "booklet as written, marked as not checked by the program, and no suggested "
                "drug is checked against it."
            ).format(written=written, words=words),
            safe=self.tr("&Go back and write the drug's name"),
            other=self.tr("&Keep it as written"),
        )


def _focus_new(line: Line) -> None:
    """The new line's first field takes the focus. A widget added to a shown layout is shown
    only later (a queued show), and focus given to a hidden widget is dropped: the focus
    stayed on the tick box above, and the spaces typed toggled it (walk23 #12)."""
    first = line.inputs[0]
    for widget in line.inputs:
        widget.show()
    first.setFocus(Qt.FocusReason.OtherFocusReason)


def _unless_removed(read: Callable[[], Any], line: Line) -> Callable[[], Any]:
    """A line's field reads nothing once the nurse removed the line."""

    def reader() -> Any:
        return None if line.removed else read()

    return reader


def _lines(text: str) -> list[str] | None:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines or None


def _filled(line: Line) -> bool:
    return any(not _blank(w) for w in line.inputs)


def _blank(widget: QWidget) -> bool:
    value = widget.json_value()  # type: ignore[attr-defined]
    return value is None or value == ""
