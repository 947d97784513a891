"""CTCAE v5 grading of the laboratory terms: edges, the abnormal baseline, and a nurse's grade
for the same term (the higher wins and the plan says so)."""

from __future__ import annotations

import pytest

CAPE = {"capecitabine": (1000, 1000, "mg/m2")}


def graded(next_cycle, term):
    return next(g for g in next_cycle["graded"] if g["term"] == term)


@pytest.mark.parametrize(
    ("anc", "grade"),
    [(1.5, 0), (1.49, 2), (1.0, 2), (0.99, 3), (0.5, 3), (0.49, 4)],
)
def test_neutrophil_edges(review, anc, grade):
    found = review("letrozole_alone", {"letrozole": (2.5, 2.5, "mg")}, labs={"anc": anc})
    assert graded(found, "neutrophil_count_decreased")["grade"] == grade


def test_counts_above_the_grade_2_edge_show_0_to_1(review):
    found = review("letrozole_alone", {"letrozole": (2.5, 2.5, "mg")})
    row = graded(found, "neutrophil_count_decreased")
    assert (row["grade"], row["grade_shown"], row["from"]) == (0, "0–1", "labs.anc")


@pytest.mark.parametrize(
    ("platelets", "grade"), [(75, 0), (74.9, 2), (50, 2), (49, 3), (25, 3), (24, 4)]
)
def test_platelet_edges(review, platelets, grade):
    found = review(
        "letrozole_alone", {"letrozole": (2.5, 2.5, "mg")}, labs={"platelets": platelets}
    )
    assert graded(found, "platelet_count_decreased")["grade"] == grade


@pytest.mark.parametrize(("hb", "grade"), [(100, 0), (99, 2), (80, 2), (79, 3)])
def test_haemoglobin_edges(review, hb, grade):
    found = review("letrozole_alone", {"letrozole": (2.5, 2.5, "mg")}, labs={"hemoglobin": hb})
    assert graded(found, "anemia")["grade"] == grade


@pytest.mark.parametrize(
    ("alt", "grade"), [(40, 0), (41, 1), (120, 1), (121, 2), (200, 2), (201, 3), (801, 4)]
)
def test_alt_against_the_uln(review, alt, grade):
    found = review("letrozole_alone", {"letrozole": (2.5, 2.5, "mg")}, labs={"alt": alt})
    assert graded(found, "alanine_aminotransferase_increased")["grade"] == grade


@pytest.mark.parametrize(("bili", "grade"), [(20, 0), (30, 1), (31, 2), (60, 2), (61, 3)])
def test_bilirubin_against_the_uln(review, bili, grade):
    found = review("letrozole_alone", {"letrozole": (2.5, 2.5, "mg")}, labs={"bilirubin": bili})
    assert graded(found, "blood_bilirubin_increased")["grade"] == grade


def _with_baseline(case_on, rules, plan_of, labs, baseline):
    raw = case_on("letrozole_alone", {"letrozole": (2.5, 2.5, "mg")}, labs=labs)
    panel = {"drawn_on": "2026-07-30", **baseline}
    raw["previous_labs"] = [panel]
    return plan_of(rules, raw)["next_cycle"]


@pytest.fixture
def plan_of():
    from planner.domain.engine import build_plan
    from planner.domain.validation import validate_case

    def run(rules, raw):
        case, doubts = validate_case(raw, rules.limits)
        return build_plan(case, doubts, rules).to_json()

    return run


@pytest.mark.parametrize(
    ("alt", "grade"),
    # baseline ALT 100 U/L (2.5 × ULN 40): grade 1 from 1.5 × baseline, 2 above 3 ×, 3 above 5 ×
    [(149, 0), (150, 1), (300, 1), (301, 2), (501, 3)],
)
def test_alt_against_an_abnormal_baseline(case_on, rules, plan_of, alt, grade):
    found = _with_baseline(
        case_on,
        rules,
        plan_of,
        {"alt": alt},
        {"alt": {"value": 100, "unit": "U/L", "uln": 40}},
    )
    row = graded(found, "alanine_aminotransferase_increased")
    assert row["grade"] == grade
    assert "baseline" in row["finding"]


@pytest.mark.parametrize(("bili", "grade"), [(30, 0), (31, 1), (45, 1), (46, 2), (91, 3)])
def test_bilirubin_against_an_abnormal_baseline(case_on, rules, plan_of, bili, grade):
    # baseline 30 µmol/L (1.5 × ULN 20): grade 1 above 1.0 × baseline, 2 above 1.5 ×, 3 above 3 ×
    found = _with_baseline(
        case_on,
        rules,
        plan_of,
        {"bilirubin": bili},
        {"bilirubin": {"value": 30, "unit": "umol/L", "uln": 20}},
    )
    assert graded(found, "blood_bilirubin_increased")["grade"] == grade


def test_normal_baseline_grades_against_the_uln(case_on, rules, plan_of):
    found = _with_baseline(
        case_on, rules, plan_of, {"alt": 130}, {"alt": {"value": 30, "unit": "U/L", "uln": 40}}
    )
    row = graded(found, "alanine_aminotransferase_increased")
    assert (row["grade"], row["finding"]) == (2, "ALT 3.25 × ULN")


def test_a_panel_after_the_start_is_not_the_baseline(case_on, rules, plan_of):
    raw = case_on("letrozole_alone", {"letrozole": (2.5, 2.5, "mg")}, labs={"alt": 130})
    raw["previous_labs"] = [
        {"drawn_on": "2026-09-15", "alt": {"value": 100, "unit": "U/L", "uln": 40}}
    ]
    row = graded(plan_of(rules, raw)["next_cycle"], "alanine_aminotransferase_increased")
    assert row["grade"] == 2  # against the ULN, with a note that no baseline was found
    assert "no pre-treatment result" in row["note"]


@pytest.mark.parametrize(("entered", "used"), [(1, 3), (4, 4)])
def test_the_higher_of_lab_and_nurse_grade_is_used(review, tox, entered, used):
    found = review(
        "capecitabine",
        CAPE,
        labs={"anc": 0.8},  # grade 3
        toxicities=[tox("neutrophil_count_decreased", max(entered, 1), entered, 1)],
    )
    row = graded(found, "neutrophil_count_decreased")
    assert f"the higher ({used}" in row["note"]
    assert any(f"the higher ({used}" in n for n in found["notes"])
    drug = found["drugs"][0]
    if used == 4:
        assert drug["action"] == "discontinue"
    else:
        assert (drug["action"], drug["dose"]["value"]) == ("hold", 750)


def test_doubted_result_is_not_graded(review):
    found = review(
        "letrozole_alone",
        {"letrozole": (2.5, 2.5, "mg")},
        labs={"hemoglobin": {"value": 30, "unit": "g/L"}},  # possible, implausible: a doubt
    )
    assert all(g["term"] != "anemia" for g in found["graded"])
