"""Walk 23 #17: the graded table said ALT 2.67 × ULN was grade 0 "against an abnormal baseline"
while palbociclib's reason said its label grades in × ULN: the table now says which rule each
grade used, and both where her baseline was raised."""

from __future__ import annotations

from planner.domain.plan_document.cycle import _graded as read_graded
from planner.reports.cycle_sheet import grade_cell


def _row(**extra):
    return read_graded(
        {"term": "alt_increased", "grade": 0, "from": "labs.alt", "finding": "ALT", **extra},
        "graded[0]",
    )


def test_a_grade_against_her_baseline_shows_the_x_uln_grade_beside_it():
    assert grade_cell(_row(against_baseline=True, grade_x_uln=1)) == (
        "0 against her baseline (CTCAE v5); 1 in × ULN"
    )
    assert grade_cell(_row(against_baseline=True, grade_x_uln=None)) == (
        "0 against her baseline (CTCAE v5); not known (no ULN today) in × ULN"
    )
    assert grade_cell(_row()) == "0"
