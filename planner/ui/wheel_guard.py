"""The wheel scrolls the page, never a value the nurse is not editing.

Qt lets the mouse wheel change any combo box, spin box or slider under the pointer, focused or
not: one notch while scrolling the labs page turned bilirubin from mg/dL into µmol/L (issue 16).
One application-wide event filter (installed by `planner.ui.app.install_app_filters`) hands a
wheel event over such a control to the scroll area around it unless the control has keyboard
focus, and stops the wheel from giving these controls focus in the first place.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QScrollBar,
    QWidget,
)

#: controls whose value a wheel notch changes (scroll bars scroll: they are left alone)
GUARDED = (QComboBox, QAbstractSpinBox, QAbstractSlider)
# Looked up once: the filter sees every event of the program, so it must be cheap.
_WHEEL = QEvent.Type.Wheel
_ENTER = QEvent.Type.Enter


def is_guarded(widget: QObject) -> bool:
    return isinstance(widget, GUARDED) and not isinstance(widget, QScrollBar)


class WheelGuard(QObject):
    """Application event filter: wheel over an unfocused value control scrolls its page."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind != _WHEEL and kind != _ENTER:
            return False
        if kind == _ENTER and is_guarded(watched):
            # WheelFocus (the default of combo and spin boxes) would let the wheel focus the
            # control before this filter sees the event, and then change it. Done when the
            # pointer first enters the control (it always does before a wheel turns over it),
            # not when it is built: reading a focus policy builds PySide6's Qt enums, ~30 ms
            # that start-up does not spend (tests/ui/test_startup.py).
            from PySide6.QtCore import Qt

            widget = watched
            assert isinstance(widget, QWidget)
            if widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            return False
        if kind != _WHEEL or not is_guarded(watched):
            return False
        assert isinstance(watched, QWidget)
        if watched.hasFocus():
            return False  # the nurse is editing this control: the wheel may step it
        area = _scroll_area_around(watched)
        if area is not None:
            QCoreApplication.sendEvent(area.viewport(), event)
        event.accept()  # handled here: Qt does not pass it on to the parents a second time
        return True


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None
