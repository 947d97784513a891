"""Counts typed per µL or per mm³ (Indian reports) are converted to the case's × 10⁹/L by the
units module with the factors of the rule tables, and the conversion is shown on the row."""

from __future__ import annotations

from planner.ui.wizard.assessment_wizard import AssessmentWizard


def _enter(row, value, unit):
    row.unit.setCurrentIndex(row.unit.findData(unit))
    row.value.setText(value)
    row.value.textEdited.emit(value)


def test_counts_per_microlitre_and_cubic_millimetre_reach_the_case_in_10_9_per_litre(qtbot, record):
    wizard = AssessmentWizard(record)
    qtbot.addWidget(wizard)
    labs = wizard.labs_page
    _enter(labs.rows["anc"], "2100", "/uL")
    _enter(labs.rows["platelets"], "150000", "/mm3")
    case = wizard.case()
    assert case["labs"]["anc"] == {"value": 2.1, "unit": "10^9/L"}
    assert case["labs"]["platelets"] == {"value": 150.0, "unit": "10^9/L"}
    assert labs.rows["anc"].x_uln.text() == "= 2.1 ×10⁹/L"
    assert labs.rows["platelets"].x_uln.text() == "= 150 ×10⁹/L"
    assert not [p for p in wizard.problems if p.path.startswith(("labs.anc", "labs.platelets"))]
    wizard._draft_timer.stop()


def test_the_clinic_can_offer_per_microlitre_first(qtbot, record):
    record.set_clinic_settings({"units": {"platelets": "/uL"}})
    wizard = AssessmentWizard(record)
    qtbot.addWidget(wizard)
    assert wizard.labs_page.rows["platelets"].unit.currentData() == "/uL"
    wizard._draft_timer.stop()


def test_a_stored_count_comes_back_in_10_9_per_litre(qtbot, record, example_raw):
    wizard = AssessmentWizard(record, example_raw)
    qtbot.addWidget(wizard)
    row = wizard.labs_page.rows["platelets"]
    assert row.unit.currentData() == "10^9/L"
    assert row.value.text() == "180"
    wizard._draft_timer.stop()
