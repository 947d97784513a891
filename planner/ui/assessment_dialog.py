"""A stored assessment opened read-only, and amended with a reason (issue 20 item 3).

Every recorded value is listed under its field path, read-only. "Amend…" lets the values be
corrected in place and asks for the reason; saving keeps the corrected case as a new version
(the one validator names any bad field, nothing is saved) and offers its plan in one click. The
old version stays in the record, read-only, saying which version replaced it and why.
"""

from __future__ import annotations

import json
import re
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.domain.case_changes import NOT_RECORDED, leaves
from planner.domain.case_changes import shown as _shown
from planner.domain.dates import DEFAULT_DATE_FORMAT, show_date, show_date_time
from planner.domain.plan_words import VALUES, field_words, unit_words, value_words
from planner.domain.problems import InputInvalid
from planner.services import record_corrections
from planner.services.patient_record import PatientRecord

PATH_ROLE = Qt.ItemDataRole.UserRole


class _NoEditor(QStyledItemDelegate):
    """A column shown, never edited (the field's name in the amend list)."""

    def createEditor(self, parent: QWidget, option: Any, index: Any) -> None:  # type: ignore[override]
        return None


def _typed(text: str, was: Any) -> Any:
    """What the nurse typed, as the kind of value it replaces: a number stays a number (or is
    passed on as typed, for the validator to name), "—" or blank is not recorded."""
    text = text.strip()
    if text in ("", NOT_RECORDED):
        return None
    if isinstance(was, bool):
        return {"yes": True, "no": False}.get(text.lower(), text)
    if isinstance(was, int | float) or was is None:
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            return text
        return int(number) if isinstance(was, int) and number.is_integer() else number
    return text


def _set_path(document: Any, path: str, value: Any) -> None:
    """Set `value` at `path` ("labs.albumin.value", "psychosocial.phq9[3]") in place."""
    parts: list[str | int] = []
    for part in path.split("."):
        name, *indexes = part.replace("]", "").split("[")
        parts.append(name)
        parts.extend(int(i) for i in indexes)
    target = document
    for key in parts[:-1]:
        target = target[key]
    target[parts[-1]] = value


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def value_in_words(path: str, text: str, date_format: str) -> str:
    """A recorded value as the rest of the program shows it: a date in the clinic's format, a
    unit as printed (µmol/L, ×10⁹/L), a code in words (walk 21 F7: `not_detected`, `10^9/L`,
    `1944-12-09` in the amend list). The value itself is edited as recorded."""
    if _ISO_DATE.fullmatch(text):
        return show_date(text, date_format)
    if path.endswith(".unit"):
        return unit_words(text)
    return value_words(text) if "_" in text or text in VALUES else text


class _ValueWords(QStyledItemDelegate):
    """The value column shown in words; its editor opens on the value as recorded."""

    def __init__(self, date_format: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.date_format = date_format

    def initStyleOption(self, option: Any, index: Any) -> None:
        super().initStyleOption(option, index)
        path = str(index.siblingAtColumn(0).data(PATH_ROLE) or "")
        option.text = value_in_words(path, str(option.text), self.date_format)


class AssessmentDialog(QDialog):
    """One stored assessment, read-only; amended with a reason when it is the current version.
    `replan(assessment_id)`: the nurse asked for the plan of the amended version."""

    replan = Signal(int)

    def __init__(
        self, record: PatientRecord, assessment_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._record = record
        self.assessment_id = assessment_id
        self.amended_id: int | None = None
        self.viewed = record_corrections.view_assessment(record, assessment_id)
        date_format = str(record.clinic_settings().get("date_format") or DEFAULT_DATE_FORMAT)
        on = show_date(str(self.viewed.case.get("assessed_on") or ""), date_format)
        self.setWindowTitle(
            self.tr("Assessment {id} of {mrn}, {on}").format(
                id=assessment_id, mrn=self.viewed.mrn, on=on
            )
        )
        self.standing = QLabel()
        self.standing.setObjectName("standing")
        self.standing.setWordWrap(True)
        self.standing.setText(self._standing_words(date_format))
        # the other versions of this assessment, each opened read-only in its own window
        self.versions = QComboBox()
        self.versions.setAccessibleName(self.tr("Other versions"))
        for old_id, earlier in self.viewed.earlier:
            self.versions.addItem(
                self.tr("assessment {id}, as it was before the amendment of {when}").format(
                    id=old_id, when=show_date_time(earlier.amended_at, date_format)
                ),
                old_id,
            )
        if self.viewed.amended is not None:
            self.versions.addItem(
                self.tr("assessment {id}, the amended version").format(
                    id=self.viewed.amended.amendment_id
                ),
                self.viewed.amended.amendment_id,
            )
        self.open_version_button = QPushButton(self.tr("&Open version"))
        self.open_version_button.clicked.connect(self.open_version)
        self.versions_row = QWidget()
        versions_form = QFormLayout(self.versions_row)
        versions_form.setContentsMargins(0, 0, 0, 0)
        versions_form.addRow(self.tr("Other &versions"), self.versions)
        versions_form.addRow("", self.open_version_button)
        caption = versions_form.labelForField(self.versions)
        if isinstance(caption, QLabel):
            caption.setBuddy(self.versions)
        self.versions_row.setVisible(self.versions.count() > 0)
        self.values = QTreeWidget()
        self.values.setColumnCount(2)
        self.values.setHeaderLabels([self.tr("Field"), self.tr("Recorded")])
        self.values.setAccessibleName(self.tr("Recorded values"))
        for path, value in leaves(self.viewed.case):
            if path == "schema":  # the document's format, not a finding (walk 21 F7)
                continue
            # the field in words, its path behind it (walk 16d: a list of raw paths)
            item = QTreeWidgetItem([field_words(path), _shown(value)])
            item.setToolTip(0, path)
            item.setData(0, PATH_ROLE, path)
            item.setData(1, PATH_ROLE, value)
            self.values.addTopLevelItem(item)
        self.values.resizeColumnToContents(0)
        # Only the value is edited, whatever column the keyboard is on: typing or F2 edited the
        # field's name (walk 16d). The name column has a delegate that opens no editor, and the
        # current cell is always the value.
        self.values.setItemDelegateForColumn(0, _NoEditor(self.values))
        self._value_words = _ValueWords(date_format, self.values)
        self.values.setItemDelegateForColumn(1, self._value_words)
        self.values.currentItemChanged.connect(self._to_value_column)
        self.values.itemChanged.connect(self._mark_changed)
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("Reason for the amendment"))
        self.reason.setPlaceholderText(self.tr("what was wrong, e.g. albumin typed 31 for 13"))
        self.reason_row = QWidget()
        reason_form = QFormLayout(self.reason_row)
        reason_form.setContentsMargins(0, 0, 0, 0)
        reason_form.addRow(self.tr("&Reason"), self.reason)
        caption = reason_form.labelForField(self.reason)
        if isinstance(caption, QLabel):
            caption.setBuddy(self.reason)
        self.reason_row.hide()
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.hide()
        self.amend_button = QPushButton(self.tr("&Amend…"))
        self.amend_button.setEnabled(self.viewed.amended is None)
        self.amend_button.clicked.connect(self.start_amending)
        self.save_button = QPushButton(self.tr("&Save amendment"))
        self.save_button.hide()
        self.save_button.clicked.connect(self.save_amendment)
        self.replan_button = QPushButton(self.tr("Make the &plan of the amended assessment"))
        self.replan_button.hide()
        self.replan_button.clicked.connect(self._replan)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        for button in (self.amend_button, self.save_button, self.replan_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        # hidden after they are added: a button box shows every button it is given, and Save
        # amendment was offered before anything was amended
        self.save_button.hide()
        self.replan_button.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.standing)
        layout.addWidget(self.versions_row)
        layout.addWidget(self.values, 1)
        layout.addWidget(self.reason_row)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(640, 560)

    def _standing_words(self, date_format: str) -> str:
        amended = self.viewed.amended
        if amended is not None:
            words = self.tr(
                "Amended {when} by {who}: {reason}. This version is read-only; the current one "
                "is assessment {id}, and plans made from this one are superseded."
            ).format(
                when=show_date_time(amended.amended_at, date_format),
                who=amended.amended_by,
                reason=amended.reason,
                id=amended.amendment_id,
            )
        else:
            words = self.tr("The current version (read-only until you choose Amend).")
        for old_id, earlier in self.viewed.earlier:
            words += "\n" + self.tr("Amends assessment {id} ({when}, {who}: {reason}).").format(
                id=old_id,
                when=show_date_time(earlier.amended_at, date_format),
                who=earlier.amended_by,
                reason=earlier.reason,
            )
        return words

    def shown_value(self, index: Any) -> str:
        """The value column's text as shown (in words), for a test or a screen reader."""
        path = str(index.siblingAtColumn(0).data(PATH_ROLE) or "")
        return value_in_words(path, str(index.data() or ""), self._value_words.date_format)

    def open_version(self) -> AssessmentDialog | None:
        """The chosen other version, read-only, in a window of its own."""
        chosen = self.versions.currentData()
        if not isinstance(chosen, int):
            return None
        other = AssessmentDialog(self._record, chosen, self)
        other.open()
        return other

    def start_amending(self) -> None:
        """Values become editable (double-click or F2), and a reason is asked for."""
        self.values.setEditTriggers(
            QTreeWidget.EditTrigger.DoubleClicked
            | QTreeWidget.EditTrigger.EditKeyPressed
            | QTreeWidget.EditTrigger.AnyKeyPressed
        )
        for item in self._value_items():
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.amend_button.setEnabled(False)
        self.reason_row.show()
        self.save_button.show()
        self.values.setFocus()

    def _to_value_column(self, current: QTreeWidgetItem | None, _: object) -> None:
        # a bound method, not a lambda holding `self`: a lambda kept a closed dialog alive
        if current is not None:
            self.values.setCurrentItem(current, 1)

    def _mark_changed(self, item: QTreeWidgetItem, column: int) -> None:
        """A value changed from the recorded one is shown in bold, with the recorded one beside
        it in its tooltip, so the nurse sees what the amendment changes before saving."""
        if column != 1:
            return
        was = _shown(item.data(1, PATH_ROLE))
        changed = item.text(1) != was
        font = item.font(1)
        if font.bold() != changed:
            font.setBold(changed)
            item.setFont(0, font)
            item.setFont(1, font)
        item.setToolTip(1, self.tr("recorded: {was}").format(was=was) if changed else "")

    def _value_items(self) -> list[QTreeWidgetItem]:
        found = (self.values.topLevelItem(n) for n in range(self.values.topLevelItemCount()))
        return [item for item in found if item is not None]

    def amended_case(self) -> dict[str, Any]:
        """The case with the values as edited now."""
        document = json.loads(json.dumps(self.viewed.case))
        for item in self._value_items():
            was = item.data(1, PATH_ROLE)
            if item.text(1) != _shown(was):
                _set_path(document, str(item.data(0, PATH_ROLE)), _typed(item.text(1), was))
        return document

    def set_value(self, path: str, text: str) -> None:
        """Type `text` as the value of `path` (as an edit in the list does)."""
        for item in self._value_items():
            if item.data(0, PATH_ROLE) == path:
                item.setText(1, text)
                return
        raise KeyError(path)

    def save_amendment(self) -> None:
        try:
            self.amended_id = record_corrections.amend_assessment(
                self._record, self.assessment_id, self.amended_case(), self.reason.text()
            )
        except InputInvalid as exc:
            self.message.setStyleSheet("color: #b00020;")
            self.message.setText(
                "\n".join(f"{field_words(p.path)}: {p.message}" for p in exc.problems)
            )
            self.message.show()
            return
        self.message.setStyleSheet("")
        self.message.setText(self._outcome_words())
        self.message.show()
        self.save_button.hide()
        self.reason.setReadOnly(True)
        self.values.setEditTriggers(QTreeWidget.EditTrigger.NoEditTriggers)
        self.replan_button.show()
        self.replan_button.setFocus()

    def _outcome_words(self) -> str:
        """What the amendment did to her plans and what still stands on Today's work (walk 21
        H2: the message said the plans were superseded and nothing of her review)."""
        outcome = record_corrections.amendment_outcome(self._record, self.assessment_id)
        date_format = str(self._record.clinic_settings().get("date_format") or DEFAULT_DATE_FORMAT)
        words = [
            self.tr("Saved as assessment {id}; this version is kept, read-only.").format(
                id=outcome.amended_id
            )
        ]
        if outcome.superseded_plans:
            words.append(
                self.tr(
                    "Its plans ({plans}) are superseded: make the plan of the amended assessment."
                ).format(plans=", ".join(f"plan {p}" for p in outcome.superseded_plans))
            )
        else:
            words.append(self.tr("This version had no plan."))
        if outcome.review_due_on:
            words.append(
                self.tr(
                    "Her review stays booked for {on} ({why}) until a new plan gives another date."
                ).format(on=show_date(outcome.review_due_on, date_format), why=outcome.review_why)
            )
        else:
            words.append(self.tr("She has no review date booked."))
        if outcome.open_alerts:
            words.append(
                self.tr("Critical alerts still waiting for acknowledgement: {n}.").format(
                    n=outcome.open_alerts
                )
            )
        return " ".join(words)

    def _replan(self) -> None:
        if self.amended_id is not None:
            self.replan.emit(self.amended_id)
            self.accept()
