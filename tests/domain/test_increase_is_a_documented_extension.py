"""Course item 4: `increase`, an action the cycle review emits beyond shared contract §5's five,
is described in docs/contract.md as a project extension, and the plan reader takes exactly the
engine's actions (an unknown one is refused, naming the field)."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.domain.cycle_drug import DRUG_ACTIONS
from planner.domain.plan_document.cycle import read_next_cycle
from planner.domain.plan_document.reading import PlanDocumentError

DOC = Path(__file__).resolve().parents[2] / "docs" / "contract.md"


def _next_cycle(action: str) -> dict:
    return {
        "cycle": 2,
        "day": 1,
        "regimen": "fulvestrant_alone",
        "decision": "give",
        "drugs": [
            {
                "drug": "fulvestrant",
                "action": action,
                "dose": {"value": 500, "unit": "mg"},
                "percent_of_starting": 100,
                "dose_level": 0,
                "reasons": [],
                "basis": [],
            }
        ],
    }


def test_the_contract_doc_lists_every_action_and_marks_increase_as_an_extension():
    text = DOC.read_text("utf-8")
    start = text.index("Extension of shared §5: `next_cycle.drugs[].action` `increase`")
    section = text[start : text.index("- Case additions for the cycle review", start)]
    rows = [line for line in section.splitlines() if line.strip().startswith("| `")]
    assert [line.split("`")[1] for line in rows] == sorted(
        DRUG_ACTIONS,
        key=["continue", "reduce", "increase", "hold", "discontinue", "insufficient_data"].index,
    )
    (increase,) = [line for line in rows if line.strip().startswith("| `increase`")]
    assert "project extension" in increase


@pytest.mark.parametrize("action", DRUG_ACTIONS)
def test_the_reader_takes_every_engine_action(action):
    assert read_next_cycle(_next_cycle(action)).drugs[0].action == action


def test_the_reader_refuses_an_action_of_neither_list():
    with pytest.raises(PlanDocumentError, match=r"next_cycle\.drugs\[0\]\.action: 'raise'"):
        read_next_cycle(_next_cycle("raise"))
