"""print24: the medicine line did not show the brand the nurse typed. "Dolo 650" is read as
paracetamol (drug_names.toml, unverified until its label is read); the case keeps paracetamol
and what was typed (`medications[].written`), and the printed line names both, so the paper
names the box she holds: "paracetamol (Dolo 650) 650 mg"."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from planner.domain.validation import validate_case
from planner.services import case_commands, printing

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "example.json"
DOLO = {
    "drug": "Dolo 650",
    "dose": {"value": 650, "unit": "mg"},
    "route": "oral",
    "frequency": "three times daily",
}


def _with(medication: dict) -> dict:
    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    raw["medications"] = [copy.deepcopy(medication)]
    return raw


def _text(pdf: bytes) -> str:
    return " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages
    )


def test_the_brand_is_read_as_paracetamol_and_kept_as_typed(rules):
    case, _ = validate_case(_with(DOLO), rules.limits)
    (medication,) = case.medications
    assert medication.drug == "paracetamol"
    assert medication.written == "Dolo 650"


@pytest.mark.parametrize("typed", ["paracetamol", "Paracetamol", " paracetamol "])
def test_the_inn_itself_is_no_brand(rules, typed):
    case, _ = validate_case(_with({**DOLO, "drug": typed}), rules.limits)
    assert case.medications[0].written is None


def test_the_printed_line_names_the_brand_beside_the_inn():
    raw = _with(DOLO)
    plan = case_commands.make_plan(raw)
    assert plan["medications"][0]["drug"] == "paracetamol"
    assert plan["medications"][0]["written"] == "Dolo 650"
    text = _text(printing.export_plan_pdf(raw, plan, audience="clinician", invariant=True))
    assert "paracetamol (Dolo 650) 650 mg" in text


def test_a_brand_the_document_gives_is_kept(rules):
    """The wizard saves the INN and what was typed (planner/ui/wizard/pages/medicines.py)."""
    case, _ = validate_case(
        _with({**DOLO, "drug": "paracetamol", "written": "Dolo 650"}), rules.limits
    )
    assert case.medications[0].written == "Dolo 650"
