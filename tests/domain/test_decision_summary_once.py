"""Nurse16 re-walk, item 4: the decision banner repeated itself, "capecitabine 1000 mg/m²;
capecitabine 1000 mg/m² (reason). Why: reason": the option's words were replaced by the last
drug change's, and the change's reason repeated the decision's."""

from __future__ import annotations

from planner.domain.decision import Decision, DoseChange, HeldDrug, decision_summary

PLAN = {
    "options": [
        {
            "regimen": "capecitabine",
            "rank": 1,
            "name": "Capecitabine",
            "drugs": [{"drug": "capecitabine", "dose": {"value": 1250, "unit": "mg/m2"}}],
        }
    ]
}


def _summary(decision: Decision) -> str:
    return decision_summary({**PLAN, "decision": decision.to_json()})


def test_the_option_and_each_change_are_said_once():
    reason = "hand-foot syndrome before"
    summary = _summary(
        Decision(
            "option",
            "capecitabine",
            reason,
            "Dr T",
            "2026-12-07T04:00",
            dose_changes=(DoseChange("capecitabine", 1000, "mg/m2", reason),),
        )
    )
    assert "Capecitabine (suggested 1)" in summary
    assert summary.count("1000") == 1
    assert summary.count(reason) == 1  # once, after "Why:"
    assert summary.endswith(f"Why: {reason}")


def test_a_change_with_its_own_reason_keeps_it():
    summary = _summary(
        Decision(
            "option",
            "capecitabine",
            "frail",
            "Dr T",
            "2026-12-07T04:00",
            dose_changes=(DoseChange("capecitabine", 1000, "mg/m2", "diarrhoea before"),),
        )
    )
    assert "(diarrhoea before)" in summary
    assert "Capecitabine (suggested 1)" in summary


def test_a_held_drug_is_said_once():
    summary = _summary(
        Decision(
            "option",
            "capecitabine",
            "mucositis",
            "Dr T",
            "2026-12-07T04:00",
            held=(HeldDrug("capecitabine", "mucositis"),),
        )
    )
    assert summary.count("capecitabine held") == 1
    assert summary.count("mucositis") == 1
