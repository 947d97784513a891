"""Helpers for the supportive-care tests: run the supportive part on variants of the example case."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import pytest

from planner.domain.hepatic import assess_liver
from planner.domain.kidney import assess_kidney
from planner.domain.screens import screen_case
from planner.domain.settings import ClinicSettings
from planner.domain.supportive import PlannedTherapy, SupportivePart, build_supportive
from planner.domain.supportive_tables import SupportiveSettings
from planner.services import case_commands


class Run:
    """raw case (+ options, settings, screen overrides) -> SupportivePart and its JSON."""

    def __init__(self, rules: Any) -> None:
        self.rules = rules

    def part(
        self,
        raw: dict[str, Any],
        options: Sequence[PlannedTherapy] = (),
        supportive: dict[str, Any] | None = None,
        instrument_choices: dict[str, str] | None = None,
        **screen_overrides: Any,
    ) -> SupportivePart:
        rules = self.rules
        checked = case_commands.check_case(raw, rules)
        settings = ClinicSettings(
            supportive=supportive or {}, instrument_choices=instrument_choices or {}
        )
        hepatic = assess_liver(
            checked.case, rules.limits, settings, checked.doubts, instruments=rules.instruments
        )
        instrument_settings = settings.instrument_settings(rules.instruments)
        resolved = SupportiveSettings.resolve(rules.supportive, settings.supportive)
        screens = screen_case(checked.case, rules.instruments, instrument_settings, resolved)
        if screen_overrides:
            screens = dataclasses.replace(screens, **screen_overrides)
        return build_supportive(
            checked.case,
            hepatic,
            options,
            rules.supportive,
            settings,
            instruments=rules.instruments,
            instrument_settings=instrument_settings,
            doubts=checked.doubts,
            screens=screens,
            regimen_monitoring=rules.regimens.monitoring.values(),
            kidney=assess_kidney(
                checked.case, rules.limits, checked.doubts, instruments=rules.instruments
            ),
        )

    def json(self, raw: dict[str, Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
        return self.part(raw, *args, **kwargs).to_json()


@pytest.fixture
def run(rules) -> Run:
    return Run(rules)


def problems(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["problem"]: item for item in result["supportive"]}


def services_of(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["service"]: r for r in result["referrals"]}


def alerts_of(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["code"]: a for a in result["alerts"]}


def intervention_ids(result: dict[str, Any], problem: str) -> list[str]:
    item = problems(result).get(problem)
    return [] if item is None else [d["id"] for d in item["intervention_details"]]


@pytest.fixture
def look():
    """Small readers of the supportive JSON: look.problems(r), look.services(r), …"""
    import types

    return types.SimpleNamespace(
        problems=problems,
        services=services_of,
        alerts=alerts_of,
        interventions=intervention_ids,
    )
