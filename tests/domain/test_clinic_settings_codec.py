"""The one codec of clinic settings: the stored form as main kept it before issue 18 step 3 is
still read, every bad value is named by its stored key, and what is written reads back the same."""

from __future__ import annotations

import pytest

from planner.domain.problems import InputInvalid
from planner.domain.settings import ClinicSettings

#: a record's clinic settings exactly as the dialog on main saved them (before this codec)
STORED_ON_MAIN = {
    "anthracycline_factors": {"epirubicin": 0.67},
    "child_pugh_albumin": "3.0",
    "clinic_name": "Tashkent Hospice",
    "clinic_out_of_hours_phone": "+998 71 999 00 00",
    "clinic_phone": "+998 71 200 00 00",
    "crisis_rise_percent": 25,
    "date_format": "dd.mm.yyyy",
    "distress_cutoff": 3,
    "formulary": None,
    "instrument_settings": {"hads_bands": "four_band", "pgsga_box2": "highest"},
    "lab_uln": {"bilirubin": 21, "ast": 40},
    "labels": "eu",
    "paper": "letter",
    "supportive": {"itch_ladder": "bsg", "pain_moderate_min": 5, "pain_severe_min": 8},
    "units": {"platelets": "/uL", "bilirubin": "mg/dL"},
}


@pytest.fixture
def table(rules):
    return rules.clinic_settings


def test_the_stored_form_on_main_is_read(table):
    settings = ClinicSettings.from_stored(STORED_ON_MAIN, table)
    assert settings.instrument_choices == {
        "distress_cutoff": "onf",
        "child_pugh_albumin": "harrison",
        "hads_bands": "four_band",
        "pgsga_box2": "highest",
    }
    assert (settings.clinic_phone, settings.out_of_hours_phone) == (
        "+998 71 200 00 00",
        "+998 71 999 00 00",
    )
    assert settings.lab_uln == {"bilirubin": 21.0, "ast": 40.0}
    assert settings.units["platelets"] == "/uL"
    assert (settings.labels, settings.paper, settings.date_format) == ("eu", "letter", "dd.mm.yyyy")
    assert settings.anthracycline_factors == {"epirubicin": 0.67}
    assert settings.crisis_rise_percent == 25
    assert settings.supportive["pain_moderate_min"] == 5


def test_an_older_phone_list_is_read():
    from planner.services.rule_tables import rules

    settings = ClinicSettings.from_stored(
        {
            "clinic_phones": [
                {"label": "day", "number": "+91 11 2658 8500"},
                {"label": "Night / on call", "number": "+91 11 2658 9999"},
            ]
        },
        rules().clinic_settings,
    )
    assert settings.clinic_phone == "+91 11 2658 8500"
    assert settings.out_of_hours_phone == "+91 11 2658 9999"


def test_what_is_written_reads_back_the_same(table):
    settings = ClinicSettings.from_stored(STORED_ON_MAIN, table)
    written = settings.to_stored(table)
    assert written["distress_cutoff"] == "onf"  # option names, never the older words
    assert written["child_pugh_albumin"] == "harrison"
    assert ClinicSettings.from_stored(written, table) == settings
    assert written["units"] == STORED_ON_MAIN["units"]


def test_empty_settings_are_the_defaults(table):
    assert ClinicSettings.from_stored({}, table) == ClinicSettings()
    assert ClinicSettings().missing_phones == ("clinic_phone", "clinic_out_of_hours_phone")


def test_every_bad_value_is_named_by_its_stored_key(table):
    with pytest.raises(InputInvalid) as caught:
        ClinicSettings.from_stored(
            {
                "paper": "a3",
                "distress_cutoff": 5,
                "lab_uln": {"bilirubin": "high"},
                "clinic_phone": 712000000,
                "instrument_settings": {"hads_bands": "nice"},
                "formulary": "letrozole",
                "crisis_rise_percent": 0,
            },
            table,
        )
    named = {p.path: p.message for p in caught.value.problems}
    assert set(named) == {
        "paper",
        "distress_cutoff",
        "lab_uln.bilirubin",
        "clinic_phone",
        "instrument_settings.hads_bands",
        "formulary",
        "crisis_rise_percent",
    }
    assert named["distress_cutoff"] == "5 is not one of 4 (nccn), 3 (onf)"
    assert named["paper"] == "'a3' is not one of a4, letter"
