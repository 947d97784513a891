"""A visible mark on the control that has keyboard focus, in every window of the program.

The platform style's own focus cue is faint or missing on some controls (nurse16 walk: no mark
on the quality-of-life page's first tick box or on the Preferences drop-downs), so a nurse
working from the keyboard could not see where a key would land. One ring, drawn over the
focused control without restyling it, follows focus across the application.
"""

from __future__ import annotations

import functools
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QFocusFrame, QMenu, QMenuBar, QWidget
from shiboken6 import isValid

#: the ring's colour and width: a strong blue that reads on the light and the selected rows
RING_COLOUR = QColor("#0b57d0")
RING_WIDTH = 2


class FocusRing(QFocusFrame):
    """A frame drawn along the inside edge of the focused control, over its own frame; clicks
    pass through it.

    A QFocusFrame placed and painted here (not with its `setWidget`, which draws the style's
    own frame around the control): Qt makes it transparent for the mouse, takes no focus and
    paints no background under it, as a ring needs. Setting those on a plain widget names Qt's
    `Qt` namespace, which PySide6 builds whole on first use (~116 M instructions, ~30 ms: a
    fifth of a bare window's start), and the ring is made before the first paint
    (docs/decisions.md, "Start-up, fifth pass")."""

    def __init__(self) -> None:
        super().__init__()
        self.target: QWidget | None = None
        self.hide()

    def follow(self, widget: QWidget | None) -> None:
        if self.target is not None and isValid(self.target):
            self.target.removeEventFilter(self)
        self.target = widget if _ringed(widget) else None
        if self.target is None:
            self.hide()
            return
        self.target.installEventFilter(self)
        self._place()

    def _place(self) -> None:
        target = self.target
        if target is None or not isValid(target) or not target.isVisible():
            self.hide()
            return
        # A child of the control itself, over its whole rectangle: it moves and scrolls with
        # the control, and no container clips it or takes it in (a splitter makes every child
        # widget one of its panes; a tight row clipped a ring drawn outside the control).
        if self.parentWidget() is not target:
            self.setParent(target)
        self.setGeometry(target.rect())
        self.raise_()
        self.show()

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if watched is self.target and event.type() in (
            QEvent.Type.Resize,
            QEvent.Type.Show,
            QEvent.Type.Hide,
            QEvent.Type.ParentChange,
        ):
            self._place()
        return False

    def paintEvent(self, _event: Any) -> None:
        # Its four sides, each the ring's colour (a one-pixel image) stretched over it: a pen
        # or a brush of a colour names Qt's `Qt` namespace (their overloads take Qt's pen and
        # brush styles), and the first paint shows the ring (see the class).
        width, height, side = self.width(), self.height(), RING_WIDTH
        painter = QPainter(self)
        for bar in (
            QRect(0, 0, width, side),
            QRect(0, height - side, width, side),
            QRect(0, 0, side, height),
            QRect(width - side, 0, side, height),
        ):
            painter.drawImage(bar, _ring_colour())
        painter.end()


@functools.cache
def _ring_colour() -> QImage:
    """One pixel of the ring's colour."""
    pixel = QImage(1, 1, QImage.Format.Format_RGB32)
    pixel.setPixelColor(0, 0, RING_COLOUR)
    return pixel


def _ringed(widget: QWidget | None) -> bool:
    """Controls inside a window; not menus (they highlight their own item) nor windows."""
    return (
        widget is not None
        and not widget.isWindow()
        and not isinstance(widget, QMenu | QMenuBar)
        and widget.parentWidget() is not None
    )


class FocusTracker(QObject):
    """Owns the ring and moves it as focus moves (QApplication.focusChanged)."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.ring = FocusRing()
        app.focusChanged.connect(lambda _old, new: self.follow(new))
        self.follow(app.focusWidget())

    def follow(self, widget: QWidget | None) -> None:
        # The ring lives inside the focused control's parent, so it is deleted with that window
        # (a closed wizard): a new one is made for the next control.
        if not isValid(self.ring):
            self.ring = FocusRing()
        self.ring.follow(widget)


#: the tracker installed (its application is its parent)
_installed: list[FocusTracker] = []


def install_focus_ring(app: QApplication) -> FocusTracker:
    """Once per application: later calls return the tracker already installed. Remembered
    here, not found with `findChild`: its first call sets up PySide6's signature support (~8 ms
    of start-up, docs/decisions.md "Start-up, fifth pass")."""
    for tracker in _installed:
        if isValid(tracker) and tracker.parent() is app:
            return tracker
    _installed[:] = [FocusTracker(app)]
    return _installed[0]
