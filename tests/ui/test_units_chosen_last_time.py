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
    ui_settings.setValue("units/last/bilirubin", "mg/dL")  # the old, shared key: ignored
    wizard = _wizard(qtbot, record, next_assessment_start(saved_once), ui_settings, known=True)
    assert wizard.labs_page.rows["bilirubin"].unit.currentData() == "umol/L"
    wizard._draft_timer.stop()


def test_a_new_patient_never_gets_the_last_patients_units(
    qtbot, record, ui_settings, saved_once, example_raw
):
    """walk23 HARM 2: Sokolova's /µL and g/dL were offered to Yusupova, the next patient, and
    her "3.2" neutrophils (× 10⁹/L on her report) were read as 3.2 /µL. The new patient gets
    the clinic's usual units (here the table's first: × 10⁹/L, µmol/L, g/L)."""
    record.set_clinic_settings({"units": {"creatinine": "mg/dL"}})
    new_patient = _wizard(qtbot, record, None, ui_settings, known=False)
    rows = new_patient.labs_page.rows
    assert rows["anc"].unit.currentData() == "10^9/L"
    assert rows["platelets"].unit.currentData() == "10^9/L"
    assert rows["albumin"].unit.currentData() == "g/L"
    assert rows["bilirubin"].unit.currentData() == "umol/L"
    assert rows["creatinine"].unit.currentData() == "mg/dL"  # the clinic's, not hers
    new_patient._draft_timer.stop()
    # and the first patient still gets hers back
    again = _wizard(qtbot, record, next_assessment_start(saved_once), ui_settings, known=True)
    assert again.labs_page.rows["anc"].unit.currentData() == "/uL"
    assert again.labs_page.rows["platelets"].unit.currentData() == "/mm3"
    again._draft_timer.stop()


@pytest.mark.parametrize(
    ("lab", "typed", "unit", "asked"),
    [
        ("anc", "3.2", "/uL", True),
        ("anc", "3200", "/uL", False),
        ("anc", "3.2", "10^9/L", False),
        ("platelets", "150", "/uL", True),
        ("platelets", "150", "/mm3", True),
        ("platelets", "150000", "/uL", False),
    ],
)
def test_a_count_implausible_in_the_unit_picked_asks_for_the_unit(
    qtbot, record, ui_settings, example_raw, monkeypatch, lab, typed, unit, asked
):
    """A count outside the plausible range of its unit (case_limits.toml `entry_units`) is
    said on the row and asked on Next; "check the unit" keeps the nurse on the page."""
    wizard = _wizard(qtbot, record, example_raw, ui_settings, known=False)
    page = wizard.labs_page
    row = page.rows[lab]
    _enter(row, typed, unit)
    questions: list[str] = []

    def answer(doubt):
        questions.append(doubt)
        return False  # "Check the unit"

    monkeypatch.setattr(page, "ask_unit", answer)
    assert page.units_confirmed() is (not asked)
    if asked:
        assert "check the unit" in row.x_uln.text()
        assert f"{typed} " in questions[0]
        assert "not a plausible" in questions[0]
        assert "plausible in ×10⁹/L" in questions[0]  # where it would be
        assert row.unit.currentData() == unit  # nothing changed behind her back
        monkeypatch.setattr(page, "ask_unit", lambda doubt: True)  # "Keep it"
        assert page.units_confirmed() is True
        monkeypatch.setattr(page, "ask_unit", lambda doubt: pytest.fail("asked twice"))
        assert page.units_confirmed() is True
    else:
        assert questions == []
        assert "check the unit" not in row.x_uln.text()
    wizard._draft_timer.stop()


def test_the_clinics_usual_unit_when_nothing_was_chosen_here(qtbot, record, ui_settings):
    record.set_clinic_settings({"units": {"platelets": "/uL"}})
    wizard = _wizard(qtbot, record, None, ui_settings, known=False)
    assert wizard.labs_page.rows["platelets"].unit.currentData() == "/uL"
    wizard._draft_timer.stop()
