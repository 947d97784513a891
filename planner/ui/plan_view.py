"""A kept plan: its PDF previewed in the app, printed (A4 / Letter) or saved, and the clinician's
decision (an option, a changed dose or a held drug, or best supportive care) kept with its reason
and signed by the program's user; the printed parts are the plan as decided.

The PDF is made off the GUI thread (`BackgroundOp`); QtPdf is imported only here, when a plan
is first opened.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, Signal
from PySide6.QtGui import QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from planner.domain.dates import DEFAULT_DATE_FORMAT, show_date_time
from planner.domain.decision import (
    PRIOR_THERAPY,
    PRIOR_THERAPY_ASK,
    DoseChange,
    HeldDrug,
    decision_of,
    decision_summary,
    plan_course,
    undosed_drugs,
)
from planner.domain.plan_document import DrugRow, PlanDocument, RegimenOption, read_plan
from planner.domain.plan_words import dose_words, spaced
from planner.domain.problems import InputInvalid
from planner.domain.stored import StoredPlan
from planner.services import kept_plans, patient_record, printing
from planner.ui import save_folder
from planner.ui.alert_banner import AlertBanner
from planner.ui.background import BackgroundOp
from planner.ui.geometry import fit_to_screen
from planner.ui.plan_text import plan_text_html

PRINT_DPI = 300


def option_names(plan: Mapping[str, Any] | PlanDocument) -> list[tuple[str, str]]:
    """(label, regimen id) of every option in the engine's order: "Option 2: name", and where
    systemic therapy is judged not appropriate, "— not advised because ECOG 3" (a bare
    "(not advised)" after "Suggested 4" read as both a suggestion and a refusal)."""
    document = plan if isinstance(plan, PlanDocument) else read_plan(plan)
    therapy = document.systemic_therapy
    stops = () if therapy is None else therapy.not_appropriate_because
    why = {str(s.code): str(s.reason or "").split(":")[0] for s in stops}
    out = []
    for o in document.ranked_options:
        label = f"Option {o.rank}: {o.title}"
        if o.not_appropriate:
            reasons = [why.get(c) or spaced(c) for c in o.not_appropriate_because]
            label += " — not advised" + (f" because {'; '.join(reasons)}" if reasons else "")
        out.append((label, o.regimen))
    return out


SUPPORTIVE_CARE = "supportive_care"


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


class DecisionDialog(QDialog):
    """The clinician's decision: which option (or best supportive care), and for each of its
    drugs a changed dose or a hold, with the reason (required). Each drug's action is kept as it
    is set, whichever drug the Drug selector shows, and every change is listed (`changes`) and
    saved: only the drug on screen at Save was kept, so a dose change typed for gemcitabine was
    dropped when carboplatin was then held (issue 16, review 16c). The earlier decision's drug
    changes are the starting point when the same option stays chosen.

    Signed by the person using the program (`who`), never by the earlier decider: a doctor's
    change was printed under the nurse's name who decided before (review 16c). Whoever decides
    confirms they are the prescriber responsible for her systemic therapy (`prescriber`).

    An option with a drug the plan gives no dose (a label's stop, or a result not recorded)
    cannot be given: its drug and action are unavailable and `no_dose` says why in words.
    `check` (the service's check of the decision) runs on Save: what it refuses is shown here,
    and the dialog stays open with what was typed."""

    def __init__(
        self,
        plan: dict[str, Any],
        parent: QWidget | None = None,
        check: Callable[[dict[str, Any]], None] | None = None,
        who: str = "",
        date_format: str = DEFAULT_DATE_FORMAT,
    ) -> None:
        super().__init__(parent)
        self._check = check
        self._date_format = date_format
        self.setWindowTitle(self.tr("Decide the plan"))
        self.plan = plan
        self.document = read_plan(plan)
        self.earlier = self.document.decision
        self.course = QComboBox()
        self.course.setAccessibleName(self.tr("Decided course"))
        for label, regimen in option_names(self.document):
            self.course.addItem(label, regimen)
        self.course.addItem(
            self.tr("Best supportive care (no systemic therapy now)"), SUPPORTIVE_CARE
        )
        self.drug = QComboBox()
        self.drug.setAccessibleName(self.tr("Drug"))
        self.action = QComboBox()
        self.action.setAccessibleName(self.tr("What to do with the drug"))
        self.action.addItem(self.tr("Give as suggested"), "as_suggested")
        self.action.addItem(self.tr("Change the dose"), "change_dose")
        self.action.addItem(self.tr("Hold this drug"), "hold")
        self.new_dose = QLineEdit()
        self.new_dose.setAccessibleName(self.tr("New dose"))
        self.unit = QLabel()
        #: each drug's action as set here, per option: {regimen: {drug: (action, dose typed)}};
        #: a drug given as suggested has no entry. Starts from the earlier decision.
        self.pending: dict[str, dict[str, tuple[str, str]]] = {}
        if self.earlier is not None and self.earlier.regimen:
            self.pending[self.earlier.regimen] = {
                **{c.drug: ("change_dose", f"{c.value:g}") for c in self.earlier.dose_changes},
                **{h.drug: ("hold", "") for h in self.earlier.held},
            }
        self._restoring = False  # True while the selected drug's action is being shown
        self.changes = QLabel()
        self.changes.setWordWrap(True)
        self.changes.setAccessibleName(self.tr("Changes in this decision"))
        self.changes.setStyleSheet("background: #eef3f8; padding: 4px;")
        # Who decides: the printed plan is signed by the person who decided (rule 7): the person
        # using the program, to start with, whatever an earlier decision says. A decision taken
        # by someone else (a doctor's, typed by the nurse) is signed by the name typed here; a
        # decided plan re-opens on its decision, and replacing another person's asks first.
        self.decided_by = QLineEdit(who)
        self.decided_by.setAccessibleName(self.tr("Decided by"))
        self.decided_by.setPlaceholderText(self.tr("name, role"))
        # A chemotherapy choice is a prescriber's: the person named confirms it each time
        # (never ticked for them; review 16c: a nurse decided chemotherapy in one click).
        self.prescriber = QCheckBox(
            self.tr(
                "The &person named above is the prescriber responsible for her cancer "
                "treatment and made this decision"
            )
        )
        self.prescriber.setAccessibleName(self.tr("Decided by the responsible prescriber"))
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setAccessibleName(self.tr("Reason"))
        # How the family booklet speaks about the aim of treatment: the clinician's choice for
        # this patient (issue 20), never a default; not chosen, the booklet keeps neutral words.
        self.aim_wording = QComboBox()
        self.aim_wording.setAccessibleName(self.tr("What the booklet says about the aim"))
        for label, value in (
            (self.tr("Not chosen: the booklet uses neutral words"), ""),
            (self.tr("Say plainly it will not cure the cancer"), "not_cure"),
            (self.tr("Say the aim is control and comfort"), "control"),
            (self.tr("Leave it to the conversation (the booklet does not say)"), "conversation"),
        ):
            self.aim_wording.addItem(label, value)
        if self.earlier is not None:
            self.aim_wording.setCurrentIndex(
                max(self.aim_wording.findData(self.earlier.aim_wording), 0)
            )
        self.current = QLabel()
        self.current.setWordWrap(True)
        self.current.setAccessibleName(self.tr("The decision now"))
        if self.earlier is not None:
            self.reason.setPlainText(self.earlier.reason)
            self.current.setText(
                self.tr("Decided by {who} on {on}. Saving a change replaces this decision;").format(
                    who=self.earlier.decided_by,
                    on=show_date_time(self.earlier.decided_at, date_format),
                )
                + " "
                + self.tr("the earlier one stays in the plan's history.")
            )
        self.current.setVisible(self.earlier is not None)
        # Prior therapy not recorded: every option was listed as if she had none (line 1). An
        # option is decided only once that is confirmed here (or recorded in the assessment).
        self.no_prior_therapy = QCheckBox(
            self.tr(
                "&No previous cancer treatment: confirmed (it is not recorded in the "
                "assessment, and the options were listed on that assumption)"
            )
        )
        self.no_prior_therapy.setAccessibleName(self.tr("No previous cancer treatment, confirmed"))
        self.no_prior_therapy.setVisible(
            any(PRIOR_THERAPY in o.depends_on_unrecorded for o in self.document.options)
        )
        self.no_prior_therapy.setChecked(
            self.earlier is not None and self.earlier.prior_therapy_confirmed_none
        )
        self.no_dose = QLabel()
        self.no_dose.setWordWrap(True)
        self.no_dose.setAccessibleName(self.tr("Why this option cannot be given"))
        self.no_dose.setStyleSheet("color: #5c0011; background: #fde7ea; padding: 4px;")
        self.no_dose.hide()
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        dose_row = QHBoxLayout()
        dose_row.addWidget(self.new_dose, 1)
        dose_row.addWidget(self.unit)
        form = QFormLayout()
        for label, field in (
            (self.tr("&Course"), self.course),
            (self.tr("&Drug"), self.drug),
            (self.tr("&Action"), self.action),
        ):
            caption = QLabel(label)
            caption.setBuddy(field)
            form.addRow(caption, field)
        dose_caption = QLabel(self.tr("New d&ose"))
        dose_caption.setBuddy(self.new_dose)
        form.addRow(dose_caption, dose_row)
        form.addRow(self.changes)
        by_caption = QLabel(self.tr("Decided b&y (required)"))
        by_caption.setBuddy(self.decided_by)
        form.addRow(by_caption, self.decided_by)
        form.addRow(self.prescriber)
        reason_caption = QLabel(self.tr("&Reason (required)"))
        reason_caption.setBuddy(self.reason)
        form.addRow(reason_caption, self.reason)
        form.addRow(self.no_prior_therapy)
        aim_caption = QLabel(self.tr("&What the booklet says about the aim"))
        aim_caption.setBuddy(self.aim_wording)
        form.addRow(aim_caption, self.aim_wording)
        form.addRow(self.no_dose)
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        # Alt+S saves from any field (the reason box takes Enter as a new line)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("&Save"))
        buttons.accepted.connect(self.check_and_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.current)
        layout.addLayout(form)
        layout.addWidget(buttons)
        start = plan_course(plan)
        if self.earlier is not None:
            chosen = self.earlier.regimen or SUPPORTIVE_CARE
        elif start.supportive_care_first or start.option is None:
            chosen = SUPPORTIVE_CARE
        else:
            chosen = str(start.option.get("regimen"))
        self.course.setCurrentIndex(max(self.course.findData(chosen), 0))
        self.course.currentIndexChanged.connect(self._fill_drugs)
        self.course.currentIndexChanged.connect(self._show_aim_choice)
        self._show_aim_choice()
        self.drug.currentIndexChanged.connect(self._show_drug_action)
        self.action.currentIndexChanged.connect(self._show_unit)
        self.action.currentIndexChanged.connect(self._remember)
        self.new_dose.textChanged.connect(self._remember)
        self._fill_drugs()
        if self.earlier is not None:  # open on the first drug the decision changed or held
            touched = [c.drug for c in self.earlier.dose_changes] + [
                h.drug for h in self.earlier.held
            ]
            for name in touched:
                index = self.drug.findData(name)
                if index >= 0:
                    self.drug.setCurrentIndex(index)
                    break
            self._show_drug_action()

    def _course_pending(self) -> dict[str, tuple[str, str]]:
        """The drug actions set for the chosen option (empty for best supportive care)."""
        regimen = self.course.currentData()
        if regimen == SUPPORTIVE_CARE or self._option() is None:
            return {}
        return self.pending.setdefault(str(regimen), {})

    def _show_drug_action(self) -> None:
        """The action and dose set for the selected drug (as suggested when none)."""
        action, dose = self._course_pending().get(self.drug.currentData(), ("as_suggested", ""))
        if self.action.isEnabled():
            self._restoring = True
            try:
                self.action.setCurrentIndex(self.action.findData(action))
                self.new_dose.setText(dose)
            finally:
                self._restoring = False
        self._show_unit()
        self._show_changes()

    def _remember(self) -> None:
        """Keep the selected drug's action as set (a drug given as suggested has none)."""
        name = self.drug.currentData()
        if self._restoring or name is None or not self.action.isEnabled():
            return
        pending = self._course_pending()
        action = self.action.currentData()
        if action == "as_suggested":
            pending.pop(name, None)
        else:
            pending[name] = (
                action,
                self.new_dose.text().strip() if action == "change_dose" else "",
            )
        self._show_changes()

    def _show_changes(self) -> None:
        """List every drug change of the chosen option, whichever drug is showing."""
        option = self._option()
        if option is None or self._stops():
            self.changes.hide()
            return
        lines = []
        for drug in option.drugs:
            name = drug.drug
            action, dose = self._course_pending().get(name, ("as_suggested", ""))
            suggested = drug.dose
            if action == "hold":
                lines.append(self.tr("{drug}: held (not given now)").format(drug=name))
            elif action == "change_dose":
                lines.append(
                    self.tr("{drug}: dose changed to {dose} (suggested {suggested})").format(
                        drug=name,
                        dose=f"{dose or '?'} {'' if suggested is None else suggested.unit}".strip(),
                        suggested=self.tr("no dose")
                        if suggested is None
                        else dose_words(suggested.value, suggested.unit),
                    )
                )
        self.changes.setText(
            self.tr("Changes in this decision:") + "\n" + "\n".join(f"• {line}" for line in lines)
            if lines
            else self.tr("No dose changed and no drug held: every drug as suggested.")
        )
        self.changes.show()

    def _option(self) -> RegimenOption | None:
        return self.document.option(self.course.currentData())

    def _fill_drugs(self) -> None:
        # a refusal was about the course chosen then: it goes when another is chosen
        self.error.clear()
        self.error.hide()
        self.drug.clear()
        option = self._option()
        for drug in () if option is None else option.drugs:
            dose = drug.dose
            shown = self.tr("no dose") if dose is None else dose_words(dose.value, dose.unit)
            self.drug.addItem(f"{drug.drug}: {shown}", drug.drug)
        stops = self._stops()
        for widget in (self.drug, self.action):
            widget.setEnabled(option is not None and not stops)
        self.no_prior_therapy.setEnabled(self._needs_prior_therapy())
        if stops:
            self.action.setCurrentIndex(self.action.findData("as_suggested"))
            self.no_dose.setText(
                self.tr(
                    "This option cannot be given: {why}. Choose another option or best "
                    "supportive care."
                ).format(why="; ".join(stops))
            )
        self.no_dose.setVisible(bool(stops))
        self._show_unit()
        self._show_changes()

    def _needs_prior_therapy(self) -> bool:
        """The chosen option was listed assuming no previous treatment, which is not recorded."""
        option = self._option()
        return option is not None and PRIOR_THERAPY in option.depends_on_unrecorded

    def _stops(self) -> tuple[str, ...]:
        """Why the chosen option cannot be given (empty when every drug has a dose)."""
        # the decision's own check reads the option as the kept JSON (planner.domain.decision)
        index = next((i for i, o in enumerate(self.document.options) if o is self._option()), None)
        return () if index is None else undosed_drugs(self.plan["options"][index])

    def _drug_row(self) -> DrugRow | None:
        option = self._option()
        return None if option is None else option.drug(self.drug.currentData())

    def _show_unit(self) -> None:
        row = self._drug_row()
        dose = None if row is None else row.dose
        self.unit.setText("" if dose is None else dose.unit)
        self.new_dose.setEnabled(
            self.action.currentData() == "change_dose" and self.action.isEnabled()
        )

    def _show_aim_choice(self) -> None:
        """The aim of treatment is worded only for a treatment (best supportive care's booklet
        says no cancer medicine for now)."""
        self.aim_wording.setEnabled(self.course.currentData() != SUPPORTIVE_CARE)

    def decision_input(self) -> dict[str, Any]:
        """Arguments of kept_plans.decide_plan (the reason of a drug change is the decision's)."""
        regimen = self.course.currentData()
        reason = self.reason.toPlainText().strip()
        decided_by = self.decided_by.text().strip()
        if regimen == SUPPORTIVE_CARE:
            return {
                "course": SUPPORTIVE_CARE,
                "regimen": None,
                "reason": reason,
                "decided_by": decided_by,
            }
        # A change kept unchanged from the earlier decision keeps its own reason and signer.
        earlier = (
            self.earlier if self.earlier is not None and self.earlier.regimen == regimen else None
        )
        earlier_changes = {} if earlier is None else {c.drug: c for c in earlier.dose_changes}
        earlier_held = {} if earlier is None else {h.drug: h for h in earlier.held}
        changes: dict[str, DoseChange] = {}
        held: dict[str, HeldDrug] = {}
        option = self._option()
        for drug in () if option is None or self._stops() else option.drugs:
            name = drug.drug
            action, typed = self._course_pending().get(name, ("as_suggested", ""))
            if action == "hold":
                held[name] = earlier_held.get(name) or HeldDrug(name, reason)
            elif action == "change_dose":
                value = _number(typed)
                unit = "" if drug.dose is None else drug.dose.unit
                kept = earlier_changes.get(name)
                changes[name] = (
                    kept
                    if kept is not None and (kept.value, kept.unit) == (value, unit)
                    else DoseChange(name, value, unit, reason)
                )
        return {
            "course": "option",
            "regimen": regimen,
            "reason": reason,
            "dose_changes": tuple(changes.values()),
            "held": tuple(held.values()),
            "decided_by": decided_by,
            "prior_therapy_confirmed_none": (
                self._needs_prior_therapy() and self.no_prior_therapy.isChecked()
            ),
            "aim_wording": self.aim_wording.currentData(),
        }

    def check_and_accept(self) -> None:
        stops = self._stops()
        problems = (
            [self.tr("This option cannot be given: {why}.").format(why="; ".join(stops))]
            if stops
            else []
        )
        if self._needs_prior_therapy() and not self.no_prior_therapy.isChecked():
            said = self.tr(PRIOR_THERAPY_ASK)
            problems.append(said[:1].upper() + said[1:] + ".")
        if not self.decided_by.text().strip():
            problems.append(self.tr("Say who decided (name, role)."))
        if not self.prescriber.isChecked():
            problems.append(
                self.tr(
                    "Confirm that the person deciding is the prescriber responsible for her "
                    "cancer treatment (tick the box)."
                )
            )
        if not self.reason.toPlainText().strip():
            problems.append(self.tr("Say why this was decided."))
        if not stops:
            for name, (action, typed) in self._course_pending().items():
                if action == "change_dose" and not _number(typed) > 0:
                    problems.append(
                        self.tr("Enter the new dose of {drug} as a number above 0.").format(
                            drug=name
                        )
                    )
        if problems:
            self.error.setText(" ".join(problems))
            self.error.show()
            return
        if self._check is not None:
            try:
                self._check(self.decision_input())
            except InputInvalid as exc:
                self.error.setText(" ".join(p.message for p in exc.problems))
                self.error.show()
                return
        if not self._replacing_agreed():
            return
        self.accept()

    def _replacing_agreed(self) -> bool:
        """Saving over another person's decision asks first (the earlier one stays in history)."""
        earlier = self.earlier
        if (
            earlier is None
            or " ".join(earlier.decided_by.split()).casefold()
            == " ".join(self.decided_by.text().split()).casefold()
        ):
            return True
        answer = QMessageBox.question(
            self,
            self.tr("Replace the decision?"),
            self.tr(
                "This replaces {who}'s decision of {on}. The new decision is signed by {by}; "
                "{who}'s stays in the plan's history. Replace it?"
            ).format(
                who=earlier.decided_by,
                on=show_date_time(earlier.decided_at, self._date_format),
                by=self.decided_by.text().strip(),
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        plan: dict[str, Any],
        check: Callable[[dict[str, Any]], None] | None = None,
        who: str = "",
        date_format: str = DEFAULT_DATE_FORMAT,
    ) -> dict[str, Any] | None:
        dialog = cls(plan, parent, check, who, date_format)
        return dialog.decision_input() if dialog.exec() else None


def _number(typed: str) -> float:
    """A dose as typed (a decimal comma too); NaN when it is not a number."""
    try:
        return float(typed.strip().replace(",", "."))
    except ValueError:
        return float("nan")


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
        self.print_button = QPushButton(self.tr("&Print…"))
        self.save_button = QPushButton(self.tr("&Save PDF…"))
        self.decide_button = QPushButton(self.tr("&Decide…"))
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
        parts_label = QLabel(self.tr("P&arts"))
        parts_label.setBuddy(self.audience)
        paper_label = QLabel(self.tr("Pape&r"))
        paper_label.setBuddy(self.paper)
        for widget in (parts_label, self.audience, self.evidence, paper_label, self.paper):
            bar.addWidget(widget)
        bar.addStretch(1)
        for button in (self.decide_button, self.save_button, self.print_button):
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
        decided = decision_of(plan) is not None
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
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        if self.read_only or self._say_refused():
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        size = (
            QPageSize.PageSizeId.Letter
            if self.paper.currentData() == "letter"
            else QPageSize.PageSizeId.A4
        )
        printer.setPageSize(QPageSize(size))
        dialog = QPrintDialog(printer, self)
        if not dialog.exec():
            return
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
            self.save_pdf_to(Path(printer.outputFileName()))
            return
        request = printing.PrintRequest(
            printer=printer.printerName(),
            title=self.default_save_path().stem,
            copies=printer.copyCount(),
            paper=self.paper.currentData(),
            two_sided=printer.duplex() != QPrinter.DuplexMode.DuplexNone,
        )
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
        # off the GUI thread: a print server that does not answer must not freeze the window
        BackgroundOp(
            self,
            lambda: printing.send_pdf_to_printer(pdf, request),
            label=self.tr("Sending to the printer…"),
        ).success(
            lambda said: self.status.setText(
                self.tr("Sent to the printer: {said}").format(said=said)
            )
        ).failure(lambda exc: self._not_spooled(exc, fallback)).run()

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
