"""Correcting the record in the window (issue 20 item 3): an assessment amended with a reason,
a likely duplicate said when registering, two patients merged and one retired from the review
screen."""

from __future__ import annotations

import copy

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from planner.services import kept_plans, record_corrections
from planner.ui.assessment_dialog import AssessmentDialog
from planner.ui.new_patient_dialog import NewPatientDialog
from planner.ui.record_review_dialog import RecordReviewDialog


@pytest.fixture
def stored(record, example_raw):
    return record.import_case(example_raw).assessment_id


def test_an_assessment_is_read_only_until_amended_with_a_reason(qtbot, record, stored):
    old_plan = kept_plans.make_and_keep_plan(record, stored).plan_id
    dialog = AssessmentDialog(record, stored)
    qtbot.addWidget(dialog)
    dialog.show()
    item = dialog.values.findItems("albumin value", Qt.MatchFlag.MatchExactly, 0)[0]
    assert item.toolTip(0) == "labs.albumin.value"  # the path behind the words
    assert item.text(1) == "31"
    assert not dialog.reason_row.isVisible()
    assert not item.flags() & Qt.ItemFlag.ItemIsEditable

    qtbot.mouseClick(dialog.amend_button, Qt.MouseButton.LeftButton)
    assert item.flags() & Qt.ItemFlag.ItemIsEditable
    dialog.set_value("labs.albumin.value", "13")
    dialog.save_amendment()  # no reason yet
    assert dialog.amended_id is None
    assert "reason" in dialog.message.text()
    qtbot.keyClicks(dialog.reason, "albumin typed 31 for 13")
    dialog.save_amendment()

    assert dialog.amended_id is not None
    assert record.case(dialog.amended_id)["labs"]["albumin"]["value"] == 13
    assert record.case(stored)["labs"]["albumin"]["value"] == 31
    assert dialog.replan_button.isVisible()
    with qtbot.waitSignal(dialog.replan) as asked:
        qtbot.mouseClick(dialog.replan_button, Qt.MouseButton.LeftButton)
    assert asked.args == [dialog.amended_id]
    assert not kept_plans.plan_standing(record, old_plan).current

    old = AssessmentDialog(record, stored)
    qtbot.addWidget(old)
    assert "albumin typed 31 for 13" in old.standing.text()
    assert f"assessment {dialog.amended_id}" in old.standing.text()
    assert not old.amend_button.isEnabled()
    current = old.open_version()  # from the old version to the amended one, and back
    assert current is not None
    assert current.assessment_id == dialog.amended_id
    assert current.amend_button.isEnabled()
    assert current.versions.currentData() == stored
    assert record.check() == []


def test_a_bad_amended_value_is_named_and_nothing_is_saved(qtbot, record, stored):
    dialog = AssessmentDialog(record, stored)
    qtbot.addWidget(dialog)
    dialog.start_amending()
    dialog.set_value("labs.albumin.value", "thirteen")
    qtbot.keyClicks(dialog.reason, "typo")
    dialog.save_amendment()
    assert dialog.amended_id is None
    assert "albumin value" in dialog.message.text()
    assert len(record.trend("TAS-000123")) == 1


def test_registering_a_likely_duplicate_is_warned_once(qtbot, record, stored):
    dialog = NewPatientDialog(record)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.mrn, "TAS-777")
    # typed in Cyrillic (QTest types ASCII keys only: the text is set as a keyboard layout would)
    dialog.family_name.setText("Каримова")
    dialog.given_name.setText("Дилноза")
    qtbot.keyClicks(dialog.birth_date, "14/03/1968")
    dialog.save()
    assert dialog.result() != NewPatientDialog.DialogCode.Accepted
    assert dialog.likely_same.isVisible()
    assert "Karimova, Dilnoza (TAS-000123" in dialog.likely_same.text()
    assert record.patient_count() == 1
    dialog.save()  # she is another woman after all: the second Save registers her
    assert dialog.result() == NewPatientDialog.DialogCode.Accepted
    assert record.patient_count() == 2


def test_no_warning_for_another_birth_date(qtbot, record, stored):
    dialog = NewPatientDialog(record)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.mrn, "TAS-778")
    qtbot.keyClicks(dialog.family_name, "Karimova")
    qtbot.keyClicks(dialog.given_name, "Dilnoza")
    qtbot.keyClicks(dialog.birth_date, "15/03/1968")
    dialog.save()
    assert not dialog.likely_same.isVisible()
    assert dialog.result() == NewPatientDialog.DialogCode.Accepted


def test_the_review_screen_merges_a_pair_with_a_reason(qtbot, record, example_raw, stored):
    twin = copy.deepcopy(example_raw)
    twin["patient"].update(mrn="TAS-777", family_name="Каримова", given_name="Дилноза")
    moved = record.import_case(twin).assessment_id
    dialog = RecordReviewDialog(record)
    qtbot.addWidget(dialog)
    assert len(dialog.pairs) == 1
    dialog.keep.setCurrentIndex(dialog.keep.findData("TAS-000123"))
    dialog.ask_reason = lambda title, what: "same woman, registered twice"  # the reason asked
    dialog.merge_selected()
    assert dialog.changed
    assert "Merged TAS-777 into TAS-000123" in dialog.status.text()
    assert dialog.pairs == []
    assert [p.assessment_id for p in record.trend("TAS-000123")] == [stored, moved]
    assert record.patient_count() == 1
    assert record.check() == []


def test_a_retired_patient_is_shown_again_from_the_review_screen(qtbot, record, stored):
    record_corrections.retire_patient(record, "TAS-000123", "entered in a training session")
    assert record.patient_count() == 0
    dialog = RecordReviewDialog(record)
    qtbot.addWidget(dialog)
    assert "entered in a training session" in dialog.retired_list.item(0).text()
    dialog.ask_reason = lambda title, what: "a real patient"
    dialog.restore_selected()
    assert record.patient_count() == 1
    assert dialog.retired == []


def test_the_edit_menu_opens_the_selected_assessment_and_replans_in_one_click(
    qtbot, record, stored, ui_settings
):
    from planner.ui.main_window import MainWindow

    window = MainWindow(record, ui_settings)
    qtbot.addWidget(window)
    window.show()
    window.open_patient("TAS-000123")
    window.open_assessment_action.trigger()
    dialog = window.findChild(AssessmentDialog)
    assert dialog is not None
    assert dialog.assessment_id == stored
    dialog.start_amending()
    dialog.set_value("labs.albumin.value", "13")
    dialog.reason.setText("albumin typed 31 for 13")
    dialog.save_amendment()
    qtbot.mouseClick(dialog.replan_button, Qt.MouseButton.LeftButton)
    shown = window.record_view.plan_view
    assert shown is not None
    assert record.plan(shown.plan_id).assessment_id == dialog.amended_id
    assert [p.assessment_id for p in record.trend("TAS-000123")] == [dialog.amended_id]
    shown.close()


def test_the_edit_menu_retires_the_selected_patient(
    qtbot, record, stored, ui_settings, monkeypatch
):
    from planner.ui import record_review_dialog
    from planner.ui.main_window import MainWindow

    window = MainWindow(record, ui_settings)
    qtbot.addWidget(window)
    window.show()
    window.open_patient("TAS-000123")
    assert window.selected_mrn() == "TAS-000123"

    def answered(dialog):
        dialog.reason.setText("entered in a training session")
        return record_review_dialog.QDialog.DialogCode.Accepted

    monkeypatch.setattr(record_review_dialog.ReasonDialog, "exec", answered)
    window.retire_action.trigger()
    assert record.patient_count() == 0
    assert window.record_label.text().endswith("— 0 patients")


def test_the_keyboard_amends_the_value_never_the_fields_name(qtbot, record, stored):
    """Walk 16d: typing or F2 in the amend list edited the field-name column; the value changed
    only with a double-click on it, and a changed row looked like any other."""
    dialog = AssessmentDialog(record, stored)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.start_amending()
    item = dialog.values.findItems("albumin value", Qt.MatchFlag.MatchExactly, 0)[0]
    dialog.values.setCurrentItem(item, 0)  # on the name, as a click on it leaves it
    assert dialog.values.currentColumn() == 1
    dialog.values.setFocus()
    qtbot.keyClick(dialog.values, Qt.Key.Key_F2)
    editors = dialog.values.viewport().findChildren(QLineEdit)
    assert [e.text() for e in editors] == ["31"]  # the value's editor, not the name's
    dialog.values.closePersistentEditor(item, 1)
    dialog.set_value("labs.albumin.value", "13")  # as typed and committed
    assert item.text(0) == "albumin value"
    assert item.text(1) == "13"
    assert item.font(1).bold()
    assert item.toolTip(1) == "recorded: 31"
    assert dialog.amended_case()["labs"]["albumin"]["value"] == 13
    dialog.reject()


def test_saving_an_amendment_says_what_happened_to_the_plans_and_her_review(qtbot, record, stored):
    """Walk 21 H2: the message said only "its plans are marked superseded", and her booked
    review left Today's work. It stays booked, and the message says so, with the plan's name."""
    from planner.domain.dates import show_date

    old_plan = kept_plans.make_and_keep_plan(record, stored).plan_id
    (before,) = record.search("TAS-000123")
    assert before.review_due_on is not None
    dialog = AssessmentDialog(record, stored)
    qtbot.addWidget(dialog)
    dialog.start_amending()
    dialog.set_value("labs.albumin.value", "13")
    dialog.reason.setText("albumin typed 31 for 13")
    dialog.save_amendment()

    (after,) = record.search("TAS-000123")
    assert after.review_due_on == before.review_due_on
    words = dialog.message.text()
    assert f"plan {old_plan}" in words
    assert "superseded" in words
    fmt = str(record.clinic_settings().get("date_format"))
    assert f"review stays booked for {show_date(before.review_due_on, fmt)}" in words


def test_the_assessments_table_marks_an_amended_version(qtbot, record, stored):
    """Walk 21 F7: after the amendment, 30/07/2026 in the Assessments table looked as before."""
    from planner.ui.record_view import RecordView

    dialog = AssessmentDialog(record, stored)
    qtbot.addWidget(dialog)
    dialog.start_amending()
    dialog.set_value("labs.albumin.value", "13")
    dialog.reason.setText("albumin typed 31 for 13")
    dialog.save_amendment()
    view = RecordView(record)
    qtbot.addWidget(view)
    view.show_patient("TAS-000123")
    model = view.table.model()
    shown = model.data(model.index(0, 0))
    assert "amended" in shown
    assert "albumin typed 31 for 13" in model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)


def test_the_amend_list_shows_codes_units_and_dates_in_words(qtbot, record, stored):
    """Walk 21 F7: the amend dialog showed `not_detected`, `umol/L`, `10^9/L` and ISO dates; it
    shows them as the rest of the program does (the recorded value stays behind, for editing)."""
    dialog = AssessmentDialog(record, stored)
    qtbot.addWidget(dialog)
    dialog.show()
    shown = {}
    for n in range(dialog.values.topLevelItemCount()):
        item = dialog.values.topLevelItem(n)
        index = dialog.values.indexFromItem(item, 1)
        shown[item.data(0, Qt.ItemDataRole.UserRole)] = dialog.shown_value(index)
    assert shown["labs.bilirubin.unit"] == "µmol/L"
    assert shown["assessed_on"] == "20/11/2026"
    assert "_" not in " ".join(shown.values())
    dialog.start_amending()
    dialog.set_value("labs.albumin.value", "13")
    assert dialog.amended_case()["labs"]["albumin"]["value"] == 13
    assert dialog.amended_case()["assessed_on"] == "2026-11-20"  # unchanged, as recorded


def test_save_and_replan_are_offered_only_after_amend(qtbot, record, stored):
    """Seen checking walk 21 F7: "Save amendment" and "Make the plan of the amended assessment"
    showed beside Amend… before anything was amended (a button box shows what it is given)."""
    dialog = AssessmentDialog(record, stored)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.save_button.isVisible()
    assert not dialog.replan_button.isVisible()
    dialog.start_amending()
    assert dialog.save_button.isVisible()
    assert not dialog.replan_button.isVisible()
