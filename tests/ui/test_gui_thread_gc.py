"""The cycle collector never runs on a pool thread (planner.ui.gui_thread_gc).

CI of 2026-12-07 died of SIGSEGV while the collector, run on the pool thread making a PDF, freed
a Qt object of the GUI thread. Cyclic garbage here says on which thread it was freed."""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QCoreApplication

from planner.ui import gui_thread_gc
from planner.ui.background import BackgroundOp, wait_for_all

freed_on: list[str] = []


class _Cyclic:
    def __init__(self) -> None:
        self.me = self  # only the cycle collector can free it

    def __del__(self) -> None:
        freed_on.append(threading.current_thread().name)


def _allocate_like_a_pdf() -> int:
    # containers that stay alive while the work runs (as a PDF's paragraphs do), enough to
    # cross the thresholds of generations 0 and 1 many times
    kept = [{} for _ in range(200_000)]
    return len(kept)


def test_cyclic_garbage_is_freed_on_the_gui_thread_while_a_pool_thread_allocates(qtbot):
    assert not gc.isenabled()  # installed for every GUI test, as app.run does
    freed_on.clear()
    gc.collect()
    kept = [_Cyclic() for _ in range(5000)]
    gc.collect(0)  # they survive into generation 1, as a window's objects do
    del kept  # garbage now, in cycles: only the collector frees them
    results: list[int] = []
    BackgroundOp(None, _allocate_like_a_pdf).success(results.append).run()
    assert wait_for_all()
    qtbot.waitUntil(lambda: bool(results), timeout=10000)
    assert set(freed_on) <= {"MainThread"}  # nothing was freed on the pool thread
    gc.collect()
    assert len(freed_on) == 5000
    assert set(freed_on) == {"MainThread"}


def test_installing_twice_keeps_one_timer(qapp):
    gui_thread_gc.install(qapp)
    gui_thread_gc.install(qapp)
    collectors = [
        child
        for child in QCoreApplication.instance().children()
        if child.objectName() == "gui_thread_gc"
    ]
    assert len(collectors) == 1
    assert not gc.isenabled()


def test_a_due_collection_runs_the_generation_cpython_would_have():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        assert gui_thread_gc.collect_due() is None  # nothing allocated since
        junk = [[] for _ in range(gc.get_threshold()[0] + 10)]
        assert gui_thread_gc.collect_due() == 0
        del junk
    finally:
        if was_enabled:
            gc.enable()
