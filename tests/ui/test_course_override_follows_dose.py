"""Review 19c, finding 3, in the window: the override's decision follows the dose typed against
the last cycle given — a vinorelbine dose typed back up from 12.5 to 25 mg/m² reads "give,
higher dose" (it could be signed only as "give, reduced dose"), and "give, same dose" puts the
last cycle's dose in the box."""

from __future__ import annotations

import datetime as dt

from planner.services import treatment_courses as courses
from planner.ui.background import wait_for_all
from tests import course_setup
from tests.course_setup import DAY, TODAY

FULL = course_setup.VINORELBINE_FULL


def test_the_override_s_decision_follows_the_dose_typed(qtbot, record, example_raw):
    from planner.ui.course_window import CourseWindow

    mrn = example_raw["patient"]["mrn"]
    course_id = course_setup.start_vinorelbine_course(record, example_raw)
    day = DAY + dt.timedelta(days=7)
    low = course_setup.labs_on(day, anc=1.2, inr=1.1)
    entry = courses.CycleEntry(course_id, day, low)
    review = courses.decide_cycle(record, entry, confirmed=True, today=TODAY)
    courses.record_cycle_given(record, course_id, review, day, today=TODAY)

    window = CourseWindow(record, mrn)
    qtbot.addWidget(window)
    window.today = lambda: TODAY
    try:
        combo, spin = window.override_rows["vinorelbine"]
        offered = [combo.itemData(i) for i in range(combo.count())]
        assert "increase" in offered
        combo.setCurrentIndex(combo.findData("reduce"))
        spin.setValue(25.0)
        assert combo.currentData() == "increase"
        assert combo.currentText() == "give, higher dose"
        spin.setValue(6.25)
        assert combo.currentData() == "reduce"
        combo.setCurrentIndex(combo.findData("continue"))
        assert spin.value() == 12.5  # the last cycle's dose
        combo.setCurrentIndex(combo.findData("hold"))
        spin.setValue(25.0)  # a held drug's restart dose: no "give" words
        assert combo.currentData() == "hold"
    finally:
        window._timer.stop()
        wait_for_all()
