"""Walk 20 F4: Decide's "New dose" took "5 mg", previewed it as "dose changed to 5 mg mg", and
Save refused it. The drug's own unit after the number is read; another unit is still refused."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

from planner.ui.decision_dialog import DecisionDialog, _number


@pytest.mark.parametrize(
    ("typed", "unit", "value"),
    [
        ("5", "mg", 5.0),
        ("5 mg", "mg", 5.0),
        ("5mg", "mg", 5.0),
        ("7,5 MG", "mg", 7.5),
        ("75 mg/m2", "mg/m2", 75.0),
    ],
)
def test_a_dose_typed_with_the_drugs_own_unit_is_read(typed, unit, value):
    assert _number(typed, unit) == value


@pytest.mark.parametrize(("typed", "unit"), [("5 g", "mg"), ("5 mg", "mg/kg"), ("five", "mg")])
def test_another_unit_or_no_number_is_refused(typed, unit):
    assert math.isnan(_number(typed, unit))


def test_the_preview_says_the_dose_once_in_its_unit():
    suggested = SimpleNamespace(value=10.0, unit="mg")
    assert DecisionDialog._typed_dose_words("5 mg", suggested) == "5 mg"
    assert "mg mg" not in DecisionDialog._typed_dose_words("5 mg", suggested)
