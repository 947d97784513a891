"""Long work off the GUI thread, in the style of Anki's QueryOp.

    BackgroundOp(parent, lambda: services.export_plan_pdf(...), label="Making the PDF…")
        .success(show_pdf).failure(show_error).run()

The worker function runs on a pool thread and must not touch any widget; `success` and
`failure` run back on the GUI thread. While it runs, a progress dialog (busy, no cancel) is
shown after a short delay, so quick work never flashes a window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

_running: set[BackgroundOp] = set()


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:
            self._relay.failed.emit(exc)
        else:
            self._relay.done.emit(result)


class BackgroundOp:
    """One piece of work: `work()` on a pool thread, then `success(result)` or `failure(exc)`."""

    def __init__(self, parent: QWidget | None, work: Callable[[], Any], *, label: str = "") -> None:
        self._parent = parent
        self._work = work
        self._label = label
        self._on_success: Callable[[Any], None] = lambda _result: None
        self._on_failure: Callable[[Exception], None] | None = None
        self._progress: QProgressDialog | None = None
        self._relay = _Relay()
        self._relay.done.connect(self._finish_ok, Qt.ConnectionType.QueuedConnection)
        self._relay.failed.connect(self._finish_error, Qt.ConnectionType.QueuedConnection)

    def success(self, callback: Callable[[Any], None]) -> BackgroundOp:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[Exception], None]) -> BackgroundOp:
        self._on_failure = callback
        return self

    def run(self) -> BackgroundOp:
        _running.add(self)
        if self._label and self._parent is not None:
            progress = QProgressDialog(self._label, "", 0, 0, self._parent)
            progress.setCancelButton(None)
            progress.setMinimumDuration(400)
            progress.setWindowModality(Qt.WindowModality.WindowModal)
            progress.setAccessibleName(self._label)
            self._progress = progress
        QThreadPool.globalInstance().start(_Task(self._work, self._relay))
        return self

    def _close_progress(self) -> None:
        if self._progress is not None:
            self._progress.reset()
            self._progress.deleteLater()
            self._progress = None
        _running.discard(self)

    def _finish_ok(self, result: Any) -> None:
        self._close_progress()
        self._on_success(result)

    def _finish_error(self, exc: Exception) -> None:
        self._close_progress()
        if self._on_failure is None:
            raise exc
        self._on_failure(exc)


def wait_for_all(timeout_ms: int = 10000) -> bool:
    """Wait for every pool thread to finish (tests and shutdown)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
