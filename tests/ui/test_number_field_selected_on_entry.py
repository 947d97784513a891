"""A pre-filled number is selected when its field is entered, so what is typed replaces it:
typing "5" into ER "0" gave "05" (issue 16, review 16c finding 17)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from planner.ui.wizard.fields import NumberEdit


def _window(qtbot, value):
    """A carried number in a window beside another field that has the focus (the window is
    returned too: the caller keeps it alive)."""
    window = QWidget()
    qtbot.addWidget(window)
    other, edit = NumberEdit(), NumberEdit("%")
    layout = QVBoxLayout(window)
    layout.addWidget(other)
    layout.addWidget(edit)
    edit.set_json_value(value)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    return window, edit


def test_typing_into_a_carried_number_replaces_it(qtbot):
    _window_kept, edit = _window(qtbot, 0)
    edit.setFocus(Qt.FocusReason.OtherFocusReason)  # as a page gives its first field focus
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClicks(edit, "5")
    assert edit.json_value() == 5


def test_a_click_selects_it_too(qtbot):
    _window_kept, edit = _window(qtbot, 40)
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: edit.selectedText() == "40")
    qtbot.keyClicks(edit, "35")
    assert edit.json_value() == 35
