"""Independent oncology-pharmacist review rx20 (2026-12-07), findings F1, F2, F3, F5 and G1.

The reviewer wrote 19 cases and the label answers (`expected.md`) before the first run; the
cases used here are copied unchanged into tests/data/independent_rx20. F4, F6, F7 (the CYP3A dose
findings) are tested elsewhere. A01, H01–H03 and T01–T03 were judged OK: they stay as regression
cases with the label answers the reviewer wrote.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planner.domain.liver_safe_drugs import interaction_flags
from tests.independent_review import case_in, plan_cache, plan_json
from tests.independent_review import drug_rows as _rows
from tests.independent_review import option_row as _row

CASES = Path(__file__).parents[1] / "data" / "independent_rx20"
NSAIDS = {"ibuprofen", "naproxen", "diclofenac", "celecoxib", "etoricoxib", "ketorolac", "aspirin"}
QT_ANTIEMETICS = {"haloperidol", "levomepromazine", "domperidone", "ondansetron"}


def _raw(prefix: str) -> dict[str, Any]:
    return case_in(CASES, prefix)


@pytest.fixture(scope="module")
def plans(rules):
    return plan_cache(CASES, rules)


def _said(row: dict[str, Any]) -> str:
    return " ".join([*(row.get("reasons") or ()), *(row.get("warnings") or ())])


def _alert(plan: dict[str, Any], code: str) -> dict[str, Any]:
    return next(a for a in plan["alerts"] if a["code"] == code)


def _cycle(plan: dict[str, Any]) -> tuple[str, dict[str, tuple[str, float | None]]]:
    cycle = plan["next_cycle"]
    return cycle["decision"], {
        d["drug"]: (d["action"], None if d.get("dose") is None else d["dose"]["value"])
        for d in cycle["drugs"]
    }


# ---- F1: a trastuzumab allergy reaches every drug that contains trastuzumab ----------------


def test_a03_trastuzumab_anaphylaxis_stops_the_conjugates_that_contain_it(plans):
    plan = plans("A03")
    for drug in ("trastuzumab deruxtecan", "ado-trastuzumab emtansine"):
        rows = _rows(plan, drug)
        assert rows, drug
        for row in rows:
            assert row["status"] == "not_recommended", (drug, row["status"])
            assert row.get("dose") is None
            assert "contains trastuzumab" in _said(row)
    alert = _alert(plan, "drug_allergy")
    assert alert["level"] == "critical"
    assert "trastuzumab deruxtecan" in alert["message"]
    assert "ado-trastuzumab emtansine" in alert["message"]


def test_a_trastuzumab_containing_regimen_carries_the_allergy_by_name(plans, rules):
    # R07 is on tucatinib + trastuzumab + capecitabine: with a trastuzumab allergy added, the
    # trastuzumab row of that option is stopped too (the regimen names trastuzumab itself)
    raw = _raw("R07")
    raw["allergies"] = [
        {"substance": "trastuzumab", "reaction": "anaphylaxis", "severity": "severe"}
    ]
    plan = plan_json(raw, rules)
    row = _row(plan, "tucatinib_trastuzumab_capecitabine", "trastuzumab")
    assert row["status"] == "not_recommended"
    assert _rows(plan, "ado-trastuzumab emtansine")[0]["status"] == "not_recommended"


# ---- F2: a paclitaxel anaphylaxis reaches docetaxel and nab-paclitaxel -----------------------


def test_a02_paclitaxel_anaphylaxis_stops_docetaxel_with_the_cross_sensitivity(plans):
    plan = plans("A02")
    for row in _rows(plan, "paclitaxel"):
        assert row["status"] == "not_recommended"
    (docetaxel,) = _rows(plan, "docetaxel")
    assert docetaxel["status"] == "not_recommended"
    assert docetaxel.get("dose") is None
    assert "cross-sensitivity" in _said(docetaxel)
    assert any(b["source"] == "ix.src.dizon_taxane_cross_sensitivity" for b in docetaxel["basis"])
    assert "docetaxel" in _alert(plan, "drug_allergy")["message"]


def test_a02_nab_paclitaxel_is_caution_with_the_allergy_on_its_row(plans):
    plan = plans("A02")
    rows = _rows(plan, "nab-paclitaxel")
    assert len(rows) >= 2  # with pembrolizumab (100 mg/m² d1, 8, 15) and alone
    for row in rows:
        assert row["status"] == "caution"
        said = _said(row)
        assert "allergy recorded to paclitaxel" in said
        assert "allergy specialist" in said
        assert "unverified" in said
    # the KEYNOTE-355 dose is kept (a caution, not a stop)
    assert _row(plan, "pembrolizumab_nab_paclitaxel", "nab-paclitaxel")["dose"]["value"] == 100.0
    assert _row(plan, "pembrolizumab_nab_paclitaxel", "pembrolizumab")["dose"]["value"] == 200.0
    # no taxane row is "standard" and silent about the allergy
    for drug in ("paclitaxel", "nab-paclitaxel", "docetaxel"):
        for row in _rows(plan, drug):
            assert row["status"] != "standard"
            assert "paclitaxel" in _said(row)


# ---- F3: QT-prolonging antiemetics beside ribociclib or another QT drug ----------------------


@pytest.mark.parametrize("prefix", ["R02", "R02b"])
def test_r02_nausea_advice_leads_with_a_non_qt_antiemetic_and_says_why(plans, prefix):
    plan = plans(prefix)
    (nausea,) = [i for i in plan["supportive"] if i["problem"] == "nausea"]
    details = nausea["intervention_details"]
    first = details[0]
    assert first["drugs"][0] == "metoclopramide"
    suggested = {d for x in details for d in x.get("drugs") or ()}
    assert not suggested & QT_ANTIEMETICS, suggested
    because = " ".join(first["because"])
    assert "ribociclib" in because
    assert "methadone" in because
    assert "QT" in first["text"]


def test_r02_cycle_gives_ribociclib_and_fulvestrant_at_full_dose(plans):
    decision, drugs = _cycle(plans("R02"))
    assert decision == "give"
    assert drugs == {"fulvestrant": ("continue", 500.0), "ribociclib": ("continue", 600.0)}


def test_r02_methadone_is_flagged_against_the_ribociclib_she_is_on(plans):
    message = _alert(plans("R02"), "medicine_interaction")["message"]
    assert "review methadone" in message
    assert "ribociclib (anticancer therapy she is on now)" in message


def test_methadone_alone_makes_the_nausea_advice_avoid_qt_antiemetics(rules):
    # R02 with no course recorded and methadone her only medicine: the QT drug she takes is
    # named among the reasons for the non-QT advice
    raw = _raw("R02")
    raw.pop("treatment", None)
    raw["medications"] = [m for m in raw["medications"] if m["drug"] == "methadone"]
    plan = plan_json(raw, rules)
    (nausea,) = [i for i in plan["supportive"] if i["problem"] == "nausea"]
    suggested = {d for x in nausea["intervention_details"] for d in x.get("drugs") or ()}
    assert not suggested & QT_ANTIEMETICS
    assert "methadone (taken now)" in " ".join(nausea["intervention_details"][0]["because"])


def test_a_qt_antiemetic_suggested_beside_ribociclib_is_flagged_on_the_advice(rules):
    # The medicine table's ix.qt.ribociclib row holds both ways: haloperidol suggested by the
    # (non-QT-aware) nausea row while ribociclib is in the plan is flagged on that advice.
    both = rules.interactions.both_ways(rules.limits.drugs)
    assert "ix.qt.ribociclib" in {r.id for r in both}
    # her own QT medicine against a suggested one is the medicine review's (R02: methadone)
    assert "ix.qt.additive" not in {r.id for r in both}
    row = next(
        r
        for r in rules.supportive.interventions_for("nausea")
        if r.id == "sup.int.nausea.antiemetic"
    )
    assert "haloperidol" in row.drugs
    flags = interaction_flags({"nausea": [row]}, frozenset({"ribociclib"}), rules.supportive, both)
    qt = [f for f in flags if f.rule.id == "ix.qt.ribociclib"]
    assert qt
    assert "haloperidol" in qt[0].supportive
    assert qt[0].partners == ("ribociclib",)
    assert qt[0].problems == ("nausea",)
    assert "QT" in qt[0].message
    # without the both-ways rows nothing flagged the pair (the defect)
    assert not [
        f
        for f in interaction_flags({"nausea": [row]}, frozenset({"ribociclib"}), rules.supportive)
        if "ribociclib" in f.partners
    ]


# ---- F5: a vitamin K antagonist's INR is not scored for Child–Pugh ---------------------------


@pytest.mark.parametrize("prefix", ["R05", "R07"])
def test_a_warfarin_inr_makes_child_pugh_not_assessable_with_the_reason(plans, prefix):
    plan = plans(prefix)
    assert plan["hepatic"]["child_pugh"] is None
    gaps = [g["effect"] for g in plan["gaps"] if g["field"] == "labs.inr"]
    assert any("warfarin recorded" in g and "not assessable" in g for g in gaps), gaps
    assert not any("not recorded: Child–Pugh" in g for g in gaps)


def test_r05_child_pugh_banded_doses_are_not_silently_lowered(plans):
    plan = plans("R05")
    # before: CP B from the INR 3.4 -> fulvestrant 250 mg, ribociclib 400 mg, eribulin 0.7 mg/m²
    for regimen, drug in (
        ("fulvestrant_ribociclib_after_et", "fulvestrant"),
        ("fulvestrant_ribociclib_after_et", "ribociclib"),
        ("eribulin", "eribulin"),
    ):
        row = _row(plan, regimen, drug)
        assert row["status"] == "insufficient_data", (drug, row["status"])
        assert row.get("dose") is None
    # the cycle row (XELODA HFS grade 2, first occurrence: hold, 100 % on recovery) is unchanged
    assert _cycle(plan) == ("delay", {"capecitabine": ("hold", 1000.0)})


def test_without_an_anticoagulant_the_same_inr_is_scored(plans, rules):
    raw = _raw("R05")
    raw["medications"] = [m for m in raw["medications"] if m["drug"] != "warfarin"]
    plan = plan_json(raw, rules)
    assert plan["hepatic"]["child_pugh"] == {"points": 7, "class": "B"}


# ---- G1: on treatment, interactions name the course she is on ------------------------------


def test_r07_interactions_name_the_course_drugs_not_unprinted_options(plans):
    message = _alert(plans("R07"), "medicine_interaction")["message"]
    assert "tucatinib (anticancer therapy she is on now)" in message
    assert "capecitabine (anticancer therapy she is on now)" in message
    assert "option " not in message


def test_r02_course_drugs_are_the_current_therapy(plans):
    assert set(plans("R02")["current_therapy"]) == {"fulvestrant", "ribociclib"}


def test_a_course_drug_not_recorded_as_ongoing_prior_therapy_is_checked(plans):
    # G1: on treatment the options are not printed and are not what the check names; the course
    # drug enters the check from treatment.drugs alone (R02 records no ongoing prior therapy)
    plan = plans("R02")
    assert (
        "ribociclib (anticancer therapy she is on now)"
        in _alert(plan, "medicine_interaction")["message"]
    )
    raw = _raw("R02")
    assert not any(
        t.get("reason_stopped") == "ongoing"
        for t in (raw.get("disease") or {}).get("prior_therapy") or ()
    )


# ---- OK cases the reviewer judged right: regression --------------------------------------


def test_a01_no_nsaid_and_the_allergies_stop_nothing_else(plans):
    plan = plans("A01")
    suggested = {
        d
        for i in plan["supportive"]
        for x in i["intervention_details"]
        for d in x.get("drugs") or ()
    }
    assert not suggested & NSAIDS, suggested & NSAIDS
    assert _row(plan, "letrozole_ribociclib", "ribociclib")["dose"]["value"] == 600.0
    assert _row(plan, "letrozole_palbociclib", "palbociclib")["dose"]["value"] == 125.0
    assert _row(plan, "letrozole_abemaciclib", "abemaciclib")["dose"]["value"] == 150.0
    assert _row(plan, "letrozole_ribociclib", "letrozole")["dose"]["value"] == 2.5


def test_h01_child_pugh_b_first_line_doses(plans):
    plan = plans("H01")
    assert plan["hepatic"]["child_pugh"]["class"] == "B"
    assert _row(plan, "letrozole_ribociclib", "ribociclib")["dose"]["value"] == 400.0
    assert _row(plan, "letrozole_palbociclib", "palbociclib")["dose"]["value"] == 125.0
    assert _row(plan, "letrozole_abemaciclib", "abemaciclib")["dose"]["value"] == 150.0
    assert _row(plan, "letrozole_ribociclib", "letrozole")["dose"]["value"] == 2.5
    assert _row(plan, "fulvestrant_alone", "fulvestrant")["dose"]["value"] == 250.0


def test_h02_child_pugh_b_later_line_doses(plans):
    plan = plans("H02")
    assert _row(plan, "elacestrant", "elacestrant")["dose"]["value"] == 258.0
    assert _row(plan, "capivasertib_fulvestrant", "fulvestrant")["dose"]["value"] == 250.0
    capivasertib = _row(plan, "capivasertib_fulvestrant", "capivasertib")
    assert capivasertib["status"] == "caution"
    assert _row(plan, "alpelisib_fulvestrant", "alpelisib")["dose"]["value"] == 300.0
    assert _row(plan, "everolimus_exemestane", "everolimus")["dose"]["value"] == 5.0


def test_h03_severe_renal_impairment(plans):
    plan = plans("H03")
    assert _row(plan, "talazoparib_hr", "talazoparib")["dose"]["value"] == 0.5
    assert _row(plan, "olaparib_hr", "olaparib")["status"] == "not_recommended"
    assert _row(plan, "capecitabine", "capecitabine")["status"] == "contraindicated"


def test_t01_eribulin_day8_hold_then_reduced(plans):
    assert _cycle(plans("T01")) == ("delay", {"eribulin": ("hold", 1.1)})
    assert plans("T01")["next_cycle"]["recheck_in_days"] == 7


def test_t02_tdxd_ild_grade1_and_lvef_fall(plans):
    plan = plans("T02")
    assert _cycle(plan) == ("delay", {"trastuzumab deruxtecan": ("hold", 5.4)})
    assert _alert(plan, "pneumonitis")["level"] == "critical"


def test_t03_ribociclib_alt_in_x_uln_holds(plans):
    decision, drugs = _cycle(plans("T03"))
    assert decision == "delay"
    assert drugs["ribociclib"][0] == "hold"
    assert drugs["letrozole"] == ("continue", 2.5)


# ---- recheck20: the other directions, and brand names ------------------------------------------


def _with_allergy(rules, prefix: str, substance: str) -> dict[str, Any]:
    raw = _raw(prefix)
    raw["allergies"] = [{"substance": substance, "reaction": "anaphylaxis", "severity": "severe"}]
    return plan_json(raw, rules)


def test_a_nab_paclitaxel_anaphylaxis_stops_paclitaxel_the_same_drug(rules):
    # recheck20 HARM-1: page 1 suggested pembrolizumab + paclitaxel 147.6 mg after it
    plan = _with_allergy(rules, "A02", "nab-paclitaxel")
    for drug in ("nab-paclitaxel", "paclitaxel", "docetaxel"):
        for row in _rows(plan, drug):
            assert row["status"] == "not_recommended", (drug, row["status"])
            assert row.get("dose") is None


def test_a_docetaxel_anaphylaxis_leaves_no_taxane_silent(rules):
    plan = _with_allergy(rules, "A02", "docetaxel")
    for drug in ("paclitaxel", "nab-paclitaxel"):
        rows = _rows(plan, drug)
        assert rows
        for row in rows:
            assert row["status"] in ("caution", "not_recommended"), (drug, row["status"])
            assert "docetaxel" in _said(row)


@pytest.mark.parametrize(
    ("substance", "stopped"),
    [
        ("Herceptin", ("trastuzumab deruxtecan", "ado-trastuzumab emtansine")),
        ("KADCYLA", ("ado-trastuzumab emtansine",)),
    ],
)
def test_an_allergy_written_by_brand_name_is_checked(rules, substance, stopped):
    # recheck20 HARM-2: "Herceptin" anaphylaxis was "not a drug the program knows"
    plan = _with_allergy(rules, "A03", substance)
    for drug in stopped:
        for row in _rows(plan, drug):
            assert row["status"] == "not_recommended", (drug, row["status"])
    assert _alert(plan, "drug_allergy")["level"] == "critical"


def test_a_conjugate_allergy_reaches_the_other_trastuzumab_drugs(rules):
    # recheck20 W4: after a T-DM1 allergy, T-DXd was "standard" with no note
    plan = _with_allergy(rules, "A03", "ado-trastuzumab emtansine")
    for row in _rows(plan, "trastuzumab deruxtecan"):
        assert row["status"] in ("caution", "not_recommended")
        assert "trastuzumab emtansine" in _said(row) or "same antibody" in _said(row)
