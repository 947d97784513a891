"""File → Print assessment form… (blank / pre-filled): writes the form for the selected patient
with her last values, or a blank one."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from planner.ui import paper_form_actions
from planner.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, record, ui_settings, example_raw):
    record.import_case(example_raw)
    shown = MainWindow(record, ui_settings)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def _text(path) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_the_file_menu_offers_the_form(window):
    file_menu = window.menuBar().actions()[0].menu()
    assert window.paper_form_action in file_menu.actions()
    assert "Print assessment form" in window.paper_form_action.text()


@pytest.mark.parametrize("kind", [paper_form_actions.PREFILLED, paper_form_actions.BLANK])
def test_prefilled_or_blank_form_is_saved(window, monkeypatch, tmp_path, kind):
    asked: dict[str, object] = {}
    out = tmp_path / "form.pdf"

    def ask_kind(parent, mrn):
        asked["mrn"] = mrn
        return kind

    def ask_path(parent, suggested):
        asked["suggested"] = suggested.name
        return out

    monkeypatch.setattr(paper_form_actions, "ask_kind", ask_kind)
    monkeypatch.setattr(paper_form_actions, "ask_path", ask_path)
    window.table.selectRow(0)
    assert window.selected_mrn() == "TAS-000123"
    window.paper_form_action.trigger()
    assert asked["mrn"] == "TAS-000123"
    text = _text(out)
    if kind == paper_form_actions.PREFILLED:
        assert asked["suggested"] == "assessment_form_TAS-000123.pdf"
        assert "last time, 20/11/2026" in text
        assert "Karimova" in text
    else:
        assert asked["suggested"] == "assessment_form_blank.pdf"
        assert "last time" not in text
    assert str(out) in window.statusBar().currentMessage()
