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
    assert [box.itemData(i) for i in range(box.count())] == ["10^9/L", "/uL", "/mm3"]
