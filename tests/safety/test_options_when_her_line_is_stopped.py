"""rx21 F8: a trastuzumab allergy stopped both line-2 HER2 options (T-DXd, T-DM1) and the plan
ended in best supportive care, while lapatinib + capecitabine, which TYKERB §1 allows after
trastuzumab-based therapy, was in the regimen table for line 3 only. A later-line row whose label
allows her line (`line_min_if_stopped`) is offered when every option of her line is stopped."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from planner.reports.render import render_plan_pdf
from planner.services import case_commands

CASES = Path(__file__).parents[1] / "data" / "independent_rx21"
GIVABLE = {"standard", "reduced", "caution"}


def _a01(**changes: Any) -> dict[str, Any]:
    (path,) = CASES.glob("A01_*.json")
    raw = copy.deepcopy(json.loads(path.read_text(encoding="utf-8")))
    raw.update(changes)
    return raw


def _option(plan: dict[str, Any], regimen: str) -> dict[str, Any] | None:
    return next((o for o in plan["options"] if o["regimen"] == regimen), None)


def test_a_herceptin_allergy_in_line_2_leads_with_lapatinib_capecitabine_dosed():
    plan = case_commands.make_plan(_a01())
    assert plan["systemic_therapy"]["appropriate"] is True
    first = min(plan["options"], key=lambda o: o["rank"])
    assert first["regimen"] == "lapatinib_capecitabine"
    doses = {d["drug"]: (d["status"], d["dose"] and d["dose"]["value"]) for d in first["drugs"]}
    # TYKERB §2: lapatinib 1,250 mg daily with capecitabine 1,000 mg/m2 twice daily, days 1-14
    assert doses == {"lapatinib": ("standard", 1250.0), "capecitabine": ("standard", 1000.0)}
    assert any("offered before its usual line" in n for n in first["notes"])
    sources = {b["source"] for b in first["basis"]}
    assert "reg.h2.tykerb_indication" in sources
    # the stopped conjugates are still shown, after it, with the allergy named
    for regimen in ("trastuzumab_deruxtecan_her2_positive", "ado_trastuzumab_emtansine"):
        option = _option(plan, regimen)
        assert option is not None
        assert option["rank"] > first["rank"]
        assert all(d["status"] == "not_recommended" for d in option["drugs"])


def test_neratinib_and_tucatinib_are_not_brought_forward():
    """NERLYNX §1 and MARGENZA §1 need two or more prior anti-HER2 regimens; the tucatinib
    triplet contains trastuzumab itself."""
    plan = case_commands.make_plan(_a01())
    for regimen in (
        "neratinib_capecitabine",
        "margetuximab_chemotherapy",
        "tucatinib_trastuzumab_capecitabine",
    ):
        assert _option(plan, regimen) is None, regimen


def test_without_the_allergy_line_2_is_unchanged():
    plan = case_commands.make_plan(_a01(allergies=[]))
    first = min(plan["options"], key=lambda o: o["rank"])
    assert first["regimen"] == "trastuzumab_deruxtecan_her2_positive"
    assert all(d["status"] in GIVABLE for d in first["drugs"])
    assert _option(plan, "lapatinib_capecitabine") is None


def test_a_line_min_if_stopped_not_below_line_min_is_refused(tmp_path):
    import shutil

    from planner.rules.errors import RulesError
    from planner.rules.loader import check_rules, default_rules_dir

    rules_dir = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules_dir)
    table = rules_dir / "regimens.toml"
    text = table.read_text(encoding="utf-8")
    assert "line_min_if_stopped = 2" in text
    table.write_text(text.replace("line_min_if_stopped = 2", "line_min_if_stopped = 3"), "utf-8")
    with pytest.raises(RulesError, match="line_min_if_stopped is not below line_min"):
        check_rules(rules_dir)


def test_the_printed_decision_page_offers_what_the_json_offers():
    raw = _a01()
    plan = case_commands.make_plan(raw)
    pdf = render_plan_pdf(
        plan,
        patient={**raw["patient"], "assessed_on": raw["assessed_on"]},
        clinic={"name": "Clinic", "phone": "+91 11 2658 8500"},
        invariant=True,
    )
    first_page = " ".join((PdfReader(io.BytesIO(pdf)).pages[0].extract_text() or "").split())
    assert "Lapatinib" in first_page
    assert "1250 mg" in first_page or "1,250 mg" in first_page
    assert "best supportive care" not in first_page.lower()
