"""The printed plan is the decided plan (issue 16, the independent nurse16 walkthrough): with best
supportive care decided nothing promises a cancer treatment; a held drug prints as held, never
in the schedule; advice about a cancer drug (tamoxifen and CYP2D6, G-CSF with sacituzumab
govitecan) prints only when that drug is given.

The two cases are the nurse's own (a TNBC woman whose option 1 is sacituzumab govitecan, and a
HR-positive woman offered everolimus + exemestane or tamoxifen); the decisions are kept through
the services the window calls, and the printed PDF's text is read back."""

from __future__ import annotations

import io
import json
from pathlib import Path

from pypdf import PdfReader

from planner.domain.decision import DoseChange, HeldDrug
from planner.services import kept_plans, printing
from planner.services.patient_record import PatientRecord

CASES = Path(__file__).resolve().parents[1] / "data" / "nurse16"


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def _kept(record: PatientRecord, name: str) -> int:
    raw = json.loads((CASES / name).read_text(encoding="utf-8"))
    outcome = record.import_case(raw)
    return kept_plans.make_and_keep_plan(record, outcome.assessment_id).plan_id


def test_best_supportive_care_prints_no_treatment_and_no_drug_advice(record):
    made = _kept(record, "tnbc_best_supportive_care.json")
    suggestion = record.plan(made)
    # the engine's suggestion (sacituzumab govitecan first) carries its G-CSF advice ...
    assert any(s["problem"] == "neutropenia_risk" for s in suggestion.plan["supportive"])
    decided = kept_plans.decide_plan(
        record, made, course="supportive_care", regimen=None, reason="comfort-focused care"
    )
    source = printing.plan_print_source(record, decided)
    # ... the plan as decided gives no cancer drug, so none of it is left
    assert all(s["problem"] != "neutropenia_risk" for s in source.plan["supportive"])
    booklet = _text(printing.print_plan_document(source, audience="patient").pdf)
    assert "You will not have medicine to treat the cancer" in booklet
    assert "This treatment can lower" not in booklet
    assert "after each" not in booklet  # "injections ... after each treatment"
    clinician = _text(printing.print_plan_document(source, audience="clinician").pdf)
    assert "G-CSF" not in clinician
    assert "neutropenia risk" not in clinician.lower()


def test_a_held_drug_is_held_never_scheduled(record):
    made = _kept(record, "everolimus_exemestane_held.json")
    decided = kept_plans.decide_plan(
        record,
        made,
        course="option",
        regimen="everolimus_exemestane",
        reason="start lower",
        dose_changes=(DoseChange("everolimus", 2.5, "mg", "Child-Pugh B"),),
        held=(HeldDrug("exemestane", "hot flushes on an earlier AI: resume when settled"),),
    )
    source = printing.plan_print_source(record, decided)
    option = next(o for o in source.plan["options"] if o.get("chosen"))
    assert "exemestane" not in option["schedule"]
    exemestane = next(d for d in option["drugs"] if d["drug"] == "exemestane")
    assert exemestane["schedule"] is None
    assert exemestane["dose"] is None
    pdf = printing.print_plan_document(source, audience="both", evidence=True, slips=True).pdf
    printed = _text(pdf)
    assert "Everolimus + exemestane" not in printed
    assert "Everolimus (exemestane held)" in printed
    assert "exemestane orally" not in printed
    schedule = [line for line in printed.splitlines() if line.startswith("Schedule:")]
    assert schedule
    assert all("exemestane" not in line for line in schedule)
    assert "hot flushes on an earlier AI: resume when settled" in printed
    assert "Exemestane: not for now" in printed  # the booklet


def test_tamoxifen_advice_only_when_tamoxifen_is_given(record):
    made = _kept(record, "everolimus_exemestane_held.json")
    suggestion = record.plan(made).plan
    # tamoxifen is among the options, so the suggestion carries the CYP2D6 advice ...
    assert "tamoxifen" in json.dumps(suggestion["supportive"])
    decided = kept_plans.decide_plan(
        record, made, course="option", regimen="everolimus_exemestane", reason="as suggested"
    )
    source = printing.plan_print_source(record, decided)
    # ... which goes once everolimus + exemestane is decided
    assert "tamoxifen" not in json.dumps(source.plan["supportive"])
    booklet = _text(printing.print_plan_document(source, audience="patient").pdf)
    assert "tamoxifen" not in booklet.lower()


def test_supportive_advice_is_printed_whole(record):
    """The clinician section printed "2 g/day in…" for the paracetamol ceiling and "+4 more on
    screen": clinical advice is never cut mid-sentence in print (in full in the evidence
    appendix; the decision page names each problem and the medicines its advice names)."""
    made = _kept(record, "everolimus_exemestane_held.json")
    source = printing.plan_print_source(record, made)
    pdf = printing.print_plan_document(source, audience="clinician", evidence=True).pdf
    printed = " ".join(_text(pdf).split())
    assert "…" not in printed
    # every intervention of every problem is there, whole
    for item in source.plan["supportive"]:
        for advice in item["interventions"]:
            words = " ".join(advice.split())
            assert words[-40:].replace("mg/m2", "mg/m²") in printed, advice


def test_the_pharmacist_slip_reads_as_words(record):
    """The slip printed "…other findings])]:" (a rule label with brackets left half-stripped)
    and called an opioid with haloperidol an interaction "with the cancer treatment"."""
    made = _kept(record, "everolimus_exemestane_held.json")
    source = printing.plan_print_source(record, made)
    slips = _text(printing.print_plan_document(source, audience="slips").pdf)
    flat = " ".join(slips.split())
    assert "Referral to Pharmacist" in flat
    assert "])" not in flat
    assert "[[" not in flat
    assert "interacts with the cancer treatment" not in flat
    assert "interacts with another drug of the plan or one she takes" in flat
    # a half sheet says the marker short, never cut in half (reports/slips.py SHORT_UNVERIFIED)
    assert flat.count("(unverified") == flat.count("(unverified)")


def test_the_printed_bilirubin_trend_keeps_the_earlier_result(record):
    """The screen charted 2.1 mg/dL (ULN 1.2: 1.75 × ULN, drawn 04/12) before today's 2.6 µmol/L;
    the paper left it out (two assessments on one day: one point a day, the last kept)."""
    from planner.reports.charts import points

    made = _kept(record, "tnbc_best_supportive_care.json")
    source = printing.plan_print_source(record, made)
    charted = dict(points(source.trends, "bilirubin_x_uln"))
    assert [round(v, 2) for d, v in charted.items() if d.isoformat() == "2026-12-04"] == [1.75]
    assert [round(v, 2) for d, v in charted.items() if d.isoformat() == "2026-12-07"] == [0.12]
