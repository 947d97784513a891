"""Robustness sweep: many combinations of subtype, line, liver, performance and preferences.

Every plan must build, be plain JSON, rank 1..n without gaps, and keep the contract enumerations.
"""

from __future__ import annotations

import itertools
import json

import pytest

BIOLOGY = {
    "hr_her2_low": {"er_percent": 85, "pr_percent": 10, "her2_ihc": "1+", "her2_ish": None},
    "hr_her2_zero": {"er_percent": 5, "pr_percent": 0, "her2_ihc": "0", "her2_ish": None},
    "her2_pos": {"er_percent": 0, "pr_percent": 0, "her2_ihc": "2+", "her2_ish": "amplified"},
    "tnbc": {
        "er_percent": 0,
        "pr_percent": 0,
        "her2_ihc": "0_membrane",
        "her2_ish": None,
        "pdl1_cps": 12,
    },
}
LINES = {
    "none": [],
    "two": [
        {"drugs": ["letrozole", "palbociclib"], "setting": "metastatic", "started_on": "2023-01-01",
         "ended_on": "2024-01-01", "reason_stopped": "progression"},
        {"drugs": ["paclitaxel"], "setting": "metastatic", "started_on": "2024-02-01",
         "ended_on": "2025-01-01", "reason_stopped": "progression"},
    ],
}  # fmt: skip
LIVER = {"mild": 25, "moderate": 35, "severe": 90}


@pytest.mark.parametrize(
    ("biology", "lines", "liver", "ecog", "declines"),
    list(itertools.product(BIOLOGY, LINES, LIVER, (0, 2, 4), (False, True))),
)
def test_plan_builds_for_every_combination(
    plan_of, example_raw, biology, lines, liver, ecog, declines
):
    example_raw["biology"].update(BIOLOGY[biology])
    example_raw["disease"]["prior_therapy"] = LINES[lines]
    example_raw["labs"]["bilirubin"]["value"] = LIVER[liver]
    example_raw["clinical"]["ecog"] = ecog
    example_raw["preferences"]["declines_chemotherapy"] = declines
    plan = plan_of(example_raw)
    json.dumps(plan, allow_nan=False)
    assert plan["subtype"]["group"] in ("HR+/HER2-", "HER2+", "TNBC", "unknown")
    assert [o["rank"] for o in plan["options"]] == list(range(1, len(plan["options"]) + 1))
    assert plan["options"], "every known subtype has at least one option"
    assert len({o["regimen"] for o in plan["options"]}) == len(plan["options"])
    therapy = plan["systemic_therapy"]
    if ecog == 4:
        assert therapy["appropriate"] is False
        assert all(o["not_appropriate"] for o in plan["options"])
    if liver == "severe":
        # STOP-4: the hard stops apply per drug; best supportive care when no agent is usable
        usable = [
            o
            for o in plan["options"]
            if all(d["status"] not in ("not_recommended", "contraindicated") for d in o["drugs"])
        ]
        if not usable:
            assert therapy["appropriate"] is False
        if therapy["appropriate"]:
            assert usable
            assert any("STOP-4" in w for w in therapy["warnings"])
        assert any(a["code"] == "severe_hepatic_impairment" for a in plan["alerts"])
    if declines and any(not o["chemotherapy"] for o in plan["options"]):
        assert plan["options"][0]["chemotherapy"] is False
