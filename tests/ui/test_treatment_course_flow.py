"""The whole course in the window (issue 19): plan, decide, start the course, three cycles with
one reduction and one delay, print — with the real doses, decisions and printed words."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate

from planner.services import kept_plans
from planner.ui.background import wait_for_all
from planner.ui.mnemonics import mnemonics_in_view

DAY = dt.date(2026, 11, 20)
HFS = "palmar_plantar_erythrodysesthesia"


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pdf_text(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def enter_labs(window, qtbot, day: dt.date, anc: str) -> None:
    entry = window.entry
    entry.reviewed_on.setDate(qdate(day))
    results = {
        "platelets": {"value": 220, "unit": "10^9/L"},
        "hemoglobin": {"value": 110, "unit": "g/L"},
        "bilirubin": {"value": 30, "unit": "umol/L", "uln": 21},
        "alt": {"value": 60, "unit": "U/L", "uln": 45},
        "ast": {"value": 80, "unit": "U/L", "uln": 40},
        "alp": {"value": 300, "unit": "U/L", "uln": 130},
        "albumin": {"value": 32, "unit": "g/L"},
        "creatinine": {"value": 70, "unit": "umol/L"},
    }
    for name, result in results.items():
        entry.rows[name].write(result)
    entry.rows["anc"].value.clear()
    qtbot.keyClicks(entry.rows["anc"].value, anc)  # typed, as the nurse does
    window.update_preview()


def sheet_of(window, qtbot, path) -> list[str]:
    # waitUntil, not waitSignal: a nested event loop returns at once once a test has quit the
    # application (tests/ui/test_quit.py), and the signal would be missed
    done: list[bool] = []
    window.sheet_done.connect(lambda: done.append(True))
    window.save_sheet_to(path)
    qtbot.waitUntil(lambda: bool(done), timeout=120000)
    assert window.sheet is not None, window.status.text()
    return pdf_text(path.read_bytes())


@pytest.fixture
def window(qtbot, record, ui_settings, example_raw):
    """The main window on a record holding the sample patient, capecitabine decided on her plan,
    and her course window opened from the main window's menu action."""
    from planner.ui.main_window import MainWindow

    assessment = record.import_case(example_raw).assessment_id
    made = kept_plans.make_and_keep_plan(record, assessment)
    record.sign_in_as("Dr Karimov (oncologist)")
    kept_plans.decide_plan(
        record, made.plan_id, course="option", regimen="capecitabine", reason="oral, at home"
    )
    main = MainWindow(record, ui_settings)
    qtbot.addWidget(main)
    main.show()
    main.open_patient(example_raw["patient"]["mrn"])
    main.course_action.trigger()
    shown = main.course_window
    qtbot.addWidget(shown)
    qtbot.waitExposed(shown)
    # the clinic's today: after every date the test gives a cycle on (none is in the future)
    shown.today = lambda: dt.date(2027, 6, 30)
    yield shown
    shown._timer.stop()  # no live preview after the record is closed
    wait_for_all()


def test_plan_decide_start_three_cycles_reduce_delay_print(window, qtbot, record, tmp_path):
    # start: the decided plan's regimen and dose, no retyping; the cycle length must be given
    assert "Capecitabine" in window.offer.text()
    assert "1250 mg/m²" in window.offer.text()
    window.started_on.setDate(qdate(DAY))
    assert window.cycle_days.value() == 21  # the regimen's schedule says so (editable)
    window.cycle_days.setValue(0)
    window.start_button.click()
    assert "Cycle length: is required" in window.status.text()
    window.cycle_days.setValue(21)
    window.start_button.click()
    assert window.review_box.isVisibleTo(window)
    assert not Counter(mnemonics_in_view(window)) - Counter(set(mnemonics_in_view(window)))

    # cycle 2: hand-foot syndrome grade 3 (now grade 1): reduce to 75 % = 937.5 mg/m2
    c2 = DAY + dt.timedelta(days=21)
    effect = window.entry.add_effect()
    effect.term.setCurrentIndex(effect.term.findData(HFS))
    assert effect.term.currentText().startswith("Hand-foot syndrome")
    assert effect.worst.itemText(3).startswith("3 — Severe skin changes")
    effect.worst.setCurrentIndex(effect.worst.findData(3))
    effect.current.setCurrentIndex(effect.current.findData(1))
    enter_labs(window, qtbot, c2, "3.0")
    shown = window.decision.toPlainText()
    assert "Give this cycle — cycle 2" in shown
    assert "capecitabine: give, reduced dose — 937.5 mg/m² (75 % of starting)" in shown
    assert "cycle.capecitabine.grade3.first" in shown
    window.prescriber.setChecked(True)
    window.confirm_button.click()
    assert "Signed by Dr Karimov (oncologist): Give this cycle (cycle 2)" in window.status.text()
    window.given_on.setDate(qdate(c2))
    window.given_button.click()
    assert "Cycle 2 recorded as given on 11/12/2026" in window.status.text()

    # cycle 3: neutrophils 1.2 on day 1: hold, re-check in 7 days; nothing can be given
    c3 = c2 + dt.timedelta(days=21)
    enter_labs(window, qtbot, c3, "1.2")
    assert "Delay this cycle — cycle 3" in window.decision.toPlainText()
    window.prescriber.setChecked(True)
    window.confirm_button.click()
    assert not window.given_button.isEnabled()
    delay = sheet_of(window, qtbot, tmp_path / "delay.pdf")
    assert "Decision: DELAY this cycle" in delay[0]
    assert "Repeat the blood tests in 7 days" in delay[0]
    first = next(i for i, p in enumerate(delay) if "· for the patient" in p)
    mine = " ".join(delay[first:])  # the patient's part may run to a second page
    assert "Your treatment waits this time" in mine
    assert "Come back for a blood test on 8 January 2027" in mine
    assert " mg " not in f" {mine} "  # no dose on the patient's pages of a delay

    # a week later, recovered: cycle 3 at the reduced dose
    c3b = c3 + dt.timedelta(days=7)
    enter_labs(window, qtbot, c3b, "2.1")
    assert "937.5 mg/m²" in window.decision.toPlainText()
    window.prescriber.setChecked(True)
    window.confirm_button.click()
    window.given_on.setDate(qdate(c3b))
    window.given_button.click()

    course = record.course(window.course.id)
    assert [(c.cycle, c.drugs[0]["dose"]["value"]) for c in course.cycles] == [
        (1, 1250.0),
        (2, 937.5),
        (3, 937.5),
    ]
    assert [r.decided["decision"] for r in course.reviews] == ["give", "delay", "give"]
    assert "Cycles given: 3" in window.state.text()

    window.signed_review = None  # the sheet of the latest review
    pages = sheet_of(window, qtbot, tmp_path / "cycle3.pdf")
    first = next(
        i for i, p in enumerate(pages) if "· for the patient" in p
    )  # the patient's part may run to a second page
    doctor, patient = " ".join(pages[:first]), " ".join(pages[first:])
    assert "Cycle review — Capecitabine, cycle 3" in doctor
    assert "confirmed by Dr Karimov (oncologist)" in doctor
    assert "1250 mg/m² × 75 % = 937.5 mg/m² × 1.55 m² (Mosteller) = 1453.1 mg" in doctor
    assert "Across the course" in doctor
    # she takes whole tablets: 1453.1 mg rounded down (nurse19 review item 1)
    assert "1450 mg = 2 × 500 mg + 3 × 150 mg tablets each time" in patient
    assert "cycle.capecitabine" not in patient
    assert record.check() == []


def test_an_override_prints_its_reason_and_signer(capecitabine_course_window, qtbot, tmp_path):
    window = capecitabine_course_window
    enter_labs(window, qtbot, DAY + dt.timedelta(days=21), "3.0")
    combo, spin = window.override_rows["capecitabine"]
    combo.setCurrentIndex(combo.findData("reduce"))
    spin.setValue(1000)
    window.prescriber.setChecked(True)
    window.override_button.click()
    assert "Override reason: is required" in window.status.text()
    window.reason.setPlainText("frail after a fall; family asked")
    window.prescriber.setChecked(True)
    window.override_button.click()
    pages = sheet_of(window, qtbot, tmp_path / "override.pdf")
    doctor = " ".join(pages[:-1])
    assert "Overridden by Dr Karimov (oncologist)" in doctor
    assert "Reason for the override: frail after a fall; family asked" in doctor
    assert "1250 mg/m² × 80 % = 1000 mg/m²" in doctor


def test_missing_labs_decide_nothing_and_name_the_field(capecitabine_course_window, qtbot):
    window = capecitabine_course_window
    enter_labs(window, qtbot, DAY + dt.timedelta(days=21), "")
    shown = window.decision.toPlainText()
    assert "Not decided: results are missing" in shown
    assert "no dose" in shown
    assert not window.confirm_button.isEnabled()
    qtbot.keyClicks(window.entry.rows["anc"].value, "abc")
    window.update_preview()
    # the field named as the form names it, never its path (review 19c)
    assert 'Neutrophils: "abc" is not a number' in window.decision.toPlainText()


def test_the_review_form_shows_each_liver_test_times_its_uln(capecitabine_course_window, qtbot):
    window = capecitabine_course_window
    enter_labs(window, qtbot, DAY + dt.timedelta(days=21), "3.0")
    rows = window.entry.rows
    # 30/21 µmol/L, 60/45, 80/40 and 300/130 U/L: the liver assessment's own multiples
    assert rows["bilirubin"].x_uln.text() == "1.43 × ULN"
    assert rows["alt"].x_uln.text() == "1.33 × ULN"
    assert rows["ast"].x_uln.text() == "2 × ULN"
    assert rows["alp"].x_uln.text() == "2.31 × ULN"
    # a result without a ULN (and none set by the clinic) has no multiple: never guessed
    rows["alt"].uln.clear()
    window.update_preview()
    assert rows["alt"].x_uln.text() == ""
    assert rows["ast"].x_uln.text() == "2 × ULN"


def test_a_review_being_entered_survives_closing_and_is_offered_again(
    capecitabine_course_window, qtbot, record, example_raw
):
    from planner.ui.course_window import CourseWindow

    window = capecitabine_course_window
    c2 = DAY + dt.timedelta(days=21)
    effect = window.entry.add_effect()
    effect.term.setCurrentIndex(effect.term.findData(HFS))
    effect.worst.setCurrentIndex(effect.worst.findData(3))
    effect.current.setCurrentIndex(effect.current.findData(1))
    enter_labs(window, qtbot, c2, "1.4")
    window.close()  # not signed

    mrn = example_raw["patient"]["mrn"]
    # the wizard's list of unfinished assessments and the patient's count leave it out
    assert record.drafts() == []
    assert [p.drafts for p in record.search(mrn)] == [0]
    again = CourseWindow(record, mrn)
    qtbot.addWidget(again)
    again.today = window.today
    assert again.draft_box.isVisibleTo(again)
    assert "labs of 11/12/2026" in again.draft_note.text()
    assert not Counter(mnemonics_in_view(again)) - Counter(set(mnemonics_in_view(again)))
    assert again.entry.rows["anc"].value.text() == ""  # offered, not put back unasked
    again.resume_draft()
    assert again.entry.rows["anc"].value.text() == "1.4"
    assert again.entry.rows["bilirubin"].uln.text() == "21"
    (resumed,) = again.entry.effects
    assert (resumed.term.currentData(), resumed.worst.currentData()) == (HFS, 3)
    assert resumed.current.currentData() == 1
    assert "Delay this cycle — cycle 2" in again.decision.toPlainText()
    # signed: the draft is gone, nothing is offered on the next opening
    again.prescriber.setChecked(True)
    again.confirm_button.click()
    assert "Signed by" in again.status.text()
    again.close()
    third = CourseWindow(record, mrn)
    qtbot.addWidget(third)
    assert not third.draft_box.isVisibleTo(third)


def test_a_discarded_draft_is_not_offered_again(window, qtbot, record, example_raw):
    from planner.ui.course_window import CourseWindow

    window.started_on.setDate(qdate(DAY))
    window.cycle_days.setValue(21)
    window.start_button.click()
    enter_labs(window, qtbot, DAY + dt.timedelta(days=21), "3.0")
    window.close()
    mrn = example_raw["patient"]["mrn"]
    again = CourseWindow(record, mrn)
    qtbot.addWidget(again)
    assert again.draft_box.isVisibleTo(again)
    again.discard_draft()
    assert not again.draft_box.isVisibleTo(again)
    again.close()  # nothing typed: nothing saved
    third = CourseWindow(record, mrn)
    qtbot.addWidget(third)
    assert not third.draft_box.isVisibleTo(third)
