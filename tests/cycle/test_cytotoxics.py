"""Vinorelbine, gemcitabine, carboplatin, cisplatin, doxorubicin and pegylated liposomal
doxorubicin: known answers from the labels at and around their thresholds."""

from __future__ import annotations

import pytest

VNR = {"vinorelbine": (30, 30, "mg/m2")}
VNR_AFTER_FN = {"vinorelbine": (30, 22.5, "mg/m2")}
GEM = {"gemcitabine": (1000, 1000, "mg/m2")}
CARBO = {"carboplatin": (5, 5, "AUC")}
GEM_CARBO = {"gemcitabine": (1000, 1000, "mg/m2"), "carboplatin": (2, 2, "AUC")}
DOXO = {"doxorubicin": (60, 60, "mg/m2")}
PLD = {"pegylated liposomal doxorubicin": (50, 50, "mg/m2")}


def drug(found, name):
    return next(d for d in found["drugs"] if d["drug"] == name)


def outcome(found, name):
    d = drug(found, name)
    return d["action"], None if d["dose"] is None else d["dose"]["value"]


def bilirubin_mg_dl(value):
    return {"value": value, "unit": "mg/dL", "uln": 1.2}


# ---- vinorelbine ----


@pytest.mark.parametrize(
    ("anc", "expected"),
    [
        (1.5, ("continue", 30)),
        (1.49, ("reduce", 15)),
        (1.0, ("reduce", 15)),
        (0.99, ("hold", 15)),
    ],
)
def test_vinorelbine_neutrophils_on_the_day(review, anc, expected):
    found = review("vinorelbine", VNR, labs={"anc": anc})
    assert outcome(found, "vinorelbine") == expected


def test_vinorelbine_hold_rechecks_in_a_week(review):
    found = review("vinorelbine", VNR, labs={"anc": 0.8})
    assert found["decision"] == "delay"
    assert found["recheck_in_days"] == 7


@pytest.mark.parametrize(
    ("anc", "expected"),
    [(2.0, ("continue", 22.5)), (1.49, ("reduce", 11.25)), (0.9, ("hold", 11.25))],
)
def test_vinorelbine_second_table_after_febrile_neutropenia(review, anc, expected):
    found = review("vinorelbine", VNR_AFTER_FN, labs={"anc": anc})
    assert outcome(found, "vinorelbine") == expected


@pytest.mark.parametrize(("anc", "dose"), [(2.0, 22.5), (1.2, 11.25)])
def test_vinorelbine_febrile_neutropenia_moves_to_the_second_table(review, tox, anc, dose):
    found = review(
        "vinorelbine", VNR, labs={"anc": anc}, toxicities=[tox("febrile_neutropenia", 3, 0, 1)]
    )
    assert outcome(found, "vinorelbine") == ("reduce", dose)


@pytest.mark.parametrize(
    ("bili", "anc", "expected"),
    [
        (2.0, 3.0, ("continue", 30)),
        (2.1, 3.0, ("reduce", 15)),
        (3.0, 3.0, ("reduce", 15)),
        (3.1, 3.0, ("reduce", 7.5)),
        (2.5, 1.2, ("reduce", 15)),  # both: the lower of the two
        (3.5, 1.2, ("reduce", 7.5)),
    ],
)
def test_vinorelbine_bilirubin_bands_and_the_lower_of_two(review, bili, anc, expected):
    found = review("vinorelbine", VNR, labs={"anc": anc, "bilirubin": bilirubin_mg_dl(bili)})
    assert outcome(found, "vinorelbine") == expected


def test_vinorelbine_without_bilirubin_gives_no_dose(review):
    found = review("vinorelbine", VNR, labs={"bilirubin": None})
    assert found["decision"] == "insufficient_data"
    assert drug(found, "vinorelbine")["dose"] is None


@pytest.mark.parametrize(("grade", "action"), [(1, "continue"), (2, "discontinue")])
def test_vinorelbine_neuropathy(review, tox, grade, action):
    found = review(
        "vinorelbine", VNR, toxicities=[tox("peripheral_sensory_neuropathy", grade, grade, 1)]
    )
    assert drug(found, "vinorelbine")["action"] == action


# ---- gemcitabine ----


@pytest.mark.parametrize(
    ("labs", "expected"),
    [
        ({"anc": 1.5}, ("continue", 1000)),
        ({"anc": 1.49}, ("hold", 1000)),
        ({"anc": 1.19}, ("hold", 1000)),  # the day-8 75 % band is not a day-1 rule
        ({"platelets": 100}, ("continue", 1000)),
        ({"platelets": 99}, ("hold", 1000)),
    ],
)
def test_gemcitabine_day_1(review, labs, expected):
    assert outcome(review("gemcitabine", GEM, labs=labs), "gemcitabine") == expected


@pytest.mark.parametrize(
    ("labs", "expected"),
    [
        ({"anc": 1.2}, ("continue", 1000)),
        ({"anc": 1.19}, ("reduce", 750)),
        ({"anc": 1.0}, ("reduce", 750)),
        ({"anc": 0.99}, ("reduce", 500)),
        ({"anc": 0.7}, ("reduce", 500)),
        ({"anc": 0.69}, ("hold", 500)),
        ({"platelets": 76}, ("continue", 1000)),
        ({"platelets": 75}, ("reduce", 750)),
        ({"platelets": 50}, ("reduce", 750)),
        ({"platelets": 49}, ("hold", 500)),
        ({"anc": 1.1, "platelets": 60}, ("reduce", 750)),
        ({"anc": 0.8, "platelets": 60}, ("reduce", 500)),
    ],
)
def test_gemcitabine_day_8(review, labs, expected):
    found = review("gemcitabine", GEM, day=8, labs=labs)
    assert outcome(found, "gemcitabine") == expected


def test_gemcitabine_has_no_day_15(review):
    found = review("gemcitabine", GEM, day=15)
    assert found["decision"] == "insufficient_data"
    assert drug(found, "gemcitabine")["dose"] is None


@pytest.mark.parametrize(
    ("grade", "current", "expected"),
    [(2, 2, ("continue", 1000)), (3, 2, ("hold", 500)), (3, 1, ("reduce", 500))],
)
def test_gemcitabine_non_haematological(review, tox, grade, current, expected):
    found = review("gemcitabine", GEM, toxicities=[tox("diarrhea", grade, current, 1)])
    assert outcome(found, "gemcitabine") == expected


def test_gemcitabine_nausea_is_not_a_reason_to_reduce(review, tox):
    found = review("gemcitabine", GEM, toxicities=[tox("nausea", 3, 1, 1)])
    assert outcome(found, "gemcitabine") == ("continue", 1000)


@pytest.mark.parametrize(("alt", "action"), [(200, "continue"), (201, "discontinue")])
def test_gemcitabine_severe_hepatotoxicity(review, alt, action):
    found = review("gemcitabine", GEM, labs={"alt": alt})  # ULN 40: grade 3 above 5 × ULN
    assert drug(found, "gemcitabine")["action"] == action


# ---- carboplatin and gemcitabine + carboplatin ----


@pytest.mark.parametrize(
    ("labs", "expected"),
    [
        ({"anc": 2.0}, ("continue", 5)),
        ({"anc": 1.99}, ("hold", 5)),
        ({"platelets": 100}, ("continue", 5)),
        ({"platelets": 99}, ("hold", 5)),
    ],
)
def test_carboplatin_counts_before_a_course(review, labs, expected):
    assert outcome(review("carboplatin", CARBO, labs=labs), "carboplatin") == expected


@pytest.mark.parametrize(
    ("term", "grade", "expected"),
    [
        ("neutrophil_count_decreased", 3, ("continue", 5)),
        ("neutrophil_count_decreased", 4, ("reduce", 3.75)),
        ("platelet_count_decreased", 2, ("continue", 5)),
        ("platelet_count_decreased", 3, ("reduce", 3.75)),
    ],
)
def test_carboplatin_nadir(review, tox, term, grade, expected):
    found = review("carboplatin", CARBO, toxicities=[tox(term, grade, 0, 1)])
    assert outcome(found, "carboplatin") == expected


def test_gemcitabine_carboplatin_day_1(review):
    found = review("gemcitabine_carboplatin", GEM_CARBO, labs={"anc": 1.8})
    assert outcome(found, "gemcitabine") == ("continue", 1000)
    assert outcome(found, "carboplatin") == ("hold", 2)
    assert found["decision"] == "delay"


def test_gemcitabine_carboplatin_day_8_has_no_carboplatin_label_threshold(review):
    found = review("gemcitabine_carboplatin", GEM_CARBO, day=8)
    assert found["decision"] == "insufficient_data"
    assert drug(found, "carboplatin")["action"] == "insufficient_data"
    assert all(d["dose"] is None for d in found["drugs"])


# ---- doxorubicin ----


@pytest.mark.parametrize(
    ("labs", "expected"),
    [
        ({"anc": 1.5}, ("continue", 60)),
        ({"anc": 1.49}, ("hold", 60)),
        ({"bilirubin": bilirubin_mg_dl(1.19)}, ("continue", 60)),
        ({"bilirubin": bilirubin_mg_dl(1.2)}, ("reduce", 30)),
        ({"bilirubin": bilirubin_mg_dl(3.0)}, ("reduce", 30)),
        ({"bilirubin": bilirubin_mg_dl(3.1)}, ("reduce", 15)),
        ({"bilirubin": bilirubin_mg_dl(5.0)}, ("reduce", 15)),
        ({"bilirubin": bilirubin_mg_dl(5.1)}, ("hold", 15)),
    ],
)
def test_doxorubicin(review, labs, expected):
    assert outcome(review("doxorubicin", DOXO, labs=labs), "doxorubicin") == expected


def test_doxorubicin_without_bilirubin_gives_no_dose(review):
    found = review("doxorubicin", DOXO, labs={"bilirubin": None})
    assert found["decision"] == "insufficient_data"


@pytest.mark.parametrize(("grade", "action"), [(2, "continue"), (3, "hold")])
def test_doxorubicin_ejection_fraction(review, tox, grade, action):
    found = review(
        "doxorubicin", DOXO, toxicities=[tox("ejection_fraction_decreased", grade, 0, 1)]
    )
    assert drug(found, "doxorubicin")["action"] == action


# ---- pegylated liposomal doxorubicin ----


@pytest.mark.parametrize(
    ("term", "grade", "current", "expected"),
    [
        ("palmar_plantar_erythrodysesthesia", 1, 1, ("continue", 50)),
        ("palmar_plantar_erythrodysesthesia", 2, 2, ("hold", 50)),
        ("palmar_plantar_erythrodysesthesia", 2, 1, ("continue", 50)),
        ("palmar_plantar_erythrodysesthesia", 3, 2, ("hold", 37.5)),
        ("palmar_plantar_erythrodysesthesia", 3, 1, ("reduce", 37.5)),
        ("mucositis_oral", 4, 0, ("reduce", 37.5)),
        ("neutrophil_count_decreased", 4, 0, ("reduce", 37.5)),
    ],
)
def test_pld_hand_foot_stomatitis_counts(review, tox, term, grade, current, expected):
    found = review(
        "pegylated_liposomal_doxorubicin", PLD, toxicities=[tox(term, grade, current, 1)]
    )
    assert outcome(found, "pegylated liposomal doxorubicin") == expected


def test_pld_second_reduction_has_no_label_dose(review, tox):
    reduced = {"pegylated liposomal doxorubicin": (50, 37.5, "mg/m2")}
    found = review(
        "pegylated_liposomal_doxorubicin",
        reduced,
        toxicities=[tox("palmar_plantar_erythrodysesthesia", 3, 0, 2)],
    )
    assert found["decision"] == "insufficient_data"
    assert drug(found, "pegylated liposomal doxorubicin")["dose"] is None


@pytest.mark.parametrize(
    ("labs", "action"),
    [
        ({"anc": 1.5}, "continue"),
        ({"anc": 1.49}, "hold"),
        ({"platelets": 75}, "continue"),
        ({"platelets": 74}, "hold"),
    ],
)
def test_pld_counts(review, labs, action):
    found = review("pegylated_liposomal_doxorubicin", PLD, labs=labs)
    assert drug(found, "pegylated liposomal doxorubicin")["action"] == action


def test_pld_counts_in_the_anthracycline_ledger(review):
    given = [
        {
            "cycle": 1,
            "given_on": "2026-08-01",
            "drugs": [
                {"drug": "pegylated liposomal doxorubicin", "dose": {"value": 50, "unit": "mg/m2"}}
            ],
        }
    ]
    found = review("pegylated_liposomal_doxorubicin", PLD, cycle=2, given=given)
    (row,) = found["cumulative"]
    assert row["drug"] == "pegylated liposomal doxorubicin"
    assert row["after_this_cycle"]["value"] > row["total"]["value"]
