"""ADCs, CDK4/6 inhibitors, checkpoint inhibitors and everolimus: known answers from the labels
at and around their thresholds."""

from __future__ import annotations

import pytest

TDXD = {"trastuzumab deruxtecan": (5.4, 5.4, "mg/kg")}
TDM1 = {"ado-trastuzumab emtansine": (3.6, 3.6, "mg/kg")}
SG = {"sacituzumab govitecan": (10, 10, "mg/kg")}
PALBO = {"letrozole": (2.5, 2.5, "mg"), "palbociclib": (125, 125, "mg")}
RIBO = {"letrozole": (2.5, 2.5, "mg"), "ribociclib": (600, 600, "mg")}
ABEMA = {"letrozole": (2.5, 2.5, "mg"), "abemaciclib": (150, 150, "mg")}
PEMBRO = {"pembrolizumab": (200, 200, "mg"), "paclitaxel": (90, 90, "mg/m2")}
EVERO = {"everolimus": (10, 10, "mg"), "exemestane": (25, 25, "mg")}


def drug(found, name):
    return next(d for d in found["drugs"] if d["drug"] == name)


# ---- trastuzumab deruxtecan ----


@pytest.mark.parametrize(
    ("current", "days", "action", "dose"),
    [(1, 10, "hold", 5.4), (0, 10, "continue", 5.4), (0, 29, "reduce", 4.4)],
)
def test_tdxd_grade_1_ild(review, tox, current, days, action, dose):
    found = review(
        "trastuzumab_deruxtecan_after_chemo",
        TDXD,
        baseline_lvef=60,
        toxicities=[tox("pneumonitis", 1, current, days=days)],
    )
    d = drug(found, "trastuzumab deruxtecan")
    assert (d["action"], d["dose"]["value"]) == (action, dose)


def test_tdxd_symptomatic_ild_is_permanent(review, tox):
    found = review(
        "trastuzumab_deruxtecan_after_chemo",
        TDXD,
        baseline_lvef=60,
        toxicities=[tox("pneumonitis", 2, 0)],
    )
    assert found["decision"] == "stop"
    assert "pneumonitis" in [a["code"] for a in found["plan"]["alerts"]]


@pytest.mark.parametrize(
    ("anc", "action", "dose"), [(1.0, "continue", 5.4), (0.9, "hold", 5.4), (0.4, "hold", 4.4)]
)
def test_tdxd_neutropenia(review, anc, action, dose):
    found = review("trastuzumab_deruxtecan_after_chemo", TDXD, baseline_lvef=60, labs={"anc": anc})
    d = drug(found, "trastuzumab deruxtecan")
    assert (d["action"], d["dose"]["value"]) == (action, dose)


@pytest.mark.parametrize(
    ("lvef", "baseline", "decision"),
    [
        (40, 45, "give"),
        (39, 45, "delay"),  # below 40 %
        (44, 58, "delay"),  # 40–45 % and 14 points down
        (44, 50, "give"),  # 40–45 % and 6 points down
        (50, 71, "delay"),  # 21 points down
        (44, None, "insufficient_data"),  # the fall from baseline cannot be told
    ],
)
def test_tdxd_lvef(review, case_on, rules, lvef, baseline, decision):
    from planner.domain.engine import build_plan
    from planner.domain.validation import validate_case

    raw = case_on("trastuzumab_deruxtecan_after_chemo", TDXD)
    raw["clinical"]["lvef_percent"] = lvef
    if baseline is not None:
        raw["treatment"]["baseline_lvef_percent"] = baseline
    case, doubts = validate_case(raw, rules.limits)
    assert build_plan(case, doubts, rules).to_json()["next_cycle"]["decision"] == decision


def test_tdxd_at_the_last_level_discontinues(review):
    found = review(
        "trastuzumab_deruxtecan_after_chemo",
        {"trastuzumab deruxtecan": (5.4, 3.2, "mg/kg")},
        labs={"anc": 0.4},
        baseline_lvef=60,
    )
    assert found["decision"] == "stop"


# ---- ado-trastuzumab emtansine ----


@pytest.mark.parametrize(
    ("alt", "bili", "action", "dose"),
    [
        (200, 12, "continue", 3.6),  # 5 × ULN: grade 2, same dose
        (204, 12, "hold", 3.0),  # > 5 × ULN: grade 3, one level lower once grade 2
        (804, 12, "discontinue", None),  # > 20 × ULN
        (30, 31, "hold", 3.6),  # bilirubin grade 2: wait for grade 1, same dose
        (130, 41, "discontinue", None),  # ALT > 3 × with bilirubin > 2 × ULN
    ],
)
def test_tdm1_liver(review, alt, bili, action, dose):
    found = review("ado_trastuzumab_emtansine", TDM1, labs={"alt": alt, "bilirubin": bili})
    d = drug(found, "ado-trastuzumab emtansine")
    assert d["action"] == action
    assert (d["dose"] and d["dose"]["value"]) == dose


# ---- sacituzumab govitecan: day 1 against day 8, occurrences ----


@pytest.mark.parametrize(
    ("day", "anc", "decision"),
    [(1, 1.5, "give"), (1, 1.4, "delay"), (8, 1.0, "give"), (8, 0.99, "delay"), (8, 1.4, "give")],
)
def test_sg_neutrophils_by_day(review, tox, day, anc, decision):
    toxicities = [tox("neutrophil_count_decreased", 3, 3, 1)] if anc < 1 else []
    found = review(
        "sacituzumab_govitecan_tnbc", SG, day=day, labs={"anc": anc}, toxicities=toxicities
    )
    assert found["decision"] == decision


@pytest.mark.parametrize(
    ("occurrence", "action", "dose"),
    [(1, "reduce", 7.5), (2, "reduce", 5.0), (3, "discontinue", None)],
)
def test_sg_severe_diarrhoea_by_occurrence(review, tox, occurrence, action, dose):
    found = review("sacituzumab_govitecan_tnbc", SG, toxicities=[tox("diarrhea", 3, 0, occurrence)])
    d = drug(found, "sacituzumab govitecan")
    assert d["action"] == action
    assert (d["dose"] and d["dose"]["value"]) == dose


# ---- CDK4/6 inhibitors ----


@pytest.mark.parametrize(
    ("day", "anc", "action", "dose"),
    [
        (1, 0.9, "hold", 125),
        (15, 0.9, "continue", 125),
        (1, 0.4, "hold", 100),
        (1, 1.0, "continue", 125),
    ],
)
def test_palbociclib_neutropenia_day_1_and_day_15(review, day, anc, action, dose):
    found = review("letrozole_palbociclib", PALBO, day=day, labs={"anc": anc})
    d = drug(found, "palbociclib")
    assert (d["action"], d["dose"]["value"]) == (action, dose)
    assert drug(found, "letrozole")["action"] == "continue"


def test_palbociclib_below_75_discontinues(review):
    found = review(
        "letrozole_palbociclib",
        {"letrozole": (2.5, 2.5, "mg"), "palbociclib": (125, 75, "mg")},
        labs={"anc": 0.4},
    )
    assert drug(found, "palbociclib")["action"] == "discontinue"
    assert found["decision"] == "give"  # letrozole goes on; palbociclib is listed as stopped


@pytest.mark.parametrize(
    ("grade", "occurrence", "action", "dose"),
    [(2, 1, "hold", 600), (2, 2, "hold", 400), (3, 1, "hold", 400), (4, 1, "discontinue", None)],
)
def test_ribociclib_qtc(review, tox, grade, occurrence, action, dose):
    found = review(
        "letrozole_ribociclib",
        RIBO,
        toxicities=[tox("qt_corrected_interval_prolonged", grade, grade, occurrence)],
    )
    d = drug(found, "ribociclib")
    assert d["action"] == action
    assert (d["dose"] and d["dose"]["value"]) == dose


def test_ribociclib_qtc_resolved_gives_the_reduced_dose(review, tox):
    found = review(
        "letrozole_ribociclib", RIBO, toxicities=[tox("qt_corrected_interval_prolonged", 3, 1)]
    )
    assert (drug(found, "ribociclib")["action"], drug(found, "ribociclib")["dose"]["value"]) == (
        "reduce",
        400,
    )


@pytest.mark.parametrize(
    ("toxicity", "action", "dose"),
    [
        (("diarrhea", 2, 2, 1), "hold", 150),
        # Verzenio Table 4: grade 2 recurring at the same dose -> the next lower dose
        (("diarrhea", 2, 2, 2), "hold", 100),
        (("diarrhea", 3, 1), "reduce", 100),
        (("neutrophil_count_decreased", 3, 2, 1), "continue", 150),
        (("neutrophil_count_decreased", 3, 2, 2), "reduce", 100),
    ],
)
def test_abemaciclib(review, tox, toxicity, action, dose):
    found = review("letrozole_abemaciclib", ABEMA, toxicities=[tox(*toxicity)])
    d = drug(found, "abemaciclib")
    assert (d["action"], d["dose"]["value"]) == (action, dose)


# ---- checkpoint inhibitors: immune hepatitis with and without liver tumour ----


def _pembro(case_on, rules, alt, metastases, baseline_alt=None):
    from planner.domain.engine import build_plan
    from planner.domain.validation import validate_case

    raw = case_on("pembrolizumab_paclitaxel", PEMBRO, labs={"alt": alt})
    raw["disease"]["liver_metastases"] = metastases
    if baseline_alt is not None:
        raw["previous_labs"] = [
            {
                "drawn_on": "2026-07-30",
                "alt": {"value": baseline_alt, "unit": "U/L", "uln": 40},
                "ast": {"value": 30, "unit": "U/L", "uln": 40},
            }
        ]
    case, doubts = validate_case(raw, rules.limits)
    return drug(build_plan(case, doubts, rules).to_json()["next_cycle"], "pembrolizumab")


@pytest.mark.parametrize(
    ("alt", "metastases", "baseline", "action"),
    [
        (120, False, None, "continue"),  # 3 × ULN
        (124, False, None, "hold"),  # > 3 × ULN
        (324, False, None, "discontinue"),  # > 8 × ULN
        (124, True, 30, "hold"),  # tumour in the liver, normal baseline: the stricter thresholds
        (180, True, 80, "continue"),  # baseline 2 × ULN: 4.5 × ULN is below 5 ×
        (204, True, 80, "hold"),  # > 5 × ULN
        (404, True, 80, "discontinue"),  # > 10 × ULN
        (204, True, None, "insufficient_data"),  # baseline not recorded: cannot be told
    ],
)
def test_pembrolizumab_immune_hepatitis(case_on, rules, alt, metastases, baseline, action):
    assert _pembro(case_on, rules, alt, metastases, baseline)["action"] == action


@pytest.mark.parametrize(
    ("grade", "action"), [(1, "continue"), (2, "hold"), (3, "hold"), (4, "discontinue")]
)
def test_pembrolizumab_colitis(review, tox, grade, action):
    found = review(
        "pembrolizumab_paclitaxel",
        PEMBRO,
        toxicities=[tox("colitis", grade, grade, drug="pembrolizumab")],
    )
    assert drug(found, "pembrolizumab")["action"] == action


# ---- everolimus ----


@pytest.mark.parametrize(
    ("grade", "current", "occurrence", "action", "dose"),
    [
        (2, 2, 1, "hold", 10),
        (2, 1, 1, "continue", 10),
        (2, 1, 2, "reduce", 5),
        (3, 1, 1, "reduce", 5),
        (4, 1, 1, "discontinue", None),
    ],
)
def test_everolimus_stomatitis(review, tox, grade, current, occurrence, action, dose):
    found = review(
        "everolimus_exemestane",
        EVERO,
        toxicities=[tox("mucositis_oral", grade, current, occurrence)],
    )
    d = drug(found, "everolimus")
    assert d["action"] == action
    assert (d["dose"] and d["dose"]["value"]) == dose


def test_a_regimen_drug_without_a_table_is_undecided_with_its_reason(rules, example_raw):
    """A drug with no cycle-review table says so in words and prints no dose for any drug."""
    import dataclasses
    import json
    from types import MappingProxyType

    from planner.domain.engine import build_plan
    from planner.domain.validation import validate_case

    from .conftest import on_treatment

    cycle = rules.cycle
    ladders = {d: x for d, x in cycle.ladders.items() if d != "bevacizumab"}
    rules_without = dataclasses.replace(
        rules, cycle=dataclasses.replace(cycle, ladders=MappingProxyType(ladders))
    )
    raw = on_treatment(
        example_raw,
        "paclitaxel_bevacizumab",
        {"bevacizumab": (10, 10, "mg/kg"), "paclitaxel": (90, 90, "mg/m2")},
    )
    case, doubts = validate_case(json.loads(json.dumps(raw)), rules.limits)
    found = build_plan(case, doubts, rules_without, labels="eu").to_json()["next_cycle"]
    assert found["decision"] == "insufficient_data"
    bevacizumab = drug(found, "bevacizumab")
    assert bevacizumab["action"] == "insufficient_data"
    assert bevacizumab["dose"] is None
    assert bevacizumab["reasons"][0].startswith(
        "no cycle-review table for bevacizumab: review by the prescriber"
    )
    assert drug(found, "paclitaxel")["dose"] is None  # no dose for any drug while undecided


def test_a_label_sets_do_not_give_stops_the_drug_on_treatment_too(review):
    """The cycle review passes every drug through the first plan's dose check: under the US label
    set bevacizumab has no breast-cancer dose, so it is not given, with that reason, and no dose."""
    found = review(
        "paclitaxel_bevacizumab",
        {"bevacizumab": (10, 10, "mg/kg"), "paclitaxel": (90, 90, "mg/m2")},
        labels="us",
    )
    bevacizumab = drug(found, "bevacizumab")
    assert bevacizumab["action"] == "discontinue"
    assert bevacizumab["dose"] is None
    assert "no breast-cancer indication" in bevacizumab["reasons"][0]
