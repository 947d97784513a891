"""Who is using the program: a name asked once when the app starts, kept for the session.

Until user accounts arrive, this name signs the clinician's decisions and the record's audit
log. It is never the computer's login name (one login is often shared by a whole clinic).
"""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget


def ask_name(parent: QWidget | None = None) -> str | None:
    """The user's name and role as typed (asked again while blank), or None when cancelled."""
    prompt = "Your name and role (signs your decisions and changes in this session):"
    while True:
        name, ok = QInputDialog.getText(
            parent, "Who is using the planner?", prompt, QLineEdit.EchoMode.Normal, ""
        )
        if not ok:
            return None
        if name.strip():
            return " ".join(name.split())
        prompt = "A name is needed: it signs your decisions. Your name and role:"
