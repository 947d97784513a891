"""Nurse16 re-walk, item 3, in print: gemcitabine + carboplatin with one drug held prints no
schedule that gives the held drug ("…every 21 days, with carboplatin")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.domain.decision import Decision, HeldDrug, decided_plan
from planner.services.case_commands import make_plan

CASE = Path(__file__).resolve().parents[1] / "data" / "cases" / "example.json"


@pytest.mark.parametrize("held", ["carboplatin", "gemcitabine"])
def test_the_printed_schedules_never_give_the_held_drug(render, page_texts, held):
    plan = make_plan(json.loads(CASE.read_text(encoding="utf-8")))
    decision = Decision(
        "option",
        "gemcitabine_carboplatin",
        "counts low after the last cycle",
        "Dr T",
        "2026-12-07T04:00",
        held=(HeldDrug(held, "counts low after the last cycle"),),
    )
    decided = decided_plan({**plan, "decision": decision.to_json()})
    flat = " ".join(" ".join(page_texts(render(decided, audience="both"))).split())
    assert f"with {held}" not in flat
    assert f"({held} held)" in flat
