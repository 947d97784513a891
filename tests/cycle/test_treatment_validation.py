"""The `treatment` section through the one validator: bad input names the field (exit 2)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from planner.domain.problems import InputInvalid
from planner.domain.validation import validate_case

CAPE = {"capecitabine": (1000, 1000, "mg/m2")}


def problems(raw, limits):
    with pytest.raises(InputInvalid) as caught:
        validate_case(raw, limits)
    return {p.path: p.message for p in caught.value.problems}


def test_a_valid_treatment_is_accepted(case_on, limits, tox):
    raw = case_on("capecitabine", CAPE, toxicities=[tox("diarrhea", 2, 1, 1, drug="capecitabine")])
    case, _ = validate_case(raw, limits)
    assert case.treatment is not None
    assert case.treatment.drugs[0].current_dose.value == 1000
    assert case.treatment.toxicities[0].drug == "capecitabine"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            lambda t: t["toxicities"].append({"term": "diarrhea", "worst_grade": 7}),
            "treatment.toxicities[0].worst_grade",
            "7 is outside 0–5",
        ),
        (
            lambda t: t["toxicities"].append({"term": "hand_foot", "worst_grade": 2}),
            "treatment.toxicities[0].term",
            "is not one of",
        ),
        (
            lambda t: t["toxicities"].append(
                {"term": "diarrhea", "worst_grade": 1, "current_grade": 2}
            ),
            "treatment.toxicities[0].current_grade",
            "2 is above worst_grade 1",
        ),
        (
            lambda t: t["toxicities"].append(
                {"term": "diarrhea", "worst_grade": 1, "drug": "docetaxel"}
            ),
            "treatment.toxicities[0].drug",
            "is not in treatment.drugs",
        ),
        (
            lambda t: t.update(regimen="capecitabin"),
            "treatment.regimen",
            'did you mean "capecitabine"',
        ),
        (lambda t: t.update(cycle=0), "treatment.cycle", "0 is outside 1–200"),
        (lambda t: t.update(day=22), "treatment.day", "after the last day of a 21-day cycle"),
        (
            lambda t: t["drugs"].append(
                {
                    "drug": "docetaxel",
                    "starting_dose": {"value": 75, "unit": "mg/m2"},
                    "current_dose": {"value": 75, "unit": "mg/m2"},
                }
            ),
            "treatment.drugs[1].drug",
            "is not a drug of regimen capecitabine",
        ),
        (
            lambda t: t["drugs"][0]["current_dose"].update(unit="mg"),
            "treatment.drugs[0].current_dose.unit",
            "differs from the starting dose",
        ),
        (
            lambda t: t["given"].append({"cycle": 9, "given_on": "2026-09-01", "drugs": []}),
            "treatment.given[0].cycle",
            "after the cycle being decided",
        ),
        (
            lambda t: t["given"].append({"cycle": 1, "given_on": "2026-12-01", "drugs": []}),
            "treatment.given[0].given_on",
            "after the assessment date",
        ),
        (
            lambda t: t["toxicities"].append(
                {"term": "diarrhea", "worst_grade": 2, "occurrence": 0}
            ),
            "treatment.toxicities[0].occurrence",
            "0 is outside 1–50",
        ),
    ],
)
def test_bad_treatment_names_the_field(case_on, limits, change, field, words):
    raw = case_on("capecitabine", CAPE)
    change(raw["treatment"])
    found = problems(raw, limits)
    assert field in found, found
    assert words in found[field]


def test_cli_exits_2_naming_the_field(case_on, tmp_path):
    raw = case_on("capecitabine", CAPE)
    raw["treatment"]["toxicities"] = [{"term": "diarrhea", "worst_grade": 7}]
    path = tmp_path / "case.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "planner", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "treatment.toxicities[0].worst_grade: 7 is outside 0–5" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_first_plan_has_no_next_cycle(rules, example_raw):
    from planner.domain.engine import build_plan

    case, doubts = validate_case(example_raw, rules.limits)
    assert "next_cycle" not in build_plan(case, doubts, rules).to_json()
