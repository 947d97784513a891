"""Issue 20 item 6: a first visit prints one to six pages, and the clinician's page 1 is the whole
decision — who, the liver and kidney in words, the decided option with each drug's dose, every
alert (critical first), referrals, next review. The evidence behind it is an appendix printed
when asked, and page 1 says it exists and how long it is. Read back with pypdf."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from planner.domain.decision import Decision, DoseChange, HeldDrug, decided_plan
from planner.domain.plan_words import clinician_words, units_in_words
from planner.services import case_commands, printing

CASES = Path(__file__).resolve().parents[1] / "data" / "cases"
FIRST_VISITS = [
    "example.json",
    "review/14_child_pugh_c_ecog3_best_supportive_care.json",  # supportive care leads
    "review/19_phq9_item9_positive_bone_metastases_must_high.json",  # a critical alert
]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pages(pdf: bytes) -> list[str]:
    return [_flat(page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages]


def _case(name: str) -> dict[str, Any]:
    return json.loads((CASES / name).read_text(encoding="utf-8"))


def _alert_words(alert: dict[str, Any]) -> str:
    return _flat(clinician_words(alert["message"]))


def _page_1(pages: list[str]) -> str:
    assert "Clinician section · page 1 of" in pages[0]
    return pages[0]


@pytest.fixture(scope="module", params=FIRST_VISITS)
def first_visit(request) -> tuple[dict, dict, list[str]]:
    raw = _case(request.param)
    plan = case_commands.make_plan(raw)
    return raw, plan, _pages(printing.export_plan_pdf(raw, plan, invariant=True))


def test_a_first_visit_prints_one_to_six_pages(first_visit):
    _, _, pages = first_visit
    assert 1 <= len(pages) <= 6
    clinician = [p for p in pages if "Clinician section · page" in p]
    # misc23: the example carries five supportive interaction flags; in full in the page-1 alert
    # they moved the signature lines to page 2 and the monitoring list to a third page. print24:
    # one line a pair on page 1, the signature under the decision: page 1 holds both again
    # (the cautions, symptom lines and monitoring of the example still run onto pages 2-3)
    assert 1 <= len(clinician) <= 3
    assert "Reviewed and decided by (name, role)" in clinician[0]
    # the evidence and the slips are printed when asked, not by default
    assert not any("Evidence appendix · page" in p or "References · page" in p for p in pages)
    assert not any("Referral slip · page" in p for p in pages)
    assert any("Booklet · page" in p for p in pages)


def _pair_lines(plan: dict[str, Any], alert: dict[str, Any]) -> list[str]:
    """print24: an interaction alert on page 1 is its pairs, each with what to do."""
    if alert["code"] == "drug_interaction":
        return [
            f"{', '.join(f['supportive'])} with {', '.join(f['with'])}: {f['what_to_do']}"
            for f in plan["interactions"]
            if f["message"] in alert["reasons"]
        ]
    return []


def test_page_1_has_every_alert_critical_first(first_visit):
    _, plan, pages = first_visit
    page_1 = _page_1(pages)
    assert plan["alerts"]
    for alert in plan["alerts"]:
        pairs = _pair_lines(plan, alert)
        if pairs:
            assert _flat(alert["message"].split(" — ", 1)[0]) in page_1
            for pair in pairs:
                assert _flat(pair) in page_1, pair
        else:
            assert _alert_words(alert) in page_1, alert["code"]
    levels = re.findall(r"\b(CRITICAL|Warning|Note)\b", page_1.split("Alerts", 1)[1])
    order = {"CRITICAL": 0, "Warning": 1, "Note": 2}
    assert [order[level] for level in levels] == sorted(order[level] for level in levels)


def test_page_1_says_who_liver_kidney_referrals_and_review(first_visit):
    raw, plan, pages = first_visit
    page_1 = _page_1(pages)
    assert raw["patient"]["mrn"] in page_1
    assert raw["patient"]["family_name"] in page_1
    assert re.search(r"\d+ y \(born ", page_1)
    assert f"Child–Pugh class {plan['hepatic']['child_pugh']['class']}" in page_1
    assert f"ODWG {plan['hepatic']['odwg']}" in page_1
    assert "creatinine clearance" in page_1
    assert "Referrals" in page_1
    assert "Next review" in page_1


def test_page_1_says_the_evidence_appendix_and_its_length(first_visit):
    raw, plan, pages = first_visit
    whole = _pages(printing.export_plan_pdf(raw, plan, invariant=True, evidence=True))
    appendix = [p for p in whole if "Evidence appendix · page" in p or "References · page" in p]
    assert appendix
    assert f"Evidence appendix: {len(appendix)} pages, printed when asked" in _page_1(pages)


def test_the_suggestion_is_printed_as_not_yet_decided_with_its_doses():
    raw = _case("example.json")
    plan = case_commands.make_plan(raw)
    page_1 = _page_1(_pages(printing.export_plan_pdf(raw, plan, invariant=True)))
    first = min(plan["options"], key=lambda o: o["rank"])
    assert f"Not yet decided — suggestion: {first['name']}" in page_1
    for drug in first["drugs"]:
        # each drug's dose with its arithmetic, on page 1
        assert _flat(units_in_words(drug["absolute_dose"]["text"])) in page_1, drug["drug"]


def test_the_decided_dose_not_the_suggestion_is_on_page_1():
    """An override: the clinician's dose is printed on page 1, beside the suggestion it replaced
    (never the suggestion as if it were given)."""
    raw = _case("example.json")
    suggestion = case_commands.make_plan(raw)
    option = min(suggestion["options"], key=lambda o: o["rank"])
    drug = next(d for d in option["drugs"] if d["drug"] == "capivasertib")
    assert drug["dose"] == {"value": 400, "unit": "mg"}
    decision = Decision(
        "option",
        option["regimen"],
        "hyperglycaemia on an earlier PI3K inhibitor",
        "Dr N. Yusupova, oncologist",
        "2026-11-20T10:30",
        dose_changes=(DoseChange("capivasertib", 320, "mg", "start one level lower"),),
    )
    plan = decided_plan({**suggestion, "decision": decision.to_json()})
    pages = _pages(printing.export_plan_pdf(raw, plan, invariant=True))
    page_1 = _page_1(pages)
    assert f"Plan as decided: {option['name']}" in page_1
    line = page_1.split("Capivasertib Suggested", 1)[1].split("•", 1)[0]
    assert "400 mg → changed by Dr N. Yusupova, oncologist to 320 mg" in line
    assert "320 mg" in page_1.split("Alerts")[0]
    assert not re.search(r"Capivasertib 400 mg\b", page_1)  # the suggestion is not the dose
    assert "Dr N. Yusupova, oncologist" in page_1.split("Signed", 1)[1]
    # the clinician's dose reaches every part; the suggestion's dose none
    assert not any(re.search(r"capivasertib 400 mg", p, re.I) for p in pages)


def test_supportive_care_first_gives_no_dose_and_keeps_the_stops_on_page_1():
    raw = _case("review/14_child_pugh_c_ecog3_best_supportive_care.json")
    plan = case_commands.make_plan(raw)
    page_1 = _page_1(_pages(printing.export_plan_pdf(raw, plan, invariant=True)))
    assert "Suggested: best supportive care. Not yet decided" in page_1
    assert not re.search(r"\d\s*mg/(?:m²|m2|kg)\b", page_1)  # no option dose: none is given
    for avoid in plan["avoid"]:  # the stops are on the decision, not in an optional part
        assert avoid["drug"].capitalize() in page_1.split("Do not give", 1)[1]


def test_the_evidence_appendix_is_asked_for_with_the_decision_only():
    raw = _case("example.json")
    plan = case_commands.make_plan(raw)
    with pytest.raises(ValueError, match="evidence appendix"):
        printing.export_plan_pdf(raw, plan, audience="patient", evidence=True)


def test_a_changed_dose_with_a_held_partner_reads_as_decided_and_says_it_once():
    """Walk 16d: after abemaciclib 150 -> 100 mg with letrozole held, page 1 printed
    "(100 mg = 100 mg) · standard" (the suggestion's status), the schedule "with endocrine
    therapy" with no word that the partner is held, the reason three times, and "Could not
    decide: previous cancer treatment" though the decider had confirmed none."""
    raw = _case("example.json")
    del raw["disease"]["prior_therapy"]  # not recorded: the options rest on "none"
    suggestion = case_commands.make_plan(raw)
    option = min(suggestion["options"], key=lambda o: o["rank"])
    assert {d["drug"] for d in option["drugs"]} == {"letrozole", "ribociclib"}
    reason = "Child-Pugh B: ribociclib one level lower, letrozole after the liver review"
    decision = Decision(
        "option",
        option["regimen"],
        reason,
        "Dr N. Yusupova, oncologist",
        "2026-11-20T10:30",
        dose_changes=(DoseChange("ribociclib", 400, "mg", reason),),
        held=(HeldDrug("letrozole", reason),),
        prior_therapy_confirmed_none=True,
    )
    plan = decided_plan({**suggestion, "decision": decision.to_json()})
    pages = _pages(printing.export_plan_pdf(raw, plan, invariant=True))
    page_1 = _page_1(pages)
    line = page_1.split("Ribociclib Suggested", 1)[1].split("•", 1)[0]
    assert "400 mg = 400 mg" not in line
    assert "standard" not in line
    assert "Letrozole held — Ribociclib is given without it for now" in page_1
    assert " ".join(pages).count(reason) == 1
    assert "Could not decide: previous cancer treatment" not in " ".join(pages)
