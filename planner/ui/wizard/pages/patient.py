"""Page 1: who is assessed, when, and body size (`patient`, `assessed_on`, `body`)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from planner.domain.assessment_wording import BIRTH_DATE_LABEL, HEIGHT_LABEL, WEIGHT_LABEL
from planner.ui.wizard import words
from planner.ui.wizard.fields import ChoiceBox, DateEdit, FieldPage, NumberEdit, TextEdit, note


class PatientPage(FieldPage):
    SECTIONS = ("patient", "assessed_on", "body")
    OPTIONAL_SECTIONS = ("body",)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Patient and body"))
        self.setSubTitle(
            self.tr("Who is assessed and when. Blank means not recorded; nothing is guessed.")
        )
        who = self.form(self.tr("Patient"))
        self.mrn = self.add_row(who, "patient.mrn", self.tr("&MRN"), TextEdit())
        self.family_name = self.add_row(
            who, "patient.family_name", self.tr("&Family name"), TextEdit()
        )
        self.given_name = self.add_row(
            who, "patient.given_name", self.tr("&Given name"), TextEdit()
        )
        self.birth_date = self.add_row(
            who, "patient.birth_date", self.tr(BIRTH_DATE_LABEL), DateEdit()
        )
        self.sex = self.add_row(who, "patient.sex", self.tr("&Sex"), ChoiceBox(words.sexes()))
        self.menopausal_status = self.add_row(
            who,
            "patient.menopausal_status",
            self.tr("Men&opausal status"),
            ChoiceBox(words.menopausal()),
        )
        self.assessed_on = self.add_row(who, "assessed_on", self.tr("&Assessed on"), DateEdit())
        self.identity_note = note(
            self.tr(
                "A patient already in the record: her name, birth date and sex are corrected "
                "with Edit ▸ Open the selected assessment ▸ Amend (with a reason), not here."
            )
        )
        self.identity_note.setWordWrap(True)
        self.identity_note.hide()
        who.addRow(self.identity_note)
        body = self.form(self.tr("Body"))
        self.height_cm = self.add_row(
            body, "body.height_cm", self.tr(HEIGHT_LABEL), NumberEdit("cm"), trailing=note("cm")
        )
        self.weight_kg = self.add_row(
            body, "body.weight_kg", self.tr(WEIGHT_LABEL), NumberEdit("kg"), trailing=note("kg")
        )
        self.body_layout.addStretch(1)

    def lock_identity(self, locked: bool) -> None:
        """An existing patient's identity is fixed here: her MRN is how the record finds her, and
        a name, birth date or sex typed over in passing renamed her ("Gupta61": the weight typed
        into the family name the focus had landed in; nurse16). The fields are read-only and
        skipped by the focus; a correction is deliberate and audited (Edit ▸ Open the selected
        assessment ▸ Amend, with a reason)."""
        for field in (self.mrn, self.family_name, self.given_name, self.birth_date):
            field.setReadOnly(locked)
        self.sex.setEnabled(not locked)
        self.identity_note.setVisible(locked)
