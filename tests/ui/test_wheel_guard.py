"""Issue 16, failure 1: one wheel notch while scrolling the labs page changed bilirubin from mg/dL
to µmol/L (and ascites, and the clinic-wide distress cut-off) with no warning. With the one
application filter, a wheel over a control without keyboard focus scrolls the page instead."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QEnterEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScrollArea

from planner.ui.app import install_app_filters, remove_wheel_guard
from planner.ui.settings_dialog import ClinicSettingsDialog
from planner.ui.wizard.assessment_wizard import AssessmentWizard
from planner.ui.wizard.pages.labs import LabsPage


@pytest.fixture
def guarded(qapp):
    install_app_filters(qapp)
    yield qapp
    remove_wheel_guard(qapp)


def _wheel(widget, notches: int = -1) -> None:
    """One (or more) wheel notches over the middle of `widget` (negative: towards the user),
    after the pointer entered it, as with a real mouse."""
    centre = QPointF(widget.rect().center())
    QApplication.sendEvent(
        widget, QEnterEvent(centre, centre, QPointF(widget.mapToGlobal(centre.toPoint())))
    )
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def _scroll_area(widget) -> QScrollArea:
    parent = widget.parentWidget()
    while not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    return parent


def _scroll_bar(widget):
    return _scroll_area(widget).verticalScrollBar()


@pytest.fixture
def labs(qtbot, guarded, record, example_raw):
    wizard = AssessmentWizard(record, example_raw)
    qtbot.addWidget(wizard)
    wizard.resize(900, 520)  # short enough that the labs page scrolls
    wizard.show()
    qtbot.waitExposed(wizard)
    ids = wizard.pageIds()
    wizard.steps.go_to(next(i for i, p in enumerate(ids) if isinstance(wizard.page(p), LabsPage)))
    assert isinstance(wizard.currentPage(), LabsPage)
    yield wizard.currentPage()
    wizard._draft_timer.stop()


def test_wheel_over_an_unfocused_unit_box_leaves_bilirubin_in_mg_dl(qtbot, labs):
    row = labs.rows["bilirubin"]
    row.unit.setCurrentIndex(row.unit.findData("mg/dL"))
    row.value.setFocus()
    qtbot.waitUntil(row.value.hasFocus)
    bar = _scroll_bar(row.unit)
    assert bar.maximum() > 0
    before = bar.value()
    _wheel(row.unit, -1)
    assert row.unit.currentData() == "mg/dL"
    assert not row.unit.hasFocus()
    assert bar.value() > before  # the page scrolled instead


def test_wheel_over_the_unfocused_ascites_box_leaves_it_unchanged(qtbot, labs):
    labs.ascites.setCurrentIndex(labs.ascites.findData("none"))
    labs.rows["bilirubin"].value.setFocus()
    for notches in (-1, 1, -3):
        _wheel(labs.ascites, notches)
    assert labs.ascites.currentData() == "none"


def test_the_focused_box_still_answers_the_wheel(qtbot, labs):
    """The guard is about focus, not a dead control: the box being edited still steps."""
    labs.ascites.setCurrentIndex(labs.ascites.findData("none"))
    labs.ascites.setFocus()
    qtbot.waitUntil(labs.ascites.hasFocus)
    _wheel(labs.ascites, -1)
    assert labs.ascites.currentData() == "mild"


def test_wheel_in_clinic_settings_leaves_the_distress_cutoff(qtbot, guarded, record):
    dialog = ClinicSettingsDialog(record)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.clinic_name.setFocus()
    qtbot.waitUntil(dialog.clinic_name.hasFocus)
    before = dialog.distress_cutoff.currentData()
    _wheel(dialog.distress_cutoff, -1)
    _wheel(dialog.distress_cutoff, 1)
    _wheel(dialog.distress_cutoff, -1)
    assert dialog.distress_cutoff.currentData() == before
    assert not dialog.distress_cutoff.hasFocus()


def _wheel_at_window(window, point: QPoint, notches: int = -1) -> None:
    """One wheel notch at a fixed point of `window`, delivered as the system delivers it
    (through the window, spontaneous, with no Enter event: the pointer does not move)."""
    QTest.wheelEvent(window.windowHandle(), QPointF(point), QPoint(0, 120 * notches))


def test_a_drop_down_scrolled_under_a_still_pointer_keeps_its_value(
    qtbot, guarded, record, example_raw
):
    """The nurse's report: scrolling the biology page with the pointer still, the Brain
    metastases box slid under it and the next notch turned "not recorded" into "no"."""
    from PySide6.QtWidgets import QComboBox

    from planner.ui.wizard.pages.biology import BiologyPage

    wizard = AssessmentWizard(record, example_raw)
    qtbot.addWidget(wizard)
    wizard.resize(900, 420)  # short, so the page scrolls
    wizard.show()
    qtbot.waitExposed(wizard)
    ids = wizard.pageIds()
    wizard.steps.go_to(
        next(i for i, p in enumerate(ids) if isinstance(wizard.page(p), BiologyPage))
    )
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)  # activation moves the focus: settle it first
    page = wizard.currentPage()
    box = page.brain_metastases
    box.setCurrentIndex(box.findData(None))
    boxes = page.findChildren(QComboBox)
    values = [b.currentIndex() for b in boxes]
    focused = QApplication.focusWidget()
    bar = _scroll_bar(box)
    bar.setValue(0)
    bar.setSingleStep(4)  # a notch (3 steps) moves the page less than a box is tall
    assert bar.maximum() > 0
    # a fixed point low in the visible page, in the box's column; the box starts below it
    # (out of sight) and the page scrolls it up to there, passing other drop-downs on the way
    viewport = _scroll_area(box).viewport()
    low = viewport.mapTo(wizard, QPoint(0, viewport.height() - 10))
    point = QPoint(box.mapTo(wizard, box.rect().center()).x(), low.y())
    assert box.mapTo(wizard, QPoint(0, 0)).y() > point.y()
    passed_under = False
    for _ in range(60):
        under = wizard.childAt(point)
        over_box = under is box or (under is not None and box.isAncestorOf(under))
        passed_under = passed_under or over_box
        start = bar.value()
        _wheel_at_window(wizard, point, -1)
        if bar.value() == bar.maximum():
            break
        assert bar.value() > start  # the page keeps scrolling, whatever is under the pointer
    assert passed_under, "the box never slid under the pointer: the test proves nothing"
    assert [b.currentIndex() for b in boxes] == values
    assert box.currentData() is None
    assert QApplication.focusWidget() is focused  # the wheel focused nothing either
    wizard._draft_timer.stop()


def test_a_spin_box_without_focus_keeps_its_score(qtbot, guarded, record):
    from planner.ui.wizard.fields import ScoreBox

    box = ScoreBox(0, 10)
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    box.activateWindow()
    qtbot.waitUntil(box.isActiveWindow)  # activation would give the focus back later
    box.set_json_value(4)
    box.clearFocus()
    _wheel(box, 2)
    assert box.json_value() == 4
    _wheel_at_window(box, box.rect().center(), 2)  # as a real wheel arrives: window first
    assert box.json_value() == 4
    assert not box.hasFocus()  # the wheel cannot focus it either
