"""Today's work, where the main window opens (issue 20): reviews due today and overdue, patients
with a critical alert no one has acknowledged, and assessments left unfinished. Each line says
in words why the patient is there (never a colour alone); Enter opens the patient's record or
resumes the assessment. The review date of a due patient can be changed, with a reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner.domain.dates import show_date, show_date_time
from planner.domain.stored import Draft, PatientSummary
from planner.services.patient_record import PatientRecord, Worklist
from planner.ui.item_roles import ItemRole

#: rows the alert and unfinished lists show before they scroll; rows the due list keeps at least
ALERT_ROWS, DRAFT_ROWS, DUE_ROWS_AT_LEAST = 6, 4, 8
FOCUS_IN = 8  # QEvent.Type.FocusIn (a number: the start-up path leaves Qt's enums unbuilt)
SCROLL_BAR_ALWAYS_OFF = 1  # Qt.ScrollBarPolicy.ScrollBarAlwaysOff (a number, as above)


def _name(row: PatientSummary) -> str:
    return ", ".join(p for p in (row.family_name, row.given_name) if p)


class WorklistView(QWidget):
    """Three lists: reviews due, open critical alerts, unfinished assessments."""

    open_requested = Signal(str)  # an MRN
    resume_requested = Signal(int)  # a draft id
    #: the nurse moved onto a patient's row in reviews due or alerts, or a refresh dropped that
    #: choice (walk 21 H3: the window's "New assessment" under Today's work acts on the patient
    #: chosen here, not on the Find list's): `chosen_patient()` says who
    choice_changed = Signal()

    def __init__(self, record: PatientRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._record = record
        self.setAccessibleName(self.tr("Today's work"))
        layout = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        layout.addWidget(self.title)
        self.due, self.due_label = self._section(
            layout, self.tr("Reviews due today or overdue"), takes_free_height=True
        )
        # A due row fits the list's width: it never scrolls sideways, so the list shortens a
        # row's why with "…" at the pane's edge (its text elide mode, right by default); the
        # why is whole in the row's tooltip and below the list for the row she is on (walk 23
        # HARM 1 made the rows say why; at 1366 × 768 they ran past the pane, and a due row
        # reached only by scrolling sideways hides its date). Set as a property: the setter's
        # Qt.ScrollBarPolicy would build Qt's namespace before the first paint.
        self.due.setProperty("horizontalScrollBarPolicy", SCROLL_BAR_ALWAYS_OFF)
        # the row she is on, whole (its why may be shortened in a narrow pane); two lines are
        # kept for it so the buttons below do not move as she goes down the list
        self.due_whole = QLabel()
        self.due_whole.setWordWrap(True)
        self.due_whole.setObjectName("dueWhole")
        self.due_whole.setFixedHeight(2 * self.due_whole.fontMetrics().lineSpacing() + 4)
        layout.addWidget(self.due_whole)
        self.due.currentItemChanged.connect(self._show_why)
        self.change_button = QPushButton(self.tr("Change review date…"))
        self.change_button.setAccessibleName(self.tr("Change the selected patient's review date"))
        self.change_button.clicked.connect(self.change_review_date)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.change_button)
        layout.addLayout(row)
        self.alerts, self.alerts_label = self._section(
            layout, self.tr("Critical alerts not acknowledged")
        )
        self.drafts, self.drafts_label = self._section(layout, self.tr("Unfinished assessments"))
        self.due.itemActivated.connect(self._open)
        self.alerts.itemActivated.connect(self._open)
        #: the list of patients the nurse was in last (None: she has not been in one)
        self._chosen_in: QListWidget | None = None
        for listed in (self.due, self.alerts):
            listed.installEventFilter(self)
            listed.currentItemChanged.connect(self._moved)
        self.drafts.itemActivated.connect(self._resume)
        self.setTabOrder(self.due, self.change_button)
        self.setTabOrder(self.change_button, self.alerts)
        self.setTabOrder(self.alerts, self.drafts)

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if event.type() == FOCUS_IN and watched in (self.due, self.alerts):
            self._chosen_in = watched
            self.choice_changed.emit()
        return False

    def _show_why(self, *_: object) -> None:
        item = self.due.currentItem()
        whole = None if item is None else item.data(ItemRole.TOOLTIP)
        self.due_whole.setText(whole if isinstance(whole, str) else "")

    def _moved(self, *_: object) -> None:
        # a move made by the nurse (the list has focus), not the first row set by a refresh
        for listed in (self.due, self.alerts):
            if listed.hasFocus():
                self._chosen_in = listed
                self.choice_changed.emit()

    def forget_choice(self) -> None:
        """The nurse chose a patient elsewhere (the Find list)."""
        self._chosen_in = None

    def chosen_patient(self) -> tuple[str, str] | None:
        """(MRN, name) of the row the nurse is on in the list of patients she was in last;
        None when she has not chosen one here (or the row says there is no one)."""
        listed = self._chosen_in
        item = None if listed is None else listed.currentItem()
        if item is None or not item.data(ItemRole.ROW_KEY):
            return None
        return str(item.data(ItemRole.ROW_KEY)), str(item.data(ItemRole.ROW_NAME) or "")

    def _open(self, item: QListWidgetItem) -> None:
        if item.data(ItemRole.ROW_KEY):
            self.open_requested.emit(str(item.data(ItemRole.ROW_KEY)))

    def _resume(self, item: QListWidgetItem) -> None:
        if item.data(ItemRole.ROW_KEY) is not None:
            self.resume_requested.emit(int(item.data(ItemRole.ROW_KEY)))

    def _section(
        self, layout: QVBoxLayout, title: str, *, takes_free_height: bool = False
    ) -> tuple[QListWidget, QLabel]:
        label = QLabel(title)
        label.setStyleSheet("font-weight: bold; margin-top: 8px;")
        listed = QListWidget()
        # No Alt-letters here: the main window's own claim them (Ctrl+T comes here; Tab moves on)
        listed.setAccessibleName(title)
        layout.addWidget(label)
        # reviews due take the pane's free height; the others their rows (`_fit_lists`)
        layout.addWidget(listed, 1 if takes_free_height else 0)
        return listed, label

    def set_record(self, record: PatientRecord) -> None:
        self._record = record

    def refresh(self, today: dt.date | None = None) -> Worklist:
        work = self._record.worklist(today)
        shown_as = self._record.date_format()
        self.title.setText(
            self.tr("Today's work — {date}").format(date=show_date(work.today, shown_as))
        )
        words = [self._due_words(r, work.today, shown_as) for r in work.reviews_due]
        self._fill(
            self.due,
            [
                (short, r.mrn, _name(r))
                for (_whole, short), r in zip(words, work.reviews_due, strict=True)
            ],
            self.tr("No reviews are due today."),
        )
        for row, (whole, _short) in enumerate(words):
            # the tooltip and the line under the list say every reason in full; the row its
            # short words where she has more than one (the list shortens it at its edge)
            self.due.item(row).setData(ItemRole.TOOLTIP, whole)
        self._show_why()
        self._fill(
            self.alerts,
            [
                (
                    self.tr("{name} — {mrn} — {n} critical alert(s) not acknowledged").format(
                        name=_name(r), mrn=r.mrn, n=r.open_alerts
                    ),
                    r.mrn,
                    _name(r),
                )
                for r in work.open_alerts
            ],
            self.tr("Every critical alert has been acknowledged."),
        )
        self._fill(
            self.drafts,
            [self._draft_words(d, shown_as) for d in work.drafts],
            self.tr("No assessment is left unfinished."),
        )
        self._fit_lists()
        self.change_button.setEnabled(bool(work.reviews_due))
        if self._chosen_in is not None and not self._chosen_in.hasFocus():
            # the lists start again on their first rows, which nobody chose
            self._chosen_in = None
        self.choice_changed.emit()
        return work

    def _fit_lists(self) -> None:
        """Alerts and unfinished assessments take the rows they have (up to a few, then they
        scroll); reviews due take the rest of the pane (walk 21 F5: 7 of 15 due reviews were
        shown above a large empty "Unfinished assessments" box)."""
        for listed, most in ((self.alerts, ALERT_ROWS), (self.drafts, DRAFT_ROWS)):
            rows = max(1, min(listed.count(), most))
            listed.setMaximumHeight(rows * self._row_height(listed) + 2 * listed.frameWidth() + 4)
        self.due.setMinimumHeight(
            min(max(1, self.due.count()), DUE_ROWS_AT_LEAST) * self._row_height(self.due)
            + 2 * self.due.frameWidth()
            + 4
        )

    @staticmethod
    def _row_height(listed: QListWidget) -> int:
        return max(listed.sizeHintForRow(0), listed.fontMetrics().lineSpacing() + 2)

    def _due_words(self, row: PatientSummary, today: dt.date, shown_as: str) -> tuple[str, str]:
        """(the row's words in full, in short): when she is due and every reason due by today."""
        due = dt.date.fromisoformat(str(row.review_due_on))
        late = (today - due).days
        when = (
            self.tr("review due TODAY")
            if late == 0
            else self.tr("review OVERDUE by {n} day(s), due {date}").format(
                n=late, date=show_date(due, shown_as)
            )
        )
        # why she is due (walk 23 HARM 1: a blood recheck and an opioid check are not the same
        # visit, and the nurse must see which one brings her in): every reason due by today,
        # not only the earliest (an opioid check and a cycle due are both named), in full for
        # the tooltip, in short words for the row where there is more than one
        head = f"{_name(row)} — {row.mrn} — {when}"
        reasons = row.reasons_due(today)
        if not reasons:
            return head, head
        first_on = reasons[0][0]
        whole = "; ".join(
            why
            if on == first_on
            else self.tr("{why} (due {date})").format(why=why, date=show_date(on, shown_as))
            for on, _short, why in reasons
        )
        if len(reasons) == 1:
            return f"{head} — {whole}", f"{head} — {whole}"
        short = " + ".join(s for _on, s, _why in reasons)
        return f"{head} — {whole}", f"{head} — {short}"

    def _draft_words(self, draft: Draft, shown_as: str) -> tuple[str, int, str]:
        patient = (draft.content or {}).get("patient") or {}
        names = (patient.get("family_name"), patient.get("given_name"))
        who = ", ".join(str(p) for p in names if p) or self.tr("a patient not yet in the record")
        mrn = patient.get("mrn")
        saved = show_date_time(draft.updated_at, shown_as)
        text = self.tr("{who}{mrn} — unfinished, last saved {saved}").format(
            who=who, mrn=f" — {mrn}" if mrn else "", saved=saved
        )
        return text, int(draft.id), who

    @staticmethod
    def _fill(listed: QListWidget, items: list[tuple[str, Any, str]], empty: str) -> None:
        was = listed.currentItem()
        on = was.data(ItemRole.ROW_KEY) if was is not None else None
        listed.clear()
        for text, data, name in items:
            item = QListWidgetItem(text)
            item.setData(ItemRole.ROW_KEY, data)
            item.setData(ItemRole.ROW_NAME, name)
            listed.addItem(item)
        if not items:
            # says so in words; it carries no patient, so Enter on it does nothing
            listed.addItem(QListWidgetItem(empty))
        else:
            # the row she was on stays current if it is still listed (a refresh when the
            # window is active again must not move her to the first patient)
            keys = [data for _, data, _ in items]
            listed.setCurrentRow(keys.index(on) if on is not None and on in keys else 0)

    def change_review_date(self) -> None:
        item = self.due.currentItem()
        mrn = item.data(ItemRole.ROW_KEY) if item is not None else None
        if not mrn:
            return
        # Its own module, imported when first asked for: its Qt types (a dialog, a form, a
        # button box) and their enums are not on the first screen (docs/decisions.md,
        # "Start-up, fifth pass")
        from planner.ui.review_date_dialog import ReviewDateDialog

        if ReviewDateDialog(self._record, str(mrn), self).exec():
            self.refresh()
