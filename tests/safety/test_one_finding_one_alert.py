"""One finding, one alert. A medicine she takes against a drug the plan suggests is the medicine
review's finding (alert `medicine_interaction`, and her medicine's action); the supportive
part's `drug_interaction` (suggested drugs against each other and the cancer drugs) and
`current_medicine_review` (her medicine against today's findings) do not say it again."""

from __future__ import annotations

import json
from pathlib import Path

from planner.services import case_commands

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "example.json"
SAID_BY = ("drug_interaction", "medicine_interaction", "current_medicine_review")


def _plan(medicine: str, **labs) -> dict:
    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    raw["medications"] = [{"drug": medicine, "route": "oral"}]
    for name, value in labs.items():
        raw["labs"][name]["value"] = value
    return case_commands.make_plan(raw)


def _saying(plan: dict, *words: str) -> list[str]:
    """The codes of the alerts with a reason naming all `words`."""
    return [
        a["code"]
        for a in plan["alerts"]
        if a["code"] in SAID_BY and any(all(w in r for w in words) for r in a.get("reasons") or ())
    ]


def test_her_tramadol_with_a_suggested_ssri_is_said_once():
    plan = _plan("tramadol", creatinine=250)  # sertraline suggested for the itch
    assert "sertraline" in json.dumps(plan["supportive"])
    assert _saying(plan, "tramadol", "sertraline") == ["medicine_interaction"]
    tramadol = next(m for m in plan["medications"] if m["drug"] == "tramadol")
    assert any("serotonin" in r for r in tramadol["reasons"])
    # her tramadol at CrCl below 30 is another finding (today's kidney), said once, its own way
    assert _saying(plan, "tramadol (taken now)", "CrCl") == ["current_medicine_review"]


def test_her_naltrexone_with_the_suggested_opioids_is_said_once():
    plan = _plan("naltrexone")
    assert _saying(plan, "naltrexone") == ["medicine_interaction"]


def test_a_pair_only_the_supportive_table_knows_stays_its_flag():
    # opioid with her benzodiazepine: no row of the interaction table, the CNS-depressant flag
    plan = _plan("lorazepam")
    assert _saying(plan, "lorazepam") == ["drug_interaction"]
