"""Nurse16 re-walk, item 5: a changed dose read as if nothing changed: the Adapted column showed
the doctor's 1000 mg/m² as the program's "(80 %)", and the arithmetic said "clinician's dose
1000 mg/m² × 1.61 (as suggested) = 1610 mg". The suggestion and the clinician's dose are shown
as different; the arithmetic is the decided dose times the body surface area."""

from __future__ import annotations

import json
from pathlib import Path

from planner.domain.decision import Decision, DoseChange, decided_plan
from planner.services.case_commands import make_plan

CASE = Path(__file__).resolve().parents[1] / "data" / "cases" / "example.json"


def _option_per_m2(plan):
    for option in plan["options"]:
        for drug in option["drugs"]:
            dose = drug.get("dose") or {}
            if dose.get("unit") == "mg/m2" and drug.get("absolute_dose"):
                return option, drug
    raise AssertionError("the example has an option dosed per m²")


def test_the_changed_dose_is_shown_beside_the_suggestion(render, page_texts):
    plan = make_plan(json.loads(CASE.read_text(encoding="utf-8")))
    option, drug = _option_per_m2(plan)
    suggested = drug["dose"]["value"]
    new = round(suggested * 0.8)
    factor = drug["absolute_dose"]["value"] / suggested
    decision = Decision(
        "option",
        option["regimen"],
        "frail: start lower",
        "Dr T",
        "2026-12-07T04:00",
        dose_changes=(DoseChange(drug["drug"], new, "mg/m2", "frail: start lower"),),
    )
    decided = decided_plan({**plan, "decision": decision.to_json()})
    row = next(
        d
        for o in decided["options"]
        if o.get("chosen")
        for d in o["drugs"]
        if d["drug"] == drug["drug"]
    )
    arithmetic = row["absolute_dose"]["text"]
    assert "as suggested" not in arithmetic
    assert "clinician's dose" not in arithmetic
    assert arithmetic == f"{new:g} mg/m² × {factor:g} m2 = {row['absolute_dose']['value']:g} mg"
    flat = " ".join(" ".join(page_texts(render(decided, audience="clinician"))).split())
    assert f"Suggested {suggested:g} mg/m² → changed by Dr T to {new:g} mg/m²" in flat
    assert "as suggested) =" not in flat
