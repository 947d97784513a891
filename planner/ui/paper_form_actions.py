"""File → Print assessment form… (issue 20 item 5): the paper form, blank or pre-filled with the
selected patient's last values to check, saved as a PDF (vector pages) to print.

Dialogs that only ask are `ask_*` functions the tests patch; the form itself is built by
`services.paper_forms` from the wizard's own wording.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from planner.domain.problems import InputInvalid
from planner.services import clinic_settings, paper_forms
from planner.ui import save_folder

if TYPE_CHECKING:
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


def print_assessment_form(host: RecordHost, mrn: str | None) -> Path | None:
    """Ask blank or pre-filled and where to save; write the form; say where it is."""
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
    path = ask_path(parent, save_folder.documents_folder() / paper_forms.form_file_name(form))
    if path is None:
        return None
    try:
        path.write_bytes(paper_forms.form_pdf(form, settings.paper))
    except OSError as exc:
        QMessageBox.warning(parent, tr("Print assessment form"), f"{path}: {exc.strerror or exc}")
        return None
    host.show_status(tr("Assessment form saved to {path}: print it from there.").format(path=path))
    return path
