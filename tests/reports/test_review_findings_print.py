"""Findings after the print work landed: what the booklet and the citations print."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from planner import services
from planner.reports.booklet import booklet_content, plain_text
from planner.reports.citations import References, cite

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "example.json"
PATIENT = {"mrn": "TAS-000123", "family_name": "Karimova", "given_name": "Dilnoza"}
CLINIC = {"name": "City Clinic", "phone": "+998 71 200 00 00", "out_of_hours_phone": ""}


@pytest.fixture(scope="module")
def example():
    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return raw, services.make_plan(raw)


def test_booklet_has_no_section_for_a_symptom_the_nurse_recorded_no(example):
    raw, plan = example
    # The example: jaundice recorded "no", yet bilirubin 1.67 x ULN raises the problem.
    assert raw["symptoms"]["jaundice"] is False
    assert any(s["problem"] == "jaundice" for s in plan["supportive"])
    booklet = plain_text(booklet_content(plan, PATIENT, CLINIC, raw["symptoms"]))
    assert "Yellow skin or eyes" not in booklet
    assert "Itchy skin" in booklet  # recorded "yes": its section stays


def test_booklet_pdf_has_no_section_for_a_symptom_the_nurse_recorded_no(example):
    raw, plan = example
    pdf = services.export_plan_pdf(raw, plan, audience="patient")
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Yellow skin or eyes" not in text
    assert "Itchy skin" in text


def test_a_rule_cited_twice_is_printed_once():
    refs = References({})
    basis = [
        {"rule": "SUP-1", "source": "s.a", "verified": True},
        {"rule": "SUP-2", "source": "s.b", "verified": True},
    ]
    # two interventions of the row cite SUP-1: it is preferred twice
    shown = cite(basis, refs, limit=2, prefer=["SUP-1", "SUP-1"])
    assert shown == "SUP-1 [1]; SUP-2 [2]"
    assert shown.count("SUP-1") == 1


def test_the_clinician_pdf_prints_each_rule_once_per_row(example):
    raw, plan = example
    pdf = services.export_plan_pdf(raw, plan, audience="clinician")
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for line in (page.extract_text() or "").splitlines():
            cited = [part.split(" [")[0].strip() for part in line.split(";") if " [" in part]
            assert len(cited) == len(set(cited)), line
