"""The medicines page's "No known drug allergies" tick (issue 20, walk 16d): an answer written
as an empty `allergies` list, distinct from "not recorded" (null), so the print can say "No known
drug allergies" only when she was asked."""

from __future__ import annotations

from planner.ui.wizard.pages.medicines import CARRIED_WORDS, MedicinesPage


def new_wizard(qtbot, record, start):
    from planner.ui.wizard.assessment_wizard import AssessmentWizard

    wizard = AssessmentWizard(record, start)
    qtbot.addWidget(wizard)
    return wizard, wizard._page(MedicinesPage)


def test_the_tick_writes_an_empty_list_and_no_answer_writes_null(qtbot, record):
    wizard, page = new_wizard(qtbot, record, {"patient": {"mrn": "M-1", "family_name": "K"}})
    assert wizard.case()["allergies"] is None  # nothing said: not recorded
    page.add_allergy_line()
    qtbot.keyClicks(page.allergy_lines[0].inputs[0], "diclofenac")
    assert wizard.case()["allergies"] == [{"substance": "diclofenac"}]
    page.no_allergies.click()
    assert wizard.case()["allergies"] == []  # none known: the line is set aside
    assert not page.allergy_lines[0].inputs[0].isEnabled()
    assert not page.add_allergy_button.isEnabled()
    page.no_allergies.click()
    assert wizard.case()["allergies"] == [{"substance": "diclofenac"}]  # the line is back
    wizard._draft_timer.stop()


def test_an_empty_list_reopens_ticked_and_a_carried_tick_asks_to_be_confirmed(qtbot, record):
    start = {"patient": {"mrn": "M-1", "family_name": "K"}, "allergies": []}
    wizard, page = new_wizard(qtbot, record, start)
    assert page.no_allergies.isChecked()
    assert wizard.case()["allergies"] == []
    page.mark_carried(("allergies",))
    assert page.no_allergies_state.text() == CARRIED_WORDS
    assert page.carried_paths() == ("allergies",)
    page.no_allergies_confirm.click()
    assert page.carried_paths() == ()
    page.no_allergies.click()
    assert wizard.case()["allergies"] is None  # never the loaded "none"
    wizard._draft_timer.stop()


def test_a_no_known_line_beside_real_allergies_is_a_contradiction_the_wizard_names(qtbot, record):
    """walk23 HARM 3: the line said "not checked" but the review page said everything passed."""
    from planner.ui.wizard.pages.review import ReviewPage

    wizard, page = new_wizard(qtbot, record, {"patient": {"mrn": "M-1", "family_name": "K"}})
    for written in ("паклитаксел и карбоплатин", "no known drug allergies", "Herceptin"):
        page.add_allergy_line()
        field = page.allergy_lines[-1].inputs[0]
        field.setText(written)  # (QTest cannot type Cyrillic)
        field.textEdited.emit(written)
    page.messages_shown()
    state = page.allergy_lines[1].state.text()
    assert state.startswith("contradiction to resolve")
    assert '"Herceptin"' in state
    assert page.allergy_lines[0].state.text().startswith("checked: paclitaxel")
    review = wizard._page(ReviewPage)
    review.refresh(wizard.case(), [], wizard.settings)
    said = review.problems.text()
    assert "passes the checks" not in said
    assert "contradiction to resolve" in said
    wizard._draft_timer.stop()


def test_add_an_allergy_by_mouse_puts_the_focus_in_the_new_line(qtbot, record):
    """walk23 #12: after a click on "Add an allergy" the focus stayed on the "She takes no
    regular medicines" tick box, and the spaces of "Herceptin (rash 2024)" toggled it."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    wizard, page = new_wizard(qtbot, record, {"patient": {"mrn": "M-1", "family_name": "K"}})
    wizard.show()
    while wizard.currentPage() is not page:
        wizard.next()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    page.none_taken.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.none_taken)
    for written in ("paclitaxel", "no known drug allergies"):  # as she did, by mouse
        qtbot.mouseClick(page.add_allergy_button, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(QApplication.focusWidget(), written)
    assert [line.inputs[0].text() for line in page.allergy_lines] == [
        "paclitaxel",
        "no known drug allergies",
    ]
    qtbot.mouseClick(page.add_allergy_button, Qt.MouseButton.LeftButton)
    new = page.allergy_lines[-1].inputs[0]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is new)
    qtbot.keyClicks(QApplication.focusWidget(), "Herceptin (rash 2024)")
    assert not page.none_taken.isChecked()
    assert new.text() == "Herceptin (rash 2024)"
    wizard._draft_timer.stop()
