"""walk23 HARM 3: Sokolova's allergy lines were "паклитаксел и карбоплатин — сыпь", "no known
drug allergies" and "Herceptin (rash 2024)". The wizard said the middle line was not read, but
the review page said everything passed, and the family booklet printed in bold "Your allergies
we know of: …, no known drug allergies, …". A "no known …" line beside lines that name
allergies is a contradiction to resolve: the plan carries it as a gap naming the line, and no
printed page says "no known drug allergies" as a fact. A brand line prints what it was checked
as ("(checked: trastuzumab)"), a line not read prints "(not read …)", on every page."""

from __future__ import annotations

import copy
import io
import json
import re
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from planner.domain.engine import build_plan
from planner.domain.validation import validate_case
from planner.reports.render import render_plan_pdf

CASES = Path(__file__).parents[1] / "data" / "independent_rx21"
LINES = ("паклитаксел и карбоплатин", "no known drug allergies", "Herceptin (rash 2024)")


def _raw(*lines: str) -> dict[str, Any]:
    (path,) = CASES.glob("R01_*.json")
    raw = copy.deepcopy(json.loads(path.read_text(encoding="utf-8")))
    raw["allergies"] = [{"substance": line, "reaction": "rash"} for line in lines]
    return raw


def _plan(rules, raw: dict[str, Any]) -> dict[str, Any]:
    case, doubts = validate_case(raw, rules.limits)
    return build_plan(case, doubts, rules).to_json()


def _pages(rules, raw: dict[str, Any]) -> list[str]:
    pdf = render_plan_pdf(
        _plan(rules, raw),
        patient={**raw["patient"], "assessed_on": raw["assessed_on"]},
        clinic={"name": "Clinic", "phone": "+998 71 000 00 00"},
        slips=True,
        invariant=True,
    )
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def test_the_plan_carries_the_contradiction_as_a_gap_naming_the_line(rules):
    plan = _plan(rules, _raw(*LINES))
    (gap,) = [g for g in plan["gaps"] if g["field"] == "allergies[1].substance"]
    assert "contradiction to resolve" in gap["effect"]
    assert '"no known drug allergies"' in gap["effect"]
    assert '"Herceptin (rash 2024)"' in gap["effect"]
    assert "if she has none" not in gap["effect"]  # not the lone line's advice


def test_no_printed_page_says_no_known_drug_allergies_as_a_fact(rules):
    pages = _pages(rules, _raw(*LINES))
    text = " ".join(pages)
    assert "Contradiction to resolve" in text
    for found in re.finditer("no known drug allergies", text, flags=re.IGNORECASE):
        before = text[max(0, found.start() - 12) : found.start()]
        assert 'line "' in before, text[found.start() - 200 : found.end() + 50]
    booklet = [p for p in pages if "Your allergies we know of" in p]
    assert booklet
    assert "does not agree with the others" in booklet[0]
    assert "(checked: trastuzumab)" in text  # the brand line, as the wizard said


def test_a_lone_no_known_line_is_no_contradiction(rules):
    plan = _plan(rules, _raw("no known drug allergies"))
    assert not [g for g in plan["gaps"] if "contradiction" in g["effect"]]


def test_a_line_not_read_says_so_on_every_page_it_is_printed(rules):
    text = " ".join(_pages(rules, _raw("shellfish", "paclitaxel")))
    assert "shellfish — rash (not checked" in text  # clinician page and slips
    assert "shellfish (not checked by the computer: tell every doctor" in text  # the booklet


def test_the_screens_allergy_line_names_the_contradiction(rules):
    """The review page and the plan window's text tab say it as page 1 does."""
    from planner.domain.as_recorded import allergies_summary
    from planner.domain.plan_document import read_plan

    said = allergies_summary(read_plan(_plan(rules, _raw(*LINES))))
    parts = said.split("; ")
    assert parts[1].startswith("Contradiction to resolve: the line")
    assert "; no known drug allergies" not in said
