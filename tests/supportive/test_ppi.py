"""The Palliative Prognostic Index from a case (Morita 1999; instruments.md §9.1), through the
whole plan: PPS + nutrition.intake (mapped) + the optional clinical.edema / dyspnea_at_rest /
delirium, scored by the instrument scorer; the goals-of-care and end-of-life prompts fire above
4 and 6; any input missing is a gap naming its field."""

from __future__ import annotations

from typing import Any

import pytest

from planner.domain.case import INTAKE
from planner.domain.instruments.prognosis import ORAL_INTAKE
from planner.domain.problems import InputInvalid
from planner.domain.screens import PPI_SIGNS, ppi_intake_setting
from planner.services import case_commands, clinic_settings

NOT_SCORED = "Palliative Prognostic Index"


def _ppi_case(
    raw: dict[str, Any],
    pps: int | None = 70,
    intake: str | None = "unchanged",
    edema: bool | None = False,
    dyspnea_at_rest: bool | None = False,
    delirium: bool | None = False,
) -> dict[str, Any]:
    raw["function"]["pps_percent"] = pps
    raw["nutrition"]["intake"] = intake
    raw["clinical"].update(edema=edema, dyspnea_at_rest=dyspnea_at_rest, delirium=delirium)
    return raw


def _alerts(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["code"]: a for a in plan["alerts"]}


def _palliative_reasons(plan: dict[str, Any]) -> list[str]:
    return [
        reason
        for r in plan["referrals"]
        if r["service"] == "palliative_care"
        for reason in r["reasons"]
    ]


def _ppi_gaps(plan: dict[str, Any]) -> set[str]:
    return {g["field"] for g in plan["gaps"] if NOT_SCORED in g["effect"]}


# PPS 70 (0 points) throughout, so the PPS triggers (<= 50, <= 30) stay silent.
@pytest.mark.parametrize(
    ("inputs", "score", "goals", "end"),
    [
        ({}, 0.0, False, False),
        ({"delirium": True}, 4.0, False, False),  # at the goals-of-care cut-off: not above it
        ({"intake": "less_than_usual", "dyspnea_at_rest": True}, 4.5, True, False),
        ({"edema": True, "delirium": True}, 5.0, True, False),
        ({"intake": "minimal", "dyspnea_at_rest": True}, 6.0, True, False),  # at the EoL cut-off
        ({"intake": "minimal", "delirium": True}, 6.5, True, True),
        ({"pps": 60, "intake": "much_less", "edema": True, "delirium": True}, 6.0, True, False),
    ],
)
def test_ppi_cutoffs_through_a_full_case(quiet_raw, inputs, score, goals, end):
    plan = case_commands.make_plan(_ppi_case(quiet_raw, **inputs))
    alerts = _alerts(plan)
    assert ("goals_of_care" in alerts) is goals
    assert ("end_of_life_planning" in alerts) is end
    reasons = [r for r in _palliative_reasons(plan) if "PPI" in r]
    assert bool(reasons) is goals
    assert _ppi_gaps(plan) == set()
    if goals:
        assert any(f"PPI {score:g} > 4" in r for r in reasons)
        assert any(b["rule"].startswith("instr.ppi") for b in alerts["goals_of_care"]["basis"])


def test_ppi_reason_names_the_intake_mapping_and_its_doubt(quiet_raw):
    plan = case_commands.make_plan(
        _ppi_case(quiet_raw, intake="less_than_usual", dyspnea_at_rest=True)
    )
    reason = next(r for r in _palliative_reasons(plan) if "PPI" in r)
    assert "intake less_than_usual -> moderately_reduced" in reason
    assert "ppi_intake_less_than_usual = moderately_reduced" in reason
    assert "unverified — confirm locally" in reason
    assert "dyspnea at rest" in reason


def test_clinic_can_change_the_intake_mapping(quiet_raw):
    raw = _ppi_case(quiet_raw, intake="much_less", dyspnea_at_rest=True)  # 1.0 + 3.5 = 4.5
    assert "end_of_life_planning" not in _alerts(case_commands.make_plan(raw))
    settings = clinic_settings.from_stored(
        {"supportive": {"ppi_intake_much_less": "severely_reduced"}}  # 2.5 + 3.5 = 6.0
    )
    plan = case_commands.make_plan(raw, settings=settings)
    reason = next(r for r in _palliative_reasons(plan) if "PPI" in r)
    assert "PPI 6 > 4" in reason
    assert "clinic setting" in reason


@pytest.mark.parametrize(
    "missing",
    ["function.pps_percent", "nutrition.intake", *(f"clinical.{s}" for s in PPI_SIGNS)],
)
def test_a_missing_ppi_input_is_a_gap_naming_its_field(quiet_raw, missing):
    raw = _ppi_case(quiet_raw, intake="minimal", delirium=True)  # 6.5 if complete
    section, name = missing.split(".")
    raw[section][name] = None
    plan = case_commands.make_plan(raw)
    assert missing in _ppi_gaps(plan)
    assert not any("PPI" in r for r in _palliative_reasons(plan))


def test_absent_ppi_fields_read_as_not_assessed(example_raw):
    assert "edema" not in example_raw["clinical"]  # the contract's example stays as it is
    plan = case_commands.make_plan(example_raw)
    assert _ppi_gaps(plan) >= {f"clinical.{s}" for s in PPI_SIGNS}


def test_pps_below_the_ppi_range_is_a_gap(quiet_raw):
    plan = case_commands.make_plan(_ppi_case(quiet_raw, pps=0))
    assert any(g["field"] == "function.pps_percent" and "PPI" in g["effect"] for g in plan["gaps"])


@pytest.mark.parametrize("sign", PPI_SIGNS)
def test_ppi_signs_must_be_true_false_or_null(example_raw, sign):
    example_raw["clinical"][sign] = "yes"
    with pytest.raises(InputInvalid) as caught:
        case_commands.check_case(example_raw)
    assert [p.path for p in caught.value.errors] == [f"clinical.{sign}"]


def test_a_misspelt_ppi_sign_is_refused_with_a_hint(example_raw):
    example_raw["clinical"]["dyspnoea_at_rest"] = True
    with pytest.raises(InputInvalid) as caught:
        case_commands.check_case(example_raw)
    assert "dyspnea_at_rest" in str(caught.value)


def test_every_intake_has_a_ppi_mapping_onto_ppi_categories(rules):
    for intake in INTAKE:
        row = rules.supportive.settings[ppi_intake_setting(intake)]
        assert set(row.options) == set(ORAL_INTAKE)
        assert row.default in ORAL_INTAKE
