"""rx24 F7: an allergy written as the brand of a supportive medicine ("Zofran") named no drug.

drug_names.toml now holds the brands of the supportive medicines as US, EU, Russian/Uzbek and
Indian records write them, and the supportive combination products (co-codamol, co-dydramol,
Ultracet, Combiflam), each read as every drug it contains. A brand is read wherever a drug name
is read: an allergy line (with its Russian case endings) and a medicine she takes."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from planner.domain.allergy_names import catalogue_names, read_allergy
from planner.domain.engine import build_plan
from planner.domain.problems import InputInvalid
from planner.domain.validation import validate_case

CASES = Path(__file__).parents[1] / "data" / "independent_rx24"


def _read(rules, written: str) -> tuple[tuple[str, str], ...]:
    limits = rules.limits
    names = catalogue_names(
        {**limits.allergy_inflections, **limits.medicines},
        limits.allergy_classes,
        limits.allergy_excipients,
        limits.allergy_combinations,
    )
    return read_allergy(
        written, names, limits.excipients_of, limits.classes_of, limits.combinations_of
    ).named


@pytest.mark.parametrize(
    ("written", "drug"),
    [
        ("Zofran", "ondansetron"),
        ("Zofran 8 mg tablets", "ondansetron"),
        ("Зофран", "ondansetron"),
        ("на зофране", "ondansetron"),  # Russian prepositional case
        ("Emeset", "ondansetron"),  # India
        ("Kytril", "granisetron"),
        ("Tylenol", "paracetamol"),
        ("Panadol", "paracetamol"),
        ("Dolo 650", "paracetamol"),  # India
        ("парацетамол", "paracetamol"),
        ("Voltaren", "diclofenac"),
        ("Ортофен", "diclofenac"),
        ("Nurofen", "ibuprofen"),
        ("Celebrex", "celecoxib"),
        ("OxyContin", "oxycodone"),
        ("Durogesic patch", "fentanyl"),
        ("MST Continus", "morphine"),
        ("Церукал", "metoclopramide"),
        ("Motilium", "domperidone"),
        ("Анальгин", "metamizole"),
    ],
)
def test_a_supportive_brand_is_read_as_its_drug(rules, written, drug):
    assert _read(rules, written) == (("drug", drug),)


@pytest.mark.parametrize(
    ("written", "drugs"),
    [
        ("co-codamol 30/500", {"paracetamol", "codeine"}),
        ("Co-dydramol", {"paracetamol", "dihydrocodeine"}),
        ("Ultracet", {"tramadol", "paracetamol"}),
        ("Zaldiar", {"tramadol", "paracetamol"}),
        ("Combiflam", {"ibuprofen", "paracetamol"}),
        ("Tylenol with codeine", {"paracetamol", "codeine"}),
    ],
)
def test_a_supportive_combination_is_read_as_each_of_its_drugs(rules, written, drugs):
    assert {substance for _, substance in _read(rules, written)} == drugs


def _plan(rules, raw: dict[str, Any]) -> dict[str, Any]:
    case, doubts = validate_case(raw, rules.limits)
    return build_plan(case, doubts, rules).to_json()


def test_a_panadol_allergy_stops_the_paracetamol_of_the_pain_line(rules):
    (path,) = CASES.glob("Y02_*.json")
    raw = copy.deepcopy(json.loads(path.read_text(encoding="utf-8")))
    raw["allergies"] = [{"substance": "Panadol", "reaction": "anaphylaxis", "severity": "severe"}]
    plan = _plan(rules, raw)
    assert "allergies[0].substance" not in {g["field"] for g in plan["gaps"]}
    (alert,) = [a for a in plan["alerts"] if a["code"] == "drug_allergy"]
    assert "paracetamol (supportive care: pain" in alert["message"]
    assert "not recommended" in alert["message"]


def test_a_brand_is_read_as_the_medicine_she_takes(rules):
    raw = {
        "schema": "planner.case/1",
        "patient": {"mrn": "RX24F7", "family_name": "Sharma"},
        "assessed_on": "2026-12-08",
        "medications": [{"drug": "Zofran"}, {"drug": "Dolo"}, {"drug": "Voltaren"}],
    }
    case = validate_case(raw, rules.limits)[0]
    assert [m.drug for m in case.medications] == ["ondansetron", "paracetamol", "diclofenac"]


@pytest.mark.parametrize(
    ("written", "drugs"),
    [("Co-codamol 30/500", "paracetamol and codeine"), ("Ultracet", "tramadol and paracetamol")],
)
def test_a_combination_product_as_a_medicine_is_refused_naming_its_drugs(rules, written, drugs):
    """rx24 N1 (in part): a product of several drugs is not read as one of them; the refusal
    says to enter each drug on its own line, so each is checked and its paracetamol counted."""
    raw = {
        "schema": "planner.case/1",
        "patient": {"mrn": "RX24N1", "family_name": "Sharma"},
        "assessed_on": "2026-12-08",
        "medications": [{"drug": written}],
    }
    with pytest.raises(InputInvalid) as refused:
        validate_case(raw, rules.limits)
    said = str(refused.value)
    assert "medications[0].drug" in said
    assert f"is a product of several drugs: enter each on its own line ({drugs})" in said
