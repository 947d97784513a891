"""Review 19c, finding 2: the cycle-review form asks what a drug of the course reads and the
first form did not — INR, ascites and encephalopathy where a dose table reads Child–Pugh
(ribociclib: "cannot rule out Child–Pugh B or C" on every review), the LVEF where a HER2 drug's
table reads it — each only for such a course, with the case limits' units and range, kept in the
review's draft; a missing one is named in the results pane by the form's own caption."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QDate

from planner.services import kept_plans, review_fields
from planner.services import treatment_courses as courses
from planner.ui.background import wait_for_all
from tests.course_setup import NORMAL_LABS

DAY = dt.date(2026, 11, 20)
TODAY = dt.date(2027, 6, 30)
CHILD_PUGH = ("labs.inr", "clinical.ascites", "clinical.encephalopathy")
NORMAL = NORMAL_LABS
RIBOCICLIB = [
    {"drug": "letrozole", "starting_dose": {"value": 2.5, "unit": "mg"}},
    {"drug": "ribociclib", "starting_dose": {"value": 600.0, "unit": "mg"}},
]
TDXD = [{"drug": "trastuzumab deruxtecan", "starting_dose": {"value": 5.4, "unit": "mg/kg"}}]
CAPECITABINE = [{"drug": "capecitabine", "starting_dose": {"value": 1250.0, "unit": "mg/m2"}}]


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def keep_course(record, raw: dict[str, Any], regimen: str, drugs: list[dict[str, Any]]) -> None:
    """The sample patient's plan decided, and a course of `regimen` kept as the service keeps
    one (the sample case's plan need not offer the regimen)."""
    assessment = record.import_case(raw).assessment_id
    made = kept_plans.make_and_keep_plan(record, assessment)
    record.sign_in_as("Dr Karimov (oncologist)")
    kept_plans.decide_plan(
        record, made.plan_id, course="option", regimen="capecitabine", reason="oral, at home"
    )
    record.keep_course_start(
        patient_id=record.patient_id(raw["patient"]["mrn"]),
        plan_id=made.plan_id,
        regimen=regimen,
        drugs=drugs,
        cycle_days=21,
        started_on=DAY.isoformat(),
        first_cycle=[{"drug": d["drug"], "dose": d["starting_dose"]} for d in drugs],
    )


@pytest.fixture
def open_window(qtbot, record, example_raw):
    from planner.ui.course_window import CourseWindow

    opened = []

    def make(regimen: str, drugs: list[dict[str, Any]]) -> CourseWindow:
        keep_course(record, example_raw, regimen, drugs)
        window = CourseWindow(record, example_raw["patient"]["mrn"])
        qtbot.addWidget(window)
        window.show()
        window.today = lambda: TODAY
        window.entry.reviewed_on.setDate(qdate(DAY + dt.timedelta(days=21)))
        for name, result in NORMAL.items():
            window.entry.rows[name].write(result)
        opened.append(window)
        return window

    yield make
    for window in opened:
        window._timer.stop()  # no live preview after the record is closed
    wait_for_all()


def shown(window, path: str) -> bool:
    return window.entry.fields[path].widget.isVisibleTo(window)


def test_a_ribociclib_course_asks_inr_ascites_and_encephalopathy_and_decides(open_window, qtbot):
    """KISQALI US PI §2.2 / §8.6: the dose in Child–Pugh B or C is lower, so the review needs
    the Child–Pugh score; with the INR, ascites and encephalopathy of today the review decides
    (600 mg, nothing found), and before them it names each in the form's words."""
    window = open_window("letrozole_ribociclib", RIBOCICLIB)
    entry = window.entry
    assert all(shown(window, path) for path in CHILD_PUGH)
    assert not shown(window, "clinical.lvef_percent")
    assert not shown(window, "clinical.systolic_bp_mmhg")
    window.update_preview()
    assert window.preview is not None
    assert window.preview.next_cycle["decision"] == "insufficient_data"
    text = window.decision.toPlainText()
    # what to fill in comes first, under the heading, not below every drug's reasons
    assert text.index("Missing — fill in to decide") < text.index("letrozole:")
    missing = text.partition("Missing")[2].partition("letrozole:")[0]
    assert "INR (for Child–Pugh) — fill it in on the left" in missing
    assert "labs.inr" not in missing  # the field in words, never its path
    assert "fulvestrant" not in missing  # another option of the first plan, not this course

    qtbot.keyClicks(entry.inr.value, "1.1")
    window.update_preview()
    assert window.preview is not None
    # the assessment's ascites of months ago is not today's: still asked
    assert window.preview.next_cycle["decision"] == "insufficient_data"
    assert "Ascites (for Child–Pugh) — fill it in on the left" in window.decision.toPlainText()

    entry.ascites.setCurrentIndex(entry.ascites.findData("none"))
    entry.encephalopathy.setCurrentIndex(entry.encephalopathy.findData("none"))
    window.update_preview()
    assert window.preview is not None
    next_cycle = window.preview.next_cycle
    assert next_cycle["decision"] == "give", window.decision.toPlainText()
    assert [(d["drug"], d["action"], d["dose"]["value"]) for d in next_cycle["drugs"]] == [
        ("letrozole", "continue", 2.5),
        ("ribociclib", "continue", 600.0),
    ]
    assert window.preview.case["labs"]["inr"] == {"value": 1.1}
    # kept in the review's draft, and put back from it
    state = entry.state()
    assert state["labs"]["inr"] == {"value": 1.1}
    assert state["clinical"] == {"ascites": "none", "encephalopathy": "none"}
    entry.clear_results()
    assert entry.inr.read() is None
    assert entry.ascites.json_value() is None
    entry.restore(state)
    assert entry.inr.read() == {"value": 1.1}
    assert (entry.ascites.json_value(), entry.encephalopathy.json_value()) == ("none", "none")


def test_a_t_dxd_course_asks_the_lvef_and_reads_its_fall_from_before_the_course(
    open_window, qtbot, record
):
    """ENHERTU US PI §2.3 Table: LVEF 40–45 % with a fall of 10–20 points from baseline —
    interrupt, and repeat the assessment within 3 weeks. Her assessment's 58 % is the baseline;
    not measured today, the last measured is used and the box says so."""
    window = open_window("trastuzumab_deruxtecan_her2_positive", TDXD)
    entry = window.entry
    assert shown(window, "clinical.lvef_percent")
    assert not any(shown(window, path) for path in CHILD_PUGH)
    assert entry.lvef.placeholderText() == (
        "not measured today: the last, 58 % of 20/11/2026, is used"
    )
    window.update_preview()
    assert window.preview is not None
    assert window.preview.next_cycle["decision"] == "give", window.decision.toPlainText()
    assert window.preview.case["treatment"]["baseline_lvef_percent"] == 58

    qtbot.keyClicks(entry.lvef, "45")
    window.update_preview()
    assert window.preview is not None
    next_cycle = window.preview.next_cycle
    assert next_cycle["decision"] == "delay", window.decision.toPlainText()
    assert next_cycle["drugs"][0]["action"] == "hold"
    assert window.preview.case["clinical"]["lvef_percent"] == 45
    assert entry.state()["clinical"] == {"lvef_percent": 45}

    # out of the case limits' range: refused, named under the field (the rule table's range)
    entry.lvef.clear()
    qtbot.keyClicks(entry.lvef, "95")
    window.update_preview()
    assert window.preview is None
    assert "LVEF (echo or MUGA): 95 is outside 5–90 %" in window.decision.toPlainText()


def test_a_course_that_reads_none_of_them_does_not_ask_them(open_window):
    window = open_window("capecitabine", CAPECITABINE)
    assert not window.entry.when_needed.isVisibleTo(window)
    window.update_preview()
    assert window.preview is not None
    assert window.preview.next_cycle["decision"] == "give"


def test_the_last_lvef_measured_in_the_course_is_carried_not_the_assessment_s(record, example_raw):
    """A review that measured 45 % and was signed: the next review without an echo reads 45 %,
    never the assessment's 58 % (the fall would be forgotten)."""
    keep_course(record, example_raw, "trastuzumab_deruxtecan_her2_positive", TDXD)
    course = courses.open_course(record, example_raw["patient"]["mrn"])
    assert course is not None
    day = DAY + dt.timedelta(days=21)
    labs = {"drawn_on": day.isoformat(), **NORMAL}
    entry = courses.CycleEntry(course.id, day, labs, clinical={"lvef_percent": 45})
    courses.decide_cycle(record, entry, confirmed=True, today=TODAY)
    later = day + dt.timedelta(days=14)
    again = courses.CycleEntry(course.id, later, {**labs, "drawn_on": later.isoformat()})
    preview = courses.preview_cycle(record, again, today=TODAY)
    assert preview.case["clinical"]["lvef_percent"] == 45
    assert preview.next_cycle["decision"] == "delay"
    last = review_fields.latest_lvef(record, courses.read_course(record, course.id) or course)
    assert last == review_fields.MeasuredLvef(45.0, day.isoformat())


def test_the_results_pane_keeps_its_place_when_it_is_recalculated(open_window, qtbot):
    window = open_window("letrozole_ribociclib", RIBOCICLIB)
    window.resize(900, 500)
    window.update_preview()
    bar = window.decision.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum() // 2)
    kept = bar.value()
    qtbot.keyClicks(window.entry.inr.value, "1")
    window.update_preview()
    assert bar.value() == kept


def test_an_lvef_older_than_3_months_is_due_and_the_box_says_so(open_window):
    """Course item 2: reviewed 101 days after her 58 % (past the 3-month interval of
    HER2-directed therapy), the box says the last LVEF is too old to be used, and the pane names
    it as missing with its date and age — a gap, not a pass."""
    window = open_window("trastuzumab_deruxtecan_her2_positive", TDXD)
    window.entry.reviewed_on.setDate(qdate(DAY + dt.timedelta(days=101)))
    window.update_preview()
    assert window.preview is not None
    assert window.preview.next_cycle["decision"] == "insufficient_data"
    assert window.entry.lvef.placeholderText() == (
        "DUE: the last, 58 % of 20/11/2026, is too old to be used — enter today's"
    )
    pane = window.decision.toPlainText()
    assert "LVEF (echo or MUGA)" in pane
    assert "measured on 2026-11-20, 101 days before this review" in pane
    assert "DUE" in pane
