"""A worse grade of the same toxicity (or a lower count) never gives a higher dose or an earlier
cycle: the property every label table here must keep."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.domain.case import TOXICITY_TERMS
from planner.domain.engine import build_plan
from planner.domain.validation import validate_case

COURSES = [
    ("capecitabine", {"capecitabine": (1000, 1000, "mg/m2")}),
    ("capecitabine", {"capecitabine": (1250, 937.5, "mg/m2")}),
    ("paclitaxel_weekly", {"paclitaxel": (175, 175, "mg/m2")}),
    ("paclitaxel_weekly", {"paclitaxel": (80, 80, "mg/m2")}),
    ("nab_paclitaxel", {"nab-paclitaxel": (260, 220, "mg/m2")}),
    ("docetaxel", {"docetaxel": (100, 75, "mg/m2")}),
    ("eribulin", {"eribulin": (1.4, 1.4, "mg/m2")}),
    ("eribulin", {"eribulin": (1.4, 1.1, "mg/m2")}),
    ("trastuzumab_deruxtecan_after_chemo", {"trastuzumab deruxtecan": (5.4, 5.4, "mg/kg")}),
    ("ado_trastuzumab_emtansine", {"ado-trastuzumab emtansine": (3.6, 3.0, "mg/kg")}),
    ("sacituzumab_govitecan_tnbc", {"sacituzumab govitecan": (10, 10, "mg/kg")}),
    ("letrozole_palbociclib", {"palbociclib": (125, 125, "mg"), "letrozole": (2.5, 2.5, "mg")}),
    ("letrozole_ribociclib", {"ribociclib": (600, 400, "mg"), "letrozole": (2.5, 2.5, "mg")}),
    ("letrozole_abemaciclib", {"abemaciclib": (150, 150, "mg"), "letrozole": (2.5, 2.5, "mg")}),
    ("everolimus_exemestane", {"everolimus": (10, 10, "mg"), "exemestane": (25, 25, "mg")}),
    (
        "pembrolizumab_paclitaxel",
        {"pembrolizumab": (200, 200, "mg"), "paclitaxel": (90, 90, "mg/m2")},
    ),
    ("vinorelbine", {"vinorelbine": (30, 30, "mg/m2")}),
    ("vinorelbine", {"vinorelbine": (30, 22.5, "mg/m2")}),
    ("gemcitabine", {"gemcitabine": (1000, 1000, "mg/m2")}),
    ("carboplatin", {"carboplatin": (5, 5, "AUC")}),
    (
        "gemcitabine_carboplatin",
        {"gemcitabine": (1000, 1000, "mg/m2"), "carboplatin": (2, 2, "AUC")},
    ),
    ("doxorubicin", {"doxorubicin": (60, 60, "mg/m2")}),
    ("pegylated_liposomal_doxorubicin", {"pegylated liposomal doxorubicin": (50, 50, "mg/m2")}),
    ("pegylated_liposomal_doxorubicin", {"pegylated liposomal doxorubicin": (50, 37.5, "mg/m2")}),
    (
        "endocrine_her2_directed",
        {
            "trastuzumab": (6, 6, "mg/kg"),
            "pertuzumab": (420, 420, "mg"),
            "letrozole": (2.5, 2.5, "mg"),
        },
    ),
    (
        "tucatinib_trastuzumab_capecitabine",
        {
            "tucatinib": (300, 250, "mg"),
            "trastuzumab": (6, 6, "mg/kg"),
            "capecitabine": (1000, 1000, "mg/m2"),
        },
    ),
    (
        "neratinib_capecitabine",
        {"neratinib": (240, 240, "mg"), "capecitabine": (750, 750, "mg/m2")},
    ),
    (
        "neratinib_capecitabine",
        {"neratinib": (240, 120, "mg"), "capecitabine": (750, 750, "mg/m2")},
    ),
    (
        "lapatinib_capecitabine",
        {"lapatinib": (1250, 1250, "mg"), "capecitabine": (1000, 1000, "mg/m2")},
    ),
    ("olaparib_hr", {"olaparib": (300, 250, "mg")}),
    ("talazoparib_hr", {"talazoparib": (1, 1, "mg")}),
    ("talazoparib_tnbc", {"talazoparib": (1, 0.5, "mg")}),
    ("elacestrant", {"elacestrant": (345, 345, "mg")}),
    ("alpelisib_fulvestrant", {"alpelisib": (300, 300, "mg"), "fulvestrant": (500, 500, "mg")}),
    (
        "capivasertib_fulvestrant",
        {"capivasertib": (400, 320, "mg"), "fulvestrant": (500, 500, "mg")},
    ),
    (
        "inavolisib_palbociclib_fulvestrant",
        {
            "inavolisib": (9, 9, "mg"),
            "palbociclib": (125, 125, "mg"),
            "fulvestrant": (500, 500, "mg"),
        },
    ),
    (
        "pertuzumab_trastuzumab_paclitaxel",
        {
            "pertuzumab": (420, 420, "mg"),
            "trastuzumab": (6, 6, "mg/kg"),
            "paclitaxel": (80, 80, "mg/m2"),
        },
    ),
    (
        "margetuximab_chemotherapy",
        {"margetuximab": (15, 15, "mg/kg"), "capecitabine": (1000, 1000, "mg/m2")},
    ),
]
# How late the drug is given: now, after a wait, never. A dose of None (discontinue) is 0.
WHEN = {"continue": 0, "reduce": 0, "hold": 1, "discontinue": 2}


def _outcome(rules, raw):
    """Each drug's (how late, dose), or None when the cycle cannot be decided."""
    case, doubts = validate_case(raw, rules.limits)
    found = build_plan(case, doubts, rules).to_json()["next_cycle"]
    if found["decision"] == "insufficient_data":
        return None
    return [
        (WHEN[d["action"]], 0.0 if d["dose"] is None else d["dose"]["value"])
        for d in found["drugs"]
    ]


def _no_better(worse, better):
    if worse is None or better is None:
        return True  # a gap is no decision: nothing to compare
    return all(w[0] >= b[0] and w[1] <= b[1] for w, b in zip(worse, better, strict=True))


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    course=st.sampled_from(COURSES),
    term=st.sampled_from(TOXICITY_TERMS),
    grade=st.integers(0, 3),
    current=st.integers(0, 3),
    occurrence=st.integers(1, 4),
    days=st.integers(0, 14),
    day=st.sampled_from([1, 8, 15]),
)
def test_worse_grade_never_higher_dose_or_earlier(
    rules, case_on, course, term, grade, current, occurrence, days, day
):
    regimen, drugs = course
    current = min(current, grade)

    def raw(worst):
        entry = {
            "term": term,
            "worst_grade": worst,
            "current_grade": current,
            "occurrence": occurrence,
            "days": days,
        }
        return copy.deepcopy(case_on(regimen, drugs, day=day, toxicities=[entry], baseline_lvef=60))

    assert _no_better(_outcome(rules, raw(grade + 1)), _outcome(rules, raw(grade)))


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    course=st.sampled_from(COURSES),
    anc=st.floats(0.2, 3.0),
    drop=st.floats(0.01, 1.0),
    day=st.sampled_from([1, 8, 15]),
)
def test_lower_neutrophils_never_higher_dose_or_earlier(rules, case_on, course, anc, drop, day):
    regimen, drugs = course
    entry = [{"term": "neutrophil_count_decreased", "worst_grade": 0, "occurrence": 1, "days": 1}]

    def raw(value):
        return case_on(
            regimen,
            drugs,
            day=day,
            labs={"anc": round(value, 2)},
            toxicities=entry,
            baseline_lvef=60,
        )

    lower = max(anc - drop, 0.0)
    assert _no_better(_outcome(rules, raw(lower)), _outcome(rules, raw(anc)))


GLUCOSE_COURSES = [
    c for c in COURSES if c[0].split("_")[0] in ("alpelisib", "capivasertib", "inavolisib")
]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    course=st.sampled_from(GLUCOSE_COURSES),
    value=st.floats(3.0, 40.0),
    rise=st.floats(0.01, 15.0),
)
def test_higher_fasting_glucose_never_higher_dose_or_earlier(rules, case_on, course, value, rise):
    regimen, drugs = course

    def raw(glucose):
        labs = {"glucose_fasting": {"value": round(glucose, 2), "unit": "mmol/L"}}
        return case_on(regimen, drugs, labs=labs, baseline_lvef=60)

    higher = min(value + rise, 44.0)
    assert _no_better(_outcome(rules, raw(higher)), _outcome(rules, raw(value)))


HER2_PAIR = [c for c in COURSES if "pertuzumab" in c[1]]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    course=st.sampled_from(HER2_PAIR),
    lvef=st.integers(25, 70),
    fall=st.integers(1, 20),
    baseline=st.integers(50, 75),
)
def test_lower_lvef_never_higher_dose_or_earlier(rules, case_on, course, lvef, fall, baseline):
    """Pertuzumab follows trastuzumab (a [[companion]] row): a lower LVEF never gives either
    antibody, or the regimen's other drugs, an earlier cycle."""
    regimen, drugs = course

    def raw(value):
        found = case_on(regimen, drugs, baseline_lvef=baseline)
        found["clinical"]["lvef_percent"] = value
        return found

    lower = max(lvef - fall, 5)
    assert _no_better(_outcome(rules, raw(lower)), _outcome(rules, raw(lvef)))
