"""Issue 20 leftovers, safety rule 2: "takes no regular medicines" (an empty `medications`) and
"medicines not recorded" (null) are two answers; the plan and its print say them apart, and
"not recorded" is a gap (her medicines were not checked), never read as "takes none"."""

from __future__ import annotations

import copy

import pytest
from reportlab.platypus import Paragraph

from planner.reports.citations import References
from planner.reports.medicines import current_medicines_section
from planner.services import case_commands


@pytest.fixture
def plans(example_raw):
    return {
        key: case_commands.make_plan({**copy.deepcopy(example_raw), "medications": medications})
        for key, medications in (("none", []), ("unknown", None))
    }


def printed(plan):
    flowables = current_medicines_section(plan, 400.0, References(None))
    return " ".join(f.getPlainText() for f in flowables if isinstance(f, Paragraph))


def test_the_plan_says_none_taken_apart_from_not_recorded(plans):
    assert plans["none"]["medications_recorded"] == "none"
    assert plans["unknown"]["medications_recorded"] == "not_recorded"
    assert not [g for g in plans["none"]["gaps"] if g["field"] == "medications"]
    (gap,) = [g["effect"] for g in plans["unknown"]["gaps"] if g["field"] == "medications"]
    assert "not the same as none" in gap


def test_the_print_says_which(plans):
    # her allergies follow (issue 20: printed whether or not one matched a suggestion)
    assert printed(plans["none"]) == (
        "Current medicines: takes no regular medicines. Allergies: not recorded (not the same "
        "as none: ask her)"
    )
    unknown = printed(plans["unknown"])
    assert "Current medicines: medicines not recorded" in unknown
    assert "not checked against this plan" in unknown
    assert "no regular medicines" not in unknown


def test_a_plan_from_before_the_fields_says_so():
    """No medicines line (it cannot tell none from not recorded), and the allergies line says
    the kept plan does not hold them: never silence about an allergy."""
    (line,) = current_medicines_section({"medications": []}, 400.0, References(None))
    assert line.getPlainText().startswith("Allergies: not in this kept plan")
