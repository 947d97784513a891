"""One patient's record: assessments over time, trend charts, and plan history with comparison.

Why one module: the table model of assessments and the plan-history summary exist only for this one
screen of one patient's record; they are its parts, not shared widgets.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from planner.domain.dates import DEFAULT_DATE_FORMAT, show_date, show_date_time
from planner.domain.decision import decided_plan, decision_of, decision_summary
from planner.domain.plan_document import PlanDocument, read_plan
from planner.domain.plan_versions import PlanStanding, plan_standings
from planner.domain.plan_words import allergy_flag, dose_words, say, spaced
from planner.domain.stored import StoredPlan, TrendPoint
from planner.domain.symptoms import UNSCORED
from planner.services import kept_plans, patient_record, rule_tables
from planner.ui.alert_banner import AlertBanner
from planner.ui.audit_view import AuditView
from planner.ui.trend_chart import TrendChart

Index = QModelIndex | QPersistentModelIndex
#: (trend column, its header): two-line headers, so every column fits the record's pane at
#: 1366 × 768 (ESAS, distress and ECOG were cut off to the right, issue 16)
TREND_COLUMNS = (
    ("assessed_on", "Assessed\non"),
    ("bilirubin_x_uln", "Bilirubin\n× ULN"),
    ("alp_x_uln", "ALP\n× ULN"),
    ("weight_kg", "Weight\nkg"),
    ("esas_total", "ESAS\ntotal"),
    ("phq9_total", "PHQ-9\ntotal"),
    ("distress_thermometer", "Distress\n(0–10)"),
    ("ecog", "ECOG"),
)


class AssessmentTableModel(QAbstractTableModel):
    """A patient's assessments (the record's trend columns), oldest first."""

    def __init__(
        self, rows: Sequence[TrendPoint] = (), date_format: str = DEFAULT_DATE_FORMAT
    ) -> None:
        super().__init__()
        self._rows = list(rows)
        self._date_format = date_format

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(TREND_COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        key = TREND_COLUMNS[index.column()][0]
        point = self._rows[index.row()]
        value = getattr(point, key)
        clinic_uln = key in point.clinic_uln
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if value is None:
                return "—"
            if key == "assessed_on":
                on = show_date(value, self._date_format)
                if point.cycle_review:  # not a visit: said in words (walk 23 #9)
                    on = self.tr("{on} ({review})").format(on=on, review=point.cycle_review)
                return self.tr("{on} (amended)").format(on=on) if point.amended_because else on
            if key == "weight_kg" and isinstance(value, float):
                return f"{value:.1f}"  # as weighed: 54.0, not 54.00
            if clinic_uln:  # the plan's × ULN, of the clinic's default ULN (review 16c)
                return self.tr("{value} (clinic ULN)").format(value=f"{value:.2f}")
            return f"{value:.2f}" if isinstance(value, float) else str(value)
        if role == Qt.ItemDataRole.ToolTipRole and point.cycle_review and key != "bilirubin_x_uln":
            return self.tr(
                "A signed cycle review of her treatment course, not a visit: that day's blood "
                "results and what the review asked. ECOG and a weight not weighed that day were "
                "not assessed: the engine read them from the assessment of {on}, so they are "
                "left blank here."
            ).format(on=show_date(point.carried_from, self._date_format) or "—")
        if role == Qt.ItemDataRole.ToolTipRole and key == "assessed_on" and point.amended_because:
            return self.tr("A corrected version: {reason}").format(reason=point.amended_because)
        if role == Qt.ItemDataRole.ToolTipRole and clinic_uln:
            return self.tr(
                "No ULN on the lab report: × the clinic's default ULN, as the plan used it"
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(TREND_COLUMNS)
        ):
            return self.tr(TREND_COLUMNS[section][1])
        return None

    def assessment_id(self, row: int) -> int:
        return self._rows[row].assessment_id


def plan_summary_html(
    plan: dict[str, Any],
    other: dict[str, Any] | None = None,
    date_format: str = DEFAULT_DATE_FORMAT,
) -> str:
    """A plan as short HTML; lines not in `other` (the plan compared with) are highlighted.
    Dates in the clinic's `date_format`."""

    def lines_of(p: dict[str, Any], document: PlanDocument) -> list[tuple[str, str]]:
        out = []
        # The plan as decided: a decided plan's list showed the suggested doses, with no mark
        # of the dose changed or the drug held (issue 16, review 16c finding 10).
        for option in read_plan(decided_plan(p)).options:
            chosen = " — decided" if option.chosen else ""
            out.append(("Options", f"{option.rank}. {html.escape(option.title)}{chosen}"))
            for drug in option.drugs:
                dose, loading = drug.dose, drug.loading_dose
                shown = "no dose" if dose is None else dose_words(dose.value, dose.unit)
                if dose is not None and loading is not None:  # contract §3a: first cycle's dose
                    shown = f"first cycle {dose_words(loading.value, loading.unit)}, then {shown}"
                decided = drug.decided
                was = None if decided is None else decided.suggested_dose
                suggested = "no dose" if was is None else dose_words(was.value, was.unit)
                if decided is not None and decided.action == "hold":
                    shown = f"held, not given now (suggested {suggested})"
                elif decided is not None and decided.action == "change_dose":
                    shown = f"{shown}, changed by the decision (suggested {suggested})"
                flag = html.escape(allergy_flag(drug.warnings, dose is not None))
                out.append(
                    (
                        "Options",
                        f"&nbsp;&nbsp;{drug.drug}: {shown} ({say('status', drug.status)}){flag}",
                    )
                )
        for alert in document.alerts:
            out.append(
                ("Alerts", f"{say('level', alert.level)}: {alert.message or spaced(alert.code)}")
            )
        for item in document.supportive:
            severity = spaced(item.severity or UNSCORED)
            out.append(("Supportive care", f"{say('problem', item.problem)} ({severity})"))
        for referral in document.referrals:
            out.append(
                (
                    "Referrals",
                    f"{say('service', referral.service)} ({say('urgency', referral.urgency)})",
                )
            )
        if document.decision is not None or document.options:
            out.append(("Decision", html.escape(decision_summary(p, date_format))))
        for change in document.overrides:  # a plan kept before decisions were
            out.append(
                (
                    "Clinician changes",
                    f"{change.from_value} → {change.to_value} — {change.reason}",
                )
            )
        return out

    document = read_plan(plan)
    mine = lines_of(plan, document)
    theirs = None if other is None else {text for _, text in lines_of(other, read_plan(other))}
    parts = []
    hepatic = document.hepatic
    odwg = None if hepatic is None else hepatic.odwg
    child_pugh = None if hepatic is None else hepatic.child_pugh
    parts.append(
        f"<p>ODWG <b>{html.escape(spaced(odwg) or '—')}</b>, Child–Pugh "
        f"<b>{html.escape(str('—' if child_pugh is None else child_pugh.child_class))}</b>; "
        f"rules {html.escape(document.rules_version or '')}</p>"
    )
    heading = None
    for section, text in mine:
        if section != heading:
            parts.append(f"<h4>{section}</h4>")
            heading = section
        changed = theirs is not None and text not in theirs
        style = ' style="background:#fff0b3"' if changed else ""
        parts.append(f"<div{style}>{text}</div>")
    return "".join(parts)


class RecordView(QWidget):
    """Signals: `assess_requested(mrn)` when the nurse asks for a new assessment;
    `alerts_shown(mrn, any_open)` whenever the critical-alert banner was filled (the patient
    list flags the patient while one is open)."""

    assess_requested = Signal(str)
    alerts_shown = Signal(str, bool)
    #: "Treatment course…" here or on her decided plan: the main window opens the course
    course_requested = Signal(str)

    def __init__(self, record: patient_record.PatientRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._record = record
        self.mrn: str | None = None
        self.plan_view: Any = None
        self.plan_note = ""  # what making the last plan did (shown in the plan window)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.heading.setWordWrap(True)
        self.assess_button = QPushButton(self.tr("New &assessment"))
        self.assess_button.setAccessibleName(self.tr("New assessment"))
        self.assess_button.clicked.connect(
            lambda: self.mrn and self.assess_requested.emit(self.mrn)
        )
        # the course window from her record (it was reachable from the File menu only)
        self.course_button = QPushButton(self.tr("Treatment co&urse…"))
        self.course_button.setAccessibleName(self.tr("Treatment course"))
        self.course_button.clicked.connect(
            lambda: self.mrn and self.course_requested.emit(self.mrn)
        )
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.course_button)
        top.addWidget(self.assess_button)
        # Unacknowledged critical alerts: red, above everything else, until acknowledged by name.
        self.alert_banner = AlertBanner(record)
        self.alert_banner.acknowledged.connect(self._alerts_acknowledged)

        self.tabs = QTabWidget()
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Assessments over time"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)
        self.model = AssessmentTableModel()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.make_plan_button = QPushButton(self.tr("Ma&ke the plan for the selected assessment"))
        self.make_plan_button.setAccessibleName(
            self.tr("Make the plan for the selected assessment")
        )
        self.make_plan_button.clicked.connect(lambda: self.make_plan())
        assessments = QWidget()
        column = QVBoxLayout(assessments)
        # Above the table, not below it: at 125 % on a 768-pixel screen a button under a
        # growing table ended up below the window's edge (issue 16).
        column.addWidget(self.make_plan_button)
        column.addWidget(self.table, 1)
        self.tabs.addTab(assessments, self.tr("Assess&ments"))

        charts = QWidget()
        grid = QGridLayout(charts)
        scales = rule_tables.score_chart_ranges()
        self.charts = {
            "bilirubin_x_uln": TrendChart(
                self.tr("Bilirubin × ULN"), "× ULN", rule_tables.bilirubin_reference_lines()
            ),
            "alp_x_uln": TrendChart(self.tr("ALP × ULN"), "× ULN"),
            "weight_kg": TrendChart(self.tr("Weight (kg)"), "kg", from_zero=False),
            # scores on their instrument's own range (from the rule tables' item ranges)
            "esas_total": TrendChart(self.tr("ESAS-r total"), "", scale=scales["esas_total"]),
            "phq9_total": TrendChart(self.tr("PHQ-9 total"), "", scale=scales["phq9_total"]),
            "distress_thermometer": TrendChart(
                self.tr("Distress thermometer"), "", scale=scales["distress_thermometer"]
            ),
        }
        for i, chart in enumerate(self.charts.values()):
            grid.addWidget(chart, i // 2, i % 2)
        self.tabs.addTab(charts, self.tr("&Trends"))

        plans = QWidget()
        plan_layout = QVBoxLayout(plans)
        pick = QGridLayout()
        self.left_plan = QComboBox()
        self.left_plan.setAccessibleName(self.tr("First plan to compare"))
        self.right_plan = QComboBox()
        self.right_plan.setAccessibleName(self.tr("Second plan to compare"))
        left_label = QLabel(self.tr("Compare &plan"))
        left_label.setBuddy(self.left_plan)
        right_label = QLabel(self.tr("&with"))
        right_label.setBuddy(self.right_plan)
        self.open_plan_button = QPushButton(self.tr("&Open plan…"))
        self.open_plan_button.setAccessibleName(self.tr("Open the first plan"))
        self.open_plan_button.clicked.connect(lambda: self.open_plan())
        # Each plan on a row of its own, the pane's full width: beside its caption and the
        # button the label was cut at 1366 × 768 and 125 % (issue 16).
        pick.addWidget(left_label, 0, 0)
        pick.addWidget(self.open_plan_button, 0, 1, Qt.AlignmentFlag.AlignRight)
        pick.addWidget(self.left_plan, 1, 0, 1, 2)
        pick.addWidget(right_label, 2, 0)
        pick.addWidget(self.right_plan, 3, 0, 1, 2)
        pick.setColumnStretch(0, 1)
        for combo in (self.left_plan, self.right_plan):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(10)
        self.left_text = QTextBrowser()
        self.left_text.setAccessibleName(self.tr("First plan"))
        self.right_text = QTextBrowser()
        self.right_text.setAccessibleName(self.tr("Second plan"))
        split = QSplitter()
        split.addWidget(self.left_text)
        split.addWidget(self.right_text)
        plan_layout.addLayout(pick)
        plan_layout.addWidget(split, 1)
        self.left_plan.currentIndexChanged.connect(self.compare)
        self.right_plan.currentIndexChanged.connect(self.compare)
        self.tabs.addTab(plans, self.tr("P&lan history"))
        # her audit log, read-only; read when the tab is shown (not on every selection)
        self.audit = AuditView(record)
        self.audit_tab = self.tabs.addTab(self.audit, self.tr("Au&dit log"))
        self.tabs.currentChanged.connect(self._tab_shown)
        # A tab's Alt-letter moves into the tab, not only shows it (walk 21 F16: Alt+M left the
        # focus on the buttons above): the tab bar's shortcut event, then focus its contents.
        self._tab_entries: dict[int, QWidget] = {
            0: self.table,
            self.tabs.indexOf(plans): self.left_plan,
            self.audit_tab: self.audit.table,
        }
        self.tabs.tabBar().installEventFilter(self)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.alert_banner)
        layout.addWidget(self.tabs, 1)
        #: kept plans of every assessment with the day of their assessment, oldest first
        self.plans: list[tuple[StoredPlan, str]] = []
        #: each kept plan's place among its assessment's plans (current, or what replaced it)
        self.standings: dict[int, PlanStanding] = {}
        self.cycle_reviews: dict[int, str] = {}
        self.cycle_decided: dict[int, str] = {}
        #: the patient's one plan to act on (her latest assessment's current plan), if any
        self.act_on: int | None = None
        self.date_format = DEFAULT_DATE_FORMAT

    def show_patient(self, mrn: str) -> None:
        self.mrn = mrn
        self.date_format = str(
            self._record.clinic_settings().get("date_format") or DEFAULT_DATE_FORMAT
        )
        hit = next((h for h in self._record.search(mrn, 5) if h.mrn == mrn), None)
        name = ", ".join(p for p in (hit.family_name, hit.given_name) if p) if hit else ""
        born = (
            f" · {self.tr('born')} {show_date(hit.birth_date, self.date_format)}"
            if hit is not None and hit.birth_date
            else ""
        )
        self.heading.setText(f"{html.escape(name)} — {html.escape(mrn)}{born}")
        rows = self._record.trend(mrn)
        self.model = AssessmentTableModel(rows, self.date_format)
        self.table.setModel(self.model)
        if rows:
            self.table.selectRow(len(rows) - 1)
        self.make_plan_button.setEnabled(bool(rows))
        for key, chart in self.charts.items():
            chart.set_points(
                [(dt.date.fromisoformat(r.assessed_on), getattr(r, key)) for r in rows]
            )
        self.load_plans(rows)
        self._show_alerts()
        self.audit.mrn = None  # read again when shown
        self._tab_shown(self.tabs.currentIndex())

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if watched is self.tabs.tabBar() and event.type() == QEvent.Type.Shortcut:
            QTimer.singleShot(0, self, self._into_tab)  # once the tab bar has switched tabs
        return super().eventFilter(watched, event)

    def _into_tab(self) -> None:
        entry = self._tab_entries.get(self.tabs.currentIndex())
        if entry is not None:
            entry.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _tab_shown(self, index: int) -> None:
        if index == self.audit_tab and self.mrn and self.audit.mrn != self.mrn:
            self.audit.show_patient(self.mrn, self.date_format)

    def _show_alerts(self) -> None:
        self.alert_banner.show_for(self.mrn, date_format=self.date_format)
        if self.mrn:
            self.alerts_shown.emit(self.mrn, bool(self.alert_banner.alerts))

    def _alerts_acknowledged(self) -> None:
        """An alert acknowledged here or in the open plan: both banners show what is left, and
        the audit log shows the acknowledgement (walk 21 F7: not until she was reopened)."""
        self._show_alerts()
        if self.plan_view is not None:
            self.plan_view.refresh_alerts()
        self.audit.mrn = None  # read again
        self._tab_shown(self.tabs.currentIndex())

    def load_plans(self, rows: Sequence[TrendPoint]) -> None:
        self.plans = []
        self.standings = standings = {}
        #: the assessments that are signed cycle reviews, in words (their plans are the program's)
        self.cycle_reviews = {
            r.assessment_id: r.cycle_review for r in rows if r.cycle_review is not None
        }
        #: what each signed cycle review decided for her course, drug by drug with its doses
        self.cycle_decided = {
            r.assessment_id: r.cycle_decided for r in rows if r.cycle_decided is not None
        }
        date_format = self.date_format
        for row in rows:
            kept = self._record.plans_for(row.assessment_id)
            standings.update(plan_standings(kept))
            self.plans.extend((plan, row.assessed_on) for plan in kept)
        self.act_on = kept_plans.plan_to_act_on(self._record, self.mrn) if self.mrn else None
        for combo in (self.left_plan, self.right_plan):
            combo.blockSignals(True)
            combo.clear()
            for plan, assessed_on in self.plans:
                standing = standings[plan.id]
                combo.addItem(self.plan_label(plan, assessed_on, standing, date_format), plan.id)
                combo.setItemData(
                    combo.count() - 1,
                    self.plan_words(plan, assessed_on, standing, date_format),
                    Qt.ItemDataRole.ToolTipRole,
                )
            combo.blockSignals(False)
        # "Compare plan" (what Open plan opens) starts on the plan to act on, "with" on the
        # latest other one: Open plan opened a superseded plan (walk 16d)
        ids = [plan.id for plan, _ in self.plans]
        first = ids.index(self.act_on) if self.act_on in ids else len(ids) - 1
        others = [i for i in range(len(ids)) if i != first]
        self.left_plan.setCurrentIndex(first)
        self.right_plan.setCurrentIndex(others[-1] if others else first)
        self.open_plan_button.setEnabled(bool(self.plans))
        self.compare()

    def plan_label(
        self, plan: StoredPlan, assessed_on: str, standing: PlanStanding, date_format: str
    ) -> str:
        """One history row, short enough for the pane at 1366×768 and 125 % (the long form
        was cut at "made 07/1…", issue 16): the plan, its assessment's day, whether it is the
        one to act on and whether it was decided. Who decided and when: `plan_words`."""
        decided = decision_of(plan.plan) is not None
        if standing.current and plan.id == self.act_on:
            state = self.tr("CURRENT, decided") if decided else self.tr("CURRENT, not decided")
        elif standing.current:  # its assessment's plan, but a later assessment's is hers now
            state = self.tr("earlier, decided") if decided else self.tr("earlier assessment")
        else:
            state = self.tr("superseded, decided") if decided else self.tr("superseded")
        review = self.cycle_reviews.get(plan.assessment_id)
        if review and not decided:  # made by the program at a signed cycle review (walk 23 #9)
            state = self.tr("{review}, program's plan").format(review=review)
        return self.tr("Plan {id} · {on} · {state}").format(
            id=plan.id, on=show_date(assessed_on, date_format), state=state
        )

    def plan_words(
        self, plan: StoredPlan, assessed_on: str, standing: PlanStanding, date_format: str
    ) -> str:
        """A history row in full words: which plan to act on, what replaced the others, who
        decided it and when, and when it was made from which assessment."""
        if standing.current and plan.id == self.act_on:
            place = self.tr("Plan {id} is the current plan: the one to act on.")
        elif standing.current:
            later = next((on for p, on in self.plans if p.id == self.act_on), "")
            place = (
                self.tr(
                    "Plan {id} is the plan of an earlier assessment: plan {act} (assessment of "
                    "{later}) is the one to act on."
                )
                if self.act_on is not None
                else self.tr(
                    "Plan {id} is the plan of an earlier assessment: her latest assessment has "
                    "no plan yet; make it, and act on that one."
                )
            ).format(id="{id}", act=self.act_on, later=show_date(later, date_format))
        else:
            place = self.tr("Plan {id} is superseded by {replaced} ({why}): read-only.")
        decision = decision_of(plan.plan)
        decided = (
            self.tr("Decided by {who}, {when}.").format(
                who=decision.decided_by,
                when=show_date_time(decision.decided_at, date_format),
            )
            if decision is not None
            else self.tr("Not decided.")
        )
        made = self.tr("Made {at} from the assessment of {on}.").format(
            at=show_date_time(plan.made_at, date_format), on=show_date(assessed_on, date_format)
        )
        parts = [place.format(id=plan.id, replaced=standing.replaced_by, why=standing.why)]
        course = self.cycle_decided.get(plan.assessment_id)
        if course is not None and decision is None:
            # the program's plan of a cycle review lists every option at a new start's label
            # dose ("gemcitabine 1250 mg/m² (standard)") while her course gives 375 mg/m²,
            # permanently reduced (walk 24 #9): said first, with what the course decided
            parts.append(
                self.tr(
                    "The program's plan of a signed cycle review ({review}): its options are "
                    "starting doses for a NEW treatment, not her course's doses. Her course, as "
                    "signed at that review: {course}."
                ).format(review=self.cycle_reviews.get(plan.assessment_id, ""), course=course)
            )
        return " ".join((*parts, decided, made))

    def _plan(self, combo: QComboBox) -> StoredPlan | None:
        index = combo.currentIndex()
        return self.plans[index][0] if 0 <= index < len(self.plans) else None

    def compare(self) -> None:
        left, right = self._plan(self.left_plan), self._plan(self.right_plan)
        if left is None:
            self.left_text.setHtml(self.tr("<p>No plan has been made for this patient yet.</p>"))
            self.right_text.clear()
            return
        other = right.plan if right is not None and right is not left else None
        self.left_text.setHtml(
            self._words_html(self.left_plan) + plan_summary_html(left.plan, other, self.date_format)
        )
        self.right_text.setHtml(
            self._words_html(self.right_plan)
            + plan_summary_html(right.plan, left.plan, self.date_format)
            if right is not None
            else ""
        )

    def _words_html(self, combo: QComboBox) -> str:
        """The chosen plan's history row in full words, first in its pane (on a tint when it
        is the current plan)."""
        words = combo.itemData(combo.currentIndex(), Qt.ItemDataRole.ToolTipRole)
        plan = self._plan(combo)
        if not words or plan is None:
            return ""
        current = self.standings[plan.id].current and plan.id == self.act_on
        tint = "#e8f0fb" if current else "#f0f0f0"
        return f'<p style="background:{tint}"><b>{html.escape(str(words))}</b></p>'

    def selected_assessment(self) -> int | None:
        selection = self.table.selectionModel()
        if selection is None or not selection.hasSelection():
            return None
        return self.model.assessment_id(selection.selectedRows()[0].row())

    def make_plan(self, assessment_id: int | None = None) -> None:
        """Open the plan of the selected (or given) assessment: the kept one, or a new one made
        with today's clinic settings when there is none or the rules or settings changed (the
        status line says why)."""
        if not isinstance(assessment_id, int) or isinstance(assessment_id, bool):
            assessment_id = self.selected_assessment()  # `clicked` passes a bool
        if assessment_id is None:
            return
        from planner.ui.settings_dialog import usable_settings

        if usable_settings(self, self._record) is None:
            return  # a stored setting cannot be used and was not fixed: the nurse was told
        made = kept_plans.make_and_keep_plan(self._record, assessment_id)
        self.show_patient(self.mrn or "")
        self.open_plan(made.plan_id)
        if not made.made:
            note = self.tr("This assessment's plan was made already: plan {id} is shown.")
        elif made.why:
            note = self.tr("A new version of the plan was made: {why}.")
        else:
            note = self.tr("The plan was made.")
        self.plan_note = note.format(id=made.plan_id, why=made.why)
        self.plan_view.set_note(self.plan_note)

    def open_plan(self, plan_id: int | None = None) -> None:
        # `clicked` passes its `checked` bool, and a bool is an int: it was taken for plan 0
        # ("plan: False is not in the record", issue 16).
        if not isinstance(plan_id, int) or isinstance(plan_id, bool):
            chosen = self._plan(self.left_plan)
            if chosen is None:
                return
            plan_id = chosen.id
        from planner.ui.plan_view import PlanView

        if self.plan_view is not None:
            self.plan_view.close()
        self.plan_view = PlanView(self._record, plan_id, self)
        self.plan_view.changed.connect(lambda _id: self.show_patient(self.mrn or ""))
        self.plan_view.course_requested.connect(self.course_requested)
        self.plan_view.alert_banner.acknowledged.connect(self._alerts_acknowledged)
        self.plan_view.show()
