"""Issue 16: Ctrl+Q hid the main window but a tooltip left by the closed wizard kept the process
running for minutes with the record open. The app's quit path closes every top-level window and
tooltip, and the event loop ends."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from planner.ui.main_window import MainWindow

#: how long the event loop may run before the test calls it a hang
WATCHDOG_MS = 20_000


def _exec_with_watchdog(qapp: QApplication) -> int:
    """Run the application's event loop as the program does; a quit path that leaves it running
    would hang the suite, so a watchdog ends it with 99. The watchdog is stopped as soon as the
    loop ends: left pending, it fired `qapp.exit(99)` in a later test, where it left every later
    wait (each one a nested event loop) returning at once without processing events, so no
    window could become active and no background result arrived."""
    watchdog = QTimer()
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(lambda: qapp.exit(99))
    watchdog.start(WATCHDOG_MS)
    try:
        return qapp.exec()
    finally:
        watchdog.stop()
        # Closing the last window also posted Qt's own Quit: the program ends here and never
        # sees it, but the test process goes on, where it would end the next test's waits.
        QCoreApplication.removePostedEvents(qapp, QEvent.Type.Quit)


def _quit_action(window: MainWindow) -> QAction:
    return next(a for a in window.findChildren(QAction) if a.text() == window.tr("&Quit"))


def test_quit_leaves_no_window_and_ends_the_event_loop(qtbot, qapp, record, example_raw):
    window = MainWindow(record)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    wizard = window.open_wizard(example_raw)
    assert wizard is not None
    qtbot.waitExposed(wizard)
    # another top-level window still up (on X11 the wizard's tooltip was one): Qt's own "quit
    # when the last window closes" waits for it, with the record open
    stray = QWidget()
    qtbot.addWidget(stray)
    stray.show()
    qtbot.waitExposed(stray)
    outcome: dict[str, object] = {}

    def press_ctrl_q() -> None:
        QToolTip.showText(
            wizard.mapToGlobal(QPoint(20, 20)), "only the month was typed: taken as the 1st"
        )
        outcome["tooltip shown"] = QToolTip.isVisible()
        _quit_action(window).trigger()

    QTimer.singleShot(0, press_ctrl_q)
    code = _exec_with_watchdog(qapp)
    assert code == 0, "the event loop did not end when Quit was chosen"
    assert outcome["tooltip shown"]
    assert not QToolTip.isVisible()
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == []


def test_closing_the_main_window_quits_even_with_a_tooltip_left(qtbot, qapp, record):
    window = MainWindow(record)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    def close_with_a_tooltip_up() -> None:
        QToolTip.showText(window.mapToGlobal(QPoint(20, 20)), "a leftover tooltip")
        window.close()

    QTimer.singleShot(0, close_with_a_tooltip_up)
    assert _exec_with_watchdog(qapp) == 0
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == []
