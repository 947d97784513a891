"""The liver tests graded as each drug's label grades them (issue 19, independent review 19c,
finding 1): labels that write their grades in × ULN (KISQALI, VERZENIO, KADCYLA …) act on today's
result against the ULN even where her baseline was raised by liver metastases; CTCAE v5 grades
against that baseline, which put ALT 6 × ULN at grade 1 and left ribociclib at full dose.

Known answers at each edge, with and without an abnormal baseline. ULN 40 U/L throughout, so
ALT 120 = 3.0 × ULN, 121 > 3 ×, 200 = 5.0 ×, 201 > 5 ×, 240 = 6 ×, 801 > 20 ×.
"""

from __future__ import annotations

import pytest

from planner.rules.loader import RulesError, load_rules

RIBO = {"letrozole": (2.5, 2.5, "mg"), "ribociclib": (600, 600, "mg")}
ABEMA = {"letrozole": (2.5, 2.5, "mg"), "abemaciclib": (150, 150, "mg")}
TDM1 = {"ado-trastuzumab emtansine": (3.6, 3.6, "mg/kg")}
ELA = {"elacestrant": (345, 345, "mg")}

# her baseline (the course started 2026-08-01): ALT 80 U/L = 2 × ULN (grade 1), as with liver
# metastases; 160 U/L = 4 × ULN (grade 2); 30 U/L normal
RAISED = {
    "alt": {"value": 80, "unit": "U/L", "uln": 40},
    "ast": {"value": 30, "unit": "U/L", "uln": 40},
}
GRADE2 = {
    "alt": {"value": 160, "unit": "U/L", "uln": 40},
    "ast": {"value": 30, "unit": "U/L", "uln": 40},
}
NORMAL = {
    "alt": {"value": 30, "unit": "U/L", "uln": 40},
    "ast": {"value": 30, "unit": "U/L", "uln": 40},
}


@pytest.fixture
def run(rules, case_on):
    from planner.domain.engine import build_plan
    from planner.domain.validation import validate_case

    def review(regimen, drugs, alt, baseline, occurrence=None):
        toxicities = []
        if occurrence is not None:
            toxicities = [
                {
                    "term": "alanine_aminotransferase_increased",
                    "worst_grade": 1,
                    "current_grade": None,
                    "occurrence": occurrence,
                    "drug": None,
                    "days": None,
                }
            ]
        raw = case_on(regimen, drugs, labs={"alt": alt}, toxicities=toxicities)
        if baseline is not None:
            raw["previous_labs"] = [{"drawn_on": "2026-07-30", **baseline}]
        case, doubts = validate_case(raw, rules.limits)
        return build_plan(case, doubts, rules).to_json()["next_cycle"]

    return review


def outcome(found, name):
    d = next(d for d in found["drugs"] if d["drug"] == name)
    return d["action"], None if d["dose"] is None else d["dose"]["value"]


def reasons(found, name):
    return " ".join(next(d for d in found["drugs"] if d["drug"] == name)["reasons"])


# KISQALI US PI §2.2 hepatobiliary table (grades in × ULN, compared with the baseline grade):
# grade 1 (> ULN–3 × ULN) no change; grade 2 (> 3–5 ×) with a baseline below grade 2: interrupt
# until ≤ the baseline grade, same dose, and on recurrence the next lower dose; grade 3
# (> 5–20 ×): interrupt, then the next lower dose, and on recurrence discontinue; grade 4
# (> 20 ×): discontinue.
@pytest.mark.parametrize("baseline", [NORMAL, RAISED], ids=["normal_baseline", "raised_baseline"])
@pytest.mark.parametrize(
    ("alt", "occurrence", "expected"),
    [
        (120, 1, ("continue", 600)),
        (121, 1, ("hold", 600)),
        (121, 2, ("hold", 400)),
        (200, 1, ("hold", 600)),
        (201, 1, ("hold", 400)),
        (240, 1, ("hold", 400)),
        (240, 2, ("discontinue", None)),
        (800, 1, ("hold", 400)),
        (801, 1, ("discontinue", None)),
    ],
)
def test_ribociclib_acts_on_the_labels_x_uln_grades(run, baseline, alt, occurrence, expected):
    found = run("letrozole_ribociclib", RIBO, alt, baseline, occurrence)
    assert outcome(found, "ribociclib") == expected
    assert outcome(found, "letrozole") == ("continue", 2.5)


def test_ribociclib_6x_uln_over_a_raised_baseline_is_held_and_says_why(run):
    # the reviewer's case 16: CTCAE v5 against her baseline calls ALT 6 × ULN grade 1
    found = run("letrozole_ribociclib", RIBO, 240, RAISED, 1)
    alt = next(g for g in found["graded"] if g["term"] == "alanine_aminotransferase_increased")
    assert (alt["grade"], alt["grade_x_uln"]) == (1, 3)
    why = reasons(found, "ribociclib")
    assert "graded in × ULN, as ribociclib's label writes its grades" in why
    assert "KISQALI" in why
    assert found["decision"] == "delay"
    assert found["recheck_in_days"] == 7


def test_ribociclib_grade2_with_a_grade2_baseline_is_not_interrupted(run):
    # KISQALI: "Baseline at Grade 2: No dose interruption"
    found = run("letrozole_ribociclib", RIBO, 180, GRADE2, 1)
    assert outcome(found, "ribociclib") == ("continue", 600)
    assert "no dose interruption" in reasons(found, "ribociclib")
    # grade 3 over a grade-2 baseline is still interrupted and reduced
    assert outcome(run("letrozole_ribociclib", RIBO, 240, GRADE2, 1), "ribociclib") == (
        "hold",
        400,
    )


def test_ribociclib_grade2_without_a_baseline_is_interrupted_the_stricter_reading(run):
    found = run("letrozole_ribociclib", RIBO, 160, None, 1)
    assert outcome(found, "ribociclib") == ("hold", 600)
    assert "the stricter reading" in reasons(found, "ribociclib")


# VERZENIO US PI §2.2 hepatotoxicity table (grades in × ULN): grade 1–2 no change; grade 3
# (> 5.0–20.0 ×): suspend until baseline or grade 1, then the next lower dose; grade 4 discontinue.
@pytest.mark.parametrize("baseline", [NORMAL, RAISED], ids=["normal_baseline", "raised_baseline"])
@pytest.mark.parametrize(
    ("alt", "expected"),
    [
        (200, ("continue", 150)),
        (201, ("hold", 100)),
        (240, ("hold", 100)),
        (800, ("hold", 100)),
        (801, ("discontinue", None)),
    ],
)
def test_abemaciclib_acts_on_the_labels_x_uln_grades(run, baseline, alt, expected):
    found = run("letrozole_abemaciclib", ABEMA, alt, baseline)
    assert outcome(found, "abemaciclib") == expected


# KADCYLA US PI Table 2 (grades in × ULN): transaminases grade 3 (> 5 to 20 × ULN) -> not given
# until ≤ grade 2, then one level lower; grade 4 (> 20 × ULN) -> discontinue
@pytest.mark.parametrize("baseline", [NORMAL, RAISED], ids=["normal_baseline", "raised_baseline"])
@pytest.mark.parametrize(
    ("alt", "expected"),
    [(200, ("continue", 3.6)), (201, ("hold", 3.0)), (801, ("discontinue", None))],
)
def test_tdm1_acts_on_the_labels_x_uln_grades(run, baseline, alt, expected):
    found = run("ado_trastuzumab_emtansine", TDM1, alt, baseline)
    assert outcome(found, "ado-trastuzumab emtansine") == expected


# ORSERDU grades by CTCAE v5 ("resume at grade ≤ 1 or baseline"): against her raised baseline,
# ALT 240 is 3 × her baseline, grade 1 (no change); with a normal baseline it is grade 3 (hold).
def test_elacestrant_grades_against_her_raised_baseline(run):
    raised = run("elacestrant", ELA, 240, RAISED)
    assert outcome(raised, "elacestrant") == ("continue", 345)
    assert "graded against her raised baseline (CTCAE v5)" in reasons(raised, "elacestrant")
    normal = run("elacestrant", ELA, 240, NORMAL)
    # grade 3 (first or again: the restart dose needs the occurrence) -> held
    assert outcome(normal, "elacestrant") == ("hold", None)


def test_the_x_uln_grade_is_shown_only_beside_a_baseline_grade(run):
    found = run("letrozole_ribociclib", RIBO, 121, NORMAL, 1)
    alt = next(g for g in found["graded"] if g["term"] == "alanine_aminotransferase_increased")
    assert alt["grade"] == 2
    assert "grade_x_uln" not in alt


def test_every_drug_with_a_liver_row_states_its_grading_basis(rules):
    from planner.domain.cycle_tables import LIVER_TERMS

    for drug, found in rules.cycle.rules.items():
        if any(set(r.terms) & set(LIVER_TERMS) for r in found):
            grading = rules.cycle.liver_grading[drug]
            assert grading.sources, drug
            assert grading.text, drug


def test_the_loader_refuses_a_liver_row_without_a_grading_basis(rules_copy):
    path = rules_copy / "cycle" / "cdk46.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index('[[liver_grading]]\ndrug = "ribociclib"')
    end = text.index("[[liver_grading]]", start + 1)
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(RulesError, match=r"ribociclib.*no \[\[liver_grading\]\]"):
        load_rules(rules_copy)


def test_the_loader_refuses_an_unknown_grading_basis(rules_copy):
    path = rules_copy / "cycle" / "cdk46.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('basis = "x_uln"', 'basis = "x_baseline"', 1), encoding="utf-8")
    with pytest.raises(RulesError, match="basis"):
        load_rules(rules_copy)
