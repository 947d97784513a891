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
