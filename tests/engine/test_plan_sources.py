"""The plan carries the citation of every source id it cites (`sources`), for print and screen.

The ids are noted while the document is serialized (`planner.domain.evidence.citations`), not
read back from it. That is right only while a citation is written in the two places that note
it: the `source` of `Basis.to_json` and a `sources` list made by `cited_sources`. The tests below
prove it twice: by reading the domain's code (no other writer of either key), and by walking the
finished plan of every case in tests/data (the walk is the definition of a citation)."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

import planner.domain
from planner.domain.evidence import Basis, citations, cited_sources
from planner.domain.problems import InputInvalid
from planner.domain.settings import ClinicSettings
from planner.services import case_commands

DATA = Path(__file__).resolve().parents[1] / "data"
CASES = sorted(p for p in DATA.rglob("*.json") if "plans" not in p.parts)
DOMAIN = Path(planner.domain.__file__).parent


def cited_source_ids(document: Any) -> set[str]:
    """Every source id a serialized document cites: the `source` (a string) of any object and
    each string of a `sources` list, anywhere in it."""
    found: set[str] = set()
    pending = [document]
    for node in pending:
        if isinstance(node, dict):
            if isinstance(node.get("source"), str):
                found.add(node["source"])
            many = node.get("sources")
            if isinstance(many, list | tuple):
                found.update(s for s in many if isinstance(s, str))
            pending.extend(node.values())
        elif isinstance(node, list | tuple):
            pending.extend(node)
    return found


def _cited(plan: dict) -> set[str]:
    return cited_source_ids({k: v for k, v in plan.items() if k != "sources"})


@pytest.mark.parametrize("labels", ["us", "eu"])
def test_every_cited_source_id_resolves_in_the_plan(example_raw, labels):
    plan = case_commands.make_plan(example_raw, labels=labels)
    cited = _cited(plan)
    assert cited, "the example plan cites sources"
    assert cited <= set(plan["sources"]), sorted(cited - set(plan["sources"]))
    assert set(plan["sources"]) == cited  # nothing listed that the plan does not cite
    for entry in plan["sources"].values():
        # the contract's three keys, then the reference's parts (issuer, date, section, ...)
        assert {"title", "reference", "url"} <= set(entry)
        assert entry["title"]
        assert entry["reference"]
        assert entry["issuer"]
        assert entry["section"]


def test_sources_follow_the_case(example_raw):
    """A HER2+ case cites other regimen sources; they resolve too."""
    example_raw["biology"]["her2_ihc"] = "3+"
    example_raw["labs"]["inr"] = None
    plan = case_commands.make_plan(example_raw)
    cited = _cited(plan)
    assert cited <= set(plan["sources"]), sorted(cited - set(plan["sources"]))


def test_citations_of_nested_shapes_are_found():
    """Basis entries and disagreement positions (which cite `sources` without a rule) alike."""
    doc = {
        "a": [{"rule": "r1", "source": "s1"}],
        "b": {"basis": [{"rule": "r2", "sources": ["s2", "s3"]}]},
        "c": {"positions": [{"text": "one view", "sources": ["s4"]}]},
        "d": {"sources": {"s9": {"title": "a map, not a citation"}}},
    }
    assert cited_source_ids(doc) == {"s1", "s2", "s3", "s4"}


def test_citations_note_what_is_written_inside_the_block_only():
    Basis("r0", "before").to_json()
    with citations() as outer:
        Basis("r1", "s1").to_json()
        with citations() as inner:
            assert cited_sources(("s2", "s3")) == ["s2", "s3"]
        assert inner == {"s2", "s3"}
    Basis("r4", "after").to_json()
    assert outer == {"s1", "s2", "s3"}  # the inner document's citations are the outer's too


def _writes_of(key: str) -> list[tuple[str, str, str]]:
    """(module, enclosing class and function, the value written) for every dict display,
    `dict(key=...)` and subscript assignment with the constant key in the domain's code."""
    found = []

    def visit(node: ast.AST, where: str, module: str) -> None:
        values: list[ast.expr] = []
        if isinstance(node, ast.Dict):
            values = [
                v
                for k, v in zip(node.keys, node.values, strict=True)
                if isinstance(k, ast.Constant) and k.value == key
            ]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "dict":
            values = [kw.value for kw in node.keywords if kw.arg == key]
        elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign) and node.value:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(
                isinstance(t, ast.Subscript)
                and isinstance(t.slice, ast.Constant)
                and t.slice.value == key
                for t in targets
            ):
                values = [node.value]
        found.extend((module, where, ast.unparse(v)) for v in values)
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            where = f"{where}.{node.name}" if where else node.name
        for child in ast.iter_child_nodes(node):
            visit(child, where, module)

    for path in sorted(DOMAIN.rglob("*.py")):
        visit(ast.parse(path.read_bytes(), str(path)), "", str(path.relative_to(DOMAIN)))
    return found


def test_only_basis_writes_a_source_key():
    assert _writes_of("source") == [("evidence.py", "Basis.to_json", "self.source")]


def test_every_sources_list_is_written_by_cited_sources():
    """The other `sources` key in the domain is the plan's catalogue (a map, never a citation)."""
    writes = sorted({(module, value.split("(")[0]) for module, _, value in _writes_of("sources")})
    assert writes == [
        ("instruments/result.py", "cited_sources"),
        ("plan.py", "_resolve"),
        ("supportive.py", "cited_sources"),
        ("tablets.py", "cited_sources"),
    ]


def _plan(raw: object, labels: str) -> dict | None:
    try:
        return case_commands.make_plan(raw, labels=labels, settings=ClinicSettings())
    except InputInvalid:
        return None  # not a valid case document (an expected output, a refused case)


@pytest.mark.parametrize("labels", ["us", "eu"])
def test_the_noted_sources_are_what_a_walk_of_every_plan_finds(labels):
    """Over every valid case in tests/data, one process (a serializer caching its JSON would be
    seen here: its second plan would note nothing): `sources` lists exactly what the finished
    document cites, none missing from the rule tables' references, none that nothing cites."""
    planned = 0
    for path in CASES:
        raw = json.loads(path.read_text(encoding="utf-8"))
        plan = _plan(raw, labels) if isinstance(raw, dict) else None
        if plan is None:
            continue
        cited = _cited(plan)
        assert set(plan["sources"]) == cited, (path.name, sorted(set(plan["sources"]) ^ cited))
        planned += 1
    assert planned > 100


@pytest.mark.parametrize("index", range(8))
def test_every_citation_of_the_demo_cases_resolves(index):
    """`sources` lists exactly the ids the document cites, across varied cases: none is missing
    from the rule tables' references, none listed that nothing cites."""
    from planner.domain.demo_cases import demo_patient

    for raw in demo_patient(seed=3, index=index):
        plan = case_commands.make_plan(raw)
        cited = _cited(plan)
        assert set(plan["sources"]) == cited, sorted(set(plan["sources"]) ^ cited)
