"""print24 (issue 20 §6: page 1 is the whole decision; issue 16: the printed plan is the decided
plan, signed): for every case document in tests/data, the clinician section's page 1 holds the
signature block — the example's page-1 interaction alert listed every pair in full and pushed
the signature onto page 2 (its clinician section ran to 3 pages). Printed as `planner plan --pdf`
prints it by default: the program's suggestion, not yet decided."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from planner.services import case_commands, printing

DATA = Path(__file__).resolve().parents[1] / "data"
SIGNATURE = "Reviewed and decided by (name, role)"


def _cases() -> list[Path]:
    found = []
    for path in sorted(DATA.rglob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(raw, dict) and "patient" in raw:
            found.append(path)
    return found


CASES = _cases()


def _page_1(raw: dict[str, Any]) -> str:
    plan = case_commands.make_plan(raw)
    pdf = printing.export_plan_pdf(raw, plan, audience="clinician", invariant=True)
    first = PdfReader(io.BytesIO(pdf)).pages[0].extract_text() or ""
    return " ".join(first.split())


def test_the_cases_are_found():
    assert len(CASES) > 150


@pytest.mark.parametrize("path", CASES, ids=[str(p.relative_to(DATA)) for p in CASES])
def test_page_1_holds_the_signature_block(path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    try:
        page_1 = _page_1(raw)
    except case_commands.InputInvalid:
        pytest.skip("a case the validator refuses (its test checks the refusal)")
    assert "Clinician section · page 1 of" in page_1
    assert SIGNATURE in page_1
    assert "Signed:" in page_1
