"""Olaparib, talazoparib and elacestrant: known answers from the labels at and around their
thresholds."""

from __future__ import annotations

import pytest

OLA = {"olaparib": (300, 300, "mg")}
TALA = {"talazoparib": (1, 1, "mg")}
ELA = {"elacestrant": (345, 345, "mg")}


def outcome(found):
    (d,) = found["drugs"]
    return d["action"], None if d["dose"] is None else d["dose"]["value"]


# ---- olaparib ----


@pytest.mark.parametrize(
    ("labs", "expected"),
    [
        ({"hemoglobin": 80}, ("continue", 300)),  # grade 2
        ({"hemoglobin": 79}, ("hold", 300)),  # grade 3
        ({"platelets": 50}, ("continue", 300)),
        ({"platelets": 49}, ("hold", 300)),
        ({"anc": 1.0}, ("continue", 300)),
        ({"anc": 0.99}, ("hold", 300)),
    ],
)
def test_olaparib_counts_interrupt_until_grade_1(review, labs, expected):
    assert outcome(review("olaparib_hr", OLA, labs=labs)) == expected


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (("anemia", 3, 1), ("continue", 300)),  # recovered to grade 1: same dose
        (("vomiting", 2, 2), ("continue", 300)),
        (("vomiting", 3, 2), ("hold", 300)),
        (("pneumonitis", 1, 1), ("discontinue", None)),
    ],
)
def test_olaparib_toxicities(review, tox, entry, expected):
    term, grade, current = entry
    found = review("olaparib_hr", OLA, toxicities=[tox(term, grade, current, 1)])
    assert outcome(found) == expected


# ---- talazoparib ----


@pytest.mark.parametrize(
    ("labs", "expected"),
    [
        ({"hemoglobin": 80}, ("continue", 1)),
        ({"hemoglobin": 79}, ("hold", 0.75)),
        ({"platelets": 50}, ("continue", 1)),
        ({"platelets": 49}, ("hold", 0.75)),
        ({"anc": 1.0}, ("continue", 1)),
        ({"anc": 0.99}, ("hold", 0.75)),
    ],
)
def test_talazoparib_counts(review, labs, expected):
    found = review("talazoparib_hr", TALA, labs=labs)
    assert outcome(found) == expected
    if expected[0] == "hold":
        assert found["decision"] == "delay"
        assert found["recheck_in_days"] == 7


def test_talazoparib_below_the_last_level_discontinues(review):
    found = review("talazoparib_hr", {"talazoparib": (1, 0.25, "mg")}, labs={"anc": 0.9})
    assert outcome(found) == ("discontinue", None)
    assert found["decision"] == "stop"


def test_talazoparib_from_a_renal_start(review):
    found = review("talazoparib_hr", {"talazoparib": (0.75, 0.75, "mg")}, labs={"platelets": 40})
    assert outcome(found) == ("hold", 0.5)


@pytest.mark.parametrize(
    ("grade", "current", "expected"),
    [(2, 2, ("continue", 1)), (3, 2, ("hold", 0.75)), (3, 1, ("reduce", 0.75))],
)
def test_talazoparib_non_haematological(review, tox, grade, current, expected):
    found = review("talazoparib_hr", TALA, toxicities=[tox("nausea", grade, current, 1)])
    assert outcome(found) == expected


# ---- elacestrant ----


@pytest.mark.parametrize(
    ("grade", "current", "occurrence", "expected"),
    [
        (1, 1, 1, ("continue", 345)),
        (2, 2, 1, ("hold", 345)),
        (2, 1, 1, ("continue", 345)),
        (3, 2, 1, ("hold", 258)),
        (3, 1, 1, ("reduce", 258)),
        (3, 0, 2, ("discontinue", None)),
        (4, 0, 1, ("discontinue", None)),
    ],
)
def test_elacestrant(review, tox, grade, current, occurrence, expected):
    found = review("elacestrant", ELA, toxicities=[tox("nausea", grade, current, occurrence)])
    assert outcome(found) == expected


def test_elacestrant_at_258_mg_discontinues_on_a_reduction(review, tox):
    found = review(
        "elacestrant", {"elacestrant": (345, 258, "mg")}, toxicities=[tox("diarrhea", 3, 1, 1)]
    )
    assert outcome(found) == ("discontinue", None)
