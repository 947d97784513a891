"""Walk 21 (a clinic day in Delhi): the print read by the family and by the receiving services.

The case is the walk's patient as she was assessed (tests/data/walks/walk21_patel.json: nausea
and itch recorded, no antiemetic and no itch medicine taken, jaundice recorded "no" with
bilirubin 1.62 × ULN, PHQ-9 total 13 with item 9 = 1, caregiver strain and practical needs).
Read as the daughter and the receiving services read it: the pypdf text of the printed pages.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from planner.reports.render import render_plan_pdf
from planner.services import case_commands

CASE = Path(__file__).resolve().parents[1] / "data" / "walks" / "walk21_patel.json"
CLINIC = {
    "name": "Sahyog Palliative Clinic, Delhi",
    "phone": "+91 11 2658 8500",
    "out_of_hours_phone": "+91 98100 12345",
    "emergency_phone": "102",
}


@pytest.fixture(scope="module")
def walked() -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    raw = json.loads(CASE.read_text(encoding="utf-8"))
    plan = case_commands.make_plan(raw)
    pdf = render_plan_pdf(
        plan,
        patient={**raw["patient"], "assessed_on": raw["assessed_on"]},
        clinic=CLINIC,
        symptoms=raw["symptoms"],
        slips=True,
        invariant=True,
    )
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]
    return raw, plan, pages


def _booklet(pages: list[str]) -> str:
    return " ".join(p for p in pages if "Booklet · page" in p)


def _clinician(pages: list[str]) -> str:
    return " ".join(p for p in pages if "Clinician section · page" in p)


def _slips(pages: list[str]) -> dict[str, str]:
    text = " ".join(p for p in pages if "Referral slip · page" in p)
    return {part.split(" · ")[0]: part for part in re.split(r"Referral to ", text)[1:]}


# ---- F2: the booklet read as her frightened daughter ------------------------------------------


def test_the_booklet_speaks_of_no_medicine_she_has_not_been_given(walked):
    raw, _plan, pages = walked
    taken = {m["drug"] for m in raw["medications"]}
    assert not taken & {"metoclopramide", "haloperidol", "olanzapine", "naltrexone"}
    booklet = _booklet(pages)
    assert "Feeling sick." in booklet  # her nausea still has its advice
    assert "Take your sickness medicine" not in booklet  # she has none, nothing is written
    assert "Your sickness medicine" not in booklet
    assert "olanzapine" not in booklet.lower()
    assert "naltrexone" not in booklet.lower()
    # the itch: no operation talked of with no blocked duct recorded
    assert raw["disease"]["biliary_obstruction"] is False
    assert "Opening the duct" not in booklet


def test_the_booklet_says_why_the_team_wants_to_see_her_today(walked):
    _raw, plan, pages = walked
    assert plan["follow_up"]["next_review_days"] == 0
    booklet = _booklet(pages)
    assert "see you again today" not in booklet  # "again", while she is at the clinic now
    assert "Before you go home today, your nurse or doctor would like to talk with you" in booklet


def test_the_booklet_stops_the_remedy_without_blame(walked):
    booklet = _booklet(walked[2])
    assert "Stop taking ashwagandha powder, giloy juice." in booklet
    assert "You could not have known" in booklet


def test_the_paracetamol_line_says_what_to_do_when_it_is_left_blank(walked):
    booklet = _booklet(walked[2])
    assert "Most paracetamol in 24 hours" in booklet
    assert "If this line is blank, ask us" in booklet


def test_the_booklet_tells_the_family_a_social_worker_may_call(walked):
    _raw, plan, pages = walked
    assert "social_work" in {r["service"] for r in plan["referrals"]}
    booklet = _booklet(pages)
    # the same words in every booklet (presence would disclose her answers)
    assert "A social worker or a counsellor may also call you." in booklet


# ---- F3: a severity printed with its reason --------------------------------------------------


def test_depression_severe_is_printed_with_its_reason_beside_it(walked):
    _raw, _plan, pages = walked
    clinician = _clinician(pages)
    slips = _slips(pages)
    why = "depression severe — from PHQ-9 item 9 = 1: thoughts of death or self-harm"
    assert why in clinician
    assert "PHQ-9 total 13: moderate" in clinician.split(why)[1][:120]
    for service in ("Psychiatry", "Psychology"):
        assert why in slips[service], slips[service]
    assert "depression severe;" not in " ".join(slips.values())


# ---- F4: slips keep the cut-offs, and a watch-for item is not a finding ---------------------


def test_a_slip_keeps_the_value_and_its_cut_off(walked):
    slips = _slips(walked[2])
    oncology, psychiatry = slips["Oncology"], slips["Psychiatry"]
    assert "bilirubin;" not in oncology
    assert "bilirubin > 1.5 × ULN" in oncology
    assert "meaningful rise > 20 % within 14 days" in oncology
    assert "item 9 ≥ 1 raises the alert" in psychiatry


def test_jaundice_recorded_no_is_never_a_finding_on_a_slip(walked):
    raw, _plan, pages = walked
    assert raw["symptoms"]["jaundice"] is False
    oncology = _slips(pages)["Oncology"]
    assert "New or rising jaundice" not in oncology
    assert "jaundice (moderate)" not in oncology
    why = oncology.split("What you need to know")[0]
    assert "jaundice recorded “no” by the nurse; moderate from bilirubin 1.62 x ULN > 1.5" in why
