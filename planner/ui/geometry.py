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
