"""The main window: find a patient in a second, open their record, start or resume an assessment.

Why one module: it is the one QMainWindow class: the search box, the patient list, the kept-plan
table, the menus and their shortcuts all act on the same window state (the selected patient, the
open record). What could leave has left: the heavy screens are their own modules, imported when
first opened, and import, backup and restore live in record_files.py behind its RecordHost
protocol.

Heavy parts (the wizard, the record view with its charts, the plan view with its PDF preview,
the settings dialog) are imported only when first opened, so start-up stays quick.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtGui import QAction, QKeySequence, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner import APP_NAME
from planner.domain.stored import Draft
from planner.services.patient_record import PatientRecord, RecordUnavailable
from planner.ui.geometry import MinimumFill, fit_main_window
from planner.ui.mnemonics import AltKeysNeverType
from planner.ui.patient_model import KEYS, PatientTableModel
from planner.ui.quitting import close_everything, quit_application

if TYPE_CHECKING:
    from planner.ui.worklist_view import WorklistView

# Start-up never touches PySide6's `Qt` namespace (building its enums costs ~30 ms): the recent
# list keeps its MRNs in Python by row (no item data role), labels are centred by style sheet, the
# splitter is horizontal by default, and the list's header reads its titles from a small C++ model
# (a Python headerData() would be handed a Qt.Orientation, which builds the namespace). Later
# screens use `Qt` freely.
KEY_PRESS = 6  # QEvent.Type.KeyPress
RESIZE = 14  # QEvent.Type.Resize
FOCUS_IN = 8  # QEvent.Type.FocusIn
KEY_DOWN, KEY_PAGE_DOWN = 0x01000015, 0x01000017  # Qt.Key.Key_Down, Qt.Key.Key_PageDown
CENTRED = "qproperty-alignment: AlignCenter;"
APPLICATION_SHORTCUT = 2  # Qt.ShortcutContext.ApplicationShortcut


def _set_shortcut(action: QAction, keys: Any) -> None:
    """action.setShortcut(keys), set as a property: the method's overloads (Qt.Key among them)
    would build the `Qt` namespace."""
    action.setProperty("shortcut", QKeySequence(keys))


def _action(text: str, parent: QObject) -> QAction:
    """QAction(text, parent), made as QAction(parent) with its text set: the (text, parent)
    overload is weighed against (icon, text, parent), and a str may become a QIcon (a file
    name), so PySide6 would set up QIcon's type and its 150-name ThemeIcon enum (~4 ms of
    start-up, docs/decisions.md "Speed targets")."""
    action = QAction(parent)
    action.setText(text)
    return action


SEARCH_DELAY_MS = 150
#: the list's columns that give way last: alert, MRN, family name, given name
KEPT_COLUMNS = 4


#: the list's optional columns in the order they give way: the birth date first (the record
#: beside the list heads with it), then the last assessment's date, the next review; the count
#: of assessments last (at 125 % on 1366 × 768 it was gone while the birth date stayed,
#: issue 16, review 16c)
HIDDEN_FIRST = tuple(
    KEYS.index(key) for key in ("birth_date", "last_assessed_on", "review_due_on", "assessments")
)


def shrunk_to(
    widths: list[int], room: int, floor: int, kept: int, hidden_first: Sequence[int] = ()
) -> list[int]:
    """Column widths that fit `room` (0: the column is hidden). Unchanged when they fit; else
    the columns after the first `kept` (dates and counts, which say nothing cut short: "05/0…")
    are hidden one by one, in the order `hidden_first` (else from the right); only then do the
    first `kept` shrink in proportion, down to `floor`, their text elided."""
    out = list(widths)
    optional = [i for i in hidden_first if kept <= i < len(out)]
    optional += [i for i in reversed(range(kept, len(out))) if i not in optional]
    for i in optional:
        if sum(out) <= room:
            return out
        out[i] = 0
    excess = sum(out) - room
    give = sum(max(0, w - floor) for w in out[:kept])
    if excess > 0 and give > 0:
        share = min(1.0, excess / give)
        for i in range(min(kept, len(out))):
            out[i] -= int(max(0, out[i] - floor) * share + 0.999)
    return out


NO_RECORD_HINT = "Select a patient and press Enter to open their record."
RECENT_LIMIT = 8
#: parts of the last assessment carried into a new one (labs and symptoms are asked afresh)
CARRIED_OVER = ("patient", "biology", "disease", "preferences")
#: what she takes and is allergic to: carried too, shown for the nurse to confirm line by line
CARRIED_TO_CONFIRM = ("medications", "allergies", "herbal_or_traditional")
CARRIED_CLINICAL = ("lvef_percent", "dpyd", "ugt1a1", "diabetes", "neuropathy_grade")


def next_assessment_start(last: dict[str, Any]) -> dict[str, Any]:
    """A new assessment starts from what rarely changes; the last labs become 'earlier'."""
    carried = (*CARRIED_OVER, *CARRIED_TO_CONFIRM)
    start: dict[str, Any] = {k: last[k] for k in carried if last.get(k) is not None}
    body = last.get("body") or {}
    if body.get("height_cm") is not None:
        start["body"] = {"height_cm": body["height_cm"]}
    clinical = last.get("clinical") or {}
    kept = {k: clinical[k] for k in CARRIED_CLINICAL if clinical.get(k) is not None}
    if kept:
        start["clinical"] = kept
    labs = last.get("labs") or {}
    if labs.get("bilirubin"):
        start["previous_labs"] = [{"drawn_on": labs["drawn_on"], "bilirubin": labs["bilirubin"]}]
    return start


class MainWindow(QMainWindow):
    def __init__(
        self, record: PatientRecord, settings: QSettings | None = None, *, fill: bool = True
    ) -> None:
        """The main window on `record`. With `fill=False` the list, Today's work and the
        banners are left to the caller's `refresh()` (the program calls it on the first turn
        after show(), before the first paint, planner/ui/app.py); until then they say nothing,
        rather than "no patients"."""
        super().__init__()
        #: the window was left since Today's work was read (re-read when it is active again)
        self._day_may_have_changed = False
        self._record = record
        self._settings = settings or QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, APP_NAME, "desktop"
        )
        self.wizard: Any = None
        self.record_view: Any = None
        self.import_result: QDialog | None = None  # the last import's summary dialog
        self.setWindowTitle(self.tr("Supportive-care planner"))
        #: shown maximised by the program (planner/ui/app.py) on a small screen
        self.opens_maximised = fit_main_window(self, 1280, 800)
        self._build_actions()

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Find a patient by name or MRN  (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Find a patient by name or MRN"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._open_first_hit)
        # An Alt+letter that is no shortcut here is not text to search for (issue 16: Alt+A
        # typed an "a" into Find when no "New assessment" button was in view).
        self.search.installEventFilter(AltKeysNeverType(self.search))
        self.search.installEventFilter(self)  # Down moves into the results (eventFilter)

        self.drafts_bar = QWidget()
        bar = QHBoxLayout(self.drafts_bar)
        bar.setContentsMargins(6, 4, 6, 4)
        self.drafts_label = QLabel()
        self.drafts_label.setWordWrap(True)
        self.resume_button = QPushButton(self.tr("&Resume…"))
        self.resume_button.setAccessibleName(self.tr("Resume an unfinished assessment"))
        self.resume_button.clicked.connect(self.resume_drafts)
        bar.addWidget(self.drafts_label, 1)
        bar.addWidget(self.resume_button)
        self.drafts_bar.setStyleSheet("background: #fff4d6; color: #3d2e00;")

        self.pages = QStackedWidget()
        self._empty_page: QWidget | None = None  # made when first shown: `empty_page`
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Patients"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self._column_widths: list[int] = []  # each column's width for its typical contents
        # the list's columns shrink with it (their text elided) so a record fits beside it.
        # Watched on the header, which the view keeps as wide as its viewport (scroll bar shown
        # or not): the first call of `viewport()` from Python has PySide6 look up what kind of
        # widget it returns, which loads every QWidget subclass it knows and ~50 of their enums
        # (wizard, file dialog, dock widget ...): about 20 ms of start-up (docs/decisions.md).
        self.table.horizontalHeader().installEventFilter(self)
        self.table.installEventFilter(self)  # focus in the list: her choice is made there
        self.table.activated.connect(lambda index: self.open_patient(self.mrn_at(index.row())))
        self.pages.addWidget(self.table)
        self._all_patients: PatientTableModel | None = None
        self._titles: QStandardItemModel | None = None
        self.search_results = PatientTableModel.of_rows([])
        self._alert_mrns: frozenset[str] = frozenset()

        self.recent = QListWidget()
        self.recent.setAccessibleName(self.tr("Recent patients"))
        self.recent.setMaximumHeight(self.fontMetrics().lineSpacing() * 6 + 12)
        self._recent_shown: list[str] = []  # the MRN of each row of `recent`, in order
        self.recent.itemActivated.connect(
            lambda item: self.open_recent(self._recent_shown[self.recent.row(item)])
        )
        self.recent_empty = QLabel(self.tr("No recent patients yet"))
        self.recent_empty.setAccessibleName(self.tr("No recent patients yet"))
        self.recent_empty.setStyleSheet("color: palette(placeholder-text); padding: 4px;")
        recent_label = QLabel(self.tr("Re&cent patients"))
        recent_label.setBuddy(self.recent)

        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(6, 6, 6, 6)
        find_label = QLabel(self.tr("F&ind"))
        find_label.setBuddy(self.search)
        column.addWidget(find_label)
        column.addWidget(self.search)
        column.addWidget(self.pages, 1)
        column.addWidget(recent_label)
        column.addWidget(self.recent)
        column.addWidget(self.recent_empty)

        self.detail = QStackedWidget()
        self.detail.addWidget(self._build_hint_page())

        # The list gives way to the record: its columns shrink (elided) down to a minimum that
        # keeps the MRN and name readable, so the record pane is never cut off at its right edge
        # (1366 × 768 at 125 %, nurse16 walk: the list kept ~1000 px and the record scrolled).
        detail_pane = QScrollArea()
        detail_pane.setWidgetResizable(True)
        detail_pane.setFrameShape(QFrame.Shape.NoFrame)
        detail_pane.setWidget(MinimumFill(self.detail))  # scrolls only below its minimum (F6)
        detail_pane.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 16)
        self.split = split = QSplitter()  # horizontal
        split.addWidget(left)
        split.addWidget(detail_pane)
        split.setChildrenCollapsible(False)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        line = self.fontMetrics().horizontalAdvance("M")
        split.setSizes([line * 45, line * 55])  # the record gets the larger share
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.drafts_bar)
        outer.addWidget(split, 1)
        self.setCentralWidget(central)
        self.setTabOrder(self.search, self.table)
        self.setTabOrder(self.table, self.recent)
        self.table.horizontalHeader().sectionClicked.connect(self.sort_list)
        self._order = "name"

        self.record_label = QLabel()
        self.statusBar().addPermanentWidget(self.record_label)
        if fill:
            self.refresh()
        else:  # blank until refresh(): not the empty record's page, nor "no recent patients"
            self.pages.setCurrentWidget(self.table)
            for waiting in (self.recent, self.recent_empty, self.drafts_bar):
                waiting.hide()

    # -- building ---------------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.new_patient_action = _action(self.tr("&New patient…"), self)
        _set_shortcut(self.new_patient_action, QKeySequence.StandardKey.New)
        self.new_patient_action.triggered.connect(self.new_patient)
        self.assess_action = _action(self.tr("New &assessment of the selected patient"), self)
        _set_shortcut(self.assess_action, "Ctrl+Shift+A")
        self.assess_action.triggered.connect(self.assess_patient_in_view)
        self.assess_new_action = _action(self.tr("Assess a patient not &yet in the record…"), self)
        self.assess_new_action.triggered.connect(lambda: self.start_assessment(None))
        self.resume_action = _action(self.tr("&Resume an unfinished assessment…"), self)
        self.resume_action.triggered.connect(self.resume_drafts)
        self.course_action = _action(self.tr("Treatment c&ourse of the selected patient…"), self)
        _set_shortcut(self.course_action, "Ctrl+Shift+T")
        self.course_action.triggered.connect(lambda: self.open_course(self.patient_in_view()))
        # The paper form (issue 20 item 5): planner.ui.paper_form_actions, loaded when used.
        self.paper_form_action = _action(
            self.tr("Sa&ve assessment form as PDF… (blank / pre-filled)"), self
        )
        self.paper_form_action.triggered.connect(self._save_paper_form)
        self.paper_form_print_action = _action(
            self.tr("&Print assessment form… (blank / pre-filled)"), self
        )
        _set_shortcut(self.paper_form_print_action, "Ctrl+Shift+P")
        self.paper_form_print_action.triggered.connect(self._print_paper_form)
        self.settings_action = _action(self.tr("Clinic &settings…"), self)
        self.settings_action.triggered.connect(self.edit_settings)
        # Import, backup and restore live in planner.ui.record_files (loaded when first used).
        self.import_action = _action(self.tr("&Import case files…"), self)
        _set_shortcut(self.import_action, "Ctrl+I")
        self.import_action.triggered.connect(lambda: self._record_files().import_case_files(self))
        self.backup_action = _action(self.tr("&Back up record…"), self)
        self.backup_action.triggered.connect(lambda: self._record_files().back_up(self))
        self.restore_action = _action(self.tr("Res&tore from backup…"), self)
        self.restore_action.triggered.connect(lambda: self._record_files().restore(self))
        self.worklist_action = _action(self.tr("Today's wor&k"), self)
        _set_shortcut(self.worklist_action, "Ctrl+T")
        self.worklist_action.triggered.connect(self.show_worklist)
        self.find_action = _action(self.tr("&Find a patient"), self)
        _set_shortcut(self.find_action, QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self._find_patient)
        quit_action = _action(self.tr("&Quit"), self)
        # Ctrl+Q wherever the nurse is (the wizard, the plan window), and on a platform whose
        # theme binds no Quit key (Xvfb with no desktop: the nurse16 walk's Ctrl+Q did nothing)
        quit_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
        _set_shortcut(quit_action, quit_keys[0] if quit_keys else "Ctrl+Q")
        quit_action.setProperty("shortcutContext", APPLICATION_SHORTCUT)
        quit_action.triggered.connect(quit_application)
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        for action in (
            self.new_patient_action,
            self.assess_action,
            self.assess_new_action,
            self.resume_action,
            self.course_action,
            self.paper_form_print_action,
            self.paper_form_action,
        ):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        edit_menu.addAction(self.find_action)
        edit_menu.addAction(self.worklist_action)
        # Correcting the record (issue 20 item 3): planner.ui.correction_actions, loaded when used.
        self.open_assessment_action = _action(
            self.tr("&Open the selected assessment (read-only, amend)…"), self
        )
        self.open_assessment_action.triggered.connect(
            lambda: self._corrections().open_selected_assessment(self)
        )
        self.review_record_action = _action(
            self.tr("&Review duplicates and retired patients…"), self
        )
        self.review_record_action.triggered.connect(lambda: self._corrections().review_record(self))
        self.retire_action = _action(self.tr("Re&tire the selected patient…"), self)
        self.retire_action.triggered.connect(lambda: self._corrections().retire_selected(self))
        edit_menu.addSeparator()
        for action in (self.open_assessment_action, self.review_record_action, self.retire_action):
            edit_menu.addAction(action)

    def _print_paper_form(self) -> None:
        from planner.ui import paper_form_actions

        paper_form_actions.print_assessment_form(self, self.patient_in_view())

    def _save_paper_form(self) -> None:
        from planner.ui import paper_form_actions

        paper_form_actions.save_assessment_form(self, self.patient_in_view())

    @staticmethod
    def _corrections() -> Any:
        from planner.ui import correction_actions

        return correction_actions

    @staticmethod
    def _record_files() -> Any:
        from planner.ui import record_files

        return record_files

    @property
    def record(self) -> PatientRecord:
        return self._record

    # The window as record_files.RecordHost (import, backup, restore) ------------------------

    def dialog_parent(self) -> QWidget:
        return self

    def show_status(self, message: str, timeout_ms: int = 0) -> None:
        self.statusBar().showMessage(message, timeout_ms)

    def keep_import_result(self, dialog: QDialog) -> None:
        self.import_result = dialog

    def close_record(self) -> None:
        """Let go of the record (a restore replaces the file): the assessment and the patient's
        record view close, and the window waits, disabled, for `reopen_record`."""
        if self.wizard is not None and self.wizard.isVisible():
            self.wizard.reject()  # keeps the draft
        self.wizard = None
        if self.record_view is not None:
            self.detail.removeWidget(self.record_view)
            self.record_view.deleteLater()
            self.record_view = None
        self._show_hint(self.tr(NO_RECORD_HINT))
        self._search_timer.stop()
        self._central().setEnabled(False)
        self.menuBar().setEnabled(False)
        self._record.close()

    def _central(self) -> QWidget:
        central = self.centralWidget()
        assert central is not None  # set in __init__, never taken away
        return central

    def _find_patient(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def reopen_record(self) -> None:
        path, who = self._record.path, self._record.who
        try:
            self._record = PatientRecord(path, who=who)
        except RecordUnavailable as exc:
            self.show_error(self.tr("Cannot open the record"), str(exc))
            return
        self._central().setEnabled(True)
        self.menuBar().setEnabled(True)
        self._all_patients = None
        self.table.setModel(None)
        self.worklist_view.set_record(self._record)
        self.refresh()

    def _build_hint_page(self) -> QWidget:
        """What the right pane shows when no record is open (or the list shows no one): what to
        do next, and the selected patient's new assessment on Alt+A (issue 16: Alt+A typed an
        "a" into Find). Only one of this page and the record view is ever visible, so their
        "New &assessment" buttons never share the letter."""
        self.detail_page = page = QWidget()
        self._detail_layout = layout = QVBoxLayout(page)
        # Today's work heads this page (`worklist_view`, made when first used: by the fill
        # just before the first paint, planner/ui/app.py)
        self._worklist: WorklistView | None = None
        self.detail_hint = QLabel(self.tr(NO_RECORD_HINT))
        self.detail_hint.setStyleSheet(CENTRED)
        self.detail_hint.setWordWrap(True)
        self.detail_hint.setAccessibleName(self.tr("About the record pane"))
        layout.addWidget(self.detail_hint)
        self.hint_assess_button = QPushButton(self.tr("New &assessment of the selected patient"))
        self.hint_assess_button.setAccessibleName(self.tr("New assessment of the selected patient"))
        self.hint_assess_button.clicked.connect(lambda: self.start_assessment(self.hint_patient()))
        centre = QHBoxLayout()
        centre.addStretch(1)
        centre.addWidget(self.hint_assess_button)
        centre.addStretch(1)
        layout.addLayout(centre)
        return page

    @property
    def worklist_view(self) -> WorklistView:
        """Today's work (issue 20), heading the page the window opens on: reviews due,
        unacknowledged critical alerts, unfinished assessments. Made on first use, which is the
        fill (`refresh`) on the first turn after show(), before the first paint."""
        if self._worklist is None:
            from planner.ui.worklist_view import WorklistView

            self._worklist = view = WorklistView(self._record)
            view.open_requested.connect(self.open_patient)
            view.resume_requested.connect(self._resume_draft)
            view.choice_changed.connect(self._name_hint_patient)
            # first on the page, all the height the hint below leaves (F5)
            self._detail_layout.insertWidget(0, view, 1)
            # shown now: a widget laid into a window already shown is shown one turn later by
            # its layout, so the window's first paint (the fill comes just before it) was the
            # list without Today's work, and Today's work came with a second paint
            view.show()
            self.setTabOrder(self.recent, view.due)
        return self._worklist

    def assess_patient_in_view(self) -> None:
        """New assessment of the patient shown or selected; with none, say how to choose one —
        never a blank wizard that looks like hers (recheck20: with nobody selected the action
        opened an empty new-patient wizard)."""
        mrn = self.patient_in_view()
        if mrn is None:
            self.show_status(
                self.tr(
                    "Select a patient in the list first (a patient not yet in the record: "
                    "File > New patient…)."
                ),
                10000,
            )
            return
        self.start_assessment(mrn)

    def _selection_changed(self) -> None:
        # she chose in the Find list: that is the selected patient now, not Today's work's row
        self.worklist_view.forget_choice()
        self._name_hint_patient()

    def hint_patient(self) -> str | None:
        """The patient "New assessment" under Today's work is for: the one she was on last, in
        Today's work (reviews due, alerts) or in the Find list, whichever she chose in last
        (walk 21 H3: it took the Find list's Смирнова Светлана while Смирнова Елена was
        highlighted in Today's work, right above the button)."""
        chosen = self.worklist_view.chosen_patient()
        return chosen[0] if chosen is not None else self.selected_mrn()

    def _hint_name(self) -> str | None:
        chosen = self.worklist_view.chosen_patient()
        if chosen is not None:
            return f"{chosen[1]} — {chosen[0]}" if chosen[1] else chosen[0]
        model = self.table.selectionModel()
        if self.selected_mrn() is None or model is None:
            return None
        row = cast(PatientTableModel, self.table.model()).row_at(model.selectedRows()[0].row())
        name = ", ".join(p for p in (row.family_name, row.given_name) if p)
        return f"{name} — {row.mrn}"

    def _name_hint_patient(self) -> None:
        """The button names whom it acts on: "New assessment of Смирнова, Елена — MSK-0-000066"."""
        who = self._hint_name()
        button = self.hint_assess_button
        button.setEnabled(who is not None)
        if who is None:
            button.setText(self.tr("New &assessment of the selected patient"))
            button.setAccessibleName(self.tr("New assessment of the selected patient"))
            return
        button.setText(self.tr("New &assessment of {who}").format(who=who.replace("&", "&&")))
        button.setAccessibleName(self.tr("New assessment of {who}").format(who=who))

    def _show_hint(self, text: str) -> None:
        """The right pane without a record: `text` says why, and what to do."""
        self.detail_hint.setText(text)
        self._name_hint_patient()
        self.detail.setCurrentWidget(self.detail_page)

    @property
    def empty_page(self) -> QWidget:
        """The list's page for a record with no patients yet (a large "New patient" button),
        made the first time it is wanted: a record with patients never shows it, and its
        labels' style sheets were the first screen's dearest (docs/decisions.md, "Speed
        targets")."""
        if self._empty_page is None:
            self._empty_page = self._build_empty_page()
            self.pages.insertWidget(0, self._empty_page)
            # Tab reaches its button where it did when the page was made with the window: after
            # the list, the recent patients and Today's first list (`worklist_view`)
            after = self.recent if self._worklist is None else self._worklist.due
            QWidget.setTabOrder(after, self.empty_new_button)
        return self._empty_page

    def _build_empty_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        title = QLabel(self.tr("This record has no patients yet."))
        title.setWordWrap(True)
        title.setStyleSheet("font-size: 16pt; " + CENTRED)
        hint = QLabel(
            self.tr(
                "Add a patient to start an assessment. The program suggests; the clinician decides."
            )
        )
        hint.setStyleSheet(CENTRED)
        hint.setWordWrap(True)
        self.empty_new_button = QPushButton(self.tr("New patient"))
        self.empty_new_button.setAccessibleName(self.tr("New patient"))
        self.empty_new_button.setMinimumSize(200, 44)
        self.empty_new_button.setStyleSheet("font-size: 12pt;")
        self.empty_new_button.setDefault(True)
        self.empty_new_button.clicked.connect(self.new_patient)
        layout.addWidget(title)
        layout.addWidget(hint)
        centre = QHBoxLayout()
        centre.addStretch(1)
        centre.addWidget(self.empty_new_button)
        centre.addStretch(1)
        layout.addLayout(centre)
        return page

    # -- the list ---------------------------------------------------------------------------

    def refresh(self) -> None:
        total = self._record.patient_count()
        date_format = self._record.date_format()
        self.search_results.set_date_format(date_format)
        if total == 0:
            self.pages.setCurrentWidget(self.empty_page)
        else:
            self._all_patients = PatientTableModel(self._page_fetcher(), total, date_format)
            self.pages.setCurrentWidget(self.table)
            self._set_alerts(self._record.patients_with_open_alerts())
            self.apply_search()
        count = self.tr("1 patient") if total == 1 else self.tr("{n} patients").format(n=total)
        self.record_label.setText(
            self.tr("Record: {path} — {count}").format(path=self._record.path, count=count)
        )
        self.refresh_recent()
        self.refresh_drafts()
        self.worklist_view.refresh()
        self._follow_corrections()
        view = self.record_view
        shown = view.mrn if view is not None else None
        if shown and self.detail.currentWidget() is view:
            # the list keeps showing whose record is open; a record closed earlier is not
            # brought back into Find (walk 21 H3: discarding a draft put another patient's MRN
            # into Find and selected her)
            self._select(str(shown))

    def _follow_corrections(self) -> None:
        """The record shown beside the list is of a patient still listed: one merged since shows
        the record that holds hers, one retired since is no longer shown (walk 20 F6: after a
        merge the merged-away patient stayed open, and New assessment there led to a page that
        could not be finished and left a draft behind)."""
        view = self.record_view
        if view is None:
            return
        on_screen = self.detail.currentWidget() is self.record_view
        shown = view.mrn
        if not on_screen or not shown or self._listed(shown) is not None:
            return
        survivor = self._corrections().surviving_mrn(self, shown)
        if survivor is not None and self._listed(survivor) is not None:
            self.open_patient(survivor)
            self.show_status(
                self.tr("{mrn} was merged into {survivor}: her record is shown here.").format(
                    mrn=shown, survivor=survivor
                ),
                15000,
            )
        else:
            self._show_hint(self.tr(NO_RECORD_HINT))

    def _page_fetcher(self) -> Any:
        order, record = self._order, self._record
        return lambda limit, offset: record.patients_page(limit, offset, order)

    def sort_list(self, section: int) -> None:
        """A click on Family name, Given name, Last assessed or Next review orders the whole
        list that way (read page by page through the record's indexes, not sorted here)."""
        from PySide6.QtCore import Qt

        from planner.ui.patient_model import ORDER_OF_COLUMN

        order = ORDER_OF_COLUMN.get(section)
        if order is None or self._all_patients is None:
            return
        self._order = order
        header = self.table.horizontalHeader()
        header.setSortIndicatorShown(True)
        descending = order == "last_assessed"  # the most recently assessed first
        header.setSortIndicator(
            section, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        )
        self.statusBar().showMessage(
            {
                "name": self.tr("Patients by name."),
                "last_assessed": self.tr("Patients by last assessment, the most recent first."),
                "review_due": self.tr("Patients by next review, the earliest first."),
            }[order],
            5000,
        )
        self.table.setModel(None)
        self.refresh()

    def show_worklist(self) -> None:
        """Today's work in the right pane (Ctrl+T), its first list focused."""
        self.worklist_view.refresh()
        self._show_hint(self.tr(NO_RECORD_HINT))
        self.worklist_view.due.setFocus()

    def _resume_draft(self, draft_id: int) -> None:
        for draft in self._record.drafts():
            if draft.id == draft_id:
                self.open_wizard(
                    draft.content,
                    draft_id=draft_id,
                    page=draft.wizard_page,
                    confirm=draft.unconfirmed,
                )
                return

    def changeEvent(self, event: QEvent) -> None:
        # Back from the plan window, the Decide dialog, a course or another program: what is
        # due today may have changed there (walk 16d: a same-day suicide-risk review showed in
        # Today's work only after a restart). The day's lists are re-read, not the whole list.
        super().changeEvent(event)
        if event.type() != QEvent.Type.ActivationChange:
            return
        if not self.isActiveWindow():
            self._day_may_have_changed = True
        elif self._day_may_have_changed:  # not at start-up's first activation
            self._day_may_have_changed = False
            self.refresh_day()

    def refresh_day(self) -> None:
        """Today's work, the unfinished-assessment banner and the alert flags, as stored now."""
        self.worklist_view.refresh()
        self.refresh_drafts()
        self._set_alerts(self._record.patients_with_open_alerts())

    def _set_alerts(self, mrns: frozenset[str]) -> None:
        """Flag the patients with an unacknowledged critical alert in the list."""
        self._alert_mrns = frozenset(mrns)
        for model in (self._all_patients, self.search_results):
            if model is not None:
                model.set_alerts(self._alert_mrns)

    def _alerts_shown(self, mrn: str, open_alerts: bool) -> None:
        """The record view showed `mrn`'s banner (a plan made, an alert acknowledged): the
        list's flag follows it."""
        flagged = self._alert_mrns | {mrn} if open_alerts else self._alert_mrns - {mrn}
        self._set_alerts(frozenset(flagged))

    def apply_search(self) -> None:
        """Filter the list as the nurse types (name words or MRN, via the record's search).
        The right pane never shows a patient the list does not: with no match it says so
        (issue 16: the previous patient stayed in view)."""
        text = self.search.text().strip()
        if self._all_patients is None:
            return
        merged_note = ""
        if text:
            self.search_results.set_rows(self._record.search(text, 200))
            model = self.search_results
            if not model.rowCount():
                merged_note = self._merged_away(text)
        else:
            model = self._all_patients
        view = self.record_view
        open_mrn = view.mrn if view is not None else None
        shown = open_mrn if view is not None and self.detail.currentWidget() is view else None
        if self.table.model() is not model:
            self.table.setModel(model)
            self.table.horizontalHeader().setModel(self._header_titles(model))
            self._size_columns(model.columnCount())
            self.table.selectionModel().selectionChanged.connect(self._selection_changed)
            if shown and not text:
                # back to the whole list: the row selected is hers, or none — never another
                # patient's (re-check: clearing the search left Abdullayeva selected beside
                # Verma's open record, and Ctrl+Shift+A assessed Abdullayeva)
                self._select(shown)
        # The first match of a search is selected (she typed to find her); the whole list is
        # not: at start-up row 0 was selected, and "New assessment of the selected patient"
        # opened Abdullayeva, whom nobody chose (walk 20 F1, a wrong-patient risk)
        has_selection = self.table.selectionModel().hasSelection()
        if text and model.rowCount() and not has_selection and not shown:
            self.table.selectRow(0)
        if not model.rowCount():
            self._show_hint(self.tr("No patient matches “{text}”.").format(text=text))
        elif merged_note:
            self._show_hint(merged_note)
        elif self.detail.currentWidget() is self.detail_page:
            self._show_hint(self.tr(NO_RECORD_HINT))
        elif text and self.record_view is not None:
            shown = self.record_view.mrn
            if not any(model.mrn_at(row) == shown for row in range(model.rowCount())):
                self._show_hint(self.tr(NO_RECORD_HINT))

    def _merged_away(self, text: str) -> str:
        """An MRN that finds no one but was merged into another patient: her survivor is put in
        the results, and the words say so (walk 21 F17: a lab report with the old MRN said "No
        patient matches"). "" for anything else."""
        for mrn in dict.fromkeys((text, text.upper())):
            survivor = self._corrections().surviving_mrn(self, mrn)
            if survivor is not None:
                self.search_results.set_rows(
                    [hit for hit in self._record.search(survivor, 5) if hit.mrn == survivor]
                )
                return self.tr(
                    "{mrn} was merged into {survivor}: her record is listed under {survivor}."
                ).format(mrn=mrn, survivor=survivor)
        return ""

    def eventFilter(self, watched: Any, event: Any) -> bool:
        """Down (or Page Down) in the search box moves into the results, on the first row; the
        list's own keys then move through them and Enter opens the record."""
        if watched is self.table.horizontalHeader() and event.type() == RESIZE:
            self._fit_columns()
            return False
        if watched is self.table and event.type() == FOCUS_IN:
            self._selection_changed()  # back in the Find list: its selection is hers again
            return False
        if (
            watched is self.search
            and event.type() == KEY_PRESS
            and event.key() in (KEY_DOWN, KEY_PAGE_DOWN)
            and self.table.model() is not None
            and self.table.model().rowCount()
            and self.pages.currentWidget() is self.table
        ):
            self._search_timer.stop()
            self.apply_search()  # the results of what is typed now, not 150 ms ago
            self.table.setFocus()
            self.table.selectRow(0)
            return True
        return super().eventFilter(watched, event)

    def _header_titles(self, model: PatientTableModel) -> QStandardItemModel:
        """The list's column titles as a C++ model for its header (see the note at the top)."""
        if self._titles is None:
            self._titles = QStandardItemModel(0, model.columnCount(), self)
            self._titles.setHorizontalHeaderLabels(list(model.header_titles()))
        return self._titles

    def _size_columns(self, count: int) -> None:
        """Widths from typical contents, set once: measuring the rows (ResizeToContents) costs
        start-up time and makes columns jump as the list scrolls. The user can still drag them."""
        cells = self.table.fontMetrics()
        samples = (
            "⚠ CRITICAL",
            "TAS-0-000000",
            "Abdullayeva",
            "Shahnoza",
            "00.00.0000",
            "000",
            "00.00.0000",
            "OVERDUE since 00.00.0000",
        )
        header = self.table.horizontalHeader()
        titles = header.fontMetrics()  # bold
        model = cast(PatientTableModel, self.table.model())
        self._column_widths = []
        for column in range(count):
            title = str(model.header_title(column))
            sample = samples[column] if column < len(samples) else title
            width = max(cells.horizontalAdvance(sample), titles.horizontalAdvance(title))
            self._column_widths.append(width + cells.horizontalAdvance("M"))
        header.setStretchLastSection(True)
        # At its narrowest the list still shows the alert, MRN and family name in full.
        frame = 2 * self.table.frameWidth()
        scroll_bar = self.table.verticalScrollBar().sizeHint().width()
        self.table.setMinimumWidth(sum(self._column_widths[:3]) + frame + scroll_bar)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Each column at its typical width when the list has room. When it has not, the
        dates and counts are hidden first (the record beside it shows them), then the alert,
        MRN and names shrink (elided), so the list never pushes the record off the screen."""
        if not self._column_widths:
            return
        header = self.table.horizontalHeader()
        floor = header.fontMetrics().horizontalAdvance("MMM")
        widths = shrunk_to(
            self._column_widths[: header.count()],
            header.width(),  # the viewport's width (see __init__)
            floor,
            KEPT_COLUMNS,
            HIDDEN_FIRST,
        )
        for column, width in enumerate(widths):
            self.table.setColumnHidden(column, width == 0)
            if width:
                header.resizeSection(column, width)

    def mrn_at(self, row: int) -> str:
        return cast(PatientTableModel, self.table.model()).mrn_at(row)

    def first_mrn(self) -> str | None:
        """The first listed patient's MRN; None in a record with no patient listed (its list
        has no model yet: `mrn_at(0)` failed there, walk23 #25)."""
        model = self.table.model()
        return cast(PatientTableModel, model).mrn_at(0) if model and model.rowCount() else None

    def patient_in_view(self) -> str | None:
        """The patient the window is about: the record shown beside the list, else the list's
        selection — so a shortcut acting on "the selected patient" (Ctrl+Shift+T, her course)
        works wherever the focus is, not only with the list focused (issue 19 review)."""
        view = self.record_view
        mrn = None if view is None else view.mrn
        if mrn and self.detail.currentWidget() is view:
            return str(mrn)
        return self.hint_patient()

    def selected_mrn(self) -> str | None:
        model = self.table.selectionModel()
        if (
            model is None
            or not model.hasSelection()
            or self.pages.currentWidget() is not self.table
        ):
            return None
        return self.mrn_at(model.selectedRows()[0].row())

    def _select(self, mrn: str) -> None:
        """Keep the list's selection on the patient whose record is shown."""
        model = self.table.model()
        if model is None or self.pages.currentWidget() is not self.table:
            return
        for row in range(model.rowCount()):
            if self.mrn_at(row) == mrn:
                self.table.selectRow(row)
                # Scrolled once the window has laid itself out again: opening a record adds a
                # recent patient under the list, which shortens it, and a patient just added
                # stayed selected below its bottom edge (nurse16 walk, item 12).
                index = model.index(row, 0)
                QTimer.singleShot(0, self, lambda shown=index: self.table.scrollTo(shown))
                return
        if self.search.text().strip():
            # An earlier search hides this patient (a new one, just added): search for them, so
            # the list shows and selects whose record is open (issue 16).
            self.search.blockSignals(True)
            self.search.setText(mrn)
            self.search.blockSignals(False)
            self.apply_search()
            self._select(mrn)
            return
        self.table.clearSelection()

    def _open_first_hit(self) -> None:
        self.apply_search()
        if self.table.model() is not None and self.table.model().rowCount():
            self.open_patient(self.mrn_at(0))

    # -- recent patients and drafts ---------------------------------------------------------

    def _recent_key(self) -> str:
        return "recent/" + str(self._record.path).replace("/", "|").replace("\\", "|")

    def recent_mrns(self) -> list[str]:
        value: Any = self._settings.value(self._recent_key(), [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in value or []]

    def remember(self, mrn: str) -> None:
        mrns = [mrn, *[m for m in self.recent_mrns() if m != mrn]][:RECENT_LIMIT]
        self._settings.setValue(self._recent_key(), mrns)
        self.refresh_recent()

    def _listed(self, mrn: str) -> Any:
        """The patient list's row of `mrn`, None when she is not listed (merged, retired,
        not in the record): the search leaves those out."""
        return next((h for h in self._record.search(mrn, 5) if h.mrn == mrn), None)

    def refresh_recent(self) -> None:
        """The recent patients as listed now: one merged since shows as the patient whose record
        holds hers, one retired since is left out (and both are forgotten)."""
        self.recent.clear()
        self._recent_shown = []
        remembered = self.recent_mrns()
        for mrn in remembered:
            hit = self._listed(mrn)
            if hit is None:  # not listed now: the correction actions say where she stands
                survivor = self._corrections().surviving_mrn(self, mrn)
                hit = None if survivor is None else self._listed(survivor)
            if hit is None or hit.mrn in self._recent_shown:
                continue
            name = ", ".join(p for p in (hit.family_name, hit.given_name) if p)
            self.recent.addItem(f"{name} — {hit.mrn}")
            self._recent_shown.append(hit.mrn)
        if self._recent_shown != remembered:
            self._settings.setValue(self._recent_key(), self._recent_shown)
        self.recent.setVisible(self.recent.count() > 0)
        self.recent_empty.setVisible(self.recent.count() == 0)

    def open_recent(self, mrn: str) -> None:
        """Open a recent patient, as she stands now (the list may predate a merge or a
        retirement made since, here or by `planner db`)."""
        if self._listed(mrn) is not None:
            self.open_patient(mrn)
        else:
            self._corrections().open_unlisted(self, mrn)

    def refresh_drafts(self) -> None:
        drafts = self._record.drafts()
        if drafts:
            from planner.ui.resume_dialog import draft_title

            self.drafts_label.setText(
                self.tr("Unfinished assessment: {who}. Nothing typed was lost.").format(
                    who=draft_title(drafts[0])
                )
                if len(drafts) == 1
                else self.tr("{n} unfinished assessments (latest: {who}).").format(
                    n=len(drafts), who=draft_title(drafts[0])
                )
            )
        self.drafts_bar.setVisible(bool(drafts))
        self.resume_action.setEnabled(bool(drafts))

    def _resume(self, draft: Draft) -> None:
        """The unfinished assessment reopened where it was left, as it was typed."""
        self.open_wizard(
            draft.content, draft_id=draft.id, page=draft.wizard_page, confirm=draft.unconfirmed
        )

    def resume_drafts(self) -> None:
        from planner.ui.resume_dialog import ResumeDraftDialog

        ResumeDraftDialog.shown_as = str(self._record.clinic_settings().get("date_format") or "")
        for draft in self._record.drafts():
            choice = ResumeDraftDialog.ask(self, draft)
            if choice == "resume":
                self._resume(draft)
                return
            if choice == "discard":
                self._record.discard_draft(draft.id)
        # the list's "✎ unfinished" and Today's work too, not only the banner: both still said
        # "unfinished" after "Discard it" (issue 16, review 16c finding 17)
        self.refresh()

    # -- patients and assessments -----------------------------------------------------------

    def new_patient(self) -> None:
        from planner.ui.new_patient_dialog import NewPatientDialog

        dialog = NewPatientDialog(self._record, self)
        if dialog.exec():
            self.refresh()
            mrn = dialog.values()["mrn"]
            if isinstance(mrn, str):
                self.open_patient(mrn)

    def open_patient(self, mrn: str | None) -> None:
        """Show the patient's record (assessments, trends, plans) beside the list."""
        if not mrn:
            return
        if self.record_view is None:
            from planner.ui.record_view import RecordView

            self.record_view = RecordView(self._record, self)
            self.record_view.assess_requested.connect(self.start_assessment)
            self.record_view.course_requested.connect(self.open_course)
            self.record_view.alerts_shown.connect(self._alerts_shown)
            self.detail.addWidget(self.record_view)
        self.record_view.show_patient(mrn)
        self.detail.setCurrentWidget(self.record_view)
        self._select(mrn)
        self.remember(mrn)

    def start_assessment(self, mrn: str | None) -> None:
        """A new assessment for `mrn` (None: a patient not yet in the record). An unfinished
        one for the same patient is offered first."""
        from planner.ui.resume_dialog import ResumeDraftDialog

        ResumeDraftDialog.shown_as = str(self._record.clinic_settings().get("date_format") or "")
        for draft in self._record.drafts():
            draft_mrn = (draft.content.get("patient") or {}).get("mrn")
            if mrn is not None and draft_mrn == mrn:
                choice = ResumeDraftDialog.ask(self, draft)
                if choice == "resume":
                    self._resume(draft)
                    return
                if choice == "later":
                    return
                self._record.discard_draft(draft.id)
                self.refresh()  # no "unfinished" left beside her while the new one is typed
        start: dict[str, Any] = {}
        if mrn is not None:
            trend = self._record.trend(mrn)
            last = self._record.case(trend[-1].assessment_id) if trend else None
            if last is not None:
                start = next_assessment_start(last)
            else:
                start = {"patient": self._patient_details(mrn)}
        confirm = tuple(k for k in CARRIED_TO_CONFIRM if start.get(k) is not None)
        self.open_wizard(start, known=mrn is not None, confirm=confirm)

    def _patient_details(self, mrn: str) -> dict[str, Any]:
        for hit in self._record.search(mrn, 5):
            if hit.mrn == mrn:
                return {
                    "mrn": hit.mrn,
                    "family_name": hit.family_name,
                    "given_name": hit.given_name,
                    "birth_date": hit.birth_date,
                    "sex": hit.sex,
                }
        return {"mrn": mrn}

    def open_wizard(
        self,
        start: dict[str, Any],
        *,
        draft_id: int | None = None,
        page: str | None = None,
        known: bool | None = None,
        confirm: tuple[str, ...] = (),
    ) -> Any:
        from PySide6.QtCore import Qt

        from planner.ui.settings_dialog import usable_settings
        from planner.ui.wizard.assessment_wizard import AssessmentWizard

        if usable_settings(self, self._record) is None:
            return None  # a stored setting cannot be used and was not fixed: the nurse was told
        mrn = (start.get("patient") or {}).get("mrn")
        if known is None:
            known = (
                isinstance(mrn, str)
                and bool(mrn)
                and any(h.mrn == mrn for h in self._record.search(mrn, 5))
            )
        if self.wizard is not None:
            self.wizard.close()
        self.wizard = AssessmentWizard(
            self._record,
            start,
            draft_id=draft_id,
            known_patient=known,
            confirm=confirm,
            parent=self,
            ui_settings=self._settings,
        )
        self.wizard.setWindowModality(Qt.WindowModality.WindowModal)
        self.wizard.saved.connect(self._assessment_saved)
        self.wizard.unsaved.connect(self._draft_not_saved)
        self.wizard.finished.connect(lambda _code: self.refresh_drafts())
        self.wizard.show()
        if page:
            self.wizard.go_to_page(page)
        return self.wizard

    def _assessment_saved(self, assessment_id: int) -> None:
        """Saving an assessment leads straight to its plan (issue 16): the patient's record is
        shown, selected in the list, and the assessment's plan opens."""
        mrn = (self.wizard.case().get("patient") or {}).get("mrn")
        self.refresh()
        self.open_patient(mrn)
        self.statusBar().showMessage(self.tr("Assessment saved."), 5000)
        if self.record_view is not None and mrn:
            self.record_view.make_plan(assessment_id)

    def _draft_not_saved(self, text: str) -> None:
        from planner.ui.record_files import tell

        tell(self, self.tr("Draft not saved"), text, warning=True)

    def open_course(self, mrn: str | None) -> None:
        """The selected patient's treatment course (issue 19): start it, review each cycle."""
        if mrn is None:
            return
        from planner.ui.course_window import CourseWindow  # loaded when first used

        self.course_window = CourseWindow(self.record, mrn, self)
        self.course_window.plan_wanted.connect(lambda: self._open_latest_plan(mrn))
        self.course_window.show()

    def _open_latest_plan(self, mrn: str) -> None:
        """The course window's "Open her plan": her latest assessment's plan, to decide it."""
        trend = self.record.trend(mrn)
        if not trend:
            return
        self.open_patient(mrn)
        if self.record_view is not None:
            self.record_view.make_plan(trend[-1].assessment_id)

    def edit_settings(self) -> None:
        from planner.ui.settings_dialog import ClinicSettingsDialog

        if ClinicSettingsDialog.ask(self, self._record):
            self.refresh()  # the list's dates follow the clinic's date format
            self.statusBar().showMessage(self.tr("Clinic settings saved."), 5000)

    def closeEvent(self, event: Any) -> None:
        if self.wizard is not None and self.wizard.isVisible():
            self.wizard.reject()  # keeps the draft
        super().closeEvent(event)
        if event.isAccepted():
            # the program is the main window: nothing left over (a tooltip, another window)
            # may keep it running with the record open; Qt then ends the event loop itself
            close_everything()

    def show_error(self, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self, title, text)
