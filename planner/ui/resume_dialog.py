"""Offer to resume an unfinished assessment (a draft kept while typing)."""

from __future__ import annotations

from typing import Any, Literal

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

Choice = Literal["resume", "discard", "later"]


def draft_title(draft: dict[str, Any]) -> str:
    patient = (draft.get("content") or {}).get("patient") or {}
    name = ", ".join(str(p) for p in (patient.get("family_name"), patient.get("given_name")) if p)
    mrn = patient.get("mrn") or "no MRN yet"
    return f"{name or 'unnamed patient'} ({mrn})"


class ResumeDraftDialog(QDialog):
    def __init__(self, draft: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Unfinished assessment"))
        self.choice: Choice = "later"
        text = QLabel(
            self.tr(
                "An assessment of {patient} was not finished (last change {when}). "
                "Nothing typed was lost."
            ).format(patient=draft_title(draft), when=str(draft.get("updated_at", ""))[:16])
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
    def ask(cls, parent: QWidget | None, draft: dict[str, Any]) -> Choice:
        """Ask what to do with `draft` (tests patch this classmethod)."""
        dialog = cls(draft, parent)
        dialog.exec()
        return dialog.choice
