"""Recheck 21 (rx21 F6 row): a T-DXd cycle review page said "Do not give: Capecitabine", from a
lapatinib + capecitabine option offered early (every line-2 option was stopped by the day's
counts) — a drug she is not on and nobody would give at that chair. On treatment the decision
page's "Do not give" names her course's drugs and the drugs of the options of her course's kind
of treatment (T-DM1 beside T-DXd: the switch a prescriber may make at that visit); the others
are counted there and kept, with their reasons, in the plan and the appendix's "Drugs to avoid"
(docs/decisions.md)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from planner.domain.engine import build_plan
from planner.domain.validation import validate_case
from planner.reports.next_cycle import avoid_this_cycle
from planner.services import printing

T04 = (
    Path(__file__).parents[1]
    / "data"
    / "independent_rx21"
    / "T04_tdxd_begun_4_4_anc_1_0_plt_50.json"
)


def _plan(rules: Any, raw: dict[str, Any]) -> dict[str, Any]:
    case, doubts = validate_case(json.loads(json.dumps(raw)), rules.limits)
    return build_plan(case, doubts, rules).to_json()


def _printed(raw: dict[str, Any], plan: dict[str, Any], **kw: Any) -> str:
    pdf = printing.export_plan_pdf(raw, plan, audience="clinician", **kw)
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join((p.extract_text() or "").split()) for p in pages)


def _do_not_give(printed: str) -> str:
    found = re.search(r"Do not give (.*?) Referrals", printed)
    assert found, printed[:2000]
    return found.group(1)


def test_t04_page_names_t_dm1_and_not_capecitabine(rules):
    raw = json.loads(T04.read_text(encoding="utf-8"))
    plan = _plan(rules, raw)
    assert plan["next_cycle"]["kind"] == "adc"
    assert {a["drug"] for a in plan["avoid"]} == {"ado-trastuzumab emtansine", "capecitabine"}
    shown, left = avoid_this_cycle(plan)
    assert [a.drug for a in shown] == ["ado-trastuzumab emtansine"]
    assert left == 1
    listed = _do_not_give(_printed(raw, plan))
    assert "Ado-trastuzumab emtansine" in listed
    assert "Capecitabine" not in listed
    assert "One more drug, of an option of another kind of treatment than her course" in listed
    # kept, with its reason, in the appendix
    appendix = _printed(raw, plan, evidence=True)
    after = appendix[appendix.index("Drugs to avoid") :]
    assert "capecitabine" in after.lower()


def test_off_treatment_every_stop_is_on_the_page(rules):
    raw = json.loads(T04.read_text(encoding="utf-8"))
    raw["treatment"] = None
    plan = _plan(rules, raw)
    shown, left = avoid_this_cycle(plan)
    assert plan["avoid"]
    assert left == 0
    assert [(a.drug, a.reason) for a in shown] == [(a["drug"], a["reason"]) for a in plan["avoid"]]
