"""Helpers for the supportive-care tests: run the supportive part on variants of the example case."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from planner.domain.supportive import PlannedTherapy, SupportivePart


class Run:
    """raw case (+ options, settings, screen overrides) -> SupportivePart and its JSON."""

    def __init__(self, build: Callable[..., SupportivePart]) -> None:
        self._build = build

    def part(
        self,
        raw: dict[str, Any],
        options: Sequence[PlannedTherapy] = (),
        supportive: dict[str, Any] | None = None,
        instrument_choices: dict[str, str] | None = None,
        **screen_overrides: Any,
    ) -> SupportivePart:
        return self._build(
            raw,
            options,
            supportive=supportive,
            instrument_choices=instrument_choices,
            **screen_overrides,
        )

    def json(self, raw: dict[str, Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
        return self.part(raw, *args, **kwargs).to_json()


@pytest.fixture
def run(supportive_part) -> Run:
    return Run(supportive_part)


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
