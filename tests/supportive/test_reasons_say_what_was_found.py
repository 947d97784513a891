"""misc22 (walk 21): "caregiver strain moderate — from caregiver strain recorded" — a reason that
restates its finding says neither what was found nor what it means (rule 1). Every problem raised
by an answer (a yes/no, a grade, a ticked box) says the answer, where it was recorded, and what
the plan reads from it; JSON, screen and print agree."""

from __future__ import annotations

import copy
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from planner.reports.render import render_plan_pdf
from planner.services import case_commands

CASES = Path(__file__).parents[1] / "data" / "independent_rx21"


@pytest.fixture(scope="module")
def answered() -> tuple[dict[str, Any], dict[str, Any]]:
    (path,) = CASES.glob("A01_*.json")
    raw = copy.deepcopy(json.loads(path.read_text(encoding="utf-8")))
    raw["psychosocial"].update(
        caregiver_strain=True, lives_alone=True, problems=["practical", "family", "spiritual"]
    )
    raw["symptoms"].update(constipation=True, pruritus=True, jaundice=True)
    raw["clinical"].update(ascites="mild", encephalopathy="grade_1_2")
    return raw, case_commands.make_plan(raw)


EXPECTED = {
    "caregiver_strain": [
        "the person caring for her is under strain: yes (the nurse's answer): rated moderate, "
        "as no strain scale was scored; the carer needs support too"
    ],
    "practical_needs": [
        "practical, family ticked (her problem list): she asks for help with practical or "
        "family matters",
        "lives alone: yes (the nurse's answer): no one at home to help daily",
    ],
    "spiritual_distress": [
        "spiritual ticked (her problem list): she asks for help with spiritual or religious "
        "concerns"
    ],
    "ascites": [
        "ascites: mild (the nurse's answer): fluid in the belly; it raises her Child–Pugh score"
    ],
    "encephalopathy": [
        "hepatic encephalopathy: grade 1-2 (the nurse's answer): confusion or drowsiness from "
        "the liver; it raises her Child–Pugh score"
    ],
    "constipation": [
        "constipation: yes (the nurse's answer): not graded; present, severity not recorded"
    ],
    "pruritus": [
        "itch: yes (the nurse's answer): no ESAS-r itch score; present, severity not recorded"
    ],
    "jaundice": [
        "yellow skin or eyes: yes (the nurse's answer): bilirubin 0.57 x ULN (NCI-ODWG normal) "
        "sets its grade"
    ],
}


def test_each_answer_says_what_was_found_and_what_it_means(answered):
    _, plan = answered
    reasons = {s["problem"]: s["reasons"] for s in plan["supportive"]}
    for problem, expected in EXPECTED.items():
        assert reasons[problem] == expected, problem


def test_no_reason_restates_its_problem(answered):
    """The class: a reason that is the problem's name (or its finding's name) and "recorded" /
    "ticked" and nothing else."""
    _, plan = answered
    restating = re.compile(r"^[\w ,/-]+ (recorded|ticked)( \([^)]*\))?$")
    for item in plan["supportive"]:
        for reason in item["reasons"]:
            assert not restating.match(reason), (item["problem"], reason)


def test_the_printed_page_and_the_screen_say_the_same(answered):
    from planner.ui.plan_text import plan_text_html

    raw, plan = answered
    pdf = render_plan_pdf(
        plan,
        patient={**raw["patient"], "assessed_on": raw["assessed_on"]},
        clinic={"name": "Clinic", "phone": "+91 11 2658 8500"},
        invariant=True,
    )
    printed = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages
    )
    assert (
        "caregiver strain moderate — from the person caring for her is under strain: yes "
        "(the nurse's answer): rated moderate, as no strain scale was scored; the carer needs "
        "support too"
    ) in printed
    assert "from caregiver strain recorded" not in printed
    screen = " ".join(plan_text_html(plan, "%d/%m/%Y").replace("&#x27;", "'").split())
    assert "the person caring for her is under strain: yes (the nurse's answer)" in screen
