"""Issue 16: Tab in the drug-name suggestions took nothing and left the focus in the drug box,
so the date typed next landed in the drug box. Tab now takes the highlighted suggestion (or
keeps what was typed) and moves on to the next field, as Tab does everywhere else."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import QApplication

from planner.ui.wizard.assessment_wizard import AssessmentWizard
from planner.ui.wizard.pages.biology import BiologyPage


@pytest.fixture
def therapy_line(qtbot, record, example_raw):
    wizard = AssessmentWizard(record, example_raw)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    page = wizard._page(BiologyPage)
    wizard.steps.go_to(
        wizard.pageIds().index(next(p for p in wizard.pageIds() if wizard.page(p) is page))
    )
    qtbot.mouseClick(page.add_therapy_button, Qt.MouseButton.LeftButton)
    line = page.therapy_rows[-1]
    drugs = line[0]
    qtbot.waitUntil(drugs.isVisible)  # the new line is laid out
    drugs.setFocus()
    qtbot.waitUntil(drugs.hasFocus)
    yield wizard, page, line
    wizard._draft_timer.stop()


def _popup_open(qtbot, drugs, typed):
    qtbot.keyClicks(drugs, typed)
    popup = drugs.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    return popup


def test_tab_takes_the_highlighted_name_and_moves_to_the_next_field(qtbot, therapy_line):
    _wizard, page, line = therapy_line
    drugs, setting = line[0], line[1]
    popup = _popup_open(qtbot, drugs, "Palbo")
    # The first suggestion highlighted as on a desktop (xcb), where the box keeps the typed
    # text meanwhile (offscreen Qt copies the highlight into the box at once).
    with QSignalBlocker(popup.selectionModel()):
        popup.setCurrentIndex(popup.model().index(0, 0))
    assert popup.currentIndex().data() == "palbociclib"
    assert drugs.text() == "Palbo"
    qtbot.keyClick(popup, Qt.Key.Key_Tab)
    assert not popup.isVisible()
    assert drugs.text() == "palbociclib"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is setting)
    index = page.therapy_rows.index(line)
    assert page.value()["disease"]["prior_therapy"][index]["drugs"] == ["palbociclib"]


def test_tab_with_several_suggestions_and_none_highlighted_keeps_the_typed_text(
    qtbot, therapy_line
):
    _wizard, _page, line = therapy_line
    drugs, setting, started = line[0], line[1], line[2]
    popup = _popup_open(qtbot, drugs, "letrozole, zumab")  # trastuzumab, pertuzumab, ...
    assert popup.model().rowCount() > 1
    qtbot.keyClick(popup, Qt.Key.Key_Tab)
    assert not popup.isVisible()
    assert drugs.text() == "letrozole, zumab"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is setting)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is started)
    qtbot.keyClicks(QApplication.focusWidget(), "01/05/2024")
    assert started.text() == "01/05/2024"
    assert drugs.text() == "letrozole, zumab"  # the date did not land in the drug box


@pytest.mark.parametrize(
    ("typed", "taken"),
    [
        ("letrozole, Palbo", "letrozole, palbociclib"),  # the only suggestion
        ("Tam", "tamoxifen"),  # datopotamab also matches, but only tamoxifen begins so
    ],
)
def test_tab_takes_the_only_suggestion_or_the_unique_prefix(qtbot, therapy_line, typed, taken):
    """Nurse walkthrough: with one suggestion shown and none highlighted, Tab left "Palbo"."""
    _wizard, _page, line = therapy_line
    drugs, setting = line[0], line[1]
    popup = _popup_open(qtbot, drugs, typed)
    assert not popup.currentIndex().isValid()
    qtbot.keyClick(popup, Qt.Key.Key_Tab)
    assert not popup.isVisible()
    assert drugs.text() == taken
    qtbot.waitUntil(lambda: QApplication.focusWidget() is setting)


def test_choosing_a_setting_clears_its_is_required_at_once(qtbot, therapy_line):
    """Nurse walkthrough: "is required" stayed under the line after Setting was chosen, until
    the focus left the box (a choice is whole when made, unlike a value being typed)."""
    _wizard, page, line = therapy_line
    drugs, setting = line[0], line[1]
    qtbot.keyClicks(drugs, "letrozole")
    setting.setFocus()
    qtbot.waitUntil(setting.hasFocus)
    qtbot.keyClick(setting, Qt.Key.Key_Tab)  # left blank: its message is shown
    index = page.therapy_rows.index(line)
    message = page.fields[f"disease.prior_therapy[{index}].setting"].message
    qtbot.waitUntil(lambda: "is required" in message.text())
    setting.setFocus()
    qtbot.waitUntil(setting.hasFocus)
    setting.setCurrentIndex(setting.findText("metastatic"))
    qtbot.waitUntil(lambda: not message.isVisibleTo(page))
    assert setting.hasFocus()
