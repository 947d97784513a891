"""Alpelisib, capivasertib and inavolisib: fasting glucose (`labs.glucose_fasting`, added for
these labels) and their toxicity tables — known answers at and around each threshold."""

from __future__ import annotations

import pytest

from planner.domain.problems import InputInvalid
from planner.domain.validation import validate_case

ALP = {"alpelisib": (300, 300, "mg"), "fulvestrant": (500, 500, "mg")}
CAPI = {"capivasertib": (400, 400, "mg"), "fulvestrant": (500, 500, "mg")}
INAVO = {
    "inavolisib": (9, 9, "mg"),
    "palbociclib": (125, 125, "mg"),
    "fulvestrant": (500, 500, "mg"),
}


def glucose(value, unit="mmol/L"):
    return {"glucose_fasting": {"value": value, "unit": unit}}


def outcome(found, name):
    d = next(d for d in found["drugs"] if d["drug"] == name)
    return d["action"], None if d["dose"] is None else d["dose"]["value"]


# ---- the case field ----


def test_fasting_glucose_in_mg_dl_is_converted(case_on, limits):
    raw = case_on("alpelisib_fulvestrant", ALP, labs=glucose(180, "mg/dL"))
    case, doubts = validate_case(raw, limits)
    assert case.labs.glucose_fasting.value == 180
    assert not doubts


@pytest.mark.parametrize(
    ("value", "unit", "field"),
    [
        (200, "mmol/L", "labs.glucose_fasting.value"),  # outside what is possible
        (-1, "mmol/L", "labs.glucose_fasting.value"),
        (6, "mmol/l", "labs.glucose_fasting.unit"),
        (6, None, "labs.glucose_fasting.unit"),
    ],
)
def test_impossible_fasting_glucose_names_the_field(case_on, limits, value, unit, field):
    raw = case_on("alpelisib_fulvestrant", ALP)
    raw["labs"]["glucose_fasting"] = {"value": value, **({"unit": unit} if unit else {})}
    with pytest.raises(InputInvalid) as caught:
        validate_case(raw, limits)
    assert field in {p.path for p in caught.value.problems}


def test_implausible_fasting_glucose_is_doubted_and_gives_no_dose(review):
    found = review("alpelisib_fulvestrant", ALP, labs=glucose(60))  # mg/dL typed as mmol/L?
    assert any(g["field"] == "labs.glucose_fasting" for g in found["plan"]["gaps"])
    assert found["decision"] == "insufficient_data"
    assert all(d["dose"] is None for d in found["drugs"])


def test_without_fasting_glucose_no_dose(review):
    found = review("alpelisib_fulvestrant", ALP, labs={"glucose_fasting": None})
    assert found["decision"] == "insufficient_data"
    assert any(g["field"] == "labs.glucose_fasting" for g in found["plan"]["gaps"])


# ---- alpelisib ----


@pytest.mark.parametrize(
    ("labs", "expected"),
    [
        (glucose(8.9), ("continue", 300)),
        (glucose(9.0), ("continue", 300)),  # start or intensify anti-diabetic treatment
        (glucose(13.9), ("continue", 300)),
        # grade 3: interrupt; back to ≤ 8.9 mmol/L within 3–5 days: ONE LOWER level (current
        # US PI table; the reviewer's case 11)
        (glucose(14.0), ("hold", 250)),
        (glucose(251, "mg/dL"), ("hold", 250)),
        (glucose(27.8), ("hold", 250)),
        (glucose(27.9), ("hold", 250)),
    ],
)
def test_alpelisib_fasting_glucose(review, labs, expected):
    assert outcome(review("alpelisib_fulvestrant", ALP, labs=labs), "alpelisib") == expected


def test_alpelisib_glucose_hold_rechecks_soon(review):
    found = review("alpelisib_fulvestrant", ALP, labs=glucose(30))
    assert found["decision"] == "delay"
    assert found["recheck_in_days"] == 1
    assert outcome(found, "fulvestrant") == ("continue", 500)


def test_alpelisib_below_200_mg_discontinues(review):
    found = review(
        "alpelisib_fulvestrant", {**ALP, "alpelisib": (300, 200, "mg")}, labs=glucose(28)
    )
    assert outcome(found, "alpelisib") == ("discontinue", None)


@pytest.mark.parametrize(
    ("term", "grade", "current", "expected"),
    [
        ("rash_maculo_papular", 2, 2, ("continue", 300)),
        ("rash_maculo_papular", 3, 1, ("reduce", 250)),
        ("rash_maculo_papular", 4, 0, ("discontinue", None)),
        ("diarrhea", 2, 2, ("hold", 300)),
        ("diarrhea", 2, 1, ("continue", 300)),
        ("diarrhea", 3, 2, ("hold", 250)),
    ],
)
def test_alpelisib_rash_and_diarrhoea(review, tox, term, grade, current, expected):
    found = review(
        "alpelisib_fulvestrant",
        ALP,
        labs=glucose(5.5),
        toxicities=[tox(term, grade, current, 1, drug="alpelisib")],
    )
    assert outcome(found, "alpelisib") == expected


# ---- capivasertib ----


@pytest.mark.parametrize(
    ("labs", "expected"),
    [
        (glucose(8.9), ("continue", 400)),
        (glucose(160, "mg/dL"), ("continue", 400)),
        (glucose(9.0), ("hold", 400)),
        (glucose(13.9), ("hold", 400)),
        (glucose(14.0), ("hold", 320)),
        (glucose(30), ("hold", 320)),
    ],
)
def test_capivasertib_fasting_glucose(review, labs, expected):
    found = review("capivasertib_fulvestrant", CAPI, labs=labs)
    assert outcome(found, "capivasertib") == expected


@pytest.mark.parametrize(
    ("grade", "current", "expected"),
    [
        (1, 1, ("continue", 400)),
        (2, 2, ("hold", 400)),
        (3, 1, ("reduce", 320)),
        (4, 0, ("discontinue", None)),
    ],
)
def test_capivasertib_diarrhoea(review, tox, grade, current, expected):
    found = review(
        "capivasertib_fulvestrant",
        CAPI,
        labs=glucose(5.5),
        toxicities=[tox("diarrhea", grade, current, 1, drug="capivasertib")],
    )
    assert outcome(found, "capivasertib") == expected


# ---- inavolisib ----


@pytest.mark.parametrize(
    ("labs", "expected"),
    [
        (glucose(8.9), ("continue", 9)),
        (glucose(9.0), ("hold", 9)),
        (glucose(27.8), ("hold", 9)),
        (glucose(27.9), ("hold", 6)),
    ],
)
def test_inavolisib_fasting_glucose(review, labs, expected):
    found = review("inavolisib_palbociclib_fulvestrant", INAVO, labs=labs)
    assert outcome(found, "inavolisib") == expected
    assert outcome(found, "palbociclib") == ("continue", 125)


@pytest.mark.parametrize(
    ("grade", "current", "expected"),
    [
        (2, 2, ("hold", 9)),
        (2, 1, ("continue", 9)),
        (3, 1, ("reduce", 6)),
        (4, 0, ("discontinue", None)),
    ],
)
def test_inavolisib_stomatitis(review, tox, grade, current, expected):
    found = review(
        "inavolisib_palbociclib_fulvestrant",
        INAVO,
        labs=glucose(5.5),
        toxicities=[tox("mucositis_oral", grade, current, 1, drug="inavolisib")],
    )
    assert outcome(found, "inavolisib") == expected
