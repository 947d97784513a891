"""The cycle review passes every drug through the first plan's organ-function check (issue 19,
independent review case 02): a label's "do not give" at today's liver or kidney function stops the
drug with the reason; a reduced organ-function dose caps the cycle's dose (the lower of the
toxicity step's and the organ function's). Capecitabine: Xeloda US PI §2.5 / EU SmPC §4.2-4.3
(CrCl 30-50 mL/min: 75 % of the starting dose; < 30 mL/min: contraindicated). The sample patient
is 58 years old and weighs 54 kg, so Cockcroft-Gault gives CrCl 40 mL/min at creatinine 115
umol/L and 28 mL/min at 165 umol/L."""

from __future__ import annotations

import pytest

from tests.cycle.conftest import drug_of as drug

CAPECITABINE = {"capecitabine": (1000, 1000, "mg/m2")}


@pytest.mark.parametrize("labels", ["us", "eu"])
def test_crcl_below_30_stops_capecitabine_with_the_reason(review, labels):
    found = review("capecitabine", CAPECITABINE, labs={"creatinine": 165}, labels=labels)
    capecitabine = drug(found, "capecitabine")
    assert found["decision"] == "stop"
    assert capecitabine["action"] == "discontinue"
    assert capecitabine["dose"] is None
    assert "CrCl" in capecitabine["reasons"][0]
    assert not any("the same dose" in r for r in capecitabine["reasons"])


def test_crcl_30_to_50_caps_an_unchanged_dose_at_75_percent(review):
    """Begun at 1000 mg/m2, below the single-agent 1250: the cap is 75 % of 1250 (937.5), the
    label's own example "from 1250 to 950" — not 75 % of 1000 (recheck 21 N6)."""
    found = review("capecitabine", CAPECITABINE, labs={"creatinine": 115})
    capecitabine = drug(found, "capecitabine")
    assert capecitabine["action"] == "reduce"
    assert capecitabine["dose"] == {"value": 937.5, "unit": "mg/m2"}
    assert capecitabine["percent_of_starting"] == 93.8
    assert not any("the same dose" in r for r in capecitabine["reasons"])


def test_the_lower_of_the_toxicity_step_and_the_organ_function_dose(review, tox):
    # hand-foot syndrome grade 2, third time: 50 % (Xeloda Table) is below the renal 75 %
    found = review(
        "capecitabine",
        CAPECITABINE,
        labs={"creatinine": 115},
        toxicities=[tox("palmar_plantar_erythrodysesthesia", 2, 0, occurrence=3)],
    )
    assert drug(found, "capecitabine")["dose"] == {"value": 500, "unit": "mg/m2"}


def test_normal_kidneys_leave_the_dose_alone(review):
    found = review("capecitabine", CAPECITABINE)
    capecitabine = drug(found, "capecitabine")
    assert (capecitabine["action"], capecitabine["dose"]["value"]) == ("continue", 1000)
