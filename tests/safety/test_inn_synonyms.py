"""Issue #15 / contract §3a: INN and US adopted names are synonyms in input; output keeps §3 names."""

from __future__ import annotations

import pytest

from planner.domain.problems import InputInvalid
from planner.services import case_commands, clinic_settings


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("trastuzumab emtansine", "ado-trastuzumab emtansine"),
        ("fam-trastuzumab deruxtecan", "trastuzumab deruxtecan"),
        ("leuprolide", "leuprorelin"),
        ("paclitaxel protein-bound", "nab-paclitaxel"),
        ("ado-trastuzumab emtansine", "ado-trastuzumab emtansine"),
    ],
)
def test_prior_therapy_accepts_either_name_and_keeps_the_catalogue_one(
    rules, example_raw, given, stored
):
    example_raw["disease"]["prior_therapy"][0]["drugs"] = [given]
    case = case_commands.check_case(example_raw, rules).case
    assert case.disease.prior_therapy[0].drugs == (stored,)


def test_dose_command_accepts_the_inn(example_raw):
    row = case_commands.dose_drug(example_raw, "trastuzumab emtansine")
    assert row["drug"] == "ado-trastuzumab emtansine"


def test_an_unknown_name_is_still_refused(rules, example_raw):
    example_raw["disease"]["prior_therapy"][0]["drugs"] = ["trastuzumab emtansin"]
    with pytest.raises(InputInvalid):
        case_commands.check_case(example_raw, rules)


def test_synonyms_are_never_catalogue_names(rules):
    synonyms = {k: v for k, v in rules.limits.medicines.items() if k != v}
    assert synonyms["trastuzumab emtansine"] == "ado-trastuzumab emtansine"
    assert not set(synonyms) & set(rules.drugs)
    assert set(synonyms.values()) <= set(rules.drugs)


def test_clinic_formulary_accepts_either_name():
    assert clinic_settings.check_clinic_settings({"formulary": ["trastuzumab emtansine"]}) == []
    settings = clinic_settings.from_stored({"formulary": ["trastuzumab emtansine"]})
    assert settings.available("ado-trastuzumab emtansine")
