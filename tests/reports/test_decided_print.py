"""What the clinician section prints of a drug row: the loading dose (contract §3a) beside the
maintenance dose, and a clinician's change beside the suggestion it replaced."""

from __future__ import annotations

from planner.domain.decision import Decision, DoseChange, decided_plan


def _clinician_text(render, page_texts, plan) -> str:
    pages = page_texts(render(plan, audience="clinician"))
    clinician = ("Clinician section", "Evidence appendix")  # the decision and its evidence
    return " ".join(" ".join(p.split()) for p in pages if any(part in p for part in clinician))


def test_a_loading_dose_is_printed_as_the_first_cycles_dose(fixture_plan, render, page_texts):
    plan = fixture_plan()
    drug = plan["options"][0]["drugs"][0]
    drug["loading_dose"] = {"value": 8, "unit": "mg/kg"}
    drug["loading_absolute_dose"] = {"value": 432, "unit": "mg"}
    text = _clinician_text(render, page_texts, plan)
    assert "cycle 1 (loading): 8 mg/kg" in text
    assert "cycle 1: 432 mg" in text


def test_a_changed_dose_prints_with_the_suggestion_and_the_reason(fixture_plan, render, page_texts):
    plan = fixture_plan()
    option = plan["options"][0]
    drug = option["drugs"][0]
    decision = Decision(
        "option",
        option["regimen"],
        "frail",
        "Dr A",
        "2026-11-20T10:00",
        dose_changes=(DoseChange(drug["drug"], 200, drug["dose"]["unit"], "diarrhoea before"),),
    )
    text = _clinician_text(
        render, page_texts, decided_plan({**plan, "decision": decision.to_json()})
    )
    assert "Dose changed by the clinician (suggested 400 mg): diarrhoea before" in text
    assert "200 mg" in text
