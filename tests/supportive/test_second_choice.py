"""The supportive part chooses twice when its own suggestions change a drug-group fact (tramadol
not beside a suggested serotonergic antidepressant). The second choice collects the problems
again only when a collector asked about a fact that changed (`Collected.with_plan_facts`);
otherwise it reuses the first collection. Both ways must give the same plan, for every case."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.domain.liver_safe_drugs import Fact
from planner.domain.problems import InputInvalid
from planner.domain.symptoms import Collected
from planner.services import case_commands

DATA = Path(__file__).resolve().parents[1] / "data"
CASES = sorted(p for p in DATA.rglob("*.json") if "plans" not in p.parts)


def _plan(raw: object) -> dict | None:
    try:
        return case_commands.make_plan(raw)
    except InputInvalid:
        return None  # not a valid case document (an expected output, a refused case)


def test_reusing_the_first_collection_gives_the_plan_a_new_collection_gives(monkeypatch):
    raws = []
    for path in CASES:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(raw, dict):
            raws.append((path, raw))
    reused = {path: _plan(raw) for path, raw in raws}
    calls = []

    def never_reuse(self: Collected, plan_facts: object) -> None:
        calls.append(self)
        return None

    monkeypatch.setattr(Collected, "with_plan_facts", never_reuse)
    planned = 0
    for path, raw in raws:
        fresh = _plan(raw)
        # byte for byte: the facts' order reaches the printed reasons
        assert json.dumps(fresh) == json.dumps(reused[path]), path.name
        planned += fresh is not None
    assert planned > 100
    assert calls, "some case's suggestions change a drug-group fact (the second choice runs)"


def _collected(asked: frozenset[str]) -> Collected:
    from types import MappingProxyType

    from planner.domain.symptoms import Findings

    before = {"liver_fact": Fact("liver_fact", "from the liver")}
    plan = (Fact("serotonergic_in_plan", "sertraline in this plan"),)
    added = (Fact("problem_pain", "pain (moderate)"),)
    facts = {**before, plan[0].name: plan[0], added[0].name: added[0]}
    findings = Findings(MappingProxyType(facts), MappingProxyType({}), ())
    return Collected(findings, MappingProxyType(before), plan, added, asked)


def test_a_changed_fact_no_collector_asked_about_keeps_the_collection_in_a_new_ones_order():
    other = Fact("qt_prolonging_in_plan", "ribociclib in this plan")
    again = _collected(frozenset({"bone_metastases"})).with_plan_facts([other])
    assert again is not None
    assert list(again.findings.facts) == ["liver_fact", "qt_prolonging_in_plan", "problem_pain"]


@pytest.mark.parametrize("asked", ["serotonergic_in_plan", "qt_prolonging_in_plan"])
def test_a_changed_fact_a_collector_asked_about_collects_again(asked):
    other = Fact("qt_prolonging_in_plan", "ribociclib in this plan")
    assert _collected(frozenset({asked})).with_plan_facts([other]) is None


def test_the_same_plan_facts_with_other_words_count_as_changed():
    reworded = Fact("serotonergic_in_plan", "sertraline and tramadol in this plan")
    assert _collected(frozenset({"serotonergic_in_plan"})).with_plan_facts([reworded]) is None
