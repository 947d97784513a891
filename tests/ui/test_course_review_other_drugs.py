"""Walk 21 F14: on a vinorelbine course, "Not decided: results are missing" listed the
neutrophil cut-offs of capecitabine, carboplatin and eribulin — the first plan's other options,
not this course. The review names only the course's own drugs' needs."""

from __future__ import annotations

import datetime as dt

from tests.ui.test_treatment_course_flow import DAY, enter_labs


def test_missing_neutrophils_name_only_the_course_s_drugs(capecitabine_course_window, qtbot):
    window = capecitabine_course_window
    enter_labs(window, qtbot, DAY + dt.timedelta(days=21), "")  # neutrophils not typed
    shown = window.decision.toPlainText()
    assert "Missing — fill in to decide" in shown
    (line,) = [ln for ln in shown.splitlines() if ln.lstrip("• ").startswith("Neutrophils")]
    assert "capecitabine" in line
    for other in ("carboplatin", "eribulin", "vinorelbine", "paclitaxel", "gemcitabine"):
        assert other not in line, line


def test_add_a_side_effect_puts_the_keyboard_in_its_box(capecitabine_course_window, qtbot):
    """F14: after "Add a side effect" the focus stayed in Creatinine."""
    window = capecitabine_course_window
    window.activateWindow()
    window.entry.rows["creatinine"].value.setFocus()
    qtbot.keyClick(window.entry.add_effect_button, " ")
    row = window.entry.effects[-1]
    qtbot.waitUntil(row.term.hasFocus)
