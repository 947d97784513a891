"""No code reaches a clinician (issue 16): the clinician PDF and the why panel say every
enumeration, field, setting and alert in words, for every case of the test data.

A code is anything that reads like the plan document rather than like a clinician: a snake_case
word (`weight_loss_percent_above`), a field path (`biology.esr1`), an alert code in brackets
(`[suicide_risk]`), a setting's trace (`= 5, default`), a rule id (`HR-10`,
`sup.int.pain.assess`, `docetaxel:q3w_75`) or a decisions-record id (`D-5`). Rule ids are shown on
demand only, on screen: paper names none, the References appendix included (the clinician reads
titles and sections).
"""

from __future__ import annotations

import functools
import io
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from planner.reports.render import render_plan_pdf
from planner.services import case_commands

DATA = Path(__file__).resolve().parents[1] / "data"
CASES = DATA / "cases"
# the independent nurse16 walk's cases (fixtures of the decided-plan tests) are swept too: the
# why panel showed a rule label and `insufficient_data` for them
NURSE16 = sorted((DATA / "nurse16").glob("*.json"))
# a review's `expected.json` holds the reviewer's expectations, not a case
CASE_FILES = [p for p in sorted(CASES.glob("**/*.json")) if p.name != "expected.json"] + NURSE16
# Printing is the slow part: every case's why panel, and the PDF of the top-level cases, every
# independent-review case and a spread of the cycle-review cases (each drug family, a missing
# count, a cumulative ledger, a Hy's law stop).
PRINTED = [
    p
    for p in CASE_FILES
    if p.parent == CASES
    or p.parent.name in ("review", "nurse16")
    or p.name[:2] in ("03", "06", "08", "09", "13", "16", "18")
]
PATIENT = {"mrn": "12345", "family_name": "Test", "given_name": "Case", "sex": "female"}

CODE_SHAPES = {
    "snake_case word": re.compile(r"\b[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+\b"),
    "field path": re.compile(r"\b[a-z][a-z0-9_]+(?:\[\d+\])?\.[a-z][a-z0-9_]+\b"),
    "code in brackets": re.compile(r"\[[a-z][a-z0-9_]*\]"),
    "setting trace": re.compile(r"= ?[^\s,]+, (?:default|clinic setting)"),
    "id with a colon": re.compile(r"\b[a-z][a-z0-9-]*:[a-z0-9_]+"),
    "decisions-record id": re.compile(r"\bD-\d+\b"),
}


def code_tokens(text: str, rule_ids: frozenset[str] = frozenset()) -> list[str]:
    """Every code-looking token of `text` (addresses are not codes: tokens with a "/" go)."""
    words = " ".join(t for t in text.split() if "/" not in t)
    found = [m.group(0) for shape in CODE_SHAPES.values() for m in shape.finditer(words)]
    found += [r for r in rule_ids if re.search(rf"(?<![\w.]){re.escape(r)}(?![\w])", words)]
    return found


def _rule_ids(value: Any) -> Iterator[str]:
    if isinstance(value, Mapping):
        if isinstance(value.get("rule"), str):
            yield value["rule"]
        for item in value.values():
            yield from _rule_ids(item)
    elif isinstance(value, list):
        for item in value:
            yield from _rule_ids(item)


def rule_ids_of(plan: Mapping[str, Any]) -> frozenset[str]:
    """The plan's rule ids that look like ids (a digit or a separator), as printed."""
    return frozenset(r for r in _rule_ids(plan) if re.search(r"[\d._:-]", r))


@functools.cache
def plan_of(path: Path) -> dict[str, Any]:
    return case_commands.make_plan(json.loads(path.read_text(encoding="utf-8")))


def _name(path: Path) -> str:
    return str(path.relative_to(DATA if path.parent.name == "nurse16" else CASES))


@pytest.mark.parametrize("path", PRINTED, ids=_name)
def test_the_clinician_pdf_says_every_code_in_words(path):
    plan = plan_of(path)
    pdf = render_plan_pdf(plan, patient=PATIENT, clinic={}, audience="clinician", evidence=True)
    ids = rule_ids_of(plan)
    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]
    assert any("References · page" in p for p in pages), "the References appendix is printed"
    # no rule id on paper, the References appendix included
    assert not any("Rule ids" in " ".join(p.split()) for p in pages)
    found = [token for text in pages for token in code_tokens(text, ids)]
    assert not found, f"{_name(path)}: codes printed for the clinician: {sorted(set(found))}"


def _why_entries(plan: Mapping[str, Any]) -> Iterator[Any]:
    """Every plan line a why panel explains (the review page's and the plan text's lines):
    alerts, allergies, options and their drugs, drugs to avoid, supportive problems, referrals,
    gaps."""
    from planner.ui.wizard.pages.review import plan_items

    for _heading, lines in plan_items(plan):
        for _line, entry in lines:
            yield entry


@pytest.mark.parametrize("path", CASE_FILES, ids=_name)
def test_the_why_panel_says_every_code_in_words(path):
    import html

    from planner.ui.why import why_html

    plan = plan_of(path)
    ids = rule_ids_of(plan)
    found = []
    for entry in _why_entries(plan):
        shown = html.unescape(re.sub(r"<[^>]+>", " ", why_html(entry)))
        found += [(token, shown[:80]) for token in code_tokens(shown, ids)]
    assert not found, f"{_name(path)}: codes in the why panel: {found[:8]}"


def test_rule_ids_are_on_demand_in_the_why_panel():
    from planner.domain.plan_document import read_basis
    from planner.ui.why import Explained, why_html

    entry = Explained((), read_basis([{"rule": "sup.int.pain.assess", "source": "x"}]))
    assert "sup.int.pain.assess" not in why_html(entry)
    assert "sup.int.pain.assess" in why_html(entry, show_rule_ids=True)


def test_the_detector_finds_each_kind_of_code():
    # the test above can fail: each shape the nurse found is caught
    text = (
        "weight loss (weight_loss_percent_above = 5, default) [suicide_risk] "
        "biology.esr1 docetaxel:q3w_75 (D-5)"
    )
    found = code_tokens(text, frozenset({"HR-10"}))
    assert "weight_loss_percent_above" in found
    assert "[suicide_risk]" in found
    assert "biology.esr1" in found
    assert "docetaxel:q3w_75" in found
    assert "D-5" in found
    assert code_tokens("Capivasertib (HR-10) leads", frozenset({"HR-10"})) == ["HR-10"]
    assert not code_tokens("PHQ-9 ≥ 10; e.g. SOLAR-1, 75 mg/m², https://a.example/x_y")


def test_a_long_status_in_a_table_cell_is_never_split_mid_word(fixture_plan, render):
    # the nurse read "not recommende/d" in the option table: an undosed drug's words span both
    # dose columns, and cells break at spaces
    plan = fixture_plan()
    drug = plan["options"][0]["drugs"][0]
    drug.update(status="contraindicated", dose=None, percent_of_standard=None, absolute_dose=None)
    for paper in ("a4", "letter"):
        pdf = render(plan, audience="clinician", paper=paper)
        text = " ".join(
            " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages
        )
        assert "no dose: contraindicated" in text, paper


def test_the_medicine_alert_says_which_medicine_and_what_to_do():
    # nurse16: "What to do: See current medicines" told her nothing; it names each medicine and
    # its action now, as the current-medicines list does
    import html

    from planner.domain.plan_document import read_alert
    from planner.ui.why import why_html

    plan = plan_of(DATA / "nurse16" / "everolimus_exemestane_held.json")
    actions = {m["drug"]: m["action"] for m in plan["medications"]}
    # ashwagandha is a hepatotoxic remedy of the table now (walk 16d): stop, named first
    assert actions == {"paracetamol": "review", "ashwagandha powder": "stop"}
    (alert,) = [a for a in plan["alerts"] if a["code"] == "medicine_interaction"]
    shown = html.unescape(re.sub(r"<[^>]+>", " ", why_html(read_alert(alert, "alerts[0]"))))
    to_do = " ".join(shown.split("What to do", 1)[1].split("Sources", 1)[0].split())
    assert to_do.startswith("Stop ashwagandha powder; review paracetamol"), to_do
    assert "See current medicines" not in shown


def test_a_rule_label_with_brackets_and_a_band_status_read_as_words():
    from planner.domain.plan_words import clinician_words

    reason = (
        "a medicine she takes now needs review [medicine review (supportive_plan.toml "
        "[[medicine_check]])]: paracetamol (taken now)"
    )
    assert (
        clinician_words(reason) == "a medicine she takes now needs review: paracetamol (taken now)"
    )
    gap = "eribulin: cannot rule out 'child_pugh in C' (insufficient_data); no dose is printed"
    assert clinician_words(gap) == (
        "eribulin: cannot rule out 'Child–Pugh class: C' (insufficient data); no dose is printed"
    )
