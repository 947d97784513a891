"""On-treatment alerts (Hy's law, febrile neutropenia, pneumonitis) and the lifetime
anthracycline ledger from the cycles given."""

from __future__ import annotations

import pytest

CAPE = {"capecitabine": (1000, 1000, "mg/m2")}
DOXO = {"doxorubicin": (60, 60, "mg/m2")}


def codes(next_cycle):
    return [a["code"] for a in next_cycle["plan"]["alerts"]]


@pytest.mark.parametrize(
    ("alt", "bili", "raised"),
    [(130, 41, True), (130, 40, False), (120, 41, False)],  # ALT > 3 × ULN 40, bili > 2 × ULN 20
)
def test_hys_law(review, tox, alt, bili, raised):
    toxicities = [
        tox("alanine_aminotransferase_increased", 2, 2, 1),
        tox("blood_bilirubin_increased", 2, 2, 1),
    ]
    found = review(
        "capecitabine", CAPE, labs={"alt": alt, "bilirubin": bili}, toxicities=toxicities
    )
    assert ("hys_law" in codes(found)) is raised


def test_febrile_neutropenia_alert(review, tox):
    found = review("capecitabine", CAPE, toxicities=[tox("febrile_neutropenia", 3, 0, 1)])
    assert "febrile_neutropenia" in codes(found)
    assert "febrile_neutropenia" not in codes(review("capecitabine", CAPE))


def test_pneumonitis_alert_only_on_a_drug_with_an_ild_warning(review, tox):
    tdxd = {"trastuzumab deruxtecan": (5.4, 5.4, "mg/kg")}
    found = review(
        "trastuzumab_deruxtecan_after_chemo", tdxd, toxicities=[tox("pneumonitis", 1, 1)]
    )
    assert "pneumonitis" in codes(found)
    found = review("capecitabine", CAPE, toxicities=[tox("pneumonitis", 1, 1)])
    assert "pneumonitis" not in codes(found)


def given(cycles, dose):
    return [
        {
            "cycle": i + 1,
            "given_on": f"2026-08-{i + 1:02d}",
            "drugs": [{"drug": "doxorubicin", "dose": {"value": dose, "unit": "mg/m2"}}],
        }
        for i in range(cycles)
    ]


def test_ledger_counts_the_cycles_given(review):
    found = review("doxorubicin", DOXO, cycle=6, given=given(5, 60))
    (row,) = found["cumulative"]
    assert row["total"] == {"value": 300, "unit": "mg/m2"}
    assert row["after_this_cycle"] == {"value": 360, "unit": "mg/m2"}
    assert row["limit"] == {"value": 550, "unit": "mg/m2"}
    assert "cumulative_dose_limit" not in codes(found)


@pytest.mark.parametrize(("cycles", "dose"), [(9, 55), (11, 50)])  # 495 + 60 > 550; 550 reached
def test_ledger_stops_a_cycle_that_would_pass_the_limit(review, cycles, dose):
    found = review("doxorubicin", DOXO, cycle=cycles + 1, given=given(cycles, dose))
    assert found["decision"] == "stop"
    (drug,) = found["drugs"]
    assert drug["action"] == "discontinue"
    assert drug["dose"] is None
    assert "lifetime anthracycline limit" in drug["reasons"][0]
    assert "cumulative_dose_limit" in codes(found)


def test_ledger_before_the_course_not_recorded_is_a_gap(case_on, rules):
    from planner.domain.engine import build_plan
    from planner.domain.validation import validate_case

    raw = case_on("doxorubicin", DOXO, cycle=2, given=given(1, 60))
    raw["disease"]["cumulative_anthracycline_mg_m2"] = None
    case, doubts = validate_case(raw, rules.limits)
    found = build_plan(case, doubts, rules).to_json()
    assert found["next_cycle"]["decision"] == "insufficient_data"
    assert found["next_cycle"]["drugs"][0]["dose"] is None
    assert any(g["field"] == "disease.cumulative_anthracycline_mg_m2" for g in found["gaps"])


def test_ledger_uses_the_clinic_factor_for_epirubicin(rules, case_on):
    from planner.domain.engine import build_plan
    from planner.domain.settings import ClinicSettings
    from planner.domain.validation import validate_case

    raw = case_on("doxorubicin", DOXO, cycle=2, given=given(1, 60))
    raw["disease"]["prior_therapy"] = [
        {
            "drugs": ["epirubicin"],
            "setting": "adjuvant",
            "reason_stopped": "completed",
            "cumulative_mg_m2": {"epirubicin": 400},
        }
    ]
    raw["disease"]["cumulative_anthracycline_mg_m2"] = None
    case, doubts = validate_case(raw, rules.limits)
    for factor, total in ((0.8, 380), (0.5, 260)):
        settings = ClinicSettings(anthracycline_factors={"epirubicin": factor})
        plan = build_plan(case, doubts, rules, settings).to_json()
        assert plan["next_cycle"]["cumulative"][0]["total"]["value"] == total
