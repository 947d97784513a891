"""Long work off the GUI thread, in the style of Anki's QueryOp.

    BackgroundOp(parent, lambda: printing.export_plan_pdf(...), label="Making the PDF…")
        .success(show_pdf).failure(show_error).run()

The worker function runs on a pool thread and must not touch any widget; `success` and
`failure` run back on the GUI thread. While it runs, a progress dialog (busy, no cancel) is
shown after a short delay, so quick work never flashes a window.

Work made of steps (files to import) says how far it is: with `steps=N` the worker is called
with `report(done, text)`, which it may call from its thread; the dialog then shows "done of N"
and the text (the file being read):

    BackgroundOp(parent, lambda report: import_files(files, progress=report),
                 label="Importing case files…", steps=len(files)).success(show_summary).run()
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

_running: set[BackgroundOp] = set()


class _Relay(QObject):
    """Carries the outcome back to the GUI thread.

    The result or exception stays a Python attribute here and the signals carry nothing: the
    result is then owned by Python alone, whatever a PySide6 version does with the references of
    objects passed through signals (6.12 on CPython 3.11 miscounted them and a result freed too
    early crashed the process; pyproject.toml now excludes 6.12).
    """

    done = Signal()
    failed = Signal()
    progressed = Signal(int, str)

    def __init__(self) -> None:
        super().__init__()
        self.outcome: Any = None


class _Task(QRunnable):
    def __init__(self, work: Callable[..., Any], relay: _Relay, *, reports: bool) -> None:
        super().__init__()
        self._work = work
        self._relay = relay
        self._reports = reports

    def run(self) -> None:
        try:
            result = self._work(self._relay.progressed.emit) if self._reports else self._work()
        except Exception as exc:
            self._relay.outcome = exc
            self._relay.failed.emit()
        else:
            self._relay.outcome = result
            self._relay.done.emit()


class BackgroundOp:
    """One piece of work: `work()` on a pool thread, then `success(result)` or `failure(exc)`.

    `steps`: the work is `work(report)` and calls `report(done, text)` as it goes."""

    def __init__(
        self,
        parent: QWidget | None,
        work: Callable[..., Any],
        *,
        label: str = "",
        steps: int | None = None,
    ) -> None:
        self._parent = parent
        self._work = work
        self._label = label
        self._steps = steps
        self._on_success: Callable[[Any], None] = lambda _result: None
        self._on_failure: Callable[[Exception], object] | None = None
        self._progress: QProgressDialog | None = None
        self._relay = _Relay()
        self._relay.done.connect(self._finish_ok, Qt.ConnectionType.QueuedConnection)
        self._relay.failed.connect(self._finish_error, Qt.ConnectionType.QueuedConnection)
        self._relay.progressed.connect(self._show_progress, Qt.ConnectionType.QueuedConnection)
        #: the last (done, text) reported, for the dialog and for tests
        self.last_report: tuple[int, str] | None = None

    def success(self, callback: Callable[[Any], None]) -> BackgroundOp:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[Exception], object]) -> BackgroundOp:
        self._on_failure = callback
        return self

    def run(self) -> BackgroundOp:
        _running.add(self)
        if self._label and self._parent is not None:
            progress = QProgressDialog(self._label, "", 0, self._steps or 0, self._parent)
            progress.setWindowTitle(self._label.rstrip("…. "))
            progress.setCancelButton(None)
            progress.setMinimumDuration(400)
            progress.setMinimumWidth(progress.fontMetrics().horizontalAdvance("M") * 36)
            progress.setWindowModality(Qt.WindowModality.WindowModal)
            progress.setAccessibleName(self._label)
            progress.setValue(0)
            self._progress = progress
        task = _Task(self._work, self._relay, reports=self._steps is not None)
        QThreadPool.globalInstance().start(task)
        return self

    def _show_progress(self, done: int, text: str) -> None:
        self.last_report = (done, text)
        progress = self._progress
        if progress is not None:
            progress.setLabelText(f"{self._label}\n{text}" if text else self._label)
            # A shown modal progress dialog handles events inside setValue: the work may finish
            # (and this dialog go) right here, so nothing touches it after this line.
            progress.setValue(done)

    def _close_progress(self) -> None:
        if self._progress is not None:
            self._progress.reset()
            self._progress.deleteLater()
            self._progress = None
        _running.discard(self)

    def _finish_ok(self) -> None:
        result, self._relay.outcome = self._relay.outcome, None
        self._close_progress()
        self._on_success(result)

    def _finish_error(self) -> None:
        exc, self._relay.outcome = self._relay.outcome, None
        self._close_progress()
        if self._on_failure is None:
            raise exc
        self._on_failure(exc)


def wait_for_all(timeout_ms: int = 10000) -> bool:
    """Wait for every pool thread to finish (tests and shutdown)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
