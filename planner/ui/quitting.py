"""Quit ends the program, always.

Ctrl+Q once hid the main window but left the process running for minutes, holding the record:
a tooltip left on screen by the closed wizard counted as an open window, so Qt's "quit when the
last window closes" never fired (issue 16). Quitting therefore does every step itself: close
each top-level window (the wizard keeps its draft when it closes), hide what refused to close and
any tooltip, let background work finish, then end the event loop.
"""

from __future__ import annotations

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication, QToolTip

#: how long quitting waits for background work (a PDF being written) before ending anyway
BACKGROUND_WAIT_MS = 10_000


_closing = False


def quit_application() -> None:
    """The Quit command: everything closed, then the event loop ends."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    close_everything()
    app.quit()


def close_everything() -> None:
    """Every top-level window closed or hidden, no tooltip, background work done: what is
    left for Qt's own "quit when the last window closes" to end the program."""
    global _closing
    if _closing:
        return  # closing the main window below calls this again
    _closing = True
    try:
        _close_all()
    finally:
        _closing = False


def _close_all() -> None:
    QToolTip.hideText()
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            widget.close()
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            widget.hide()  # refused to close (a popup, a tooltip): it must not keep the loop
    pool = QThreadPool.globalInstance()
    pool.clear()  # work not yet started is not started
    pool.waitForDone(BACKGROUND_WAIT_MS)  # work under way (a file being written) finishes
