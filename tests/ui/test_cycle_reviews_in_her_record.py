"""Walk 23 #9: each signed cycle review added a full "assessment" row and an undecided plan that
looked like a visit's, and ECOG was copied forward as if assessed at each review. The record
says which rows are cycle reviews, in words, and leaves the carried values blank (the tooltip
says where the engine read them from)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from planner.services import treatment_courses as courses
from tests import course_setup
from tests.course_setup import DAY, TODAY, decide_regimen


@pytest.fixture
def reviewed(record, example_raw):
    plan_id = decide_regimen(record, example_raw, reason="oral, at home")
    course_id = courses.start_course(record, plan_id, cycle_days=21, started_on=DAY)
    c2 = DAY + dt.timedelta(days=21)
    low = courses.CycleEntry(course_id, c2, course_setup.labs_on(c2, anc=1.2, inr=1.1))
    courses.decide_cycle(record, low, confirmed=True, today=TODAY)
    return example_raw["patient"]["mrn"]


def test_her_trend_marks_the_cycle_review_and_carries_nothing_as_measured(record, reviewed):
    visit, review = record.trend(reviewed)
    assert (visit.cycle_review, visit.ecog) == (None, 1)
    assert review.cycle_review == "cycle 2 review: delay"
    assert review.ecog is None  # not assessed at the review (the case carried 1 for the engine)
    assert review.weight_kg is None  # not weighed that day: the course's assessment's weight
    assert review.carried_from == DAY.isoformat()
    assert review.bilirubin_x_uln is not None  # that day's blood: measured


def test_the_record_says_cycle_review_in_the_list_and_the_plan_history(qtbot, record, reviewed):
    from planner.ui.record_view import TREND_COLUMNS, RecordView

    view = RecordView(record)
    qtbot.addWidget(view)
    view.show_patient(reviewed)
    model = view.table.model()
    keys = [k for k, _ in TREND_COLUMNS]
    on = model.data(model.index(1, keys.index("assessed_on")))
    assert on.endswith("(cycle 2 review: delay)")
    assert model.data(model.index(1, keys.index("ecog"))) == "—"
    tip = model.data(model.index(1, keys.index("ecog")), Qt.ItemDataRole.ToolTipRole)
    assert "not a visit" in tip
    assert "ECOG" in tip
    labels = [view.left_plan.itemText(i) for i in range(view.left_plan.count())]
    assert any(label.endswith("cycle 2 review: delay, program's plan") for label in labels), labels
    # the plan to act on is still her decided plan, not the program's (walk 23 #9)
    assert any(label.endswith("CURRENT, decided") for label in labels), labels


def test_the_program_s_plan_of_a_review_says_its_doses_are_not_her_course_s(
    qtbot, record, reviewed
):
    """Walk 24 #9: the program's plan of a cycle review listed gemcitabine 1250 mg/m²
    (standard) while her course gave 375 mg/m², permanently reduced: its pane says that its
    options are a new start's doses and what her course was signed to give at that review."""
    from planner.ui.record_view import RecordView

    view = RecordView(record)
    qtbot.addWidget(view)
    view.show_patient(reviewed)
    programs = [
        i
        for i in range(view.left_plan.count())
        if view.left_plan.itemText(i).endswith("program's plan")
    ]
    (index,) = programs
    view.left_plan.setCurrentIndex(index)
    words = view.left_text.toPlainText()
    assert "starting doses for a NEW treatment, not her course's doses" in words
    assert "Her course, as signed at that review: capecitabine: hold" in words
