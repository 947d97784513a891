"""File → Print assessment form… (blank / pre-filled) sends the form to the printer by the plan
window's print path (pdf_printer: the PDF's vector pages to the queue); File → Save assessment
form as PDF… writes it — for the selected patient with her last values, or a blank one."""

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
    assert "Save assessment form as PDF" in window.paper_form_action.text().replace("&", "")
    assert window.paper_form_print_action in file_menu.actions()
    assert "Print assessment form" in window.paper_form_print_action.text().replace("&", "")
    assert window.paper_form_print_action.shortcut().toString() == "Ctrl+Shift+P"


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


def _printer(to_file=None):
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if to_file is not None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(to_file))
    else:
        printer.setOutputFileName("")
    printer.setCopyCount(2)
    return printer


def test_print_sends_the_form_s_pdf_to_the_printer_queue(window, monkeypatch, qtbot):
    from planner.services import printing
    from planner.ui.background import wait_for_all

    sent = []

    def spool(pdf, request):
        sent.append((pdf, request))
        return "request id is Clinic_Laser-9"

    asked = {}
    monkeypatch.setattr(paper_form_actions, "ask_kind", lambda parent, mrn: "prefilled")
    monkeypatch.setattr(
        paper_form_actions, "ask_printer", lambda parent, paper: asked.setdefault("p", _printer())
    )
    monkeypatch.setattr(printing, "send_pdf_to_printer", spool)
    window.table.selectRow(0)
    window.paper_form_print_action.trigger()
    qtbot.waitUntil(lambda: bool(sent), timeout=30000)
    wait_for_all()
    [(pdf, request)] = sent
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Karimova" in text
    assert "last time, 20/11/2026" in text
    assert request.title == "assessment_form_TAS-000123"
    assert request.copies == 2
    qtbot.waitUntil(
        lambda: "sent to the printer" in window.statusBar().currentMessage(), timeout=30000
    )
    assert "request id is Clinic_Laser-9" in window.statusBar().currentMessage()


def test_print_to_file_writes_the_form(window, monkeypatch, tmp_path):
    out = tmp_path / "printed.pdf"
    monkeypatch.setattr(paper_form_actions, "ask_kind", lambda parent, mrn: "blank")
    monkeypatch.setattr(paper_form_actions, "ask_printer", lambda parent, paper: _printer(out))
    window.paper_form_print_action.trigger()
    assert "last time" not in _text(out)
    assert str(out) in window.statusBar().currentMessage()
