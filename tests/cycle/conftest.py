"""Cycle-review cases: the contract's sample patient with normal organ function, on a regimen."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from planner.domain.engine import build_plan
from planner.domain.validation import validate_case

NORMAL_LABS: dict[str, Any] = {
    "drawn_on": "2026-11-19",
    "bilirubin": {"value": 12, "unit": "umol/L", "uln": 20},
    "ast": {"value": 30, "unit": "U/L", "uln": 40},
    "alt": {"value": 30, "unit": "U/L", "uln": 40},
    "alp": {"value": 100, "unit": "U/L", "uln": 100},
    "albumin": {"value": 38, "unit": "g/L"},
    "inr": {"value": 1.0},
    "creatinine": {"value": 70, "unit": "umol/L"},
    "anc": {"value": 3.0, "unit": "10^9/L"},
    "platelets": {"value": 220, "unit": "10^9/L"},
    "hemoglobin": {"value": 120, "unit": "g/L"},
    "glucose_fasting": {"value": 5.5, "unit": "mmol/L"},
}


def on_treatment(
    example: dict[str, Any],
    regimen: str,
    drugs: dict[str, tuple[float, float, str]],
    *,
    day: int = 1,
    cycle: int = 4,
    toxicities: list[dict[str, Any]] | None = None,
    labs: dict[str, Any] | None = None,
    given: list[dict[str, Any]] | None = None,
    baseline_lvef: float | None = None,
) -> dict[str, Any]:
    """The sample case, labs normal unless `labs` overrides some, on `regimen` with each drug's
    (starting, current, unit) dose."""
    raw = copy.deepcopy(example)
    panel = copy.deepcopy(NORMAL_LABS)
    for name, value in (labs or {}).items():
        if value is None:
            panel.pop(name, None)
        elif isinstance(value, dict):
            panel[name] = value
        else:
            panel[name] = {**panel[name], "value": value}
    raw["labs"] = panel
    raw["previous_labs"] = []
    raw["treatment"] = {
        "regimen": regimen,
        "cycle": cycle,
        "cycle_days": 21,
        "day": day,
        "started_on": "2026-08-01",
        "drugs": [
            {
                "drug": name,
                "starting_dose": {"value": start, "unit": unit},
                "current_dose": {"value": now, "unit": unit},
            }
            for name, (start, now, unit) in drugs.items()
        ],
        "given": given or [],
        "toxicities": toxicities or [],
    }
    if baseline_lvef is not None:
        raw["treatment"]["baseline_lvef_percent"] = baseline_lvef
    return raw


def plan_of(rules: Any, raw: dict[str, Any], labels: str | None = None) -> dict[str, Any]:
    case, doubts = validate_case(json.loads(json.dumps(raw)), rules.limits)
    return build_plan(case, doubts, rules, labels=labels).to_json()


def toxicity(
    term: str,
    worst: int,
    current: int | None = None,
    occurrence: int | None = None,
    days: int | None = None,
    drug: str | None = None,
) -> dict[str, Any]:
    return {
        "term": term,
        "worst_grade": worst,
        "current_grade": current,
        "occurrence": occurrence,
        "drug": drug,
        "days": days,
    }


@pytest.fixture
def review(rules, example_raw):
    """review(regimen, drugs, labels=None, **kw) -> the plan's next_cycle (and the plan as
    `.plan`)."""

    def run(
        regimen: str,
        drugs: dict[str, tuple[float, float, str]],
        labels: str | None = None,
        **kw: Any,
    ) -> dict[str, Any]:
        plan = plan_of(rules, on_treatment(example_raw, regimen, drugs, **kw), labels)
        return {**plan["next_cycle"], "plan": plan}

    return run


def drug_of(next_cycle: dict[str, Any], name: str) -> dict[str, Any]:
    return next(d for d in next_cycle["drugs"] if d["drug"] == name)


@pytest.fixture
def tox():
    """tox(term, worst, current=None, occurrence=None, days=None, drug=None): one entry."""
    return toxicity


@pytest.fixture
def case_on(example_raw):
    """case_on(regimen, drugs, **kw): the raw case document (for validation tests)."""

    def build(regimen: str, drugs: dict[str, tuple[float, float, str]], **kw: Any):
        return on_treatment(example_raw, regimen, drugs, **kw)

    return build
