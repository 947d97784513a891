"""print24: the course window's header said the course's starting doses after a delay-day review
had decided others (palbociclib's restart dose lowered, fulvestrant given at the delay): it says
the doses as the course stands — what was given at the delay, the signed decision in force for
the next cycle, else the last cycle given's — and where each comes from."""

from __future__ import annotations

import copy
import datetime as dt

from planner.domain import treatment_course as tc
from planner.services import treatment_courses as courses
from tests import course_setup
from tests.course_setup import DAY, TODAY, decide_regimen


def test_the_header_says_the_decided_doses_not_the_starting_ones(qtbot, record, example_raw):
    from planner.ui.course_window import CourseWindow

    raw = copy.deepcopy(example_raw)
    raw["disease"]["prior_therapy"][0]["drugs"] = ["letrozole"]
    plan_id = decide_regimen(
        record, raw, "fulvestrant_palbociclib_after_et", reason="no CDK4/6 yet: palbociclib"
    )
    course_id = courses.start_course(record, plan_id, cycle_days=28, started_on=DAY)
    start = {d["drug"]: d["starting_dose"] for d in record.course(course_id).drugs}
    c2 = DAY + dt.timedelta(days=28)
    entry = courses.CycleEntry(
        course_id,
        c2,
        course_setup.labs_on(c2, liver=course_setup.NORMAL_LIVER, anc=0.8, inr=1.0),
        clinical={"ascites": "none", "encephalopathy": "none"},
    )
    suggested = courses.preview_cycle(record, entry, today=TODAY).next_cycle
    fulvestrant = next(d for d in suggested["drugs"] if d["drug"] == "fulvestrant")
    lower = start["palbociclib"]["value"] - 25
    review_id = courses.decide_cycle(
        record,
        entry,
        confirmed=False,
        drugs=(
            tc.DecidedDrug("palbociclib", "hold", lower, "neutropenia twice: one level lower"),
            tc.DecidedDrug("fulvestrant", fulvestrant["action"], fulvestrant["dose"]["value"]),
        ),
        reason="second grade 3 neutropenia: restart one level lower",
        today=TODAY,
    )
    window = CourseWindow(record, raw["patient"]["mrn"])
    qtbot.addWidget(window)
    window.today = lambda: TODAY
    window.refresh()
    header = window.state.text()
    assert (
        f"palbociclib on hold, restart at {lower:g} mg (signed {window._day(c2.isoformat())})"
        in (header)
    ), header
    assert f"palbociclib {start['palbociclib']['value']:g} mg," not in header
    # once the delay's injection is recorded, the header says so
    courses.record_given_at_delay(record, course_id, review_id, c2, today=TODAY)
    window.refresh()
    header = window.state.text()
    assert "(given " in header, header
    assert "at the delay)" in header
    assert f"restart at {lower:g} mg" in header
    window._timer.stop()


def test_with_nothing_signed_the_header_says_the_last_cycle_given(record, example_raw):
    raw = copy.deepcopy(example_raw)
    plan_id = course_setup.decide_regimen(record, raw)
    course_id = courses.start_course(record, plan_id, cycle_days=21, started_on=DAY)
    course = record.course(course_id)
    (now,) = tc.doses_now(course)
    assert now.came_from == "given"
    assert now.dose == tc.current_doses(course)[now.drug]
