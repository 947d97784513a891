"""The first paint of a top-level window: what the nurse waits for at start-up.

The program waits for it to install what no one needs before the window is seen (the wheel
guard, planner/ui/app.py). `main.py --smoke` and benchmarks/bench_startup.py's bare PySide6
window report it (`report=True`) with this one class (the bare window imports this file by its
folder, without the planner package), installed the same way on each window before `show()`.
It watches the window alone, not the application: an application filter would hand every event
of every widget to Python, and the planner's window has many more widgets than a bare one.

Reporting, it prints `paint <time.monotonic()>` when the window gets its first Paint event (Qt
paints the window first, then its children, into the backing store) and `painted
<time.monotonic()>` on the first turn of the event loop after it: the whole window painted and
flushed to the screen.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

PAINT = 12  # QEvent.Type.Paint (compared as a number: see planner/ui/main_window.py)


class FirstPaint(QObject):
    """Calls `then` (once) on the first turn of the event loop after `window`'s first paint;
    with `report`, says both moments on stdout first."""

    def __init__(
        self, window: QWidget, then: Callable[[], None] | None = None, *, report: bool = False
    ) -> None:
        super().__init__(window)
        self._window = window
        self._then = then
        self._report = report
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: object) -> bool:
        if watched is self._window and event.type() == PAINT:  # type: ignore[attr-defined]
            if self._report:
                print(f"paint {time.monotonic():.6f}", flush=True)
            self._window.removeEventFilter(self)
            QTimer.singleShot(0, self._painted)
        return False

    def _painted(self) -> None:
        if self._report:
            print(f"painted {time.monotonic():.6f}", flush=True)
        if self._then is not None:
            self._then()
