"""Issue 15, defect class 5: best supportive care is what the plan leads with.

When systemic therapy is judged not appropriate (Child–Pugh C, ECOG 3), or the clinician decides
best supportive care, EVERY printed part leads with supportive care: clinician page 1 (the
options listed after it, for the clinician only, marked "not advised", with no dose), the booklet
(no cancer drug, no dose), each referral slip (never "under consideration"). And a gap is not a
decision: a test result not recorded never turns into comfort-care wording.

Each check reads the plan JSON and the PDF's text back (pypdf), part by part.
"""

from __future__ import annotations

import copy
import io
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from planner.domain.decision import Decision, decided_plan, plan_course
from planner.services import case_commands, printing

CASES = Path(__file__).resolve().parents[1] / "data" / "cases"
PART_MARKS = {
    "clinician": "Clinician section · page",
    "evidence": "Evidence appendix · page",
    "references": "References · page",
    "booklet": "Booklet · page",
    "slip": "Referral slip",
}


def _example() -> dict:
    return json.loads((CASES / "example.json").read_text(encoding="utf-8"))


def _child_pugh_c_ecog_3() -> dict:
    raw = _example()
    raw["clinical"].update(ecog=3, ascites="moderate_severe")
    raw["labs"]["bilirubin"]["value"] = 60  # µmol/L, 2.9 × ULN
    raw["labs"]["albumin"]["value"] = 25
    raw["labs"]["inr"]["value"] = 1.8
    return raw


def _her2_ish_not_recorded_wants_treatment() -> dict:
    raw = _example()
    raw["biology"].update(er_percent=0, pr_percent=0, her2_ihc="2+", her2_ish=None)
    raw["preferences"]["declines_chemotherapy"] = False
    return raw


def _parts(pdf: bytes) -> dict[str, list[str]]:
    """Page texts by part (clinician, booklet, slip), in order."""
    out: dict[str, list[str]] = {part: [] for part in PART_MARKS}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        text = page.extract_text() or ""
        part = next((p for p, mark in PART_MARKS.items() if mark in text), None)
        assert part is not None, text[:200]
        out[part].append(text)
    return out


def _flat(text: str) -> str:
    return " ".join(text.split())


def _render(raw: dict, plan: dict, audience: str = "both") -> dict[str, list[str]]:
    """Every part: the decision with its evidence appendix, the booklet and the slips."""
    whole = audience != "patient"
    pdf = printing.export_plan_pdf(
        raw, plan, audience=audience, invariant=True, evidence=whole, slips=whole
    )
    parts = _parts(pdf)
    # one text per slip (two to a sheet)
    parts["slip"] = [
        "Referral to " + slip for page in parts["slip"] for slip in page.split("Referral to ")[1:]
    ]
    return parts


def _dosed_drugs(plan: dict) -> set[str]:
    return {d["drug"] for o in plan["options"] for d in o["drugs"] if d.get("dose")}


def _assert_no_option_doses(text: str, plan: dict) -> None:
    """No option drug is printed with an amount after it, nor any per-m²/per-kg/AUC dose (the
    numbered references, titles of papers, are not doses and are left out)."""
    flat = _flat(text).split("Each number is one primary document")[0]
    assert not re.search(r"\d\s*mg/(?:m²|m2|kg)\b|\bAUC\s*\d", flat), flat[:400]
    for drug in _dosed_drugs(plan):
        found = re.search(rf"(?i){re.escape(drug)}\W[^.]{{0,25}}?\d+(?:\.\d+)?\s*mg\b", flat)
        assert found is None, found and found.group(0)


@pytest.fixture(scope="module")
def not_appropriate():
    raw = _child_pugh_c_ecog_3()
    plan = case_commands.make_plan(raw)
    return raw, plan, _render(raw, plan)


def test_json_says_supportive_care_leads(not_appropriate):
    _, plan, _ = not_appropriate
    assert plan["hepatic"]["child_pugh"]["class"] == "C"
    assert plan["systemic_therapy"]["appropriate"] is False
    assert plan["options"], "the options stay, for the clinician"
    assert all(o["not_appropriate"] for o in plan["options"])
    assert plan_course(plan).supportive_care_first


def test_clinician_page_1_leads_with_supportive_care_and_prints_no_option_dose(not_appropriate):
    _, plan, parts = not_appropriate
    first = _flat(parts["clinician"][0])
    assert "Suggested: best supportive care" in first
    assert "Systemic therapy options (ranked)" not in first
    assert "Absolute dose (arithmetic)" not in first
    assert "1. Capivasertib" not in first
    whole = _flat(" ".join(parts["clinician"] + parts["evidence"]))
    # Supportive care (the quality-of-life table) comes before the options, which are marked.
    assert whole.index("Quality of life") < whole.index("not advised now")
    assert f"Not advised 1: {plan['options'][0]['name']}" in whole
    assert "Monitoring and follow-up" in whole
    assert "PI3K/AKT" not in whole  # no monitoring for drugs the plan does not give
    _assert_no_option_doses(whole, plan)


def test_booklet_leads_with_supportive_care_and_names_no_cancer_drug(not_appropriate):
    _, plan, parts = not_appropriate
    booklet = _flat(" ".join(parts["booklet"]))
    assert booklet.index("Your care now") < booklet.index("When to call us")
    assert "helping you feel as well as you can" in booklet
    for drug in {d["drug"] for o in plan["options"] for d in o["drugs"]}:
        assert drug.lower() not in booklet.lower(), drug
    _assert_no_option_doses(booklet, plan)


def test_every_slip_says_supportive_care_never_under_consideration(not_appropriate):
    _, plan, parts = not_appropriate
    assert len(parts["slip"]) == len(plan["referrals"]) > 0
    for slip in parts["slip"]:
        text = _flat(slip)
        assert "Care plan best supportive care" in text
        assert "under consideration" not in text
        _assert_no_option_doses(text, plan)


def test_patient_only_print_leads_with_supportive_care_too(not_appropriate):
    raw, plan, _ = not_appropriate
    parts = _render(raw, plan, audience="patient")
    assert not parts["clinician"]
    booklet = _flat(" ".join(parts["booklet"]))
    assert booklet.index("Your care now") < booklet.index("When to call us")
    assert all("Care plan best supportive care" in _flat(slip) for slip in parts["slip"])


def test_a_decision_for_supportive_care_leads_every_part_and_is_signed():
    raw = _example()
    suggestion = case_commands.make_plan(raw)
    assert suggestion["systemic_therapy"]["appropriate"] is True
    decision = Decision(
        course="supportive_care",
        regimen=None,
        reason="she chooses comfort care after discussion",
        decided_by="Dr N. Yusupova, oncologist",
        decided_at="2026-11-20T10:30",
    )
    plan = decided_plan({**suggestion, "decision": decision.to_json()})
    parts = _render(raw, plan)
    first = _flat(parts["clinician"][0])
    assert "Plan as decided: best supportive care" in first
    assert "Dr N. Yusupova, oncologist" in first
    assert "Systemic therapy options (ranked)" not in first
    _assert_no_option_doses(" ".join(parts["clinician"] + parts["evidence"]), plan)
    booklet = _flat(" ".join(parts["booklet"]))
    assert "You will not have medicine to treat the cancer for now" in booklet
    assert "capivasertib" not in booklet.lower()
    for slip in parts["slip"]:
        assert "decided by Dr N. Yusupova" in _flat(slip)
        assert "under consideration" not in slip


def test_a_gap_is_not_a_decision_for_comfort():
    """HER2 ISH not recorded, the patient wants treatment: no option can be suggested yet, and
    the booklet says the team is still planning, never that it wants to focus on comfort."""
    raw = _her2_ish_not_recorded_wants_treatment()
    plan = case_commands.make_plan(raw)
    assert plan["systemic_therapy"]["appropriate"] is True
    assert not plan["options"]
    assert any(g["field"] == "biology.her2_ish" for g in plan["gaps"])
    assert plan_course(plan).leads == "undecided"
    parts = _render(raw, plan)
    booklet = _flat(" ".join(parts["booklet"]))
    assert "still planning your cancer treatment" in booklet
    assert "focus on comfort" not in booklet
    assert "Your care now" not in booklet
    assert "helping you feel as well as you can" not in booklet
    clinician = _flat(" ".join(parts["clinician"]))
    assert "A missing result is not a decision" in clinician
    assert "best supportive care" not in clinician.lower()
    for slip in parts["slip"]:
        assert "best supportive care" not in slip.lower()
        assert "not yet decided" in _flat(slip)


def test_the_suggestion_kept_in_the_record_is_unchanged_by_the_decision():
    suggestion = case_commands.make_plan(_example())
    kept = copy.deepcopy(suggestion)
    decision = Decision("supportive_care", None, "her wish", "Dr A", "2026-11-20T10:00")
    decided_plan({**kept, "decision": decision.to_json()})
    assert kept == suggestion
