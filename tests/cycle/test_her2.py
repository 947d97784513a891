"""Trastuzumab, pertuzumab, margetuximab (LVEF holds, no reductions), tucatinib, neratinib and
lapatinib (levels; diarrhoea, hepatotoxicity): known answers from the labels at and around their
thresholds (bevacizumab: test_bevacizumab_cisplatin.py)."""

from __future__ import annotations

import pytest

from planner.domain.engine import build_plan
from planner.domain.validation import validate_case

HP_ET = {
    "letrozole": (2.5, 2.5, "mg"),
    "trastuzumab": (6, 6, "mg/kg"),
    "pertuzumab": (420, 420, "mg"),
}
TUC = {
    "tucatinib": (300, 300, "mg"),
    "trastuzumab": (6, 6, "mg/kg"),
    "capecitabine": (1000, 1000, "mg/m2"),
}
NER = {"neratinib": (240, 240, "mg"), "capecitabine": (750, 750, "mg/m2")}
LAP = {"lapatinib": (1250, 1250, "mg"), "capecitabine": (1000, 1000, "mg/m2")}
MARGE = {"margetuximab": (15, 15, "mg/kg"), "capecitabine": (1000, 1000, "mg/m2")}


def drug(found, name):
    return next(d for d in found["drugs"] if d["drug"] == name)


def outcome(found, name):
    d = drug(found, name)
    return d["action"], None if d["dose"] is None else d["dose"]["value"]


def with_lvef(rules, case_on, regimen, drugs, lvef, baseline, **kw):
    raw = case_on(regimen, drugs, **kw)
    raw["clinical"]["lvef_percent"] = lvef
    if baseline is not None:
        raw["treatment"]["baseline_lvef_percent"] = baseline
    case, doubts = validate_case(raw, rules.limits)
    return build_plan(case, doubts, rules).to_json()["next_cycle"]


# ---- trastuzumab and pertuzumab ----


# HERCEPTIN §2.3 withholds trastuzumab at a fall of 16 points or more, or below the lower limit of
# normal with a fall of 10 or more; PERJETA §2.3 withholds "PERJETA and trastuzumab" below 40 %, or
# at 40–45 % with a fall of 10 or more. PERJETA is given with trastuzumab: whenever trastuzumab is
# withheld, so is pertuzumab (and discontinued with it).
@pytest.mark.parametrize(
    ("lvef", "baseline", "trastuzumab", "pertuzumab"),
    [
        (58, 60, "continue", "continue"),
        (50, 66, "hold", "hold"),  # 16 points down: trastuzumab's row, pertuzumab with it
        (51, 66, "hold", "hold"),  # 15 points down, below 55 %
        (56, 66, "continue", "continue"),  # 10 points down, not below 55 %
        (54, 63, "continue", "continue"),  # 9 points down
        (46, 56, "hold", "hold"),  # 10 down, below 55 %; above 45 %: pertuzumab with trastuzumab
        (45, 55, "hold", "hold"),  # 40–45 % and 10 points down: both labels
        (45, 54, "continue", "continue"),  # 40–45 % and 9 points down
        (40, 45, "continue", "continue"),
        (39, 45, "hold", "hold"),  # below 40 %
    ],
)
def test_her2_antibodies_lvef(rules, case_on, lvef, baseline, trastuzumab, pertuzumab):
    found = with_lvef(rules, case_on, "endocrine_her2_directed", HP_ET, lvef, baseline)
    assert drug(found, "trastuzumab")["action"] == trastuzumab
    assert drug(found, "pertuzumab")["action"] == pertuzumab
    assert drug(found, "letrozole")["action"] == "continue"
    assert found["decision"] == ("delay" if "hold" in (trastuzumab, pertuzumab) else "give")
    if "hold" in (trastuzumab, pertuzumab):
        assert found["recheck_in_days"] in (21, 28)
        assert drug(found, "pertuzumab")["dose"] == {"value": 420, "unit": "mg"}


def test_pertuzumab_is_held_with_trastuzumab_and_says_why(rules, case_on):
    found = with_lvef(rules, case_on, "endocrine_her2_directed", HP_ET, 50, 66)
    pertuzumab = drug(found, "pertuzumab")
    assert any("held because trastuzumab is held" in r for r in pertuzumab["reasons"])
    assert "cycle.pertuzumab.with_trastuzumab" in {b["rule"] for b in pertuzumab["basis"]}
    assert any(
        w.startswith("pertuzumab: given again together with trastuzumab")
        for w in found["resume_when"]
    )


@pytest.mark.parametrize(
    "entry",
    [
        ("pneumonitis", 1, 1, None, None),  # HERCEPTIN: interstitial pneumonitis
        ("ejection_fraction_decreased", 2, 0, 1, 57),  # a fall lasting more than 8 weeks
        ("ejection_fraction_decreased", 2, 0, 4, 20),  # a fourth hold for cardiomyopathy
    ],
)
@pytest.mark.parametrize(
    ("regimen", "drugs", "partner"),
    [
        ("endocrine_her2_directed", HP_ET, "letrozole"),
        (
            "pertuzumab_trastuzumab_docetaxel",
            {
                "pertuzumab": (420, 420, "mg"),
                "trastuzumab": (6, 6, "mg/kg"),
                "docetaxel": (75, 75, "mg/m2"),
            },
            "docetaxel",
        ),
    ],
)
def test_pertuzumab_is_discontinued_with_trastuzumab(
    rules, case_on, tox, entry, regimen, drugs, partner
):
    term, worst, current, occurrence, days = entry
    toxicity = tox(term, worst, current, occurrence, days=days)
    found = with_lvef(rules, case_on, regimen, drugs, 58, 60, toxicities=[toxicity])
    assert outcome(found, "trastuzumab") == ("discontinue", None)
    assert outcome(found, "pertuzumab") == ("discontinue", None)
    assert (
        "discontinued because trastuzumab is discontinued"
        in drug(found, "pertuzumab")["reasons"][0]
    )
    assert drug(found, partner)["action"] != "discontinue"  # the chemotherapy or endocrine goes on
    assert found["decision"] == "give"


def test_her2_antibodies_without_baseline_lvef_give_no_dose(rules, case_on):
    found = with_lvef(rules, case_on, "endocrine_her2_directed", HP_ET, 50, None)
    assert found["decision"] == "insufficient_data"
    assert all(d["dose"] is None for d in found["drugs"])


@pytest.mark.parametrize(
    ("occurrence", "days", "action"),
    [(3, 20, "continue"), (4, 20, "discontinue"), (1, 56, "continue"), (1, 57, "discontinue")],
)
def test_trastuzumab_persistent_or_repeated_lvef_fall(
    rules, case_on, tox, occurrence, days, action
):
    entry = tox("ejection_fraction_decreased", 2, 0, occurrence, days=days)
    found = with_lvef(rules, case_on, "endocrine_her2_directed", HP_ET, 58, 60, toxicities=[entry])
    assert drug(found, "trastuzumab")["action"] == action


def test_trastuzumab_interstitial_pneumonitis(rules, case_on, tox):
    entry = tox("pneumonitis", 1, 1)
    found = with_lvef(rules, case_on, "endocrine_her2_directed", HP_ET, 58, 60, toxicities=[entry])
    assert drug(found, "trastuzumab")["action"] == "discontinue"
    assert drug(found, "trastuzumab")["dose"] is None


@pytest.mark.parametrize(
    ("lvef", "baseline", "action"), [(50, 66, "hold"), (54, 64, "hold"), (56, 66, "continue")]
)
def test_margetuximab_lvef(rules, case_on, lvef, baseline, action):
    found = with_lvef(rules, case_on, "margetuximab_chemotherapy", MARGE, lvef, baseline)
    assert drug(found, "margetuximab")["action"] == action


# ---- tucatinib ----


@pytest.mark.parametrize(
    ("grade", "current", "expected"),
    [
        (2, 2, ("continue", 300)),
        (3, 2, ("hold", 250)),
        (3, 1, ("reduce", 250)),
        (4, 0, ("discontinue", None)),
    ],
)
def test_tucatinib_diarrhoea(review, tox, grade, current, expected):
    found = review(
        "tucatinib_trastuzumab_capecitabine",
        TUC,
        baseline_lvef=60,
        toxicities=[tox("diarrhea", grade, current, 1, drug="tucatinib")],
    )
    assert outcome(found, "tucatinib") == expected


@pytest.mark.parametrize(
    ("labs", "entries", "expected"),
    [
        ({"bilirubin": 30}, [("blood_bilirubin_increased", 1)], ("continue", 300)),  # 1.5 × ULN
        ({"bilirubin": 31}, [("blood_bilirubin_increased", 2)], ("hold", 300)),  # > 1.5 × ULN
        ({"alt": 200}, [("alanine_aminotransferase_increased", 2)], ("continue", 300)),  # 5 × ULN
        ({"alt": 201}, [("alanine_aminotransferase_increased", 3)], ("hold", 250)),
        ({"alt": 801}, [("alanine_aminotransferase_increased", 4)], ("discontinue", None)),
    ],
)
def test_tucatinib_hepatotoxicity(review, tox, labs, entries, expected):
    toxicities = [tox(term, grade, None, 1, drug="tucatinib") for term, grade in entries]
    found = review(
        "tucatinib_trastuzumab_capecitabine",
        TUC,
        baseline_lvef=60,
        labs=labs,
        toxicities=toxicities,
    )
    assert outcome(found, "tucatinib") == expected


@pytest.mark.parametrize(("bili", "action"), [(41, "discontinue"), (40, "continue")])
def test_tucatinib_hys_law(review, tox, bili, action):
    toxicities = [
        tox("alanine_aminotransferase_increased", 1, None, 1, drug="tucatinib"),
        tox("blood_bilirubin_increased", 2, 0, 1, drug="tucatinib"),
    ]
    found = review(
        "tucatinib_trastuzumab_capecitabine",
        TUC,
        baseline_lvef=60,
        labs={"alt": 130, "bilirubin": bili},  # ALT 3.25 × ULN; bilirubin 2.05 / 2.0 × ULN
        toxicities=toxicities,
    )
    assert drug(found, "tucatinib")["action"] in (action, "hold")
    assert (drug(found, "tucatinib")["action"] == "discontinue") is (action == "discontinue")


def test_tucatinib_below_150_mg_discontinues(review, tox):
    at_150 = {**TUC, "tucatinib": (300, 150, "mg")}
    found = review(
        "tucatinib_trastuzumab_capecitabine",
        at_150,
        baseline_lvef=60,
        toxicities=[tox("diarrhea", 3, 0, 1, drug="tucatinib")],
    )
    assert outcome(found, "tucatinib") == ("discontinue", None)


# ---- neratinib ----


@pytest.mark.parametrize(
    ("grade", "current", "days", "expected"),
    [
        (2, 2, 4, ("continue", 240)),
        (2, 2, 5, ("hold", 240)),
        (2, 1, 5, ("continue", 240)),
        (3, 1, 2, ("continue", 240)),
        (3, 2, 3, ("hold", 240)),
        (3, 1, 7, ("continue", 240)),
        (3, 1, 8, ("reduce", 200)),
        (4, 0, 1, ("discontinue", None)),
    ],
)
def test_neratinib_diarrhoea(review, tox, grade, current, days, expected):
    found = review(
        "neratinib_capecitabine",
        NER,
        toxicities=[tox("diarrhea", grade, current, 1, days=days, drug="neratinib")],
    )
    assert outcome(found, "neratinib") == expected


def test_neratinib_diarrhoea_at_120_mg_discontinues(review, tox):
    found = review(
        "neratinib_capecitabine",
        {**NER, "neratinib": (240, 120, "mg")},
        toxicities=[tox("diarrhea", 2, 1, 1, days=1, drug="neratinib")],
    )
    assert outcome(found, "neratinib") == ("discontinue", None)


def test_neratinib_diarrhoea_without_duration_is_a_gap(review, tox):
    found = review(
        "neratinib_capecitabine", NER, toxicities=[tox("diarrhea", 2, 1, 1, drug="neratinib")]
    )
    assert found["decision"] == "insufficient_data"
    assert drug(found, "neratinib")["dose"] is None


@pytest.mark.parametrize(
    ("occurrence", "expected"), [(1, ("reduce", 200)), (2, ("discontinue", None))]
)
def test_neratinib_grade_3_alt_first_and_again(review, tox, occurrence, expected):
    found = review(
        "neratinib_capecitabine",
        NER,
        toxicities=[tox("alanine_aminotransferase_increased", 3, 1, occurrence, drug="neratinib")],
    )
    assert outcome(found, "neratinib") == expected


# ---- lapatinib ----


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (("ejection_fraction_decreased", 1, 0, 1), ("continue", 1250)),
        (("ejection_fraction_decreased", 2, 1, 1), ("hold", 1000)),
        (("diarrhea", 3, 1, 1), ("reduce", 1000)),
        (("diarrhea", 4, 0, 1), ("discontinue", None)),
        (("nausea", 2, 1, 1), ("continue", 1250)),
        (("nausea", 2, 2, 1), ("hold", 1250)),
        (("nausea", 2, 1, 2), ("reduce", 1000)),
        (("alanine_aminotransferase_increased", 3, 1, 1), ("discontinue", None)),
        (("pneumonitis", 2, 1, 1), ("continue", 1250)),
        (("pneumonitis", 3, 1, 1), ("discontinue", None)),
    ],
)
def test_lapatinib(review, tox, entry, expected):
    term, grade, current, occurrence = entry
    found = review(
        "lapatinib_capecitabine",
        LAP,
        toxicities=[tox(term, grade, current, occurrence, drug="lapatinib")],
    )
    assert outcome(found, "lapatinib") == expected


def test_lapatinib_below_1000_mg_has_no_label_dose(review, tox):
    found = review(
        "lapatinib_capecitabine",
        {**LAP, "lapatinib": (1250, 1000, "mg")},
        toxicities=[tox("diarrhea", 3, 0, 1, drug="lapatinib")],
    )
    assert found["decision"] == "insufficient_data"
    assert drug(found, "lapatinib")["dose"] is None
