"""rx23 W1: a reason says each fact once. "QTc prolonged grade 2, occurrence 2, occurrence 2":
the entered side effect's words already said its occurrence, and the row read by occurrence
added it again (ribociclib, capecitabine, sacituzumab rows). Held over every cycle-review case
the independent reviewers wrote: no reason repeats a clause back to back."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from planner.domain.problems import InputInvalid
from tests.cycle.conftest import plan_of

DATA = Path(__file__).parents[1] / "data"
CASES = sorted(
    p
    for folder in (
        "independent_rx21",
        "independent_rx22",
        "independent_rx23",
        "cycle_review_independent3",
        "cycle_review_independent4",
        "cycle_review_independent5",
    )
    for p in (DATA / folder).glob("*.json")
)
# ", occurrence 2, occurrence 2": the same clause twice in a row
TWICE = re.compile(r"(, [^,;:]+)\1(?=[,;:]|$)")


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.stem[:12]}")
def test_no_reason_says_a_clause_twice(rules, path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    if "treatment" not in raw:
        pytest.skip("no cycle review")
    try:
        plan = plan_of(rules, raw)
    except InputInvalid:
        pytest.skip("a case the reviewers wrote to be refused")
    for drug in plan["next_cycle"]["drugs"]:
        for reason in drug["reasons"]:
            assert not TWICE.search(reason), reason


def test_an_occurrence_read_by_a_row_is_said_once(review, tox):
    """XELODA §2.4 (grade 2, second appearance): the row reads the occurrence; said once."""
    nc = review(
        "capecitabine",
        {"capecitabine": (1250, 1250, "mg/m2")},
        toxicities=[tox("diarrhea", 2, 1, 2)],
    )
    (row,) = nc["drugs"]
    said = " ".join(row["reasons"])
    assert said.count("occurrence 2") == 1, said
