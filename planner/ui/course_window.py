"""The treatment course of one patient (issue 19): start it from the decided plan, then the
review before each cycle — the nurse enters the day's labs and side effects, the decision shows
as they are typed (give, delay, reduce or stop per drug, with reasons, rules and sources), the
doctor confirms or overrides it with a reason (signed with the session's name), the cycle is
recorded as given, and the cycle sheet is printed.

Why one module: it is one window over one course's state — the course, the review being
entered, its preview, the signed review waiting to be given, the sheet — and each of its actions
(start, sign, record given, stop, print) reads and then refreshes that one state.

A thin window over `planner.services.treatment_courses`: every check and every number is the
domain's. What the nurse enters is `ui/cycle_entry.py`, the decision it gives in words
`ui/cycle_decision.py`. The PDF is made off the GUI thread (`BackgroundOp`).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from planner.domain.cycle_sheet_source import CycleSheetSource
from planner.domain.dates import DEFAULT_DATE_FORMAT, show_date, show_date_time
from planner.domain.plan_document import read_next_cycle
from planner.domain.plan_words import dose_words, field_words, unit_words
from planner.domain.problems import InputInvalid, Problem
from planner.domain.stored import CourseReview, StoredCourse
from planner.domain.treatment_course import (
    CHARTED,
    DECIDED_ACTIONS,
    DecidedDrug,
    DoseNow,
    current_doses,
    decided_words,
    doses_for,
    doses_now,
    due_on,
    given_action,
    given_at_delay,
    given_on_problems,
    planned_on,
    replaces_signed,
    review_cycle,
    reviewed_on_problems,
    started_on_problems,
    waiting_review,
)
from planner.domain.treatment_course import confirm as confirm_suggestion
from planner.domain.treatment_course import override as override_suggestion
from planner.services import clinic_settings, course_views, cycle_sheets, review_fields
from planner.services import treatment_courses as courses
from planner.services.patient_record import PatientRecord, RecordUnavailable
from planner.ui.background import BackgroundOp
from planner.ui.cycle_decision import (
    ACTION_WORDS,
    DAY_DECISION_WORDS,
    DECISION_WORDS,
    decision_html,
)
from planner.ui.cycle_entry import CycleEntryPage
from planner.ui.geometry import fit_to_screen
from planner.ui.qt_dates import qdate
from planner.ui.trend_chart import TrendChart
from planner.ui.typed_date import NOT_A_DATE, TypedDateEdit

CHART_TITLES = {
    "anc": ("Neutrophils", "× 10⁹/L"),
    "platelets": ("Platelets", "× 10⁹/L"),
    "bilirubin_x_uln": ("Bilirubin", "× ULN"),
    "alt_x_uln": ("ALT", "× ULN"),
}


def _offered_dose(drug: Mapping[str, Any]) -> str:
    """A drug of the offer: the label's starting dose (the course's 100 %), and the first
    cycle's dose where the decided plan gave less (her liver or kidneys, an interaction)."""
    start, first = drug["starting_dose"], drug["first_dose"]
    shown = f"{drug['drug']} {dose_words(start['value'], start['unit'])}"
    if first["value"] == start["value"]:
        return shown
    percent = round(100 * first["value"] / start["value"], 1)
    return (
        f"{shown} (first cycle {dose_words(first['value'], first['unit'])} = {percent:g} %, as her "
        "plan decided; each review checks her liver and kidney function again)"
    )


def _dose_text(dose: Mapping[str, Any]) -> str:
    return dose_words(float(dose["value"]), dose["unit"])


#: the window's fields named as it labels them, in a problem said in words (walk 21 H6: the
#: refusal read "course.started_on: 2026-07-07 is before …")
FIELD_WORDS = {
    "course.started_on": "First cycle given on",
    "course.cycle_days": "Cycle length",
    "review.reviewed_on": "Reviewed on (labs drawn)",
    "cycle.given_on": "Cycle given on",
    "cycle.early_reason": "Reason for giving the cycle early",
    "course.stop_reason": "Reason for stopping",
    "review.decided_by": "Decided by",
    "override.reason": "Override reason",
}
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


class CourseWindow(QDialog):
    """One patient's treatment course: start it, review each cycle, print the sheet."""

    #: the cycle sheet was made (`sheet`) or could not be (`status` says why)
    sheet_done = Signal()
    #: "Open her plan": no plan of hers has a decided option yet (the main window opens it)
    plan_wanted = Signal()

    def __init__(self, record: PatientRecord, mrn: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._record = record
        self.mrn = mrn
        self.course: StoredCourse | None = None
        #: the LVEF last measured in the course (carried when none is entered today)
        self._last_lvef: review_fields.MeasuredLvef | None = None
        self.preview: courses.CyclePreview | None = None
        #: the signed review not yet given (a "give" waiting for its date), or the last signed
        self.signed_review: int | None = None
        self.sheet: bytes | None = None
        self._sheet_path: Path | None = None
        #: today (a seam for tests): the default review and given dates, and no cycle after it
        self.today = dt.date.today
        #: the offer can start a course (a decided, current plan with doses)
        self._start_allowed = False
        #: dates are shown as the clinic prints them (the `date_format` setting)
        self.date_format = record.date_format() or DEFAULT_DATE_FORMAT
        self.setWindowTitle(self.tr("Treatment course — {mrn}").format(mrn=mrn))
        fit_to_screen(self, 1200, 860)
        layout = QVBoxLayout(self)
        self.state = QLabel()
        self.state.setTextFormat(Qt.TextFormat.RichText)
        self.state.setWordWrap(True)
        self.state.setAccessibleName(self.tr("Course"))
        layout.addWidget(self.state)
        # a date in the future is refused as it is entered, naming the field (not first at
        # preview or sign): the button it would record is off until it is corrected
        self.date_problems = QLabel()
        self.date_problems.setWordWrap(True)
        self.date_problems.setStyleSheet("QLabel { color: #b00020; }")
        self.date_problems.setAccessibleName(self.tr("Date problems"))
        self.date_problems.hide()
        layout.addWidget(self.date_problems)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Status"))

        # -- start ---------------------------------------------------------------------------
        self.start_box = QGroupBox(self.tr("Start treatment course (from the decided plan)"))
        start = QFormLayout(self.start_box)
        self.offer = QLabel()
        self.offer.setTextFormat(Qt.TextFormat.RichText)
        self.offer.setWordWrap(True)
        self.offer.setAccessibleName(self.tr("What the course starts with"))
        start.addRow(self.offer)
        self.cycle_days = QSpinBox()
        self.cycle_days.setRange(0, 84)
        self.cycle_days.setSpecialValueText(self.tr("not set"))
        self.cycle_days.setSuffix(self.tr(" days"))
        self.cycle_days.setAccessibleName(self.tr("Cycle length"))
        label = QLabel(self.tr("C&ycle length"))
        label.setBuddy(self.cycle_days)
        start.addRow(label, self.cycle_days)
        self.started_on = TypedDateEdit(dt.date.today())
        self.started_on.setAccessibleName(self.tr("First cycle given on"))
        label = QLabel(self.tr("&First cycle given on"))
        label.setBuddy(self.started_on)
        start.addRow(label, self.started_on)
        self.start_button = QPushButton(self.tr("&Start treatment course"))
        self.start_button.clicked.connect(self.start_course)
        start.addRow(self.start_button)
        self.open_plan_button = QPushButton(self.tr("Open her &plan to decide it"))
        self.open_plan_button.clicked.connect(lambda: self.plan_wanted.emit())
        self.open_plan_button.hide()
        start.addRow(self.open_plan_button)
        layout.addWidget(self.start_box)

        # -- review --------------------------------------------------------------------------
        self.review_box = QGroupBox(self.tr("Cycle review"))
        review = QHBoxLayout(self.review_box)
        left = QVBoxLayout()
        # a review entered earlier and not signed (the window or the program was closed): its
        # draft is offered, never put back or thrown away unasked
        self.draft_box = QWidget()
        draft_row = QHBoxLayout(self.draft_box)
        draft_row.setContentsMargins(0, 0, 0, 0)
        self.draft_note = QLabel()
        self.draft_note.setWordWrap(True)
        self.draft_note.setAccessibleName(self.tr("Unsigned review"))
        self.resume_button = QPushButton(self.tr("&Resume the draft"))
        self.resume_button.clicked.connect(self.resume_draft)
        self.discard_button = QPushButton(self.tr("Discard it, start a&new"))
        self.discard_button.clicked.connect(self.discard_draft)
        draft_row.addWidget(self.draft_note, 1)
        draft_row.addWidget(self.resume_button)
        draft_row.addWidget(self.discard_button)
        self.draft_box.hide()
        self._draft: courses.ReviewDraft | None = None
        #: the form was changed by the nurse since the draft was last saved
        self._unsaved = False
        #: what the form held when its review was signed (Escape then closes without asking)
        self._signed_state: dict[str, Any] | None = None
        left.addWidget(self.draft_box)
        # which visit the review is for — the cycle and its day, from the course's calendar —
        # and whether it is due yet (walk 24 #8: a "cycle 2, day 1" review 14 days early gave a
        # decision without saying cycle 2 was not due)
        self.visit_note = QLabel()
        self.visit_note.setWordWrap(True)
        self.visit_note.setAccessibleName(self.tr("Which visit"))
        left.addWidget(self.visit_note)
        self.entry = CycleEntryPage()
        # results offered in the clinic's units, as the wizard offers them (walk 21 F10)
        self.entry.set_preferred_units(clinic_settings.of_record(record).units)
        self.entry.edited.connect(self._entry_edited)
        left.addWidget(self.entry, 1)
        review.addLayout(left, 3)
        right = QVBoxLayout()
        # the decision signed for this cycle, while it is in force: a new signature replaces it
        # only when asked (issue 19 review: an override was lost to one more click)
        self.signed = QLabel()
        self.signed.setWordWrap(True)
        self.signed.setTextFormat(Qt.TextFormat.RichText)
        self.signed.setAccessibleName(self.tr("Signed decision"))
        self.signed.setStyleSheet("QLabel { border: 1px solid #1b5e20; padding: 4px; }")
        self.signed.hide()
        right.addWidget(self.signed)
        self.decision = QTextBrowser()
        self.decision.setAccessibleName(self.tr("Suggested decision"))
        right.addWidget(self.decision, 3)
        # who decided signs the cycle's decision, confirmed or overridden (rule 7), and says they
        # are its prescriber, as the plan's Decide asks (walk 21 F1: "Confirm and sign" signed
        # the dose of the day as the nurse at the keyboard, with no prescriber named): the
        # program has no roles, so the name typed carries the role and the tick is never
        # given for them (docs/decisions.md, "Who decides")
        self.decided_by = QLineEdit(self._record.who)
        self.decided_by.setAccessibleName(self.tr("Decided by (prescriber)"))
        self.decided_by.setPlaceholderText(self.tr("name, role (required)"))
        # no mnemonic: every letter of it is taken in this window (tests: unique mnemonics)
        by_caption = QLabel(self.tr("Decided by (prescriber)"))
        by_caption.setBuddy(self.decided_by)
        by_row = QHBoxLayout()
        by_row.addWidget(by_caption)
        by_row.addWidget(self.decided_by, 1)
        right.addLayout(by_row)
        # short, so the decision pane does not widen and push the results off the screen at
        # 1366 × 768; the whole sentence is its tooltip and accessible description
        self.prescriber = QCheckBox(self.tr("is her cancer prescriber and made this decision"))
        self.prescriber.setAccessibleName(self.tr("Decided by the responsible prescriber"))
        whole = self.tr(
            "The person named above is the prescriber responsible for her cancer treatment and "
            "made this decision"
        )
        self.prescriber.setToolTip(whole)
        self.prescriber.setAccessibleDescription(whole)
        right.addWidget(self.prescriber)
        self.confirm_button = QPushButton(self.tr("Con&firm and sign"))
        self.confirm_button.clicked.connect(self.confirm)
        right.addWidget(self.confirm_button)
        override = QGroupBox(self.tr("Or decide otherwise (override)"))
        self.override_form = QGridLayout()
        self.override_rows: dict[str, tuple[QComboBox, QDoubleSpinBox]] = {}
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("Why the suggestion is overridden (required)"))
        self.reason.setAccessibleName(self.tr("Override reason"))
        # Tab leaves the box (it typed tab characters: a keyboard trap for the nurse)
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(self.fontMetrics().lineSpacing() * 4)
        self.override_button = QPushButton(self.tr("Sign the &override"))
        self.override_button.clicked.connect(self.override)
        outer = QVBoxLayout()
        outer.addLayout(self.override_form)
        outer.addWidget(self.reason)
        outer.addWidget(self.override_button)
        holder = QVBoxLayout(override)
        holder.addLayout(outer)
        right.addWidget(override)
        given = QHBoxLayout()
        self.given_on = TypedDateEdit(dt.date.today())
        self.given_on.setAccessibleName(self.tr("Cycle given on"))
        self.given_button = QPushButton(self.tr("Record cycle &given"))
        self.given_button.clicked.connect(self.record_given)
        self.early_reason = QLineEdit()
        self.early_reason.setAccessibleName(self.tr("Reason for giving the cycle early"))
        # asked only while the date given is before the due date (`_show_early_reason`): a
        # review may be early, a cycle given early needs a reason
        # a signed delay that gives a drug today (fulvestrant while palbociclib waits for its
        # count): what is given is recorded, the delayed cycle stays to come (walk 23 #7)
        self.delay_given_button = QPushButton(self.tr("Record drugs given at the delay"))
        self.delay_given_button.clicked.connect(self.record_given_at_delay)
        given.addWidget(self.given_on)
        given.addWidget(self.early_reason, 1)
        given.addWidget(self.given_button)
        given.addWidget(self.delay_given_button)
        right.addLayout(given)
        buttons = QHBoxLayout()
        self.print_button = QPushButton(self.tr("Save cycle sheet (P&DF)…"))
        self.print_button.clicked.connect(self.save_sheet)
        self.stop_reason = QLineEdit()
        self.stop_reason.setPlaceholderText(self.tr("Why the course stops"))
        self.stop_reason.setAccessibleName(self.tr("Stop reason"))
        self.stop_button = QPushButton(self.tr("Stop co&urse"))
        self.stop_button.clicked.connect(self.stop_course)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.stop_reason, 1)
        buttons.addWidget(self.stop_button)
        right.addLayout(buttons)
        review.addLayout(right, 2)
        layout.addWidget(self.review_box, 1)

        # -- across the course ---------------------------------------------------------------
        charts = QHBoxLayout()
        bands = course_views.chart_grade_bands()
        self.charts: dict[str, TrendChart] = {}
        for key in CHARTED:
            title, unit = CHART_TITLES[key]
            chart = TrendChart(
                self.tr(title) + f" ({unit})",
                unit,
                bands=bands[key],
                date_format=self.date_format,
            )
            self.charts[key] = chart
            charts.addWidget(chart)
        layout.addLayout(charts)
        layout.addWidget(self.status)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.update_preview)
        for edit in (self.started_on, self.entry.reviewed_on, self.given_on):
            edit.set_date_format(self.date_format)
            edit.dateChanged.connect(self.check_dates)
        # the day of the cycle follows the review's date until results are entered (walk 24 #8)
        self.entry.reviewed_on.dateChanged.connect(self._default_visit)
        self.refresh()

    def _day(self, value: dt.date | str | None) -> str:
        return show_date(value, self.date_format)

    def day_of(self, edit: TypedDateEdit, path: str) -> dt.date:
        """The date typed in `edit`; InputInvalid naming `path` where it is no date."""
        day = edit.day()
        if day is None:
            raise InputInvalid((Problem(path, f"{edit.text().strip() or '(empty)'} {NOT_A_DATE}"),))
        return day

    def said(self, problem: Problem) -> str:
        """A problem in words: its field as the window names it, its dates as the clinic shows
        them ("First cycle given on: 21/10/2026 is before …"), never a path or an ISO date."""
        named = FIELD_WORDS.get(problem.path) or self.problem_words(problem).split(":", 1)[0]
        message = ISO_DAY.sub(lambda m: self._day(m.group(0)), problem.message)
        return f"{self.tr(named)}: {message}"

    def date_problems_now(self) -> list[Problem]:
        """The dates on the window that are no date or after today, each named by its field."""
        today = self.today()
        if self.course is None:
            started = self.started_on.day()
            if started is None:
                return [Problem("course.started_on", f"{self.started_on.text()} {NOT_A_DATE}")]
            return started_on_problems(started, today=today)
        reviewed = self.entry.reviewed_on.day()
        found = (
            [Problem("review.reviewed_on", f"{self.entry.reviewed_on.text()} {NOT_A_DATE}")]
            if reviewed is None
            else reviewed_on_problems(reviewed, today=today)
        )
        if self._waiting_review() is not None:
            given = self.given_on.day()
            if given is None:
                return [*found, Problem("cycle.given_on", f"{self.given_on.text()} {NOT_A_DATE}")]
            found += [
                p
                for p in given_on_problems(self.course, given, today=today)
                if "in the future" in p.message
            ]
        return found

    def check_dates(self, *_: Any) -> None:
        """Say at once which date is in the future, and keep off what it would record."""
        problems = self.date_problems_now()
        self.date_problems.setText("<br>".join(html.escape(self.said(p)) for p in problems))
        self.date_problems.setVisible(bool(problems))
        paths = {p.path for p in problems}
        self.start_button.setEnabled(self._start_allowed and "course.started_on" not in paths)
        self.given_button.setEnabled(self._given_allowed() and "cycle.given_on" not in paths)
        self.delay_given_button.setEnabled(
            self._delay_given_allowed() and "cycle.given_on" not in paths
        )
        # a future review date: the preview says so and offers nothing to confirm
        self.override_button.setEnabled("review.reviewed_on" not in paths)
        self._show_early_reason()

    def _show_early_reason(self) -> None:
        """The "why early" box, only while the cycle's date is before its due date, saying
        how early and the due date (the review itself may be early: that needs no reason).
        Text that is no date shows no hint: its problem is said in words, and "given 739963
        days before it is due" was the distance from year 1 (recheck 21)."""
        due = None if self.course is None else due_on(self.course)
        given = self.given_on.day()
        early = (
            self.course is not None
            and (waiting := self._waiting_review()) is not None
            and waiting.day == 1
            and due is not None
            and given is not None
            and given < due
        )
        self.early_reason.setVisible(early)
        if early:
            assert due is not None
            assert given is not None
            self.early_reason.setPlaceholderText(
                self.tr("Given {days} days before it is due ({due}): why early? (required)").format(
                    days=(due - given).days, due=self._day(due)
                )
            )

    def event(self, event: QEvent) -> bool:
        # back to this window after deciding her plan elsewhere (the plan window, another
        # computer on the same record): the offer is read again, never a stale one — only when
        # it changed, so a cycle length or date being typed is not reset by a window switch
        if event.type() == QEvent.Type.WindowActivate and self.course is None:
            offered = courses.latest_decided_plan(self._record, self.mrn)
            started = courses.open_course(self._record, self.mrn)
            if offered != getattr(self, "_offer_plan", None) or started is not None:
                self.refresh()
        return super().event(event)

    # -- state ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the course (or the plan a course would start from) and show what can be done."""
        self.course = courses.open_course(self._record, self.mrn)
        running = self.course is not None
        self.start_box.setVisible(not running)
        self.review_box.setVisible(running)
        for chart in self.charts.values():
            chart.setVisible(running)
        if not running:
            self._show_offer()
        else:
            self._show_course()
            assert self.course is not None
            self.entry.set_needed(review_fields.fields_needed(self.course))
            self._last_lvef = review_fields.latest_lvef(self._record, self.course)
            self.entry.set_last_lvef(self._last_lvef, self.date_format)
            self._fill_override_rows()
            self._offer_draft()
            self._default_visit()
            self.update_preview()
        self._show_charts()
        self._show_given_controls()
        self.check_dates()

    def _show_offer(self) -> None:
        plan_id = courses.latest_decided_plan(self._record, self.mrn)
        self._offer_plan = plan_id
        self._start_allowed = False
        self.open_plan_button.setVisible(plan_id is None)
        if plan_id is None:
            self.state.setText(
                self.tr(
                    "No treatment course. No plan of hers has a decided option yet: open her "
                    "plan, choose an option and sign it, then start the course here."
                )
            )
            self.offer.setText("")
            self.start_button.setEnabled(False)
            return
        try:
            offer = courses.course_offer(self._record, plan_id)
        except InputInvalid as exc:
            self.offer.setText(html.escape("; ".join(self.said(p) for p in exc.problems)))
            self.start_button.setEnabled(False)
            return
        doses = ", ".join(_offered_dose(d) for d in offer.drugs)
        left = f" (held, not in the course: {', '.join(offer.left_out)})" if offer.left_out else ""
        self.state.setText(self.tr("No treatment course yet."))
        if offer.cycle_days is not None:  # as the regimen's schedule states it; still editable
            self.cycle_days.setValue(offer.cycle_days)
            self.cycle_days.setToolTip(self.tr("From the regimen's schedule in the rule tables"))
        self.offer.setText(
            self.tr(
                "From her plan of {day}, decided option: <b>{name}</b> — starting doses "
                "{doses}{left}"
            ).format(
                day=self._day(offer.assessed_on) or "—",
                name=html.escape(offer.name),
                doses=html.escape(doses),
                left=html.escape(left),
            )
        )
        self._start_allowed = True
        self.start_button.setEnabled(True)

    def _show_course(self) -> None:
        course = self.course
        assert course is not None
        summary = course_views.course_summary(course)
        shown = ", ".join(self._dose_now(now) for now in doses_now(course))
        self.state.setText(
            self.tr(
                "<b>{regimen}</b>, started {started}, every {days} days. Cycles given: {given}. "
                "Current doses: {doses}. Next: cycle {next}, due {due}."
            ).format(
                regimen=html.escape(course_views.course_name(self._record, course)),
                started=self._day(course.started_on),
                days=course.cycle_days,
                given=len(course.cycles),
                doses=html.escape(shown),
                next=summary["next_cycle"],
                due=self._day(summary["due_on"]) or "—",
            )
            + "".join(
                "<br>"
                + html.escape(
                    self.tr(
                        "{drug}: 100 % is the label's {start} (this course was kept with the "
                        "plan's reduced first dose, {kept}, as its 100 %; the review checks her "
                        "liver and kidney function each cycle instead)"
                    ).format(
                        drug=drug["drug"],
                        start=_dose_text(drug["starting_dose"]),
                        kept=_dose_text(drug["kept_starting_dose"]),
                    ),
                    quote=False,
                )
                for drug in course.drugs
                if "kept_starting_dose" in drug
            )
            + "".join(
                "<br>"
                + html.escape(
                    self.tr("At the delay of cycle {cycle}, on {day}: {what}.").format(
                        cycle=given.cycle,
                        day=self._day(given.given_on),
                        what=self._delay_words(given.drugs),
                    ),
                    quote=False,
                )
                for given in course.given_at_delay
            )
            + "".join(
                "<br>"
                + html.escape(
                    # walk 23 HARM 4: the days inside a cycle (day-15 injection or blood count)
                    self.tr("Cycle {cycle} day {n}, {day}: {what} — {sources}{unverified}.").format(
                        cycle=visit["cycle"],
                        n=visit["day"],
                        day=self._day(visit["on"]) or "—",
                        what="; ".join(visit["what"]),
                        sources="; ".join(visit["sources"]) or self.tr("the plan's schedule"),
                        unverified="" if visit["verified"] else self.tr(" (UNVERIFIED)"),
                    )
                    + self._visit_done_words(visit.get("done")),
                    quote=False,
                )
                for visit in course_views.course_visits(self._record, course)
                if visit["day"] > 1
            )
        )

    def _visit_done_words(self, done: dict[str, Any] | None) -> str:
        """A day done says so, as Today's work reads it (it books a day only until then)."""
        if not done:
            return ""
        return " " + self.tr("Done: its review was signed on {day} by {who}.").format(
            day=self._day(done["reviewed_on"]) or "—", who=done["signed_by"]
        )

    def _fill_override_rows(self) -> None:
        course = self.course
        assert course is not None
        for combo, spin in self.override_rows.values():
            combo.deleteLater()
            spin.deleteLater()
        self.override_rows = {}
        previous: QWidget = self.confirm_button
        for row, drug in enumerate(course.drugs):
            combo = QComboBox()
            for action in DECIDED_ACTIONS:
                combo.addItem(self.tr(ACTION_WORDS[action]), action)
            combo.setAccessibleName(self.tr("{drug}: decision").format(drug=drug["drug"]))
            spin = QDoubleSpinBox()
            spin.setDecimals(2)
            spin.setRange(0, float(drug["starting_dose"]["value"]))
            spin.setSpecialValueText(self.tr("no dose"))
            spin.setSuffix(f" {unit_words(drug['starting_dose']['unit'])}")
            spin.setAccessibleName(self.tr("{drug}: dose").format(drug=drug["drug"]))
            self.override_form.addWidget(QLabel(html.escape(drug["drug"])), row, 0)
            self.override_form.addWidget(combo, row, 1)
            self.override_form.addWidget(spin, row, 2)
            self.override_rows[drug["drug"]] = (combo, spin)
            # in the order they are read: Confirm, then each drug's decision and dose, then the
            # reason (made after the window, they came last, after the charts)
            QWidget.setTabOrder(previous, combo)
            QWidget.setTabOrder(combo, spin)
            previous = spin
            spin.valueChanged.connect(lambda _value, name=drug["drug"]: self._follow_dose(name))
            combo.currentIndexChanged.connect(
                lambda _index, name=drug["drug"]: self._follow_action(name)
            )

        QWidget.setTabOrder(previous, self.reason)

    def _dose_now(self, now: DoseNow) -> str:
        """A drug's dose in the header, and where it comes from when it is not the last cycle
        given's: the signed decision in force, or a dose given at a delay (print24)."""
        dose = "" if now.dose is None else " " + dose_words(now.dose["value"], now.dose["unit"])
        if now.came_from == "delay":
            return self.tr("{drug}{dose} (given {on} at the delay)").format(
                drug=now.drug, dose=dose, on=self._day(now.on) or "—"
            )
        if now.came_from != "signed":
            return f"{now.drug}{dose}"
        if now.action == "discontinue":
            said = self.tr("discontinued")
        elif now.action == "hold":
            said = (
                self.tr("on hold, restart at{dose}").format(dose=dose)
                if dose
                else self.tr("on hold, restart dose not decided")
            )
        else:
            said = self.tr("{dose} for cycle {cycle}").format(dose=dose.strip(), cycle=now.cycle)
        return self.tr("{drug} {said} (signed {on})").format(
            drug=now.drug, said=said, on=self._day(now.on) or "—"
        )

    def _last_given(self, drug: str) -> dict[str, Any] | None:
        return None if self.course is None else current_doses(self.course).get(drug)

    def _follow_dose(self, drug: str) -> None:
        """A given drug's decision says what its dose does against the last cycle given: a dose
        typed higher than it reads "give, higher dose", never "reduced" (review 19c)."""
        combo, spin = self.override_rows[drug]
        action = combo.currentData()
        last = self._last_given(drug)
        if last is None or not spin.value():
            return
        dose = {"value": spin.value(), "unit": last["unit"]}
        fits = given_action(action, dose, last)
        if fits != action:
            combo.setCurrentIndex(combo.findData(fits))

    def _follow_action(self, drug: str) -> None:
        """ "Give, same dose" puts the last cycle's dose in the box."""
        combo, spin = self.override_rows[drug]
        last = self._last_given(drug)
        if combo.currentData() == "continue" and last is not None:
            spin.setValue(float(last["value"]))

    def _show_charts(self) -> None:
        rows = [] if self.course is None else course_views.course_trends(self._record, self.course)
        for key, chart in self.charts.items():
            points = []
            for row in rows:
                try:
                    day = dt.date.fromisoformat(str(row["date"]))
                except ValueError:
                    continue
                points.append((day, row[key]))
            chart.set_points(points)

    def _show_given_controls(self) -> None:
        waiting = self._waiting_review()
        delay = courses.delay_to_record(self.course)
        self.given_button.setEnabled(self._given_allowed())
        self.delay_given_button.setEnabled(self._delay_given_allowed())
        self.delay_given_button.setVisible(delay is not None)
        self.delay_given_button.setToolTip(
            ""
            if delay is None or self.course is None
            else self.tr("Records what the signed delay gives today: {summary}").format(
                summary=courses.signed_summary(delay, self.date_format, self.course)
            )
        )
        self.given_on.setEnabled(waiting is not None or delay is not None)
        # a day inside the cycle records that day's dose, not a cycle (walk 24 HARM 1)
        self.given_button.setText(
            self.tr("Record cycle &given")
            if waiting is None or waiting.day == 1
            else self.tr("Record day {day} dose &given").format(day=waiting.day)
        )
        self.given_button.setToolTip(
            ""
            if waiting is None or self.course is None
            else self.tr("Records the signed decision: {summary}").format(
                summary=courses.signed_summary(waiting, self.date_format, self.course)
            )
        )
        self.print_button.setEnabled(
            self.signed_review is not None or bool(self.course and self.course.reviews)
        )
        self.stop_button.setEnabled(self.course is not None)

    def _given_allowed(self) -> bool:
        """A cycle is recorded as given only from the signed decision the form shows: never
        while a new review is entered and not signed (walk 23 #8: "Record cycle given" stayed
        on for the earlier "give 100 mg" while grade-3 diarrhoea was on screen)."""
        return self._waiting_review() is not None and not self.entering()

    def _delay_given_allowed(self) -> bool:
        """As `_given_allowed`, for the drugs a signed delay gives today."""
        return courses.delay_to_record(self.course) is not None and not self.entering()

    def _refused_while_entering(self, signed: CourseReview) -> bool:
        """The one guard of both record buttons (walk 23 #8): while a new review is entered and
        not signed, nothing is recorded from the earlier `signed` decision — the status says so
        and which decision that would have been, and True. The buttons' enabled state reads the
        same `entering` (`_given_allowed`, `_delay_given_allowed`)."""
        if not self.entering():
            return False
        assert self.course is not None
        self.status.setText(
            html.escape(
                self.tr(
                    "Nothing recorded: a new review is entered and not signed. Sign it (or "
                    "clear it) first — recording now would give the earlier signed decision "
                    "({summary}), not what the form shows."
                ).format(summary=courses.signed_summary(signed, self.date_format, self.course))
            )
        )
        return True

    def _waiting_review(self) -> CourseReview | None:
        """The latest signed review, when it decided to give and its day's dose (the cycle, or
        a day inside it) is not yet given."""
        return None if self.course is None else waiting_review(self.course)

    def _default_visit(self) -> None:
        """The form's day of the cycle from the course's calendar and the review's date (walk 24
        #8: it opened on day 1 whatever the date) — only while the form holds no result: never
        over a review being entered, nor under one just signed (its day is its decision's)."""
        if self.course is None:
            return
        state = self.entry.state()
        if any(any(part) for part in (state["labs"].values(), state["clinical"])) or (
            state["side_effects"] or state["weight_kg"]
        ):
            return
        on = self.entry.reviewed_on.day() or self.today()
        self.entry.day.setValue(courses.visit_today(self._record, self.course, on).day)

    def _show_visit(self) -> None:
        """Say which cycle and day the review decides, and when that visit is not due yet."""
        course = self.course
        if course is None:
            self.visit_note.clear()
            return
        day = self.entry.day.value()
        cycle = review_cycle(course, day)
        start = planned_on(course, cycle)
        due = None if start is None else start + dt.timedelta(days=day - 1)
        reviewed = self.entry.reviewed_on.day()
        words = self.tr("This review decides {which}{when}.").format(
            which=courses.day_words(cycle, day),
            when="" if due is None else self.tr(" (due {day})").format(day=self._day(due)),
        )
        early = due is not None and reviewed is not None and reviewed < due
        if due is not None and reviewed is not None and early:
            words += " " + self.tr(
                "It is not due yet: {which} is due on {day}, {days} days after this review's "
                "date. Check the day of the cycle."
            ).format(
                which=courses.day_words(cycle, day), day=self._day(due), days=(due - reviewed).days
            )
        self.visit_note.setText(words)
        self.visit_note.setStyleSheet("QLabel { color: #b00020; }" if early else "")

    # -- the live decision ----------------------------------------------------------------------

    def _schedule_preview(self) -> None:
        self._timer.start()

    def _entry_edited(self) -> None:
        self._unsaved = True
        self._schedule_preview()
        self.check_dates()

    # -- the draft of a review being entered ----------------------------------------------------

    def _offer_draft(self) -> None:
        self._draft = courses.review_draft(self._record, self.mrn)
        if self._draft is None:
            self.draft_box.hide()
            return
        entry = self._draft.entry
        self.draft_note.setText(
            self.tr(
                "A review of this course was being entered and is not signed (labs of {day}; "
                "last changed {when} by {who})."
            ).format(
                day=html.escape(self._day(entry.get("reviewed_on")) or "—"),
                when=html.escape(show_date_time(self._draft.updated_at, self.date_format)),
                who=html.escape(self._draft.updated_by),
            )
        )
        self.draft_box.show()

    def resume_draft(self) -> None:
        """Put the unsigned review back in the form."""
        if self._draft is None:
            return
        self.entry.restore(self._draft.entry)
        self._draft = None
        self.draft_box.hide()
        self.update_preview()

    def discard_draft(self) -> None:
        courses.discard_review_draft(self._record, self.mrn)
        self._draft = None
        self.draft_box.hide()

    def save_draft(self) -> None:
        """Keep what is entered (as the nurse types, and when the window closes). Not while an
        earlier draft is offered: that one is kept until it is resumed or discarded."""
        if not self._unsaved or self.course is None or self._draft is not None:
            return
        state = self.entry.state()
        try:
            entered = (state["labs"].values(), state["clinical"], state["side_effects"])
            if any(any(part) for part in entered) or state["weight_kg"]:
                courses.save_review_draft(self._record, self.mrn, self.course.id, state)
            else:  # an empty form (cleared after a cycle was given) is no review being entered
                courses.discard_review_draft(self._record, self.mrn)
        except RecordUnavailable as exc:
            # what is typed stays in the form; the next edit (or closing) tries again
            self.status.setText(
                html.escape(
                    self.tr("The review's draft could not be saved: {why}").format(why=exc.reason)
                )
            )
            return
        self._unsaved = False

    def hideEvent(self, event: QHideEvent) -> None:
        # closed, rejected (Esc) or the program quitting: the review being entered is kept
        self.save_draft()
        super().hideEvent(event)

    def keyPressEvent(self, event: Any) -> None:
        # Escape with an unsigned review entered asks first, as the wizard does (recheck 21: a
        # side-effect row just added, and one Escape closed the window without a word)
        if event.key() == Qt.Key.Key_Escape and self.entering() and not self.ask_to_close():
            event.accept()
            return
        super().keyPressEvent(event)

    def entering(self) -> bool:
        """Whether the form holds a review the nurse entered and nobody signed: a result, a
        clinical finding, a weight or a side-effect row (even one with nothing chosen yet)."""
        if self.course is None:
            return False
        state = self.entry.state()
        entered = (state["labs"].values(), state["clinical"], state["side_effects"])
        return (any(any(part) for part in entered) or bool(state["weight_kg"])) and (
            state != self._signed_state
        )

    def ask_to_close(self) -> bool:
        """Escape with an unsigned review entered: close (what is entered is kept as the
        course's unsigned review, offered when the window opens again) or keep entering (the
        default, and what a second Escape answers)."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Close the treatment course?"))
        box.setText(
            self.tr(
                "The review being entered is not signed. Close the window? What is entered is "
                "kept as an unsigned review of this course, offered when the window opens again."
            )
        )
        keep = box.addButton(self.tr("&Keep entering"), QMessageBox.ButtonRole.RejectRole)
        close = box.addButton(
            self.tr("&Close, keep it unsigned"), QMessageBox.ButtonRole.AcceptRole
        )
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is close

    def cycle_entry(self) -> courses.CycleEntry:
        assert self.course is not None
        weight = self.entry.weight.json_value()
        return courses.CycleEntry(
            course_id=self.course.id,
            reviewed_on=self.day_of(self.entry.reviewed_on, "review.reviewed_on"),
            labs=self.entry.labs(),
            side_effects=self.entry.side_effects(),
            day=self.entry.day.value(),
            weight_kg=weight if isinstance(weight, int | float) else None,
            clinical=self.entry.clinical(),
        )

    def _show_last_lvef(self, course: StoredCourse) -> None:
        """The LVEF box says whether the last measurement is used today or is due (older than
        the drugs' monitoring interval at this review's date: not read as today's)."""
        last = self._last_lvef
        if last is None:
            return
        reviewed = self.cycle_entry().reviewed_on
        due = review_fields.carried_lvef_age(course, last, reviewed).due
        self.entry.set_last_lvef(last, self.date_format, due=due)

    def update_preview(self) -> None:
        """The engine's suggestion for what is entered now (a few milliseconds: on this thread,
        as the wizard's live liver summary is)."""
        self._timer.stop()
        if self.course is None:
            return
        self.check_dates()  # "Record cycle given" as the form holds it now (a value set, too)
        self.save_draft()
        self._show_visit()
        self.entry.show_times_uln(course_views.times_uln(self._record, self.entry.labs()))
        weight = self.entry.weight.json_value()
        problems: list[Problem] = []
        if weight is not None and not isinstance(weight, int | float):
            problems.append(Problem("body.weight_kg", f"{weight!r} is not a number"))
        try:
            if problems:
                raise InputInvalid(tuple(problems))
            self.preview = courses.preview_cycle(
                self._record, self.cycle_entry(), today=self.today()
            )
        except InputInvalid as exc:
            self.preview = None
            self.entry.show_problems(exc.problems)
            self.show_decision(
                "<p><b>"
                + html.escape(self.tr("No decision yet: fix what is named below."))
                + "</b></p><ul>"
                + "".join(f"<li>{html.escape(self.problem_words(p))}</li>" for p in exc.problems)
                + "</ul>"
            )
            self.confirm_button.setEnabled(False)
            return
        self.entry.show_problems([])
        self._show_last_lvef(self.preview.course)
        self.show_decision(decision_html(self.preview.plan, self.entry.caption))
        next_cycle = read_next_cycle(self.preview.next_cycle)
        self.confirm_button.setEnabled(next_cycle.decision != "insufficient_data")
        signed = self._show_signed()
        # the override rows start from the decision in force: the signed one, else the suggestion
        # (a signed decision has the suggestion's shape, contract §5)
        shown = next_cycle if signed is None else read_next_cycle(signed.decided, "decided")
        for drug in shown.drugs:
            found = self.override_rows.get(drug.drug)
            if found is None:
                continue
            combo, spin = found
            action = drug.action if drug.action in DECIDED_ACTIONS else "hold"
            combo.setCurrentIndex(max(combo.findData(action), 0))
            spin.setValue(float(drug.dose.value if drug.dose is not None else 0))

    def problem_words(self, problem: Problem) -> str:
        """A problem of the entry named as the form names its field ("LVEF (echo or MUGA): 95
        is outside 5–90 %"), a field the form does not show in words, never its path."""
        named = self.entry.caption(problem.path) or field_words(problem.path)
        doubt = "" if problem.severity == "error" else self.tr("doubt: ")
        return f"{doubt}{named}: {problem.message}"

    def show_decision(self, text: str) -> None:
        """Show the suggestion where the nurse was reading it: the pane is filled again at each
        recalculation, and it jumped back to its top with every digit typed (review 19c)."""
        bar = self.decision.verticalScrollBar()
        kept = bar.value()
        self.decision.setHtml(text)
        bar.setValue(min(kept, bar.maximum()))

    def _show_signed(self) -> CourseReview | None:
        """Show the decision signed for this cycle (who, when, what, why), or hide the box."""
        signed = (
            None
            if self.course is None
            else courses.signed_in_force(self._record, self.course.id, self.entry.day.value())
        )
        if signed is None:
            self.signed.hide()
            return None
        reviewed = self.entry.reviewed_on.day()
        replaced = reviewed is not None and replaces_signed(signed, reviewed.isoformat())
        self.signed.setText(
            "<b>"
            + html.escape(
                self.tr("Signed decision for {which}").format(
                    which=courses.day_words(signed.cycle, signed.day)
                )
            )
            + ":</b> "
            + html.escape(courses.signed_summary(signed, self.date_format, self.course))
            + (
                "<br><i>"
                + html.escape(
                    self.tr(
                        "Signing again replaces it: you will be asked first, and it stays in "
                        "the record."
                    )
                )
                + "</i>"
                if replaced
                else ""
            )
        )
        self.signed.show()
        return signed

    # -- signing ---------------------------------------------------------------------------------

    def confirm(self) -> None:
        self._sign(confirmed=True)

    def override(self) -> None:
        self._sign(confirmed=False)

    def _sign(self, *, confirmed: bool) -> None:
        if self.course is None:
            return
        if not self.prescriber.isChecked():
            self.status.setText(
                html.escape(
                    self.tr(
                        "Nothing signed: confirm that the person named in Decided by is the "
                        "prescriber responsible for her cancer treatment (tick the box)."
                    )
                )
            )
            return
        # a count implausible in the unit picked ("3.2" per µL) is asked before signing, as
        # the wizard's Next asks (walk23 HARM 2); "check the unit" (the default) signs nothing
        doubts = [d for row in self.entry.rows.values() if (d := row.unit_doubt())]
        if doubts and not self.ask_units(doubts):
            self.status.setText(
                html.escape(self.tr("Nothing signed: check the unit of ") + "; ".join(doubts))
            )
            return
        drugs = []
        for drug, (combo, spin) in self.override_rows.items():
            value = spin.value() or None
            action = combo.currentData()
            drugs.append(DecidedDrug(drug, action, None if action == "discontinue" else value))
        try:
            entry = self.cycle_entry()
        except InputInvalid as exc:
            self.status.setText(html.escape("; ".join(self.said(p) for p in exc.problems)))
            return
        try:  # today's suggestion for the entry as it stands (not an older preview)
            suggested = courses.preview_cycle(self._record, entry, today=self.today()).next_cycle
        except InputInvalid as exc:
            self.status.setText(html.escape("; ".join(self.said(p) for p in exc.problems)))
            return
        if not confirmed:
            against = courses.label_stops_given(suggested, drugs)
            if against and not self.ask_give_against_label(against):
                self.status.setText(
                    html.escape(self.tr("Nothing signed: the label's rule stands."), quote=False)
                )
                return
        signed = courses.signed_in_force(self._record, self.course.id, entry.day)
        replaces = None
        if signed is not None and replaces_signed(signed, entry.reviewed_on.isoformat()):
            new = self.new_decision_words(suggested, drugs, confirmed=confirmed)
            if not self.ask_replace(signed, new):
                self.status.setText(
                    html.escape(self.tr("Nothing signed: the signed decision stands."))
                )
                return
            replaces = signed.id
        try:
            review_id = courses.decide_cycle(
                self._record,
                entry,
                confirmed=confirmed,
                drugs=drugs,
                reason=self.reason.toPlainText(),
                replaces=replaces,
                decided_by=self.decided_by.text(),
                today=self.today(),
            )
        except InputInvalid as exc:
            self.status.setText(html.escape("; ".join(self.said(p) for p in exc.problems)))
            return
        self.signed_review = review_id
        # signed: the review is no longer being entered
        self._unsaved = False
        self._signed_state = self.entry.state()
        courses.discard_review_draft(self._record, self.mrn)
        kept = self._record.course(self.course.id)
        review = None if kept is None else kept.review(review_id)
        assert review is not None  # just signed, in this record
        self.status.setText(
            self.tr("Signed by {who}: {decision} ({which}).").format(
                who=html.escape(review.signed_by),
                decision=read_next_cycle(review.decided, "decided").drug_by_drug()
                or (DECISION_WORDS if review.day == 1 else DAY_DECISION_WORDS).get(
                    review.decided["decision"], ""
                ),
                which=courses.day_words(review.cycle, review.day),
            )
        )
        self.given_on.setDate(self.entry.reviewed_on.date())
        self.reason.clear()
        self.prescriber.setChecked(False)  # each decision is confirmed by its prescriber
        self.refresh()

    def ask_old_plan(self, words: str) -> bool:
        """Ask before a course starts from a plan older than the clinic's setting."""
        answer = QMessageBox.question(
            self,
            self.tr("Start from an old plan?"),
            words,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def ask_units(self, doubts: Sequence[str]) -> bool:
        """True when the signer keeps each count in the unit picked (tests answer for her)."""
        answer = QMessageBox.warning(
            self,
            self.tr("Check the unit"),
            self.tr("{doubts}\n\nSign with the unit as picked?").format(doubts="\n\n".join(doubts)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def ask_give_against_label(self, rules: Sequence[str]) -> bool:
        """The second confirmation of an override that gives a drug the label's rule holds or
        stops (safety rule 3: a label's "do not give" is a stop, not a warning)."""
        answer = QMessageBox.warning(
            self,
            self.tr("Give against the label's rule?"),
            self.tr(
                "This override gives a drug the label's rule holds or stops:\n\n{rules}\n\n"
                "Sign the override and give it anyway? The reason and the signer are printed on "
                "the cycle sheet."
            ).format(rules="\n\n".join(rules)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def new_decision_words(
        self, suggested: Mapping[str, Any], drugs: Sequence[DecidedDrug], *, confirmed: bool
    ) -> str:
        """The decision about to be signed, drug by drug with its dose (walk 23 #21: "replace
        it with the program's suggestion?" did not say that the suggestion was 75 mg)."""
        assert self.course is not None
        try:
            decided = (
                confirm_suggestion(suggested)
                if confirmed
                else override_suggestion(suggested, self.course, drugs, self.reason.toPlainText())
            )
        except InputInvalid as exc:  # signing says why it cannot stand; the words say so too
            return "; ".join(self.said(p) for p in exc.problems)
        cycle = int(suggested.get("cycle") or 0)
        day = int(suggested.get("day") or 1)
        words = decided_words(decided, doses_for(self.course, cycle, day))
        head = DECISION_WORDS.get(str(decided.get("decision")), str(decided.get("decision")))
        return f"{head} ({courses.day_words(cycle, day)}): " + "; ".join(words)

    def replace_question(self, signed: CourseReview, new: str) -> str:
        return self.tr(
            "{which} already has a signed decision:\n\n{summary}\n\nReplace it with this "
            "decision?\n\n{new}\n\nThe signed decision stays in the record as an earlier "
            "version."
        ).format(
            which=courses.day_words(signed.cycle, signed.day).capitalize(),
            summary=courses.signed_summary(signed, self.date_format, self.course),
            new=new,
        )

    def ask_replace(self, signed: CourseReview, new: str) -> bool:
        """Ask before a signed decision is replaced (the new one is a new version), naming both."""
        answer = QMessageBox.question(
            self,
            self.tr("Replace the signed decision?"),
            self.replace_question(signed, new),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def record_given(self) -> None:
        waiting = self._waiting_review()
        if waiting is None or self.course is None or self._refused_while_entering(waiting):
            return
        try:
            given_on = self.day_of(self.given_on, "cycle.given_on")
            courses.record_cycle_given(
                self._record,
                self.course.id,
                waiting.id,
                given_on,
                early_reason=self.early_reason.text(),
                today=self.today(),
            )
        except InputInvalid as exc:
            self.status.setText(html.escape("; ".join(self.said(p) for p in exc.problems)))
            return
        self.status.setText(
            (
                self.tr("Cycle {cycle} recorded as given on {day}.")
                if waiting.day == 1
                else self.tr("Cycle {cycle}, day {number}: its dose recorded as given on {day}.")
            ).format(cycle=waiting.cycle, number=waiting.day, day=self._day(given_on))
        )
        self.entry.clear_results()
        self.early_reason.clear()
        self.refresh()
        self._default_review_date()

    def record_given_at_delay(self) -> None:
        delay = courses.delay_to_record(self.course)
        if delay is None or self.course is None or self._refused_while_entering(delay):
            return
        try:
            given_on = self.day_of(self.given_on, "cycle.given_on")
            courses.record_given_at_delay(
                self._record, self.course.id, delay.id, given_on, today=self.today()
            )
        except InputInvalid as exc:
            self.status.setText(html.escape("; ".join(self.said(p) for p in exc.problems)))
            return
        self.status.setText(
            html.escape(
                self.tr("Recorded as given on {day} at the delay of cycle {cycle}: {what}.").format(
                    day=self._day(given_on),
                    cycle=delay.cycle,
                    what=self._delay_words(given_at_delay(delay.decided)),
                )
            )
        )
        self.refresh()

    @staticmethod
    def _delay_words(drugs: Sequence[Mapping[str, Any]]) -> str:
        """What a delay gave and held, in words: "fulvestrant 500 mg given; palbociclib
        delayed"."""
        return "; ".join(
            f"{d['drug']} delayed"
            if d.get("delayed")
            else f"{d['drug']} {dose_words(d['dose']['value'], d['dose']['unit'])} given"
            for d in drugs
        )

    def _default_review_date(self) -> None:
        """The review and the cycle given default to today, whatever the due date: the nurse
        reviews the labs drawn today (a cycle due next week is reviewed today, its labs dated
        today; a late patient is seen today), and a cycle is recorded on the day it is given —
        never on a future date the form filled in (the record refuses it)."""
        if self.course is None:
            return
        day = self.today()
        self.entry.reviewed_on.setDate(qdate(day))
        self.given_on.setDate(qdate(day))
        self._default_visit()

    def stop_course(self) -> None:
        if self.course is None:
            return
        try:
            courses.stop_course(
                self._record,
                self.course.id,
                stopped_on=self.day_of(self.entry.reviewed_on, "review.reviewed_on"),
                reason=self.stop_reason.text(),
            )
        except InputInvalid as exc:
            self.status.setText(html.escape("; ".join(self.said(p) for p in exc.problems)))
            return
        self.status.setText(self.tr("The course was stopped."))
        self.refresh()

    def start_course(self) -> None:
        plan_id = getattr(self, "_offer_plan", None)
        if plan_id is None:
            return
        try:
            old = course_views.old_plan_warning(
                self._record, plan_id, started_on=self.day_of(self.started_on, "course.started_on")
            )
        except InputInvalid as exc:
            self.status.setText(html.escape("; ".join(self.said(p) for p in exc.problems)))
            return
        if old is not None and not self.ask_old_plan(old):
            self.status.setText(html.escape(self.tr("Not started: make a new assessment first.")))
            return
        try:
            courses.start_course(
                self._record,
                plan_id,
                cycle_days=self.cycle_days.value() or None,
                started_on=self.day_of(self.started_on, "course.started_on"),
                today=self.today(),
            )
        except InputInvalid as exc:
            self.status.setText(html.escape("; ".join(self.said(p) for p in exc.problems)))
            return
        self.status.setText(self.tr("The course has started; cycle 1 is recorded as given."))
        self.refresh()
        self._default_review_date()

    # -- the cycle sheet ---------------------------------------------------------------------------

    def sheet_review(self) -> int | None:
        """The review the sheet prints: the one signed in this window, else the latest."""
        if self.signed_review is not None:
            return self.signed_review
        if self.course and self.course.reviews:
            return self.course.reviews[-1].id
        return None

    def save_sheet(self) -> None:
        review = self.sheet_review()
        if review is None or self.course is None:
            return
        source = cycle_sheets.cycle_sheet_source(self._record, self.course.id, review)
        name = cycle_sheets.cycle_sheet_file_name(source)
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save cycle sheet"), str(Path.home() / name), "PDF (*.pdf)"
        )
        if path:
            self.save_sheet_to(Path(path), source)

    def save_sheet_to(self, path: Path, source: CycleSheetSource | None = None) -> None:
        """Render the sheet off the GUI thread, then write it to `path` (`sheet_done`)."""
        review = self.sheet_review()
        if source is None:
            if review is None or self.course is None:
                return
            source = cycle_sheets.cycle_sheet_source(self._record, self.course.id, review)
        self._sheet_path = path
        self.sheet = None
        BackgroundOp(
            self,
            lambda: cycle_sheets.print_cycle_sheet(source),
            label=self.tr("Making the cycle sheet…"),
        ).success(self._sheet_made).failure(self._sheet_failed).run()

    def _sheet_made(self, pdf: bytes) -> None:
        self.sheet = pdf
        if self._sheet_path is not None:
            try:
                self._sheet_path.write_bytes(pdf)
            except OSError as exc:
                self.status.setText(html.escape(f"{self._sheet_path}: {exc.strerror or exc}"))
                self.sheet_done.emit()
                return
            self.status.setText(
                self.tr("Cycle sheet saved: {path}").format(path=html.escape(str(self._sheet_path)))
            )
        self.sheet_done.emit()

    def _sheet_failed(self, exc: Exception) -> None:
        self.sheet = None
        self.status.setText(
            html.escape(self.tr("The cycle sheet could not be made: {exc}").format(exc=exc))
        )
        self.sheet_done.emit()
