"""rx23 F1 and F2 on screen: the course window's suggested decision says what the plan document
and the printed page say — no dose for the course drug whose needed result (platelets) or
deciding input (mediastinal radiotherapy) is not recorded, and the missing input listed under
"Missing — fill in to decide", never "give" beside "no dose is printed"."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from planner.ui.cycle_decision import decision_html
from tests.independent_review import case_in, plan_json

CASES = Path(__file__).parents[1] / "data" / "independent_rx23"


@pytest.mark.parametrize(
    ("prefix", "drug", "missing"),
    [
        ("M03", "ado-trastuzumab emtansine", "platelets"),
        ("A02", "doxorubicin", "mediastinal radiotherapy"),
    ],
)
def test_screen_gives_no_dose_where_the_plan_gives_none(rules, prefix, drug, missing):
    plan = plan_json(case_in(CASES, prefix), rules)
    (row,) = [d for d in plan["next_cycle"]["drugs"] if d["drug"] == drug]
    assert (row["action"], row["dose"]) == ("insufficient_data", None)
    screen = " ".join(html.unescape(re.sub("<[^>]+>", " ", decision_html(plan))).split())
    assert screen.startswith("Not decided: results are missing")
    assert f"{drug} : not decided: results missing (no dose) — no dose" in screen
    assert "give, same dose" not in screen
    listed = screen.split("Missing — fill in to decide:")[1].split(f"{drug} : not decided")[0]
    assert missing in listed
