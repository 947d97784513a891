"""The family booklet says only what the plan decided and the nurse recorded (issue 16, review
16c findings 12, 13, 14; working notes F6, F13, F19).

- Privacy (14): the booklet is read by "<name> and family". It never tells what she answered
  in a questionnaire (thoughts of self-harm, mood, worry, distress, money or family problems):
  every booklet carries the same crisis line and the same offer of support, and the clinician
  section keeps the critical alert.
- Medicines to change (12, F19): a medicine or remedy the plan says to change or stop is named
  in plain words, from the plan's `medications` only.
- Mobility (13, F6): walking-aid advice only when a walking aid was recorded; each sentence of a
  problem's advice once.
- A result not recorded is never told as a finding (F13).
"""

from __future__ import annotations

import copy
import io
import json
import re
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from planner.domain.decision import Decision, decided_plan
from planner.reports.booklet import SUPPORT, booklet_content, plain_text
from planner.reports.render import render_plan_pdf
from planner.services import case_commands, printing

ON_TREATMENT = (
    Path(__file__).resolve().parents[1] / "data" / "cases" / "on_treatment_capecitabine.json"
)
PATIENT = {"mrn": "TAS-000123", "family_name": "Karimova", "given_name": "Dilnoza"}
CLINIC = {"phone": "+998 71 200 00 00", "out_of_hours_phone": "+998 71 200 00 99"}

#: words that tell the family what she answered on the psychosocial screen
DISCLOSURES = re.compile(
    r"you told us|better off dead|hurting yourself|thoughts of death|low mood|your mood|"
    r"worry|mental health|psychologist|counsellor|money|family matters|family worries|"
    r"you live alone|keep your medicines|carer can get help|spiritual",
    re.IGNORECASE,
)


def _flat(pdf: bytes, only: str = "") -> str:
    """The words of the PDF's pages (those whose text has `only`), on one line."""
    pages = [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]
    return " ".join(" ".join(p for p in pages if only in p).split())


def _every_psychosocial_answer(raw: dict[str, Any]) -> dict[str, Any]:
    raw = copy.deepcopy(raw)
    raw["psychosocial"] = {
        "distress_thermometer": 9,
        "problems": ["practical", "family", "emotional", "spiritual", "physical"],
        "phq9": [3, 3, 3, 3, 2, 2, 2, 2, 2],  # item 9 positive, severe
        "gad7": [3, 3, 3, 3, 2, 2, 2],
        "lives_alone": True,
        "caregiver_strain": True,
    }
    raw["symptoms"]["esas"]["depression"] = 9
    raw["symptoms"]["esas"]["anxiety"] = 9
    return raw


def _booklet(plan: dict[str, Any], raw: dict[str, Any]) -> str:
    return plain_text(
        booklet_content(plan, PATIENT, CLINIC, raw.get("symptoms"), raw.get("function"))
    )


# ---- privacy (finding 14) --------------------------------------------------------------------


def test_item9_positive_prints_no_answer_in_the_booklet_but_the_alert_for_the_clinician(
    example_raw,
):
    raw = _every_psychosocial_answer(example_raw)
    plan = case_commands.make_plan(raw)
    assert any(a["code"] == "suicide_risk" for a in plan["alerts"])
    pdf = render_plan_pdf(plan, patient=PATIENT, clinic=CLINIC, audience="patient", invariant=True)
    booklet = _flat(pdf, only="Booklet · page")  # the slips are the receiving services'
    # the offer of support every booklet carries says nothing of her
    offered = booklet
    for paragraph in SUPPORT:
        assert paragraph in offered
        offered = offered.replace(paragraph, "")
    found = DISCLOSURES.findall(offered)
    assert not found, found
    assert "better off dead" not in booklet
    # everyone's booklet has the crisis line and the same offer of support
    assert "thoughts of self-harm, call us now" in booklet
    assert "Support for you and your family" in booklet
    clinician = _flat(
        render_plan_pdf(plan, patient=PATIENT, clinic=CLINIC, audience="clinician", invariant=True)
    )
    assert "CRITICAL" in clinician
    assert "item 9" in clinician


def test_the_booklet_is_the_same_with_and_without_psychosocial_answers(example_raw):
    """Nothing in it follows the answers: the crisis line and the support offer are printed for
    everyone, so even their presence tells the family nothing."""
    quiet = copy.deepcopy(example_raw)
    quiet["psychosocial"] = {
        "distress_thermometer": 1,
        "problems": [],
        "phq9": [0] * 9,
        "gad7": [0] * 7,
        "lives_alone": False,
        "caregiver_strain": False,
    }
    quiet["symptoms"]["esas"]["depression"] = 0
    quiet["symptoms"]["esas"]["anxiety"] = 0
    loud = _every_psychosocial_answer(example_raw)
    said = {}
    for name, raw in (("quiet", quiet), ("loud", loud)):
        plan = case_commands.make_plan(raw)
        sections = booklet_content(plan, PATIENT, CLINIC, raw["symptoms"], raw["function"])
        said[name] = {
            s.title: plain_text([s])
            for s in sections
            if s.title in ("When to call us", "Food and activity")
        }
        assert "Support for you and your family" in said[name]["Food and activity"]
        assert "thoughts of self-harm" in said[name]["When to call us"]
    assert said["quiet"] == said["loud"]


def test_no_booklet_words_in_the_rule_tables_tell_an_answer(rules):
    """`patient_text` is the booklet's: none of it says what she answered ("You told us …")."""
    told = re.compile(r"\byou told us\b|better off dead", re.IGNORECASE)
    for row in rules.supportive.interventions:
        for words in (row.patient_text, row.gap_patient_text or ""):
            assert not told.search(words), (row.id, words)


# ---- medicines to change (finding 12, F19) ---------------------------------------------------


def _with_medicines(raw: dict[str, Any]) -> dict[str, Any]:
    raw = copy.deepcopy(raw)
    raw["medications"] = [
        {"drug": "paracetamol", "dose": {"value": 1000, "unit": "mg"}, "route": "oral",
         "frequency": "four times daily"},
        {"drug": "carbamazepine", "dose": {"value": 200, "unit": "mg"}, "route": "oral",
         "frequency": "twice daily", "indication": "neuropathic pain"},
        {"drug": "omeprazole", "dose": {"value": 20, "unit": "mg"}, "route": "oral",
         "frequency": "once daily"},
    ]  # fmt: skip
    raw["herbal_or_traditional"] = ["St John's wort tea", "kava", "mint tea"]
    return raw


def _decide(plan: dict[str, Any], regimen: str) -> dict[str, Any]:
    decision = Decision(
        course="option",
        regimen=regimen,
        reason="chosen with her",
        decided_by="Dr Rustam Aliev, oncologist",
        decided_at="2026-11-20T10:00:00",
    )
    return decided_plan({**plan, "decision": decision.to_json()})


def test_the_booklet_says_which_medicines_to_change_and_how(example_raw):
    raw = _with_medicines(example_raw)
    plan = _decide(case_commands.make_plan(raw), "capivasertib_fulvestrant")
    actions = {m["drug"]: m["action"] for m in plan["medications"]}
    assert actions["St John's wort tea"] == "change"
    assert actions["paracetamol"] == "change"
    assert actions["carbamazepine"] == "change"
    assert actions["kava"] == "stop"
    assert actions["omeprazole"] == "continue"
    sections = booklet_content(plan, PATIENT, CLINIC, raw["symptoms"], raw["function"])
    (medicines,) = [s for s in sections if s.title == "Your medicines"]
    said = plain_text([medicines])
    assert "Stop taking St John's wort tea. It changes how your cancer medicine works." in said
    assert "Stop taking kava. It can harm your liver." in said
    assert "Ask us before you take any herb" in said
    assert (
        "Take no more paracetamol a day than your doctor or nurse writes here, counting all "
        "the medicines that contain it." in said
    )
    assert "Most paracetamol in 24 hours, from all your medicines" in said
    # a prescribed medicine is never stopped on her own
    assert "carbamazepine" in said.lower()
    assert "Do not stop it on your own" in said
    # nothing about what she may go on taking, nor a medicine the plan does not name
    assert "omeprazole" not in said.lower()
    assert "mint tea" not in said.lower()
    # one line to write the paracetamol limit on in the whole booklet
    assert plain_text(sections).count("Most paracetamol in 24 hours") == 1


def test_no_medicines_section_when_nothing_is_to_change(example_raw):
    raw = copy.deepcopy(example_raw)
    raw["medications"] = [
        {"drug": "omeprazole", "dose": {"value": 20, "unit": "mg"}, "route": "oral",
         "frequency": "once daily"},
    ]  # fmt: skip
    plan = case_commands.make_plan(raw)
    titles = [s.title for s in booklet_content(plan, PATIENT, CLINIC)]
    assert "Your medicines" not in titles


def test_an_undecided_plan_names_no_cancer_drug_in_the_medicines_words(example_raw):
    raw = _with_medicines(example_raw)
    plan = case_commands.make_plan(raw)
    sections = booklet_content(plan, PATIENT, CLINIC, raw["symptoms"], raw["function"])
    (medicines,) = [s for s in sections if s.title == "Your medicines"]
    said = plain_text([medicines])
    assert "Stop taking St John's wort tea. It changes how cancer medicines work." in said
    for drug in ("capivasertib", "everolimus", "alpelisib", "fulvestrant"):
        assert drug not in said.lower()


# ---- mobility (finding 13, F6) ---------------------------------------------------------------


def test_no_walking_aid_advice_when_she_walks_without_one(example_raw):
    raw = copy.deepcopy(example_raw)
    raw["function"]["mobility"] = "independent"
    raw["function"]["falls_past_3_months"] = 1
    text = _booklet(case_commands.make_plan(raw), raw)
    assert "stick" not in text
    assert "frame" not in text
    assert "walking aid" not in text
    assert "Move rugs off the floor" in text  # falls were recorded


def test_walking_aid_advice_when_one_was_recorded(example_raw):
    raw = copy.deepcopy(example_raw)
    raw["function"]["mobility"] = "walks_with_aid"
    raw["function"]["falls_past_3_months"] = 0
    text = _booklet(case_commands.make_plan(raw), raw)
    assert "Use your walking aid every time you walk." in text
    assert "Move rugs off the floor" not in text


def test_no_walking_advice_for_someone_in_bed(example_raw):
    raw = copy.deepcopy(example_raw)
    raw["function"]["mobility"] = "bed_bound"
    text = _booklet(case_commands.make_plan(raw), raw)
    assert "walk a little every day" not in text
    assert "walking aid" not in text


def test_each_sentence_of_a_problems_advice_is_printed_once(example_raw):
    """Opioid advice for the liver and for slow kidneys both end "Tell us if you feel very
    sleepy or muddled": the pain paragraph says it once. (In the engine's plan today the
    paracetamol limit, the NSAID "do not" and the liver-opioid pieces take the three places a
    problem has, so the two meet only where those are not advised, as here: the plan's pain
    advice cut to the two opioid pieces.)"""
    raw = copy.deepcopy(example_raw)
    raw["labs"]["creatinine"] = {"value": 110, "unit": "umol/L"}  # CrCl about 40 mL/min
    plan = case_commands.make_plan(raw)
    assert 30 <= plan["body"]["crcl_ml_min"] < 60
    (item,) = [s for s in plan["supportive"] if s["problem"] == "pain"]
    both = ("sup.int.pain.opioid_renal_moderate", "sup.int.pain.opioid_liver")
    kept = [d for d in item["intervention_details"] if d["id"] in both]
    assert [d["id"] for d in kept] == list(both)
    item["intervention_details"] = kept
    item["patient_text"] = [d["patient_text"] for d in kept]
    sections = booklet_content(plan, PATIENT, CLINIC, raw["symptoms"], raw["function"])
    (pain,) = [b for s in sections for b in s.blocks if b.heading == "Pain"]
    said = " ".join(pain.items)
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", said) if s]
    assert len(sentences) == len(set(sentences)), said


# ---- a result not recorded (F13) -------------------------------------------------------------


def test_kidney_function_not_recorded_is_never_told_as_weak(example_raw):
    raw = copy.deepcopy(example_raw)
    raw["labs"].pop("creatinine")
    plan = case_commands.make_plan(raw)
    assert plan["body"].get("crcl_ml_min") is None
    text = _booklet(plan, raw)
    assert "kidneys are weak" not in text
    assert "kidneys clear pain medicine slowly" not in text
    assert "kidneys are a little slow" not in text
    assert "blood test to check your kidneys" in text


def test_the_printed_booklet_follows_the_mobility_of_the_case(example_raw):
    """The whole path a print takes (case file -> print source -> PDF) carries what was
    recorded, not only the booklet's words."""
    said = {}
    for mobility in ("independent", "walks_with_aid"):
        raw = copy.deepcopy(example_raw)
        raw["function"]["mobility"] = mobility
        source = printing.case_print_source(raw, case_commands.make_plan(raw))
        pdf = printing.print_plan_document(source, audience="patient", invariant=True).pdf
        said[mobility] = _flat(pdf, only="Booklet · page")
    assert "walking aid" not in said["independent"]
    assert "stick or frame" not in said["independent"]
    assert "Use your walking aid every time you walk." in said["walks_with_aid"]


# ---- on treatment: what to watch for follows the drugs given this cycle ----------------------


def test_on_treatment_the_booklet_has_the_stop_list_of_the_tablets_given():
    """On capecitabine the booklet's "When to call us" said neither that a fever is urgent nor
    when to stop the tablets (the cycle sheet's patient page did): it follows the drugs given
    this cycle, and a held drug's list is not shown (she is not taking it)."""
    raw = json.loads(ON_TREATMENT.read_text(encoding="utf-8"))
    plan = case_commands.make_plan(raw)
    assert [(d["drug"], d["action"]) for d in plan["next_cycle"]["drugs"]] == [
        ("capecitabine", "hold")
    ]
    held = plain_text(booklet_content(plan, PATIENT, CLINIC))
    assert "Stop taking the tablets" not in held
    given = copy.deepcopy(plan)
    given["next_cycle"]["decision"] = "give"
    given["next_cycle"]["drugs"][0]["action"] = "reduce"
    said = plain_text(booklet_content(given, PATIENT, CLINIC))
    assert "Stop taking the tablets and call us straight away" in said
    assert "This is urgent with your treatment." in said
