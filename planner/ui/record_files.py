"""File → Import case files…, Back up record…, Restore from backup…

Each asks what it needs (file dialogs; a confirmation naming what a restore replaces), then runs
the service off the GUI thread (`BackgroundOp`, progress shown) and says what happened. The work
opens the record on its own connection (services: `import_case_files`, `backup_record`,
`restore_record`), so the window keeps reading while it runs. Dialogs that only ask are
`ask()`-style functions the tests patch.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from planner.domain.problems import InputInvalid
from planner.services import record_admin
from planner.ui.background import BackgroundOp

if TYPE_CHECKING:
    from planner.services.patient_record import PatientRecord

CASE_FILES = "Case files (*.json);;All files (*)"
RECORD_FILES = "Record files (*.sqlite3 *.db);;All files (*)"


@runtime_checkable
class RecordHost(Protocol):
    """What import, backup and restore need of the window they are started from (the main
    window is one): its open record, and the few things they do to it. They never reach into
    the window otherwise, and this module does not import it."""

    @property
    def record(self) -> PatientRecord: ...

    def dialog_parent(self) -> QWidget:
        """The widget their dialogs and background work belong to."""
        ...

    def refresh(self) -> None:
        """Show the record again (patients were added)."""
        ...

    def show_status(self, message: str, timeout_ms: int = 0) -> None: ...

    def keep_import_result(self, dialog: QDialog) -> None:
        """Keep the last import's summary dialog (while it is open)."""
        ...

    def close_record(self) -> None:
        """Let go of the record (a restore replaces the file)."""
        ...

    def reopen_record(self) -> None: ...


def describe(exc: Exception) -> str:
    """An error as the user reads it: one line per problem (field path: message)."""
    if isinstance(exc, InputInvalid):
        return "\n".join(str(problem) for problem in exc.problems)
    return str(exc) or type(exc).__name__


def tell(parent: QWidget, title: str, text: str, *, warning: bool = False) -> QMessageBox:
    """A message the user closes, without blocking the event loop (window-modal)."""
    box = QMessageBox(
        QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information,
        title,
        text,
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.open()
    return box


# ---- asking ------------------------------------------------------------------------------------


def ask_case_files(parent: QWidget) -> list[Path]:
    names, _filter = QFileDialog.getOpenFileNames(
        parent, parent.tr("Import case files"), str(Path.home()), CASE_FILES
    )
    return [Path(name) for name in names]


def ask_backup_file(parent: QWidget, suggested: Path) -> Path | None:
    """Where to write a backup. An existing file is never overwritten (the service refuses)."""
    name, _filter = QFileDialog.getSaveFileName(
        parent,
        parent.tr("Back up the record"),
        str(suggested),
        RECORD_FILES,
        options=QFileDialog.Option.DontConfirmOverwrite,
    )
    return Path(name) if name else None


def ask_backup_to_restore(parent: QWidget) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(
        parent, parent.tr("Restore the record from a backup"), str(Path.home()), RECORD_FILES
    )
    return Path(name) if name else None


class RestoreConfirmation(QMessageBox):
    """Says exactly what a restore replaces and where the replaced record is kept."""

    def __init__(self, parent: QWidget | None, record_path: Path, patients: int, source: Path):
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(self.tr("Restore from backup"))
        self.setText(
            self.tr("Replace the record {record} ({patients}) with the backup {source}?").format(
                record=record_path,
                patients=self.tr("1 patient")
                if patients == 1
                else self.tr("{n} patients").format(n=patients),
                source=source,
            )
        )
        self.setInformativeText(
            self.tr(
                "Everything in the record now is replaced by what the backup holds. The record "
                "being replaced is kept beside it first, as {kept}, so nothing is lost. An open "
                "assessment is closed (its draft is kept in the replaced record)."
            ).format(kept=f"{record_path.stem}.before-restore-<date and time>{record_path.suffix}")
        )
        self.replace_button = self.addButton(
            self.tr("&Replace the record"), QMessageBox.ButtonRole.DestructiveRole
        )
        cancel = self.addButton(QMessageBox.StandardButton.Cancel)
        self.setDefaultButton(cancel)
        self.setEscapeButton(cancel)

    @classmethod
    def ask(cls, parent: QWidget | None, record_path: Path, patients: int, source: Path) -> bool:
        """True when the user chose to replace the record (tests patch this classmethod)."""
        box = cls(parent, record_path, patients, source)
        box.exec()
        return box.clickedButton() is box.replace_button


# ---- the import summary ------------------------------------------------------------------------


def summary_html(results: list[record_admin.CaseFileImport]) -> str:
    """Refused files first (each with every reason: field path and message), then the rest."""
    refused = [r for r in results if r.outcome is None]
    kept = [r for r in results if r.outcome is not None]
    parts = []
    if refused:
        parts.append(f"<h3>{len(refused)} refused — nothing from these files was stored</h3>")
        for result in refused:
            reasons = "".join(
                f"<li>{html.escape(p.message)}</li>"  # the file itself (unreadable, not JSON)
                if p.path == str(result.path)
                else f"<li><b>{html.escape(p.path)}</b>: {html.escape(p.message)}</li>"
                for p in result.problems
            )
            parts.append(
                f"<p style='margin-bottom:0'><b>{html.escape(result.path.name)}</b>"
                f" <span style='color:#555'>({html.escape(str(result.path.parent))})</span></p>"
                f"<ul style='margin-top:2px'>{reasons}</ul>"
            )
    if kept:
        parts.append(f"<h3>{len(kept)} imported</h3><ul>")
        for result in kept:
            outcome = result.outcome
            assert outcome is not None
            what = {
                "new": "new patient",
                "matched": "known patient",
                "updated": "known patient, details updated",
            }.get(outcome.patient, outcome.patient)
            stored = (
                f"already in the record (assessment {outcome.assessment_id})"
                if outcome.already_present
                else f"assessment {outcome.assessment_id}"
            )
            doubts = "".join(
                f"<br><span style='color:#8a5300'>check: {html.escape(d.path)}:"
                f" {html.escape(d.message)}</span>"
                for d in outcome.doubts
            )
            parts.append(
                f"<li><b>{html.escape(result.path.name)}</b>: {html.escape(outcome.mrn)}"
                f" ({what}), {stored}{doubts}</li>"
            )
        parts.append("</ul>")
    return "".join(parts)


class ImportResultDialog(QDialog):
    """What an import did, file by file."""

    def __init__(self, results: list[record_admin.CaseFileImport], parent: QWidget | None = None):
        super().__init__(parent)
        self.results = results
        refused = sum(r.outcome is None for r in results)
        self.setWindowTitle(self.tr("Import case files"))
        self.heading = QLabel(
            self.tr("{done} of {total} files imported; {refused} refused.").format(
                done=len(results) - refused, total=len(results), refused=refused
            )
            if refused
            else self.tr("All {total} files imported.").format(total=len(results))
        )
        self.heading.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.heading.setWordWrap(True)
        self.details = QTextBrowser()
        self.details.setAccessibleName(self.tr("Import results by file"))
        self.details.setHtml(summary_html(results))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        line = self.fontMetrics().horizontalAdvance("M")
        self.resize(line * 52, self.fontMetrics().lineSpacing() * 26)

    def text(self) -> str:
        return self.heading.text() + "\n" + self.details.toPlainText()


# ---- the three actions -------------------------------------------------------------------------


def import_case_files(host: RecordHost) -> BackgroundOp | None:
    window = host.dialog_parent()
    files = ask_case_files(window)
    if not files:
        return None
    path, who = host.record.path, host.record.who

    def work(report: Any) -> list[record_admin.CaseFileImport]:
        return record_admin.import_case_files(
            path,
            files,
            who=who,
            progress=lambda done, file: report(done, f"{done + 1} of {len(files)}: {file.name}"),
        )

    def done(results: list[record_admin.CaseFileImport]) -> None:
        host.refresh()
        dialog = ImportResultDialog(results, window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        host.keep_import_result(dialog)
        dialog.open()
        imported = sum(r.outcome is not None for r in results)
        host.show_status(
            window.tr("{n} of {total} case files imported.").format(n=imported, total=len(files)),
            8000,
        )

    return (
        BackgroundOp(window, work, label=window.tr("Importing case files…"), steps=len(files))
        .success(done)
        .failure(lambda exc: tell(window, window.tr("Import"), describe(exc), warning=True))
        .run()
    )


def back_up(host: RecordHost) -> BackgroundOp | None:
    window = host.dialog_parent()
    path = host.record.path
    stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M")
    dest = ask_backup_file(
        window, Path.home() / f"{path.stem}-backup-{stamp}{path.suffix or '.sqlite3'}"
    )
    if dest is None:
        return None

    def done(written: Path) -> None:
        host.show_status(window.tr("Backup written: {path}").format(path=written))
        tell(
            window,
            window.tr("Back up the record"),
            window.tr("The record was backed up to\n{path}").format(path=written),
        )

    return (
        BackgroundOp(
            window,
            lambda: record_admin.backup_record(path, dest),
            label=window.tr("Backing up the record…"),
        )
        .success(done)
        .failure(
            lambda exc: tell(window, window.tr("Back up the record"), describe(exc), warning=True)
        )
        .run()
    )


def restore(host: RecordHost) -> BackgroundOp | None:
    window = host.dialog_parent()
    source = ask_backup_to_restore(window)
    if source is None:
        return None
    path = host.record.path
    if not RestoreConfirmation.ask(window, path, host.record.patient_count(), source):
        return None
    host.close_record()  # a restore needs the record closed everywhere else

    def done(kept: Path | None) -> None:
        host.reopen_record()
        kept_text = (
            window.tr("The record it replaced was kept as\n{kept}").format(kept=kept)
            if kept is not None
            else window.tr("There was nothing to keep from the record it replaced.")
        )
        tell(
            window,
            window.tr("Restore from backup"),
            window.tr("Restored from {source}.").format(source=source) + "\n\n" + kept_text,
        )

    def failed(exc: Exception) -> None:
        host.reopen_record()
        tell(
            window,
            window.tr("Restore from backup"),
            window.tr("The record was not replaced.") + "\n\n" + describe(exc),
            warning=True,
        )

    return (
        BackgroundOp(
            window,
            lambda: record_admin.restore_record(path, source),
            label=window.tr("Restoring the record…"),
        )
        .success(done)
        .failure(failed)
        .run()
    )
