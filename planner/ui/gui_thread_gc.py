"""Python's cycle collector runs on the GUI thread only, from a timer.

Why: CPython runs the cycle collector on whichever thread happens to allocate when a threshold is
crossed. When that was a pool thread making a PDF (`ui/background.py`), the collector freed a Qt
object caught in a reference cycle there, off the thread it lives on, and the process died
("Fatal Python error: Segmentation fault … Garbage-collecting", inside reportlab on a pool
thread: CI of 2026-12-07 and earlier local runs). Qt objects must be destroyed on their own
thread, and no rule about cycles can be checked everywhere, so the collector is moved instead:
automatic collection is off, and a GUI-thread timer collects each generation when the counts
say CPython would have. Objects that are not in cycles are still freed at once by reference
counting, on any thread, as before. pyqtgraph's `GarbageCollector` does the same for the same
reason.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

#: how often the GUI thread looks whether a collection is due; a cycle lives at most this long
#: past the point CPython would have freed it
INTERVAL_MS = 500


def collect_due() -> int | None:
    """Collect the oldest generation whose count passed its threshold, as CPython would have.
    The generation collected, or None when nothing was due."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    for generation in (2, 1, 0):
        if counts[generation] > thresholds[generation]:
            gc.collect(generation)
            return generation
    return None


class _Collector(QObject):
    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)  # the application owns it: it lives as long as the event loop
        self.setObjectName("gui_thread_gc")
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(collect_due)
        self.timer.start()


#: the application's dynamic property that says the collector is installed (not `findChild`:
#: its first call sets up PySide6's signature support, ~14 ms of start-up, see ui/app.py)
INSTALLED = "planner_gui_thread_gc"


def install(app: QCoreApplication) -> None:
    """Turn automatic collection off and collect from `app`'s thread instead. Once per app."""
    if not app.property(INSTALLED):
        _Collector(app)
        app.setProperty(INSTALLED, True)
    gc.disable()
