"""Safety rule 3, one decision per page (rx23 F1, F2): a plan whose gaps say a course drug gets
no dose ("…; doxorubicin: no dose is printed", "not recorded: ado-trastuzumab emtansine is not
given at platelets < 75 …") never gives that drug a dose in its cycle review. Swept over every
case with a treatment among the tests' case documents."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from planner.domain.engine import build_plan
from planner.domain.problems import InputInvalid
from planner.domain.validation import validate_case

DATA = Path(__file__).parents[1] / "data"
GIVEN = {"continue", "reduce", "increase"}


def _cases() -> list[Path]:
    out = []
    for path in sorted(DATA.rglob("*.json")):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        if isinstance(raw, dict) and isinstance(raw.get("treatment"), dict):
            out.append(path)
    return out


def _says_no_dose(effect: str, drug: str) -> bool:
    named = rf"(?:^|; |: ){re.escape(drug)}"
    return bool(
        re.search(rf"{named}: no dose is printed", effect)
        or re.search(rf"^not recorded: {re.escape(drug)} is not given at", effect)
    )


def test_the_sweep_reaches_the_rx23_cases():
    names = {p.name[:3] for p in _cases()}
    assert {"M03", "A02", "D02"} <= names
    assert len(_cases()) > 100


def test_no_course_drug_is_given_under_a_gap_that_gives_it_no_dose(rules):
    contradictions: list[tuple[str, str, Any]] = []
    for path in _cases():
        raw = json.loads(path.read_text(encoding="utf-8"))
        try:
            case, doubts = validate_case(raw, rules.limits)
        except InputInvalid:
            continue  # a case built to be refused (exit 2)
        plan = build_plan(case, doubts, rules).to_json()
        cycle = plan.get("next_cycle")
        if not cycle:
            continue
        for row in cycle["drugs"]:
            if row["action"] not in GIVEN:
                continue
            said = [g["effect"] for g in plan["gaps"] if _says_no_dose(g["effect"], row["drug"])]
            if said:
                contradictions.append((path.name, row["drug"], said))
    assert not contradictions


@pytest.mark.parametrize(
    ("effect", "drug", "says"),
    [
        ("not recorded: 540 mg/m2 …; doxorubicin: no dose is printed", "doxorubicin", True),
        (
            "not recorded: 530 mg/m2 …; pegylated liposomal doxorubicin: no dose is printed",
            "doxorubicin",
            False,
        ),
        (
            "not recorded: ado-trastuzumab emtansine is not given at platelets < 75",
            "ado-trastuzumab emtansine",
            True,
        ),
    ],
)
def test_a_drug_named_inside_another_drugs_name_is_not_named(effect, drug, says):
    assert _says_no_dose(effect, drug) is says
