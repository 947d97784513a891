"""Paclitaxel, nab-paclitaxel, docetaxel and eribulin: known answers from the labels at and
around each threshold (day 1 against day 8, permanent reductions, the last level)."""

from __future__ import annotations

import pytest

PAC = {"paclitaxel": (175, 175, "mg/m2")}
DOC = {"docetaxel": (100, 100, "mg/m2")}
NAB = {"nab-paclitaxel": (260, 260, "mg/m2")}
ERI = {"eribulin": (1.4, 1.4, "mg/m2")}


def only(next_cycle):
    (drug,) = next_cycle["drugs"]
    return drug


# ---- paclitaxel ----


# TAXOL: not retreated "until neutrophils recover to a level >1,500 cells/mm3 and platelets recover
# to a level >100,000 cells/mm3": the edge itself does not allow the dose.
@pytest.mark.parametrize(
    ("labs", "decision"),
    [
        ({"anc": 1.51}, "give"),
        ({"anc": 1.5}, "delay"),
        ({"anc": 1.49, "platelets": 150}, "delay"),
        ({"platelets": 101}, "give"),
        ({"platelets": 100}, "delay"),
        ({"platelets": 99}, "delay"),
    ],
)
def test_paclitaxel_counts_before_the_next_course(review, labs, decision):
    assert review("paclitaxel_weekly", PAC, labs=labs)["decision"] == decision


WEEKLY = {"paclitaxel": (80, 80, "mg/m2")}


@pytest.mark.parametrize("day", [8, 15])
@pytest.mark.parametrize(
    ("labs", "action"),
    [
        ({"anc": 1.51, "platelets": 101}, "continue"),
        ({"anc": 1.5}, "hold"),
        ({"anc": 0.9}, "hold"),
        ({"platelets": 100}, "hold"),
        ({"platelets": 40}, "hold"),
        ({}, "continue"),
    ],
)
def test_weekly_paclitaxel_day_8_and_15_by_the_labels_counts(review, day, labs, action):
    found = review("paclitaxel_weekly", WEEKLY, day=day, labs=labs)
    drug = only(found)
    assert drug["action"] == action
    assert drug["dose"] == {"value": 80, "unit": "mg/m2"}  # the weekly dose, never reduced by it
    if action == "hold":
        assert found["decision"] == "delay"
        assert found["recheck_in_days"] == 7
        assert any("this week's dose is not given" in w for w in found["resume_when"])
        assert any("weekly dose" in r for r in drug["reasons"])
    else:
        assert found["decision"] == "give"


def test_weekly_paclitaxel_day_8_with_no_count_is_a_gap(review):
    found = review("paclitaxel_weekly", WEEKLY, day=8, labs={"anc": None})
    assert found["decision"] == "insufficient_data"
    assert only(found)["dose"] is None
    assert "labs.anc" in {g["field"] for g in found["plan"]["gaps"]}


def test_weekly_paclitaxel_day_8_after_a_reduction_stays_reduced(review, tox):
    found = review("paclitaxel_weekly", {"paclitaxel": (80, 64, "mg/m2")}, day=8)
    assert (only(found)["action"], only(found)["dose"]["value"]) == ("continue", 64)


def test_weekly_paclitaxel_on_a_day_without_a_dose_has_no_label_threshold(review):
    found = review("paclitaxel_weekly", WEEKLY, day=2)
    assert found["decision"] == "insufficient_data"
    assert "day 2 has no label threshold" in only(found)["reasons"][0]


def test_paclitaxel_severe_neuropathy_reduces_by_20_percent(review, tox):
    found = review(
        "paclitaxel_weekly", PAC, toxicities=[tox("peripheral_sensory_neuropathy", 3, 2)]
    )
    assert (only(found)["action"], only(found)["dose"]["value"]) == ("reduce", 140)
    found = review(
        "paclitaxel_weekly", PAC, toxicities=[tox("peripheral_sensory_neuropathy", 2, 2)]
    )
    assert only(found)["action"] == "continue"


def test_paclitaxel_second_reduction_has_no_label_dose(review, tox):
    found = review(
        "paclitaxel_weekly",
        {"paclitaxel": (175, 140, "mg/m2")},
        toxicities=[tox("peripheral_sensory_neuropathy", 3, 2)],
    )
    drug = only(found)
    assert drug["action"] == "insufficient_data"
    assert drug["dose"] is None
    assert "gives no lower dose" in drug["reasons"][-1]


@pytest.mark.parametrize(("days", "action"), [(7, "reduce"), (6, "continue")])
def test_paclitaxel_severe_neutropenia_for_a_week(review, tox, days, action):
    found = review(
        "paclitaxel_weekly", PAC, toxicities=[tox("neutrophil_count_decreased", 4, 0, days=days)]
    )
    assert only(found)["action"] == action


def test_paclitaxel_neutropenia_duration_not_recorded_is_a_gap(review, tox):
    found = review("paclitaxel_weekly", PAC, toxicities=[tox("neutrophil_count_decreased", 4, 0)])
    assert found["decision"] == "insufficient_data"
    assert any(g["field"] == "treatment.toxicities[0].days" for g in found["plan"]["gaps"])


# ---- docetaxel ----


@pytest.mark.parametrize(
    ("start", "now", "expected"),
    [(100, 100, 75), (100, 75, 55), (75, 75, 55)],
)
def test_docetaxel_febrile_neutropenia_steps_down(review, tox, start, now, expected):
    found = review(
        "docetaxel",
        {"docetaxel": (start, now, "mg/m2")},
        toxicities=[tox("febrile_neutropenia", 3, 0)],
    )
    assert (only(found)["action"], only(found)["dose"]["value"]) == ("reduce", expected)
    assert any(a["code"] == "febrile_neutropenia" for a in found["plan"]["alerts"])


def test_docetaxel_below_55_is_the_clinicians(review, tox):
    found = review(
        "docetaxel",
        {"docetaxel": (100, 55, "mg/m2")},
        toxicities=[tox("febrile_neutropenia", 3, 0)],
    )
    assert only(found)["action"] == "insufficient_data"


def test_docetaxel_grade_3_neuropathy_discontinues(review, tox):
    found = review("docetaxel", DOC, toxicities=[tox("peripheral_sensory_neuropathy", 3, 3)])
    assert found["decision"] == "stop"
    found = review("docetaxel", DOC, toxicities=[tox("peripheral_sensory_neuropathy", 2, 2)])
    assert found["decision"] == "give"


@pytest.mark.parametrize(
    ("labs", "decision"),
    [
        ({"bilirubin": 20}, "give"),  # = ULN
        ({"bilirubin": 20.2}, "delay"),  # > ULN
        ({"alt": 64, "alp": 260}, "delay"),  # ALT 1.6 × ULN with ALP 2.6 × ULN
        ({"alt": 64, "alp": 240}, "give"),  # ALP 2.4 × ULN
        ({"alt": 60, "alp": 260}, "give"),  # ALT 1.5 × ULN: not above
    ],
)
def test_docetaxel_liver_tests_before_each_cycle(review, labs, decision):
    assert review("docetaxel", DOC, labs=labs)["decision"] == decision


# ---- nab-paclitaxel ----


def test_nab_paclitaxel_neuropathy_holds_then_reduces(review, tox):
    found = review("nab_paclitaxel", NAB, toxicities=[tox("peripheral_sensory_neuropathy", 3, 3)])
    assert (found["decision"], only(found)["action"], only(found)["dose"]["value"]) == (
        "delay",
        "hold",
        220,
    )
    found = review("nab_paclitaxel", NAB, toxicities=[tox("peripheral_sensory_neuropathy", 3, 2)])
    assert (only(found)["action"], only(found)["dose"]["value"]) == ("reduce", 220)
    found = review(
        "nab_paclitaxel",
        {"nab-paclitaxel": (260, 220, "mg/m2")},
        toxicities=[tox("peripheral_sensory_neuropathy", 3, 1)],
    )
    assert only(found)["dose"]["value"] == 180


@pytest.mark.parametrize(("anc", "decision"), [(1.5, "delay"), (1.6, "give")])
def test_nab_paclitaxel_needs_neutrophils_above_1_5(review, anc, decision):
    assert review("nab_paclitaxel", NAB, labs={"anc": anc})["decision"] == decision


def test_weekly_nab_paclitaxel_100_is_read_off_the_regimens_own_ladder(review, tox):
    # KEYNOTE-355's 100 mg/m2 days 1, 8, 15 is not on the 3-weekly label ladder (260/220/180):
    # the regimen's own levels (100 -> 75 -> 50 mg/m2) decide
    drugs = {"pembrolizumab": (200, 200, "mg"), "nab-paclitaxel": (100, 100, "mg/m2")}
    found = review("pembrolizumab_nab_paclitaxel", drugs)
    nab = next(d for d in found["drugs"] if d["drug"] == "nab-paclitaxel")
    assert (found["decision"], nab["action"], nab["dose"]["value"]) == ("give", "continue", 100)
    neuropathy = review(
        "pembrolizumab_nab_paclitaxel",
        drugs,
        toxicities=[tox("peripheral_sensory_neuropathy", 3, 1, drug="nab-paclitaxel")],
    )
    nab = next(d for d in neuropathy["drugs"] if d["drug"] == "nab-paclitaxel")
    assert (nab["action"], nab["dose"]["value"]) == ("reduce", 75)


def test_a_dose_on_no_ladder_of_its_regimen_is_undecided_and_names_no_dose(review):
    # 100 mg/m2 as single agent: not a level of the label's ladder, and that regimen has no
    # ladder of its own
    found = review("nab_paclitaxel", {"nab-paclitaxel": (100, 100, "mg/m2")})
    nab = found["drugs"][0]
    assert (found["decision"], nab["action"], nab["dose"]) == (
        "insufficient_data",
        "insufficient_data",
        None,
    )
    assert "not one of the label's dose levels for this regimen" in nab["reasons"][0]
    assert not any(ch.isdigit() for r in nab["reasons"] for ch in r)


# ---- eribulin: day 1 against day 8 ----


@pytest.mark.parametrize(
    ("day", "anc", "action", "dose"),
    [
        (1, 1.0, "continue", 1.4),
        (1, 0.99, "hold", 1.4),  # day 1: the cycle waits, same dose
        (8, 1.0, "continue", 1.4),
        (8, 0.99, "hold", 1.1),  # day 8: a delayed dose is given reduced
    ],
)
def test_eribulin_neutrophils_day_1_and_day_8(review, tox, day, anc, action, dose):
    toxicities = [tox("neutrophil_count_decreased", 3, 3)] if anc < 1 else []
    found = review("eribulin", ERI, day=day, labs={"anc": anc}, toxicities=toxicities)
    drug = only(found)
    assert (drug["action"], drug["dose"]["value"]) == (action, dose)
    if action == "hold":
        assert found["recheck_in_days"] == 7
    if day == 8 and action == "hold":
        assert any("day 15" in r for r in found["resume_when"])


@pytest.mark.parametrize(("platelets", "action"), [(75, "continue"), (74, "hold")])
def test_eribulin_platelets(review, platelets, action):
    assert only(review("eribulin", ERI, labs={"platelets": platelets}))["action"] == action


@pytest.mark.parametrize(("now", "expected"), [(1.4, 1.1), (1.1, 0.7)])
def test_eribulin_permanent_reductions(review, tox, now, expected):
    found = review(
        "eribulin", {"eribulin": (1.4, now, "mg/m2")}, toxicities=[tox("febrile_neutropenia", 3, 0)]
    )
    assert (only(found)["action"], only(found)["dose"]["value"]) == ("reduce", expected)


def test_eribulin_reduction_at_0_7_discontinues(review, tox):
    found = review(
        "eribulin", {"eribulin": (1.4, 0.7, "mg/m2")}, toxicities=[tox("febrile_neutropenia", 3, 0)]
    )
    assert found["decision"] == "stop"


def test_eribulin_non_haematological_grade_3_waits_for_grade_2(review, tox):
    found = review("eribulin", ERI, toxicities=[tox("fatigue", 3, 3)])
    assert (only(found)["action"], only(found)["dose"]["value"]) == ("hold", 1.1)
    found = review("eribulin", ERI, toxicities=[tox("fatigue", 3, 2)])
    assert (only(found)["action"], only(found)["dose"]["value"]) == ("reduce", 1.1)


def test_every_undecided_drug_names_its_gap(review):
    found = review("paclitaxel_weekly", {"paclitaxel": (80, 80, "mg/m2")}, day=2)
    assert any(
        g["field"] == "treatment.day" and "no label threshold" in g["effect"]
        for g in found["plan"]["gaps"]
    )
    found = review("letrozole_alone", {"letrozole": (2.5, 2.5, "mg")})
    assert found["decision"] == "give"


def test_weekly_nab_paclitaxel_day8_says_what_the_label_says_and_gives_no_dose(review):
    """rx23 W2: ABRAXANE's breast section has no weekly threshold; its pancreatic-cancer weekly
    table (§2.5 Table 4) withholds on day 8 below 0.5 or 50 x 10^9/L — said, with its source,
    never as this regimen's rule: no dose is printed whatever the count."""
    for anc in (0.4, 3.0):
        nc = review(
            "pembrolizumab_nab_paclitaxel",
            {"pembrolizumab": (200, 200, "mg"), "nab-paclitaxel": (100, 100, "mg/m2")},
            day=8,
            labs={"anc": anc},
        )
        row = next(d for d in nc["drugs"] if d["drug"] == "nab-paclitaxel")
        said = " ".join(row["reasons"])
        assert row["dose"] is None
        assert "no label threshold" not in said
        assert "pancreatic-cancer table" in said
        assert "unverified" in said
        assert any(b["source"] == "cycle.src.abraxane_uspi_pancreas" for b in row["basis"])
