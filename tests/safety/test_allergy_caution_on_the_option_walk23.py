"""walk23 #6: nab-paclitaxel was offered at 208 mg/m² ("reduced") to a woman with a paclitaxel
rash; the caution ("ask an allergy specialist before the first dose") was only in the detail
pane, and the critical banner named the drugs not recommended only. A dosed drug beside a
related allergy says so on its option line (screen and print), and the drug_allergy alert names
it with "caution" after the drugs not recommended."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from planner.domain.engine import build_plan
from planner.domain.plan_document import read_plan
from planner.domain.validation import validate_case
from planner.reports.render import render_plan_pdf
from planner.ui.wizard.pages.review import plan_items

CASES = Path(__file__).parents[1] / "data" / "independent_rx21"


def _case() -> dict[str, Any]:
    (path,) = CASES.glob("A03_*.json")
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["allergies"] = [{"substance": "paclitaxel", "reaction": "rash"}]
    return raw


def _plan(rules, raw: dict[str, Any]) -> dict[str, Any]:
    case, doubts = validate_case(raw, rules.limits)
    return build_plan(case, doubts, rules).to_json()


def test_the_banner_names_the_dosed_drug_with_caution(rules):
    plan = _plan(rules, _case())
    dosed = [
        d
        for o in plan["options"]
        for d in o["drugs"]
        if d["drug"] == "nab-paclitaxel" and d["dose"] is not None
    ]
    assert dosed  # the case still offers it with a dose (the clinician decides)
    (alert,) = [a for a in plan["alerts"] if a["code"] == "drug_allergy"]
    assert alert["level"] == "critical"
    assert any(r.startswith("nab-paclitaxel (") and ": caution —" in r for r in alert["reasons"])
    assert "nab-paclitaxel (" in alert["message"]
    assert "it is not recommended" not in alert["message"]  # not said of a caution


def test_every_dosed_option_line_of_the_drug_says_allergy_caution(rules):
    lines = [
        text
        for _heading, entries in plan_items(read_plan(_plan(rules, _case())))
        for text, _entry in entries
        if text.strip().startswith("nab-paclitaxel:")
    ]
    assert lines
    for line in lines:
        assert "no dose" in line or "ALLERGY CAUTION: related to her allergy to paclitaxel" in line


def test_the_printed_option_says_allergy_caution_beside_its_dose(rules):
    raw = _case()
    pdf = render_plan_pdf(
        _plan(rules, raw),
        patient={**raw["patient"], "assessed_on": raw["assessed_on"]},
        clinic={"name": "Clinic", "phone": "+998 71 000 00 00"},
        invariant=True,
    )
    text = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages
    )
    dosed = list(re.finditer(r"nab-paclitaxel[^;—]{0,40}?\d+ mg/m", text, flags=re.I))
    assert dosed
    for found in dosed:
        near = text[found.start() : found.end() + 400]
        assert "ALLERGY CAUTION" in near, near
