"""The STOP-4 reasons' basis lives in subtype.toml, not in the engine (misc23 item 2, rule 4).

Defect class: engine.py wrote rule ids, source ids and verified flags in code for the "severe
hepatic impairment" and "no usable agent" reasons; one cited a cisplatin cohort as verified
while its own source row was unverified (and the cohort says neither). The rows are now
`[[stop_reason]]` rows of subtype.toml, read by the loader, and a row is never more verified
than the sources it cites.
"""

from __future__ import annotations

import ast
import copy
from pathlib import Path

import pytest

from planner.domain import engine
from planner.rules import RulesError, load_rules
from planner.services import case_commands


def test_the_engine_writes_no_basis_of_its_own():
    """No `Basis(...)` in engine.py is built from literals (a rule id, a source, a flag)."""
    tree = ast.parse(Path(engine.__file__).read_text(encoding="utf-8"))
    literal = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "Basis"
        and any(isinstance(a, ast.Constant) for a in node.args)
    ]
    assert literal == []


def test_each_stop_reason_has_its_rows_and_none_claims_more_than_its_sources(rules):
    rows = rules.regimens.cutoffs.stop_reasons
    assert set(rows) == {"severe_hepatic_impairment", "no_usable_agent"}
    for key, bases in rows.items():
        for basis in bases:
            assert basis.rule == "STOP-4", key
            for source in basis.sources:
                if basis.verified:
                    assert rules.sources[source].verified, (key, source)


def test_severe_hepatic_impairment_cites_its_rows_not_the_cisplatin_cohort(example_raw):
    raw = copy.deepcopy(example_raw)
    raw["clinical"]["encephalopathy"] = "grade_1_2"
    plan = case_commands.make_plan(raw)
    (reason,) = [
        r
        for r in plan["systemic_therapy"]["not_appropriate_because"]
        if r["code"] == "severe_hepatic_impairment"
    ]
    assert reason["basis"] == [
        {"rule": "STOP-4", "source": "reg.stop.severe_hepatic_hard_stops", "verified": False},
        {"rule": "STOP-4", "source": "reg.stop.supportive_care_routine", "verified": True},
    ]
    assert "reg.vc.cisplatin_cohort" not in {b["source"] for b in reason["basis"]}


def test_the_loader_refuses_a_verified_row_citing_an_unverified_source(rules_copy):
    path = rules_copy / "subtype.toml"
    text = path.read_text(encoding="utf-8")
    mine = 'sources = ["reg.stop.no_usable_agent"]\nverified = false'
    assert mine in text
    path.write_text(text.replace(mine, mine.replace("false", "true")), encoding="utf-8")
    with pytest.raises(RulesError, match="verified = true cites unverified sources"):
        load_rules(rules_copy)


def test_the_loader_refuses_a_reason_without_rows(rules_copy):
    path = rules_copy / "subtype.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('key = "no_usable_agent"', 'key = "severe_hepatic_impairment"'),
        encoding="utf-8",
    )
    with pytest.raises(
        RulesError, match="no \\[\\[stop_reason\\]\\] row for \\['no_usable_agent'\\]"
    ):
        load_rules(rules_copy)
