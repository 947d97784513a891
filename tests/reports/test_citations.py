"""Compact citations: numbered sources, resolved in a References list that also names, for
checking, the rule ids citing each document (rule ids on demand only, issue 16)."""

from __future__ import annotations

from planner.reports.citations import UNVERIFIED, References, cite, inline

SOURCES = {
    "reg.a": {
        "title": "Trial A result",
        "reference": "Trial A report — Journal X, 2020, Results",
        "url": "https://a.example",
        "reference_id": "paper.a",
        "reference_title": "Trial A report",
        "issuer": "Journal X",
        "date": "2020",
        "section": "Results",
        "verified": True,
    },
    "reg.b": {
        "title": "Guideline B dose",
        "reference": "Guideline B — Society Y, current as of 2026-11-22, §2",
        "url": "https://b.example",
        "reference_id": "guideline.b",
        "reference_title": "Guideline B",
        "issuer": "Society Y",
        "date": "current as of 2026-11-22",
        "section": "§2",
        "verified": False,
    },
}


def test_sources_are_numbered_once_in_order_of_first_citation():
    refs = References(SOURCES)
    basis = [
        {"rule": "R-1", "source": "reg.a", "verified": True},
        {"rule": "R-1", "source": "reg.b", "verified": True},
        {"rule": "R-2", "source": "reg.a", "verified": True},
    ]
    assert cite(basis, refs) == "[1, 2]"  # numbers only: no rule id beside the suggestion
    assert [n for n, _ in refs.entries()] == [1, 2]
    first, second = (markup for _, markup in refs.entries())
    # paper: the clinician reads titles and sections, never rule ids (issue 16)
    assert "R-1" not in first + second
    assert "Rule" not in first + second
    # in words: "title — issuer, date: section", then where to find it
    assert first.startswith("Trial A report — Journal X, 2020: Results")
    assert "https://a.example" in first
    assert "unverified" not in first
    assert "citation unverified" in second  # not yet checked in its primary: says so
    assert "reg.a" not in first  # no internal ids or file names


def test_rule_ids_only_when_asked_each_kept_whole():
    basis = [
        {"rule": "R-1", "source": "reg.a", "verified": True},
        {"rule": "R-2", "source": "reg.a", "verified": True},
    ]
    asked = References(SOURCES, rule_ids=True)
    cite(basis, asked)
    ((_, markup),) = asked.entries()
    assert markup.endswith("Rule\u00a0ids: <nobr>R-1</nobr>; <nobr>R-2</nobr>.</font>")
    plain = References(SOURCES)
    cite(basis, plain)
    ((_, markup),) = plain.entries()
    assert "R-1" not in markup


def test_an_older_plan_prints_its_free_text_citation():
    refs = References({"x": {"title": "Trial A", "reference": "label 2019", "url": ""}})
    cite([{"rule": "R-1", "source": "x", "verified": True}], refs)
    assert refs.entries()[0][1].startswith("Trial A (label 2019)")


def test_a_source_missing_from_the_map_prints_as_given():
    refs = References(None)
    cite([{"rule": "X", "source": "Faslodex US label 2020", "verified": True}], refs)
    assert refs.entries()[0][1].startswith("Faslodex US label 2020")


def test_unverified_rules_keep_their_marker_even_when_folded_away():
    refs = References(SOURCES)
    basis = [
        {"rule": "R-1", "source": "reg.a", "verified": True},
        {"rule": "R-2", "source": "reg.b", "verified": False},
        {"rule": "R-3", "source": "reg.b", "verified": False},
    ]
    shown = cite(basis, refs, limit=1)
    assert shown.startswith("[1]; +2 more on screen")
    assert "(2 unverified — confirm locally)" in shown
    assert len(refs) == 1  # folded rules add no references
    assert cite(basis, References(SOURCES), prefer=["R-2"], limit=1).startswith(
        "[1]" + UNVERIFIED + "; +2 more on screen"
    )
    assert cite(basis, References(SOURCES)) == "[1]; [2]" + UNVERIFIED


def test_inline_names_the_sources_for_a_page_read_alone_without_rule_ids():
    # a referral slip is read by the receiving service: documents in short, never rule ids
    basis = [{"rule": f"R-{i}", "source": "reg.a", "verified": i != 5} for i in range(6)]
    basis.append({"rule": "R-9", "source": "reg.b", "verified": True})
    out = inline(basis, SOURCES, limit=1)
    assert "R-" not in out
    assert out.startswith("Trial A report — Journal X, 2020; +1 more")
    assert out.count("Trial A report") == 1  # six rules, one document: named once
    assert UNVERIFIED in out
    assert "Guideline B — Society Y" in inline(basis, SOURCES)
    assert inline([], None) == "no source cited"
    assert cite([], References(None)) == "no source cited"
