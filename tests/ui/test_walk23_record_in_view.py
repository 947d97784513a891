"""walk23 #14: "Save assessment form as PDF" offered only a blank form while her record was open
(opened from Today's work, not selected in the list); #25: tools/screens.py failed on a record
with no patients (`mrn_at(0)` of a list with no model)."""

from __future__ import annotations

from planner.services import patient_record
from planner.ui import paper_form_actions
from planner.ui.main_window import MainWindow


def test_the_assessment_form_is_for_the_patient_whose_record_is_open(
    qtbot, record, ui_settings, example_raw, monkeypatch
):
    record.import_case(example_raw)
    record.add_patient({"mrn": "OTHER-1", "family_name": "Other"})
    window = MainWindow(record, ui_settings)
    qtbot.addWidget(window)
    window.open_patient(example_raw["patient"]["mrn"])  # as from Today's work
    window.table.clearSelection()
    asked: list[object] = []
    monkeypatch.setattr(paper_form_actions, "save_assessment_form", lambda h, m: asked.append(m))
    monkeypatch.setattr(paper_form_actions, "print_assessment_form", lambda h, m: asked.append(m))
    window.paper_form_action.trigger()
    window.paper_form_print_action.trigger()
    assert asked == [example_raw["patient"]["mrn"]] * 2


def test_an_empty_record_has_no_first_patient(qtbot, tmp_path, ui_settings):
    empty = patient_record.PatientRecord(tmp_path / "empty.sqlite3", who="nurse")
    try:
        window = MainWindow(empty, ui_settings)
        qtbot.addWidget(window)
        assert window.first_mrn() is None
    finally:
        empty.close()


def test_the_labs_table_does_not_move_while_results_are_typed(qtbot, record, ui_settings):
    """walk23 #11: after the first bilirubin digit the visceral-crisis line appeared above the
    results table and pushed it down 14 px; the next values were typed into nothing. The live
    words above the table have their room kept (up to LIVE_LINES_KEPT lines)."""
    from planner.ui.wizard.assessment_wizard import AssessmentWizard

    wizard = AssessmentWizard(record, {"patient": {"mrn": "L-1", "family_name": "K"}})
    qtbot.addWidget(wizard)
    wizard.resize(1300, 740)
    wizard.show()
    wizard.go_to_page("LabsPage")
    page = wizard.labs_page
    table = page.rows["bilirubin"].value.parentWidget()
    qtbot.waitExposed(wizard)

    def top() -> int:
        for _ in range(5):
            qtbot.wait(10)
        return table.mapTo(page, table.rect().topLeft()).y()

    before = top()
    page.crisis.setText("watch — bilirubin above 1.5 × ULN: " + "a longer explanation " * 6)
    page.summary_note.setText("one warning\nanother warning")
    assert top() == before
    page.show_liver(None)
    assert top() == before
    wizard._draft_timer.stop()
