"""rx21 W4, F4, F5 on paper: the printed plan says what the plan document says (rule 3).

W4: with apixaban the INR was recorded and not scored; the liver line said "Child–Pugh not
recorded (a result is missing)". F4: the medicines table printed "apixaban … Continue • nothing
found" beside rifampicin. F5: the suggestion printed first was capivasertib, which TRUQAP says
to avoid with rifampicin.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.domain.engine import build_plan
from planner.domain.validation import validate_case

CASE = next((Path(__file__).parents[1] / "data" / "independent_rx21").glob("R02_*.json"))


@pytest.fixture(scope="module")
def r02(rules):
    case, doubts = validate_case(json.loads(CASE.read_text(encoding="utf-8")), rules.limits)
    return build_plan(case, doubts, rules).to_json()


@pytest.fixture(scope="module")
def printed(r02, render, page_texts):
    return " ".join(" ".join(page_texts(render(r02, audience="clinician"))).split())


def test_the_liver_line_says_the_inr_measures_apixaban(r02, printed):
    assert r02["hepatic"]["child_pugh"] is None
    assert r02["hepatic"]["child_pugh_inr_not_scored"] == ["apixaban"]
    assert "Child–Pugh not scored: the INR measures apixaban" in printed
    assert "Child–Pugh not recorded" not in printed


def test_apixaban_is_printed_for_review_not_nothing_found(r02, printed):
    apixaban = next(m for m in r02["medications"] if m["drug"] == "apixaban")
    assert apixaban["action"] == "review"
    assert "nothing found" not in " ".join(apixaban["reasons"])
    assert "ELIQUIS §7.2" in printed


def test_the_printed_suggestion_is_the_plans_first_option(r02, printed):
    first = r02["options"][0]
    assert first["regimen"] == "trastuzumab_deruxtecan_chemo_naive"
    assert "suggestion: Trastuzumab deruxtecan" in printed
    assert "suggestion: Capivasertib" not in printed
