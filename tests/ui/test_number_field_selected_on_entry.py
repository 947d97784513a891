"""A pre-filled number is selected when its field is entered, so what is typed replaces it:
typing "5" into ER "0" gave "05" (issue 16, review 16c finding 17)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from planner.ui.wizard.fields import NumberEdit


def test_typing_into_a_carried_number_replaces_it(qtbot):
    edit = NumberEdit("%")
    qtbot.addWidget(edit)
    edit.set_json_value(0)
    edit.show()
    qtbot.waitExposed(edit)
    edit.setFocus(Qt.FocusReason.OtherFocusReason)  # as a page gives its first field focus
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClicks(edit, "5")
    assert edit.json_value() == 5


def test_a_click_selects_it_too(qtbot):
    other = NumberEdit()
    edit = NumberEdit("%")
    for widget in (other, edit):
        qtbot.addWidget(widget)
        widget.show()
    edit.set_json_value(40)
    other.setFocus()
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: edit.selectedText() == "40")
    qtbot.keyClicks(edit, "35")
    assert edit.json_value() == 35
