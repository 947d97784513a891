"""Alerts, interaction warnings and monitoring about a cancer drug follow the plan's course
(planner.domain.decision.plan_course): where supportive care leads no cancer drug is given, so
nothing warns about giving one; where an option is decided, only that option's drugs count."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from planner.domain.decision import Decision, HeldDrug, decided_plan
from planner.services import case_commands, printing

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "example.json"
CARBAMAZEPINE = {
    "drug": "carbamazepine",
    "dose": {"value": 200, "unit": "mg"},
    "route": "oral",
    "frequency": "twice daily",
    "indication": "neuropathic pain",
}


def _case(ecog: int) -> dict:
    """The example (itch: rifampicin suggested; everolimus among the options) with a strong
    CYP3A inducer she takes now."""
    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    raw["clinical"]["ecog"] = ecog
    raw["medications"] = [CARBAMAZEPINE]
    return raw


def _words(value):
    """What a reader sees: every value but the citations (`basis`: rule and source ids)."""
    if isinstance(value, dict):
        return {k: _words(v) for k, v in value.items() if k != "basis"}
    if isinstance(value, list):
        return [_words(v) for v in value]
    return value


def _printed(plan: dict) -> str:
    """Every alert, interaction and medicine line of the plan as printed (decided)."""
    return json.dumps(
        _words(
            {
                k: plan.get(k)
                for k in (
                    "alerts",
                    "interactions",
                    "supportive",
                    "medications",
                    "medication_findings",
                )
            }
        ),
        ensure_ascii=False,
    )


def _decide(plan: dict, decision: Decision) -> dict:
    return decided_plan({**plan, "decision": decision.to_json()})


@pytest.fixture(scope="module")
def not_appropriate():
    raw = _case(ecog=3)
    plan = case_commands.make_plan(raw)
    assert plan["systemic_therapy"]["appropriate"] is False
    # the engine checked every option (a clinician may still decide one) ...
    assert "rifampicin with everolimus" in json.dumps(plan["interactions"])
    return raw, plan


def test_supportive_care_leads_no_warning_about_a_cancer_drug(not_appropriate):
    _, plan = not_appropriate
    printed = _printed(decided_plan(plan))
    options = {d["drug"] for o in plan["options"] for d in o["drugs"]}
    for drug in ("everolimus", "tamoxifen", "capivasertib", "alpelisib"):
        assert drug in options
        assert drug not in printed, drug


def test_supportive_care_leads_her_medicine_is_not_changed_for_a_drug_not_given(not_appropriate):
    _, plan = not_appropriate
    engine = next(m for m in plan["medications"] if m["drug"] == "carbamazepine")
    assert engine["action"] == "change"  # against the options' CYP3A-cleared drugs
    printed = decided_plan(plan)
    carbamazepine = next(m for m in printed["medications"] if m["drug"] == "carbamazepine")
    assert carbamazepine["action"] == "continue"
    assert not any(a["code"] == "medicine_interaction" for a in printed["alerts"])


def test_supportive_care_leads_the_pdf_names_no_interaction_with_a_cancer_drug(not_appropriate):
    raw, plan = not_appropriate
    pdf = printing.export_plan_pdf(raw, plan)
    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert "rifampicin with everolimus" not in text
    assert "carbamazepine (among strong CYP3A inducers); alpelisib" not in text


def test_decided_best_supportive_care_drops_them_too():
    plan = case_commands.make_plan(_case(ecog=1))
    assert plan["systemic_therapy"]["appropriate"] is True
    assert "rifampicin with everolimus" in _printed(decided_plan(plan))  # every option a choice
    decided = _decide(
        plan, Decision("supportive_care", None, "her wish", "Dr A", "2026-11-20T10:00")
    )
    assert "everolimus" not in _printed(decided)


def test_a_decided_option_keeps_only_its_own_drugs():
    plan = case_commands.make_plan(_case(ecog=1))
    decided = _decide(
        plan,
        Decision("option", "everolimus_exemestane", "discussed", "Dr A", "2026-11-20T10:00"),
    )
    printed = _printed(decided)
    # its rank: after the options that need no change of carbamazepine (AFINITOR: avoid, rx21 F5)
    rank = next(o["rank"] for o in plan["options"] if o["regimen"] == "everolimus_exemestane")
    # rifampicin and carbamazepine against everolimus: still said, and only against it
    assert "rifampicin with everolimus:" in printed
    assert "rifampicin with everolimus, tamoxifen" not in printed
    assert f"carbamazepine (among strong CYP3A inducers); everolimus (option {rank}" in printed
    for gone in ("capivasertib", "alpelisib", "tamoxifen (option", "option 1:"):
        assert gone not in printed, gone
    carbamazepine = next(m for m in decided["medications"] if m["drug"] == "carbamazepine")
    assert carbamazepine["action"] == "change"
    alert = next(a for a in decided["alerts"] if a["code"] == "medicine_interaction")
    assert alert["reasons"] == carbamazepine["reasons"]
    assert alert["message"].endswith(alert["reasons"][-1])


def test_a_held_drug_is_not_given_either():
    plan = case_commands.make_plan(_case(ecog=1))
    decided = _decide(
        plan,
        Decision(
            "option",
            "everolimus_exemestane",
            "discussed",
            "Dr A",
            "2026-11-20T10:00",
            held=(HeldDrug("everolimus", "mouth ulcers"),),
        ),
    )
    alerts = json.dumps(decided["alerts"])
    rank = next(o["rank"] for o in plan["options"] if o["regimen"] == "everolimus_exemestane")
    # no interaction against the held drug; exemestane's own (AROMASIN with a strong inducer,
    # rx20 F7) still names the regimen it is in ("option 13: everolimus_exemestane")
    assert "everolimus (option" not in alerts
    assert "with everolimus" not in alerts
    assert f"exemestane (option {rank}: everolimus_exemestane)" in alerts
    assert "rifampicin with everolimus" not in json.dumps(decided["interactions"])


def test_a_drug_she_is_on_now_keeps_its_warnings():
    raw = _case(ecog=3)
    raw["disease"]["prior_therapy"].append(
        {
            "drugs": ["tamoxifen"],
            "setting": "metastatic",
            "started_on": "2026-10-05",
            "reason_stopped": "ongoing",
        }
    )
    plan = case_commands.make_plan(raw)
    assert "tamoxifen" in plan["current_therapy"]
    printed = _printed(decided_plan(plan))
    assert "rifampicin with tamoxifen" in printed
    assert "everolimus" not in printed
