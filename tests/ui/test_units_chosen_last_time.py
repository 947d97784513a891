"""Issue 16: the unit chosen last time is offered first next time, for every test. A count
typed per µL was offered in × 10⁹/L at the next visit (the case keeps counts in × 10⁹/L, and
that stored unit was taken for the nurse's choice); bilirubin, ALT, albumin and creatinine come
back in the unit the patient's results were typed in."""

from __future__ import annotations

import pytest

from planner.ui.main_window import next_assessment_start
from planner.ui.wizard.assessment_wizard import AssessmentWizard

CHOSEN = {
    "anc": ("2100", "/uL"),
    "platelets": ("180000", "/mm3"),
    "bilirubin": ("36", "umol/L"),
    "albumin": ("31", "g/L"),
    "creatinine": ("80", "umol/L"),
    "alt": ("64", "U/L"),
}


def _wizard(qtbot, record, start, ui_settings, *, known):
    wizard = AssessmentWizard(record, start, known_patient=known, ui_settings=ui_settings)
    qtbot.addWidget(wizard)
    return wizard


def _enter(row, value, unit):
    row.unit.setCurrentIndex(row.unit.findData(unit))
    row.value.setText(value)
    row.value.textEdited.emit(value)


@pytest.fixture
def saved_once(qtbot, record, ui_settings, example_raw):
    """The patient's first assessment, saved through the wizard with the units in CHOSEN."""
    wizard = _wizard(qtbot, record, example_raw, ui_settings, known=False)
    labs = wizard.labs_page
    for name, (value, unit) in CHOSEN.items():
        _enter(labs.rows[name], value, unit)
    with qtbot.waitSignal(wizard.saved):
        wizard.accept()
    wizard._draft_timer.stop()
    return record.case(record.trend(example_raw["patient"]["mrn"])[-1].assessment_id)


def test_every_unit_chosen_last_time_is_offered_first_next_visit(
    qtbot, record, ui_settings, saved_once
):
    assert saved_once["labs"]["anc"]["unit"] == "10^9/L"  # the case keeps counts so
    wizard = _wizard(qtbot, record, next_assessment_start(saved_once), ui_settings, known=True)
    rows = wizard.labs_page.rows
    for name, (_, unit) in CHOSEN.items():
        assert rows[name].unit.currentData() == unit, name
        assert rows[name].value.text() == ""  # asked afresh: nothing carried as a value
    wizard._draft_timer.stop()


def test_the_patients_own_last_unit_wins_over_this_computers(
    qtbot, record, ui_settings, saved_once, example_raw
):
    """Another patient's assessment typed bilirubin in mg/dL on this computer since; this
    patient's bilirubin results were typed in µmol/L, and are offered so."""
    ui_settings.setValue("units/last/bilirubin", "mg/dL")
    wizard = _wizard(qtbot, record, next_assessment_start(saved_once), ui_settings, known=True)
    assert wizard.labs_page.rows["bilirubin"].unit.currentData() == "umol/L"
    wizard._draft_timer.stop()
    new_patient = _wizard(qtbot, record, None, ui_settings, known=False)
    assert new_patient.labs_page.rows["bilirubin"].unit.currentData() == "mg/dL"
    assert new_patient.labs_page.rows["anc"].unit.currentData() == "/uL"
    new_patient._draft_timer.stop()


def test_the_clinics_usual_unit_when_nothing_was_chosen_here(qtbot, record, ui_settings):
    record.set_clinic_settings({"units": {"platelets": "/uL"}})
    wizard = _wizard(qtbot, record, None, ui_settings, known=False)
    assert wizard.labs_page.rows["platelets"].unit.currentData() == "/uL"
    wizard._draft_timer.stop()
