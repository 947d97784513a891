"""Input widgets that can say "not recorded", and the page base class that maps problems to them.

Why one module: the inputs that can say "not recorded" and `FieldPage`, the page base class that
maps the validator's problems onto them, are one protocol (read a JSON value, write one, show a
problem or a doubt beside the widget); every wizard page uses both.

Every input here reads back a JSON value (or None for *not assessed*) and writes one in; typed text
that is not a number is passed on as text so the one validator can name it in words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from planner.domain.dates import DEFAULT_DATE_FORMAT, parse_date, show_date
from planner.domain.plan_words import field_words
from planner.domain.problems import Problem
from planner.domain.typed_numbers import read_typed_number
from planner.ui.wizard import paths

#: what an empty date field shows, per clinic date format
DATE_PLACEHOLDERS = {"dd/mm/yyyy": "DD/MM/YYYY", "dd.mm.yyyy": "DD.MM.YYYY", "iso": "YYYY-MM-DD"}
ERROR_STYLE = "color: #b00020;"
DOUBT_STYLE = "color: #8a5a00;"

W = TypeVar("W", bound=QWidget)  # add_row gives back the widget it was given


def tr(text: str) -> str:
    return QCoreApplication.translate("fields", text)


def parse_number(text: str) -> Any:
    """ "" -> None; "54,5" -> 54.5; "7" -> 7; "1,80,000" -> 180000; "3,200" (thousands or a
    decimal comma?) and anything else not one number are returned as typed, and the validator
    then says why (planner.domain.typed_numbers)."""
    return read_typed_number(text)


def show_number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class NumberEdit(QLineEdit):
    """A number, or blank for not recorded."""

    def __init__(self, unit: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(unit or tr("number"))
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 14 + 24)

    def json_value(self) -> Any:
        return parse_number(self.text())

    def set_json_value(self, value: Any) -> None:
        self.setText(show_number(value))

    def focusInEvent(self, event: QFocusEvent) -> None:
        """A number carried from the last visit is selected whenever the field is entered, so
        what is typed replaces it: typing 5 into "0" gave "05" (issue 16, review 16c). Qt
        selects only on Tab and shortcuts; a click places the cursor as it is released, so the
        selection follows once the click is done."""
        super().focusInEvent(event)
        if event.reason() == Qt.FocusReason.MouseFocusReason:
            QTimer.singleShot(0, self, self.selectAll)
        else:
            self.selectAll()


class TextEdit(QLineEdit):
    def json_value(self) -> Any:
        return self.text().strip() or None

    def set_json_value(self, value: Any) -> None:
        self.setText("" if value is None else str(value))


class DrugNameCompleter(QCompleter):
    """Suggests catalogue drug names, ignoring case, for the name being typed in a comma
    separated list ("letrozole, Palbo" offers palbociclib).

    Tab (or Shift+Tab) in the open suggestions takes the highlighted name; with none
    highlighted it takes the only suggestion, or the one name the typed text begins (a unique
    prefix: "tamox"), else keeps the text as typed (the page then shows the error), and moves
    on as Tab does in every other field. Qt's own
    handling left the typed "Palbo" and, on a desktop, the focus back in the drug box when the
    list closed, so the date typed next landed among the drugs (issue 16). The list is closed
    before the focus moves, so closing it cannot take the focus back."""

    def __init__(self, names: Iterable[str], parent: QWidget | None = None) -> None:
        super().__init__(sorted(names), parent)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)

    def eventFilter(self, watched: Any, event: QEvent) -> bool:
        popup = self.popup()
        if (
            watched is popup
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            and popup.isVisible()
        ):
            self._take_and_move_on(event)
            return True
        return super().eventFilter(watched, event)

    def _take_and_move_on(self, event: QKeyEvent) -> None:
        widget = self.widget()
        popup = self.popup()
        assert popup is not None  # a completer always has its list
        current = popup.currentIndex()
        popup.hide()
        if not isinstance(widget, QLineEdit):
            return
        name = str(current.data()) if current.isValid() else self._only_candidate()
        if name is not None:
            chosen = self._typed_with(name)
            if chosen != widget.text():
                widget.setText(chosen)
                widget.textEdited.emit(chosen)  # as if typed: the page reads it and checks it
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        # The field's own Tab: the next (or previous) field in the page's tab order.
        QCoreApplication.sendEvent(widget, QKeyEvent(event.type(), event.key(), event.modifiers()))

    def _only_candidate(self) -> str | None:
        """The one name Tab may take with none highlighted: the only suggestion shown, or the
        only one that begins with what was typed; None when the choice is the clinician's."""
        model = self.completionModel()
        names = [str(model.index(row, 0).data()) for row in range(model.rowCount())]
        if len(names) == 1:
            return names[0]
        typed = self.completionPrefix().strip().casefold()
        starting = [n for n in names if typed and n.casefold().startswith(typed)]
        return starting[0] if len(starting) == 1 else None

    def splitPath(self, path: str) -> list[str]:
        return [path.replace(";", ",").split(",")[-1].strip()]

    def pathFromIndex(self, index: Any) -> str:
        return self._typed_with(str(super().pathFromIndex(index)))

    def _typed_with(self, name: str) -> str:
        """The box's text with the name being typed replaced by `name` (earlier names kept)."""
        widget = self.widget()
        typed = widget.text() if isinstance(widget, QLineEdit) else ""
        head = typed.replace(";", ",").rsplit(",", 1)[0] if "," in typed.replace(";", ",") else ""
        return f"{head}, {name}" if head else name


class DateEdit(TextEdit):
    """A date typed as DD/MM/YYYY, DD.MM.YYYY or YYYY-MM-DD (planner.domain.dates), or a month
    alone (taken as the 1st, and said so beside the field); shown in the clinic's format.

    The case holds ISO dates; text that is no date is passed on as typed, so the one validator
    names the field. `shown_as` is the clinic setting `date_format`, set by the wizard for
    every date field (one clinic, one format)."""

    shown_as = DEFAULT_DATE_FORMAT

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(DATE_PLACEHOLDERS.get(self.shown_as, "DD/MM/YYYY"))
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("0000-00-00") * 2)
        self.note_label = QLabel()
        self.note_label.setStyleSheet("color: palette(placeholder-text);")
        self.note_label.hide()

    def json_value(self) -> Any:
        text = self.text().strip()
        if not text:
            return None
        parsed = parse_date(text)
        return parsed.date.isoformat() if parsed is not None else text

    def set_json_value(self, value: Any) -> None:
        self.setText(show_date(value, self.shown_as) if isinstance(value, str) else "")
        self._note(None)

    def focusOutEvent(self, event: Any) -> None:
        super().focusOutEvent(event)
        self._tidy()

    def _tidy(self) -> None:
        """When the nurse leaves the field: the date in the clinic's format, and a note when
        only the month was typed."""
        parsed = parse_date(self.text())
        if parsed is None:
            return
        shown = show_date(parsed.date, self.shown_as)
        if shown != self.text():
            self.setText(shown)
        self._note(parsed.note)

    def _note(self, text: str | None) -> None:
        self.note_label.setText(tr(text) if text else "")
        self.note_label.setVisible(bool(text))
        # Said inline only: as a tooltip it was left at the screen's corner over File and Edit
        # for the whole session under a bare X server (nurse16 walk, item 11).


class LongTextEdit(QPlainTextEdit):
    textEdited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setMaximumHeight(self.fontMetrics().lineSpacing() * 5 + 16)
        self.textChanged.connect(lambda: self.textEdited.emit(self.toPlainText()))

    def json_value(self) -> Any:
        return self.toPlainText().strip() or None

    def set_json_value(self, value: Any) -> None:
        self.setPlainText("" if value is None else str(value))


class ChoiceBox(QComboBox):
    """A closed list with "not recorded" first (None)."""

    def __init__(
        self,
        choices: Sequence[tuple[Any, str]],
        parent: QWidget | None = None,
        blank: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.addItem(blank if blank is not None else tr("not recorded"), None)
        for value, text in choices:
            self.addItem(text, value)

    def json_value(self) -> Any:
        return self.currentData()

    def set_json_value(self, value: Any) -> None:
        index = self.findData(value) if value is not None else 0
        if index < 0:
            # A value outside the list (an old draft): keep it visible so the validator names it.
            self.addItem(str(value), value)
            index = self.count() - 1
        self.setCurrentIndex(index)


class FlagBox(ChoiceBox):
    """Yes / no / not recorded."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(((True, tr("yes")), (False, tr("no"))), parent)


class SignBox(ChoiceBox):
    """A clinical sign: not assessed (None, the default) / yes / no."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(((True, tr("yes")), (False, tr("no"))), parent, blank=tr("not assessed"))


class ScoreBox(QSpinBox):
    """A whole-number score; one step below the lowest score means not asked (shown as "—")."""

    def __init__(self, low: int, high: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._low = low
        self.setRange(low - 1, high)
        self.setSpecialValueText(tr("—"))
        self.setValue(low - 1)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("00") * 3 + 40)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        # A page focuses its first box by code, which (unlike Tab) selects nothing: the cursor sat
        # after "—", the first digit typed was refused, and pain 6 stayed "not recorded" with no
        # word (walk 20 H3). While nothing is recorded, the first key press replaces the "—".
        if self.value() < self._low:
            self.selectAll()

    def json_value(self) -> Any:
        return None if self.value() < self._low else self.value()

    def set_json_value(self, value: Any) -> None:
        self.setValue(self._low - 1 if value is None else int(value))


class ChoiceList(QWidget):
    """A set of checkboxes for a multi-choice list (`other_sites`, `problems`); none ticked is
    an empty list only when `empty_is_none` is false."""

    changed = Signal()

    def __init__(
        self,
        choices: Sequence[tuple[str, str]],
        columns: int = 3,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from PySide6.QtWidgets import QGridLayout

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        self._loaded_order: list[str] = []
        for i, (value, text) in enumerate(choices):
            box = QCheckBox(text)
            box.setAccessibleName(text.replace("&", ""))
            box.toggled.connect(self.changed)
            self.boxes[value] = box
            grid.addWidget(box, i // columns, i % columns)

    def json_value(self) -> Any:
        # In the order the list was loaded in (a case saved again is unchanged), then newly
        # ticked ones in the boxes' order.
        order = [*self._loaded_order, *(v for v in self.boxes if v not in self._loaded_order)]
        ticked = [value for value in order if self.boxes[value].isChecked()]
        return ticked or None

    def set_json_value(self, value: Any) -> None:
        chosen = [v for v in value or () if isinstance(v, str) and v in self.boxes]
        self._loaded_order = list(dict.fromkeys(chosen))
        for key, box in self.boxes.items():
            box.setChecked(key in chosen)


def changed_signal(widget: QWidget) -> Any:
    if isinstance(widget, QLineEdit | LongTextEdit):
        return widget.textEdited
    if isinstance(widget, QComboBox):
        return widget.currentIndexChanged
    if isinstance(widget, QSpinBox):
        return widget.valueChanged
    if isinstance(widget, QCheckBox):
        return widget.toggled
    return widget.changed  # type: ignore[attr-defined]


@dataclass
class Field:
    path: str
    widget: QWidget
    message: QLabel
    read: Callable[[], Any]
    write: Callable[[Any], None]
    #: said before each of its messages where the message sits apart from the field (a table
    #: row's messages under the row: "row 2, ended: …"); "" where it sits beside the field
    named: str = ""


def message_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(f"problem:{name}")
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


class FieldPage(QWizardPage):
    """A wizard page built from fields registered under case paths.

    `value()` assembles the page's part of the case from its fields (a section with nothing
    recorded becomes None: not assessed). The wizard validates the whole case with the one
    validator and hands each page the problems whose paths it owns (`show_problems`); Next
    (`validatePage`) does not leave the page while any of them is an error.
    """

    edited = Signal()
    #: top-level case keys this page writes (problems under them that match no field show here)
    SECTIONS: tuple[str, ...] = ()
    #: lists whose lines this page adds and removes (its fields are the lines' shown fields;
    #: a line's other fields are carried by position, see `carry`)
    LISTS: tuple[str, ...] = ()
    #: lists of LISTS where an empty list is an answer, not a blank ("takes no medicines")
    STATED_EMPTY: tuple[str, ...] = ()
    #: sections that become None when nothing in them is recorded
    OPTIONAL_SECTIONS: tuple[str, ...] = ()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[str, Field] = {}
        self._errors: list[Problem] = []
        self._problems: list[Problem] = []
        #: fields whose problems are shown: left by the nurse, or holding a loaded value
        self._left: set[str] = set()
        #: Next was pressed: every problem on the page is shown
        self._reveal_all = False
        self._loading = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.page_message = message_label("page")
        outer.addWidget(self.page_message)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        scroll.setWidget(self.body)
        outer.addWidget(scroll)

    # -- building ---------------------------------------------------------------------------

    def form(self, title: str | None = None) -> QFormLayout:
        """A new form (in a titled group box when `title` is given) added to the page."""
        layout = QFormLayout()
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        if title:
            box = QGroupBox(title)
            box.setLayout(layout)
            self.body_layout.addWidget(box)
        else:
            self.body_layout.addLayout(layout)
        return layout

    def register(
        self,
        path: str,
        widget: QWidget,
        accessible_name: str,
        *,
        read: Callable[[], Any] | None = None,
        write: Callable[[Any], None] | None = None,
        signals: Iterable[Any] | None = None,
        named: str = "",
    ) -> QLabel:
        """Register `widget` as the holder of `path`; returns its (hidden) message label.
        `named`: what each message starts with, where the label is not beside the field."""
        widget.setAccessibleName(accessible_name)
        widget.setObjectName(path)
        message = message_label(path)
        message.setAccessibleName(accessible_name + " " + tr("problem"))
        self.fields[path] = Field(
            path,
            widget,
            message,
            read or widget.json_value,  # type: ignore[attr-defined]
            write or widget.set_json_value,  # type: ignore[attr-defined]
            named,
        )
        for signal in signals if signals is not None else (changed_signal(widget),):
            signal.connect(self._on_edit)
        widget.installEventFilter(self)
        return message

    def unregister(self, prefix: str) -> None:
        for path in [p for p in self.fields if paths.is_within(p, prefix)]:
            del self.fields[path]

    def add_row(
        self,
        layout: QFormLayout,
        path: str,
        label: str,
        widget: W,
        *,
        trailing: QWidget | None = None,
        **kw: Any,
    ) -> W:
        """A form row: mnemonic label, the widget (and an optional note), its message below."""
        message = self.register(path, widget, label.replace("&", ""), **kw)
        column = QWidget()
        inner = QVBoxLayout(column)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(2)
        line = QHBoxLayout()
        line.addWidget(widget)
        if trailing is None and isinstance(widget, DateEdit):
            trailing = widget.note_label
        if trailing is not None:
            line.addWidget(trailing)
        line.addStretch(1)
        inner.addLayout(line)
        inner.addWidget(message)
        caption = QLabel(label)
        caption.setBuddy(widget)
        if len(label) > 40:  # a long question wraps at ~60 characters instead of widening the page
            caption.setWordWrap(True)
            caption.setMinimumWidth(caption.fontMetrics().averageCharWidth() * 60)
        layout.addRow(caption, column)
        return widget

    # -- values -----------------------------------------------------------------------------

    def value(self) -> dict[str, Any]:
        """This page's part of the case document."""
        out: dict[str, Any] = {}
        for path, entry in self.fields.items():
            paths.put(out, path, entry.read())
        for section in self.OPTIONAL_SECTIONS:
            if section in out and paths.all_blank(out[section]):
                out[section] = None
        return out

    def set_value(self, document: dict[str, Any]) -> None:
        """Fill the fields from a case document (a draft, or the last assessment). A problem
        with a value that was already there is shown at once."""
        self._loading = True
        try:
            for path, entry in self.fields.items():
                blocker = QSignalBlocker(entry.widget)
                loaded = paths.get(document, path)
                entry.write(loaded)
                if not paths.all_blank(loaded):
                    self._left.add(path)
                del blocker
        finally:
            self._loading = False

    def first_field(self) -> QWidget | None:
        """The first field the nurse can type into (registration order is reading order)."""
        for entry in self.fields.values():
            widget = entry.widget
            if widget.isEnabled() and widget.isVisibleTo(self) and not _read_only(widget):
                return widget
        # Every field waits behind a switch (a questionnaire not ticked): focus the first one.
        return next((box for box in self.findChildren(QGroupBox) if box.isCheckable()), None)

    def _on_edit(self, *_: Any) -> None:
        if not self._loading:
            self.edited.emit()

    # -- problems ---------------------------------------------------------------------------

    def field_for(self, path: str) -> Field | None:
        """The registered field that holds `path` (the longest registered prefix)."""
        best: Field | None = None
        for prefix, entry in self.fields.items():
            if paths.is_within(path, prefix) and (best is None or len(prefix) > len(best.path)):
                best = entry
        return best

    def owns(self, path: str) -> bool:
        return self.field_for(path) is not None or any(
            paths.is_within(path, s) for s in self.SECTIONS
        )

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """Show each problem beside its field (errors red, doubts amber); others at the top.

        A field's message appears once the nurse has left the field (or pressed Next, or the
        value was loaded), never while its first value is being typed: "is required" in red
        before anything is typed, and rows jumping under the cursor, made errors likely.
        """
        self._problems = list(problems)
        self._errors = [p for p in problems if p.severity == "error"]
        self._render()

    def _render(self) -> None:
        by_field: dict[str, list[Problem]] = {}
        loose: list[Problem] = []
        for problem in self._problems:
            entry = self.field_for(problem.path)
            if entry is None:
                loose.append(problem)
            else:
                by_field.setdefault(entry.path, []).append(problem)
        for path, entry in self.fields.items():
            typing = entry.widget.hasFocus() and not isinstance(entry.widget, QComboBox)
            shown = self._reveal_all or path in self._left
            found = by_field.get(path, []) if shown else []
            if typing and not self._reveal_all and found:
                # being typed in: a new message waits until the nurse leaves it. A choice is
                # whole when made: its message follows at once (a stale "is required" stayed
                # under a Setting already chosen until the focus left it). A message whose
                # value is now valid goes at once (walk23 #13: "Tramal50mo is not an
                # international non-proprietary name" stayed under the corrected "tramadol").
                continue
            lines = [_words(p, entry.path) for p in found]
            if entry.named:
                lines = [f"{entry.named}: {line}" for line in lines]
            _show(entry.message, lines, found)
        loose = loose if self._reveal_all or self._left else []
        # in words, never the field path ("disease.prior_therapy[1]: …", review 16c)
        _show(self.page_message, [f"{field_words(p.path)}: {p.message}" for p in loose], loose)
        self.messages_shown()

    def messages_shown(self) -> None:
        """Called after the messages are shown: a page that says more about a field's state
        (the medicines page's "confirmed") follows them here."""

    def shown_errors(self) -> list[Problem]:
        """The errors whose messages are on screen: their field was left, loaded with a value,
        or Next was pressed."""
        return [
            p
            for p in self._errors
            if (entry := self.field_for(p.path)) is not None
            and (self._reveal_all or entry.path in self._left)
        ]

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            path = watched.objectName()
            if path in self.fields and path not in self._left:
                self._left.add(path)
            self._render()
        return False

    def validatePage(self) -> bool:
        """Next: with an error on the page, every message is shown and the first field with an
        error gets the focus; the page is not left."""
        self._reveal_all = True
        self._render()
        if not self._errors:
            return True
        for entry in self.fields.values():
            if any(self.field_for(p.path) is entry for p in self._errors):
                entry.widget.setFocus()
                break
        return False

    def errors(self) -> list[Problem]:
        return list(self._errors)


def _read_only(widget: QWidget) -> bool:
    return bool(getattr(widget, "isReadOnly", lambda: False)())


def _words(problem: Problem, field_path: str) -> str:
    """A problem in words for the field that shows it (naming the sub-field if it is deeper)."""
    rest = problem.path[len(field_path) :].lstrip(".")
    prefix = tr("Check: ") if problem.severity == "doubt" else ""
    if rest and rest not in ("value",):
        return f"{prefix}{rest.replace('_', ' ')}: {problem.message}"
    return f"{prefix}{problem.message}"


def _show(label: QLabel, lines: list[str], problems: Sequence[Problem]) -> None:
    # setText("") rather than clear(): the same, and it kept clear of PySide6 6.12's lost
    # references to None (now excluded by the pin in pyproject.toml).
    if not lines:
        if label.text():
            label.setText("")
        label.setVisible(False)
        return
    only_doubts = all(p.severity == "doubt" for p in problems)
    style = DOUBT_STYLE if only_doubts else ERROR_STYLE
    if label.styleSheet() != style:
        label.setStyleSheet(style)
    label.setText("\n".join(lines))
    label.setVisible(True)


def note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label
