"""The guided assessment: one page per part of the case document, one commit point.

Why one module: the wizard is one state machine over one case dictionary: the page list, the live
validation, the throttled draft saving and the one commit point (`accept`) read and write that same
case; the pages themselves are planner/ui/wizard/pages/.

Following Picard's setup wizard: the pages are listed once (`PAGES`), each returns its part of
the case (`value()`), and only `accept()` writes to the record. While the nurse types, the whole
case goes through the one validator (`case_commands.check_case`) and each problem is shown beside
the widget that holds it; every change is also kept as a draft, so closing the window, a
crash or a power cut loses nothing.

Draft saving is throttled, not debounced: the first change is saved at once, and while the
nurse keeps typing a save follows at most DRAFT_INTERVAL_S after the one before (a debounce
that waits for a pause would save nothing during minutes of steady typing). Leaving the
window saves too. A save that fails (the record locked by another program, the disk full) is
said in the window with what to do, and retried; a locked record is waited for only briefly,
so the window never freezes; Cancel always closes.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import hashlib
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMessageBox, QToolTip, QWidget, QWizard, QWizardPage

from planner.domain.dates import show_date
from planner.domain.problems import InputInvalid, Problem
from planner.domain.settings import ClinicSettings
from planner.services import case_commands, clinic_settings, environment, patient_record, previews
from planner.ui.geometry import fit_to_screen
from planner.ui.mnemonics import make_unique
from planner.ui.questions import ask_safe_first
from planner.ui.wizard import carry, paths
from planner.ui.wizard.fields import DateEdit, FieldPage
from planner.ui.wizard.pages.biology import BiologyPage
from planner.ui.wizard.pages.labs import LabsPage
from planner.ui.wizard.pages.medicines import MedicinesPage
from planner.ui.wizard.pages.nutrition import NutritionPage
from planner.ui.wizard.pages.patient import PatientPage
from planner.ui.wizard.pages.preferences import PreferencesPage
from planner.ui.wizard.pages.psychosocial import PsychosocialPage
from planner.ui.wizard.pages.qol import QualityOfLifePage
from planner.ui.wizard.pages.review import ReviewPage
from planner.ui.wizard.pages.symptoms import SymptomsPage
from planner.ui.wizard.steps import StepList

PAGES: tuple[type[QWizardPage], ...] = (
    PatientPage,
    BiologyPage,
    LabsPage,
    MedicinesPage,
    SymptomsPage,
    PsychosocialPage,
    NutritionPage,
    QualityOfLifePage,
    PreferencesPage,
    ReviewPage,
)
#: at most this long between a change and its draft being saved, while typing goes on
DRAFT_INTERVAL_S = 1.0
#: a failed draft save is tried again after this long
DRAFT_RETRY_MS = 3000
#: the draft line's column, in letter widths: "Draft saved at 10:42:07." on two lines
DRAFT_LINE_EMS = 10
#: the wizard's own buttons: &Next, < &Back, &Save assessment (no page label may take these)
RESERVED_MNEMONICS = ("n", "b", "s")
#: sections that are kept even when blank (the validator requires them)
REQUIRED_SECTIONS = ("schema", "patient", "assessed_on")
SCHEMA = "planner.case/1"
#: this computer's settings key of the unit a test was last typed in for one patient (her MRN's
#: digest, not the MRN: the settings file is no patient list). Never another patient's unit:
#: one woman's g/dL and /µL offered for the next made "3.2" neutrophils 3.2 /µL (walk23 HARM 2).
LAST_UNIT_KEY = "units/last/{patient}/{lab}"


def patient_key(mrn: str) -> str:
    """The settings key part of one patient: a digest of her MRN."""
    return hashlib.sha256(mrn.strip().encode("utf-8")).hexdigest()[:16]


def last_units(panels: list[dict[str, Any]]) -> dict[str, str]:
    """Per test, the unit of the newest earlier result (panels newest first)."""
    units: dict[str, str] = {}
    for panel in panels:
        for name, result in panel.items():
            if isinstance(result, dict) and isinstance(result.get("unit"), str):
                units.setdefault(name, result["unit"])
    return units


def last_ulns(panels: list[dict[str, Any]]) -> dict[str, tuple[float, str]]:
    """Per test, the lab's own ULN of the newest earlier result that has one, with the unit it
    is in (panels newest first)."""
    ulns: dict[str, tuple[float, str]] = {}
    for panel in panels:
        for name, result in panel.items():
            if not isinstance(result, dict):
                continue
            uln, unit = result.get("uln"), result.get("unit")
            if isinstance(uln, int | float) and not isinstance(uln, bool) and isinstance(unit, str):
                ulns.setdefault(name, (float(uln), unit))
    return ulns


def merge(into: dict[str, Any], part: dict[str, Any]) -> None:
    """Merge one page's part into the case (pages share `clinical` and `body`)."""
    for key, value in part.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            merge(into[key], value)
        elif value is not None or key not in into:
            into[key] = value


def with_earlier_weight(
    document: dict[str, Any], earlier: tuple[float, str] | None
) -> dict[str, Any]:
    """`document` with the record's last weight before it as `body.earlier_weight_kg` and
    `body.earlier_weight_on`, unless it holds one already (a draft, an amendment)."""
    body = document.get("body") or {}
    if earlier is None or body.get("earlier_weight_kg") is not None:
        return document
    kg, on = earlier
    return {**document, "body": {**body, "earlier_weight_kg": kg, "earlier_weight_on": on}}


class AssessmentWizard(QWizard):
    """Signals: `saved(assessment_id)` after Finish has written the assessment; `unsaved(reason)`
    when the window closed while its draft could not be saved."""

    saved = Signal(int)
    unsaved = Signal(str)

    def __init__(
        self,
        record: patient_record.PatientRecord,
        start: dict[str, Any] | None = None,
        *,
        draft_id: int | None = None,
        known_patient: bool = False,
        confirm: tuple[str, ...] = (),
        parent: QWidget | None = None,
        ui_settings: QSettings | None = None,
    ) -> None:
        """`confirm`: what of `start` was carried from the last assessment (medicines,
        allergies, remedies) for the nurse to confirm line by line: sections (a new
        assessment) or the lines a draft left unconfirmed (`MedicinesPage.mark_carried`)."""
        super().__init__(parent)
        self.record = record
        #: this computer's settings: the lab units the nurse picked last (LAST_UNIT_KEY)
        self.ui_settings = ui_settings
        self.draft_id = draft_id
        self.setWindowTitle(self.tr("Assessment"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveFinishButtonOnEarlyPages, False)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Save assessment"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< &Back"))
        fit_to_screen(self, 980, 760)
        self.settings: ClinicSettings = clinic_settings.of_record(record)
        #: how dates are shown (any accepted form can be typed): the clinic setting
        self.date_format = self.settings.date_format
        DateEdit.shown_as = self.date_format
        self.problems: list[Problem] = []
        self.page_list: list[QWizardPage] = []
        for page_class in PAGES:
            page = page_class(self)
            self.addPage(page)
            self.page_list.append(page)
            if isinstance(page, FieldPage):
                page.edited.connect(self._edited)
        self.steps = StepList(self)
        self.setButton(QWizard.WizardButton.CustomButton1, self.steps)
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setButtonLayout(
            [
                QWizard.WizardButton.CustomButton1,
                QWizard.WizardButton.Stretch,
                QWizard.WizardButton.BackButton,
                QWizard.WizardButton.NextButton,
                QWizard.WizardButton.FinishButton,
                QWizard.WizardButton.CancelButton,
            ]
        )
        self.steps.fill()
        for page in self.page_list:
            make_unique(page, RESERVED_MNEMONICS)
        self.labs_page.set_clinic_uln(self.settings.lab_uln)
        # The unit offered first per test is this patient's last one (docs/decisions.md):
        # her last result's unit where the record keeps it as typed, else the unit last
        # picked for her on this computer, else the clinic's usual unit — never the unit
        # picked for another patient (walk23 HARM 2).
        self.labs_page.set_preferred_units(self.settings.units)
        document = start or {}
        mrn = (document.get("patient") or {}).get("mrn")
        #: the patient's stored lab panels, newest first, by MRN (delta check, last units)
        self._earlier: tuple[str | None, list[dict[str, Any]]] = (None, [])
        if known_patient and isinstance(mrn, str):
            self.labs_page.set_preferred_units(self.units_picked_here(mrn))
            stored = last_units(self.earlier_lab_panels(mrn))
            # A count is kept in × 10⁹/L whatever unit it was typed in: that is no choice.
            counts = {name for name, row in self.labs_page.rows.items() if row.entry_units}
            self.labs_page.set_preferred_units(
                {name: unit for name, unit in stored.items() if name not in counts}
            )
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.timeout.connect(self.save_draft)
        self._dirty = False
        #: the clock draft throttling reads (tests replace it; no timed assertions)
        self.clock: Callable[[], float] = time.monotonic
        self._last_save_at: float | None = None
        #: what the draft line says: saved at …, or why saving failed and what to do
        self.draft_status = QLabel(self)
        self.draft_status.setWordWrap(True)
        self.draft_status.setObjectName("draftStatus")
        self.draft_status.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # Its column is kept from the start: appearing with the first save, the line pushed
        # the page's fields sideways while the nurse typed (issue 16 nurse walkthrough).
        self.draft_status.setFixedWidth(self.fontMetrics().horizontalAdvance("M") * DRAFT_LINE_EMS)
        self.setSideWidget(self.draft_status)
        self.draft_error: str | None = None
        #: the case as loaded: what no page shows is saved back from here unchanged
        self._loaded: dict[str, Any] = {}
        if not document.get("assessed_on"):
            document = {**document, "assessed_on": dt.date.today().isoformat()}
        if known_patient and isinstance(mrn, str):
            # her last weight in the record, as her last labs are: weight loss is judged
            # against it (issue 16: "no earlier weight" with two weights in the record)
            document = with_earlier_weight(
                document, self.record.earlier_weight(mrn, str(document["assessed_on"]))
            )
        self.load(document)
        if known_patient and isinstance(mrn, str):
            # The lab's own ULN from the last visit, in its unit (else the clinic default
            # shows): typed again at every visit it was left blank or mistyped (issue 16).
            self.labs_page.carry_ulns(last_ulns(self.earlier_lab_panels(mrn)))
        self._page(MedicinesPage).mark_carried(tuple(confirm))
        self.patient_page.lock_identity(known_patient)
        self._known_patient = known_patient
        #: the new patient's details the nurse said are not one of the likely duplicates shown
        self._not_a_duplicate: tuple[Any, ...] | None = None
        self.currentIdChanged.connect(self._page_changed)
        #: a new assessment as opened (what was carried forward, nothing typed): closed
        #: unchanged it leaves no "unfinished assessment" behind (issue 16 nurse walk)
        self._as_opened = None if draft_id is not None else self.case()

    # -- pages ------------------------------------------------------------------------------

    def _page(self, kind: type[QWizardPage]) -> Any:
        return next(p for p in self.page_list if isinstance(p, kind))

    @property
    def patient_page(self) -> PatientPage:
        return self._page(PatientPage)

    @property
    def labs_page(self) -> LabsPage:
        return self._page(LabsPage)

    @property
    def review_page(self) -> ReviewPage:
        return self._page(ReviewPage)

    def field_pages(self) -> list[FieldPage]:
        return [p for p in self.page_list if isinstance(p, FieldPage)]

    # -- the case ---------------------------------------------------------------------------

    def case(self) -> dict[str, Any]:
        """The case document as entered so far (contract §2): the pages' fields written over
        the document as loaded, so what no page shows (medicines, allergies, the treatment
        section, …) is kept exactly (the rule: `carry`)."""
        entered: dict[str, Any] = {}
        for page in self.field_pages():
            merge(entered, page.value())
        stated = {key for page in self.field_pages() for key in page.STATED_EMPTY}
        for key in list(entered):
            if key in stated and entered[key] == []:
                continue  # an answer ("takes none"), not a blank: kept (carry.Ownership.stated)
            section = entered[key]
            if isinstance(section, dict) and any(
                f"{key}.{name}" in stated and value == [] for name, value in section.items()
            ):
                continue  # holds an answer ("no earlier systemic treatment"): not blank
            if key not in REQUIRED_SECTIONS and paths.all_blank(section):
                entered[key] = None
        raw = carry.rebuild(self._loaded, entered, self.ownership())
        raw.setdefault("schema", SCHEMA)
        # the jumps the nurse confirmed on the labs page, for the results as they stand now
        raw.pop("lab_confirmations", None)
        confirmed = self.labs_page.confirmations(raw)
        if confirmed:
            raw["lab_confirmations"] = confirmed
        return raw

    def ownership(self) -> carry.Ownership:
        """The case paths the pages write (their fields as they stand, and edited lists)."""
        pages = self.field_pages()
        return carry.Ownership.of(
            (path for page in pages for path in page.fields),
            (path for page in pages for path in page.LISTS),
            (path for page in pages for path in page.STATED_EMPTY),
        )

    def load(self, document: dict[str, Any]) -> None:
        """Fill every page from a case document (a draft, or the patient's last assessment);
        the document is kept as loaded, for what the pages do not show."""
        self._loaded = copy.deepcopy(document)
        for page in self.field_pages():
            page.set_value(document)
        self.revalidate()

    def revalidate(self) -> None:
        """Run the one validator on the whole case; show each problem beside its field."""
        raw = self.case()
        try:
            # dated after today is refused beside the date (17/12 typed for 07/12, review 16c)
            self.problems = list(case_commands.check_case(raw, today=dt.date.today()).doubts)
        except InputInvalid as exc:
            self.problems = list(exc.problems)
        pages = self.field_pages()
        owned: dict[int, list[Problem]] = {id(p): [] for p in pages}
        for problem in self.problems:
            owner = next((p for p in pages if p.field_for(problem.path) is not None), None)
            owner = owner or next((p for p in pages if p.owns(problem.path)), pages[0])
            owned[id(owner)].append(problem)
        for page in pages:
            page.show_problems(owned[id(page)])
        for any_page in self.page_list:
            changed = getattr(any_page, "case_changed", None)
            if changed is not None:
                changed(raw, self.problems, self.settings)

    def _edited(self) -> None:
        self.revalidate()
        self._dirty = True
        self._schedule_draft()

    def _schedule_draft(self) -> None:
        """Save now if the last save is DRAFT_INTERVAL_S old (or there was none), else once that
        interval is up; a timer already set is left alone, so steady typing cannot push the save
        back (and a late timer, the event loop busy, does not hold it back either)."""
        waited = None if self._last_save_at is None else self.clock() - self._last_save_at
        if waited is None or waited >= DRAFT_INTERVAL_S:
            if self.draft_error is None or not self._draft_timer.isActive():
                self.save_draft()  # (a failed save waits for its retry)
        elif not self._draft_timer.isActive():
            self._draft_timer.start(max(1, int((DRAFT_INTERVAL_S - waited) * 1000)))

    def _page_changed(self, _id: int) -> None:
        QToolTip.hideText()  # a tooltip of the page left behind never stays over the next one
        if self._dirty:
            self.save_draft()
        page = self.currentPage()
        if page is not None:
            make_unique(page, RESERVED_MNEMONICS)  # rows a page added since (prior therapies)
            # After QWizard has put focus on its Next button: the nurse types into the page.
            QTimer.singleShot(0, self.focus_first_field)

    def focus_first_field(self) -> None:
        """Keyboard focus on the current page's first field, so typing lands where it looks."""
        page = self.currentPage()
        first = getattr(page, "first_field", None)
        widget = first() if first is not None else None
        if widget is not None:
            widget.setFocus()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.focus_first_field)

    # -- the delta check ----------------------------------------------------------------------

    def earlier_lab_panels(self, mrn: str | None) -> list[dict[str, Any]]:
        """The patient's stored lab panels (newest first), read once per MRN."""
        if not mrn:
            return []
        if self._earlier[0] != mrn:
            self._earlier = (mrn, self.record.earlier_lab_panels(mrn))
        return self._earlier[1]

    def lab_jumps(self) -> tuple[Any, ...]:
        """Results of this case beyond their delta-check limit from the patient's previous ones
        (the labs page asks the nurse to confirm them)."""
        raw = self.case()
        mrn = (raw.get("patient") or {}).get("mrn")
        return previews.lab_jumps(
            raw, self.earlier_lab_panels(mrn if isinstance(mrn, str) else None)
        )

    def changeEvent(self, event: QEvent) -> None:
        # Leaving the window (another window, another program) saves what is typed.
        if (
            event.type() == QEvent.Type.ActivationChange
            and not self.isActiveWindow()
            and self._dirty
        ):
            self.save_draft()
        super().changeEvent(event)

    def validateCurrentPage(self) -> bool:
        """Leaving page 1 with a new patient: one likely already in the record (same birth
        date, the name spelt another way, Latin or Cyrillic) is named before anything more is
        typed. Walk 16d registered Каримова Малика beside Karimova Malika, same birth date,
        without a word (the New patient dialog asked; the wizard did not)."""
        if not super().validateCurrentPage():
            return False
        if self.currentPage() is not self.patient_page or self._known_patient:
            return True
        return self._confirmed_not_a_duplicate()

    def _confirmed_not_a_duplicate(self) -> bool:
        from planner.services import record_corrections

        patient = self.case().get("patient") or {}
        details = tuple(patient.get(k) for k in ("mrn", "family_name", "given_name", "birth_date"))
        if details == self._not_a_duplicate:
            return True

        def text(key: str) -> str | None:
            value = patient.get(key)
            return value if isinstance(value, str) else None

        found = record_corrections.likely_duplicates_of(
            self.record,
            text("family_name"),
            text("given_name"),
            text("birth_date"),
            mrn=text("mrn") or "",
        )
        found = [p for p in found if p.mrn != text("mrn")]
        if not found:
            return True
        lines = "\n".join(
            f"• {p.name} (MRN {p.mrn}, born {show_date(p.birth_date, self.settings.date_format)})"
            for p in found[:5]
        )
        if not ask_safe_first(
            self,
            QMessageBox.Icon.Warning,
            self.tr("She may already be in the record"),
            self.tr(
                "Same birth date and the same name spelt another way:\n{lines}\n\nIf she is "
                "one of them, cancel this assessment and open her record, so that her results "
                "stay together. Register a new patient only if she is someone else."
            ).format(lines=lines),
            safe=self.tr("&Go back and check"),
            other=self.tr("&Register a new patient"),
        ):
            return False
        self._not_a_duplicate = details
        return True

    # -- drafts -----------------------------------------------------------------------------

    def save_draft(self) -> bool:
        """Keep what is entered now. Returns whether it was saved; a failure is shown in the
        window and retried in DRAFT_RETRY_MS (what is typed stays in the window meanwhile)."""
        self._draft_timer.stop()
        page = self.currentPage()
        raw = self.case()
        mrn = (raw.get("patient") or {}).get("mrn")
        try:
            self.draft_id = self.record.save_draft(
                raw,
                type(page).__name__ if page else PAGES[0].__name__,
                draft_id=self.draft_id,
                mrn=mrn if isinstance(mrn, str) else None,
                unconfirmed=self._page(MedicinesPage).carried_paths(),
            )
        except patient_record.RecordUnavailable as exc:
            self._draft_failed(exc.reason)
            return False
        self._last_save_at = self.clock()
        self._dirty = False
        self.draft_error = None
        self.draft_status.setStyleSheet("")
        self.draft_status.setText(
            self.tr("Draft saved at {time}.").format(time=dt.datetime.now().strftime("%H:%M:%S"))
        )
        return True

    def _draft_failed(self, reason: str) -> None:
        self.draft_error = reason
        self.draft_status.setStyleSheet("background: #fde2e1; color: #5c0b07;")
        self.draft_status.setText(
            self.tr(
                "The draft is NOT saved: the record {reason}. What you typed stays in this "
                "window; saving is tried again every few seconds."
            ).format(reason=reason)
        )
        self._draft_timer.start(DRAFT_RETRY_MS)

    def go_to_page(self, name: str) -> None:
        """Open the page a draft was left on (by class name)."""
        for page_id in self.pageIds():
            if type(self.page(page_id)).__name__ == name:
                while self.currentId() != page_id and self.currentId() != -1:
                    before = self.currentId()
                    self.next()
                    if self.currentId() == before:  # a page with errors stops the walk
                        return
                return

    # -- the one commit point ---------------------------------------------------------------

    def accept(self) -> None:
        """Save the assessment (validated again by services); the draft is then discarded."""
        raw = self.case()
        try:
            assessment_id = self.record.import_case(raw).assessment_id
        except InputInvalid as exc:
            self.problems = list(exc.problems)
            self.revalidate()
            return
        except patient_record.RecordUnavailable as exc:
            self.save_draft()
            self.draft_status.setStyleSheet("background: #fde2e1; color: #5c0b07;")
            self.draft_status.setText(
                self.tr(
                    "The assessment is NOT saved: the record {reason}. Then press Save again."
                ).format(reason=exc.reason)
            )
            return
        self._draft_timer.stop()
        if self.draft_id is not None:
            self.record.discard_draft(self.draft_id)
            self.draft_id = None
        self._dirty = False
        self.remember_units_picked()
        self.saved.emit(assessment_id)
        super().accept()

    def units_picked_here(self, mrn: str) -> dict[str, str]:
        """Per test, the unit picked when this patient's assessment was last saved on this
        computer."""
        if self.ui_settings is None:
            return {}
        found = {}
        for name in self.labs_page.rows:
            unit = self.ui_settings.value(LAST_UNIT_KEY.format(patient=patient_key(mrn), lab=name))
            if isinstance(unit, str) and unit:
                found[name] = unit
        return found

    def remember_units_picked(self) -> None:
        """Keep, per test with a result, the unit it was typed in (counts: per µL, per mm³ or
        × 10⁹/L, which the case does not keep), to offer it first next time."""
        mrn = (self.case().get("patient") or {}).get("mrn")
        if self.ui_settings is None or not isinstance(mrn, str) or not mrn.strip():
            return
        for name, row in self.labs_page.rows.items():
            unit = row.unit.currentData()
            if row.value.json_value() is not None and isinstance(unit, str):
                key = LAST_UNIT_KEY.format(patient=patient_key(mrn), lab=name)
                self.ui_settings.setValue(key, unit)

    def hideEvent(self, event: Any) -> None:
        # a field's tooltip ("only the month was typed…") must not outlive the window
        QToolTip.hideText()
        super().hideEvent(event)

    def reject(self) -> None:
        """Closing keeps the draft (the assessment can be resumed later), and always closes:
        a draft that cannot be saved now is given to `unsaved` (the main window says so).
        A new assessment closed with nothing typed keeps no draft."""
        if self._as_opened is not None and self.case() == self._as_opened:
            self._draft_timer.stop()
            if self.draft_id is not None:
                # an empty draft left behind is harmless; the window closes either way
                with contextlib.suppress(patient_record.RecordUnavailable):
                    self.record.discard_draft(self.draft_id)
                self.draft_id = None
            super().reject()
            return
        if (self._dirty or self._draft_timer.isActive()) and not self.save_draft():
            kept = environment.keep_unsaved_draft(self.case())
            self.unsaved.emit(
                self.tr(
                    "The assessment window closed, but its draft could not be saved in the "
                    "record ({reason})."
                ).format(reason=self.draft_error)
                + " "
                + (
                    self.tr("What was typed is kept in {file}.").format(file=kept)
                    if kept
                    else self.tr("What was typed since the last save is lost.")
                )
            )
        self._draft_timer.stop()
        super().reject()

    def keyPressEvent(self, event: Any) -> None:
        # Enter in a field must not jump pages or finish; Escape closes (keeping the draft),
        # after asking when something was typed (walk 21 F12: one stray Escape closed all ten
        # steps, and the next keys went to the main window and opened another patient).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.focusNextChild()
            return
        if event.key() == Qt.Key.Key_Escape and self._typed() and not self.ask_to_close():
            event.accept()
            return
        super().keyPressEvent(event)

    def _typed(self) -> bool:
        return self._as_opened is None or self.case() != self._as_opened

    def ask_to_close(self) -> bool:
        """Escape with something typed: close (the draft is kept) or keep typing (the default,
        and what a second Escape answers)."""
        return ask_safe_first(
            self,
            QMessageBox.Icon.Question,
            self.tr("Close the assessment?"),
            self.tr(
                "Close this assessment? Nothing typed is lost: it is kept as an unfinished "
                "assessment, resumed from the main window."
            ),
            safe=self.tr("&Keep typing"),
            other=self.tr("&Close, keep the draft"),
        )
