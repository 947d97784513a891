"""The record's review screen (issue 20 item 3): likely duplicate patients, merged with a reason,
and patients retired as entered by mistake, shown again with a reason.

Every change is signed by the name the user signed in with (planner.ui.sign_name) and said in
words before it is made; the services keep everything and log it.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner.domain.dates import DEFAULT_DATE_FORMAT, show_date
from planner.domain.problems import InputInvalid
from planner.services import record_corrections
from planner.services.patient_record import PatientRecord
from planner.services.record_corrections import RegisteredPatient


def _who(patient: RegisteredPatient, date_format: str) -> str:
    born = show_date(patient.birth_date, date_format) if patient.birth_date else "not recorded"
    return f"{patient.name} ({patient.mrn}, born {born}, registered {patient.created_at[:10]})"


class ReasonDialog(QDialog):
    """What is about to be done, in words, a reason (required) and who signs it."""

    def __init__(self, title: str, what: str, signer: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        said = QLabel(what)
        said.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("Reason"))
        form = QFormLayout()
        form.addRow(self.tr("&Reason"), self.reason)
        caption = form.labelForField(self.reason)
        if isinstance(caption, QLabel):
            caption.setBuddy(self.reason)
        form.addRow(self.tr("Signed by"), QLabel(signer))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self.reason.textChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))
        layout = QVBoxLayout(self)
        layout.addWidget(said)
        layout.addLayout(form)
        layout.addWidget(self.buttons)


class RecordReviewDialog(QDialog):
    """Likely duplicates (merge) and retired patients (show again). `changed`: the list of
    patients must be refreshed (set after any change)."""

    def __init__(self, record: PatientRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Review the record: duplicates and retired patients"))
        self._record = record
        self.changed = False
        self.date_format = str(record.clinic_settings().get("date_format") or DEFAULT_DATE_FORMAT)
        self.pairs_list = QListWidget()
        self.pairs_list.setAccessibleName(self.tr("Likely duplicate patients"))
        self.keep = QComboBox()
        self.keep.setAccessibleName(self.tr("Record to keep"))
        self.merge_button = QPushButton(self.tr("&Merge…"))
        self.merge_button.clicked.connect(self.merge_selected)
        self.pairs_list.currentRowChanged.connect(self._pair_chosen)
        pairs_page = QWidget()
        pairs_layout = QVBoxLayout(pairs_page)
        pairs_layout.addWidget(
            QLabel(
                self.tr(
                    "Patients born the same day whose names match however they were spelt. "
                    "Check each pair: merge only records of one person."
                )
            )
        )
        pairs_layout.addWidget(self.pairs_list, 1)
        row = QHBoxLayout()
        keep_label = QLabel(self.tr("&Keep the record of"))
        keep_label.setBuddy(self.keep)
        row.addWidget(keep_label)
        row.addWidget(self.keep, 1)
        row.addWidget(self.merge_button)
        pairs_layout.addLayout(row)
        self.retired_list = QListWidget()
        self.retired_list.setAccessibleName(self.tr("Retired patients"))
        self.restore_button = QPushButton(self.tr("&Show in the list again…"))
        self.restore_button.clicked.connect(self.restore_selected)
        retired_page = QWidget()
        retired_layout = QVBoxLayout(retired_page)
        retired_layout.addWidget(self.retired_list, 1)
        retired_layout.addWidget(self.restore_button)
        self.tabs = QTabWidget()
        self.tabs.addTab(pairs_page, self.tr("&Likely duplicates"))
        self.tabs.addTab(retired_page, self.tr("&Retired patients"))
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(720, 480)
        self.reload()

    def reload(self) -> None:
        self.pairs = record_corrections.likely_duplicate_pairs(self._record)
        self.pairs_list.clear()
        for first, second in self.pairs:
            self.pairs_list.addItem(
                f"{_who(first, self.date_format)}  ↔  {_who(second, self.date_format)}"
            )
        if not self.pairs:
            self.pairs_list.addItem(self.tr("No likely duplicates in the record."))
        self.pairs_list.setCurrentRow(0)
        self._pair_chosen(0)
        self.retired = record_corrections.retired_patients(self._record)
        self.retired_list.clear()
        for gone in self.retired:
            self.retired_list.addItem(
                self.tr("{who} — retired by {by}: {reason}").format(
                    who=_who(gone.patient, self.date_format), by=gone.signed_by, reason=gone.reason
                )
            )
        self.retired_list.setCurrentRow(0)
        self.restore_button.setEnabled(bool(self.retired))

    def _pair_chosen(self, row: int) -> None:
        self.keep.clear()
        if 0 <= row < len(self.pairs):
            for patient in self.pairs[row]:
                self.keep.addItem(_who(patient, self.date_format), patient.mrn)
        self.merge_button.setEnabled(0 <= row < len(self.pairs))

    def ask_reason(self, title: str, what: str) -> str | None:
        """The reason typed (None: cancelled). A seam tests replace."""
        dialog = ReasonDialog(title, what, self._record.who, self)
        return dialog.reason.text() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def merge_selected(self) -> None:
        row = self.pairs_list.currentRow()
        if not 0 <= row < len(self.pairs):
            return
        kept_mrn = self.keep.currentData()
        kept, merged = sorted(self.pairs[row], key=lambda p: p.mrn != kept_mrn)
        reason = self.ask_reason(
            self.tr("Merge two patients"),
            self.tr(
                "Every assessment, plan, draft, course and acknowledgement of {merged} will be "
                "kept under {kept}. {merged_mrn} stays in the record, hidden from the list. The "
                "merge is logged with your reason and name."
            ).format(
                merged=_who(merged, self.date_format),
                kept=_who(kept, self.date_format),
                merged_mrn=merged.mrn,
            ),
        )
        if reason is None:
            return
        try:
            done = record_corrections.merge_patients(self._record, merged.mrn, kept.mrn, reason)
        except InputInvalid as exc:
            self.status.setText("; ".join(p.message for p in exc.problems))
            return
        self.changed = True
        self.status.setText(
            self.tr(
                "Merged {merged} into {kept}: {n} assessments, {d} drafts moved; {c} treatment "
                "courses read through the merge."
            ).format(
                merged=done.merged_mrn,
                kept=done.surviving_mrn,
                n=len(done.assessments),
                d=len(done.drafts),
                c=len(done.courses),
            )
        )
        self.reload()

    def restore_selected(self) -> None:
        row = self.retired_list.currentRow()
        if not 0 <= row < len(self.retired):
            return
        patient = self.retired[row].patient
        reason = self.ask_reason(
            self.tr("Show a retired patient again"),
            self.tr("{who} will be in the list and the search again.").format(
                who=_who(patient, self.date_format)
            ),
        )
        if reason is None:
            return
        try:
            record_corrections.restore_patient(self._record, patient.mrn, reason)
        except InputInvalid as exc:
            self.status.setText("; ".join(p.message for p in exc.problems))
            return
        self.changed = True
        self.status.setText(self.tr("{mrn} is in the list again.").format(mrn=patient.mrn))
        self.reload()


def retire(record: PatientRecord, mrn: str, parent: QWidget | None = None) -> bool:
    """Ask why, then retire the patient `mrn` (entered by mistake). True when retired."""
    dialog = ReasonDialog(
        parent.tr("Retire a patient entered by mistake") if parent else "Retire a patient",
        f"{mrn} will be hidden from the list, the search and the worklist. Nothing of hers is "
        "deleted: the review screen (Edit menu) shows her again.",
        record.who,
        parent,
    )
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    record_corrections.retire_patient(record, mrn, dialog.reason.text())
    return True
