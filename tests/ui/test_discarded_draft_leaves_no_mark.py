"""After "Discard it", Today's work and the patient list still said "unfinished" (the list even
after Ctrl+T): issue 16, review 16c finding 17. Discarding refreshes both."""

from __future__ import annotations

from planner.ui.main_window import MainWindow
from planner.ui.patient_model import DRAFT_WORDS
from planner.ui.resume_dialog import ResumeDraftDialog


def _list_text(window: MainWindow) -> str:
    model = window.table.model()
    return " ".join(
        str(model.data(model.index(row, column)) or "")
        for row in range(model.rowCount())
        for column in range(model.columnCount())
    )


def test_discarding_a_draft_clears_the_list_and_todays_work(
    qtbot, record, ui_settings, example_raw, monkeypatch
):
    record.import_case(example_raw)
    mrn = example_raw["patient"]["mrn"]
    record.save_draft({"patient": {"mrn": mrn, "family_name": "Karimova"}}, "LabsPage", mrn=mrn)
    window = MainWindow(record, ui_settings)
    qtbot.addWidget(window)
    assert DRAFT_WORDS in _list_text(window)
    assert window.worklist_view.drafts.count() == 1
    monkeypatch.setattr(ResumeDraftDialog, "ask", classmethod(lambda cls, parent, draft: "discard"))
    window.resume_drafts()
    assert record.drafts() == []
    assert DRAFT_WORDS not in _list_text(window)
    drafts = window.worklist_view.drafts
    assert [drafts.item(i).text() for i in range(drafts.count())] == [
        "No assessment is left unfinished."
    ]
