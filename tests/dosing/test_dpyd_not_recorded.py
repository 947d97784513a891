"""DPYD not recorded before capecitabine (issue 16, independent nurse walk): the dose was given
silently. The labels differ on whether the dose waits for the result (EU SmPC: test before the
start; the US label as cited: testing advised), so it is a clinic setting, both sources shown
(rule 5; hard_limits.toml [[start_test]], clinic setting `start_tests.dpyd`)."""

from __future__ import annotations

import copy

import pytest

from planner.domain.givable import check_start_tests
from planner.domain.settings import ClinicSettings
from planner.services import case_commands, clinic_settings


def _capecitabine(raw: dict, dpyd: str | None, setting: str | None = None) -> dict:
    case = copy.deepcopy(raw)
    case["clinical"]["dpyd"] = dpyd
    chosen = {} if setting is None else {"dpyd": setting}
    plan = case_commands.make_plan(case, "us", ClinicSettings(start_tests=chosen))
    (row,) = [d for o in plan["options"] if o["regimen"] == "capecitabine" for d in o["drugs"]]
    return {"plan": plan, "row": row}


def _rules(row: dict) -> set[str]:
    return {b["rule"] for b in row["basis"]}


@pytest.mark.parametrize("dpyd", [None, "unknown"])
def test_required_by_default_no_starting_dose_until_the_result(example_raw, dpyd):
    found = _capecitabine(example_raw, dpyd)
    row = found["row"]
    assert row["status"] == "insufficient_data"
    assert row["dose"] is None
    assert row["schedule"] is None or "mg" not in str(row["schedule"])
    said = "not recorded" if dpyd is None else "unknown"
    assert row["warnings"][0].startswith(f"DPYD genotype (DPD deficiency) {said}: test first")
    assert "EU SmPC" in row["warnings"][0]
    gap = next(g for g in row["gaps"] if "test first" in g["effect"])
    assert gap["field"] == "clinical.dpyd"
    assert any("test first" in g["effect"] for g in found["plan"]["gaps"])
    assert "capecitabine.start.dpyd" in _rules(row)
    sources = {b["source"] for b in row["basis"] if b["rule"] == "capecitabine.start.dpyd"}
    assert sources == {"limit.src.xeloda_smpc_dpd"}
    assert all(not b["verified"] for b in row["basis"] if b["rule"] == "capecitabine.start.dpyd")


def test_advised_gives_the_dose_with_a_visible_warning(example_raw):
    row = _capecitabine(example_raw, None, "advised")["row"]
    assert row["status"] == "caution"
    assert row["dose"] == {"value": 1250.0, "unit": "mg/m2"}
    first = row["warnings"][0]
    assert first.startswith("DPYD genotype (DPD deficiency) not recorded: the dose assumes")
    assert "US label" in first
    assert "(unverified — confirm locally)" in first
    sources = {b["source"] for b in row["basis"] if b["rule"] == "capecitabine.start.dpyd"}
    assert sources == {"limit.src.xeloda_uspi_dpd"}


@pytest.mark.parametrize("setting", ["required", "advised"])
def test_a_recorded_result_sets_the_dose_whatever_the_setting(example_raw, setting):
    normal = _capecitabine(example_raw, "normal", setting)["row"]
    assert normal["dose"] == {"value": 1250.0, "unit": "mg/m2"}
    assert "capecitabine.start.dpyd" not in _rules(normal)
    assert not any("DPYD" in w and "not recorded" in w for w in normal["warnings"])
    partial = _capecitabine(example_raw, "intermediate", setting)["row"]
    assert partial["status"] == "reduced"
    assert partial["dose"] == {"value": 625.0, "unit": "mg/m2"}  # half the start (CPIC, DPWG)
    poor = _capecitabine(example_raw, "poor", setting)["row"]
    assert poor["status"] == "contraindicated"
    assert poor["dose"] is None


def test_the_dose_command_says_the_same(example_raw):
    case = copy.deepcopy(example_raw)
    case["clinical"]["dpyd"] = None
    row = case_commands.dose_drug(case, "capecitabine", "us")
    assert row["dose"] is None
    assert "test first" in row["warnings"][0]


def test_the_setting_is_checked_and_kept(rules, record):
    with pytest.raises(ValueError, match="not one of required, advised"):
        check_start_tests(rules.hard_limits, {"dpyd": "sometimes"})
    with pytest.raises(ValueError, match="not a test before a first dose"):
        check_start_tests(rules.hard_limits, {"ugt1a1": "required"})
    problems = clinic_settings.check_clinic_settings({"start_tests": {"dpyd": "never"}})
    assert problems
    assert problems[0].path == "start_tests.dpyd"
    record.sign_in_as("Nurse Priya")
    assert clinic_settings.save(record, {"start_tests": {"dpyd": "advised"}}) == []
    settings = clinic_settings.of_record(record)
    assert settings.start_tests == {"dpyd": "advised"}
    assert settings.to_json()["start_tests"] == {"dpyd": "advised"}


def test_both_sources_are_shown_with_the_setting():
    row = next(r for r in clinic_settings.settings_table().rows if r.key == "start_tests.dpyd")
    options, default = clinic_settings.row_choices(row)
    assert options == ("required", "advised")
    assert default == "required"
    assert "EU SmPC" in row.words["required"]
    assert "US label" in row.words["advised"]
    sources, verified = clinic_settings.row_sources(row)
    assert len(sources) == 2
    assert not verified
