"""A result a drug's rows need before a dose is never a silent grade 0 (rx23 F1, contract §5,
safety rule 2), and an unrecorded input that could lower the anthracycline limit below her total
is never a pass (rx23 F2).

The sweep reads which laboratory terms each drug's rows grade from the rule tables themselves,
so a drug or row added later is swept too: for every course of the library, every day a row
names, every laboratory result one of its drugs' rows grades removed, that drug gets no dose.
"""

from __future__ import annotations

from typing import Any

import pytest

from planner.domain.cycle_findings import LAB_TERMS
from tests.cycle.conftest import drug_of, on_treatment, plan_of
from tests.cycle.test_monotone import COURSES

NO_DOSE = {"hold", "discontinue", "insufficient_data"}
CYCLE = 4  # on_treatment's default: rows for the first two cycles only are out of scope


def _needed(rules: Any, drug: str, day: int) -> set[str]:
    """The laboratory results (labs.NAME) the drug's rows for this day of cycle 4 grade."""
    by_term = {term: name for name, term in LAB_TERMS.items()}
    return {
        by_term[term]
        for row in rules.cycle.rules.get(drug, ())
        if (row.days is None or day in row.days)
        and (row.cycles is None or row.cycles[0] <= CYCLE <= row.cycles[1])
        for term in row.terms
        if term in by_term
    }


def _sweep(rules: Any) -> list[tuple[str, dict[str, Any], int, str]]:
    out = []
    for regimen, drugs in COURSES:
        days = {1} | {
            d for drug in drugs for row in rules.cycle.rules.get(drug, ()) for d in row.days or ()
        }
        for day in sorted(days):
            labs = set().union(*(_needed(rules, drug, day) for drug in drugs))
            out.extend((regimen, drugs, day, lab) for lab in sorted(labs))
    return out


def test_every_drug_whose_rows_grade_a_result_is_on_a_swept_course(rules):
    graded = {
        drug
        for drug, rows in rules.cycle.rules.items()
        if any(t in LAB_TERMS.values() for row in rows for t in row.terms)
    }
    swept = {drug for _regimen, drugs in COURSES for drug in drugs}
    assert graded <= swept, "add a course for these drugs to test_monotone.COURSES"
    assert {"ado-trastuzumab emtansine", "trastuzumab deruxtecan", "ribociclib"} <= graded


def test_each_result_a_drug_grades_removed_gives_it_no_dose(rules, example_raw):
    """Drug × each laboratory result its rows grade before a dose, removed: no dose, the gap
    names the result (and the same course with every result present still gives a dose: the
    sweep is not vacuous)."""
    failures = []
    swept = 0
    for regimen, drugs, day, lab in _sweep(rules):
        plan = plan_of(rules, on_treatment(example_raw, regimen, drugs, day=day, labs={lab: None}))
        cycle = plan["next_cycle"]
        for drug in drugs:
            if lab not in _needed(rules, drug, day):
                continue
            swept += 1
            row = drug_of(cycle, drug)
            if row["action"] not in NO_DOSE or row["dose"] is not None:
                failures.append((regimen, drug, day, lab, row["action"], row["dose"]))
            elif f"labs.{lab}" not in {g["field"] for g in plan["gaps"]}:
                failures.append((regimen, drug, day, lab, "gap not named"))
    assert swept > 60
    assert not failures


@pytest.mark.parametrize(
    ("regimen", "drugs"),
    [
        ("ado_trastuzumab_emtansine", {"ado-trastuzumab emtansine": (3.6, 3.6, "mg/kg")}),
        ("trastuzumab_deruxtecan_after_chemo", {"trastuzumab deruxtecan": (5.4, 5.4, "mg/kg")}),
        (
            "letrozole_palbociclib",
            {"palbociclib": (125, 125, "mg"), "letrozole": (2.5, 2.5, "mg")},
        ),
    ],
)
def test_with_every_result_recorded_the_dose_is_given(rules, example_raw, regimen, drugs):
    """The control of the sweep: the same courses with every result recorded are given."""
    cycle = plan_of(rules, on_treatment(example_raw, regimen, drugs, baseline_lvef=60))[
        "next_cycle"
    ]
    assert cycle["decision"] == "give"
    assert all(d["dose"] is not None for d in cycle["drugs"])


def test_palbociclib_day1_without_neutrophils_gives_no_dose_and_names_its_rows(review):
    """IBRANCE §2.2 (a blood count before each cycle; recalled): the gap names the rows."""
    found = review(
        "letrozole_palbociclib",
        {"palbociclib": (125, 125, "mg"), "letrozole": (2.5, 2.5, "mg")},
        labs={"anc": None},
    )
    assert found["decision"] == "insufficient_data"
    assert all(d["dose"] is None for d in found["drugs"])
    (gap,) = [g for g in found["plan"]["gaps"] if "palbociclib's label" in g["effect"]]
    assert gap["field"] == "labs.anc"
    assert "neutrophils" in gap["effect"]
    assert "no dose is printed" in gap["effect"]


def test_a_nurses_grade_without_the_count_is_not_the_count(review, tox):
    """A grade entered for thrombocytopenia with no platelet count today: the count the rows
    grade is still missing — no dose (a grade 1 entered does not make 3.6 mg/kg safe)."""
    found = review(
        "ado_trastuzumab_emtansine",
        {"ado-trastuzumab emtansine": (3.6, 3.6, "mg/kg")},
        labs={"platelets": None},
        toxicities=[tox("platelet_count_decreased", 1, 1, 1)],
        baseline_lvef=60,
    )
    row = drug_of(found, "ado-trastuzumab emtansine")
    assert (row["action"], row["dose"]) == ("insufficient_data", None)


def test_a_hold_on_a_recorded_toxicity_stays_a_hold_naming_the_count_for_the_restart(review, tox):
    """Grade 4 thrombocytopenia entered, not yet back to grade 1, no count today: KADCYLA
    withholds it whatever the count is; the count is what the restart needs."""
    found = review(
        "ado_trastuzumab_emtansine",
        {"ado-trastuzumab emtansine": (3.6, 3.6, "mg/kg")},
        labs={"platelets": None},
        toxicities=[tox("platelet_count_decreased", 4, 3, 1)],
        baseline_lvef=60,
    )
    row = drug_of(found, "ado-trastuzumab emtansine")
    assert (row["action"], row["dose"]) == ("hold", None)
    assert found["decision"] == "delay"
    gaps = [g for g in found["plan"]["gaps"] if g["field"] == "labs.platelets"]
    assert any(g["effect"].startswith("restart dose: needs ") for g in gaps)


def test_a_result_no_row_of_the_course_grades_is_not_asked(review):
    """Haemoglobin: T-DM1's rows do not grade it (KADCYLA has no anaemia row); its absence
    does not hold the cycle."""
    found = review(
        "ado_trastuzumab_emtansine",
        {"ado-trastuzumab emtansine": (3.6, 3.6, "mg/kg")},
        labs={"hemoglobin": None},
        baseline_lvef=60,
    )
    assert found["decision"] == "give"


# ---- rx23 F2: mediastinal radiotherapy not recorded ------------------------------------------

DOXO = {"doxorubicin": (60, 60, "mg/m2")}


def _given(cycles: int) -> list[dict[str, Any]]:
    return [
        {
            "cycle": i + 1,
            "given_on": f"2026-08-{i + 1:02d}",
            "drugs": [{"drug": "doxorubicin", "dose": {"value": 60, "unit": "mg/m2"}}],
        }
        for i in range(cycles)
    ]


def _doxorubicin(rules, example_raw, cycles: int, mediastinal: bool | None) -> dict[str, Any]:
    raw = on_treatment(example_raw, "doxorubicin", DOXO, cycle=cycles + 1, given=_given(cycles))
    raw["disease"]["mediastinal_radiotherapy"] = mediastinal
    return plan_of(rules, raw)


@pytest.mark.parametrize(
    ("cycles", "mediastinal", "action"),
    [
        (6, None, "insufficient_data"),  # 360 + 60 = 420 > 400: radiotherapy could decide
        (6, False, "continue"),  # recorded "none": 420 ≤ 550
        (6, True, "discontinue"),  # 420 > 400 after mediastinal radiotherapy
        (5, None, "continue"),  # 300 + 60 = 360 ≤ 400: it could not decide
        (9, None, "discontinue"),  # 540 + 60 = 600 > 550 whatever it is: a stop
    ],
)
def test_mediastinal_radiotherapy_not_recorded_decides_only_where_it_could(
    rules, example_raw, cycles, mediastinal, action
):
    plan = _doxorubicin(rules, example_raw, cycles, mediastinal)
    (row,) = plan["next_cycle"]["drugs"]
    assert row["action"] == action, row["reasons"]
    named = any(g["field"] == "disease.mediastinal_radiotherapy" for g in plan["gaps"])
    assert named is (action == "insufficient_data")
    if action == "insufficient_data":
        assert row["dose"] is None
        assert plan["next_cycle"]["decision"] == "insufficient_data"
        assert "mediastinal radiotherapy is not recorded" in " ".join(row["reasons"])


def test_with_cyclophosphamide_the_lower_limit_already_applies(rules, example_raw):
    """After cyclophosphamide the 400 mg/m² limit applies anyway: radiotherapy cannot change
    it, so its absence is no gap (the stop is the ledger's own)."""
    raw = on_treatment(example_raw, "doxorubicin", DOXO, cycle=7, given=_given(6))
    raw["disease"]["mediastinal_radiotherapy"] = None
    raw["disease"]["prior_therapy"] = [
        {"drugs": ["cyclophosphamide"], "setting": "adjuvant", "reason_stopped": "completed"}
    ]
    plan = plan_of(rules, raw)
    (row,) = plan["next_cycle"]["drugs"]
    assert row["action"] == "discontinue"
    assert "400" in row["reasons"][0]
