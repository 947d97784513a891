"""Words, not codes, where review 16c found them (issue 16, finding 15): a blank treatment line
("disease.prior_therapy[1]: null is not an object"), the clinic's ULN note on the labs page
("labs.bilirubin.uln: … 21 umol/L"), and a held drug said twice in the signature line
("(carboplatin held) (Carboplatin held)")."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from planner.domain.decision import DoseChange, HeldDrug
from planner.domain.problems import InputInvalid
from planner.domain.settings import ClinicSettings
from planner.services import case_commands, kept_plans, printing

CASE = Path(__file__).resolve().parents[1] / "data" / "nurse16" / "everolimus_exemestane_held.json"


def test_a_blank_list_line_is_said_in_words(example_raw):
    raw = copy.deepcopy(example_raw)
    raw["disease"]["prior_therapy"] = [*(raw["disease"].get("prior_therapy") or []), None]
    with pytest.raises(InputInvalid) as refused:
        case_commands.check_case(raw)
    (problem,) = refused.value.problems
    assert problem.message == "is a blank line: fill it in, or remove the line"


def test_the_clinic_uln_note_names_the_test_in_words(example_raw):
    raw = copy.deepcopy(example_raw)
    raw["labs"]["bilirubin"].pop("uln", None)
    settings = ClinicSettings(lab_uln={"bilirubin": 21.0})
    notes = case_commands.make_plan(raw, settings=settings)["hepatic"]["warnings"]
    (note,) = [n for n in notes if "upper limit of normal" in n]
    assert note == (
        "bilirubin: no upper limit of normal (ULN) on the result; the clinic default, "
        "21 µmol/L, was used"
    )
    assert "labs." not in note
    assert "umol/L" not in note  # µmol/L, as a clinician writes it


def test_a_held_drug_is_said_once_in_the_signature_line(record):
    raw = json.loads(CASE.read_text(encoding="utf-8"))
    made = kept_plans.make_and_keep_plan(record, record.import_case(raw).assessment_id).plan_id
    decided = kept_plans.decide_plan(
        record,
        made,
        course="option",
        regimen="everolimus_exemestane",
        reason="Child-Pugh B: everolimus low, exemestane held",
        dose_changes=(DoseChange("everolimus", 2.5, "mg", "Child-Pugh B"),),
        held=(HeldDrug("exemestane", "hot flushes: resume when settled"),),
        decided_by="Dr Arjun Mehta, oncologist",
    )
    source = printing.plan_print_source(record, decided)
    pdf = printing.print_plan_document(source, audience="clinician").pdf
    flat = " ".join(
        " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    said = flat.split("Treatment chosen and doses prescribed:")[1][:160]
    assert said.lower().count("exemestane held") == 1, said
    assert "2.5 mg" in said
