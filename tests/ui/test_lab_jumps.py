"""Issue 16, failure 5: 2.1 mg/dL yesterday and 2.6 µmol/L today (a 93 % fall) passed without a
word. Next on the labs page now asks the nurse to confirm a result beyond its delta-check limit,
and the unit the patient's results came in last time is offered first."""

from __future__ import annotations

import copy

import pytest
from PySide6.QtWidgets import QDialog

from planner.ui.main_window import next_assessment_start
from planner.ui.wizard.assessment_wizard import AssessmentWizard
from planner.ui.wizard.lab_jump_dialog import LabJumpDialog
from planner.ui.wizard.pages.labs import LabsPage


@pytest.fixture
def asked(monkeypatch):
    """Every LabJumpDialog that would be shown, answered with `asked.answer`."""

    class Asked(list):
        answer = QDialog.DialogCode.Rejected

    shown = Asked()

    def exec_(dialog):
        shown.append(dialog)
        return shown.answer

    monkeypatch.setattr(LabJumpDialog, "exec", exec_)
    return shown


@pytest.fixture
def earlier(record, example_raw):
    """Yesterday's assessment: bilirubin 2.1 mg/dL (lab ULN 1.2 mg/dL)."""
    raw = copy.deepcopy(example_raw)
    raw["assessed_on"] = "2026-11-19"
    raw["labs"]["drawn_on"] = "2026-11-18"
    raw["labs"]["bilirubin"] = {"value": 2.1, "unit": "mg/dL", "uln": 1.2}
    record.import_case(raw)
    return raw


def _open_on_labs(qtbot, record, start):
    wizard = AssessmentWizard(record, start, known_patient=True)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    while not isinstance(wizard.currentPage(), LabsPage):
        wizard.next()
    return wizard


def _type_bilirubin(labs, value, unit):
    row = labs.rows["bilirubin"]
    row.unit.setCurrentIndex(row.unit.findData(unit))
    row.value.setText(value)
    row.value.textEdited.emit(value)


def test_a_93_percent_fall_in_another_unit_is_questioned(
    qtbot, record, earlier, example_raw, asked
):
    wizard = _open_on_labs(qtbot, record, example_raw)
    labs = wizard.currentPage()
    _type_bilirubin(labs, "2.6", "umol/L")
    wizard.next()
    assert len(asked) == 1
    (dialog,) = asked
    assert [j.lab for j in dialog.jumps] == ["bilirubin"]
    text = dialog.findings[0].text()
    assert "2.6 µmol/L now" in text
    assert "2.1 mg/dL" in text
    assert "93 % fall" in text
    assert "If the report says mg/dL" in text
    assert "UNVERIFIED" in text
    # "Go back and check" keeps the nurse on the labs page, on the value to check
    assert wizard.currentPage() is labs
    assert wizard.focusWidget() is labs.rows["bilirubin"].value
    wizard._draft_timer.stop()


def test_a_confirmed_jump_moves_on_and_is_not_asked_again(
    qtbot, record, earlier, example_raw, asked
):
    wizard = _open_on_labs(qtbot, record, example_raw)
    labs = wizard.currentPage()
    _type_bilirubin(labs, "2.6", "umol/L")
    asked.answer = QDialog.DialogCode.Accepted
    wizard.next()
    assert wizard.currentPage() is not labs
    wizard.back()
    wizard.next()
    assert len(asked) == 1
    # a different value is a new question
    wizard.back()
    _type_bilirubin(labs, "3.1", "umol/L")
    wizard.next()
    assert len(asked) == 2
    wizard._draft_timer.stop()


def test_the_same_result_in_the_right_unit_passes_without_a_question(
    qtbot, record, earlier, example_raw, asked
):
    wizard = _open_on_labs(qtbot, record, example_raw)
    labs = wizard.currentPage()
    _type_bilirubin(labs, "2.6", "mg/dL")  # +24 %: an ordinary change
    wizard.next()
    assert asked == []
    assert wizard.currentPage() is not labs
    wizard._draft_timer.stop()


def test_the_unit_used_last_time_is_offered_first(qtbot, record, earlier, asked):
    start = next_assessment_start(earlier)
    wizard = AssessmentWizard(record, start, known_patient=True)
    qtbot.addWidget(wizard)
    assert wizard.labs_page.rows["bilirubin"].unit.currentData() == "mg/dL"
    assert wizard.labs_page.rows["albumin"].unit.currentData() == "g/L"
    wizard._draft_timer.stop()


def test_the_dialog_goes_back_by_default(qtbot, record, earlier, example_raw):
    from planner.services import previews

    raw = copy.deepcopy(example_raw)
    raw["labs"]["bilirubin"] = {"value": 2.6, "unit": "umol/L", "uln": 21}
    jumps = previews.lab_jumps(raw, record.earlier_lab_panels(raw["patient"]["mrn"]))
    dialog = LabJumpDialog(jumps)
    qtbot.addWidget(dialog)
    assert dialog.back.isDefault()
    assert not dialog.confirm.isDefault()


def test_the_confirmation_is_kept_in_the_case_and_said_in_the_plan(
    qtbot, record, earlier, example_raw, asked
):
    # nurse16: after "values are right" the plan and PDF never mentioned the confirmation
    import datetime as dt
    import io

    from pypdf import PdfReader

    from planner.reports.render import render_plan_pdf
    from planner.services import case_commands
    from planner.ui.plan_text import plan_text_html

    wizard = _open_on_labs(qtbot, record, example_raw)
    labs = wizard.currentPage()
    _type_bilirubin(labs, "2.6", "umol/L")
    asked.answer = QDialog.DialogCode.Accepted
    wizard.next()
    raw = wizard.case()
    today = dt.date.today()
    assert raw["lab_confirmations"] == [
        {
            "lab": "bilirubin",
            "previous": {"value": 2.1, "unit": "mg/dL", "drawn_on": "2026-11-18"},
            "current": {"value": 2.6, "unit": "umol/L", "drawn_on": raw["labs"]["drawn_on"]},
            "confirmed_by": record.who,
            "confirmed_on": today.isoformat(),
        }
    ]
    plan = case_commands.make_plan(raw)
    shown = today.strftime("%d/%m/%Y")
    line = (
        "Total bilirubin fell 93 % since 18/11/2026 (2.1 mg/dL → 2.6 µmol/L); "
        f"confirmed by {record.who} on {shown}"
    )
    assert line in plan_text_html(plan, "dd/mm/yyyy")
    clinic = {"date_format": "dd/mm/yyyy"}
    pdf = render_plan_pdf(
        plan, patient=raw["patient"], clinic=clinic, audience="clinician", evidence=True
    )
    printed = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages
    )
    assert line in printed
    # a value changed after it was confirmed is asked again; its old confirmation goes
    wizard.back()
    _type_bilirubin(labs, "3.1", "umol/L")
    assert "lab_confirmations" not in wizard.case()
    wizard._draft_timer.stop()
