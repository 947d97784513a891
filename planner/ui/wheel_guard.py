"""The wheel scrolls the page, never a value the nurse is not editing.

Qt lets the mouse wheel change any combo box, spin box or slider under the pointer, focused or
not: one notch while scrolling the labs page turned bilirubin from mg/dL into µmol/L (issue 16).
One application-wide event filter (installed by `planner.ui.app.install_app_filters`) judges
every wheel event at the moment it arrives: if it would reach such a control (or a part of one,
such as a spin box's line edit) and that control does not have keyboard focus, the event goes to
the scroll area around it instead, so the page keeps scrolling and the value stays.

The judgement is made on the event itself, never from where the pointer entered: when the page
scrolls, a drop-down slides under a pointer that has not moved and no Enter event arrives, and the
next notch used to change it (Brain metastases "not recorded" became "no"). A real wheel event
reaches the top-level window first; Qt then gives keyboard focus to a WheelFocus control under the
pointer before the widget's own event filters run, so the decision is taken there, on the window,
before any control can be focused by the wheel.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from PySide6 import QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPointF
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QWheelEvent, QWindow

# Looked up once: the filter sees every event of the program, so it must be cheap.
_WHEEL = QEvent.Type.Wheel


@functools.cache
def guarded_types() -> tuple[type[QWidget], ...]:
    """Controls whose value a wheel notch changes (scroll bars scroll: they are left alone).
    Named on the first wheel event, not when the guard is installed: PySide6 builds a Qt type
    and its enums when Python first names it, and the first screen has none of these (~1.5 ms
    of start-up, docs/decisions.md "Speed targets")."""
    return (QtWidgets.QComboBox, QtWidgets.QAbstractSpinBox, QtWidgets.QAbstractSlider)


def is_guarded(widget: QObject) -> bool:
    return isinstance(widget, guarded_types()) and not isinstance(widget, QtWidgets.QScrollBar)


def guarded_control(widget: QWidget | None) -> QWidget | None:
    """The value control `widget` is, or is part of (a spin box's line edit, a combo's editor);
    None when the wheel over it changes no value."""
    while widget is not None:
        if is_guarded(widget):
            return widget
        if widget.isWindow():
            return None
        widget = widget.parentWidget()
    return None


def has_keyboard_focus(control: QWidget) -> bool:
    """True when the nurse is editing `control`: it, its focus proxy or one of its parts has
    keyboard focus now."""
    if control.hasFocus():
        return True
    focused = QApplication.focusWidget()
    return focused is not None and control.isAncestorOf(focused)


class WheelGuard(QObject):
    """Application event filter: wheel over an unfocused value control scrolls its page."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != _WHEEL:
            return False
        assert isinstance(event, QtGui.QWheelEvent)
        if isinstance(watched, QtGui.QWindow):
            return _judge_at_window(watched, event)
        if isinstance(watched, QWidget):
            return _judge_at_widget(watched, event)
        return False


def _judge_at_window(window: QWindow, event: QWheelEvent) -> bool:
    """The first stop of a real wheel event: find the widget Qt would hand it to."""
    if QApplication.activePopupWidget() is not None:
        return False  # an open drop-down list takes the wheel itself; nothing behind it moves
    root = _widget_of(window)
    if root is None:
        return False
    position = event.position().toPoint()
    target = root.childAt(position) or root
    control = guarded_control(target)
    if control is None or has_keyboard_focus(control):
        return False
    _scroll_page(control, event)
    event.accept()
    return True


def _judge_at_widget(widget: QWidget, event: QWheelEvent) -> bool:
    """A wheel event sent straight to a widget (synthesised, or passed on by Qt from a child)."""
    control = guarded_control(widget)
    if control is None or has_keyboard_focus(control):
        return False
    _scroll_page(control, event)
    event.accept()  # handled here: Qt does not pass it on to the parents a second time
    return True


def _widget_of(window: QWindow) -> QWidget | None:
    for widget in QApplication.topLevelWidgets():
        if widget.windowHandle() is window:
            return widget
    return None


def _scroll_page(control: QWidget, event: QWheelEvent) -> None:
    """Give the notch to the nearest scroll area around `control` that takes it (an inner list
    at its end passes it outwards, as Qt does with an ignored wheel event)."""
    area = _scroll_area_around(control)
    while area is not None:
        viewport = area.viewport()
        local = QPointF(viewport.mapFromGlobal(event.globalPosition().toPoint()))
        moved = QtGui.QWheelEvent(
            local,
            event.globalPosition(),
            event.pixelDelta(),
            event.angleDelta(),
            event.buttons(),
            event.modifiers(),
            event.phase(),
            event.inverted(),
            event.source(),
        )
        moved.setAccepted(False)
        QCoreApplication.sendEvent(viewport, moved)
        if moved.isAccepted():
            return
        area = _scroll_area_around(area)


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None
