"""Variants of the rx22 allergy and interaction findings, each fixed as a class (fixrx22b):

- F3/F10: a suggested cancer drug that raises a medicine she takes (tucatinib -> apixaban,
  rivaroxaban, dabigatran, digoxin, simvastatin; lapatinib and neratinib -> P-gp substrates;
  capecitabine -> phenytoin, as it does warfarin), never "continue, nothing found";
- F4: naltrexone she takes beside the pain plan's opioids: contraindicated, said on her medicine
  and in the pain advice, in words that do not assume why she takes it;
- F5: an excipient as data of the drug (castor oil in fulvestrant), however the line spells it;
- W3: a row given the label's dose with a medicine says so, never "dose not calculated here".

JSON, the screen's plan text and the printed PDF say the same."""

from __future__ import annotations

import html
import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from planner.reports.render import render_plan_pdf
from tests.safety.test_independent_rx22 import _medicine, _plan_of, _raw, _rows, _said


def _medicines(raw: dict[str, Any], *drugs: str) -> dict[str, Any]:
    raw["allergies"] = []
    raw["medications"] = [
        {
            "drug": d,
            "dose": {"value": 5, "unit": "mg"},
            "route": "oral",
            "frequency": "twice daily",
            "indication": "as recorded",
        }
        for d in drugs
    ]
    return raw


def _pdf_text(raw: dict[str, Any], plan: dict[str, Any]) -> str:
    pdf = render_plan_pdf(
        plan,
        patient={**raw["patient"], "assessed_on": raw["assessed_on"]},
        clinic={"name": "Clinic", "phone": "+91 11 2658 8500"},
        evidence=True,
        invariant=True,
    )
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join((p.extract_text() or "").split()) for p in pages)


def _screen_text(plan: dict[str, Any]) -> str:
    from planner.ui.plan_text import plan_text_html

    shown = html.unescape(re.sub(r"<[^>]+>", " ", plan_text_html(plan, "dd/mm/yyyy")))
    return " ".join(shown.split())


# ---- F3: the DOACs and P-gp substrates beside the HER2 kinase inhibitors -----------------------


@pytest.mark.parametrize("doac", ["apixaban", "rivaroxaban", "dabigatran etexilate", "edoxaban"])
def test_every_doac_beside_a_tucatinib_option_is_reviewed_naming_it(rules, doac):
    plan = _plan_of(_medicines(_raw("R06"), doac), rules)
    assert _rows(plan, "tucatinib"), "tucatinib is offered"
    medicine = _medicine(plan, doac)
    assert medicine["action"] != "continue", medicine["reasons"]
    assert any("tucatinib" in r for r in medicine["reasons"]), medicine["reasons"]
    # the cancer drug's row says it too (no "standard" row silent about her medicine)
    for row in _rows(plan, "tucatinib"):
        assert doac in _said(row), row["warnings"]


def test_digoxin_beside_the_her2_kinase_inhibitors_is_reviewed(rules):
    plan = _plan_of(_medicines(_raw("R06"), "digoxin"), rules)
    digoxin = _medicine(plan, "digoxin")
    assert digoxin["action"] == "review"
    offered = [d for d in ("tucatinib", "lapatinib", "neratinib") if _rows(plan, d)]
    assert offered
    for drug in offered:
        assert any(drug in r for r in digoxin["reasons"]), (drug, digoxin["reasons"])


def test_digoxin_beside_elacestrant_is_reviewed(rules):
    # ORSERDU §7.2 (recalled): P-gp substrates with a narrow therapeutic index
    raw = _medicines(_raw("A05"), "digoxin")
    raw["biology"]["esr1"] = "mutated"
    plan = _plan_of(raw, rules)
    assert _rows(plan, "elacestrant"), "elacestrant is offered"
    digoxin = _medicine(plan, "digoxin")
    assert digoxin["action"] == "review"
    assert any("elacestrant" in r for r in digoxin["reasons"]), digoxin["reasons"]


def test_simvastatin_beside_tucatinib_is_changed(rules):
    # a strong CYP3A inhibitor: the simvastatin label contraindicates the pair
    plan = _plan_of(_medicines(_raw("R06"), "simvastatin"), rules)
    assert _medicine(plan, "simvastatin")["action"] == "change"


def test_apixaban_beside_tucatinib_screen_and_pdf_say_what_the_json_says(rules):
    raw = _medicines(_raw("R06"), "apixaban")
    plan = _plan_of(raw, rules)
    (reason,) = [r for r in _medicine(plan, "apixaban")["reasons"] if "tucatinib" in r]
    assert "strong CYP3A inhibitor and a P-gp inhibitor" in reason
    assert "strong CYP3A inhibitor and a P-gp inhibitor" in _screen_text(plan)
    assert "strong CYP3A inhibitor and a P-gp inhibitor" in _pdf_text(raw, plan)


# ---- F10: capecitabine raises phenytoin (and warfarin) ----------------------------------------


@pytest.mark.parametrize("taken", ["phenytoin", "warfarin"])
def test_capecitabine_raising_what_she_takes_is_named(rules, taken):
    plan = _plan_of(_medicines(_raw("A05"), taken), rules)
    assert _rows(plan, "capecitabine"), "capecitabine is offered"
    medicine = _medicine(plan, taken)
    assert medicine["action"] in {"review", "change"}, medicine["action"]
    assert any("capecitabine" in r for r in medicine["reasons"]), medicine["reasons"]
    for row in _rows(plan, "capecitabine"):
        assert taken in _said(row)


# ---- F4: naltrexone and opioids -----------------------------------------------------------------


def test_naltrexone_beside_the_opioids_is_contraindicated_on_every_surface(rules):
    raw = _raw("R03")
    plan = _plan_of(raw, rules)
    naltrexone = _medicine(plan, "naltrexone")
    assert naltrexone["action"] == "change"
    (reason,) = naltrexone["reasons"]
    assert "contraindicates the pair" in reason
    # why she takes it is not assumed
    assert "alcohol" not in reason
    assert "itch" not in reason
    pain = next(s for s in plan["supportive"] if s["problem"] == "pain")
    (said,) = [i for i in pain["interventions"] if i.startswith("She takes naltrexone")]
    opioid_line = next(i for i in pain["interventions"] if "strong opioid" in i)
    assert pain["interventions"].index(said) < pain["interventions"].index(opioid_line)
    assert "opioid analgesics will not relieve her pain" in _screen_text(plan)
    assert "opioid analgesics will not relieve her pain" in _pdf_text(raw, plan)


def test_naltrexone_without_pain_says_nothing_of_opioids(rules):
    raw = _raw("R03")
    raw["symptoms"]["esas"]["pain"] = 0
    plan = _plan_of(raw, rules)
    assert all(
        not i.startswith("She takes naltrexone")
        for s in plan["supportive"]
        for i in s["interventions"]
    )


# ---- F5: castor oil as data of fulvestrant ----------------------------------------------------


@pytest.mark.parametrize("written", ["castor oil", "Castor oil (angioedema)", "olio di ricino"])
def test_castor_oil_however_written_stops_fulvestrant(rules, written):
    raw = _raw("A05")
    raw["allergies"] = [{"substance": written, "reaction": "angioedema", "severity": "severe"}]
    plan = _plan_of(raw, rules)
    rows = _rows(plan, "fulvestrant")
    assert rows
    for row in rows:
        assert row["status"] in {"not_recommended", "contraindicated"}, row["status"]
        assert row["dose"] is None
        assert "castor oil" in _said(row)


def test_cremophor_is_not_read_as_the_oil_of_fulvestrant(rules):
    # polyoxyl 35 castor oil (paclitaxel's solvent) is its own excipient: the longer name wins
    raw = _raw("A05")
    raw["allergies"] = [
        {"substance": "polyoxyl 35 castor oil", "reaction": "anaphylaxis", "severity": "severe"}
    ]
    plan = _plan_of(raw, rules)
    for row in _rows(plan, "fulvestrant"):
        assert row["status"] not in {"not_recommended", "contraindicated"}, _said(row)


# ---- W3: the label's dose says where it comes from --------------------------------------------


def test_no_interaction_row_calls_a_labels_given_dose_not_calculated(rules):
    tables = rules.interactions
    for rule in tables.interactions:
        if "dose not calculated" not in rule.advice:
            continue
        for change in tables.interaction_doses:
            if change.change != "dose" or change.drug not in rule.with_drugs:
                continue
            assert not (change.taken_drugs & rule.taken_drugs), (rule.cited.rule, change.drug)
