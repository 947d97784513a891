"""Walk 21 H7: a course the clinician began below the standard is not cut again for the same
organ. Vinorelbine begun at 20 mg/m2 (the plan's standard 25), reviewed at bilirubin 36 µmol/L
(2.1 mg/dL): Navelbine USPI §2.2 gives 50 % at bilirubin 2.1–3 mg/dL — 50 % of the standard,
12.5 mg/m2, not 50 % of 20 (10 mg/m2, the liver counted twice). A toxicity row of the label (the
day's neutrophils) still takes the starting dose lower; a start below the organ band's dose stays.
The same for doxorubicin (Adriamycin USPI §2, 50 % at bilirubin 1.2–3 mg/dL), the other drug with
organ rows in its cycle table; the flat-dose drugs' organ ladders (everolimus, fulvestrant,
lapatinib, neratinib) are tested in test_return_to_label_dose.py."""

from __future__ import annotations

from typing import Any

import pytest

from tests.cycle.conftest import drug_of


def bilirubin(mg_dl: float) -> dict[str, Any]:
    return {"value": mg_dl, "unit": "mg/dL", "uln": 1.2}


def vinorelbine(review, start: float, now: float, **labs: Any) -> dict[str, Any]:
    return drug_of(
        review("vinorelbine", {"vinorelbine": (start, now, "mg/m2")}, labs=labs), "vinorelbine"
    )


def test_walk21_vinorelbine_begun_at_20_is_12_5_at_bilirubin_36_umol_l(review):
    drug = vinorelbine(review, 20, 20, bilirubin={"value": 36, "unit": "umol/L", "uln": 21})
    assert (drug["action"], drug["dose"]["value"]) == ("reduce", 12.5)
    said = " ".join(drug["reasons"])
    assert "standard 25 mg/m2 = 12.5 mg/m2" in said
    # what the liver counted twice would have given is a dose the plan does not give: never
    # printed (BRIEF rule 3), only said in words
    assert "10 mg/m2" not in said
    assert "not 50 % of her start" in said
    assert not any(r.startswith("vinorelbine: from the starting dose") for r in drug["reasons"])


@pytest.mark.parametrize(
    ("start", "now", "mg_dl", "anc", "action", "dose"),
    [
        (25, 25, 2.11, 3.0, "reduce", 12.5),  # at the standard: 50 % of its start, as before
        (20, 20, 2.11, 3.0, "reduce", 12.5),  # below it: 50 % of the standard
        (20, 20, 3.5, 3.0, "reduce", 6.25),  # above 3 mg/dL: 25 % of the standard
        (20, 20, 2.11, 1.2, "reduce", 10),  # neutrophils 1.0-1.49: 50 % of the start, lower
        (20, 12.5, 2.5, 3.0, "continue", 12.5),  # the next review reads 12.5 as that step
        (20, 12.5, 0.8, 3.0, "increase", 20),  # bilirubin normal again: back to her start
        (20, 12.5, 0.8, 1.2, "reduce", 10),  # then the neutrophils' step of the start
        (10, 10, 2.5, 3.0, "continue", 10),  # a start below the band's dose stays
    ],
)
def test_vinorelbine_organ_band_is_a_percentage_of_the_standard(
    review, start, now, mg_dl, anc, action, dose
):
    drug = vinorelbine(review, start, now, bilirubin=bilirubin(mg_dl), anc=anc)
    assert (drug["action"], drug["dose"]["value"]) == (action, dose)


@pytest.mark.parametrize(
    ("start", "now", "mg_dl", "action", "dose"),
    [
        (60, 60, 2.0, "reduce", 30),
        (45, 45, 2.0, "reduce", 30),  # not 22.5
        (45, 30, 2.0, "continue", 30),
        (45, 30, 0.7, "increase", 45),
    ],
)
def test_doxorubicin_organ_band_is_a_percentage_of_the_standard(
    review, start, now, mg_dl, action, dose
):
    drug = drug_of(
        review(
            "doxorubicin",
            {"doxorubicin": (start, now, "mg/m2")},
            labs={"bilirubin": bilirubin(mg_dl)},
        ),
        "doxorubicin",
    )
    assert (drug["action"], drug["dose"]["value"]) == (action, dose)


def test_only_organ_rows_are_marked_as_the_label_s_organ_dose_table(rules):
    """The rows that take a percentage of the standard are the labels' liver dose tables and
    nothing else: a toxicity row is always a percentage of the course's start."""
    marked = sorted(r.id for rows in rules.cycle.rules.values() for r in rows if r.organ_band)
    assert marked == [
        "cycle.doxorubicin.bilirubin.1.2_3",
        "cycle.doxorubicin.bilirubin.3_5",
        "cycle.doxorubicin.bilirubin.above_5",
        "cycle.vinorelbine.bilirubin.2_to_3",
        "cycle.vinorelbine.bilirubin.above_3",
    ]
    for rows in rules.cycle.rules.values():
        for r in rows:
            if r.organ_band:
                assert not r.terms
                assert r.when
                assert r.level is not None


@pytest.mark.parametrize(
    ("start", "now", "creatinine", "action", "dose"),
    [
        (1250, 1250, 150, "reduce", 937.5),  # at the standard: 75 % of it, as before
        # 1000 mg/m2 is the standard beside lapatinib or tucatinib, not of capecitabine alone
        # (recheck 21 N6): 75 % of 1250
        (1000, 1000, 150, "reduce", 937.5),
        (1000, 937.5, 150, "continue", 937.5),  # and the next review reads 937.5 as that row's
        (1100, 1100, 150, "reduce", 937.5),  # below 1250: 75 % of the standard, not 825
        (1100, 937.5, 150, "continue", 937.5),  # the next review reads 937.5 and keeps it
        (900, 900, 150, "continue", 900),  # a start below the band's dose stays
    ],
)
def test_capecitabine_kidney_band_is_a_percentage_of_the_standard(
    review, start, now, creatinine, action, dose
):
    """Xeloda USPI §2.4: CrCl 30-50 mL/min, 75 % of the starting dose (here CrCl 30.8 mL/min).
    The organ-function pass of the first plan (`cycle_organ.with_organ_function`), for a dose
    by body surface begun below the standard 1250 mg/m2."""
    drug = drug_of(
        review(
            "capecitabine",
            {"capecitabine": (start, now, "mg/m2")},
            labs={"creatinine": {"value": creatinine, "unit": "umol/L"}},
        ),
        "capecitabine",
    )
    assert (drug["action"], drug["dose"]["value"]) == (action, dose)


def test_the_kidney_band_s_arithmetic_names_the_standard(review):
    """The reason beside the dose says what it is a percentage of: "75 % of the starting
    1100 mg/m2 is 937.5" was arithmetic that does not hold."""
    drug = drug_of(
        review(
            "capecitabine",
            {"capecitabine": (1100, 1100, "mg/m2")},
            labs={"creatinine": {"value": 150, "unit": "umol/L"}},
        ),
        "capecitabine",
    )
    said = " ".join(drug["reasons"])
    assert "75 % of the label's standard 1250 mg/m2" in said
    assert "is 937.5 mg/m2" in said
    assert "75 % of the starting 1100 mg/m2 is" not in said
