"""Issue 20 item 6: the plan window's Print hands the printer queue the PDF it shows and saves —
the same bytes, vector pages — not page images; and a first visit's default parts are the
clinician's decision and the family booklet, with the evidence appendix a choice."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from planner.services import kept_plans, printing
from planner.ui.background import wait_for_all
from planner.ui.plan_view import PlanView


@pytest.fixture
def view(qtbot, record, example_raw):
    assessment = record.import_case(example_raw).assessment_id
    plan_id = kept_plans.make_and_keep_plan(record, assessment).plan_id
    shown = PlanView(record, plan_id)
    qtbot.addWidget(shown)
    qtbot.waitUntil(lambda: shown.ready, timeout=30000)
    yield shown
    wait_for_all()


def _parts(pdf: bytes) -> set[str]:
    names = ("Clinician section", "Evidence appendix", "References", "Booklet", "Referral slip")
    texts = [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]
    return {name for name in names for text in texts if f"{name} · page" in text}


def test_print_sends_the_saved_pdf_bytes(view, monkeypatch, tmp_path, qtbot):
    sent: list[tuple[bytes, printing.PrintRequest]] = []

    def spool(pdf, request):
        sent.append((pdf, request))
        return "request id is Clinic_Laser-7"

    monkeypatch.setattr(printing, "send_pdf_to_printer", spool)
    request = printing.PrintRequest(printer="Clinic_Laser", title="plan", copies=1)
    view.print_pdf(request)
    qtbot.waitUntil(lambda: view.status.text().startswith("Sent to the printer"), timeout=30000)
    assert view.status.text() == "Sent to the printer: request id is Clinic_Laser-7"
    saved = tmp_path / "plan.pdf"
    view.save_pdf_to(saved)
    [(pdf, asked)] = sent
    assert pdf == saved.read_bytes()  # the vector PDF itself, not a rendering of it
    assert asked == request


def test_no_pdf_printing_falls_back_to_page_images_and_says_so(view, monkeypatch, tmp_path, qtbot):
    from PySide6.QtGui import QPageSize, QPdfWriter

    def unavailable(pdf, request):
        raise printing.PrintUnavailable("the CUPS command lp is not installed")

    monkeypatch.setattr(printing, "send_pdf_to_printer", unavailable)
    writer = QPdfWriter(str(tmp_path / "images.pdf"))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(72)
    view.print_pdf(printing.PrintRequest(printer="x", title="plan"), fallback=writer)
    qtbot.waitUntil(lambda: "page images" in view.status.text(), timeout=30000)
    del writer  # finishes the file
    assert "Printed as page images (the CUPS command lp is not installed)" in view.status.text()
    printed = PdfReader(str(tmp_path / "images.pdf"))
    assert len(printed.pages) == len(PdfReader(io.BytesIO(view.pdf_bytes)).pages)


def test_a_refused_job_says_why_and_prints_nothing(view, monkeypatch, qtbot):
    from planner.domain.problems import InputInvalid, Problem

    def refused(pdf, request):
        raise InputInvalid((Problem("printer", "Gone: the printer does not exist."),))

    monkeypatch.setattr(printing, "send_pdf_to_printer", refused)
    view.print_pdf(printing.PrintRequest(printer="Gone", title="plan"), fallback=object())
    qtbot.waitUntil(lambda: view.status.text().startswith("Not printed"), timeout=30000)
    assert view.status.text() == "Not printed: Gone: the printer does not exist."


def test_the_default_parts_are_the_decision_and_the_booklet(view, qtbot):
    assert view.audience.currentData() == "both"
    assert not view.evidence.isChecked()
    assert _parts(view.pdf_bytes) == {"Clinician section", "Booklet"}
    assert len(PdfReader(io.BytesIO(view.pdf_bytes)).pages) <= 6
    view.evidence.setChecked(True)
    qtbot.waitUntil(lambda: view.ready and view.shown.evidence, timeout=30000)
    assert _parts(view.pdf_bytes) == {
        "Clinician section",
        "Evidence appendix",
        "References",
        "Booklet",
    }
    # the appendix belongs to the clinician's decision: not offered with the booklet alone
    view.audience.setCurrentIndex(view.audience.findData("booklet"))
    assert not view.evidence.isEnabled()
    qtbot.waitUntil(lambda: view.ready, timeout=30000)
    assert view.choice()[2] is False
    assert _parts(view.pdf_bytes) == {"Booklet"}
