"""Page 8: preferences and goals (`preferences`, and the surprise question from `clinical`)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from planner.ui.wizard.fields import ChoiceBox, FieldPage, FlagBox, LongTextEdit


class PreferencesPage(FieldPage):
    SECTIONS = ("preferences",)
    OPTIONAL_SECTIONS = ("preferences",)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Preferences and goals"))
        self.setSubTitle(self.tr("What matters to the patient. The plan respects these choices."))
        form = self.form()
        self.declines = self.add_row(
            form, "preferences.declines_chemotherapy", self.tr("&Declines chemotherapy"), FlagBox()
        )
        self.prefers_oral = self.add_row(
            form, "preferences.prefers_oral", self.tr("Prefers &oral treatment"), FlagBox()
        )
        self.goals = self.add_row(
            form, "preferences.goals", self.tr("&Goals, in the patient's words"), LongTextEdit()
        )
        # Asked as the question itself, each answer a full sentence: a bare yes/no box beside
        # "surprise question: no, …" was read both ways. The case field keeps its meaning:
        # surprise_question_no is True when the clinician would NOT be surprised.
        self.surprise = self.add_row(
            form,
            "clinical.surprise_question_no",
            self.tr("Would you be &surprised if this patient died in the next 12 months?"),
            ChoiceBox(
                (
                    (False, self.tr("Yes, I would be surprised")),
                    (True, self.tr("No, I would not be surprised")),
                ),
                blank=self.tr("not asked"),
            ),
        )
        self.body_layout.addStretch(1)
