"""A new patient typed into the assessment wizard who is likely already in the record (same
birth date, the name in another script or spelling) is named on leaving page 1, before anything
more is typed (independent walk 16d: Каримова Малика was registered beside Karimova Malika, born
the same day, without a word; only the New patient dialog asked)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from planner.ui.wizard.assessment_wizard import AssessmentWizard

KARIMOVA = {
    "mrn": "TAS-0-000046",
    "family_name": "Karimova",
    "given_name": "Malika",
    "birth_date": "1970-01-08",
    "sex": "female",
}


def _wizard(qtbot, record, patient):
    wizard = AssessmentWizard(record, {"patient": patient}, known_patient=False)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def _answer(button_text: str, seen: list[str]) -> None:
    """Press `button_text` on the question once it is shown, keeping what it said."""

    def press():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, press)
            return
        seen.append(box.text())
        for button in box.buttons():
            if button.text().replace("&", "") == button_text:
                button.click()
                return

    QTimer.singleShot(0, press)


def test_the_same_woman_in_cyrillic_is_named_and_page_1_is_not_left(qtbot, record):
    record.add_patient(KARIMOVA)
    wizard = _wizard(
        qtbot,
        record,
        {
            "mrn": "DEL-77",
            "family_name": "Каримова",
            "given_name": "Малика",
            "birth_date": "1970-01-08",
            "sex": "female",
        },
    )
    seen: list[str] = []
    _answer("Go back and check", seen)
    assert not wizard.validateCurrentPage()
    assert wizard.currentPage() is wizard.patient_page
    assert "Karimova, Malika (MRN TAS-0-000046" in seen[0]


def test_someone_else_is_registered_once_the_nurse_says_so(qtbot, record):
    record.add_patient(KARIMOVA)
    wizard = _wizard(
        qtbot,
        record,
        {
            "mrn": "DEL-78",
            "family_name": "Karimova",
            "given_name": "Malika",
            "birth_date": "1970-01-08",
            "sex": "female",
        },
    )
    seen: list[str] = []
    _answer("Register a new patient", seen)
    assert wizard.validateCurrentPage()
    assert len(seen) == 1
    assert wizard.validateCurrentPage()  # asked once for the same details
    assert len(seen) == 1


def test_no_question_without_a_likely_duplicate(qtbot, record):
    record.add_patient(KARIMOVA)
    wizard = _wizard(
        qtbot,
        record,
        {
            "mrn": "DEL-79",
            "family_name": "Verma",
            "given_name": "Sunita",
            "birth_date": "1968-03-14",
            "sex": "female",
        },
    )
    assert wizard.validateCurrentPage()
