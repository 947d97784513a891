"""Allergies as people write them (rx21 F1, F3, W1): catalogue names and brands found inside free
text, whole words only; excipient allergies (polysorbate 80, Cremophor EL) reach the drugs
formulated with them; a cabazitaxel reaction reaches docetaxel (TAXOTERE and JEVTANA §4)."""

from __future__ import annotations

import copy
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from planner.domain.allergy_names import AllergyReading, catalogue_names, names_in, read_allergy
from planner.domain.engine import build_plan
from planner.domain.validation import validate_case
from planner.reports.render import render_plan_pdf
from planner.services import case_commands

CASES = Path(__file__).parents[1] / "data" / "independent_rx21"
STOPPED = {"not_recommended", "contraindicated"}


def _reading(rules, written: str) -> AllergyReading:
    limits = rules.limits
    names = catalogue_names(
        limits.medicines,
        limits.allergy_classes,
        limits.allergy_excipients,
        limits.allergy_combinations,
    )
    return read_allergy(
        written, names, limits.excipients_of, limits.classes_of, limits.combinations_of
    )


def _read(rules, written: str) -> tuple[str, str]:
    reading = _reading(rules, written)
    return reading.named[0] if len(reading.named) == 1 else (reading.kind, written)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("docetaxel (Taxotere)", ("drug", "docetaxel")),
        ("TAXOTERE®", ("drug", "docetaxel")),
        ("Taxol®", ("drug", "paclitaxel")),
        ("Taxol™", ("drug", "paclitaxel")),
        ("paclitaxel (Taxol)", ("drug", "paclitaxel")),
        ("Paclitaxel.", ("drug", "paclitaxel")),
        ("paclitaxel injection", ("drug", "paclitaxel")),
        ("paclitaxel 175 mg/m2 — anaphylaxis 2019", ("drug", "paclitaxel")),
        ("  PACLITAXEL  ", ("drug", "paclitaxel")),
        # the longer name wins: nab-paclitaxel is not read as paclitaxel
        ("nab-paclitaxel (Abraxane)", ("drug", "nab-paclitaxel")),
        ("Nab paclitaxel", ("drug", "nab-paclitaxel")),
        ("paclitaxel protein-bound", ("drug", "nab-paclitaxel")),
        ("Herceptin (trastuzumab)", ("drug", "trastuzumab")),
        ("Kadcyla", ("drug", "ado-trastuzumab emtansine")),
        # words the catalogue does not know are set aside, never guessed at
        ("docetaxel (polysorbate 20)", ("drug", "docetaxel")),
        ("cabazitaxel", ("drug", "cabazitaxel")),
        ("Jevtana", ("drug", "cabazitaxel")),
        # a drug with its own excipient is the drug; a class with a drug of it is the class
        ("paclitaxel (Cremophor EL)", ("drug", "paclitaxel")),
        ("penicillins (amoxicillin)", ("class", "penicillin")),
        ("Taxanes", ("class", "taxane")),
        ("calcium channel blockers", ("class", "calcium_channel_blocker")),
        ("Polysorbate-80", ("excipient", "polysorbate 80")),
        ("Tween 80", ("excipient", "polysorbate 80")),
        ("Cremophor", ("excipient", "polyoxyl 35 castor oil")),
        ("polyoxyl 35 castor oil", ("excipient", "polyoxyl 35 castor oil")),
        # the oil itself, fulvestrant's solvent (rx22 F5), not the polyoxyl derivative
        ("castor oil", ("excipient", "castor oil")),
    ],
)
def test_an_allergy_is_read_inside_what_was_written(rules, written, expected):
    assert _read(rules, written) == expected


@pytest.mark.parametrize(
    "written",
    [
        "paclitaxelin",  # a longer word is not the drug
        "xpaclitaxel",
        "polysorbate",  # 20 or 80?
        "shellfish",
    ],
)
def test_text_that_names_no_one_substance_stays_free_text(rules, written):
    assert _read(rules, written) == ("other", written)


def test_names_are_found_as_whole_words_only():
    names = {"pac": ("drug", "x"), "pac lit": ("drug", "y")}
    assert names_in("Pac-Lit.", names) == (("drug", "y"),)
    assert names_in("pacman", names) == ()
    assert names_in("PAC (lit)", names) == (("drug", "y"),)


def _raw(written: str) -> dict[str, Any]:
    """Case A05 (HR+/HER2-low, every taxane among her options) with this one allergy."""
    (path,) = CASES.glob("A05_*.json")
    raw = copy.deepcopy(json.loads(path.read_text(encoding="utf-8")))
    raw["allergies"] = [{"substance": written, "reaction": "anaphylaxis", "severity": "severe"}]
    return raw


def _plan(rules, written: str) -> dict[str, Any]:
    case, doubts = validate_case(_raw(written), rules.limits)
    return build_plan(case, doubts, rules).to_json()


def _rows(plan: dict[str, Any], drug: str) -> list[dict[str, Any]]:
    rows = [d for o in plan["options"] for d in o["drugs"] if d["drug"] == drug]
    assert rows, f"no {drug} row"
    return rows


def _said(row: dict[str, Any]) -> str:
    return " ".join([row.get("stop_reason") or "", *(row.get("warnings") or ())])


@pytest.mark.parametrize("written", ["docetaxel (Taxotere)", "Taxotere®", "DOCETAXEL."])
def test_a_docetaxel_allergy_written_any_way_stops_it_and_cautions_the_paclitaxels(rules, written):
    plan = _plan(rules, written)
    for row in _rows(plan, "docetaxel"):
        assert row["status"] in STOPPED
        assert row["dose"] is None
        assert written in _said(row)
    for drug in ("paclitaxel", "nab-paclitaxel"):
        for row in _rows(plan, drug):
            assert row["status"] == "caution"
            assert "another taxane" in _said(row)
    assert "drug_allergy" in {a["code"] for a in plan["alerts"]}
    assert not [g for g in plan["gaps"] if g["field"].startswith("allergies")]


def test_a_cabazitaxel_reaction_stops_docetaxel_by_its_polysorbate_80_label_wording(rules):
    plan = _plan(rules, "cabazitaxel (Jevtana)")
    (docetaxel,) = _rows(plan, "docetaxel")
    assert docetaxel["status"] == "not_recommended"
    assert docetaxel["dose"] is None
    said = _said(docetaxel)
    assert "formulated with polysorbate 80, as cabazitaxel is" in said
    # the TAXOTERE and JEVTANA §4 rows are cited, verified
    cited = {b["source"] for b in docetaxel["basis"]}
    assert {"ix.src.taxotere_polysorbate_80", "ix.src.jevtana_polysorbate_80"} <= cited
    for drug in ("paclitaxel", "nab-paclitaxel"):
        for row in _rows(plan, drug):
            assert row["status"] == "caution"
            assert row["dose"] is not None
            assert "another taxane" in _said(row)


def test_a_polysorbate_80_allergy_stops_docetaxel_and_cautions_what_contains_it(rules):
    plan = _plan(rules, "polysorbate 80")
    (docetaxel,) = _rows(plan, "docetaxel")
    assert docetaxel["status"] == "not_recommended"
    assert "docetaxel is formulated with polysorbate 80" in _said(docetaxel)
    for row in _rows(plan, "trastuzumab deruxtecan"):
        assert row["status"] == "caution"
        assert "EU product information contraindicates" in _said(row)
    for drug in ("paclitaxel", "nab-paclitaxel"):  # no polysorbate 80 in them
        for row in _rows(plan, drug):
            assert row["status"] == "standard"
    (allergy,) = plan["allergies"]
    assert (allergy["kind"], allergy["substance"]) == ("excipient", "polysorbate 80")


def test_a_cremophor_allergy_stops_paclitaxel_but_not_nab_paclitaxel(rules):
    plan = _plan(rules, "Cremophor EL")
    for row in _rows(plan, "paclitaxel"):
        assert row["status"] == "not_recommended"
        assert "polyoxyl 35 castor oil" in _said(row)
    for row in _rows(plan, "nab-paclitaxel"):  # albumin-bound: no castor-oil solvent
        assert row["status"] == "standard"
    for row in _rows(plan, "docetaxel"):
        assert row["status"] == "standard"


def test_a_paclitaxel_reaction_reaches_ixabepilone_through_cremophor():
    """IXEMPRA §4: not after a severe reaction to agents containing Cremophor EL (paclitaxel)."""
    raw = _raw("Taxol")
    row = case_commands.dose_drug(raw, "ixabepilone")
    assert row["status"] == "not_recommended"
    assert row["dose"] is None
    assert (
        "ixabepilone is formulated with polyoxyl 35 castor oil, as paclitaxel is"
        in (row["stop_reason"])
    )
    assert {"ix.src.paclitaxel_cremophor", "ix.src.ixempra_cremophor"} <= {
        b["source"] for b in row["basis"]
    }


def test_an_unread_allergy_is_a_named_gap_and_printed_not_checked(rules):
    plan = _plan(rules, "shellfish")
    (gap,) = [g for g in plan["gaps"] if g["field"] == "allergies[0].substance"]
    assert "not checked" in gap["effect"]
    assert "write the drug's name or brand" in gap["effect"]
    (allergy,) = plan["allergies"]
    assert allergy["kind"] == "other"
    assert allergy["substances"] == []


def test_the_printed_plan_says_what_the_json_says():
    """Rule 3: the docetaxel the plan stops for a cabazitaxel reaction is printed with no dose,
    and the allergy is printed as read, not as "not checked"."""
    raw = _raw("cabazitaxel")
    plan = case_commands.make_plan(raw)
    (docetaxel,) = _rows(plan, "docetaxel")
    assert docetaxel["dose"] is None
    pdf = render_plan_pdf(
        plan,
        patient={**raw["patient"], "assessed_on": raw["assessed_on"]},
        clinic={"name": "Clinic", "phone": "+91 11 2658 8500"},
        evidence=True,
        invariant=True,
    )
    text = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages
    )
    assert "cabazitaxel — anaphylaxis (severe)" in text
    assert "not checked against the plan" not in text
    assert not re.search(r"[Dd]ocetaxel[^.;]{0,40}75 mg", text)


# ---- recheck21: biosimilar brands, abbreviations, and fluorouracil before capecitabine ---------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Kanjinti", ("drug", "trastuzumab")),
        ("Ogivri (trastuzumab-dkst)", ("drug", "trastuzumab")),
        ("T-DM1", ("drug", "ado-trastuzumab emtansine")),
        ("T-DXd", ("drug", "trastuzumab deruxtecan")),
        ("5-FU", ("drug", "fluorouracil")),
        ("5-fluorouracil infusion", ("drug", "fluorouracil")),
    ],
)
def test_biosimilar_brands_and_abbreviations_are_read(rules, written, expected):
    assert _read(rules, written) == expected


def _first_plan_rows(raw: dict[str, Any], drug: str) -> list[dict[str, Any]]:
    plan = case_commands.make_plan(raw)
    return [d for o in plan["options"] for d in o["drugs"] if d["drug"] == drug]


def test_a_5fu_allergy_stops_capecitabine(example_raw):
    # XELODA §4: contraindicated after a severe hypersensitivity reaction to fluorouracil
    raw = copy.deepcopy(example_raw)
    raw["allergies"] = [{"substance": "5-FU", "reaction": "anaphylaxis", "severity": "severe"}]
    rows = _first_plan_rows(raw, "capecitabine")
    assert rows
    assert all(r["status"] in STOPPED for r in rows)
    assert all(r["dose"] is None for r in rows)


def test_a_biosimilar_trastuzumab_allergy_reaches_the_conjugates(example_raw):
    raw = copy.deepcopy(example_raw)
    raw["biology"].update(her2_ihc="3+", her2_ish=None)
    raw["allergies"] = [{"substance": "Kanjinti", "reaction": "anaphylaxis", "severity": "severe"}]
    rows = _first_plan_rows(raw, "trastuzumab deruxtecan")
    assert rows
    assert all(r["status"] in STOPPED for r in rows)
