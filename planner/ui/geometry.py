"""Window sizes that fit the screen at any scaling (125 % on a 1280 × 800 laptop included)."""

from __future__ import annotations

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
