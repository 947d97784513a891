"""The main window: the record's patients, or a clear way to add the first one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.services import PatientRecord
from planner.ui.new_patient_dialog import NewPatientDialog
from planner.ui.patient_model import PatientTableModel


class MainWindow(QMainWindow):
    def __init__(self, record: PatientRecord) -> None:
        super().__init__()
        self._record = record
        self.setWindowTitle(self.tr("Supportive-care planner"))
        self.resize(1100, 700)

        self.new_patient_action = QAction(self.tr("&New patient…"), self)
        self.new_patient_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_patient_action.triggered.connect(self.new_patient)
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addAction(self.new_patient_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        self.pages = QStackedWidget()
        self.empty_page = self._build_empty_page()
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Patients"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.pages.addWidget(self.empty_page)
        self.pages.addWidget(self.table)
        self.setCentralWidget(self.pages)

        self.record_label = QLabel()
        self.statusBar().addPermanentWidget(self.record_label)
        self.refresh()

    def _build_empty_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        title = QLabel(self.tr("This record has no patients yet."))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setStyleSheet("font-size: 16pt;")
        hint = QLabel(
            self.tr(
                "Add a patient to start an assessment. The program suggests; the clinician decides."
            )
        )
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)
        self.empty_new_button = QPushButton(self.tr("New patient"))
        self.empty_new_button.setAccessibleName(self.tr("New patient"))
        self.empty_new_button.setMinimumSize(200, 44)
        self.empty_new_button.setStyleSheet("font-size: 12pt;")
        self.empty_new_button.setDefault(True)
        self.empty_new_button.clicked.connect(self.new_patient)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addWidget(self.empty_new_button, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(2)
        return page

    def refresh(self) -> None:
        total = self._record.patient_count()
        if total == 0:
            self.pages.setCurrentWidget(self.empty_page)
        else:
            model = PatientTableModel(self._record.patients_page, total)
            self.table.setModel(model)
            self.table.horizontalHeader().setSectionResizeMode(
                QHeaderView.ResizeMode.ResizeToContents
            )
            self.pages.setCurrentWidget(self.table)
        count = self.tr("1 patient") if total == 1 else self.tr("{n} patients").format(n=total)
        self.record_label.setText(
            self.tr("Record: {path} — {count}").format(path=self._record.path, count=count)
        )

    def new_patient(self) -> None:
        dialog = NewPatientDialog(self._record, self)
        if dialog.exec():
            self.refresh()
