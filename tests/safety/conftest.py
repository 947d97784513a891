"""Safety tests of issue #15 (one module per defect class).

Supportive-care builders (fixture `sup`): run the supportive part on cases written for the
defect classes (none of them is a project example)."""

from __future__ import annotations

import types
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from planner.domain.supportive import PlannedTherapy

UNSET = object()


def _quiet_case(new_quiet_case: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A woman of 58, 62 kg, normal liver and kidney, no symptoms: every trigger off (the
    shared quiet baseline, tests/conftest.py, with normal transaminases, ALP and INR)."""
    raw = new_quiet_case()
    raw["body"] = {"height_cm": 160, "weight_kg": 62.0, "weight_6_months_ago_kg": 62.0}
    raw["labs"]["ast"]["value"] = 30
    raw["labs"]["alt"]["value"] = 30
    raw["labs"]["alp"]["value"] = 100
    raw["labs"]["inr"] = {"value": 1.0}
    return raw


def _the_reported_patient(quiet_case: dict[str, Any]) -> dict[str, Any]:
    """The issue's example: 82 years, 47 kg, creatinine 114 umol/L (CrCl about 25 mL/min by
    Cockcroft-Gault), normal liver, moderate pain, bone metastases."""
    raw = quiet_case
    raw["patient"]["birth_date"] = "1944-03-14"
    raw["body"] = {"height_cm": 155, "weight_kg": 47.0, "weight_6_months_ago_kg": 47.0}
    raw["labs"]["creatinine"] = {"value": 114, "unit": "umol/L"}
    raw["symptoms"]["esas"]["pain"] = 6
    raw["disease"]["other_sites"] = ["bone"]
    return raw


def item(result: dict[str, Any], problem: str) -> dict[str, Any]:
    for entry in result["supportive"]:
        if entry["problem"] == problem:
            return entry
    raise AssertionError(f"no supportive item for {problem}")


def rows(result: dict[str, Any], problem: str) -> dict[str, dict[str, Any]]:
    """The chosen intervention rows of one problem, by id (empty if the problem is absent)."""
    for entry in result["supportive"]:
        if entry["problem"] == problem:
            return {d["id"]: d for d in entry["intervention_details"]}
    return {}


def suggested_drugs(result: dict[str, Any], problem: str | None = None) -> set[str]:
    return {
        drug
        for entry in result["supportive"]
        if problem is None or entry["problem"] == problem
        for d in entry["intervention_details"]
        for drug in d["drugs"]
    }


def referral(result: dict[str, Any], service: str) -> dict[str, Any]:
    found = [r for r in result["referrals"] if r["service"] == service]
    assert found, f"no {service} referral"
    return found[0]


def alert(result: dict[str, Any], code: str) -> dict[str, Any] | None:
    found = [a for a in result["alerts"] if a["code"] == code]
    return found[0] if found else None


@pytest.fixture
def sup(new_quiet_case, supportive_part) -> types.SimpleNamespace:
    """The supportive builders and readers: sup.quiet_case(), sup.supportive(raw, crcl=…), …"""

    def supportive(
        raw: dict[str, Any],
        *,
        crcl: Any = UNSET,
        options: Sequence[PlannedTherapy] = (),
        settings: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The supportive part's JSON. `crcl`: a CrCl in mL/min to use instead of the case's
        (None: unknown); by default the case's own Cockcroft-Gault value."""
        given = {} if crcl is UNSET else {"crcl": crcl}
        return supportive_part(raw, options, supportive=settings, **given).to_json()

    return types.SimpleNamespace(
        quiet_case=lambda: _quiet_case(new_quiet_case),
        the_reported_patient=lambda: _the_reported_patient(_quiet_case(new_quiet_case)),
        supportive=supportive,
        item=item,
        rows=rows,
        suggested_drugs=suggested_drugs,
        referral=referral,
        alert=alert,
    )
