"""Window sizes that fit the screen at any scaling (125 % on a 1280 × 800 laptop included)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def fit_to_screen(window: QWidget, width: int, height: int, share: float = 0.92) -> None:
    """Resize to `width` × `height`, but never beyond `share` of the screen's free area."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(width, height)
        return
    free = screen.availableGeometry()
    window.resize(min(width, int(free.width() * share)), min(height, int(free.height() * share)))


#: a screen this narrow (in the window's own pixels: 1366 at 100 %, 1093 at 125 %) gets the
#: whole free area: the list and a record side by side need all of it
SMALL_SCREEN_WIDTH = 1366


def fit_main_window(window: QWidget, width: int, height: int) -> bool:
    """The main window's first size: the whole free area of a small screen (nurse16 walk: the
    1100 × 700 default cut off the record pane at 1366 × 768), else `width` × `height` within
    it. True when the window should be shown maximised (a small screen)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(width, height)
        return False
    free = screen.availableGeometry()
    if free.width() <= SMALL_SCREEN_WIDTH:
        window.setGeometry(free)  # where no window manager maximises it (a bare X server)
        return True
    fit_to_screen(window, width, height)
    return False


LAYOUT_REQUEST = 76  # QEvent.Type.LayoutRequest (the start-up path leaves Qt's enums unbuilt)


class MinimumFill(QWidget):
    """Holds one widget, filling it, for a scroll area that should scroll only when the widget's
    *minimum* does not fit. A scroll area sizes a widget whose layout has height-for-width (a
    word-wrapped name, a banner) to its preferred height for the width, and the record pane
    scrolled 114 px at 1366 × 768 although everything fitted: her name was scrolled out of
    view (walk 21 F6). This widget has no layout, so the area asks its minimum only."""

    def __init__(self, child: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._child = child
        child.setParent(self)

    def sizeHint(self) -> Any:
        return self._child.minimumSizeHint()

    def minimumSizeHint(self) -> Any:
        return self._child.minimumSizeHint()

    def resizeEvent(self, event: Any) -> None:
        self._child.setGeometry(self.rect())
        super().resizeEvent(event)

    def event(self, event: Any) -> bool:
        if event.type() == LAYOUT_REQUEST:  # the child's minimum may have changed
            self.updateGeometry()
        return super().event(event)
