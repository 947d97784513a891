"""Search, recent patients, the record view (models, trends, plan comparison), the plan view
(PDF preview, save, print, clinician changes), clinic settings and the background helper."""

from __future__ import annotations

import copy

import pytest
from PySide6.QtGui import QPdfWriter

from planner.services import case_commands, clinic_settings, kept_plans
from planner.ui.background import BackgroundOp, wait_for_all
from planner.ui.decision_dialog import DecisionDialog
from planner.ui.main_window import MainWindow
from planner.ui.patient_model import PatientTableModel
from planner.ui.plan_view import PlanView
from planner.ui.record_view import AssessmentTableModel, RecordView, plan_summary_html
from planner.ui.settings_dialog import ClinicSettingsDialog


@pytest.fixture
def filled(record, example_raw):
    earlier = copy.deepcopy(example_raw)
    earlier["assessed_on"] = "2026-10-01"
    earlier["labs"]["drawn_on"] = "2026-09-30"
    earlier["labs"]["bilirubin"]["value"] = 22
    first = record.import_case(earlier).assessment_id
    second = record.import_case(example_raw).assessment_id
    record.add_patient({"mrn": "B-2", "family_name": "Ivanova", "given_name": "Olga"})
    return first, second


def test_search_filters_the_list_as_you_type(qtbot, record, filled, ui_settings):
    window = MainWindow(record, ui_settings)
    qtbot.addWidget(window)
    assert window.table.model().rowCount() == 2
    qtbot.keyClicks(window.search, "kari")
    qtbot.waitUntil(lambda: window.table.model() is window.search_results)
    assert window.table.model().rowCount() == 1
    assert window.mrn_at(0) == "TAS-000123"
    window.search.clear()
    qtbot.waitUntil(lambda: window.table.model().rowCount() == 2)


def test_opening_a_patient_shows_the_record_and_remembers_them(qtbot, record, filled, ui_settings):
    window = MainWindow(record, ui_settings)
    qtbot.addWidget(window)
    window.open_patient("TAS-000123")
    view = window.record_view
    assert window.detail.currentWidget() is view
    assert "Karimova" in view.heading.text()
    assert view.model.rowCount() == 2
    assert window.recent.count() == 1
    assert window.recent_mrns() == ["TAS-000123"]
    bilirubin = view.charts["bilirubin_x_uln"]
    assert [round(v, 2) for v in bilirubin.values()] == [1.05, 1.67]
    assert [r for r, _ in bilirubin.references] == [1.5, 3.0]
    assert "2026-11-20: 1.66667" in bilirubin.accessibleDescription()
    bilirubin.grab()  # paints without warnings


def test_models_pass_the_qt_model_tester(qtmodeltester, record, filled):
    qtmodeltester.check(AssessmentTableModel(record.trend("TAS-000123")))
    qtmodeltester.check(PatientTableModel.of_rows(record.search("iva")))
    qtmodeltester.check(PatientTableModel.of_rows([]))


def test_plan_history_compares_two_plans_side_by_side(qtbot, record, filled):
    first, second = filled
    kept_plans.make_and_keep_plan(record, first)
    kept_plans.make_and_keep_plan(record, second)
    view = RecordView(record)
    qtbot.addWidget(view)
    view.show_patient("TAS-000123")
    assert view.left_plan.count() == 2
    # the plan to act on (the later one) first, compared with the earlier one
    assert view.left_plan.currentIndex() == 1
    assert view.right_plan.currentIndex() == 0
    assert "Options" in view.left_text.toPlainText()
    assert "Options" in view.right_text.toPlainText()


def test_plan_summary_highlights_what_changed():
    old = {"options": [{"rank": 1, "regimen": "a", "drugs": []}]}
    new = {"options": [{"rank": 1, "regimen": "b", "drugs": []}]}
    assert "#fff0b3" in plan_summary_html(new, old)
    assert "#fff0b3" not in plan_summary_html(old, old)


@pytest.fixture
def plan_view(qtbot, record, filled):
    plan_id = kept_plans.make_and_keep_plan(record, filled[1]).plan_id
    view = PlanView(record, plan_id)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.document.pageCount() > 0, timeout=20000)
    yield view
    wait_for_all()


def test_plan_view_previews_saves_and_prints_the_pdf(plan_view, tmp_path):
    assert plan_view.pdf_bytes.startswith(b"%PDF")
    assert plan_view.save_button.isEnabled()
    target = tmp_path / "plan.pdf"
    plan_view.save_pdf_to(target)
    assert target.read_bytes() == plan_view.pdf_bytes
    writer = QPdfWriter(str(tmp_path / "printed.pdf"))
    writer.setResolution(150)
    plan_view.print_to(writer)
    assert (tmp_path / "printed.pdf").stat().st_size > 1000


def test_clinician_decision_is_kept_with_its_reason(plan_view, record, monkeypatch, qtbot):
    second = plan_view.kept.plan["options"][1]["regimen"]
    chosen = {"course": "option", "regimen": second, "reason": "patient prefers"}
    monkeypatch.setattr(DecisionDialog, "ask", classmethod(lambda cls, parent, plan, **_: chosen))
    first_id = plan_view.plan_id
    with qtbot.waitSignal(plan_view.changed):
        plan_view.decide()
    kept = record.plan(plan_view.plan_id)
    assert plan_view.plan_id != first_id
    decision = kept.plan["decision"]
    assert decision["reason"] == "patient prefers"
    assert decision["decided_by"] == "test-nurse"
    assert decision["regimen"] == second
    assert kept.made_by == "test-nurse"
    assert "decision" not in record.plan(first_id).plan
    assert "Decided by test-nurse" in plan_view.decision.text()
    qtbot.waitUntil(lambda: plan_view.ready, timeout=20000)


def test_decision_dialog_tab_leaves_the_reason_and_alt_s_saves(qtbot, record, filled):
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QDialogButtonBox

    dialog = DecisionDialog(case_commands.make_plan(record.case(filled[1])))
    qtbot.addWidget(dialog)
    assert dialog.reason.tabChangesFocus()
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    assert QKeySequence.mnemonic(save.text()) == QKeySequence("Alt+S")


def test_decision_dialog_requires_a_reason_and_a_dose(qtbot, record, filled):
    plan = case_commands.make_plan(record.case(filled[1]))
    dialog = DecisionDialog(plan, who="Dr Karimov, oncologist")
    qtbot.addWidget(dialog)
    dialog.action.setCurrentIndex(dialog.action.findData("change_dose"))
    dialog.check_and_accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "why" in dialog.error.text()
    assert "number above 0" in dialog.error.text()
    dialog.reason.setPlainText("neuropathy")
    dialog.new_dose.setText("300")
    dialog.prescriber.setChecked(True)
    dialog.check_and_accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    chosen = dialog.decision_input()
    assert chosen["course"] == "option"
    assert chosen["dose_changes"][0].value == 300
    assert chosen["dose_changes"][0].unit == dialog.unit.text() == "mg"


def test_settings_dialog_saves_and_shows_problems_beside_fields(qtbot, record):
    dialog = ClinicSettingsDialog(record)
    qtbot.addWidget(dialog)
    dialog.clinic_name.setText("Day unit")
    dialog.uln["bilirubin"].setText("2100")
    dialog.formulary.setPlainText("paclitaxel\nnot-a-drug")
    dialog.save()
    assert "outside the plausible" in dialog.messages["lab_uln.bilirubin"].text()
    assert "not-a-drug" in dialog.messages["formulary"].text()
    assert record.clinic_settings() == {}
    dialog.uln["bilirubin"].setText("21")
    dialog.formulary.setPlainText("paclitaxel")
    dialog.paper.setCurrentIndex(dialog.paper.findData("letter"))
    dialog.save()
    stored = record.clinic_settings()
    assert stored["clinic_name"] == "Day unit"
    assert stored["lab_uln"] == {"bilirubin": 21}
    assert stored["formulary"] == ["paclitaxel"]
    assert stored["paper"] == "letter"
    assert clinic_settings.from_stored(stored).lab_uln["bilirubin"] == 21.0


def test_background_op_calls_success_or_failure_on_the_gui_thread(qtbot):
    results = []
    BackgroundOp(None, lambda: 6 * 7).success(results.append).run()
    qtbot.waitUntil(lambda: results == [42])
    errors = []

    def broken():
        raise ValueError("disk full")

    BackgroundOp(None, broken).success(results.append).failure(errors.append).run()
    qtbot.waitUntil(lambda: len(errors) == 1)
    assert str(errors[0]) == "disk full"
