"""walk24 HARM 3: Indian count formats. Platelets "1.8 lakh" have a unit of their own; a number
plausible in two units a hundred-fold apart is asked, whichever unit is picked, so following
the unit hint never stores a count 100× off silently; a comma followed by three digits
("3,200", "1,250") is neither read as a decimal mark nor blamed on the unit."""

from __future__ import annotations

import pytest

from planner.ui.wizard.assessment_wizard import AssessmentWizard
from planner.ui.wizard.fields import parse_number


def _enter(row, value, unit=None):
    if unit is not None:
        row.unit.setCurrentIndex(row.unit.findData(unit))
    row.value.setText(value)
    row.value.textEdited.emit(value)


@pytest.fixture
def wizard(qtbot, record):
    w = AssessmentWizard(record)
    qtbot.addWidget(w)
    yield w
    w._draft_timer.stop()


def test_platelets_in_lakh_per_cumm_reach_the_case_in_10_9_per_litre(wizard):
    row = wizard.labs_page.rows["platelets"]
    _enter(row, "1.8", "lakh/uL")
    assert row.unit.currentText() == "lakh/cumm"
    assert wizard.case()["labs"]["platelets"] == {"value": 180.0, "unit": "10^9/L"}
    # 1.8 is a plausible count in × 10⁹/L too: asked once, even in the unit the report gives
    assert row.x_uln.text() == "= 180 ×10⁹/L — check the unit"
    assert "1.8 ×10⁹/L" in row.unit_doubt()


@pytest.mark.parametrize("unit", ["/uL", "10^9/L", "lakh/uL"])
def test_1_8_platelets_is_asked_in_every_unit_and_the_hint_names_both_readings(
    wizard, monkeypatch, unit
):
    """1.8 per µL is implausible; 1.8 × 10⁹/L is plausible but so is 1.8 lakh (180 × 10⁹/L):
    neither passes without the nurse saying which the report gives."""
    page = wizard.labs_page
    row = page.rows["platelets"]
    _enter(row, "1.8", unit)
    asked: list[str] = []
    monkeypatch.setattr(page, "ask_unit", lambda doubt: asked.append(doubt) or False)
    assert page.units_confirmed() is False
    assert "lakh/cumm (= 180 ×10⁹/L)" in asked[0]
    assert "1.8 ×10⁹/L" in asked[0]


def test_a_plain_platelet_count_in_10_9_per_litre_is_not_asked(wizard, monkeypatch):
    page = wizard.labs_page
    _enter(page.rows["platelets"], "180", "10^9/L")
    monkeypatch.setattr(page, "ask_unit", lambda doubt: pytest.fail(doubt))
    assert page.units_confirmed() is True


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("54,5", 54.5),
        ("1,80,000", 180000),
        ("18,00,000", 1800000),
        ("1,800,000", 1800000),
        ("3,200.5", 3200.5),
        ("0,125", 0.125),
        ("3,200", "3,200"),
        ("1,250", "1,250"),
    ],
)
def test_a_comma_is_read_only_where_it_can_mean_one_thing(typed, read):
    assert parse_number(typed) == read


@pytest.mark.parametrize(("lab", "unit"), [("anc", "/uL"), ("alp", None)])
def test_a_thousands_or_decimal_comma_is_named_not_the_unit(wizard, lab, unit):
    page = wizard.labs_page
    typed = "3,200" if lab == "anc" else "1,250"
    _enter(page.rows[lab], typed, unit)
    wizard.revalidate()
    messages = [p.message for p in wizard.problems if p.path.startswith(f"labs.{lab}")]
    assert messages, wizard.problems
    assert any("comma" in m for m in messages), messages
    assert not any("unit" in m for m in messages), messages


def test_alp_has_one_unit_so_its_doubt_never_says_check_the_unit(wizard):
    _enter(wizard.labs_page.rows["alp"], "1.25")
    wizard.revalidate()
    messages = [p.message for p in wizard.problems if p.path.startswith("labs.alp")]
    assert messages
    assert all("implausible" in m for m in messages), messages
    assert not any("unit" in m for m in messages), messages
    assert any("check the number on the report" in m for m in messages)
