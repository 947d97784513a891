"""HR+/HER2+ first line without chemotherapy (misc23 item 4).

ASCO 2014 (HER2+ guideline): for selected HR+/HER2+ patients, endocrine therapy plus
HER2-targeted therapy (trastuzumab or lapatinib) instead of chemotherapy plus HER2-targeted
therapy. TYKERB §1 / Tyverb §4.1 (EU, read in the Commission's annex): lapatinib with an aromatase
inhibitor for postmenopausal women with HR+ metastatic disease not currently intended for
chemotherapy. What the plan offers:

- trastuzumab usable: letrozole + trastuzumab + pertuzumab (any line), first when she declines
  chemotherapy (it was already there);
- trastuzumab stopped (an allergy): lapatinib + letrozole, beside the single-agent chemotherapy
  and endocrine therapy alone that the stopped-line rule offers, after the chemotherapy and
  before endocrine therapy alone; first when she declines chemotherapy. It was missing: the plan
  offered endocrine therapy alone as the only chemotherapy-free option.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from planner.services import case_commands

CASES = Path(__file__).parents[1] / "data" / "independent_rx21"
HERCEPTIN = [{"substance": "trastuzumab", "reaction": "anaphylaxis", "severity": "severe"}]
CHEMOTHERAPY = {"paclitaxel_weekly", "docetaxel", "capecitabine", "vinorelbine"}


def _line_1(*, hr_positive: bool = True, declines: bool = False, allergies=None) -> dict:
    (path,) = CASES.glob("A01_*.json")
    raw = copy.deepcopy(json.loads(path.read_text(encoding="utf-8")))
    raw["disease"]["prior_therapy"] = []
    raw["biology"].update(er_percent=80 if hr_positive else 0, pr_percent=40 if hr_positive else 0)
    raw["allergies"] = allergies or []
    raw["preferences"]["declines_chemotherapy"] = declines
    return raw


def _by_id(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {o["regimen"]: o for o in plan["options"]}


def _first(plan: dict[str, Any]) -> dict[str, Any]:
    return min(plan["options"], key=lambda o: o["rank"])


def test_declining_chemotherapy_with_trastuzumab_usable_leads_with_ai_trastuzumab_pertuzumab():
    plan = case_commands.make_plan(_line_1(declines=True))
    first = _first(plan)
    assert first["regimen"] == "endocrine_her2_directed"
    assert [(d["drug"], d["status"]) for d in first["drugs"]] == [
        ("letrozole", "standard"),
        ("trastuzumab", "standard"),
        ("pertuzumab", "standard"),
    ]
    # the trastuzumab route stands: lapatinib + letrozole is the option without trastuzumab
    assert "lapatinib_letrozole" not in _by_id(plan)


def test_a_trastuzumab_allergy_offers_lapatinib_letrozole_after_chemotherapy(rules):
    plan = case_commands.make_plan(_line_1(allergies=HERCEPTIN))
    options = _by_id(plan)
    option = options["lapatinib_letrozole"]
    assert [(d["drug"], d["status"], d["dose"]["value"]) for d in option["drugs"]] == [
        ("lapatinib", "standard", 1500.0),
        ("letrozole", "standard", 2.5),
    ]
    assert max(options[r]["rank"] for r in CHEMOTHERAPY) < option["rank"]
    assert option["rank"] < options["letrozole_alone"]["rank"]
    # why: the label's indication (read, EU) and ASCO's (unverified), and the stopped line's words
    basis = {b["source"] for b in option["basis"]}
    assert {
        "reg.h2.tyverb_ai_indication",
        "reg.h2.tykerb_letrozole_indication",
        "reg.h2.asco2014_endocrine_her2",
    } <= basis
    assert rules.sources["reg.h2.tyverb_ai_indication"].verified  # read in the EU annex
    assert not rules.sources["reg.h2.tykerb_letrozole_indication"].verified
    (note,) = [n for n in option["notes"] if n.startswith("offered because")]
    assert "trastuzumab-based HER2-directed therapy is stopped for her" in note
    assert "lapatinib" in note
    assert option["verified"] is False


def test_a_trastuzumab_allergy_and_no_chemotherapy_leads_with_lapatinib_letrozole():
    plan = case_commands.make_plan(_line_1(allergies=HERCEPTIN, declines=True))
    first = _first(plan)
    assert first["regimen"] == "lapatinib_letrozole"
    assert all(d["dose"] is not None for d in first["drugs"])
    assert plan["systemic_therapy"]["appropriate"] is True


@pytest.mark.parametrize("allergies", [None, HERCEPTIN])
def test_hormone_receptor_negative_is_never_offered_lapatinib_letrozole(allergies):
    plan = case_commands.make_plan(_line_1(hr_positive=False, allergies=allergies))
    assert "lapatinib_letrozole" not in _by_id(plan)


def test_the_row_is_only_offered_when_her_line_is_stopped(rules):
    regimen = rules.regimens.regimens["lapatinib_letrozole"]
    assert regimen.when.subtypes == ()
    assert regimen.when.subtypes_if_stopped == ("HER2+",)
    assert regimen.when.hr_positive is True
    assert regimen.dose_schedules["lapatinib"] == ("with_letrozole",)
