"""File → Print assessment form… and Save assessment form as PDF… (issue 20 item 5): the paper
form, blank or pre-filled with the selected patient's last values to check, sent to the printer
(the program's one print path, `pdf_printer`, as the plan window prints) or saved as a PDF
(vector pages).

Dialogs that only ask are `ask_*` functions the tests patch; the form itself is built by
`services.paper_forms` from the wizard's own wording.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from planner.domain.problems import InputInvalid
from planner.services import clinic_settings, paper_forms, printing
from planner.ui import pdf_printer, save_folder

if TYPE_CHECKING:
    from planner.domain.paper_form import PaperForm
    from planner.ui.record_files import RecordHost

BLANK, PREFILLED = "blank", "prefilled"


def tr(text: str) -> str:
    return QCoreApplication.translate("PaperForm", text)


def ask_kind(parent: QWidget, mrn: str | None) -> str | None:
    """Blank, or pre-filled for the selected patient (offered only when one is selected)."""
    box = QMessageBox(parent)
    box.setWindowTitle(tr("Print assessment form"))
    box.setText(
        tr("A blank form, or one with {mrn}'s last values for checking?").format(mrn=mrn)
        if mrn
        else tr("A blank assessment form (select a patient for one with her last values).")
    )
    blank = box.addButton(tr("&Blank form"), QMessageBox.ButtonRole.AcceptRole)
    filled = (
        box.addButton(tr("&Pre-filled for {mrn}").format(mrn=mrn), QMessageBox.ButtonRole.YesRole)
        if mrn
        else None
    )
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(filled or blank)
    box.exec()
    clicked = box.clickedButton()
    if clicked is blank:
        return BLANK
    if filled is not None and clicked is filled:
        return PREFILLED
    return None


def ask_path(parent: QWidget, suggested: Path) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(
        parent, tr("Save the assessment form"), str(suggested), tr("PDF (*.pdf)")
    )
    return Path(name) if name else None


def _form(host: RecordHost, mrn: str | None) -> tuple[PaperForm, str] | None:
    """Ask blank or pre-filled and make the form: (the form, the paper); None when cancelled or
    refused (said)."""
    parent = host.dialog_parent()
    kind = ask_kind(parent, mrn)
    if kind is None:
        return None
    try:
        settings = clinic_settings.of_record(host.record)
        form = (
            paper_forms.patient_form(host.record, mrn)
            if kind == PREFILLED and mrn
            else paper_forms.blank_form(settings)
        )
    except InputInvalid as exc:
        QMessageBox.warning(
            parent, tr("Print assessment form"), "\n".join(str(p) for p in exc.problems)
        )
        return None
    return form, settings.paper


def _write(host: RecordHost, path: Path, pdf: bytes) -> Path | None:
    try:
        path.write_bytes(pdf)
    except OSError as exc:
        QMessageBox.warning(
            host.dialog_parent(), tr("Print assessment form"), f"{path}: {exc.strerror or exc}"
        )
        return None
    return path


def save_assessment_form(host: RecordHost, mrn: str | None) -> Path | None:
    """Ask blank or pre-filled and where to save; write the form; say where it is."""
    made = _form(host, mrn)
    if made is None:
        return None
    form, paper = made
    suggested = save_folder.documents_folder() / paper_forms.form_file_name(form)
    path = ask_path(host.dialog_parent(), suggested)
    if path is None or _write(host, path, paper_forms.form_pdf(form, paper)) is None:
        return None
    host.show_status(tr("Assessment form saved to {path}: print it from there.").format(path=path))
    return path


def print_assessment_form(host: RecordHost, mrn: str | None) -> bool:
    """Ask blank or pre-filled, then the printer; send the form's PDF (its vector pages) to the
    printer's queue as the plan window does. True when it was handed on (sent, or written by
    "Print to file"); the status line says what became of it."""
    made = _form(host, mrn)
    if made is None:
        return False
    form, paper = made
    parent = host.dialog_parent()
    printer = ask_printer(parent, paper)
    if printer is None:
        return False
    pdf = paper_forms.form_pdf(form, paper)
    to_file = pdf_printer.file_chosen(printer)
    if to_file is not None:
        if _write(host, to_file, pdf) is None:
            return False
        host.show_status(tr("Assessment form written to {path}.").format(path=to_file))
        return True
    title = Path(paper_forms.form_file_name(form)).stem
    request = pdf_printer.request_for(printer, title, paper)
    host.show_status(tr("Sending the assessment form to the printer…"))
    answer = _Sent(host, pdf, printer)
    pdf_printer.send(
        parent,
        pdf,
        request,
        label=tr("Sending to the printer…"),
        sent=answer.sent,
        failed=answer.failed,
    )
    return True


def ask_printer(parent: QWidget, paper: str) -> Any | None:
    """The printer dialog (a function the tests patch)."""
    return pdf_printer.ask_printer(parent, paper)


class _Sent:
    """What the status line says once the queue answered (bound methods, not lambdas holding
    the window)."""

    def __init__(self, host: RecordHost, pdf: bytes, printer: Any) -> None:
        self.host, self.pdf, self.printer = host, pdf, printer

    def sent(self, said: str) -> None:
        self.host.show_status(tr("Assessment form sent to the printer: {said}").format(said=said))

    def failed(self, exc: Exception) -> None:
        if isinstance(exc, printing.PrintUnavailable):
            pdf_printer.draw_pdf(self.printer, self.pdf, self.host.dialog_parent())
            self.host.show_status(
                tr(
                    "Assessment form printed as page images ({why}): a larger, slower print "
                    "job. Save it as PDF to print it from a PDF reader instead."
                ).format(why=exc)
            )
            return
        why = "; ".join(p.message for p in exc.problems) if isinstance(exc, InputInvalid) else exc
        self.host.show_status(tr("Assessment form not printed: {why}").format(why=why))
