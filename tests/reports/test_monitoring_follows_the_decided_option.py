"""Issue 16: the monitoring printed with a decided plan is that of the decided option. A
rejected option's drug monitoring (a CDK4/6 inhibitor's ECG beside capecitabine, ribociclib's
QTc ECG beside palbociclib) must not reach the paper."""

from __future__ import annotations

import copy

import pytest

from planner.domain.decision import Decision, decided_plan
from planner.services.case_commands import make_plan

ECG = ("ECG", "QTc")


@pytest.fixture(scope="module")
def first_line_plan(example_raw_module):
    raw = copy.deepcopy(example_raw_module)
    raw["disease"]["prior_therapy"] = []  # ER+ HER2-: CDK4/6 inhibitors with letrozole first
    raw["biology"]["her2_ihc"] = "0"
    return make_plan(raw)


@pytest.fixture(scope="module")
def example_raw_module():
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "data" / "cases" / "example.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _decided(plan, regimen):
    decision = Decision("option", regimen, "her choice", "Dr A", "2026-12-01T10:00")
    return decided_plan({**plan, "decision": decision.to_json()})


def _monitoring(plan):
    return plan["follow_up"]["monitoring"]


@pytest.mark.parametrize(
    "regimen", ["capecitabine", "letrozole_palbociclib", "letrozole_abemaciclib"]
)
def test_no_ecg_for_a_decided_option_without_ribociclib(first_line_plan, regimen):
    regimens = [o["regimen"] for o in first_line_plan["options"]]
    assert regimens[0] == "letrozole_ribociclib"  # the engine's first: the ECG is suggested
    assert any(word in m for m in _monitoring(first_line_plan) for word in ECG)
    assert regimen in regimens
    monitoring = _monitoring(_decided(first_line_plan, regimen))
    assert not [m for m in monitoring if any(word in m for word in ECG)]


def test_capecitabine_brings_its_own_rows_and_none_of_the_cdk46_rows(first_line_plan):
    cdk = next(o for o in first_line_plan["options"] if o["regimen"] == "letrozole_ribociclib")
    capecitabine = next(o for o in first_line_plan["options"] if o["regimen"] == "capecitabine")
    monitoring = _monitoring(_decided(first_line_plan, "capecitabine"))
    for row in capecitabine["monitoring"]:
        assert row in monitoring
    for row in set(cdk["monitoring"]) - set(capecitabine["monitoring"]):
        assert row not in monitoring


def test_ribociclib_decided_keeps_its_ecg(first_line_plan):
    monitoring = _monitoring(_decided(first_line_plan, "letrozole_ribociclib"))
    assert any("ECG (QTcF)" in m for m in monitoring)


def test_the_printed_clinician_section_follows_the_decision(first_line_plan, render, page_texts):
    pages = page_texts(render(_decided(first_line_plan, "capecitabine"), audience="clinician"))
    follow = " ".join(" ".join(p.split()) for p in pages).split("Monitoring and follow-up")[1]
    assert "QTc" not in follow
    assert "every 2 weeks for the first 2 cycles" not in follow
    assert "Full blood count (neutrophils, platelets)" in follow
