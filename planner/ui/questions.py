"""A question with two answers, the safe one first: the default (Enter) and what Escape answers.

The wizard's "Close the assessment?", its "She may already be in the record" and the labs page's
"Check the unit" ask this way, so a nurse who presses Enter or Escape without reading never
loses what she typed nor keeps a doubtful value.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def ask_safe_first(
    parent: QWidget,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    *,
    safe: str,
    other: str,
) -> bool:
    """True when the nurse chose `other`; `safe` (Enter, Escape, closing the box) otherwise."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    stay = box.addButton(safe, QMessageBox.ButtonRole.RejectRole)
    go = box.addButton(other, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(stay)
    box.setEscapeButton(stay)
    box.exec()
    return box.clickedButton() is go
