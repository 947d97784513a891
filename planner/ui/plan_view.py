"""A kept plan: its PDF previewed in the app, printed (A4 / Letter) or saved, and the clinician's
decision (an option, a changed dose or a held drug, or best supportive care) kept with its reason
and signed by the program's user; the printed parts are the plan as decided.

Why one module: it is one window class: the preview, the parts and paper chosen, printing and
saving share one state (which rendered document is shown, and for which choice), so that a
late render is never shown, printed or saved for another choice. The decision has its own
dialog (`decision_dialog`).

The PDF is made off the GUI thread (`BackgroundOp`); QtPdf is imported only here (and by
`pdf_printer`, the one print path, which the paper form shares), when a plan is first opened.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from planner.domain.dates import DEFAULT_DATE_FORMAT, show_date_time
from planner.domain.decision import (
    decision_of,
    decision_summary,
)
from planner.domain.problems import InputInvalid
from planner.domain.stored import StoredPlan
from planner.services import kept_plans, patient_record, printing
from planner.ui import pdf_printer, save_folder
from planner.ui.alert_banner import AlertBanner
from planner.ui.background import BackgroundOp
from planner.ui.decision_dialog import DecisionDialog
from planner.ui.geometry import fit_to_screen
from planner.ui.plan_text import plan_text_html

#: what a saved file's name ends with, per part printed (the whole plan: "_plan.pdf")
SAVED_NAME_ENDINGS = {
    "both": "_plan.pdf",
    "clinician": "_clinician.pdf",
    "booklet": "_booklet.pdf",
    "slips": "_slips.pdf",
}


#: the parts the evidence appendix can be added to (the clinician's decision is among them)
WITH_EVIDENCE = ("both", "clinician")


def printed_choice(printed: printing.PrintedPlan) -> tuple[int | None, str, bool, str]:
    """What a printed document was made for: (plan id, parts, with the evidence appendix,
    paper), as PlanView.choice()."""
    return printed.plan_id, printed.audience, printed.evidence, printed.paper


class PlanView(QDialog):
    """Signals: `changed(plan_id)` after a clinician's decision was kept as a new plan;
    `pdf_ready()` when the preview has loaded.

    The window shows, saves and prints ONE document (`shown`, a printing.PrintedPlan): the bytes
    made for the parts and paper chosen. A render finished for an earlier choice is dropped
    (issue 16: rapid changes of "Parts" saved the clinician section under "Patient booklet
    only"). Save or Print asked for while the chosen document is still being made is queued
    (`queued`) and done with that document when it arrives, never with the one on screen; a
    change of parts or paper before then cancels it, and the status line says so (the first
    Save after changing "Parts" used to be refused with "wait").
    """

    changed = Signal(int)
    pdf_ready = Signal()
    #: "Treatment course…": the course of this plan's patient (a decided option starts one)
    course_requested = Signal(str)

    def __init__(
        self, record: patient_record.PatientRecord, plan_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._record = record
        self.plan_id = plan_id
        self.kept: StoredPlan | None = record.plan(plan_id)
        self.shown: printing.PrintedPlan | None = None
        #: Saves and Prints waiting for the chosen document, in the order asked: (the choice
        #: asked for, what to do with it, what it is in words); a change of choice cancels them
        self.queued: list[tuple[tuple[int, str, bool, str], Callable[[], None], str]] = []
        self._source = printing.plan_print_source(record, plan_id)
        self.setWindowTitle(self.tr("Plan {id}").format(id=plan_id))
        fit_to_screen(self, 1000, 800)
        self.document = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setAccessibleName(self.tr("Plan preview"))
        # A plan that must not be printed (a decision kept before undosed options were
        # refused) shows why in the preview's place; Decide stays available to decide again.
        self.refusal = QLabel()
        self.refusal.setWordWrap(True)
        self.refusal.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.refusal.setAccessibleName(self.tr("Why this plan cannot be printed"))
        self.refusal.setStyleSheet(
            "color: #5c0011; background: #fde7ea; padding: 12px; font-size: 12pt;"
        )
        self.preview = QStackedWidget()
        self.preview.addWidget(self.view)
        self.preview.addWidget(self.refusal)
        # The printed summary shortens long alerts and interventions and sends the reader here:
        # every line of the plan as decided, whole, with its why (planner/ui/plan_text.py).
        self.text = QTextBrowser()
        self.text.setAccessibleName(self.tr("Plan text: every line in full"))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.preview, self.tr("Pre&view"))
        self.tabs.addTab(self.text, self.tr("Plan te&xt"))
        self.tabs.setAccessibleName(self.tr("Plan preview or full text"))

        # What a first visit needs by default: the clinician's decision (page 1 the whole of it)
        # and the family booklet, one to six pages (issue 20 item 6); the evidence appendix and
        # the slips are printed when asked.
        self.audience = QComboBox()
        self.audience.addItem(self.tr("Clinician decision and patient booklet"), "both")
        self.audience.addItem(self.tr("Clinician decision only"), "clinician")
        # The window's "booklet only" is the booklet alone; the slips are their own part (the
        # CLI's --audience patient keeps the contract's meaning: the booklet with its slips).
        self.audience.addItem(self.tr("Patient booklet only"), "booklet")
        self.audience.addItem(self.tr("Referral slips"), "slips")
        self.audience.setAccessibleName(self.tr("Which parts"))
        self.evidence = QCheckBox(self.tr("with the &evidence appendix"))
        self.evidence.setAccessibleName(self.tr("Evidence appendix"))
        self.evidence.setToolTip(
            self.tr(
                "Why each suggestion, the other options ranked, symptom care in full, trends "
                "and references: printed after the clinician's decision."
            )
        )
        self.paper = QComboBox()
        self.paper.addItem("A4", "a4")
        self.paper.addItem("Letter", "letter")
        self.paper.setAccessibleName(self.tr("Paper size"))
        self.paper.setCurrentIndex(max(self.paper.findData(self._source.paper), 0))
        # the first letter of the bar's first choice is its Alt-letter: Alt+P is Parts, Print
        # is Alt+N, the course Alt+T (walk 21 F9: Alt+P printed, and the course was Alt+O)
        self.print_button = QPushButton(self.tr("Pri&nt…"))
        self.save_button = QPushButton(self.tr("&Save PDF…"))
        self.decide_button = QPushButton(self.tr("&Decide…"))
        # the course window from the plan that starts it (it was reachable from the File menu
        # only, review 19c): shown once an option is decided, the window does the rest
        self.course_button = QPushButton(self.tr("&Treatment course…"))
        self.course_button.setAccessibleName(self.tr("Treatment course"))
        self.course_button.clicked.connect(
            lambda: self.course_requested.emit(str((self._source.patient or {}).get("mrn") or ""))
        )
        self.status = QLabel()
        self.status.setWordWrap(True)  # a long refusal must not widen the window past the screen
        self.status.setAccessibleName(self.tr("Plan status"))
        for button in (self.print_button, self.save_button, self.decide_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
        self.print_button.clicked.connect(self.print_plan)
        self.save_button.clicked.connect(self.save_pdf)
        self.decide_button.clicked.connect(self.decide)
        self.audience.currentIndexChanged.connect(self._parts_changed)
        self.evidence.toggled.connect(self.make_document)
        self.paper.currentIndexChanged.connect(self.make_document)

        bar = QHBoxLayout()
        parts_label = QLabel(self.tr("&Parts"))
        parts_label.setBuddy(self.audience)
        paper_label = QLabel(self.tr("Pape&r"))
        paper_label.setBuddy(self.paper)
        for widget in (parts_label, self.audience, self.evidence, paper_label, self.paper):
            bar.addWidget(widget)
        bar.addStretch(1)
        for button in (self.course_button, self.decide_button, self.save_button, self.print_button):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        # The plan's unacknowledged critical alerts, red above the decision (as on the record).
        self.alert_banner = AlertBanner(record)
        layout.addWidget(self.alert_banner)
        self.decision = QLabel()
        self.decision.setWordWrap(True)
        self.decision.setAccessibleName(self.tr("Decision"))
        layout.addWidget(self.decision)
        self.note = QLabel()  # what opening the plan did (made, kept one shown, new version: why)
        self.note.setWordWrap(True)
        self.note.setAccessibleName(self.tr("About this plan"))
        self.note.hide()
        layout.addWidget(self.note)
        # A superseded plan opens read-only, saying which plan replaced it (issue 16).
        self.superseded = QLabel()
        self.superseded.setWordWrap(True)
        self.superseded.setAccessibleName(self.tr("Superseded"))
        self.superseded.setStyleSheet(
            "color: #5c0011; background: #fde7ea; padding: 4px; font-weight: bold;"
        )
        self.superseded.hide()
        layout.addWidget(self.superseded)
        # Said before anything is saved or printed: the booklet and slips will carry blank
        # lines for the number rather than an instruction to call without one.
        self.no_phone = QLabel(
            self.tr(
                "No clinic phone is set: the booklet will have blank lines to write it in. "
                "Set it in Clinic settings."
            )
        )
        self.no_phone.setWordWrap(True)
        self.no_phone.setAccessibleName(self.tr("No clinic phone"))
        self.no_phone.setStyleSheet("color: #3d2e00; background: #fff4d6; padding: 4px;")
        self.no_phone.setVisible(not str(self._source.clinic.get("phone") or "").strip())
        layout.addWidget(self.no_phone)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        self._show_decision()
        self.refresh_alerts()
        self.make_document()

    def refresh_alerts(self) -> None:
        """Show every open critical alert of the patient, not only this assessment's: an alert
        stays in view on each of her plans until acknowledged by name (a second assessment the
        same day hid an unread suicide-risk alert from the plan window, nurse16 re-walk)."""
        mrn = (self._source.patient or {}).get("mrn")
        date_format = str(self._record.clinic_settings().get("date_format") or DEFAULT_DATE_FORMAT)
        self.alert_banner.show_for(mrn, None, date_format)

    def set_note(self, note: str) -> None:
        self.note.setText(note)
        self.note.setVisible(bool(note))

    @property
    def read_only(self) -> bool:
        """A plan superseded by a newer plan of its assessment is neither decided, printed nor
        saved: only the current plan is the plan (docs/decisions.md)."""
        return not self.standing.current

    def _show_standing(self) -> None:
        self.standing = kept_plans.plan_standing(self._record, self.plan_id)
        if self.standing.current:
            self.superseded.hide()
        else:
            date_format = str(
                self._record.clinic_settings().get("date_format") or DEFAULT_DATE_FORMAT
            )
            self.superseded.setText(
                (
                    self.tr(
                        "Superseded by {replaced} ({when}, {why}). This plan is read-only: "
                        "make and decide the plan of assessment {id}."
                    )
                    if self.standing.amended_by is not None
                    else self.tr(
                        "Superseded by {replaced} ({when}, {why}). This plan is read-only: open "
                        "plan {id} to decide or print."
                    )
                ).format(
                    replaced=self.standing.replaced_by,
                    id=self.standing.amended_by or self.standing.superseded_by,
                    when=show_date_time(self.standing.superseded_at, date_format),
                    why=self.standing.why,
                )
            )
            self.superseded.show()
        self.decide_button.setEnabled(not self.read_only)
        for button in (self.print_button, self.save_button):
            button.setEnabled(not self.read_only and not self.refused)

    def _show_decision(self) -> None:
        self._show_standing()
        plan = {} if self.kept is None else self.kept.plan
        self.text.setHtml(plan_text_html(self._source.plan, self._record.date_format()))
        self.decision.setText(decision_summary(plan, self._record.date_format()))
        # What will be printed is said where it cannot be missed: decided plans on a tint.
        decision = decision_of(plan)
        decided = decision is not None
        self.course_button.setVisible(
            decision is not None and decision.course == "option" and not self.read_only
        )
        self.decision.setStyleSheet(
            "background: #e8f0fb; padding: 4px; font-weight: bold;"
            if decided
            else "color: #3d2e00; background: #fff4d6; padding: 4px;"
        )

    @property
    def refused(self) -> str:
        """Why this plan must not be printed, in words; empty when it may be."""
        return self._source.refused

    def _say_refused(self) -> bool:
        """Say why the plan is not printed (status line), if it is not: True then."""
        if self.refused:
            self.status.setText(self.refused)
        return bool(self.refused)

    def choice(self) -> tuple[int, str, bool, str]:
        """The document asked for: (plan id, parts, with the evidence appendix, paper)."""
        audience = self.audience.currentData()
        evidence = self.evidence.isChecked() and audience in WITH_EVIDENCE
        return self.plan_id, audience, evidence, self.paper.currentData()

    def _parts_changed(self) -> None:
        # the appendix belongs to the clinician's decision: offered only with it
        self.evidence.setEnabled(self.audience.currentData() in WITH_EVIDENCE)
        self.make_document()

    def _is_current(self, printed: printing.PrintedPlan | None) -> bool:
        return printed is not None and printed_choice(printed) == self.choice()

    @property
    def ready(self) -> bool:
        """Whether the document on screen is the one chosen (its render has come back)."""
        return self._is_current(self.shown)

    @property
    def pdf_bytes(self) -> bytes:
        return self.shown.pdf if self.shown is not None else b""

    def make_document(self) -> None:
        """Make the chosen document off the GUI thread (from what was read from the record
        here), then show it."""
        _, audience, evidence, paper = self.choice()
        source = self._source
        if source.refused:  # nothing is made: the preview says why, and Decide is offered
            self.queued = []
            self.shown = None
            self.refusal.setText(source.refused)
            self.preview.setCurrentWidget(self.refusal)
            self._say_refused()
            return
        self.preview.setCurrentWidget(self.view)
        self.status.setText(self.tr("Making the PDF…"))
        if any(choice != self.choice() for choice, _, _ in self.queued):
            self._cancel_queued(self.tr("the parts or paper were changed before it was made"))
        BackgroundOp(
            self,
            lambda: printing.print_plan_document(
                source, audience=audience, paper=paper, evidence=evidence
            ),
            label=self.tr("Making the PDF…"),
        ).success(self._show_pdf).failure(self._pdf_failed).run()

    def _show_pdf(self, printed: printing.PrintedPlan) -> None:
        if not self._is_current(printed):
            return  # made for an earlier choice: the render of the current one is on its way
        self.shown = printed
        self.document.close()
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(printed.pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        self.status.setText(
            self.tr("{pages} pages. Check every suggestion before printing.").format(
                pages=self.document.pageCount()
            )
        )
        self.pdf_ready.emit()
        waiting, self.queued = self.queued, []
        for choice, action, _ in waiting:
            if choice == printed_choice(printed):
                action()  # with the document just shown: the one chosen when it was asked for

    def _pdf_failed(self, exc: Exception) -> None:
        self.status.setText(self.tr("The PDF could not be made: {error}").format(error=exc))
        if self.queued:
            what = " or ".join(dict.fromkeys(w for _, _, w in self.queued))
            self.queued = []
            self.status.setText(
                self.tr("The PDF could not be made, so nothing was {what}: {error}").format(
                    what=what, error=exc
                )
            )

    def _queue(self, action: Callable[[], None], what: str) -> None:
        """Do `action` when the chosen document has been made, after any asked for before."""
        self.queued.append((self.choice(), action, what))
        self.status.setText(
            self.tr("Making the chosen parts: the plan will be {what} when they are ready.").format(
                what=what
            )
        )

    def _cancel_queued(self, why: str) -> None:
        if not self.queued:
            return
        what = " or ".join(dict.fromkeys(w for _, _, w in self.queued))
        self.queued = []
        self.status.setText(self.tr("Nothing was {what}: {why}.").format(what=what, why=why))

    def default_save_path(self) -> Path:
        """The user's documents folder, named for the patient and for what the file holds
        (FAMILY_Given_MRN_date_plan.pdf; _booklet, _clinician or _slips for one part): a
        booklet saved as "…_plan.pdf" was taken for the whole plan (issue 16)."""
        name = self._source.file_name
        ending = SAVED_NAME_ENDINGS.get(self.audience.currentData(), "_plan.pdf")
        if name.endswith("_plan.pdf"):
            name = name.removesuffix("_plan.pdf") + ending
        return save_folder.documents_folder() / name

    def save_pdf(self) -> None:
        if self.read_only or self._say_refused():
            return
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the plan"), str(self.default_save_path()), self.tr("PDF (*.pdf)")
        )
        if name:
            self.save_pdf_to(Path(name))

    def save_pdf_to(self, path: Path) -> None:
        """Write the chosen document to `path`: now when it is shown, else when it is made;
        never for a superseded plan or one that must not be printed (`refused`)."""
        if self.read_only or self._say_refused():
            return
        if not self._is_current(self.shown):
            self._queue(lambda: self.save_pdf_to(path), self.tr("saved"))
            return
        assert self.shown is not None
        path.write_bytes(self.shown.pdf)
        self.status.setText(self.tr("Saved to {path}").format(path=path))

    def print_plan(self) -> None:
        """Ask for the printer, then send it the chosen document's PDF as it is: its vector
        pages, the same bytes Save writes (issue 20 item 6: page images made a 24 MB job).
        "Print to file" writes the PDF itself."""
        if self.read_only or self._say_refused():
            return
        paper = self.paper.currentData()
        printer = pdf_printer.ask_printer(self, paper)
        if printer is None:
            return
        to_file = pdf_printer.file_chosen(printer)
        if to_file is not None:
            self.save_pdf_to(to_file)
            return
        request = pdf_printer.request_for(printer, self.default_save_path().stem, paper)
        self.print_pdf(request, fallback=printer)

    def print_pdf(self, request: printing.PrintRequest, fallback: Any = None) -> None:
        """Send the chosen document's PDF, unchanged, to the printer queue: now when it is
        shown, else when it is made. Where this computer cannot print a PDF as it is (no CUPS,
        no program registered for PDF files), its pages are drawn as images on `fallback` (a
        QPrinter) and the status line says so; never for a superseded plan or one that must not
        be printed (`refused`)."""
        if self.read_only or self._say_refused():
            return
        if not self._is_current(self.shown):
            self._queue(lambda: self.print_pdf(request, fallback), self.tr("printed"))
            return
        assert self.shown is not None
        pdf = self.shown.pdf
        self.status.setText(self.tr("Sending to the printer…"))
        pdf_printer.send(
            self,
            pdf,
            request,
            label=self.tr("Sending to the printer…"),
            sent=lambda said: self.status.setText(
                self.tr("Sent to the printer: {said}").format(said=said)
            ),
            failed=lambda exc: self._not_spooled(exc, fallback),
        )

    def _not_spooled(self, exc: Exception, fallback: Any) -> None:
        """The PDF could not be handed to the queue: page images on `fallback` when this
        computer cannot print a PDF as it is (said so), else why it was not printed."""
        if isinstance(exc, printing.PrintUnavailable) and fallback is not None:
            self.print_to(fallback)
            self.status.setText(
                self.tr(
                    "Printed as page images ({why}): a larger, slower print job. Save the PDF "
                    "to print it from a PDF reader instead."
                ).format(why=exc)
            )
            return
        why = "; ".join(p.message for p in exc.problems) if isinstance(exc, InputInvalid) else exc
        self.status.setText(self.tr("Not printed: {why}").format(why=why))

    def print_to(self, printer: Any) -> None:
        """Draw every page of the chosen document as an image on `printer` (a QPrinter, or any
        QPagedPaintDevice): the fallback where a PDF cannot be sent as it is (print_pdf); now
        when it is shown, else when it is made; never for a superseded plan or one that must
        not be printed (`refused`)."""
        if self.read_only or self._say_refused():
            return
        if not self._is_current(self.shown):
            self._queue(lambda: self.print_to(printer), self.tr("printed"))
            return
        pdf_printer.draw_pages(printer, self.document)

    def decide(self) -> None:
        """The clinician's decision, kept as a new plan signed by the person who decided (asked
        in the dialog, the program's user to start with)."""
        if self.read_only:
            return
        chosen = DecisionDialog.ask(
            self,
            {} if self.kept is None else self.kept.plan,
            check=lambda chosen: kept_plans.check_plan_decision(
                self._record, self.plan_id, **chosen
            ),
            who=self._record.who,
            date_format=str(
                self._record.clinic_settings().get("date_format") or DEFAULT_DATE_FORMAT
            ),
        )
        if chosen is None:
            return
        try:
            new_id = kept_plans.decide_plan(self._record, self.plan_id, **chosen)
        except InputInvalid as exc:
            self.status.setText("; ".join(p.message for p in exc.problems))
            return
        self.show_plan(new_id)
        self.changed.emit(new_id)
        self.status.setText(self.tr("The decision was kept as plan {id}.").format(id=new_id))

    def show_plan(self, plan_id: int) -> None:
        self.plan_id = plan_id
        self.kept = self._record.plan(plan_id)
        self._source = printing.plan_print_source(self._record, plan_id)
        self.shown = None
        self._cancel_queued(self.tr("a new plan is shown"))
        self.setWindowTitle(self.tr("Plan {id}").format(id=plan_id))
        self._show_decision()
        self.refresh_alerts()
        self.make_document()

    def done(self, code: int) -> None:
        self.document.close()
        super().done(code)
