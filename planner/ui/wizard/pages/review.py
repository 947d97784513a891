"""Last page: the whole case checked, and the plan it gives, with the reason for every suggestion.

The plan is made by the engine (`case_commands.make_plan`) from the case as entered; nothing is saved
until Finish. Every suggestion has a "why" (planner/ui/why.py): what was found, what it means,
what to do, its sources, and "UNVERIFIED — confirm locally" when a rule behind it is; rule ids
on demand.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QSplitter,
    QStyle,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from planner.domain.as_recorded import allergies_summary
from planner.domain.plan_document import Alert, PlanDocument, SupportiveItem, read_plan
from planner.domain.plan_words import (
    allergy_flag,
    clinician_words,
    dose_words,
    field_words,
    say,
    severity_with_cause,
)
from planner.domain.problems import Problem
from planner.domain.symptoms import UNSCORED
from planner.services import case_commands, kept_plans, previews
from planner.ui.why import Entry, Explained, basis_of, why_html
from planner.ui.wizard.paths import all_blank

if TYPE_CHECKING:  # the wizard imports this page
    from planner.ui.wizard.assessment_wizard import AssessmentWizard

WHY_ROLE = Qt.ItemDataRole.UserRole
#: a critical alert's line as the record's banner shows it (planner/ui/alert_banner.py): white on
#: red, bold, with the critical icon, so it never reads as one more warning (nurse16, 62warn.png)
CRITICAL_BACKGROUND = QColor("#b00020")
CRITICAL_TEXT = QColor("white")


def plan_items(plan: PlanDocument | Mapping[str, Any]) -> list[tuple[str, list[tuple[str, Entry]]]]:
    """The plan as (heading, [(line, entry)]) groups for display, every code in words
    (planner/domain/plan_words.py); each entry is the typed line the why panel explains
    (planner/ui/why.py). `plan`: read, or as the JSON gives it (read here)."""
    document = plan if isinstance(plan, PlanDocument) else read_plan(plan)
    groups: list[tuple[str, list[tuple[str, Entry]]]] = []
    alerts: list[tuple[str, Entry]] = [
        (
            f"{say('level', a.level)}: "
            f"{clinician_words(a.message or say('alert', a.code)).split(' — ', 1)[0]}",
            a,
        )
        for a in document.alerts
    ]
    groups.append(("Alerts", alerts))
    # her allergies, next to the alerts, as page 1 of the printed plan has them (nurse walk: the
    # review page and the plan text tab had no allergy line)
    allergies = f"Allergies: {allergies_summary(document)}"
    groups.append(("Allergies", [(allergies, Explained((allergies,)))]))
    options: list[tuple[str, Entry]] = []
    # what the plan says of systemic therapy as a whole (every option of her line stopped, ECOG
    # outside the trials, ...): above the options, as the printed appendix has it (misc22)
    therapy = document.systemic_therapy
    for warning in () if therapy is None else therapy.warnings:
        said = clinician_words(warning)
        options.append((f"Note: {said.split(': ', 1)[0]}", Explained((said,))))
    for option in document.options:
        rank = "" if option.rank is None else option.rank
        options.append((f"{rank}. {option.title}", option))
        for drug in option.drugs:
            dose, loading = drug.dose, drug.loading_dose
            shown = dose_words(dose.value, dose.unit) if dose else "no dose"
            if dose and loading:  # contract §3a: the first cycle's dose beside the dose
                shown = f"first cycle {dose_words(loading.value, loading.unit)}, then {shown}"
            pct = drug.percent_of_standard
            pct_text = f" ({pct:g} % of standard)" if pct is not None else ""
            flag = allergy_flag(drug.warnings, dose is not None)
            options.append(
                (f"    {drug.drug}: {shown}{pct_text}, {say('status', drug.status)}{flag}", drug)
            )
    groups.append(("Systemic therapy options", options))
    groups.append(
        ("Avoid", [(f"{a.drug}: {clinician_words(a.reason)}", a) for a in document.avoid])
    )
    groups.append(
        (
            "Supportive care",
            [
                (
                    f"{say('problem', s.problem)} ({severity_with_cause(_severity(s), UNSCORED)}): "
                    + "; ".join(clinician_words(i) for i in s.interventions),
                    s,
                )
                for s in document.supportive
            ],
        )
    )
    groups.append(
        (
            "Referrals",
            [
                (f"{say('service', r.service)} ({say('urgency', r.urgency)})", r)
                for r in document.referrals
            ],
        )
    )
    groups.append(
        (
            "Not decided (gaps)",
            [(f"{field_words(g.field)}: {clinician_words(g.effect)}", g) for g in document.gaps],
        )
    )
    return [(heading, lines) for heading, lines in groups if lines]


def _severity(item: SupportiveItem) -> dict[str, Any]:
    """What planner.domain.plan_words.severity_with_cause reads of a supportive item."""
    return {"severity": item.severity, "reasons": item.reasons}


#: the case's sections a nurse records (contract §2); a gap is said, never read as complete
RECORDED_SECTIONS = (
    "body",
    "biology",
    "disease",
    "labs",
    "clinical",
    "symptoms",
    "psychosocial",
    "nutrition",
    "function",
    "qol",
    "preferences",
)
#: fields the nurse records with another section than the one they live in: ECOG is entered in
#: the Function group, so it counts for function, not for the clinical findings
RECORDED_WITH = {"clinical.ecog": "function"}


def missing_sections(raw: dict[str, Any]) -> list[str]:
    """The sections of RECORDED_SECTIONS with nothing entered, as the nurse grouped them."""
    recorded: set[str] = set()
    for name in RECORDED_SECTIONS:
        value = raw.get(name)
        if not isinstance(value, dict):
            if value:
                recorded.add(name)
            continue
        for key, field in value.items():
            if not all_blank(field):
                recorded.add(RECORDED_WITH.get(f"{name}.{key}", name))
    return [name for name in RECORDED_SECTIONS if name not in recorded]


class ReviewPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Review"))
        self.setSubTitle(
            self.tr(
                "Check what was entered and the plan it gives. Select a line to see why. "
                "The program suggests; the clinician decides. Finish saves the assessment."
            )
        )
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.RichText)
        self.problems.setAccessibleName(self.tr("Problems in the assessment"))
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName(self.tr("Plan suggestions"))
        self.tree.setWordWrap(True)
        self.why = QTextBrowser()
        self.why.setAccessibleName(self.tr("Why: the reason for the selected suggestion"))
        self.why.setPlaceholderText(
            self.tr("Select a suggestion to see what was found, what it means and its source.")
        )
        self.rule_ids = QCheckBox(self.tr("Show rule &ids"))
        self.rule_ids.setToolTip(self.tr("For checking the rule tables: the id of each rule used"))
        self.rule_ids.toggled.connect(lambda _on: self._show_why(self.tree.currentItem()))
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.tree)
        why_column = QWidget()
        why_layout = QVBoxLayout(why_column)
        why_layout.setContentsMargins(0, 0, 0, 0)
        why_layout.addWidget(self.why, 1)
        why_layout.addWidget(self.rule_ids)
        split.addWidget(why_column)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        layout.addWidget(split, 1)
        self.tree.currentItemChanged.connect(self._show_why)
        self.plan: dict[str, Any] | None = None
        self._errors: list[Problem] = []

    def case_changed(self, raw: dict[str, Any], problems: list[Problem], settings: Any) -> None:
        self._errors = [p for p in problems if p.severity == "error"]
        if self.wizard() is not None and self.wizard().currentPage() is self:
            self.refresh(raw, problems, settings)
        self.completeChanged.emit()

    def initializePage(self) -> None:
        wizard = cast("AssessmentWizard", self.wizard())
        self.refresh(wizard.case(), wizard.problems, wizard.settings)

    def refresh(self, raw: dict[str, Any], problems: list[Problem], settings: Any) -> None:
        errors = [p for p in problems if p.severity == "error"]
        doubts = [p for p in problems if p.severity == "doubt"]
        lines = []
        if errors:
            lines.append(
                "<b>"
                + self.tr("Fix these before saving:")
                + "</b><br>"
                + "<br>".join(html.escape(f"{field_words(p.path)}: {p.message}") for p in errors)
            )
        if doubts:
            lines.append(
                "<b>"
                + self.tr("Check these (accepted, but they look wrong):")
                + "</b><br>"
                + "<br>".join(html.escape(f"{field_words(p.path)}: {p.message}") for p in doubts)
            )
        missing = missing_sections(raw)
        if missing:
            # "passes the checks" alone read as "complete" on an almost empty assessment
            lines.append(
                (
                    self.tr("{count} of {total} sections is not recorded: {names}.")
                    if len(missing) == 1
                    else self.tr("{count} of {total} sections are not recorded: {names}.")
                ).format(
                    count=len(missing),
                    total=len(RECORDED_SECTIONS),
                    names=", ".join(field_words(name) for name in missing),
                )
            )

        allergies = raw.get("allergies")
        against = previews.allergy_line_contradictions(
            [a.get("substance") if isinstance(a, dict) else None for a in allergies]
            if isinstance(allergies, list)
            else []
        )
        if against:
            # walk23 HARM 3: "passes the checks" beside "no known drug allergies" and two
            # allergies; the plan carries the same words as a gap
            lines.append(
                "<b>"
                + self.tr("To resolve:")
                + "</b><br>"
                + "<br>".join(html.escape(words) for words in against.values())
            )
        if not errors and not doubts and not against:
            lines.insert(0, self.tr("Everything entered passes the checks."))
        self.problems.setText("<br>".join(lines))
        self.tree.clear()
        self.why.clear()
        self.plan = None
        if errors:
            self._note(self.tr("The plan is made once the problems above are fixed."))
            return
        try:
            self.plan = case_commands.make_plan(raw, getattr(settings, "labels", "us"), settings)
            record = getattr(self.wizard(), "record", None)
            if record is not None:  # her open critical alerts, as the saved plan will carry
                self.plan = kept_plans.preview_with_open_alerts(record, raw, self.plan)
        except Exception as exc:
            self._note(self.tr("The plan could not be made: {error}").format(error=exc))
            return
        document = read_plan(self.plan)
        for heading, entries in plan_items(document):
            top = QTreeWidgetItem([self.tr(heading)])
            self.tree.addTopLevelItem(top)
            for text, evidence in entries:
                child = QTreeWidgetItem([text])
                child.setToolTip(0, text)
                child.setData(0, WHY_ROLE, evidence)
                unverified = any(not b.verified for b in basis_of(evidence))
                if unverified:
                    # the short marker first: at the end of a long line it was cut to
                    # "[unverified — …" (walk23 #23); the words in full in the tooltip
                    indent = text[: len(text) - len(text.lstrip())]
                    child.setText(0, f"{indent}{self.tr('[unverified]')} {text.lstrip()}")
                    child.setToolTip(0, self.tr("[unverified — confirm locally]") + "\n" + text)
                if isinstance(evidence, Alert) and evidence.level == "critical":
                    self._mark_critical(child)
                top.addChild(child)
            top.setExpanded(True)
        critical = [a for a in document.alerts if a.level == "critical"]
        if critical:
            self.problems.setText(
                '<span style="color:#b00020"><b>'
                + html.escape(
                    self.tr("Critical alert — act today: {messages}").format(
                        messages="; ".join(a.message or say("alert", a.code) for a in critical)
                    )
                )
                + "</b></span><br>"
                + self.problems.text()
            )
        first = self.tree.topLevelItem(0)
        first_child = first.child(0) if first is not None else None
        if first_child is not None:
            self.tree.setCurrentItem(first_child)

    def _mark_critical(self, item: QTreeWidgetItem) -> None:
        item.setBackground(0, QBrush(CRITICAL_BACKGROUND))
        item.setForeground(0, QBrush(CRITICAL_TEXT))
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        item.setIcon(0, self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical))

    def _note(self, text: str) -> None:
        self.tree.addTopLevelItem(QTreeWidgetItem([text]))

    def _show_why(self, item: QTreeWidgetItem | None, _previous: Any = None) -> None:
        evidence = None if item is None else item.data(0, WHY_ROLE)
        if item is None or not evidence:
            self.why.clear()
            return
        self.why.setHtml(
            why_html(evidence, show_rule_ids=self.rule_ids.isChecked(), title=item.text(0))
        )

    def isComplete(self) -> bool:
        return not self._errors
