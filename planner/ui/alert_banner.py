"""The red banner of a patient's unacknowledged critical alerts, on the record and the plan.

A critical alert stays in view until a named person acknowledges it (the name signed in when the
app started signs the acknowledgement, with a note of what was done: required for a critical
mood alert, `critical_alerts.NOTE_REQUIRED`). One banner widget serves both
windows, so the record and the plan never disagree about what is still open.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner.domain.critical_alerts import NOTE_REQUIRED, OpenAlert
from planner.domain.dates import DEFAULT_DATE_FORMAT, show_date
from planner.domain.problems import InputInvalid
from planner.services import patient_record

# Scoped by object name to the banner and its own labels: a descendant selector
# ("QFrame#criticalAlerts QLabel") also reached the Acknowledge dialog (a child window of the
# banner), which then showed white text on its light background (nurse walkthrough).
BANNER_STYLE = (
    "QFrame#criticalAlerts { background: #b00020; border-radius: 4px; }"
    " QLabel#criticalAlertText { color: white; font-weight: bold; }"
)
BANNER_TEXT = "criticalAlertText"


class AcknowledgeDialog(QDialog):
    """Names the alert and who acknowledges it; asks for a note (required for a mood alert)."""

    def __init__(self, alert: OpenAlert, who: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Acknowledge a critical alert"))
        text = QLabel(
            self.tr("<p><b>{message}</b></p><p>Acknowledged by <b>{who}</b>, now.</p>").format(
                message=html.escape(alert.message), who=html.escape(who)
            )
        )
        text.setWordWrap(True)
        self.note_required = alert.code in NOTE_REQUIRED
        self.note_label = QLabel(
            self.tr("&Note (required): what was done — who was called, the safety plan")
            if self.note_required
            else self.tr("&Note (optional): what was done")
        )
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setAccessibleName(self.tr("Note"))
        self.note_label.setBuddy(self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.acknowledge_button = buttons.addButton(
            self.tr("Ac&knowledge"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.note.textChanged.connect(self._note_changed)
        self._note_changed()
        # Wide enough that the alert reads in a few lines, not a narrow column.
        self.setMinimumWidth(text.fontMetrics().averageCharWidth() * 60)
        layout = QVBoxLayout(self)
        for widget in (text, self.note_label, self.note, buttons):
            layout.addWidget(widget)
        # from the note, Tab reaches Acknowledge before Cancel (walk 21 F18)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        QWidget.setTabOrder(self.note, self.acknowledge_button)
        QWidget.setTabOrder(self.acknowledge_button, cancel)
        self.note.setFocus()

    def _note_changed(self) -> None:
        """A critical mood alert waits for its note (the record refuses one without)."""
        if self.note_required:
            self.acknowledge_button.setEnabled(bool(self.note.toPlainText().strip()))


class AlertBanner(QFrame):
    """Signals: `acknowledged()` after an alert was acknowledged and kept in the record."""

    acknowledged = Signal()

    def __init__(self, record: patient_record.PatientRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._record = record
        self.alerts: tuple[OpenAlert, ...] = ()
        self._mrn: str | None = None
        self._assessment: int | None = None
        self._date_format = DEFAULT_DATE_FORMAT
        self.setObjectName("criticalAlerts")
        self.setStyleSheet(BANNER_STYLE)
        self.setAccessibleName(self.tr("Critical alerts not yet acknowledged"))
        self._rows = QVBoxLayout(self)
        self._rows.setContentsMargins(8, 6, 8, 6)
        self.error = QLabel()
        self.error.setObjectName(BANNER_TEXT)
        self.error.setWordWrap(True)
        self.error.hide()
        self.hide()

    def show_for(
        self,
        mrn: str | None,
        assessment_id: int | None = None,
        date_format: str = DEFAULT_DATE_FORMAT,
    ) -> None:
        """The patient's open critical alerts (only those of `assessment_id` when given)."""
        self._mrn, self._assessment, self._date_format = mrn, assessment_id, date_format
        found = self._record.critical_alerts(mrn) if mrn else ()
        if assessment_id is not None:
            found = tuple(a for a in found if a.assessment_id == assessment_id)
        self.alerts = found
        while self._rows.count():
            item = self._rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget is not self.error:
                widget.deleteLater()
        for alert in found:
            self._rows.addWidget(self._row(alert))
        self._rows.addWidget(self.error)
        self.error.hide()
        self.setVisible(bool(found))

    def _row(self, alert: OpenAlert) -> QWidget:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        when = show_date(alert.assessed_on, self._date_format)
        text = QLabel(
            self.tr("CRITICAL: {message} (assessment of {on})").format(
                message=alert.message, on=when
            )
        )
        text.setObjectName(BANNER_TEXT)
        text.setWordWrap(True)
        button = QPushButton(self.tr("Acknowledge…"))
        button.setAccessibleName(self.tr("Acknowledge: {message}").format(message=alert.message))
        button.clicked.connect(lambda: self.ask_and_acknowledge(alert))
        line.addWidget(text, 1)
        line.addWidget(button)
        return row

    def ask_and_acknowledge(self, alert: OpenAlert) -> None:
        # parented to the window, not the banner: the dialog takes none of the banner's style
        dialog = AcknowledgeDialog(alert, self._record.who, self.window())
        if dialog.exec():
            self.acknowledge(alert, dialog.note.toPlainText())

    def acknowledge(self, alert: OpenAlert, note: str = "") -> None:
        """Keep the acknowledgement, signed by the record's user, and show what is left open."""
        try:
            self._record.acknowledge_alert(alert.plan_id, alert.code, note)
        except InputInvalid as exc:
            self.error.setText("; ".join(p.message for p in exc.problems))
            self.error.show()
            return
        self.show_for(self._mrn, self._assessment, self._date_format)
        self.acknowledged.emit()
