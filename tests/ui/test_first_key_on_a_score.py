"""Walk 20 H3: a symptom page opens with Pain focused by code, showing "—"; the first digit typed
was refused (the cursor sat after the dash) and pain 6 stayed "not recorded" without a word."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from planner.ui.wizard.fields import ScoreBox


def _page(qtbot) -> tuple[QWidget, ScoreBox, ScoreBox]:
    page = QWidget()
    layout = QVBoxLayout(page)
    pain, tiredness = ScoreBox(0, 10), ScoreBox(0, 10)
    layout.addWidget(pain)
    layout.addWidget(tiredness)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    return page, pain, tiredness


def test_the_first_digit_typed_into_a_box_focused_by_code_is_kept(qtbot):
    page, pain, _ = _page(qtbot)
    pain.setFocus(Qt.FocusReason.OtherFocusReason)  # as a page does when it opens
    qtbot.waitUntil(pain.hasFocus)
    qtbot.keyClicks(pain, "6")
    pain.interpretText()
    assert pain.json_value() == 6
    page.close()


def test_a_recorded_value_is_not_selected_away_by_focus(qtbot):
    page, pain, tiredness = _page(qtbot)
    pain.set_json_value(4)
    tiredness.setFocus()
    pain.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(pain.hasFocus)
    assert pain.lineEdit().selectedText() == ""  # the nurse's 4 is not one key from gone
    assert pain.json_value() == 4
    page.close()
