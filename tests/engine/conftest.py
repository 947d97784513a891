"""Helpers for the engine tests: build cases from the contract example and plan them."""

from __future__ import annotations

from typing import Any

import pytest

from planner.domain.engine import build_plan
from planner.domain.settings import ClinicSettings
from planner.services import case_commands


@pytest.fixture
def checked(rules):
    def check(raw: dict[str, Any]):
        return case_commands.check_case(raw, rules)

    return check


@pytest.fixture
def plan_of(rules):
    """raw case -> plan JSON (the contract document)."""

    def make(
        raw: dict[str, Any], settings: ClinicSettings | None = None, labels: str | None = None
    ):
        result = case_commands.check_case(raw, rules)
        return build_plan(
            result.case, result.doubts, rules, settings or ClinicSettings(), labels
        ).to_json()

    return make


def set_visceral_crisis(raw: dict[str, Any]) -> dict[str, Any]:
    """Make the example a hepatic visceral crisis: bilirubin 1.67 x ULN, up from 10 days earlier."""
    raw["previous_labs"] = [
        {"drawn_on": "2026-11-09", "bilirubin": {"value": 25, "unit": "umol/L", "uln": 21}}
    ]
    raw["disease"]["biliary_obstruction"] = False
    raw["disease"]["gilbert_syndrome"] = False
    return raw


def therapy(
    drugs, setting="metastatic", started="2024-01-01", ended="2025-01-01", reason="progression"
):
    return {
        "drugs": list(drugs),
        "setting": setting,
        "started_on": started,
        "ended_on": ended,
        "reason_stopped": reason,
    }


@pytest.fixture(name="therapy")
def therapy_fixture():
    return therapy


@pytest.fixture(name="set_visceral_crisis")
def set_visceral_crisis_fixture():
    return set_visceral_crisis
