"""One settings object reaches every rule: stored clinic settings -> ClinicSettings -> engine.

An older version stored two choices in its own words (`distress_cutoff = 3|4`,
`child_pugh_albumin = "2.8"|"3.0"`); the settings table's `legacy` words read them as the
instrument rule tables' option names, in the one codec (ClinicSettings.from_stored).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planner.domain.hepatic import _albumin_cutoff
from planner.domain.screens import distress_edge
from planner.domain.settings import ClinicSettings
from planner.services import case_commands, clinic_settings, kept_plans, patient_record


def _distressed(raw: dict[str, Any], score: int) -> dict[str, Any]:
    raw["psychosocial"]["distress_thermometer"] = score
    raw["psychosocial"]["problems"] = ["emotional"]
    return raw


def _services(plan: dict[str, Any]) -> set[str]:
    return {r["service"] for r in plan["referrals"]}


# ------------------------------------------------------------------ the one conversion boundary


def test_stored_vocabulary_matches_the_rule_tables(rules):
    ir = rules.instruments
    table = clinic_settings.settings_table()
    for stored, option in table.row("distress_cutoff").legacy.items():
        chosen = ClinicSettings(instrument_choices={"distress_cutoff": option})
        assert distress_edge(ir, chosen.instrument_settings(ir)) == f">= {stored}"
    for stored, option in table.row("child_pugh_albumin").legacy.items():
        assert option in ir.setting("child_pugh_albumin").options
        assert f"{_albumin_cutoff(ir, option) / 10:.1f}" == stored


def test_stored_defaults_are_the_rule_table_defaults(rules):
    settings = clinic_settings.from_stored({})
    resolved = settings.instrument_settings(rules.instruments)
    for name in resolved.names():
        assert getattr(resolved, name) == rules.instruments.setting(name).default


@pytest.mark.parametrize(
    ("stored", "option"),
    [
        ({"distress_cutoff": 3}, {"distress_cutoff": "onf"}),
        ({"distress_cutoff": 4}, {"distress_cutoff": "nccn"}),
        ({"distress_cutoff": "onf"}, {"distress_cutoff": "onf"}),
        ({"child_pugh_albumin": "3.0"}, {"child_pugh_albumin": "harrison"}),
        ({"child_pugh_albumin": "pugh_1973"}, {"child_pugh_albumin": "pugh_1973"}),
        ({"instrument_settings": {"phq2_cutoff": "sensitive"}}, {"phq2_cutoff": "sensitive"}),
    ],
)
def test_engine_settings_converts_stored_values(stored, option):
    choices = clinic_settings.from_stored(stored).instrument_choices
    assert {k: choices[k] for k in option} == option


@pytest.mark.parametrize(
    ("stored", "path"),
    [
        ({"distress_cutoff": 5}, "distress_cutoff"),
        ({"distress_cutoff": True}, "distress_cutoff"),
        ({"child_pugh_albumin": "2.9"}, "child_pugh_albumin"),
        (
            {"instrument_settings": {"distress_cutoff": "onf"}},
            "instrument_settings.distress_cutoff",
        ),
        ({"instrument_settings": {"hads_bands": "nice"}}, "instrument_settings.hads_bands"),
        ({"instrument_settings": {"nonsense": "x"}}, "instrument_settings.nonsense"),
        ({"supportive": {"phq9_moderate_min": 99}}, "supportive.phq9_moderate_min"),
        ({"lab_uln": {"bilirubin": "high"}}, "lab_uln.bilirubin"),
        ({"paper": "a3"}, "paper"),
        ({"date_format": "mm/dd/yyyy"}, "date_format"),
        ({"units": {"platelets": "lakh"}}, "units.platelets"),
    ],
)
def test_unusable_settings_are_refused_before_saving(stored, path):
    problems = clinic_settings.check_clinic_settings(stored)
    assert [p.path for p in problems] == [path]


def test_clinic_settings_refuse_unknown_instrument_names():
    with pytest.raises(ValueError, match="not an instrument setting"):
        ClinicSettings(instrument_choices={"dt": "onf"})


def test_dialog_phone_keys_reach_the_settings():
    settings = clinic_settings.from_stored(
        {"clinic_phone": "+998 71 000", "clinic_out_of_hours_phone": "+998 71 999"}
    )
    assert (settings.clinic_phone, settings.out_of_hours_phone) == ("+998 71 000", "+998 71 999")


# ------------------------------------------------------------------ the settings change the plan


@pytest.mark.parametrize(("stored", "psychology"), [(None, False), (4, False), (3, True)])
def test_stored_distress_cutoff_changes_the_psychology_referral_at_dt_3(
    quiet_raw, stored, psychology
):
    values = {} if stored is None else {"distress_cutoff": stored}
    plan = case_commands.make_plan(
        _distressed(quiet_raw, 3), settings=clinic_settings.from_stored(values)
    )
    assert ("psychology" in _services(plan)) is psychology
    option = "onf" if stored == 3 else "nccn"
    assert plan["settings"]["instruments"]["distress_cutoff"] == option
    edge = ">= 3" if stored == 3 else ">= 4"
    assert plan["settings"]["distress_thermometer_cutoff"].startswith(edge)
    assert plan["settings"]["instruments_changed_by_clinic"] == (
        ["distress_cutoff"] if stored == 3 else []
    )


@pytest.mark.parametrize(
    ("stored", "child_class", "points"), [("2.8", "A", 6), ("3.0", "B", 7), (None, "A", 6)]
)
def test_stored_child_pugh_variant_changes_class_at_albumin_29(
    example_raw, stored, child_class, points
):
    example_raw["labs"]["bilirubin"]["value"] = 15  # < 2 mg/dL: 1 point
    example_raw["labs"]["albumin"] = {"value": 29, "unit": "g/L"}
    values = {} if stored is None else {"child_pugh_albumin": stored}
    plan = case_commands.make_plan(example_raw, settings=clinic_settings.from_stored(values))
    assert plan["hepatic"]["child_pugh"] == {"points": points, "class": child_class}
    option = "harrison" if stored == "3.0" else "pugh_1973"
    assert plan["settings"]["instruments"]["child_pugh_albumin"] == option
    assert plan["hepatic"]["child_pugh_albumin_setting"] == option
    assert plan["hepatic"]["child_pugh_albumin_variant"] == (stored or "2.8")


def test_settings_kept_in_the_record_reach_the_plan(tmp_path: Path, quiet_raw):
    path = tmp_path / "record.sqlite3"
    with patient_record.PatientRecord(path, who="test") as record:
        record.set_clinic_settings(
            {"distress_cutoff": 3, "clinic_name": "Tashkent Hospice", "supportive": {}}
        )
        assessment = record.import_case(_distressed(quiet_raw, 3)).assessment_id
        plan_id = kept_plans.make_and_keep_plan(record, assessment).plan_id
        kept = record.plan(plan_id)
    assert kept is not None
    plan = kept.plan
    assert "psychology" in _services(plan)
    assert plan["settings"]["instruments"]["distress_cutoff"] == "onf"
    assert plan["settings"]["clinic_name"] == "Tashkent Hospice"
    settings = clinic_settings.record_settings(path)
    assert settings.instrument_choices["distress_cutoff"] == "onf"


def test_supportive_overrides_kept_in_the_record_reach_the_plan(quiet_raw):
    quiet_raw["psychosocial"]["phq9"] = [2, 2, 2, 2, 0, 0, 0, 0, 0]  # total 8
    default = case_commands.make_plan(quiet_raw)
    assert "psychology" not in _services(default)
    settings = clinic_settings.from_stored({"supportive": {"phq9_moderate_min": 8}})
    changed = case_commands.make_plan(quiet_raw, settings=settings)
    assert "psychology" in _services(changed)
    assert changed["settings"]["supportive_changed_by_clinic"] == ["phq9_moderate_min"]
