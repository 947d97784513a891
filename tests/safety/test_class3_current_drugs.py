"""Issue #15, defect class 3: a drug the patient is on now is re-checked at today's findings.

Each `prior_therapy[]` drug with `reason_stopped: "ongoing"` goes through the same "givable
today" pass as the plan's options; a stop raises `current_therapy_contraindicated` (critical)
naming the drug and the reason, and `avoid[].reason` leads with the organ-function finding.
"""

from __future__ import annotations

from typing import Any

import pytest

from planner.domain.engine import build_plan
from planner.domain.settings import ClinicSettings
from planner.services import case_commands

CODE = "current_therapy_contraindicated"


def plan(rules, raw: dict[str, Any]) -> dict[str, Any]:
    checked = case_commands.check_case(raw, rules)
    return build_plan(checked.case, checked.doubts, rules, ClinicSettings()).to_json()


def on(raw: dict[str, Any], drugs: list[str], reason: str = "ongoing") -> dict[str, Any]:
    raw["disease"]["prior_therapy"] = [
        {
            "drugs": drugs,
            "setting": "metastatic",
            "started_on": "2026-06-01",
            "ended_on": None,
            "reason_stopped": reason,
        }
    ]
    return raw


def alert(document: dict[str, Any]) -> dict[str, Any] | None:
    return next((a for a in document["alerts"] if a["code"] == CODE), None)


# 58 years, female, 54 kg: creatinine 185 µmol/L = CrCl 25.0 mL/min; 150 µmol/L = 30.8 mL/min
@pytest.mark.parametrize(("creatinine", "stopped"), [(185, True), (150, False)])
def test_ongoing_capecitabine_with_low_crcl(rules, example_raw, creatinine, stopped):
    raw = on(example_raw, ["capecitabine"])
    raw["labs"]["creatinine"]["value"] = creatinine
    document = plan(rules, raw)
    found = alert(document)
    avoided = {a["drug"]: a["reason"] for a in document["avoid"]}
    if not stopped:
        assert found is None
        assert "capecitabine" not in avoided
        return
    assert found is not None
    assert found["level"] == "critical"
    assert "capecitabine" in found["message"]
    assert "CrCl 25 mL/min < 30" in found["message"]
    assert found["basis"], "the alert cites the rule"
    # critical alerts come first, and this one is among them
    levels = [a["level"] for a in document["alerts"]]
    assert levels == sorted(levels, key=("critical", "warning", "info").index)
    # the avoid entry names the kidney first, not an interaction
    assert avoided["capecitabine"].startswith("CrCl 25 mL/min < 30")


def test_ongoing_drug_with_a_count_below_its_floor(rules, example_raw):
    raw = on(example_raw, ["paclitaxel"])
    raw["labs"]["anc"]["value"] = 1.2
    found = alert(plan(rules, raw))
    assert found is not None
    assert "paclitaxel" in found["message"]
    assert "neutrophils 1.2" in found["message"]


def test_ongoing_sacituzumab_in_moderate_hepatic_impairment(rules, example_raw):
    raw = on(example_raw, ["sacituzumab govitecan"])  # the example: bilirubin 1.67 × ULN
    found = alert(plan(rules, raw))
    assert found is not None
    assert "sacituzumab govitecan" in found["message"]
    assert "bilirubin 1.67 × ULN > 1.5" in found["message"]


@pytest.mark.parametrize("reason", ["progression", "toxicity", "completed", "patient_choice"])
def test_a_stopped_drug_raises_no_current_therapy_alert(rules, example_raw, reason):
    raw = on(example_raw, ["capecitabine"], reason)
    raw["labs"]["creatinine"]["value"] = 185
    assert alert(plan(rules, raw)) is None


def test_ongoing_drugs_that_are_givable_raise_nothing(rules, example_raw):
    raw = on(example_raw, ["letrozole", "palbociclib"])
    assert alert(plan(rules, raw)) is None


def test_every_stopped_current_drug_is_named(rules, example_raw):
    raw = on(example_raw, ["capecitabine", "docetaxel"])  # docetaxel: bilirubin > ULN (US)
    raw["labs"]["creatinine"]["value"] = 185
    found = alert(plan(rules, raw))
    assert found is not None
    assert "capecitabine" in found["message"]
    assert "docetaxel" in found["message"]
    assert len(found["reasons"]) == 2


def test_an_anticancer_drug_among_current_medications_is_checked_too(rules, example_raw):
    example_raw["disease"]["prior_therapy"] = []
    example_raw["medications"] = [{"drug": "capecitabine", "route": "oral"}]
    example_raw["labs"]["creatinine"]["value"] = 185
    found = alert(plan(rules, example_raw))
    assert found is not None
    assert "capecitabine" in found["message"]
    # a supportive medicine is not an anticancer drug: not re-checked here
    example_raw["medications"] = [{"drug": "paracetamol", "route": "oral"}]
    assert alert(plan(rules, example_raw)) is None
