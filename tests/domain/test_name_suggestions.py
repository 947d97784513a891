"""walk23 #10: "Omez" (a brand of omeprazole) was refused as a medicine with "did you mean
'zoledronic acid'?" (through the brand "zometa", at difflib's default likeness of 0.6). Brands
of drug_names.toml are read for medicines as for allergies, and a name not in the catalogue is
offered a suggestion only when it is a likely typo of one drug (SUGGEST_AT), else none."""

from __future__ import annotations

import pytest

from planner.domain.problems import InputInvalid
from planner.domain.validation import validate_case
from planner.domain.validation_values import SUGGEST_AT, suggested_name


def _medicine(rules, name: str):
    raw = {
        "schema": "planner.case/1",
        "patient": {"mrn": "W23", "family_name": "Sokolova"},
        "assessed_on": "2026-12-07",
        "medications": [{"drug": name}],
    }
    return validate_case(raw, rules.limits)[0].medications[0].drug


@pytest.mark.parametrize(
    ("written", "inn"),
    [
        ("Omez", "omeprazole"),
        ("Омез", "omeprazole"),
        ("Tramal", "tramadol"),
        ("ТРАМАЛ", "tramadol"),
    ],
)
def test_a_brand_of_drug_names_toml_is_read_as_its_medicine(rules, written, inn):
    assert _medicine(rules, written) == inn


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("omeprazol", "omeprazole"),
        ("paracetmol", "paracetamol"),
        ("tramadl", "tramadol"),
        ("ibuprofn", "ibuprofen"),
    ],
)
def test_a_typo_of_one_drug_is_offered_that_drug(rules, typed, meant):
    assert suggested_name(typed, rules.limits.medicines) == meant
    with pytest.raises(InputInvalid) as refused:
        _medicine(rules, typed)
    assert f'did you mean "{meant}"' in str(refused.value)


@pytest.mark.parametrize("typed", ["omet", "tramal50mo", "xyz", "amlo"])
def test_a_name_like_no_drug_is_offered_nothing(rules, typed):
    """Below SUGGEST_AT there is no suggestion: at 0.6 "omet" got "zoledronic acid" (via
    zometa) and "amlo" (amlodipine?) got "tramadol" (via tramal)."""
    assert SUGGEST_AT >= 0.85
    with pytest.raises(InputInvalid) as refused:
        _medicine(rules, typed)
    assert "did you mean" not in str(refused.value)
    assert "zoledronic" not in str(refused.value)
