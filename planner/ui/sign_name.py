"""Who is using the program: a name asked once when the app starts, kept for the session.

Until user accounts arrive, this name signs the clinician's decisions and the record's audit
log. It is never the computer's login name (one login is often shared by a whole clinic), and
the field starts blank at every start on purpose (walk 16d asked why): on a shared PC the last
name, filled in, would let the next person sign as someone else with one press of Enter.

On a record with no clinic settings yet, the start of a session is ONE dialog: the first-run
clinic settings with the name on their first line (the name signs those settings in the audit
log, so it is asked with them, not after them). Every later start asks only the name.
"""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from planner.services import patient_record


def ask_name(parent: QWidget | None = None) -> str | None:
    """The user's name and role as typed (asked again while blank), or None when cancelled."""
    prompt = (
        "Your name and role (signs your decisions and changes in this session).\n"
        "Asked at every start: this computer may be shared."
    )
    while True:
        name, ok = QInputDialog.getText(
            parent, "Who is using the planner?", prompt, QLineEdit.EchoMode.Normal, ""
        )
        if not ok:
            return None
        if name.strip():
            return " ".join(name.split())
        prompt = "A name is needed: it signs your decisions. Your name and role:"


def start_session(
    record: patient_record.PatientRecord, parent: QWidget | None = None
) -> str | None:
    """Sign the record in for this session: on the first run the clinic settings and the name in
    one dialog (saved settings are never asked for again); otherwise, or when the nurse chose
    "Ask me next time", the name alone. None: the nurse cancelled (the app does not start)."""
    if not record.has_clinic_settings():
        # the dialog and the rule tables it is built from load only on the first run
        from planner.ui.settings_dialog import ClinicSettingsDialog

        dialog = ClinicSettingsDialog(record, parent, first_run=True)
        if dialog.exec():
            return record.who
    name = ask_name(parent)
    if name is not None:
        record.sign_in_as(name)
    return name
