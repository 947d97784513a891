"""Nurse16 re-walk, item 3: with carboplatin held, the carboplatin row said "held: not given
now" but the schedule line and the gemcitabine cell still said "…on days 1 and 8 every 21 days,
with carboplatin". Over every regimen of two or more drugs, each drug held in turn: no schedule
of the plan as decided names the held drug except as held."""

from __future__ import annotations

import re

import pytest

from planner.domain.decision import Decision, HeldDrug, decided_plan
from planner.domain.dose_tables import compose_schedule
from planner.services.rule_tables import rules


def _timings(drug: str, schedule_ids: tuple[str, ...]) -> list[str]:
    table = rules().doses.drugs[drug]
    chosen = [s for s in table.schedules if s.id in schedule_ids]
    out = [s.how() for s in chosen]
    # a band that decides may replace the timing (its words too)
    out += [
        s.how(b.timing)
        for b in table.bands
        if b.timing
        for s in chosen
        if not b.schedules or s.id in b.schedules
    ]
    return out


def _cases() -> list[tuple[str, str]]:
    return [
        (regimen.id, held)
        for regimen in rules().regimens.regimens.values()
        if len(regimen.drugs) >= 2
        for held in regimen.drugs
    ]


def _named_as_given(text: str, drug: str) -> bool:
    """The held drug named other than as "<drug> held"."""
    return bool(re.search(rf"\b{re.escape(drug)}\b(?! held)", text, re.IGNORECASE))


@pytest.mark.parametrize(("regimen_id", "held"), _cases())
def test_no_schedule_names_the_held_drug_as_given(regimen_id: str, held: str) -> None:
    regimen = rules().regimens.regimens[regimen_id]
    variants = {d: _timings(d, regimen.dose_schedules[d]) for d in regimen.drugs}
    depth = max(len(v) for v in variants.values())
    assert depth, regimen_id
    for i in range(depth):  # each schedule (and band timing) of each drug at least once
        drugs = [
            {
                "drug": d,
                "dose": {"value": 100.0, "unit": "mg"},
                "schedule": compose_schedule(v[i % len(v)], "mg", 100.0) if v else None,
            }
            for d, v in variants.items()
        ]
        plan = {
            "options": [{"regimen": regimen_id, "rank": 1, "name": regimen.name, "drugs": drugs}],
            "decision": Decision(
                "option",
                regimen_id,
                "test",
                "Dr T",
                "2026-12-07T04:00",
                held=(HeldDrug(held, "test"),),
            ).to_json(),
        }
        option = decided_plan(plan)["options"][0]
        lines = [option.get("schedule") or ""] + [d.get("schedule") or "" for d in option["drugs"]]
        for line in lines:
            assert not _named_as_given(line, held), (regimen_id, held, line)
