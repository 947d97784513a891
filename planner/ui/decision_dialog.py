"""The clinician's decision on a kept plan (safety rule 7: the program suggests, the clinician
decides): which option, or best supportive care, and for each of its drugs a changed dose or
a hold, each with its reason, signed by the program's user. Opened from the plan window
(`plan_view.PlanView`).

Why one module: it is one dialog class, whose option, drug and reason widgets share one state
(the changes kept per drug while the Drug selector moves between them, issue 16 review 16c);
its two helpers name the options it offers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from planner.domain.dates import DEFAULT_DATE_FORMAT, show_date_time
from planner.domain.decision import (
    PRIOR_THERAPY,
    PRIOR_THERAPY_ASK,
    DoseChange,
    HeldDrug,
    undosed_drugs,
)
from planner.domain.plan_document import DrugRow, PlanDocument, RegimenOption, read_plan
from planner.domain.plan_words import dose_words, spaced
from planner.domain.problems import InputInvalid


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
        # not "&Cancel" (a desktop's own text): Alt+C is the Course (walk 21 F9)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Ca&ncel"))
        buttons.accepted.connect(self.check_and_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.current)
        layout.addLayout(form)
        layout.addWidget(buttons)
        start = self.document.course
        if self.earlier is not None:
            chosen = self.earlier.regimen or SUPPORTIVE_CARE
        elif start.supportive_care_first or start.option is None:
            chosen = SUPPORTIVE_CARE
        else:
            chosen = start.option.regimen
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
                        dose=self._typed_dose_words(dose, suggested),
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

    @staticmethod
    def _typed_dose_words(typed: str, suggested: Any) -> str:
        """The changed dose as it will be kept: the number read from what was typed, in the
        drug's unit ("5 mg", never "5 mg mg"); what was typed, as typed, while it is no dose."""
        unit = "" if suggested is None else suggested.unit
        value = _number(typed, unit)
        if value == value and value > 0:  # not NaN
            return dose_words(value, unit)
        return f"{typed or '?'} {unit}".strip()

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
                unit = "" if drug.dose is None else drug.dose.unit
                value = _number(typed, unit)
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
            option = self._option()
            drugs = () if option is None else option.drugs
            units = {d.drug: "" if d.dose is None else d.dose.unit for d in drugs}
            for name, (action, typed) in self._course_pending().items():
                if action == "change_dose" and not _number(typed, units.get(name, "")) > 0:
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


def _number(typed: str, unit: str = "") -> float:
    """A dose as typed (a decimal comma too, and the drug's own unit after it: "5 mg" for a dose
    in mg — walk 20 F4 typed that, saw "5 mg mg" and was refused at Save); NaN when it is not a
    number, or names another unit."""
    text = typed.strip()
    if unit and text.casefold().replace(" ", "").endswith(unit.casefold().replace(" ", "")):
        squeezed = text.replace(" ", "")
        text = squeezed[: len(squeezed) - len(unit.replace(" ", ""))]
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return float("nan")
