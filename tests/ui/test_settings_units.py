"""Clinic default ULNs typed in any unit the test has (issue 16: only µmol/L was accepted)."""

from __future__ import annotations

import pytest

from planner.ui.settings_dialog import ClinicSettingsDialog


def test_a_bilirubin_uln_typed_in_mg_dl_is_kept_in_umol_l(qtbot, record):
    dialog = ClinicSettingsDialog(record)
    qtbot.addWidget(dialog)
    dialog.uln["bilirubin"].setText("1.2")
    box = dialog.uln_units["bilirubin"]
    box.setCurrentIndex(box.findData("mg/dL"))
    assert dialog.values()["lab_uln"]["bilirubin"] == pytest.approx(20.52)
    box.setCurrentIndex(box.findData("umol/L"))
    dialog.uln["bilirubin"].setText("21")
    assert dialog.values()["lab_uln"]["bilirubin"] == 21


def test_single_unit_tests_keep_their_plain_field(qtbot, record):
    dialog = ClinicSettingsDialog(record)
    qtbot.addWidget(dialog)
    assert "ast" not in dialog.uln_units
    dialog.uln["ast"].setText("40")
    assert dialog.values()["lab_uln"]["ast"] == 40


def test_count_units_are_offered_as_the_clinic_s_usual_unit(qtbot, record):
    dialog = ClinicSettingsDialog(record)
    qtbot.addWidget(dialog)
    box = dialog.units["platelets"]
    assert [box.itemData(i) for i in range(box.count())] == ["10^9/L", "/uL", "/mm3", "lakh/uL"]


def test_the_default_uln_unit_follows_the_clinic_s_unit(qtbot, record):
    """Review 16c finding 16: the Delhi (mg/dL) clinic was offered µmol/L for the bilirubin ULN
    and, once saved, read it back as "20.52 µmol/L"."""
    dialog = ClinicSettingsDialog(record)
    qtbot.addWidget(dialog)
    units = dialog.units["bilirubin"]
    units.setCurrentIndex(units.findData("mg/dL"))
    assert dialog.uln_units["bilirubin"].currentData() == "mg/dL"
    dialog.uln["bilirubin"].setText("1.2")
    assert dialog.values()["lab_uln"]["bilirubin"] == pytest.approx(20.52)
    # the clinic's unit changed back: the number typed is converted, not re-read
    units.setCurrentIndex(units.findData("umol/L"))
    assert dialog.uln_units["bilirubin"].currentData() == "umol/L"
    assert dialog.uln["bilirubin"].json_value() == pytest.approx(20.52)
    assert dialog.values()["lab_uln"]["bilirubin"] == pytest.approx(20.52)


def test_a_saved_uln_is_shown_again_in_the_clinic_s_unit(qtbot, record):
    record.set_clinic_settings({"units": {"bilirubin": "mg/dL"}, "lab_uln": {"bilirubin": 20.52}})
    dialog = ClinicSettingsDialog(record)
    qtbot.addWidget(dialog)
    assert dialog.uln_units["bilirubin"].currentData() == "mg/dL"
    assert dialog.uln["bilirubin"].json_value() == pytest.approx(1.2)
    assert dialog.values()["lab_uln"]["bilirubin"] == pytest.approx(20.52)


def test_the_labs_page_hint_is_the_clinic_uln_in_the_unit_typed(qtbot, record):
    from planner.ui.wizard.assessment_wizard import AssessmentWizard

    record.set_clinic_settings({"units": {"bilirubin": "mg/dL"}, "lab_uln": {"bilirubin": 20.52}})
    wizard = AssessmentWizard(record)
    qtbot.addWidget(wizard)
    row = wizard.labs_page.rows["bilirubin"]
    assert row.unit.currentData() == "mg/dL"
    assert row.uln.placeholderText() == "clinic 1.2 mg/dL"
    row.unit.setCurrentIndex(row.unit.findData("umol/L"))
    assert row.uln.placeholderText() == "clinic 20.52 µmol/L"
    wizard._draft_timer.stop()  # the record closes with the test: no draft after it
