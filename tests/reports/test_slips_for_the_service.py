"""The nurse's report on referral slips and the clinic phone (issues 16, 20):

- slips carried rule ids ("[PSY-DEP-3]", "sup.ref.…", "phq9_severe_min = 15"): a slip is written
  for the receiving service, in words;
- the CRITICAL suicide-risk line was printed on the physiotherapy, dietitian and social-work slips;
- "Patient booklet only" in the window printed the slips too;
- with no clinic phone set the booklet said to call and gave no number; a slip read "From: –".
"""

from __future__ import annotations

import io
import json
import re

import pytest
from pypdf import PdfReader

from planner.reports.render import render_plan_pdf
from planner.services import case_commands

PATIENT = {"mrn": "TAS-000123", "family_name": "Karimova", "given_name": "Dilnoza"}
CLINIC = {"name": "Tashkent Palliative Clinic", "phone": "+998 71 200 00 00"}
NO_PHONE = {"name": "", "phone": "", "out_of_hours_phone": ""}
RULE_ID = re.compile(r"\[[A-Z]{2,}-|\bsup\.|[a-z0-9]+_[a-z0-9_]+ = |\b[A-Z]{2,4}-[A-Z0-9-]*\d\]")


def _pages(pdf: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def suicide_plan(example_path):
    raw = json.loads(example_path.read_text(encoding="utf-8"))
    raw["psychosocial"]["phq9"] = [2, 2, 2, 2, 2, 2, 1, 1, 1]  # item 9 positive, total 15
    plan = case_commands.make_plan(raw)
    assert any(a["code"] == "suicide_risk" for a in plan["alerts"])
    return plan


def _slips(plan, clinic=CLINIC, audience="slips") -> dict[str, str]:
    """Each slip's text by its service (two slips to a page)."""
    pages = _pages(render_plan_pdf(plan, patient=PATIENT, clinic=clinic, audience=audience))
    out: dict[str, str] = {}
    for page in pages:
        for slip in page.split("Referral to ")[1:]:
            found = re.match(r"(.+?) · ", slip)
            if found:
                out[found[1]] = slip
    return out


def test_slips_carry_no_rule_ids_and_say_the_reason_in_words(suicide_plan):
    slips = _slips(suicide_plan)
    assert len(slips) == len(suicide_plan["referrals"])
    for service, page in slips.items():
        assert not RULE_ID.search(page), (service, RULE_ID.search(page))
        assert "Why we are referring her" in page
        assert re.match(r".+? · (Same day|Within a week|Routine)", page)  # the urgency
        assert "Based on:" in page
    assert "PHQ-9 item 9" in slips["Psychiatry"]  # the finding, in words


def test_the_suicide_risk_line_is_only_on_the_slips_of_services_that_act_on_it(suicide_plan):
    slips = _slips(suicide_plan)
    services_sent = set(slips)
    assert {"Psychiatry", "Physiotherapy", "Dietitian", "Social work"} <= services_sent
    for service, page in slips.items():
        carries = "CRITICAL" in page and "suicid" in page.lower()
        # the mood services only (issue 16/20 recheck: not oncology's slip)
        acts = service in {"Psychiatry", "Psychology", "Palliative care"}
        assert carries == acts, service


def test_the_window_booklet_is_the_booklet_alone_and_the_slips_their_own_part(suicide_plan):
    booklet = _pages(
        render_plan_pdf(suicide_plan, patient=PATIENT, clinic=CLINIC, audience="booklet")
    )
    assert booklet
    assert not any("Referral to" in page for page in booklet)
    slips = _pages(render_plan_pdf(suicide_plan, patient=PATIENT, clinic=CLINIC, audience="slips"))
    assert sum(page.count("Referral to") for page in slips) == len(suicide_plan["referrals"])
    assert all("Referral to" in page for page in slips)
    assert not any("Booklet" in page or "Clinician section" in page for page in slips)
    # the CLI's --audience patient keeps the contract's meaning: the booklet with its slips
    patient = _pages(
        render_plan_pdf(suicide_plan, patient=PATIENT, clinic=CLINIC, audience="patient")
    )
    assert sum(page.count("Referral to") for page in patient) == len(suicide_plan["referrals"])


def test_slips_alone_with_no_referral_say_so():
    plan = {"referrals": [], "alerts": [], "options": []}
    pages = _pages(render_plan_pdf(plan, patient=PATIENT, clinic=CLINIC, audience="slips"))
    assert "This plan makes no referrals." in pages[0]


def test_no_clinic_phone_prints_lines_to_write_it_never_a_call_without_a_number(suicide_plan):
    pages = _pages(
        render_plan_pdf(suicide_plan, patient=PATIENT, clinic=NO_PHONE, audience="patient")
    )
    booklet = [p for p in pages if "Referral to" not in p]
    whole = " ".join(booklet)
    not_set = "not set — ask your nurse: ____"
    assert f"Clinic phone number: {not_set}" in whole
    assert f"At night or at the weekend: {not_set}" in whole
    assert "Call your clinic" not in whole
    assert not re.search(r"ring the clinic\.", whole)
    assert all("Clinic phone: ____" in page for page in booklet)  # the footer of every page
    for page in (p for p in pages if "Referral to" in p):
        assert "From –" not in page
        assert "From: –" not in page
        assert "Contact –" not in page
        assert "Contact: –" not in page
        assert "____" in page


def test_the_booklet_says_when_she_was_assessed_and_when_the_plan_was_made(suicide_plan):
    patient = {**PATIENT, "assessed_on": "2026-11-20", "plan_made_on": "2026-12-06"}
    pages = _pages(
        render_plan_pdf(suicide_plan, patient=patient, clinic=CLINIC, audience="booklet")
    )
    assert (
        "Your care was assessed on 20 November 2026, and this plan was made on 6 December 2026."
        in pages[0]
    )
    assert "It was made on" not in pages[0]
