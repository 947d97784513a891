"""Where the US label and the EU SmPC dose a drug differently, the clinic's label set chooses the
ladder (never an average): eribulin is dosed as mesylate in the US (1.4 → 1.1 → 0.7 mg/m², then
discontinue) and as base in the EU (1.23 → 0.97 → 0.62 mg/m², then consider discontinuation)."""

from __future__ import annotations

import json

import pytest

from planner.domain.engine import build_plan
from planner.domain.settings import ClinicSettings
from planner.domain.validation import validate_case


def review_under(rules, case_on, labels, drugs, toxicities):
    raw = case_on("eribulin", drugs, toxicities=toxicities)
    case, doubts = validate_case(json.loads(json.dumps(raw)), rules.limits)
    plan = build_plan(case, doubts, rules, ClinicSettings(labels=labels)).to_json()
    return plan["next_cycle"]


@pytest.mark.parametrize(
    ("labels", "start", "now", "action", "dose"),
    [
        ("eu", 1.23, 1.23, "reduce", 0.97),
        ("eu", 1.23, 0.97, "reduce", 0.62),
        ("eu", 1.23, 0.62, "insufficient_data", None),  # consider discontinuation: the clinician's
        ("us", 1.4, 1.4, "reduce", 1.1),
        ("us", 1.4, 0.7, "discontinue", None),
        ("us", 1.23, 1.23, "insufficient_data", None),  # a base dose is not on the US ladder
        ("eu", 1.4, 1.4, "insufficient_data", None),  # a mesylate dose is not on the EU ladder
    ],
)
def test_eribulin_ladder_follows_the_clinics_label_set(
    rules, case_on, tox, labels, start, now, action, dose
):
    found = review_under(
        rules,
        case_on,
        labels,
        {"eribulin": (start, now, "mg/m2")},
        [tox("febrile_neutropenia", 3, 0, 1)],
    )
    (drug,) = found["drugs"]
    assert drug["action"] == action
    assert (drug["dose"] and drug["dose"]["value"]) == dose


def test_eu_eribulin_cites_the_smpc(rules, case_on, tox):
    found = review_under(
        rules,
        case_on,
        "eu",
        {"eribulin": (1.23, 1.23, "mg/m2")},
        [tox("febrile_neutropenia", 3, 0, 1)],
    )
    (drug,) = found["drugs"]
    assert "cycle.src.halaven_smpc" in {b["source"] for b in drug["basis"]}
