"""A second independent nurse + pharmacist review (2026-12-07): drugs the first review did not
cover, each expected answer from the label the reviewer cites (reviewer_notes.json beside the
cases). The reviewer found case n5 hung the planner (see test_many_open_terms.py); the rest
matched their labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.domain.engine import build_plan
from planner.domain.validation import validate_case

CASES = Path(__file__).parents[1] / "data" / "cycle_review_independent3"

# case: (decision, {drug: (action, dose value or None)})
EXPECTED = {
    # NAVELBINE US PI §2.2: ANC 1,000–1,499 on the day of treatment -> 50 % of the starting dose
    "n1_vinorelbine_d8_anc12": ("give", {"vinorelbine": ("reduce", 12.5)}),
    # ABRAXANE US PI §2.5: sensory neuropathy grade 3 -> hold, then 220 mg/m2
    "n2_nabpaclitaxel_neuropathy_g3": ("delay", {"nab-paclitaxel": ("hold", 220.0)}),
    # AFINITOR US PI Table 2: stomatitis grade 2 -> interrupt, resume at the same dose
    "n3_everolimus_stomatitis_g2": (
        "delay",
        {"everolimus": ("hold", 10.0), "exemestane": ("continue", 25.0)},
    ),
    # TRUQAP US PI §2.3: fasting glucose > 250–500 mg/dL -> withhold; resume same or one lower
    "n4_capivasertib_glucose_288": (
        "delay",
        {"capivasertib": ("hold", 320.0), "fulvestrant": ("continue", 500.0)},
    ),
    # PERJETA US PI §2.3: LVEF < 45 % -> withhold pertuzumab and trastuzumab >= 3 weeks
    "n5a_ptd_lvef_44_no_toxicity_row": (
        "delay",
        {
            "pertuzumab": ("hold", 420.0),
            "trastuzumab": ("hold", 6.0),
            "docetaxel": ("continue", 75.0),
        },
    ),
    # KEYTRUDA US PI Table 1: hepatitis, ALT > 3–8 × ULN with a normal baseline -> withhold
    "n6_pembro_nabpac_alt_4xuln": (
        "delay",
        {"pembrolizumab": ("hold", 200.0), "nab-paclitaxel": ("continue", 100.0)},
    ),
    # NAVELBINE US PI §2.2: neutrophils and bilirubin both reduce -> the lower of the two
    "n7_vinorelbine_anc12_bili2p5mgdl": ("give", {"vinorelbine": ("reduce", 12.5)}),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_label_answer(rules, name):
    raw = json.loads((CASES / f"{name}.json").read_text())
    case, doubts = validate_case(raw, rules.limits)
    cycle = build_plan(case, doubts, rules).to_json()["next_cycle"]
    decision, drugs = EXPECTED[name]
    got = {
        d["drug"]: (d["action"], None if d["dose"] is None else d["dose"]["value"])
        for d in cycle["drugs"]
    }
    assert (cycle["decision"], got) == (decision, drugs)


@pytest.mark.parametrize("name", ["n5_ptd_lvef_44", "n5g_ptd_lvef_44_tox_attributed_trastuzumab"])
def test_an_lvef_drop_holds_both_antibodies(rules, name):
    raw = json.loads((CASES / f"{name}.json").read_text())
    case, doubts = validate_case(raw, rules.limits)
    cycle = build_plan(case, doubts, rules).to_json()["next_cycle"]
    actions = {d["drug"]: d["action"] for d in cycle["drugs"]}
    assert actions == {"pertuzumab": "hold", "trastuzumab": "hold", "docetaxel": "continue"}
