"""misc22 (walk 21 F14): "mg/m2" and "mg/m²" mixed in one cycle-review panel. One rendering per
medium, from one home (`plan_words.units_in_words`, applied by `clinician_words` and
`dose_words`): the JSON keeps the contract's ASCII codes ("mg/m2"), the screen and the paper say
"mg/m²"."""

from __future__ import annotations

import io
import json
import re

from pypdf import PdfReader

from planner.domain.plan_words import clinician_words, units_in_words
from planner.reports.render import render_plan_pdf
from planner.ui.cycle_decision import decision_html

ASCII_UNIT = re.compile(r"(?<![\w^])(m2|umol/L)(?![\w²])")


def test_units_in_words_renders_each_code_once():
    assert (
        units_in_words("80 mg/m2 × 1.68 m2 = 134.4 mg; bilirubin 34 umol/L; ANC 2100 /uL")
        == "80 mg/m² × 1.68 m² = 134.4 mg; bilirubin 34 µmol/L; ANC 2100 /µL"
    )
    # already rendered, or inside a word: left alone
    assert (
        units_in_words("25 mg/m² of vinorelbine; cm2; m2x") == "25 mg/m² of vinorelbine; cm2; m2x"
    )
    assert clinician_words("dose level -1 (75 %): 750 mg/m2") == "dose level -1 (75 %): 750 mg/m²"


def test_the_review_panel_says_mg_per_m2_one_way(review):
    next_cycle = review("vinorelbine", {"vinorelbine": (25, 25, "mg/m2")}, labs={"anc": 1.2})
    plan = next_cycle["plan"]
    # the JSON: the contract's codes, words included
    said = json.dumps(plan["next_cycle"], ensure_ascii=False)
    assert "mg/m2" in said
    assert "²" not in said
    # the screen: the panel's doses and reasons in one form
    panel = decision_html(plan)
    assert "mg/m²" in panel
    assert not ASCII_UNIT.search(panel), ASCII_UNIT.search(panel)


def test_the_printed_plan_says_mg_per_m2_one_way():
    """A01 (HER2+, first line): THP's docetaxel and paclitaxel doses per m², the BSA."""
    from pathlib import Path

    from planner.services import case_commands

    (path,) = (Path(__file__).parents[1] / "data" / "independent_rx21").glob("A01_*.json")
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["disease"]["prior_therapy"] = []
    plan = case_commands.make_plan(raw)
    assert "²" not in json.dumps(plan, ensure_ascii=False)
    pdf = render_plan_pdf(
        plan,
        patient={**raw["patient"], "assessed_on": raw["assessed_on"]},
        clinic={"name": "Clinic", "phone": "1"},
        invariant=True,
        evidence=True,
    )
    printed = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "mg/m²" in printed
    assert "m²" in printed
    assert not ASCII_UNIT.search(printed)
