"""rx24 W2: Child–Pugh when her INR measures an anticoagulant (apixaban) and is not scored.

Where every INR the item could score gives one class (R02: bilirubin 35 µmol/L and albumin
31 g/L, 2 + 2 points, no ascites or encephalopathy, 6 points before the INR: 7–9, class B), the
class is said, with its points as a range and the INR's reason beside it; where the classes
differ (W01: A or B) there is still no class. An INR merely not recorded stays a gap to fill
(no class is told from the others): the nurse can measure it; the anticoagulant's INR she
cannot."""

from __future__ import annotations

import copy
import subprocess
from pathlib import Path
from typing import Any

from planner.domain.plan_document import read_plan
from tests.independent_review import case_in, plan_json, run_planner

CASES = Path(__file__).parents[1] / "data" / "independent_rx24"


def _r02(**clinical: Any) -> dict[str, Any]:
    raw = copy.deepcopy(case_in(CASES, "R02"))
    raw["clinical"].update(clinical)
    return raw


def test_class_b_whatever_the_inr_is_said_with_its_range(rules):
    hepatic = plan_json(_r02(), rules)["hepatic"]
    assert hepatic["child_pugh"] == {
        "points": None,
        "class": "B",
        "points_range": [7, 9],
        "unscored": ["inr"],
    }
    assert hepatic["child_pugh_inr_not_scored"] == ["apixaban"]


def test_the_inr_gap_keeps_its_reason_and_says_the_class(rules):
    plan = plan_json(_r02(), rules)
    (gap,) = [g for g in plan["gaps"] if g["field"] == "labs.inr"]
    assert "apixaban" in gap["effect"]
    assert "class B whatever the INR" in gap["effect"]


def test_class_c_whatever_the_inr_is_severe_impairment(rules):
    """Bilirubin 2 + albumin 2 + moderate-severe ascites 3 + encephalopathy grade 1-2 2 = 9
    points before the INR: 10–12, class C. With mild ascites instead (8: 9–11, B or C) no class."""
    plan = plan_json(_r02(ascites="moderate_severe", encephalopathy="grade_1_2"), rules)
    child_pugh = plan["hepatic"]["child_pugh"]
    assert (child_pugh["class"], child_pugh["points_range"]) == ("C", [10, 12])
    assert "severe_hepatic_impairment" in {a["code"] for a in plan["alerts"]}
    undecided = plan_json(_r02(ascites="mild", encephalopathy="grade_1_2"), rules)["hepatic"]
    assert undecided["child_pugh"] is None


def test_an_inr_not_recorded_is_still_a_gap_not_a_class(rules):
    raw = _r02()
    del raw["labs"]["inr"]
    raw["medications"] = [m for m in raw["medications"] if m["drug"] != "apixaban"]
    hepatic = plan_json(raw, rules)["hepatic"]
    assert hepatic["child_pugh"] is None


def test_the_read_plan_and_the_printed_liver_line_say_it(rules, tmp_path):
    plan = plan_json(_r02(), rules)
    found = read_plan(plan).hepatic
    assert found is not None
    assert found.child_pugh is not None
    assert found.child_pugh.points_words == "7–9 points whatever the INR"
    (case,) = CASES.glob("R02_*.json")
    pdf = tmp_path / "R02.pdf"
    assert run_planner("plan", case, "--pdf", pdf, "--audience", "clinician").returncode == 0
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = " ".join(text.split())
    assert "Child–Pugh class B (7–9 points whatever the INR; the INR measures apixaban)" in words
    assert "None points" not in words
