"""Sending a made PDF to a printer: the one way the program prints (the plan window and the
paper assessment form both use it). The printer dialog asks which printer, copies and two-sided;
the PDF goes to the queue as it is — its vector pages, the same bytes "Save" writes (issue 20
item 6) — off the GUI thread; "Print to file" writes the PDF itself; where this computer cannot
hand a PDF to its queue (no CUPS, no program registered for PDF files) its pages are drawn as
images on the chosen printer, and the caller says so.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QSize
from PySide6.QtGui import QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QWidget

from planner.services import printing
from planner.ui.background import BackgroundOp

#: dots per inch of a page drawn as an image (the fallback): sharp on paper; a printer's
#: 1200 dpi took minutes
PRINT_DPI = 300


def ask_printer(parent: QWidget, paper: str) -> Any | None:
    """The printer dialog on a QPrinter set to the paper (`a4` or `letter`); the printer as
    chosen, or None when cancelled."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    size = QPageSize.PageSizeId.Letter if paper == "letter" else QPageSize.PageSizeId.A4
    printer.setPageSize(QPageSize(size))
    dialog = QPrintDialog(printer, parent)
    return printer if dialog.exec() else None


def file_chosen(printer: Any) -> Path | None:
    """The file of "Print to file" (the PDF is written there as it is), or None."""
    from PySide6.QtPrintSupport import QPrinter

    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        return Path(printer.outputFileName())
    return None


def request_for(printer: Any, title: str, paper: str) -> printing.PrintRequest:
    """What the queue is asked for, from the printer as chosen in the dialog."""
    from PySide6.QtPrintSupport import QPrinter

    return printing.PrintRequest(
        printer=printer.printerName(),
        title=title,
        copies=printer.copyCount(),
        paper=paper,
        two_sided=printer.duplex() != QPrinter.DuplexMode.DuplexNone,
    )


def send(
    owner: QWidget,
    pdf: bytes,
    request: printing.PrintRequest,
    *,
    label: str,
    sent: Callable[[str], None],
    failed: Callable[[Exception], None],
) -> None:
    """The PDF, unchanged, to the printer queue off the GUI thread (a print server that does
    not answer must not freeze the window); `sent(what the queue said)` or `failed(error)` on
    the GUI thread."""
    BackgroundOp(owner, lambda: printing.send_pdf_to_printer(pdf, request), label=label).success(
        sent
    ).failure(failed).run()


def draw_pages(printer: Any, document: QPdfDocument) -> None:
    """Every page of `document` as an image on `printer` (a QPrinter or any
    QPagedPaintDevice): the fallback where a PDF cannot be sent as it is."""
    painter = QPainter(printer)
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            target = painter.viewport()
            shrink = min(1.0, PRINT_DPI / max(printer.logicalDpiX(), 1))
            size = QSize(int(target.width() * shrink), int(target.height() * shrink))
            painter.drawImage(target, document.render(page, size))
    finally:
        painter.end()


def draw_pdf(printer: Any, pdf: bytes, owner: QObject) -> None:
    """`draw_pages` of PDF bytes not shown in a window (the paper form)."""
    document = QPdfDocument(owner)
    buffer = QBuffer(owner)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    try:
        document.load(buffer)
        draw_pages(printer, document)
    finally:
        document.close()
        buffer.close()
        document.deleteLater()
        buffer.deleteLater()
