"""The plan carries the citation of every source id it cites (`sources`), for print and screen."""

from __future__ import annotations

import pytest

from planner.domain.plan import cited_source_ids
from planner.services import case_commands


def _cited(plan: dict) -> set[str]:
    return set(cited_source_ids({k: v for k, v in plan.items() if k != "sources"}))


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
    assert set(cited_source_ids(doc)) == {"s1", "s2", "s3", "s4"}


def test_a_dict_shaped_like_a_basis_entry_is_still_looked_into():
    """The walk skips the values of a basis entry ({rule, source, verified} of str, str, bool);
    a dict with those keys whose values are anything else is walked as any other."""
    doc = [
        {"rule": "r1", "source": "s1", "verified": True},
        {"rule": [{"source": "s2"}], "source": "s3", "verified": True},
        {"rule": "r4", "source": "s4", "verified": {"sources": ["s5"]}},
        {"rule": "r6", "source": "s6", "notes": [{"source": "s7"}]},
    ]
    assert cited_source_ids(doc) == {"s1", "s2", "s3", "s4", "s5", "s6", "s7"}


@pytest.mark.parametrize("index", range(8))
def test_every_citation_of_the_demo_cases_resolves(index):
    """`sources` lists exactly the ids the document cites, across varied cases: none is missing
    from the rule tables' references, none listed that nothing cites."""
    from planner.domain.demo_cases import demo_patient

    for raw in demo_patient(seed=3, index=index):
        plan = case_commands.make_plan(raw)
        cited = _cited(plan)
        assert set(plan["sources"]) == cited, sorted(set(plan["sources"]) ^ cited)
