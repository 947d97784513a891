"""Offer to resume an unfinished assessment (a draft kept while typing)."""

from __future__ import annotations

from typing import Literal

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from planner.domain.dates import DEFAULT_DATE_FORMAT, show_date_time
from planner.domain.stored import Draft

Choice = Literal["resume", "discard", "later"]


def draft_title(draft: Draft) -> str:
    patient = draft.content.get("patient") or {}
    name = ", ".join(str(p) for p in (patient.get("family_name"), patient.get("given_name")) if p)
    mrn = patient.get("mrn") or "no MRN yet"
    return f"{name or 'unnamed patient'} ({mrn})"


class ResumeDraftDialog(QDialog):
    #: the clinic setting `date_format`, set by the main window from the open record (as the
    #: wizard sets `DateEdit.shown_as`): `ask` keeps the signature tests patch
    shown_as = DEFAULT_DATE_FORMAT

    def __init__(
        self,
        draft: Draft,
        parent: QWidget | None = None,
        date_format: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Unfinished assessment"))
        self.choice: Choice = "later"
        text = QLabel(
            self.tr(
                "An assessment of {patient} was not finished (last change {when}). "
                "Nothing typed was lost."
            ).format(
                patient=draft_title(draft),
                # the clinic's date and the time, never "2026-12-06T22:50"
                when=show_date_time(
                    draft.updated_at, date_format or self.shown_as or DEFAULT_DATE_FORMAT
                ),
            )
        )
        text.setWordWrap(True)
        buttons = QDialogButtonBox()
        resume = QPushButton(self.tr("&Resume"))
        discard = QPushButton(self.tr("&Discard it"))
        later = QPushButton(self.tr("&Later"))
        for button in (resume, discard, later):
            button.setAccessibleName(button.text().replace("&", ""))
        buttons.addButton(resume, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(discard, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(later, QDialogButtonBox.ButtonRole.RejectRole)
        resume.setDefault(True)
        resume.clicked.connect(lambda: self._choose("resume"))
        discard.clicked.connect(lambda: self._choose("discard"))
        later.clicked.connect(lambda: self._choose("later"))
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)

    def _choose(self, choice: Choice) -> None:
        self.choice = choice
        self.accept() if choice != "later" else self.reject()

    @classmethod
    def ask(cls, parent: QWidget | None, draft: Draft) -> Choice:
        """Ask what to do with `draft` (tests patch this classmethod)."""
        dialog = cls(draft, parent)
        dialog.exec()
        return dialog.choice
