"""print24: the decision page's interaction alert names each pair and what to do in one line,
and points to the page of the evidence appendix that has it in full; nothing is dropped (the
full text is in the appendix), and a flag without its short words (a plan kept before print24)
is printed whole, as before."""

from __future__ import annotations

import copy
import io
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from planner.services import case_commands, printing

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "example.json"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pages(pdf: bytes) -> list[str]:
    return [_flat(page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def example():
    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    plan = case_commands.make_plan(raw)
    return raw, plan


def test_each_pair_in_one_line_with_the_appendix_page_of_its_full_text(example):
    raw, plan = example
    pages = _pages(printing.export_plan_pdf(raw, plan, invariant=True, evidence=True))
    page_1 = pages[0]
    appendix = [p for p in pages if "Evidence appendix · page" in p]
    flags = plan["interactions"]
    assert len(flags) == 5
    for flag in flags:
        pair = f"{', '.join(flag['supportive'])} with {', '.join(flag['with'])}"
        assert f"{pair}: {flag['what_to_do']}" in page_1
        # the explanation itself is not on page 1 ...
        explanation = _flat(flag["message"].split(": ", 1)[1])[:60]
        assert explanation not in page_1
        # ... it is on the appendix page the line names
        said = re.search(
            re.escape(flag["what_to_do"]) + r"(?: \(unverified\))? — in full: evidence appendix "
            r"pp?\. ([\d, ]+) \(",
            page_1,
        )
        assert said, pair
        numbers = [int(n) for n in said.group(1).split(", ")]
        assert any(explanation in _flat(appendix[n - 1]) for n in numbers), (pair, numbers)
    # rule 6: an unverified flag is still marked on its line
    assert "prefer hydromorphone, or morphine if her kidneys allow (unverified)" in page_1


def test_the_signature_is_on_page_1_and_the_section_is_shorter(example):
    raw, plan = example
    pages = _pages(printing.export_plan_pdf(raw, plan, invariant=True))
    clinician = [p for p in pages if "Clinician section · page" in p]
    assert "Reviewed and decided by (name, role)" in clinician[0]
    assert "Next review in 3 days" in clinician[0]


def test_a_flag_without_its_short_words_is_printed_whole(example):
    raw, plan = example
    older = copy.deepcopy(plan)
    for flag in older["interactions"]:
        flag.pop("what_to_do")
    for item in older["supportive"]:
        for flag in item.get("interactions") or ():
            flag.pop("what_to_do", None)
    page_1 = _pages(printing.export_plan_pdf(raw, older, invariant=True))[0]
    for flag in older["interactions"]:
        assert _flat(flag["message"].replace("×", "x"))[:80] in page_1.replace("×", "x")
