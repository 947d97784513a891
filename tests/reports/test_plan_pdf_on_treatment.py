"""`planner plan CASE --pdf` for a case on treatment (issue 19 independent review, finding 5):
the printed plan shows the review before the cycle (contract §5 `next_cycle`), never a first
plan's options with their full starting doses, and every dose it prints is one the review gives.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from planner.reports.next_cycle import printed_doses
from planner.services import printing
from planner.services.case_commands import make_plan

CASES = Path(__file__).resolve().parents[1] / "data" / "cases" / "cycle_review_independent2"
# a dose of the regimen's kind: mg/m2 or mg/kg (supportive medicines print in mg)
DOSE = re.compile(r"(\d+(?:\.\d+)?)\s*(mg/m2|mg/m²|mg/kg)")
TOTALS = re.compile(r"cumulative|lifetime|limit|total|equivalent", re.I)
# arithmetic context, not a dose to give: "of the starting 1250 mg/m2"
STARTING = re.compile(r"starting\s+\d+(?:\.\d+)?\s*(?:mg/m2|mg/m²|mg/kg|mg)")


def _printed(name: str) -> tuple[dict[str, Any], str]:
    raw = json.loads((CASES / f"{name}.json").read_text(encoding="utf-8"))
    plan = make_plan(raw)
    pdf = printing.export_plan_pdf(raw, plan)
    pages = PdfReader(io.BytesIO(pdf)).pages
    return plan, " ".join(" ".join(p.extract_text().split()) for p in pages)


@pytest.mark.parametrize(
    "name",
    [
        "01_capecitabine_hfs_g2_third",  # give, reduced
        "06_tdm1_alt_g3",  # hold, restart one level lower
        "10_doxorubicin_cumulative",  # stop
        "19_capecitabine_anc08_labs_only",  # hold, restart dose not known
    ],
)
def test_a_plan_on_treatment_prints_the_cycle_decision_and_only_its_doses(name):
    plan, printed = _printed(name)
    cycle = plan["next_cycle"]
    assert f"On treatment: the review before cycle {cycle['cycle']}" in printed
    assert "Decision: " in printed
    assert "Systemic therapy options" not in printed
    assert "Systemic therapy: the decided option" not in printed
    given = printed_doses(plan)
    body = STARTING.sub("", printed)
    for found in DOSE.finditer(body):
        if TOTALS.search(body[max(0, found.start() - 80) : found.start()]):
            continue  # a lifetime total or its limit, not a dose to give
        value, unit = found.groups()
        assert (float(value), unit.replace("m²", "m2")) in given, (value, unit, given)
    # the first plan's options are not printed as if she were starting
    for option in plan.get("options") or ():
        for drug in option.get("drugs") or ():
            absolute = drug.get("absolute_dose") or {}
            if absolute.get("value") and (absolute["value"], "mg") not in given:
                near = rf"{re.escape(drug['drug'])}\W[^.]{{0,60}}?\b{absolute['value']:g} mg\b"
                assert not re.search(near, printed, re.I), drug["drug"]


def test_a_hold_without_a_known_restart_dose_prints_none():
    _plan, printed = _printed("19_capecitabine_anc08_labs_only")
    assert "capecitabine: hold — restart dose not decided" in printed
    assert "restart dose: needs" in printed


def test_the_booklet_says_what_happens_this_time_without_doses():
    _plan, printed = _printed("06_tdm1_alt_g3")
    booklet = printed[printed.index("Your treatment this time") :]
    assert "Your treatment waits this time" in booklet
    assert not DOSE.search(booklet.split("References")[0])
