"""Issue 19 leftovers (independent nurse + pharmacist review) in the course window."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate

from planner.services import kept_plans
from planner.ui.background import wait_for_all
from tests.course_setup import NORMAL_LABS

DAY = dt.date(2026, 11, 20)
TODAY = dt.date(2027, 6, 30)


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


NORMAL = NORMAL_LABS


def course_window(qtbot, record, example_raw, *, bevacizumab: bool):
    """The course window of the sample patient: on weekly paclitaxel with bevacizumab under the EU
    label set (a course
    kept in the record as the service keeps it; the sample case is not in visceral crisis, so its
    plan does not offer the regimen), or on the capecitabine her plan decided."""
    from planner.ui.course_window import CourseWindow

    assessment = record.import_case(example_raw).assessment_id
    made = kept_plans.make_and_keep_plan(record, assessment)
    record.sign_in_as("Dr Karimov (oncologist)")
    kept_plans.decide_plan(
        record, made.plan_id, course="option", regimen="capecitabine", reason="oral, at home"
    )
    mrn = example_raw["patient"]["mrn"]
    if bevacizumab:
        # the EU SmPC: the US label has no breast-cancer indication for bevacizumab (a stop)
        record.set_clinic_settings({"labels": "eu"})
        drugs = [
            {"drug": "paclitaxel", "starting_dose": {"value": 90.0, "unit": "mg/m2"}},
            {"drug": "bevacizumab", "starting_dose": {"value": 10.0, "unit": "mg/kg"}},
        ]
        record.keep_course_start(
            patient_id=record.patient_id(mrn),
            plan_id=made.plan_id,
            regimen="paclitaxel_bevacizumab",
            drugs=drugs,
            cycle_days=28,
            started_on=DAY.isoformat(),
            first_cycle=[{"drug": d["drug"], "dose": d["starting_dose"]} for d in drugs],
        )
    shown = CourseWindow(record, mrn)
    qtbot.addWidget(shown)
    shown.show()
    shown.today = lambda: TODAY
    return shown


@pytest.fixture
def closing():
    opened = []
    yield opened.append
    for window in opened:
        window._timer.stop()  # no live preview after the record is closed
    wait_for_all()


def enter(window, day: dt.date) -> None:
    window.entry.reviewed_on.setDate(qdate(day))
    for name, result in NORMAL.items():
        window.entry.rows[name].write(result)


def test_bevacizumab_review_from_the_window_decides_with_blood_pressure_and_urine(
    qtbot, record, example_raw, closing
):
    """Avastin USPI §2.4: withhold for severe hypertension not controlled, and for proteinuria
    of 2 g or more per 24 hours (a dipstick of 2+ or more asks for the 24-hour collection). The
    form asks for them on a bevacizumab course; entered, the review decides with no gap."""
    window = course_window(qtbot, record, example_raw, bevacizumab=True)
    closing(window)
    entry = window.entry
    assert entry.when_needed.isVisibleTo(window)
    enter(window, DAY + dt.timedelta(days=28))
    window.update_preview()
    assert window.preview is not None
    assert window.preview.next_cycle["decision"] == "insufficient_data"
    missing = window.decision.toPlainText()
    assert "Blood pressure, systolic — fill it in on the left" in missing
    assert "Urine dipstick, protein — fill it in on the left" in missing

    qtbot.keyClicks(entry.systolic, "132")
    qtbot.keyClicks(entry.diastolic, "84")
    entry.dipstick.setCurrentIndex(entry.dipstick.findData("2+"))
    window.update_preview()
    assert window.preview is not None
    assert window.preview.next_cycle["decision"] == "insufficient_data"  # 2+: the 24-hour total
    assert "Urine protein, 24-hour collection (at dipstick 2+ or more) — fill it in" in (
        window.decision.toPlainText()
    )

    entry.urine_protein.write({"value": 0.8, "unit": "g/24h"})
    window.update_preview()
    assert window.preview is not None
    next_cycle = window.preview.next_cycle
    assert next_cycle["decision"] == "give", window.decision.toPlainText()
    assert [d["action"] for d in next_cycle["drugs"]] == ["continue", "continue"]
    asked = ("clinical.systolic_bp_mmhg", "clinical.urine_dipstick_protein")
    assert not [g for g in window.preview.plan["gaps"] if g["field"] in asked]
    clinical = window.preview.case["clinical"]
    assert (clinical["systolic_bp_mmhg"], clinical["urine_dipstick_protein"]) == (132, "2+")
    # what was typed is kept as the review's draft, blood pressure and urine included
    state = entry.state()
    assert state["clinical"] == {
        "systolic_bp_mmhg": 132,
        "diastolic_bp_mmhg": 84,
        "urine_dipstick_protein": "2+",
    }
    assert state["labs"]["urine_protein_24h"] == {"value": 0.8, "unit": "g/24h"}


def test_the_blood_pressure_from_her_assessment_is_not_today_s(qtbot, record, example_raw, closing):
    """A blood pressure recorded at the assessment months ago is not the one the label means:
    not entered today, it is a gap — never a stale value read as today's."""
    example_raw.setdefault("clinical", {})["systolic_bp_mmhg"] = 120
    example_raw["clinical"]["diastolic_bp_mmhg"] = 70
    window = course_window(qtbot, record, example_raw, bevacizumab=True)
    closing(window)
    enter(window, DAY + dt.timedelta(days=28))
    window.entry.dipstick.setCurrentIndex(window.entry.dipstick.findData("negative"))
    window.update_preview()
    assert window.preview is not None
    assert "systolic_bp_mmhg" not in window.preview.case["clinical"]
    assert window.preview.next_cycle["decision"] == "insufficient_data"


def test_a_course_without_bevacizumab_does_not_ask_for_them(qtbot, record, example_raw, closing):
    window = course_window(qtbot, record, example_raw, bevacizumab=False)
    closing(window)
    window.started_on.setDate(qdate(DAY))
    window.cycle_days.setValue(21)
    window.start_button.click()
    assert window.review_box.isVisibleTo(window)
    assert not window.entry.when_needed.isVisibleTo(window)


# ---- item 4: dates, refresh, the shortcut, an old plan ---------------------------------------


def test_a_future_date_is_refused_as_it_is_entered_naming_the_field(
    qtbot, record, example_raw, closing
):
    window = course_window(qtbot, record, example_raw, bevacizumab=False)
    closing(window)
    window.started_on.setDate(qdate(TODAY + dt.timedelta(days=3)))
    assert window.date_problems.isVisibleTo(window)
    assert window.date_problems.text().startswith(
        "First cycle given on: 03/07/2027 is in the future"
    )
    assert not window.start_button.isEnabled()
    window.started_on.setDate(qdate(DAY))
    assert not window.date_problems.isVisibleTo(window)
    assert window.start_button.isEnabled()
    window.cycle_days.setValue(21)
    window.start_button.click()
    window.entry.reviewed_on.setDate(qdate(TODAY + dt.timedelta(days=1)))
    assert window.date_problems.text().startswith(
        "Reviewed on (labs drawn): 01/07/2027 is in the future"
    )
    assert not window.override_button.isEnabled()
    window.entry.reviewed_on.setDate(qdate(TODAY))
    assert not window.date_problems.isVisibleTo(window)
    assert window.override_button.isEnabled()


def test_the_course_window_shows_dates_in_the_clinic_s_format(qtbot, record, example_raw, closing):
    record.set_clinic_settings({"date_format": "dd.mm.yyyy"})
    window = course_window(qtbot, record, example_raw, bevacizumab=False)
    closing(window)
    assert "From her plan of 20.11.2026" in window.offer.text()
    assert window.started_on.shown_as == "dd.mm.yyyy"
    assert window.entry.reviewed_on.shown_as == "dd.mm.yyyy"
    window.started_on.setDate(qdate(DAY))
    window.cycle_days.setValue(21)
    window.start_button.click()
    assert "started 20.11.2026" in window.state.text()
    assert "due 11.12.2026" in window.state.text()
    assert window.charts["anc"].toolTip().startswith("19.11.2026: ")  # the charts too (labs drawn)


def test_the_offer_follows_a_plan_decided_elsewhere(qtbot, record, example_raw, closing):
    """Opened before her plan is decided; the plan is decided in the plan window; coming back to
    the course window (activated) shows the decided option to start from."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from planner.ui.course_window import CourseWindow

    assessment = record.import_case(example_raw).assessment_id
    made = kept_plans.make_and_keep_plan(record, assessment)
    window = CourseWindow(record, example_raw["patient"]["mrn"])
    qtbot.addWidget(window)
    closing(window)
    window.today = lambda: TODAY
    assert not window.start_button.isEnabled()
    assert window.open_plan_button.isVisibleTo(window) or not window.isVisible()
    record.sign_in_as("Dr Karimov (oncologist)")
    kept_plans.decide_plan(
        record, made.plan_id, course="option", regimen="capecitabine", reason="oral, at home"
    )
    QCoreApplication.sendEvent(window, QEvent(QEvent.Type.WindowActivate))
    assert "Capecitabine" in window.offer.text()
    assert window.start_button.isEnabled()
    # what is being typed is not reset by coming back to the window when nothing changed
    window.cycle_days.setValue(14)
    QCoreApplication.sendEvent(window, QEvent(QEvent.Type.WindowActivate))
    assert window.cycle_days.value() == 14


def test_starting_from_a_plan_older_than_the_clinic_s_setting_asks_first(
    qtbot, record, example_raw, closing
):
    """Assessed 20/11/2026; a first cycle on 30/06/2027 is 222 days later, past the default 60.
    A first cycle within 60 days of the plan is not asked about."""
    window = course_window(qtbot, record, example_raw, bevacizumab=False)
    closing(window)
    asked: list[str] = []
    answers = [False, True]
    window.ask_old_plan = lambda words: asked.append(words) or answers.pop(0)
    window.started_on.setDate(qdate(TODAY))
    window.cycle_days.setValue(21)
    window.start_button.click()
    assert "222 days before the first cycle" in asked[0]
    assert "older than 60 days" in asked[0]
    assert window.course is None
    window.start_button.click()
    assert window.course is not None
    assert len(asked) == 2


def test_a_plan_within_the_clinic_s_days_is_not_asked_about(qtbot, record, example_raw, closing):
    window = course_window(qtbot, record, example_raw, bevacizumab=False)
    closing(window)
    asked: list[str] = []
    window.ask_old_plan = lambda words: asked.append(words) or False
    window.started_on.setDate(qdate(DAY + dt.timedelta(days=60)))  # the 60th day: not older
    window.cycle_days.setValue(21)
    window.start_button.click()
    assert asked == []
    assert window.course is not None


def test_the_plan_age_setting_is_a_row_of_the_settings_dialog(qtbot, record):
    from planner.ui.settings_dialog import ClinicSettingsDialog

    dialog = ClinicSettingsDialog(record)
    qtbot.addWidget(dialog)
    box = dialog.fields["course_plan_max_age_days"]
    assert box.currentData() == "60"
    box.setCurrentIndex(box.findData("180"))
    dialog.save()
    assert record.clinic_settings()["course_plan_max_age_days"] == "180"


def test_ctrl_shift_t_opens_the_course_of_the_patient_shown_wherever_the_focus_is(
    qtbot, record, ui_settings, example_raw, monkeypatch
):
    """The record is shown beside the list, the list has no selection and the focus is in
    Find: Ctrl+Shift+T opens her course (it did nothing unless the list held the selection)."""
    from PySide6.QtCore import Qt

    from planner.ui.main_window import MainWindow

    record.import_case(example_raw)
    main = MainWindow(record, ui_settings)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.open_patient(example_raw["patient"]["mrn"])
    main.table.clearSelection()
    opened: list[str | None] = []
    monkeypatch.setattr(main, "open_course", opened.append)
    main.activateWindow()
    main.search.setFocus()
    qtbot.waitUntil(main.search.hasFocus)
    qtbot.keyClick(
        main.search,
        Qt.Key.Key_T,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: bool(opened))
    assert opened == [example_raw["patient"]["mrn"]]


# ---- item 6: the cycle-review setting in the settings dialog --------------------------------


def test_the_cycle_review_setting_is_a_row_of_the_settings_dialog(qtbot, record):
    from planner.ui.settings_dialog import ClinicSettingsDialog

    dialog = ClinicSettingsDialog(record)
    qtbot.addWidget(dialog)
    box = dialog.choices["cycle_choices.gemcitabine_day8_with_carboplatin"]
    assert [box.itemData(i) for i in range(box.count())] == [
        "ovarian_with_carboplatin",
        "breast_with_paclitaxel",
    ]
    assert box.currentText().endswith("(default)")
    box.setCurrentIndex(box.findData("breast_with_paclitaxel"))
    dialog.save()
    stored = record.clinic_settings()
    assert stored["cycle_choices"] == {
        "gemcitabine_day8_with_carboplatin": "breast_with_paclitaxel"
    }


# ---- item 8: a course kept with the plan's reduced dose as its 100 % -----------------------


def test_the_window_says_an_old_course_s_100_percent_is_read_at_the_label_s(
    qtbot, record, example_raw, closing
):
    from planner.ui.course_window import CourseWindow

    example_raw["labs"]["bilirubin"] = {"value": 49, "unit": "umol/L", "uln": 21}
    assessment = record.import_case(example_raw).assessment_id
    made = kept_plans.make_and_keep_plan(record, assessment)
    record.sign_in_as("Dr Karimov (oncologist)")
    plan_id = kept_plans.decide_plan(
        record, made.plan_id, course="option", regimen="vinorelbine", reason="weekly, IV"
    )
    reduced = {"value": 12.5, "unit": "mg/m2"}
    mrn = example_raw["patient"]["mrn"]
    record.keep_course_start(
        patient_id=record.patient_id(mrn),
        plan_id=plan_id,
        regimen="vinorelbine",
        drugs=[{"drug": "vinorelbine", "starting_dose": reduced}],
        cycle_days=7,
        started_on=DAY.isoformat(),
        first_cycle=[{"drug": "vinorelbine", "dose": reduced}],
    )
    window = CourseWindow(record, mrn)
    qtbot.addWidget(window)
    closing(window)
    assert "vinorelbine: 100 % is the label's 25 mg/m²" in window.state.text()
    assert "reduced first dose, 12.5 mg/m²" in window.state.text()
