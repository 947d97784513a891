"""Start the desktop app: `python main.py [--db PATH] [--smoke]`."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from planner import APP_NAME
from planner.services import environment, patient_record
from planner.ui import gui_thread_gc
from planner.ui.geometry import LAYOUT_REQUEST
from planner.ui.main_window import MainWindow
from planner.ui.record_lock import RecordInUse, hold_record

SMOKE_SETTLE_MS = 300
#: --smoke: a window not painted by then ends the run with exit 1
NEVER_PAINTED_MS = 30_000


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="main.py", description="Supportive-care planner")
    parser.add_argument(
        "--db", type=Path, help="record file (default: $PLANNER_DB, then the user data folder)"
    )
    parser.add_argument(
        "--smoke", action="store_true", help="show the main window, let it settle, exit 0"
    )
    parser.add_argument(
        "--settle-ms",
        type=int,
        default=SMOKE_SETTLE_MS,
        help="with --smoke: how long the event loop runs after the window is first painted",
    )
    parser.add_argument(
        "--screenshot",
        type=Path,
        help="with --smoke: save what the screen shows (for documentation and visual checks)",
    )
    return parser.parse_args(argv)


def _report_shown() -> None:
    """The first turn of the event loop after show(): benchmarks/bench_startup.py reads this."""
    print(f"shown {time.monotonic():.6f}", flush=True)


def _fill(app: QApplication, window: MainWindow, smoke: bool, failed: list[bool]) -> None:
    """Read the list, Today's work and the banners into the shown window. A record that fails
    here (a damaged page met listing patients) ends the program as one that fails to open
    (`failed` says so to _run_on: the event loop's own exit code may be set again on the way
    out)."""
    try:
        window.refresh()
        # Laid out now, before the first paint: the fill changes texts, rows and heights, and
        # Qt lays the window out again on later turns, after the paint it has already posted
        # (its first paint showed Today's work half laid out, then a second paint the window)
        QApplication.sendPostedEvents(None, LAYOUT_REQUEST)
    except patient_record.RecordUnavailable as exc:
        failed.append(True)
        window.hide()
        _cannot_open(exc, smoke)
        app.exit(1)
        return
    if smoke:
        print(f"filled {time.monotonic():.6f}", flush=True)  # bench_startup.py reads this too


def _cannot_open(exc: patient_record.RecordUnavailable, smoke: bool) -> None:
    if smoke:
        print(f"cannot open the record: {exc}", file=sys.stderr)
    else:
        _message(f"Cannot open the record:\n{exc}")


def _message(text: str, *, warning: bool = False) -> None:
    """A message box before (or instead of) the main window: a record that cannot be used."""
    # Imported here: QMessageBox's type and its four enums are built on first use (~2.5 ms of
    # every start-up when imported at the top), and only a start that fails shows one.
    from PySide6.QtWidgets import QMessageBox

    if warning:
        QMessageBox.warning(None, "Supportive-care planner", text)
    else:
        QMessageBox.critical(None, "Supportive-care planner", text)


def _after_first_paint(app: QApplication, window: MainWindow, args: argparse.Namespace) -> QTimer:
    """Once the window is first painted: the wheel guard (`install_wheel_guard`); with --smoke,
    the paint reported first (bench_startup.py measures to it) and the run ended `--settle-ms`
    after it. A smoke run whose window is never painted ends as a failure: the timer that says
    so is returned, for the caller to stop when the run ends otherwise."""
    from planner.ui.first_paint import FirstPaint

    def painted() -> None:
        never.stop()
        install_wheel_guard(app)
        if args.smoke:
            QTimer.singleShot(max(args.settle_ms, 0), lambda: _finish_smoke(app, args.screenshot))

    never = QTimer(app)
    never.setSingleShot(True)
    never.timeout.connect(lambda: _never_painted(app))
    if args.smoke:
        never.start(NEVER_PAINTED_MS)
    FirstPaint(window, painted, report=args.smoke)
    return never


def _never_painted(app: QApplication) -> None:
    print(f"the window was not painted within {NEVER_PAINTED_MS} ms", file=sys.stderr)
    app.exit(1)


def _finish_smoke(app: QApplication, screenshot: Path | None) -> None:
    if screenshot is not None:
        screen = app.primaryScreen()
        screen.grabWindow(0).save(str(screenshot))
    app.quit()


WHEEL_GUARD_INSTALLED = "planner_wheel_guard_installed"


def install_app_filters(app: QApplication) -> None:
    """The application-wide event filters (once per application): the wheel scrolls the page
    and never changes a control that does not have keyboard focus; the control that has it is
    ringed (on the next turn of the event loop)."""
    install_wheel_guard(app)
    QTimer.singleShot(0, lambda: install_focus_ring(app))


def install_wheel_guard(app: QApplication) -> None:
    """The wheel guard (planner/ui/wheel_guard.py), once per application."""
    # Imported here, not at start: building the guard's module sets up the Qt enums and
    # classes it looks up (about 6 ms of start-up, benchmarks/bench_startup.py).
    from planner.ui.wheel_guard import WheelGuard

    # Once per application, marked with a dynamic property: `findChild` would do, but its first
    # call sets up PySide6's signature support (about 14 ms of start-up, bench_startup.py).
    if not app.property(WHEEL_GUARD_INSTALLED):
        app.installEventFilter(WheelGuard(app))
        app.setProperty(WHEEL_GUARD_INSTALLED, True)


def install_focus_ring(app: QApplication) -> None:
    """A visible mark on the control with keyboard focus, everywhere (once per application)."""
    # Imported here: making the ring builds Qt's `Qt` namespace (start-up, see above).
    from planner.ui.focus_ring import install_focus_ring as install

    install(app)


def remove_wheel_guard(app: QApplication) -> None:
    """Undo `install_app_filters`'s wheel guard (tests that install it on a shared application)."""
    from planner.ui.wheel_guard import WheelGuard

    for guard in app.findChildren(WheelGuard):
        app.removeEventFilter(guard)
        guard.setParent(None)  # at once: deleteLater would leave it findable for the next test
    app.setProperty(WHEEL_GUARD_INSTALLED, False)


def install_fault_hook(window: QWidget) -> Callable[..., Any]:
    """A fault of the record met in any slot (locked, disk full, read-only, damaged) is said in
    the window in one sentence naming the file and what to do, not as a traceback on stderr;
    anything else still goes to the usual hook."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], exc: BaseException, trace: Any) -> None:
        if isinstance(exc, patient_record.RecordUnavailable):
            from planner.ui.record_files import tell

            tell(window, window.tr("The record cannot be used just now"), str(exc), warning=True)
            return
        previous(kind, exc, trace)

    sys.excepthook = hook
    return previous


def run(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    running = QApplication.instance()  # (tests start one first)
    app = running if isinstance(running, QApplication) else QApplication(sys.argv[:1])
    gui_thread_gc.install(app)  # before any work goes to a pool thread: see the module
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("Supportive-care planner")
    path = args.db or environment.default_db_path()
    try:
        held = hold_record(path)
    except RecordInUse as exc:
        if args.smoke:
            print(f"cannot open the record: {exc}", file=sys.stderr)
        else:
            _message(str(exc), warning=True)
        return 1
    try:
        return _run_on(app, args, path)
    finally:
        if held is not None:
            held.unlock()


def _run_on(app: QApplication, args: argparse.Namespace, path: Path) -> int:
    """The program on a record this process holds."""
    try:
        record = patient_record.PatientRecord(path)
    except patient_record.RecordUnavailable as exc:
        _cannot_open(exc, args.smoke)
        return 1
    if not args.smoke:  # smoke runs (tests, start-up benchmarks) sign nothing and ask nothing
        from planner.ui.sign_name import start_session

        # Before the first dialog: the first run's clinic dialog has unit drop-downs that a
        # wheel notch would change while the nurse types a phone number (review 16c: albumin
        # g/L became g/dL). Installed once; the call after show() below then does nothing.
        install_app_filters(app)

        # the first run's clinic settings and the name (signs decisions and the audit log)
        if start_session(record) is None:
            record.close()
            return 0
    try:
        # Built blank and filled by _fill (below) once the event loop runs: `shown` is
        # reported before the fill. The first paint comes after both (docs/decisions.md,
        # "Start-up, fifth pass"), so the nurse first sees the filled window.
        window = MainWindow(record, fill=False)
    except patient_record.RecordUnavailable as exc:
        record.close()
        _cannot_open(exc, args.smoke)
        return 1
    previous_hook = install_fault_hook(window)
    # The wheel guard once the window is first painted: an application filter hands every
    # event to Python, and the first object of a type PySide6 does not know (a scroll area's
    # scroll-bar container) has it load every widget class it knows with their enums (171,
    # ~15 ms, docs/decisions.md "Start-up, fifth pass"). No wheel reaches a window before it
    # is seen, and the first screen has no value control a wheel could change (combo boxes,
    # spin boxes, sliders). A start that asks the nurse's name installed it before that
    # dialog (above), as the first-run dialog needs it.
    never_painted = _after_first_paint(app, window, args)
    if window.opens_maximised:
        window.showMaximized()
    else:
        window.show()
    if args.smoke:
        QTimer.singleShot(0, _report_shown)
    # Posted after show(): the list and Today's work are read into the window before any input
    # is handled and before its first paint (Qt posts the paint at low priority, after these).
    failed: list[bool] = []
    QTimer.singleShot(0, lambda: _fill(app, window, args.smoke, failed))
    # The focus ring before the first paint too: the control with keyboard focus is ringed in it
    QTimer.singleShot(0, lambda: install_focus_ring(app))
    code = app.exec()
    never_painted.stop()
    sys.excepthook = previous_hook
    record.close()
    return 1 if failed else code
