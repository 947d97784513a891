"""Issue 20 item 6, the family's and the receiving services' pages:

- the booklet is built from the decided plan, never the unsigned suggestion (no drug of a
  suggestion named, no list of other choices), and it is short;
- how it speaks about the aim of treatment is the clinician's choice for this patient;
- each "no more than" limit has a line the doctor writes the clinic's own number on;
- the referral slips are two to a sheet, in words, with no rule ids, and printed only when asked.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from planner.domain.decision import Decision, decided_plan, plan_course
from planner.domain.plan_document import read_plan
from planner.reports.booklet import booklet_content, plain_text
from planner.reports.render import render_plan_pdf
from planner.reports.slips import CUT_GAP, SHRINK_AT_MOST, referral_slip, slip_height
from planner.reports.templates import MARGIN_X, PAPER, frame_height
from planner.services import case_commands, printing

CASES = Path(__file__).resolve().parents[1] / "data" / "cases"
EXAMPLE = CASES / "example.json"
HR_CHILD_PUGH_B = CASES / "review" / "05_hr_child_pugh_b_eribulin.json"
BEST_SUPPORTIVE_CARE = CASES / "review" / "14_child_pugh_c_ecog3_best_supportive_care.json"
PATIENT = {"mrn": "TAS-000123", "family_name": "Karimova", "given_name": "Dilnoza"}
CLINIC = {"name": "City Clinic", "phone": "+998 71 200 00 00", "out_of_hours_phone": "+998 71 2"}
#: a rule id or a cut-off setting's name as the plan JSON carries them ("[FUN-3]", "HR-10",
#: "sup.ref.physio.falls", "falls_min = 1")
RULE_ID = re.compile(
    r"\[[A-Z]{2,}-|\b[A-Z]{2,5}-\d+\b|\b(?:sup|reg|dose|instr|hepatic)\.[a-z_]+|"
    r"\b[a-z0-9]+_[a-z0-9_]+ = "
)
DOSE = re.compile(r"\d[\d.,]*\s*(mg|mcg|µg|mL|g\b|AUC|mg/m²|mg/kg)", re.IGNORECASE)


def _case(path: Path) -> tuple[dict, dict]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return raw, case_commands.make_plan(raw)


def _decide(plan: dict, regimen: str | None = None, aim: str = "") -> dict:
    """The plan with a decision beside it (as kept): its first option, `regimen`, or best
    supportive care where the plan leads with it."""
    course = plan_course(plan)
    if regimen is None and (course.supportive_care_first or course.option is None):
        decision = Decision("supportive_care", None, "agreed", "Dr A", "2026-11-20T10:30")
    else:
        chosen = regimen or str(course.option["regimen"])
        decision = Decision("option", chosen, "agreed", "Dr A", "2026-11-20T10:30", aim_wording=aim)
    return {**plan, "decision": decision.to_json()}


def _pdf(raw: dict, plan: dict, audience: str) -> bytes:
    """The printed parts of `plan` as decided (the printing service's path, with a clinic)."""
    source = printing.case_print_source(raw, plan)
    return render_plan_pdf(
        source.plan,
        patient=source.patient,
        clinic=CLINIC,
        audience=audience,
        invariant=True,
        symptoms=source.symptoms,
    )


def _pages(pdf: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def _booklet(plan: dict, symptoms: dict | None = None) -> str:
    return plain_text(booklet_content(decided_plan(plan), PATIENT, CLINIC, symptoms))


@pytest.mark.parametrize("path", [EXAMPLE, HR_CHILD_PUGH_B, BEST_SUPPORTIVE_CARE])
def test_a_decided_booklet_is_three_pages_or_fewer(path):
    """The example's booklet was 4 pages, and the whole patient print 11 (7 of them slips)."""
    raw, plan = _case(path)
    pages = _pages(_pdf(raw, _decide(plan), "booklet"))
    assert 1 <= len(pages) <= 3, len(pages)
    assert all("Booklet · page" in page for page in pages)


def test_the_booklet_of_an_overridden_plan_names_the_decided_drug_not_the_suggested():
    raw, plan = _case(EXAMPLE)
    assert plan["options"][0]["regimen"] == "capivasertib_fulvestrant"  # the suggestion
    pdf = _pdf(raw, _decide(plan, "alpelisib_fulvestrant"), "booklet")
    text = " ".join(_pages(pdf))
    assert "Alpelisib" in text
    assert "Capivasertib" not in text
    assert "capivasertib" not in text.lower()


def test_an_unsigned_suggestion_names_no_drug_and_no_other_choices():
    _, plan = _case(EXAMPLE)
    text = _booklet(plan)
    assert "Nothing has been decided yet" in text
    for option in plan["options"]:
        for drug in option["drugs"]:
            assert drug["drug"].lower() not in text.lower(), drug["drug"]
    assert not re.search(r"other (choices|treatments|options)", text)
    assert "cure" not in text


def test_a_best_supportive_care_booklet_has_no_treatment_side_effects():
    raw, plan = _case(EXAMPLE)  # a plan whose options carry side effects to watch for
    text = _booklet(_decide_supportive(plan), raw["symptoms"])
    assert "You will not have medicine to treat the cancer for now" in text
    for option in plan["options"]:
        for drug in option["drugs"]:
            assert drug["drug"].lower() not in text.lower(), drug["drug"]
    assert "urgent with your treatment" not in text  # a temperature on chemotherapy
    assert "very thirsty" not in text  # capivasertib's high blood sugar
    assert "if the medicine is safe for you" not in text


def _decide_supportive(plan: dict) -> dict:
    decision = Decision("supportive_care", None, "comfort first", "Dr A", "2026-11-20T10:30")
    return {**plan, "decision": decision.to_json()}


@pytest.mark.parametrize(
    ("aim", "said", "not_said"),
    [
        ("", "Your doctor will talk with you about what this treatment can do", "cure"),
        ("conversation", "Your doctor will talk with you about what this treatment", "cure"),
        ("not_cure", "This treatment will not cure the cancer.", "under control"),
        ("control", "This treatment aims to keep the cancer under control", "cure"),
    ],
)
def test_the_aim_of_treatment_is_said_as_the_clinician_chose(aim, said, not_said):
    _, plan = _case(EXAMPLE)
    text = _booklet(_decide(plan, aim=aim))
    assert said in text
    assert not_said not in text


def test_each_dose_limit_has_a_line_for_the_doctor_and_no_printed_amount():
    raw, plan = _case(EXAMPLE)  # liver impairment: the paracetamol ceiling, opioid advice
    text = _booklet(_decide(plan), raw["symptoms"])
    assert "Take no more paracetamol than your nurse writes down for you." in text
    assert (
        "Most paracetamol in 24 hours, from all your medicines: ______________ "
        "(your doctor or nurse writes this)"
    ) in text
    assert "Extra doses of strong pain medicine, most in 24 hours: ______________" in text
    assert not DOSE.search(text), DOSE.search(text)


def test_no_section_for_a_symptom_recorded_no_or_scored_none():
    raw, plan = _case(EXAMPLE)
    assert raw["symptoms"]["jaundice"] is False
    assert any(s["problem"] == "jaundice" for s in plan["supportive"])  # raised from bilirubin
    text = _booklet(_decide(plan), raw["symptoms"])
    assert "Yellow skin or eyes." not in text
    none = {**plan["supportive"][0], "problem": "nausea", "severity": "none"}
    plan = {**plan, "supportive": [*plan["supportive"], none]}
    assert "Feeling sick." not in _booklet(_decide(plan), raw["symptoms"])


def _slips(pdf: bytes) -> list[tuple[int, str]]:
    """(page number, text) of each slip: a page holds one or two."""
    return [
        (number, "Referral to " + slip)
        for number, page in enumerate(_pages(pdf))
        for slip in page.split("Referral to ")[1:]
    ]


@pytest.mark.parametrize("path", [EXAMPLE, HR_CHILD_PUGH_B, BEST_SUPPORTIVE_CARE])
def test_slips_are_two_to_a_sheet_and_a_long_one_is_never_split(path):
    raw, plan = _case(path)
    decided = _decide(plan)
    pdf = _pdf(raw, decided, "slips")
    slips = _slips(pdf)
    assert len(slips) == len(plan["referrals"]) > 2
    per_page: dict[int, int] = {}
    for page, _ in slips:
        per_page[page] = per_page.get(page, 0) + 1
    assert max(per_page.values()) == 2
    assert len(_pages(pdf)) == len(per_page)  # no empty sheet
    # the short ones two to a sheet; one too long for half a sheet has a sheet of its own
    # (never two halves of one), after the others
    width = PAPER["a4"][0] - 2 * MARGIN_X
    half = (frame_height("slip", width) - CUT_GAP) / 2
    document = read_plan(decided_plan(decided))
    long = sum(
        slip_height(referral_slip(document, r, PATIENT, CLINIC, width), width) * SHRINK_AT_MOST
        > half
        for r in document.referrals
    )
    short = len(slips) - long
    assert len(per_page) == (short + 1) // 2 + long
    assert long <= len(slips) // 2


def test_slips_print_only_when_asked():
    raw, plan = _case(EXAMPLE)
    decided = _decide(plan)
    assert not any("Referral to" in p for p in _pages(_pdf(raw, decided, "both")))
    assert not any("Referral to" in p for p in _pages(_pdf(raw, decided, "clinician")))
    # the CLI's --audience patient is the booklet with its slips (contract §1)
    patient = _pages(_pdf(raw, decided, "patient"))
    assert sum(p.count("Referral to") for p in patient) == len(plan["referrals"])


@pytest.mark.parametrize("path", [EXAMPLE, HR_CHILD_PUGH_B, BEST_SUPPORTIVE_CARE])
def test_no_rule_id_in_any_slip_or_booklet(path):
    raw, plan = _case(path)
    for decision in (plan, _decide(plan)):
        for page in _pages(_pdf(raw, decision, "patient")):
            found = RULE_ID.search(re.sub(r"MRN \S+", "MRN", page))
            assert not found, (found, page[:120])


def test_a_slip_says_the_reason_and_findings_in_words():
    raw, plan = _case(EXAMPLE)
    slips = dict(
        (re.match(r"Referral to (.+?) · ", text)[1], text)  # type: ignore[index]
        for _, text in _slips(_pdf(raw, _decide(plan), "slips"))
    )
    physio = slips["Physiotherapy"]
    assert "Within a week" in physio
    assert "Why we are referring her" in physio
    # the finding with the cut-off it was compared with (walk 21 F4: "bilirubin;" without it)
    assert "1 fall(s) in the past 3 months ≥ 1" in physio
    assert "moderate liver impairment: bilirubin" in physio
    assert "hormone receptor-positive, HER2-negative" in physio
    assert "Referred by Dr A" in physio
    assert "+998 71 200 00 00" in physio


@pytest.mark.parametrize("path", [EXAMPLE, HR_CHILD_PUGH_B, BEST_SUPPORTIVE_CARE])
def test_the_decided_booklet_reads_at_grade_8_or_lower(path, monkeypatch):
    from tests.reports.test_booklet import _grade

    raw, plan = _case(path)
    text = _booklet(_decide(plan, aim="not_cure"), raw["symptoms"])
    assert len(text.split()) > 250
    assert _grade(text.replace("_", ""), monkeypatch) <= 8.0
