"""A kept plan: its PDF previewed in the app, printed (A4 / Letter) or saved, and the clinician's
changes (another option chosen, a dose changed) recorded with a reason.

The PDF is made off the GUI thread (`BackgroundOp`); QtPdf is imported only here, when a plan
is first opened.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Signal
from PySide6.QtGui import QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner import services
from planner.domain.problems import InputInvalid
from planner.ui.background import BackgroundOp
from planner.ui.geometry import fit_to_screen

PRINT_DPI = 300


def option_names(plan: dict[str, Any]) -> list[str]:
    return [
        f"{o.get('rank')}. {str(o.get('regimen', '')).replace('_', ' ')}"
        for o in plan.get("options", [])
    ]


def dosed_drugs(plan: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, current dose) of every drug with a printed dose."""
    out = []
    for option in plan.get("options", []):
        for drug in option.get("drugs", []):
            dose = drug.get("dose")
            if dose:
                out.append(
                    (
                        f"{drug.get('drug')} ({option.get('regimen', '').replace('_', ' ')})",
                        f"{dose['value']:g} {dose['unit']}",
                    )
                )
    return out


class OverrideDialog(QDialog):
    """Record a clinician's change: what, from, to, and why (the reason is required)."""

    def __init__(self, plan: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Change the suggestion"))
        self.plan = plan
        self.kind = QComboBox()
        self.kind.setAccessibleName(self.tr("What to change"))
        self.kind.addItem(self.tr("Choose another option"), "option")
        self.kind.addItem(self.tr("Change a dose"), "dose")
        self.target = QComboBox()
        self.target.setAccessibleName(self.tr("Option or drug"))
        self.new_value = QLineEdit()
        self.new_value.setAccessibleName(self.tr("New dose"))
        self.new_value.setPlaceholderText(self.tr("e.g. 60 mg/m2"))
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setAccessibleName(self.tr("Reason"))
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        for label, widget in (
            (self.tr("&Change"), self.kind),
            (self.tr("&Which"), self.target),
            (self.tr("New &dose"), self.new_value),
            (self.tr("&Reason (required)"), self.reason),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            form.addRow(caption, widget)
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.check_and_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._fill_targets)
        self._fill_targets()

    def _fill_targets(self) -> None:
        self.target.clear()
        if self.kind.currentData() == "option":
            for name in option_names(self.plan):
                self.target.addItem(name, name)
            self.new_value.setEnabled(False)
        else:
            for label, dose in dosed_drugs(self.plan):
                self.target.addItem(f"{label}: {dose}", (label, dose))
            self.new_value.setEnabled(True)

    def change(self) -> dict[str, str] | None:
        """{what, before, after, reason}, or None while something is missing."""
        reason = self.reason.toPlainText().strip()
        data = self.target.currentData()
        if data is None:
            return None
        if self.kind.currentData() == "option":
            first = option_names(self.plan)[0] if option_names(self.plan) else ""
            return {"what": "chosen option", "before": first, "after": data, "reason": reason}
        label, dose = data
        return {
            "what": f"dose of {label}",
            "before": dose,
            "after": self.new_value.text().strip(),
            "reason": reason,
        }

    def check_and_accept(self) -> None:
        change = self.change()
        missing = []
        if change is None:
            missing.append(self.tr("nothing to change"))
        elif not change["reason"]:
            missing.append(self.tr("Say why the suggestion is changed."))
        elif self.kind.currentData() == "dose" and not change["after"]:
            missing.append(self.tr("Enter the new dose."))
        if missing:
            self.error.setText(" ".join(missing))
            self.error.show()
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, plan: dict[str, Any]) -> dict[str, str] | None:
        dialog = cls(plan, parent)
        return dialog.change() if dialog.exec() else None


class PlanView(QDialog):
    """Signals: `changed(plan_id)` after a clinician's change was kept as a new plan;
    `pdf_ready()` when the preview has loaded."""

    changed = Signal(int)
    pdf_ready = Signal()

    def __init__(
        self, record: services.PatientRecord, plan_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._record = record
        self.plan_id = plan_id
        self.kept = record.plan(plan_id) or {}
        self.pdf_bytes = b""
        self.setWindowTitle(self.tr("Plan {id}").format(id=plan_id))
        fit_to_screen(self, 1000, 800)
        self.document = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setAccessibleName(self.tr("Plan preview"))

        self.audience = QComboBox()
        self.audience.addItem(self.tr("Clinician and patient"), "both")
        self.audience.addItem(self.tr("Clinician only"), "clinician")
        self.audience.addItem(self.tr("Patient booklet only"), "patient")
        self.audience.setAccessibleName(self.tr("Which parts"))
        self.paper = QComboBox()
        self.paper.addItem("A4", "a4")
        self.paper.addItem("Letter", "letter")
        self.paper.setAccessibleName(self.tr("Paper size"))
        clinic = {**services.CLINIC_SETTING_DEFAULTS, **record.clinic_settings()}
        self.paper.setCurrentIndex(max(self.paper.findData(clinic["paper"]), 0))
        self.print_button = QPushButton(self.tr("&Print…"))
        self.save_button = QPushButton(self.tr("&Save PDF…"))
        self.override_button = QPushButton(self.tr("&Change a suggestion…"))
        self.status = QLabel()
        self.status.setAccessibleName(self.tr("Plan status"))
        for button in (self.print_button, self.save_button, self.override_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
        self.print_button.clicked.connect(self.print_plan)
        self.save_button.clicked.connect(self.save_pdf)
        self.override_button.clicked.connect(self.override)
        self.audience.currentIndexChanged.connect(self.render)
        self.paper.currentIndexChanged.connect(self.render)

        bar = QHBoxLayout()
        parts_label = QLabel(self.tr("P&arts"))
        parts_label.setBuddy(self.audience)
        paper_label = QLabel(self.tr("Pape&r"))
        paper_label.setBuddy(self.paper)
        for widget in (parts_label, self.audience, paper_label, self.paper):
            bar.addWidget(widget)
        bar.addStretch(1)
        for widget in (self.override_button, self.save_button, self.print_button):
            bar.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        overrides = (self.kept.get("plan") or {}).get("overrides") or []
        if overrides:
            changes = QLabel(
                self.tr("Clinician changes: ")
                + "; ".join(
                    f"{o['what']}: {o['from']} → {o['to']} ({o['reason']})" for o in overrides
                )
            )
            changes.setWordWrap(True)
            layout.addWidget(changes)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        self.render()

    def render(self) -> None:
        """Make the PDF off the GUI thread, then show it."""
        audience, paper = self.audience.currentData(), self.paper.currentData()
        self.status.setText(self.tr("Making the PDF…"))
        for button in (self.print_button, self.save_button):
            button.setEnabled(False)
        BackgroundOp(
            self,
            lambda: services.plan_pdf(self._record, self.plan_id, audience=audience, paper=paper),
            label=self.tr("Making the PDF…"),
        ).success(self._show_pdf).failure(self._pdf_failed).run()

    def _show_pdf(self, data: bytes) -> None:
        self.pdf_bytes = data
        self.document.close()
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        self.status.setText(
            self.tr("{pages} pages. Check every suggestion before printing.").format(
                pages=self.document.pageCount()
            )
        )
        for button in (self.print_button, self.save_button):
            button.setEnabled(True)
        self.pdf_ready.emit()

    def _pdf_failed(self, exc: Exception) -> None:
        self.status.setText(self.tr("The PDF could not be made: {error}").format(error=exc))

    def save_pdf(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the plan"), f"plan-{self.plan_id}.pdf", self.tr("PDF (*.pdf)")
        )
        if name:
            self.save_pdf_to(Path(name))

    def save_pdf_to(self, path: Path) -> None:
        path.write_bytes(self.pdf_bytes)
        self.status.setText(self.tr("Saved to {path}").format(path=path))

    def print_plan(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        size = (
            QPageSize.PageSizeId.Letter
            if self.paper.currentData() == "letter"
            else QPageSize.PageSizeId.A4
        )
        printer.setPageSize(QPageSize(size))
        dialog = QPrintDialog(printer, self)
        if dialog.exec():
            self.print_to(printer)

    def print_to(self, printer: Any) -> None:
        """Draw every page of the PDF on `printer` (a QPrinter, or any QPagedPaintDevice)."""
        painter = QPainter(printer)
        try:
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                target = painter.viewport()
                # 300 dpi is sharp on paper; rendering at a printer's 1200 dpi takes minutes.
                shrink = min(1.0, PRINT_DPI / max(printer.logicalDpiX(), 1))
                size = QSize(int(target.width() * shrink), int(target.height() * shrink))
                painter.drawImage(target, self.document.render(page, size))
        finally:
            painter.end()

    def override(self) -> None:
        change = OverrideDialog.ask(self, self.kept.get("plan") or {})
        if change is None:
            return
        try:
            new_id = services.override_plan(self._record, self.plan_id, **change)
        except InputInvalid as exc:
            self.status.setText("; ".join(p.message for p in exc.problems))
            return
        self.changed.emit(new_id)
        self.plan_id = new_id
        self.kept = self._record.plan(new_id) or {}
        self.setWindowTitle(self.tr("Plan {id}").format(id=new_id))
        self.status.setText(self.tr("The change was kept as plan {id}.").format(id=new_id))
        self.render()

    def done(self, code: int) -> None:
        self.document.close()
        super().done(code)
