"""What the main window's correction actions do (Edit menu): open the selected assessment
read-only (and amend it), review likely duplicates and retired patients, retire the selected
patient. Kept out of main_window (loaded when first used); the window is reached only through
what it offers every dialog: its record, the selected patient, her record view, refresh."""

from __future__ import annotations

from typing import Any

from planner.domain.problems import InputInvalid


def _tell(window: Any, title: str, text: str) -> None:
    from planner.ui.record_files import tell

    tell(window, title, text, warning=True)


def open_selected_assessment(window: Any) -> Any:
    """The assessment selected in the open patient's record, read-only, with Amend; its
    `replan` makes the amended version's plan. Returns the dialog (None: nothing selected)."""
    from planner.ui.assessment_dialog import AssessmentDialog

    view = window.record_view
    assessment_id = view.selected_assessment() if view is not None else None
    if assessment_id is None:
        _tell(
            window,
            window.tr("No assessment selected"),
            window.tr("Open a patient's record and select one of her assessments first."),
        )
        return None
    mrn = view.mrn
    dialog = AssessmentDialog(window.record, assessment_id, window)

    def replan(amended_id: int) -> None:
        window.open_patient(mrn)
        window.record_view.make_plan(amended_id)

    dialog.replan.connect(replan)
    dialog.finished.connect(lambda _code: dialog.amended_id and window.open_patient(mrn))
    dialog.open()
    return dialog


def surviving_mrn(window: Any, mrn: str) -> str | None:
    """The MRN whose record holds `mrn`'s now, if she was merged (and the survivor is listed)."""
    from planner.services import record_corrections

    standing = record_corrections.standing(window.record, mrn)
    if standing is None or standing.surviving_mrn is None or standing.retired:
        return None
    return standing.surviving_mrn


def open_unlisted(window: Any, mrn: str) -> None:
    """A patient asked for from a list kept outside the patient list (recent patients) who is
    not listed now: merged, her surviving record is opened with a note; retired or gone, she is
    not opened and the nurse is told why. The recent list is brought up to date either way."""
    from planner.services import record_corrections

    standing = record_corrections.standing(window.record, mrn)
    if standing is not None and standing.surviving_mrn is not None and not standing.retired:
        window.open_patient(standing.surviving_mrn)
        window.statusBar().showMessage(
            window.tr("{mrn} was merged into {survivor}: her record is shown here.").format(
                mrn=mrn, survivor=standing.surviving_mrn
            ),
            15000,
        )
    else:
        _tell(
            window,
            window.tr("Patient not listed"),
            window.tr(
                "{mrn} is retired (entered by mistake) and is not opened. Edit > Review "
                "duplicates and retired patients shows her, and can show her again."
            ).format(mrn=mrn)
            if standing is not None
            else window.tr("{mrn} is no longer in this record.").format(mrn=mrn),
        )
    window.refresh_recent()


def review_record(window: Any) -> Any:
    """The review screen: likely duplicates (merge) and retired patients (show again)."""
    from planner.ui.record_review_dialog import RecordReviewDialog

    dialog = RecordReviewDialog(window.record, window)
    dialog.finished.connect(lambda _code: dialog.changed and window.refresh())
    dialog.open()
    return dialog


def retire_selected(window: Any) -> None:
    """Retire the patient selected in the list, with a reason."""
    from planner.ui.record_review_dialog import retire

    mrn = window.selected_mrn()
    if mrn is None:
        _tell(window, window.tr("No patient selected"), window.tr("Select a patient first."))
        return
    try:
        if retire(window.record, mrn, window):
            window.refresh()
            window.show_status(window.tr("{mrn} was retired.").format(mrn=mrn), 5000)
    except InputInvalid as exc:
        _tell(window, window.tr("Not retired"), "; ".join(p.message for p in exc.problems))
