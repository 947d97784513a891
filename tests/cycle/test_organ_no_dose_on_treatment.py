"""rx22 F1, F8, W1: on treatment, a row of the label's liver or kidney table answers for today's
organ function as it does in the first plan. "No dose" there (insufficient_data: not studied) is
no dose in the cycle review — held, with the row's words and sources, no restart dose — never the
course's dose in silence; a stop's restart dose is the organ row's percentage of the standard; a
row that keeps the dose with a caution is said. Edges: each row's own limits, on the rx22 cases
(tests/data/independent_rx22)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from planner.domain.engine import build_plan
from planner.domain.validation import validate_case
from tests.cycle.conftest import drug_of

CASES = Path(__file__).parents[1] / "data" / "independent_rx22"


def raw_of(prefix: str) -> dict[str, Any]:
    (path,) = CASES.glob(f"{prefix}_*.json")
    return json.loads(path.read_text(encoding="utf-8"))


def plan_of(rules: Any, raw: dict[str, Any]) -> dict[str, Any]:
    case, doubts = validate_case(json.loads(json.dumps(raw)), rules.limits)
    return build_plan(case, doubts, rules).to_json()


def said(row: dict[str, Any]) -> str:
    return " ".join(row["reasons"])


def eribulin_at(rules: Any, bilirubin: float, albumin: float, anc: float | None = None):
    """T04 (eribulin 1.4 mg/m2, INR 1.5, ascites mild, no encephalopathy): bilirubin 60 µmol/L
    and albumin 29 g/L are Child–Pugh 9 points (B), albumin 26 g/L 10 points (C)."""
    raw = raw_of("T04")
    raw["labs"]["bilirubin"]["value"] = bilirubin
    raw["labs"]["albumin"]["value"] = albumin
    if anc is not None:
        raw["labs"]["anc"]["value"] = anc
    return plan_of(rules, raw)


def test_eribulin_child_pugh_b_at_9_points_is_0_7(rules):
    plan = eribulin_at(rules, 60, 29)
    assert plan["hepatic"]["child_pugh"]["points"] == 9
    row = drug_of(plan["next_cycle"], "eribulin")
    assert (row["action"], row["dose"]["value"]) == ("reduce", 0.7)


def test_eribulin_child_pugh_c_at_10_points_is_held_with_no_dose_and_the_reason(rules):
    plan = eribulin_at(rules, 60, 26)
    assert plan["hepatic"]["child_pugh"]["points"] == 10
    cycle = plan["next_cycle"]
    row = drug_of(cycle, "eribulin")
    assert (row["action"], row["dose"]) == ("hold", None)
    assert cycle["decision"] == "delay"
    assert "Child-Pugh C: not studied" in said(row)
    assert "the label gives no dose" in said(row)
    assert "prescriber decides" in said(row)
    assert "eribulin.child_pugh_c" in {b["rule"] for b in row["basis"]}
    assert any(
        "liver and kidney function the label gives a dose for" in r for r in cycle["resume_when"]
    )


def test_a_hold_for_counts_in_child_pugh_c_waits_for_the_liver_too(rules):
    # neutrophils 0.8: the label's own hold; its restart dose is for once both have cleared (the
    # next review caps it by the liver then), as a stop that can clear is handled
    plan = eribulin_at(rules, 60, 26, anc=0.8)
    cycle = plan["next_cycle"]
    row = drug_of(cycle, "eribulin")
    assert row["action"] == "hold"
    assert "neutrophils" in said(row).lower()
    assert "Child-Pugh C: not studied" in said(row)
    assert any(
        "liver and kidney function the label gives a dose for" in r for r in cycle["resume_when"]
    )


def tdxd_at(rules: Any, bilirubin: float) -> dict[str, Any]:
    raw = raw_of("T06")  # bilirubin ULN 21 µmol/L: > 63 is > 3 x ULN (NCI-ODWG severe)
    raw["labs"]["bilirubin"]["value"] = bilirubin
    return plan_of(rules, raw)


def test_tdxd_at_3_x_uln_is_moderate_given_and_the_liver_weighed(rules):
    row = drug_of(tdxd_at(rules, 63)["next_cycle"], "trastuzumab deruxtecan")
    assert (row["action"], row["dose"]["value"]) == ("continue", 5.4)
    assert "weighed — NCI-ODWG hepatic impairment moderate" in said(row)
    assert "monitor closely" in said(row)


def test_tdxd_just_above_3_x_uln_is_held_with_no_dose(rules):
    plan = tdxd_at(rules, 64)
    row = drug_of(plan["next_cycle"], "trastuzumab deruxtecan")
    assert (row["action"], row["dose"]) == ("hold", None)
    assert "severe hepatic impairment (NCI-ODWG): not studied" in said(row)
    assert "trastuzumab_deruxtecan.odwg_severe" in {b["rule"] for b in row["basis"]}


def test_a_normal_liver_adds_no_weighed_line(rules):
    row = drug_of(tdxd_at(rules, 15)["next_cycle"], "trastuzumab deruxtecan")
    assert row["action"] == "continue"
    assert "weighed — " not in said(row)


def weekly_paclitaxel_at(rules: Any, bilirubin: float) -> dict[str, Any]:
    raw = raw_of("T07")
    course = raw["treatment"]
    course["regimen"], course["cycle_days"] = "paclitaxel_weekly", 7
    for drug in course["drugs"]:
        drug["drug"] = "paclitaxel"
        drug["starting_dose"]["value"] = drug["current_dose"]["value"] = 80
    for given in course["given"]:
        given["drugs"] = [{"drug": "paclitaxel", "dose": {"value": 80, "unit": "mg/m2"}}]
    raw["disease"]["prior_therapy"][-1]["drugs"] = ["paclitaxel"]
    raw["labs"]["bilirubin"]["value"] = bilirubin  # ULN 21
    raw["labs"]["ast"]["value"] = 40  # 1 x ULN
    raw["labs"]["alt"] = {"value": 30, "unit": "U/L", "uln": 40}
    return plan_of(rules, raw)


@pytest.mark.parametrize(
    ("bilirubin", "action", "dose"),
    [(21, "continue", 80.0), (22, "hold", None)],  # 1.0 x ULN: the row is "> 1"
)
def test_weekly_paclitaxel_at_the_bilirubin_edge(rules, bilirubin, action, dose):
    row = drug_of(weekly_paclitaxel_at(rules, bilirubin)["next_cycle"], "paclitaxel")
    assert row["action"] == action
    assert (row["dose"] and row["dose"]["value"]) == dose
    if dose is None:
        assert "weekly paclitaxel has no sourced hepatic rule" in said(row)


def doxorubicin_at(rules: Any, bilirubin_mg_dl: float) -> dict[str, Any]:
    raw = raw_of("T03")  # begun at 50 mg/m2, standard 60
    raw["labs"]["bilirubin"] = {"value": round(bilirubin_mg_dl * 17.104, 3), "unit": "umol/L"}
    raw["labs"]["bilirubin"]["uln"] = 21
    return plan_of(rules, raw)


@pytest.mark.parametrize(("bilirubin", "action"), [(4.9, "reduce"), (5.2, "hold"), (7.0, "hold")])
def test_doxorubicin_restarts_at_the_organ_row_of_the_standard(rules, bilirubin, action):
    # USPI: 3.1-5 mg/dL 25 % (of the full 60: 15); > 5 mg/dL contraindicated: held, and once
    # it falls the 3.1-5 row gives 15 — the held dose is that, never 25 % of her start (12.5)
    row = drug_of(doxorubicin_at(rules, bilirubin)["next_cycle"], "doxorubicin")
    assert (row["action"], row["dose"]["value"]) == (action, 15.0)


def test_baseline_only_rows_are_left_to_a_cycle_table_that_reads_the_same_results(rules):
    # KADCYLA "not studied with baseline bilirubin > 1.5 x ULN": on treatment its own bilirubin
    # and transaminase rows decide; a band marked so must have such rows to hand over to
    names = {
        "bilirubin_x_uln": "blood_bilirubin_increased",
        "bilirubin_mg_dl": "blood_bilirubin_increased",
        "transaminases_x_uln": "alanine_aminotransferase_increased",
        "ast_x_uln": "aspartate_aminotransferase_increased",
        "alt_x_uln": "alanine_aminotransferase_increased",
    }
    marked = [
        (drug, band)
        for drug, table in rules.doses.drugs.items()
        for band in table.bands
        if band.baseline_only
    ]
    assert marked
    for drug, band in marked:
        rows = rules.cycle.rules.get(drug, ())
        for condition in band.when:
            assert names[condition.measure] in {t for r in rows for t in r.terms}, (drug, band.id)


def test_the_cycle_sheet_prints_no_eribulin_dose_in_child_pugh_c(rules):
    from planner.services import printing

    raw = raw_of("T04")
    raw["labs"]["bilirubin"]["value"] = 60
    raw["labs"]["albumin"]["value"] = 26
    plan = plan_of(rules, raw)
    pdf = printing.export_plan_pdf(raw, plan)
    printed = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages
    )
    assert "1.4 mg/m" not in printed.replace("1.4 → 1.1", "")
    assert "Child-Pugh C: not studied" in printed
