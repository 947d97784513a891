"""Keyboard entry without surprises (issue 16): the first field has focus when a page opens,
Alt-shortcuts are unique on every page, and a step list shows where the nurse is and jumps."""

from __future__ import annotations

import pytest

from planner.ui.mnemonics import labelled, make_unique, mnemonic
from planner.ui.wizard.assessment_wizard import RESERVED_MNEMONICS, AssessmentWizard
from planner.ui.wizard.fields import FieldPage
from planner.ui.wizard.pages.labs import LabsPage


@pytest.fixture
def full(qtbot, record, example_raw):
    """A wizard holding the contract's example case (every page passes Next)."""
    wizard = AssessmentWizard(record, example_raw)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    yield wizard
    wizard._draft_timer.stop()


def _letters(page):
    return [mnemonic(w.text() if hasattr(w, "text") else w.title()) for w in labelled(page)]


def test_alt_shortcuts_are_unique_on_every_page_and_leave_next_and_back(full):
    for page_id in full.pageIds():
        page = full.page(page_id)
        letters = _letters(page)
        assert len(letters) == len(set(letters)), type(page).__name__
        assert not set(letters) & set(RESERVED_MNEMONICS), type(page).__name__


def test_the_labs_page_keeps_bilirubin_on_b_free_of_back(full):
    """The clash the nurse met: Alt+B went to Back, not Bilirubin. Back keeps B (reserved);
    bilirubin moves to a free letter of its own name."""
    labs = full.labs_page
    caption = next(w for w in labelled(labs) if w.text().replace("&", "") == "Bilirubin (total)")
    assert mnemonic(caption.text()) not in RESERVED_MNEMONICS
    assert caption.buddy() is labs.rows["bilirubin"].value


def test_make_unique_moves_a_later_claimant_to_a_free_letter(qtbot):
    from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

    holder = QWidget()
    qtbot.addWidget(holder)
    layout = QVBoxLayout(holder)
    for text in ("&Creatinine", "As&cites", "&Sodium"):
        layout.addWidget(QLabel(text))
    make_unique(holder, ("s",))
    texts = [label.text() for label in holder.findChildren(QLabel)]
    assert texts[0] == "&Creatinine"
    assert mnemonic(texts[1]) not in ("c", "s")
    assert texts[1].replace("&", "") == "Ascites"
    assert mnemonic(texts[2]) not in ("c", "s", mnemonic(texts[1]))


def test_the_first_field_has_focus_on_every_page(qtbot, full):
    for _ in full.pageIds():
        page = full.currentPage()
        if isinstance(page, FieldPage):
            first = page.first_field()
            assert first is not None, type(page).__name__
            qtbot.waitUntil(lambda first=first: full.focusWidget() is first)
        before = full.currentId()
        full.next()
        if full.currentId() == before:
            break


def test_the_step_list_counts_and_jumps(qtbot, full):
    steps = full.steps
    assert steps.text() == f"Step 1 of {len(full.pageIds())}"
    labs_index = next(i for i, p in enumerate(full.pageIds()) if isinstance(full.page(p), LabsPage))
    steps.go_to(labs_index)
    assert isinstance(full.currentPage(), LabsPage)
    assert steps.text() == f"Step {labs_index + 1} of {len(full.pageIds())}"
    assert steps.current_row() == labs_index
    steps.go_to(0)
    assert full.currentId() == full.pageIds()[0]


def test_a_jump_forward_stops_on_a_page_with_a_problem(qtbot, record):
    wizard = AssessmentWizard(record)  # nothing entered: the patient page cannot be left
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.steps.go_to(4)
    assert wizard.currentId() == wizard.pageIds()[0]
    assert wizard.steps.text().startswith("Step 1 of")
    wizard._draft_timer.stop()


def test_dates_are_typed_day_first_stored_iso_and_shown_in_the_clinic_format(qtbot, record):
    from PySide6.QtCore import Qt

    record.set_clinic_settings({"date_format": "dd.mm.yyyy"})
    wizard = AssessmentWizard(record)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    page = wizard.patient_page
    qtbot.waitUntil(lambda: page.mrn.hasFocus())  # the page opened with its first field
    edit = page.birth_date
    assert edit.placeholderText() == "DD.MM.YYYY"
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClicks(edit, "14/03/1968")
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert wizard.case()["patient"]["birth_date"] == "1968-03-14"
    assert edit.text() == "14.03.1968"
    assert not edit.note_label.isVisibleTo(page)
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "03/1968")
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert wizard.case()["patient"]["birth_date"] == "1968-03-01"
    assert edit.note_label.isVisibleTo(page)
    assert "month" in edit.note_label.text()
    wizard._draft_timer.stop()


def test_drug_names_are_matched_whatever_the_case_and_suggested(qtbot, record):
    from PySide6.QtCore import Qt

    from planner.ui.wizard.pages.biology import BiologyPage

    wizard = AssessmentWizard(record)
    qtbot.addWidget(wizard)
    page = wizard._page(BiologyPage)
    qtbot.mouseClick(page.add_therapy_button, Qt.MouseButton.LeftButton)
    drugs = page.therapy_rows[0][0]
    drugs.setText("Letrozole, PALBOCICLIB")
    drugs.textEdited.emit(drugs.text())
    assert page.value()["disease"]["prior_therapy"][0]["drugs"] == ["letrozole", "palbociclib"]
    assert not any("prior_therapy[0].drugs" in p.path for p in wizard.problems)
    completer = drugs.completer()
    drugs.setText("letrozole, Palbo")
    completer.setCompletionPrefix(completer.splitPath(drugs.text())[0])
    assert completer.completionModel().data(completer.currentIndex()) == "palbociclib"
    assert completer.currentCompletion() == "letrozole, palbociclib"  # the list is kept
    wizard._draft_timer.stop()


def test_tab_goes_through_the_labs_page_row_by_row(full):
    """One tab order per row: value, then its unit (where there is a choice), then its ULN
    (where the test has one), then the next row's value."""
    from PySide6.QtCore import Qt

    labs = full.labs_page
    full.steps.go_to(full.pageIds().index(next(p for p in full.pageIds() if full.page(p) is labs)))
    expected = []
    for row in labs.rows.values():
        expected.append(row.value)
        if row.unit.isEnabled():
            expected.append(row.unit)
        if row.uln.isVisibleTo(labs):
            expected.append(row.uln)
    chain = []
    widget = labs.rows["bilirubin"].value
    while len(chain) < len(expected):
        if (
            widget.isVisibleTo(labs)
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            chain.append(widget)
        widget = widget.nextInFocusChain()
    assert chain == expected


def test_alt_shortcuts_on_the_main_window_do_not_clash(qtbot, record, ui_settings, example_raw):
    """Alt+F went to File and to Find; Alt+M to the Assessments tab and to Make the plan."""
    from planner.ui.main_window import MainWindow

    record.import_case(example_raw)
    window = MainWindow(record, ui_settings)
    qtbot.addWidget(window)
    window.show()
    window.open_patient(example_raw["patient"]["mrn"])
    letters = [
        mnemonic(w.text() if hasattr(w, "text") else w.title())
        for w in labelled(window)
        if w.isVisibleTo(window)
    ]
    tabs = window.record_view.tabs
    letters += [mnemonic(tabs.tabText(i)) for i in range(tabs.count())]
    letters += [mnemonic(a.text()) for a in window.menuBar().actions()]
    letters = [letter for letter in letters if letter]
    assert len(letters) == len(set(letters)), sorted(letters)
