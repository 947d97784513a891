"""rx24 F8 and W1: the daily paracetamol total from every source.

F8: a total already counted above every ceiling that applies is a `change`, whatever else could
not be counted (what is not counted can only add). Before, any uncounted source made it a
`review`, so 4 g against a 2 g ceiling with the liver impaired was weaker than the same 4 g with
a normal liver. A count between the ceilings, or within them, stays a review while a source is
not counted. W1: an "as needed" line that says its most ("four times daily as needed", "prn, up
to 4 times a day", "every 6 hours if needed") is counted at that most, and the message says so;
a bare "as needed" stays a named gap."""

from __future__ import annotations

import copy
import subprocess
from pathlib import Path
from typing import Any

import pytest

from planner.domain.medicines import as_needed_at_most
from planner.services import case_commands
from tests.independent_review import case_in, plan_json, run_planner


def _total(example_raw: dict[str, Any], *lines: tuple[float, str], remedy: bool = False):
    """The paracetamol total of the contract's example (its bilirubin puts the liver ceilings,
    2000 and 3000 mg/day, in force) with these (mg, frequency) lines."""
    example_raw["medications"] = [
        {"drug": "paracetamol", "dose": {"value": mg, "unit": "mg"}, "frequency": frequency}
        for mg, frequency in lines
    ]
    example_raw["herbal_or_traditional"] = ["cold powder with paracetamol"] if remedy else []
    plan = case_commands.make_plan(example_raw)
    (total,) = [f for f in plan["medication_findings"] if f["kind"] == "paracetamol_total"]
    return total, {g["field"] for g in plan["gaps"]}


@pytest.mark.parametrize(
    ("frequency", "most"),
    [
        ("four times daily as needed", 4),
        ("prn qds", 4),
        ("as needed, up to 3 times a day", 3),
        ("every 6 hours if needed", 4),
        ("q8h prn", 3),
        ("twice daily when required", 2),
        ("as needed", None),  # no most said: not counted
        ("four times daily", None),  # a regular line: not an as-needed one
        ("as needed for pain", None),  # words it cannot read: not guessed
        (None, None),
    ],
)
def test_an_as_needed_line_is_read_at_its_most(rules, frequency, most):
    assert as_needed_at_most(frequency, rules.interactions) == most


def test_an_as_needed_line_is_counted_at_its_most_and_said(example_raw):
    total, gaps = _total(example_raw, (500, "prn, up to 4 times a day"))
    assert (
        "2000 mg/day (paracetamol 500 mg prn, up to 4 times a day: counted at its most, "
        in (total["message"])
    )
    assert "medications[0].frequency" not in gaps
    assert total["action"] == "continue"  # 2000 mg/day is within both liver ceilings


def test_a_bare_as_needed_line_is_still_a_gap(example_raw):
    total, gaps = _total(example_raw, (1000, "as needed"))
    assert "medications[0].frequency" in gaps
    assert total["action"] == "review"


@pytest.mark.parametrize(
    ("lines", "remedy", "action"),
    [
        # counted above both ceilings, a line not counted beside it: change (F8)
        (((1000, "four times daily"), (1000, "as needed")), False, "change"),
        (
            ((1000, "four times daily"),),
            True,
            "change",
        ),  # a remedy with paracetamol, amount unknown
        # counted between the ceilings (sources differ) with a line not counted: review
        (((500, "four times daily"), (500, "as needed")), False, "review"),
        # counted at the upper ceiling, not above it: review, the rest not counted
        (((1000, "three times daily"), (1000, "as needed")), False, "review"),
        # nothing counted at all: review
        (((1000, "as needed"),), True, "review"),
    ],
)
def test_a_count_above_every_ceiling_is_a_change_whatever_is_not_counted(
    example_raw, lines, remedy, action
):
    total, _ = _total(example_raw, *lines, remedy=remedy)
    assert total["action"] == action
    assert "not every source could be counted" in total["message"]
    if action == "change":
        assert "already above every ceiling that applies" in total["message"]
    else:
        assert "already above" not in total["message"]


def test_her_paracetamol_lines_carry_the_change(example_raw):
    _total(example_raw, (1000, "four times daily"), (1000, "as needed"))  # sets her lines
    plan = case_commands.make_plan(example_raw)
    actions = [m["action"] for m in plan["medications"] if m["drug"] == "paracetamol"]
    assert actions == ["change", "change"]


def test_the_printed_plan_says_the_count_and_the_change(tmp_path):
    """P01 (rx24): the PDF says what the JSON says: 8000 mg/day counted, the as-needed line at
    its most, and Change on her paracetamol lines."""
    (case,) = (Path(__file__).parents[1] / "data" / "independent_rx24").glob("P01_*.json")
    pdf = tmp_path / "P01.pdf"
    assert run_planner("plan", case, "--pdf", pdf, "--audience", "clinician").returncode == 0
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = " ".join(text.split())
    assert "counted at its most, 4 times a day) = 8000 mg/day, above every ceiling" in words
    assert "paracetamol 1000 mg Change" in words


def test_an_as_needed_line_is_counted_at_its_most_against_a_medicine_ceiling(rules):
    """W1's class beyond paracetamol: S02 (Child-Pugh C, 12 points) with ondansetron 8 mg
    "every 8 hours as needed": counted at 24 mg a day against the 8 mg ceiling (ZOFRAN §2.2)."""
    raw = copy.deepcopy(case_in(Path(__file__).parents[1] / "data" / "independent_rx24", "S02"))
    line = next(m for m in raw["medications"] if m["drug"] == "ondansetron")
    line["frequency"] = "every 8 hours as needed"
    plan = plan_json(raw, rules)
    (row,) = [m for m in plan["medications"] if m["drug"] == "ondansetron"]
    said = " ".join(row["reasons"])
    assert "(counted at its most, 3 times a day) = 24 mg a day, above the ceiling" in said
    assert row["action"] in {"change", "stop"}
