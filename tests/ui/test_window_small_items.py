"""Issue 16 (nurse walkthrough): the small window items that make errors likely, each
reproduced and now passing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication


def _x(widget, window) -> int:
    return widget.mapTo(window, widget.rect().topLeft()).x()


def test_the_draft_line_does_not_shift_the_form_when_it_appears(qtbot, wizard):
    """The first "Draft saved at …" pushed the page's fields sideways while the nurse typed:
    the line's column is there from the start."""
    field = wizard.currentPage().first_field()
    before = _x(field, wizard)
    assert wizard.save_draft()
    qtbot.waitUntil(lambda: "Draft saved" in wizard.draft_status.text())
    # the wizard lays itself out again on a queued event: deliver it, then measure
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    QApplication.processEvents()
    assert _x(field, wizard) == before


@pytest.fixture
def next_visit(qtbot, record, example_raw):
    """The patient's second visit, opened as the main window opens it: the last assessment's
    labs are earlier results, today's are blank."""
    from planner.ui.main_window import next_assessment_start
    from planner.ui.wizard.assessment_wizard import AssessmentWizard

    record.import_case(example_raw)
    start = {**next_assessment_start(example_raw), "patient": example_raw["patient"]}
    shown = AssessmentWizard(record, start, known_patient=True)
    qtbot.addWidget(shown)
    yield shown
    shown._draft_timer.stop()


def test_each_uln_is_carried_from_the_last_assessment(next_visit, example_raw):
    """The lab's own ULNs were typed again at every visit: each is pre-filled from the patient's
    last assessment, in the unit it was given in; another unit clears it (the clinic default
    then shows, as for a test with no earlier ULN), and its unit brings it back."""
    labs = next_visit.labs_page
    last = example_raw["labs"]
    carried = [
        n for n, r in labs.rows.items() if r.lab.takes_uln and (last.get(n) or {}).get("uln")
    ]
    assert "bilirubin" in carried
    for name in carried:
        row = labs.rows[name]
        assert row.value.json_value() is None  # today's result: blank, never carried
        assert row.uln.json_value() == last[name]["uln"], name
        assert row.unit.currentData() == last[name]["unit"], name
    bilirubin = labs.rows["bilirubin"]
    other = next(u for u in bilirubin.lab.units if u != last["bilirubin"]["unit"])
    bilirubin.unit.setCurrentIndex(bilirubin.unit.findData(other))
    assert bilirubin.uln.json_value() is None
    bilirubin.unit.setCurrentIndex(bilirubin.unit.findData(last["bilirubin"]["unit"]))
    assert bilirubin.uln.json_value() == last["bilirubin"]["uln"]
    # typed over, it is the nurse's: a change of unit leaves it for the validator to judge
    bilirubin.uln.setText("17")
    bilirubin.unit.setCurrentIndex(bilirubin.unit.findData(other))
    assert bilirubin.uln.json_value() == 17


def test_unit_words_have_one_home(wizard):
    """The labs page and the lab-jump dialog each had their own copy of the unit words."""
    from planner.domain.plan_words import unit_words
    from planner.ui.wizard import lab_jump_dialog
    from planner.ui.wizard.pages import labs

    assert not hasattr(labs, "UNIT_WORDS")
    assert not hasattr(lab_jump_dialog, "UNIT_WORDS")
    assert lab_jump_dialog.unit_words is unit_words
    for row in wizard.labs_page.rows.values():
        for i in range(row.unit.count()):
            code = row.unit.itemData(i)
            if code:
                assert row.unit.itemText(i) == unit_words(code)


def test_a_therapy_row_message_names_its_row_and_column(qtbot, record, example_raw):
    """The prior-therapy table's messages stack under the whole row: "is required" alone did
    not say which box; each now says "row 2, setting: …"."""
    from PySide6.QtCore import Qt

    from planner.ui.wizard.assessment_wizard import AssessmentWizard
    from planner.ui.wizard.pages.biology import BiologyPage

    wizard = AssessmentWizard(record, example_raw)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    page = wizard._page(BiologyPage)
    wizard.go_to_page(BiologyPage.__name__)
    qtbot.mouseClick(page.add_therapy_button, Qt.MouseButton.LeftButton)
    index = len(page.therapy_rows) - 1
    drugs = page.therapy_rows[index][0]
    qtbot.waitUntil(drugs.isVisible)
    drugs.setFocus()
    qtbot.waitUntil(drugs.hasFocus)
    qtbot.keyClicks(drugs, "letrozole")
    assert wizard.validateCurrentPage() is False  # Next: every message is shown
    message = page.fields[f"disease.prior_therapy[{index}].setting"].message
    qtbot.waitUntil(lambda: "is required" in message.text())
    assert message.text().startswith(f"row {index + 1}, setting: ")
    wizard._draft_timer.stop()


def test_every_assessment_column_shows_at_1366_by_768(qtbot, record, example_raw, ui_settings):
    """ESAS, distress and ECOG were cut off to the right of the record's assessments table in a
    1366 × 768 window: two-line headers, every column within the table."""
    from planner.ui.main_window import MainWindow

    record.import_case(example_raw)
    window = MainWindow(record, ui_settings)
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    qtbot.waitExposed(window)
    window.open_patient(example_raw["patient"]["mrn"])
    table = window.record_view.table
    qtbot.waitUntil(lambda: table.isVisible() and table.model().rowCount() == 1)
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    QApplication.processEvents()
    header = table.horizontalHeader()
    assert header.count() == 8
    assert header.length() <= table.viewport().width()
