"""Compact citations: rule ids with numbered sources, resolved in a References list."""

from __future__ import annotations

from planner.reports.citations import UNVERIFIED, References, cite, inline

SOURCES = {
    "reg.a": {"title": "Trial A", "reference": "regimens.md §1", "url": "https://a.example"},
    "reg.b": {"title": "Guideline B", "reference": "", "url": ""},
}


def test_sources_are_numbered_once_in_order_of_first_citation():
    refs = References(SOURCES)
    basis = [
        {"rule": "R-1", "source": "reg.a", "verified": True},
        {"rule": "R-1", "source": "reg.b", "verified": True},
        {"rule": "R-2", "source": "reg.a", "verified": True},
    ]
    assert cite(basis, refs) == "R-1 [1, 2]; R-2 [1]"
    assert [n for n, _ in refs.entries()] == [1, 2]
    assert "Trial A" in refs.entries()[0][1]
    assert "reg.a" in refs.entries()[0][1]  # the id, to find it in the plan document


def test_a_source_missing_from_the_map_prints_as_given():
    refs = References(None)
    cite([{"rule": "X", "source": "Faslodex US label 2020", "verified": True}], refs)
    assert refs.entries() == [(1, "Faslodex US label 2020")]


def test_unverified_rules_keep_their_marker_even_when_folded_away():
    refs = References(SOURCES)
    basis = [
        {"rule": "R-1", "source": "reg.a", "verified": True},
        {"rule": "R-2", "source": "reg.b", "verified": False},
        {"rule": "R-3", "source": "reg.b", "verified": False},
    ]
    shown = cite(basis, refs, limit=1)
    assert shown.startswith("R-1 [1]; +2 more on screen")
    assert "(2 unverified — confirm locally)" in shown
    assert len(refs) == 1  # folded rules add no references
    assert cite(basis, References(SOURCES), prefer=["R-2"], limit=1).startswith(
        "R-2 [1]" + UNVERIFIED
    )


def test_inline_names_the_sources_for_a_page_read_alone():
    basis = [{"rule": f"R-{i}", "source": "reg.a", "verified": i != 5} for i in range(6)]
    out = inline(basis, SOURCES, limit=4)
    assert "<b>R-0</b> · Trial A" in out
    assert "+2 more rules" in out
    assert "(1 unverified — confirm locally)" in out
    assert "full basis: on screen / plan JSON" in out
    assert cite([], References(None)) == inline([], None) == "no rule cited"
