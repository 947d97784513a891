"""Issue 16 (nurse walkthrough): the small window items that make errors likely, each
reproduced and now passing."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication


def _x(widget, window) -> int:
    return widget.mapTo(window, widget.rect().topLeft()).x()


def test_the_draft_line_does_not_shift_the_form_when_it_appears(qtbot, wizard):
    """The first "Draft saved at …" pushed the page's fields sideways while the nurse typed:
    the line's column is there from the start."""
    field = wizard.currentPage().first_field()
    before = _x(field, wizard)
    assert wizard.save_draft()
    qtbot.waitUntil(lambda: "Draft saved" in wizard.draft_status.text())
    # the wizard lays itself out again on a queued event: deliver it, then measure
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    QApplication.processEvents()
    assert _x(field, wizard) == before
