"""On treatment, a suggested supportive drug is checked against the drugs she is on, not
against the first plan's options (independent re-check after review 19d, HARM): rifampicin for
itch was flagged "with everolimus, tamoxifen" — drugs of options she is not on — and never "with
palbociclib", the CDK4/6 inhibitor she takes (a strong CYP3A inducer lowers its exposure)."""

from __future__ import annotations

import json
from pathlib import Path

from planner.services import case_commands

CASE = (
    Path(__file__).resolve().parents[1]
    / "data"
    / "cycle_review_independent5"
    / "10_palbociclib_c2d15_anc0_8.json"
)


def test_the_course_drug_is_checked_and_the_first_plans_options_are_not():
    plan = case_commands.make_plan(json.loads(CASE.read_text(encoding="utf-8")))
    text = json.dumps(plan.get("alerts") or [])
    assert "rifampicin with palbociclib" in text
    for not_taken in ("with everolimus", "everolimus, tamoxifen", "with tamoxifen"):
        assert not_taken not in text
