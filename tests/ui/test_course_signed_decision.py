"""A signed cycle decision is shown and never replaced without asking (issue 19 independent
review, finding 1: after an override — hold, restart at 50 % = 625 mg/m² — the window showed no
sign of it, the override boxes were reset, one more click on "Confirm and sign" signed the
program's suggestion over it and the cycle sheet printed the rejected dose)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate

from planner.domain.problems import InputInvalid
from planner.services import kept_plans
from planner.services import treatment_courses as courses
from planner.ui.background import wait_for_all
from tests.course_setup import NORMAL_LABS

DAY = dt.date(2026, 11, 20)
REASON = "third hand-foot episode at home; family cannot manage full dose"


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def enter_labs(window, day: dt.date) -> None:
    entry = window.entry
    entry.reviewed_on.setDate(qdate(day))
    for name, result in NORMAL_LABS.items():
        entry.rows[name].write(result)
    window.update_preview()


@pytest.fixture
def window(capecitabine_course_window):
    return capecitabine_course_window


def sign_override(window) -> None:
    combo, spin = window.override_rows["capecitabine"]
    combo.setCurrentIndex(combo.findData("hold"))
    spin.setValue(625)
    window.reason.setPlainText(REASON)
    window.prescriber.setChecked(True)
    window.override_button.click()


def test_a_signed_override_is_shown_kept_and_replaced_only_when_asked(
    window, qtbot, record, tmp_path
):
    c2 = DAY + dt.timedelta(days=21)
    enter_labs(window, c2)
    assert "Give this cycle" in window.decision.toPlainText()
    assert not window.signed.isVisibleTo(window)
    sign_override(window)

    # the window shows the signed decision: who, when, what, why
    shown = window.signed.text()
    assert window.signed.isVisibleTo(window)
    assert "Signed decision for cycle 2" in shown
    assert "capecitabine: hold — restart at 625 mg/m2 (50 % of starting)" in shown
    assert "overridden by Dr Karimov (oncologist) on " in shown
    assert REASON in shown
    # the override boxes hold the signed decision, not the suggestion
    combo, spin = window.override_rows["capecitabine"]
    assert combo.currentData() == "hold"
    assert spin.value() == 625

    # one more click asks first; "No" keeps the signed decision
    asked: list[str] = []

    def refuse(signed, new):
        asked.append(window.replace_question(signed, new))
        return False

    window.ask_replace = refuse
    window.prescriber.setChecked(True)
    window.confirm_button.click()
    assert len(asked) == 1
    assert "625 mg/m2" in asked[0]
    # the question names the decision that would replace it, drug and dose (walk 23 #21)
    assert (
        "Replace it with this decision?\n\nGive this cycle (cycle 2): capecitabine: give, "
        in (asked[0])
    )
    assert "at 1250 mg/m2 (100 % of starting)" in asked[0].split("Replace it with")[1]
    assert "Nothing signed: the signed decision stands" in window.status.text()
    course = record.course(window.course.id)
    assert [r.outcome for r in course.reviews] == ["overridden"]

    # the cycle sheet prints the signed decision, not the suggestion it overrode
    done: list[bool] = []
    window.sheet_done.connect(lambda: done.append(True))
    window.save_sheet_to(tmp_path / "override.pdf")
    qtbot.waitUntil(lambda: bool(done), timeout=120000)
    text = " ".join(
        " ".join(p.extract_text().split())
        for p in PdfReader(io.BytesIO((tmp_path / "override.pdf").read_bytes())).pages
    )
    assert "625 mg/m²" in text
    assert "1250 mg/m² × 100 %" not in text
    assert REASON in text

    # "Yes" replaces it with a new version; the override stays in the record
    window.ask_replace = lambda signed, new: True
    window.prescriber.setChecked(True)
    window.confirm_button.click()
    course = record.course(window.course.id)
    assert [r.outcome for r in course.reviews] == ["overridden", "confirmed"]
    assert course.reviews[0].decided["drugs"][0]["dose"]["value"] == 625
    assert "confirmed by Dr Karimov" in window.signed.text()


def test_the_service_refuses_a_silent_replacement(window, record):
    c2 = DAY + dt.timedelta(days=21)
    enter_labs(window, c2)
    sign_override(window)
    entry = window.cycle_entry()
    with pytest.raises(InputInvalid) as raised:
        courses.decide_cycle(record, entry, confirmed=True, today=c2)
    (problem,) = raised.value.problems
    assert problem.path == "review.replaces"
    assert "already has a signed decision" in problem.message
    signed = courses.signed_in_force(record, window.course.id)
    assert signed is not None
    with pytest.raises(InputInvalid):
        courses.decide_cycle(record, entry, confirmed=True, replaces=signed.id + 1, today=c2)
    courses.decide_cycle(record, entry, confirmed=True, replaces=signed.id, today=c2)


# ---- finding 2: two cycles on the same day; re-review 2: a cycle given in the future --------------


def test_cycles_cannot_crowd_and_the_dates_default_to_today(window, record):
    c2 = DAY + dt.timedelta(days=21)
    clock = [c2]
    window.today = lambda: clock[0]  # the clinic's today
    enter_labs(window, c2)
    window.prescriber.setChecked(True)
    window.confirm_button.click()
    window.given_on.setDate(qdate(c2))
    window.given_button.click()
    assert "Cycle 2 recorded as given on 11/12/2026" in window.status.text()
    # the next review defaults to today, not to cycle 3's due date three weeks ahead
    assert window.entry.reviewed_on.date() == qdate(c2)
    assert window.given_on.date() == qdate(c2)

    # a review signed the same day as cycle 2, then "given" that day: refused outright
    enter_labs(window, c2)
    window.prescriber.setChecked(True)
    window.confirm_button.click()
    window.given_on.setDate(qdate(c2))
    window.given_button.click()
    assert "Cycle given on: 11/12/2026 is the same day as cycle 2 (11/12/2026)" in (
        window.status.text()
    )
    # two days after cycle 2 (within the clinic's 3 days of its labs: walk 24): early — only
    # with a reason, which is kept
    early = c2 + dt.timedelta(days=2)
    clock[0] = early
    window.given_on.setDate(qdate(early))
    window.given_button.click()
    assert "Reason for giving the cycle early: is required: 13/12/2026 is 2 days after cycle 2" in (
        window.status.text()
    )
    assert "due 01/01/2027" in window.status.text()
    window.early_reason.setText("travels to her village for a month")
    window.given_button.click()
    assert "Cycle 3 recorded as given on 13/12/2026" in window.status.text()
    course = record.course(window.course.id)
    assert [c.given_on for c in course.cycles] == ["2026-11-20", "2026-12-11", "2026-12-13"]
    assert course.cycles[-1].drugs[0]["early_reason"] == "travels to her village for a month"


def test_a_cycle_is_never_recorded_on_a_future_date(window, record):
    """Re-review 2: on 7 December the window recorded cycle 2 as given on 14 December (the
    fields defaulted to the due date). The nurse reviews today's labs today; the cycle is
    recorded once given."""
    today = DAY + dt.timedelta(days=17)  # cycle 2 is due in four days
    c2 = DAY + dt.timedelta(days=21)
    window.today = lambda: today
    enter_labs(window, today)
    window.prescriber.setChecked(True)
    window.confirm_button.click()
    window.given_on.setDate(qdate(c2))  # the nurse types the due date
    # refused as it is entered, naming the field (issue 19 leftovers): nothing to click
    assert "Cycle given on: 11/12/2026 is in the future (today is 07/12/2026)" in (
        window.date_problems.text()
    )
    assert not window.given_button.isEnabled()
    window.given_button.click()
    assert [c.cycle for c in record.course(window.course.id).cycles] == [1]


def test_a_late_patient_is_reviewed_today(qtbot, record, example_raw):
    """Cycle 2 was due 21 days after cycle 1; she comes 40 days after: today is the default."""
    from planner.ui.course_window import CourseWindow

    assessment = record.import_case(example_raw).assessment_id
    made = kept_plans.make_and_keep_plan(record, assessment)
    kept_plans.decide_plan(
        record,
        made.plan_id,
        course="option",
        regimen="capecitabine",
        reason="oral: she prefers tablets",
    )
    shown = CourseWindow(record, example_raw["patient"]["mrn"])
    qtbot.addWidget(shown)
    late = DAY + dt.timedelta(days=40)
    shown.today = lambda: late
    shown.started_on.setDate(qdate(DAY))
    shown.cycle_days.setValue(21)
    shown.start_button.click()
    assert shown.entry.reviewed_on.date() == qdate(late)
    shown._timer.stop()
    wait_for_all()


# ---- re-review 2: an override of a label's hold asks who decided, and asks twice ----------------


def test_an_override_giving_against_a_hold_names_who_decided_and_asks_again(window, record):
    c2 = DAY + dt.timedelta(days=21)
    window.today = lambda: c2
    enter_labs(window, c2)
    window.entry.rows["anc"].write({"value": 0.8, "unit": "10^9/L"})
    window.update_preview()
    assert "Delay this cycle" in window.decision.toPlainText()
    combo, spin = window.override_rows["capecitabine"]
    combo.setCurrentIndex(combo.findData("continue"))
    spin.setValue(1250)
    window.reason.setPlainText("patient's wish after discussion; G-CSF cover")
    # pre-filled with the session's user, editable, required
    assert window.decided_by.text() == "Dr Karimov (oncologist)"
    asked: list[tuple[str, ...]] = []

    def refuse(rules):
        asked.append(tuple(rules))
        return False

    window.ask_give_against_label = refuse
    window.prescriber.setChecked(True)
    window.override_button.click()
    assert "Nothing signed: the label's rule stands." in window.status.text()
    (rules,) = asked
    assert rules[0].startswith("capecitabine: the label's rule says hold it — ")
    assert "Source: " in rules[0]
    assert record.course(window.course.id).reviews == ()

    window.ask_give_against_label = lambda rules: True
    window.decided_by.clear()
    window.prescriber.setChecked(True)
    window.override_button.click()
    assert "Decided by: is required" in window.status.text()
    window.decided_by.setText("Dr Rao (medical oncologist)")
    window.prescriber.setChecked(True)
    window.override_button.click()
    assert "Signed by Dr Rao (medical oncologist)" in window.status.text()
    (review,) = record.course(window.course.id).reviews
    assert (review.outcome, review.signed_by) == ("overridden", "Dr Rao (medical oncologist)")
    assert review.decided["decision"] == "give"
