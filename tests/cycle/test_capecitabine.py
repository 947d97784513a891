"""Capecitabine: the XELODA label's table by grade and appearance (100/75/50 %, discontinue),
no re-escalation, the counts before a cycle; known answers written from the label."""

from __future__ import annotations

import pytest

CAPE = {"capecitabine": (1000, 1000, "mg/m2")}
HFS = "palmar_plantar_erythrodysesthesia"


def only(next_cycle):
    (drug,) = next_cycle["drugs"]
    return drug


@pytest.mark.parametrize(
    ("worst", "occurrence", "action", "dose", "percent", "level"),
    [
        (1, 1, "continue", 1000, 100, 0),
        (2, 1, "continue", 1000, 100, 0),  # first appearance: back to 100 % once resolved
        (2, 2, "reduce", 750, 75, -1),
        (2, 3, "reduce", 500, 50, -2),
        (3, 1, "reduce", 750, 75, -1),
        (3, 2, "reduce", 500, 50, -2),
    ],
)
def test_resolved_toxicity_sets_the_level_by_grade_and_appearance(
    review, tox, worst, occurrence, action, dose, percent, level
):
    found = review("capecitabine", CAPE, toxicities=[tox(HFS, worst, 1, occurrence)])
    drug = only(found)
    assert found["decision"] == "give"
    assert (drug["action"], drug["dose"], drug["percent_of_starting"], drug["dose_level"]) == (
        action,
        {"value": dose, "unit": "mg/m2"},
        percent,
        level,
    )
    assert any("cycle.capecitabine." in b["rule"] for b in drug["basis"])


@pytest.mark.parametrize(("worst", "occurrence"), [(2, 4), (3, 3), (4, 1), (4, 2)])
def test_discontinue_rows_stop_the_regimen(review, tox, worst, occurrence):
    found = review("capecitabine", CAPE, toxicities=[tox("diarrhea", worst, 0, occurrence)])
    drug = only(found)
    assert found["decision"] == "stop"
    assert drug["action"] == "discontinue"
    assert drug["dose"] is None
    assert drug["percent_of_starting"] is None
    assert found["resume_when"] == []
    assert found["recheck_in_days"] is None


def test_unresolved_toxicity_holds_at_the_dose_to_resume_with(review, tox):
    found = review("capecitabine", CAPE, toxicities=[tox(HFS, 3, 2, 1)])
    drug = only(found)
    assert found["decision"] == "delay"
    assert drug["action"] == "hold"
    assert drug["dose"] == {"value": 750, "unit": "mg/m2"}  # to give once resolved
    assert any("grade 0–1" in r for r in found["resume_when"])


def test_second_appearance_at_75_percent_does_not_climb_back(review, tox):
    # grade 2, first appearance says 100 %: a dose reduced for toxicity is not increased later
    found = review(
        "capecitabine",
        {"capecitabine": (1000, 750, "mg/m2")},
        toxicities=[tox(HFS, 2, 1, 1)],
    )
    drug = only(found)
    assert (drug["action"], drug["dose"]["value"], drug["dose_level"]) == ("continue", 750, -1)


def test_the_lower_current_level_wins_over_a_higher_table_level(review, tox):
    found = review(
        "capecitabine",
        {"capecitabine": (1000, 500, "mg/m2")},
        toxicities=[tox(HFS, 3, 1, 1)],  # grade 3 first: 75 %, but she is at 50 % already
    )
    assert only(found)["action"] == "continue"  # 50 % is below 75 %: no change
    # two toxicities: the lower level of the two decides (grade 2 third: 50 %; grade 3 first: 75 %)
    found = review(
        "capecitabine",
        {"capecitabine": (1250, 1250, "mg/m2")},
        toxicities=[tox(HFS, 2, 1, 3), tox("diarrhea", 3, 0, 1)],
    )
    assert only(found)["dose"] == {"value": 625, "unit": "mg/m2"}
    assert only(found)["dose_level"] == -2


def test_occurrence_not_recorded_is_a_gap_and_no_dose(review, tox):
    found = review("capecitabine", CAPE, toxicities=[tox(HFS, 2, 1)])
    drug = only(found)
    assert found["decision"] == "insufficient_data"
    assert drug["action"] == "insufficient_data"
    assert drug["dose"] is None
    assert any(g["field"] == "treatment.toxicities[0].occurrence" for g in found["plan"]["gaps"])


def test_current_grade_not_reassessed_is_a_gap(review, tox):
    found = review("capecitabine", CAPE, toxicities=[tox(HFS, 2, None, 1)])
    assert found["decision"] == "insufficient_data"
    assert any(g["field"] == "treatment.toxicities[0].current_grade" for g in found["plan"]["gaps"])


@pytest.mark.parametrize(("anc", "decision"), [(1.5, "give"), (1.49, "delay")])
def test_neutrophils_before_the_cycle(review, tox, anc, decision):
    # 1.49 is grade 2 neutropenia too: its appearance is recorded, so the table can be read
    toxicities = [tox("neutrophil_count_decreased", 2, 2, 1)] if anc < 1.5 else []
    found = review("capecitabine", CAPE, labs={"anc": anc}, toxicities=toxicities)
    assert found["decision"] == decision
    if decision == "delay":
        assert found["recheck_in_days"] == 7
        assert only(found)["dose"] == {"value": 1000, "unit": "mg/m2"}


@pytest.mark.parametrize(("platelets", "decision"), [(100, "give"), (99, "delay")])
def test_platelets_before_the_cycle(review, platelets, decision):
    assert review("capecitabine", CAPE, labs={"platelets": platelets})["decision"] == decision


def test_missing_count_is_insufficient_data(review):
    found = review("capecitabine", CAPE, labs={"anc": None})
    assert found["decision"] == "insufficient_data"
    assert only(found)["dose"] is None
    assert any(g["field"] == "labs.anc" for g in found["plan"]["gaps"])


def test_current_dose_off_the_ladder_is_not_guessed(review):
    found = review("capecitabine", {"capecitabine": (1000, 600, "mg/m2")})
    drug = only(found)
    assert drug["action"] == "insufficient_data"
    assert drug["dose"] is None
    assert "not one of the label's dose levels" in drug["reasons"][0]


def test_toxicity_attributed_to_another_drug_is_not_counted(review, tox):
    found = review(
        "tucatinib_trastuzumab_capecitabine",
        {
            "tucatinib": (300, 300, "mg"),
            "trastuzumab": (6, 6, "mg/kg"),
            "capecitabine": (1000, 1000, "mg/m2"),
        },
        toxicities=[tox("diarrhea", 3, 1, 1, drug="tucatinib")],
    )
    cape = next(d for d in found["drugs"] if d["drug"] == "capecitabine")
    # capecitabine itself would have been 75 %; the decision waits for tucatinib's table
    assert found["decision"] == "insufficient_data"
    assert cape["dose"] is None
    assert not any("grade 3" in r for r in cape["reasons"])
