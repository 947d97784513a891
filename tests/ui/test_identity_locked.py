"""A typed value never renames a patient (nurse16 walkthrough): a new assessment of a patient
in the record opened with the focus in Family name after "Gupta", and the weight typed there
("61") saved "Gupta61" to the record and the print. Her identity is read-only in the wizard and
the focus starts on the first field that can change; a correction is an audited amendment."""

from __future__ import annotations

import copy

from PySide6.QtWidgets import QApplication

from planner.ui.main_window import next_assessment_start
from planner.ui.wizard.assessment_wizard import AssessmentWizard


def test_an_existing_patients_name_cannot_be_typed_over(qtbot, record, example_raw):
    stored = record.import_case(copy.deepcopy(example_raw))
    start = next_assessment_start(record.case(stored.assessment_id))
    family = start["patient"]["family_name"]
    wizard = AssessmentWizard(record, start, known_patient=True)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.focus_first_field()
    page = wizard.patient_page
    for field in (page.mrn, page.family_name, page.given_name, page.birth_date):
        assert field.isReadOnly()
    assert not page.sex.isEnabled()
    assert page.identity_note.isVisibleTo(page)
    assert "Amend" in page.identity_note.text()
    focused = QApplication.focusWidget()
    assert focused not in (page.mrn, page.family_name, page.given_name, page.birth_date)
    qtbot.keyClicks(page.family_name, "61")  # even typed into it directly
    assert page.family_name.text() == family
    assert wizard.case()["patient"]["family_name"] == family


def test_a_new_patients_identity_is_typed_in(qtbot, record):
    wizard = AssessmentWizard(record, {}, known_patient=False)
    qtbot.addWidget(wizard)
    page = wizard.patient_page
    assert not page.family_name.isReadOnly()
    assert page.sex.isEnabled()
    assert not page.identity_note.isVisibleTo(page)
