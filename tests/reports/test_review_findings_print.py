"""Findings after the print work landed: what the booklet and the citations print."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from planner.reports.booklet import booklet_content, plain_text
from planner.reports.citations import References, cite
from planner.services import case_commands, printing

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "example.json"
PATIENT = {"mrn": "TAS-000123", "family_name": "Karimova", "given_name": "Dilnoza"}
CLINIC = {"name": "City Clinic", "phone": "+998 71 200 00 00", "out_of_hours_phone": ""}


@pytest.fixture(scope="module")
def example():
    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return raw, case_commands.make_plan(raw)


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
    pdf = printing.export_plan_pdf(raw, plan, audience="patient")
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Yellow skin or eyes" not in text
    assert "Itchy skin" in text


def test_a_rule_cited_twice_is_printed_once():
    refs = References({}, rule_ids=True)  # rule ids printed only when asked for
    basis = [
        {"rule": "SUP-1", "source": "s.a", "verified": True},
        {"rule": "SUP-2", "source": "s.b", "verified": True},
    ]
    # two interventions of the row cite SUP-1: it is preferred twice
    shown = cite(basis, refs, limit=2, prefer=["SUP-1", "SUP-1"])
    assert shown == "[1, 2]"
    assert [markup.count("SUP-1") for _, markup in refs.entries()] == [1, 0]


def test_the_clinician_pdf_prints_each_rule_once_per_row(example):
    raw, plan = example
    pdf = printing.export_plan_pdf(raw, plan, audience="clinician")
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for line in (page.extract_text() or "").splitlines():
            cited = [part.split(" [")[0].strip() for part in line.split(";") if " [" in part]
            assert len(cited) == len(set(cited)), line


# ---- the booklet read as a frightened daughter would ---------------------------------------

DOSE = re.compile(r"\d[\d.,]*\s*(mg|mcg|µg|mL|ml|g\b|AUC|mg/m²|mg/kg|units?)\b", re.IGNORECASE)


def _best_supportive_care() -> tuple[dict, dict]:
    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    raw["clinical"].update(ecog=3, ascites="moderate_severe")
    raw["labs"]["bilirubin"]["value"] = 60
    raw["labs"]["albumin"]["value"] = 25
    raw["labs"]["inr"]["value"] = 1.8
    return raw, case_commands.make_plan(raw)


def _titles(sections) -> list[str]:
    return [s.title for s in sections]


def test_example_booklet_reads_plainly(example):
    _, plan = example
    sections = booklet_content(plan, {**PATIENT, "assessed_on": "2026-11-20"}, CLINIC)
    booklet = plain_text(sections)
    assert "assessed on 20 November 2026" in booklet  # not 2026-11-20
    assert not re.search(r"\d+ other choices", booklet)  # not "15 other choices"
    # not decided: no drug of the suggestion named, no list of other choices (issue 20)
    assert "Nothing has been decided yet" in booklet
    assert "other treatments" not in booklet
    assert not any(o["drugs"][0]["drug"].capitalize() in booklet for o in plan["options"])
    assert _titles(sections)[:2] == ["What this plan is for", "When to call us"]
    assert "+998 71 200 00 00" in booklet


def test_best_supportive_care_booklet_reads_plainly():
    raw, plan = _best_supportive_care()
    sections = booklet_content(plan, PATIENT, CLINIC, raw["symptoms"])
    booklet = plain_text(sections)
    # whom to call straight after what the care is now
    assert _titles(sections)[:3] == ["What this plan is for", "Your care now", "When to call us"]
    assert not DOSE.search(booklet), DOSE.search(booklet)
    assert "alongside your cancer treatment" not in booklet
    assert "aim of this treatment" not in booklet  # no cancer treatment to ask about
    assert "keep me comfortable" in booklet
    # every heading in words, never a code
    assert "Blood clots" in booklet
    assert "Thrombosis risk" not in booklet
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", booklet)


def test_no_clinic_number_gives_a_line_to_write_it_on(example):
    _, plan = example
    booklet = plain_text(booklet_content(plan, PATIENT, {"phone": "", "out_of_hours_phone": ""}))
    assert "Clinic phone number: not set — ask your nurse: ____" in booklet
    assert "At night or at the weekend: not set — ask your nurse: ____" in booklet
