"""misc22 (rx21 F8 generalised): HER2+ line 1 with a Herceptin allergy. Every HER2+ line-1 row
carries trastuzumab (or its conjugate), so all were stopped and the plan said best supportive
care: a stop became the decision (rule 2). The rows whose `subtypes_if_stopped` names HER2+ are
offered then (single-agent chemotherapy; endocrine therapy alone where HR+), each with why, and
the plan says the allergy stopped HER2-directed therapy and that desensitisation is a
specialist's decision (ASCO 2014 HER2+ guideline; the chemotherapy reading marked as the
program's)."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from planner.domain.frozen_value import frozen_value
from planner.domain.regimen_tables import Regimen
from planner.domain.regimens import select_regimens
from planner.domain.subtype import classify_subtype, therapy_history
from planner.reports.render import render_plan_pdf
from planner.services import case_commands
from planner.services.case_commands import check_case
from planner.services.rule_tables import rules

CASES = Path(__file__).parents[1] / "data" / "independent_rx21"
GIVABLE = {"standard", "reduced", "caution"}
CHEMOTHERAPY = {"paclitaxel_weekly", "docetaxel", "capecitabine", "vinorelbine"}
ENDOCRINE = {"letrozole_alone", "fulvestrant_alone"}
STOPPED = {
    "pertuzumab_trastuzumab_docetaxel",
    "pertuzumab_trastuzumab_paclitaxel",
    "trastuzumab_deruxtecan_pertuzumab",
}


def _line_1(hr_positive: bool = False, **changes: Any) -> dict[str, Any]:
    """A01 (HER2 3+, Herceptin allergy) before any treatment for metastatic disease."""
    (path,) = CASES.glob("A01_*.json")
    raw = copy.deepcopy(json.loads(path.read_text(encoding="utf-8")))
    raw["disease"]["prior_therapy"] = []
    if hr_positive:
        raw["biology"].update(er_percent=80, pr_percent=40)
    raw.update(changes)
    return raw


def _by_id(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {o["regimen"]: o for o in plan["options"]}


def test_her2_line_1_with_a_herceptin_allergy_offers_chemotherapy_without_trastuzumab():
    plan = case_commands.make_plan(_line_1())
    systemic = plan["systemic_therapy"]
    assert systemic["appropriate"] is True
    assert systemic["not_appropriate_because"] == []
    options = _by_id(plan)
    # HR-negative: chemotherapy alone, never endocrine therapy
    assert set(options) >= CHEMOTHERAPY
    assert not ENDOCRINE & set(options)
    ranked = sorted(plan["options"], key=lambda o: o["rank"])
    # the taxane of THP first (weekly: the hepatic-dysfunction choice), then the others; the
    # stopped trastuzumab rows after every usable one, still listed with their reason
    assert [o["regimen"] for o in ranked[:4]] == [
        "paclitaxel_weekly",
        "docetaxel",
        "capecitabine",
        "vinorelbine",
    ]
    assert {o["regimen"] for o in ranked[4:]} == STOPPED
    first = ranked[0]
    assert [(d["drug"], d["status"], d["dose"]["value"]) for d in first["drugs"]] == [
        ("paclitaxel", "standard", 80.0)
    ]
    for regimen in CHEMOTHERAPY:
        option = options[regimen]
        assert all(d["status"] in GIVABLE for d in option["drugs"])
        (note,) = [n for n in option["notes"] if n.startswith("offered because")]
        assert note.startswith(
            "offered because trastuzumab-based HER2-directed therapy is stopped for her (trastuzumab, "
            "trastuzumab deruxtecan: her recorded allergy)"
        )
        assert "single-agent chemotherapy as for HER2-negative disease" in note
        assert "a program reading" in note
        assert "unverified" in note
        sources = {b["source"] for b in option["basis"]}
        assert {"reg.h2.asco2014_case_by_case", "reg.h2.without_her2_program"} <= sources
    for regimen in STOPPED:
        assert any(d["status"] == "not_recommended" for d in options[regimen]["drugs"])
    (warning,) = [w for w in systemic["warnings"] if "HER2-directed therapy" in w]
    assert "her recorded allergy stops trastuzumab, trastuzumab deruxtecan" in warning
    assert "desensitisation" in warning
    assert "specialist decision" in warning


def test_hr_positive_her2_line_1_adds_endocrine_therapy_alone_after_chemotherapy():
    plan = case_commands.make_plan(_line_1(hr_positive=True))
    options = _by_id(plan)
    assert set(options) >= CHEMOTHERAPY | ENDOCRINE
    assert max(options[r]["rank"] for r in CHEMOTHERAPY) < min(
        options[r]["rank"] for r in ENDOCRINE
    )
    assert options["letrozole_alone"]["drugs"][0]["dose"]["value"] == 2.5
    # letrozole + trastuzumab + pertuzumab stays, stopped, after them
    assert options["endocrine_her2_directed"]["rank"] > options["fulvestrant_alone"]["rank"]
    sources = {b["source"] for b in options["letrozole_alone"]["basis"]}
    assert "reg.h2.asco2014_endocrine_alone" in sources


@pytest.mark.parametrize("hr_positive", [False, True])
def test_without_the_allergy_line_1_offers_only_the_her2_rows(hr_positive):
    plan = case_commands.make_plan(_line_1(hr_positive, allergies=[]))
    options = _by_id(plan)
    assert not (CHEMOTHERAPY | ENDOCRINE) & set(options)
    first = min(plan["options"], key=lambda o: o["rank"])
    assert first["regimen"] == "pertuzumab_trastuzumab_docetaxel"
    assert not any(
        "HER2-directed therapy is stopped" in w for w in plan["systemic_therapy"]["warnings"]
    )


def test_line_2_still_leads_with_lapatinib_and_brings_no_chemotherapy_alone():
    """A HER2-directed option usable at line 2 (lapatinib + capecitabine, its label's line):
    nothing is brought forward for HER2+ without HER2-directed therapy."""
    (path,) = CASES.glob("A01_*.json")
    plan = case_commands.make_plan(json.loads(path.read_text(encoding="utf-8")))
    options = _by_id(plan)
    assert min(plan["options"], key=lambda o: o["rank"])["regimen"] == "lapatinib_capecitabine"
    assert not CHEMOTHERAPY & set(options)


@frozen_value
class _Dose:
    """What ranking reads of a drug's dose row (the DoseState protocol)."""

    status: str
    stopped_by_allergy: bool = False
    gaps: tuple[Any, ...] = ()
    avoided_with: tuple[str, ...] = ()


@pytest.mark.parametrize("by_allergy", [False, True])
def test_a_stop_that_is_no_allergy_names_no_desensitisation(by_allergy):
    """Trastuzumab and its conjugate stopped by something other than an allergy (here: a
    stand-in for her organ function or a medicine): the chemotherapy is offered and the plan
    names the stop, without a word of desensitisation; by an allergy, with it."""
    ruleset = rules()
    case = check_case(_line_1(allergies=[]), ruleset).case
    table = ruleset.regimens
    anti_her2 = {"trastuzumab", "trastuzumab deruxtecan"}

    def dose_of(regimen: Regimen, drug: str) -> _Dose:
        if drug in anti_her2:
            return _Dose("not_recommended", stopped_by_allergy=by_allergy)
        return _Dose("standard")

    selection = select_regimens(
        case,
        classify_subtype(case, table.cutoffs),
        therapy_history(case, table.cutoffs, ruleset.drugs),
        "no",
        table,
        ruleset.drugs,
        dose_of=dose_of,
    )
    first = min(selection.options, key=lambda o: o.rank)
    assert first.regimen.id == "paclitaxel_weekly"
    (warning,) = [w for w in selection.warnings if "HER2-directed therapy" in w]
    assert warning.startswith(
        "every option of line 1 for HER2+ has a drug stopped for her (trastuzumab, "
        "trastuzumab deruxtecan): trastuzumab-based HER2-directed therapy is stopped as the plan stands"
    )
    assert ("desensitisation" in warning) is by_allergy
    assert ("her recorded allergy" in first.notes[0]) is by_allergy


def test_the_screen_and_the_printed_page_offer_what_the_json_offers():
    from planner.ui.plan_text import plan_text_html

    raw = _line_1()
    plan = case_commands.make_plan(raw)
    pdf = render_plan_pdf(
        plan,
        patient={**raw["patient"], "assessed_on": raw["assessed_on"]},
        clinic={"name": "Clinic", "phone": "+91 11 2658 8500"},
        invariant=True,
        evidence=True,
    )
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]
    first_page = pages[0]
    assert "suggestion: Paclitaxel weekly (option 1 of 7)" in first_page
    assert "80 mg/m² IV on days 1, 8 and 15" in first_page
    # why chemotherapy alone, on the decision page itself
    assert (
        "Why this option: offered because trastuzumab-based HER2-directed therapy is stopped for her "
        "(trastuzumab, trastuzumab deruxtecan: her recorded allergy)" in first_page
    )
    assert "best supportive care" not in first_page.lower()
    # the plan's warning, in the appendix: the stop and the specialist decision it leaves
    printed = " ".join(pages)
    assert (
        "her recorded allergy stops trastuzumab, trastuzumab deruxtecan: whether it can be"
        in printed
    )
    assert "the allergy service with her oncologist" in printed
    screen = plan_text_html(plan, "%d/%m/%Y")
    assert "Paclitaxel weekly" in screen
    assert "HER2-directed therapy is stopped" in screen
    assert "Note: every option of line 1 for HER2+ has a drug stopped for her" in screen
    assert "offered because trastuzumab-based HER2-directed therapy is stopped for her" in screen


def test_with_every_option_stopped_the_plan_says_so_and_cites_its_own_rule():
    """Allergies that stop HER2-directed therapy and every chemotherapy brought forward: best
    supportive care, said as the program's rule (unverified) beside ABC 4's supportive care
    from diagnosis, never the hepatic visceral-crisis cisplatin cohort it cited before."""
    raw = _line_1()
    raw["allergies"] += [
        {"substance": allergen, "reaction": "anaphylaxis", "severity": "severe"}
        for allergen in ("paclitaxel", "docetaxel", "capecitabine", "vinorelbine")
    ]
    plan = case_commands.make_plan(raw)
    systemic = plan["systemic_therapy"]
    assert systemic["appropriate"] is False
    (reason,) = systemic["not_appropriate_because"]
    assert reason["code"] == "no_usable_agent"
    assert reason["basis"] == [
        {"rule": "STOP-4", "source": "reg.stop.no_usable_agent", "verified": False},
        {"rule": "STOP-4", "source": "reg.stop.supportive_care_routine", "verified": True},
    ]
    assert not CHEMOTHERAPY & set(_by_id(plan))  # a stopped row brought forward offers nothing
    (warning,) = [w for w in systemic["warnings"] if "HER2-directed therapy" in w]
    assert warning.endswith("no option without it is usable for her either")
    pdf = render_plan_pdf(
        plan,
        patient={**raw["patient"], "assessed_on": raw["assessed_on"]},
        clinic={"name": "Clinic", "phone": "+91 11 2658 8500"},
        invariant=True,
        evidence=True,
    )
    printed = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages
    )
    assert (
        "This program (clinical review pending), rules reviewed 2026-11-22: Program rule: with no "
        "agent usable, best supportive care (citation unverified — confirm locally)"
    ) in printed
    assert "(ABC 4) — Annals of Oncology (ESO-ESMO), 2018: General management statements" in printed
    assert "cisplatin" not in printed.lower()
