"""walk24 #7: "sulfa — rash" was not read although "sulfa drugs" is in the list, and Next passed
silently with a line the program cannot check. "sulfa" is now read as the sulfonamide class;
a line still unread is asked about on Next (going back is the default), once per text."""

from __future__ import annotations

import copy

import pytest

from planner.services import previews
from planner.ui.wizard.assessment_wizard import AssessmentWizard
from planner.ui.wizard.pages.medicines import MedicinesPage


@pytest.mark.parametrize("written", ["sulfa", "sulfa — rash", "Sulpha drugs", "sulfonamide"])
def test_sulfa_is_read_as_the_sulfonamide_class(written):
    checked, words = previews.allergy_line_state(written)
    assert checked, words
    assert "sulfonamide" in words


@pytest.fixture
def page(qtbot, record, example_raw):
    start = copy.deepcopy(example_raw)
    start["medications"] = None
    wizard = AssessmentWizard(record, start)
    qtbot.addWidget(wizard)
    wizard.go_to_page("MedicinesPage")
    page = wizard._page(MedicinesPage)
    page.none_taken.setChecked(True)
    yield page
    wizard._draft_timer.stop()


def _type_allergy(page, text):
    page.add_allergy_line()
    edit = page.allergy_lines[-1].inputs[0]
    edit.setText(text)
    edit.textEdited.emit(text)


def test_next_asks_about_an_allergy_the_program_cannot_read(page, monkeypatch):
    _type_allergy(page, "shellfish")
    asked: list[tuple[str, str]] = []
    monkeypatch.setattr(page, "ask_unread", lambda w, words: asked.append((w, words)) or False)
    assert page.validatePage() is False  # "Go back" (the default) stays on the page
    assert asked[0][0] == "shellfish"
    assert "cannot read" in asked[0][1]
    monkeypatch.setattr(page, "ask_unread", lambda w, words: True)  # "Keep it as written"
    assert page.validatePage() is True
    monkeypatch.setattr(page, "ask_unread", lambda w, words: pytest.fail("asked twice"))
    assert page.validatePage() is True


def test_a_line_read_in_full_is_not_asked(page, monkeypatch):
    _type_allergy(page, "sulfa — rash")
    monkeypatch.setattr(page, "ask_unread", lambda w, words: pytest.fail(words))
    assert page.validatePage() is True
