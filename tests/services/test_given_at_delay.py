"""Walk 23 #7: after a signed "DELAY palbociclib; GIVE fulvestrant today", "Record cycle given"
was off and the fulvestrant injection given that day could not be recorded (a double or a missed
dose). What a delay gives today is recorded, each drug at its decided dose, the delayed drug as
delayed; the delayed cycle stays to come, and the course document shows both."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from planner.domain.problems import InputInvalid
from planner.services import course_views
from planner.services import treatment_courses as courses
from tests import course_setup
from tests.course_setup import DAY, TODAY, decide_regimen


@pytest.fixture
def delayed(record, example_raw):
    """Fulvestrant + palbociclib started on DAY; cycle 2 reviewed with neutrophils 0.8: signed
    as suggested (palbociclib held, fulvestrant given)."""
    raw = copy.deepcopy(example_raw)
    raw["disease"]["prior_therapy"][0]["drugs"] = ["letrozole"]
    plan_id = decide_regimen(
        record, raw, "fulvestrant_palbociclib_after_et", reason="no CDK4/6 yet: palbociclib"
    )
    course_id = courses.start_course(record, plan_id, cycle_days=28, started_on=DAY)
    c2 = DAY + dt.timedelta(days=28)
    low = courses.CycleEntry(
        course_id,
        c2,
        course_setup.labs_on(c2, liver=course_setup.NORMAL_LIVER, anc=0.8, inr=1.0),
        clinical={"ascites": "none", "encephalopathy": "none"},
    )
    review_id = courses.decide_cycle(record, low, confirmed=True, today=TODAY)
    return course_id, review_id, c2


def test_what_a_delay_gives_today_is_recorded_and_the_cycle_stays_to_come(record, delayed):
    course_id, review_id, c2 = delayed
    course = record.course(course_id)
    review = course.review(review_id)
    actions = {d["drug"]: d["action"] for d in review.decided["drugs"]}
    assert review.decided["decision"] == "delay"
    assert actions["palbociclib"] == "hold"
    assert actions["fulvestrant"] in ("continue", "reduce", "increase")
    with pytest.raises(InputInvalid, match="the decision is delay"):
        courses.record_cycle_given(record, course_id, review_id, c2, today=TODAY)

    assert courses.delay_to_record(course) == review
    courses.record_given_at_delay(record, course_id, review_id, c2, today=TODAY)
    course = record.course(course_id)
    assert [c.cycle for c in course.cycles] == [1]  # cycle 2 is still to come
    (given,) = course.given_at_delay
    fulvestrant = next(d for d in review.decided["drugs"] if d["drug"] == "fulvestrant")
    assert given.drugs == (
        {"drug": "fulvestrant", "dose": fulvestrant["dose"], "given_at_delay": True},
        {"drug": "palbociclib", "delayed": True},
    )
    assert courses.delay_to_record(course) is None  # once per delay
    with pytest.raises(InputInvalid):
        courses.record_given_at_delay(record, course_id, review_id, c2, today=TODAY)
    document = course_views.course_document(record, course_id)
    assert document["cycles_given"] == 1
    assert document["given_at_delay"][0]["drugs"][1] == {"drug": "palbociclib", "delayed": True}
    from planner.services import record_audit

    whats = [line.what for line in record_audit.patient_audit(record, "TAS-000123")]
    assert any(
        w.startswith("at the delay of cycle 2, on ") and w.endswith("palbociclib delayed")
        for w in whats
    ), whats
    assert record.check() == []


def test_the_course_window_offers_it_and_says_what_was_given(qtbot, record, example_raw, delayed):
    from PySide6.QtCore import QDate

    from planner.ui.course_window import CourseWindow

    _, _, c2 = delayed
    window = CourseWindow(record, example_raw["patient"]["mrn"])
    qtbot.addWidget(window)
    window.today = lambda: TODAY
    window.refresh()
    assert not window.given_button.isEnabled()
    assert window.delay_given_button.isEnabled()
    assert "fulvestrant" in window.delay_given_button.toolTip()
    window.given_on.setDate(QDate(c2.year, c2.month, c2.day))
    window.record_given_at_delay()
    assert "Recorded as given on" in window.status.text()
    assert "palbociclib delayed" in window.status.text()
    assert "At the delay of cycle 2" in window.state.text()
    assert not window.delay_given_button.isEnabled()
    window._timer.stop()


@pytest.mark.xfail(
    strict=True,
    reason="print24 F1: open — a delay's injection is kept as the course_cycles row of the "
    "delayed cycle (UNIQUE (course_id, cycle)): the cycle itself, given after the recheck, "
    "cannot then be recorded (sqlite3.IntegrityError)",
)
def test_the_delayed_cycle_can_be_recorded_after_its_injection_was(record, delayed):
    """Found by print24 while making cycle sheets: DELAY palbociclib; GIVE fulvestrant today,
    recorded; a week later the count has recovered, the recheck is signed to give — and
    "Record cycle given" for cycle 2 fails in the record."""
    course_id, review_id, c2 = delayed
    courses.record_given_at_delay(record, course_id, review_id, c2, today=TODAY)
    recheck = c2 + dt.timedelta(days=7)
    entry = courses.CycleEntry(
        course_id,
        recheck,
        course_setup.labs_on(recheck, liver=course_setup.NORMAL_LIVER, anc=2.0, inr=1.0),
        clinical={"ascites": "none", "encephalopathy": "none"},
    )
    given = courses.decide_cycle(record, entry, confirmed=True, today=TODAY)
    assert record.course(course_id).review(given).decided["decision"] == "give"
    courses.record_cycle_given(record, course_id, given, recheck, today=TODAY)
    assert [c.cycle for c in record.course(course_id).cycles] == [1, 2]


def test_nothing_is_recorded_at_the_delay_while_a_new_review_is_unsigned_said_as_for_a_cycle(
    qtbot, record, example_raw, delayed
):
    """cycle24 #7: the two record buttons had two guards for an unsigned review, in different
    words (the delay's did not say which signed decision it would have recorded). One guard now:
    both refuse in the same words, naming the signed decision."""
    from planner.ui.course_window import CourseWindow

    course_id, _, _c2 = delayed
    window = CourseWindow(record, example_raw["patient"]["mrn"])
    qtbot.addWidget(window)
    window.today = lambda: TODAY
    window.refresh()
    window.entry.rows["anc"].write({"value": 2.5, "unit": "10^9/L"})  # a new review begins
    window.update_preview()
    assert window.entering()
    assert not window.delay_given_button.isEnabled()
    window.record_given_at_delay()  # (a shortcut or a stale click)
    said = window.status.text()
    assert "Nothing recorded: a new review is entered and not signed" in said
    assert "recording now would give the earlier signed decision (" in said
    assert "delay" in said.split("signed decision (", 1)[1]
    assert record.course(course_id).given_at_delay == ()
    window._timer.stop()
