"""Defect class 9 (issue #15): the evidence trail points at documents the user does not have.

Every `[[source]]` of the rule tables must resolve to a primary reference shipped in the program
(resources/rules/references.toml: title, issuer, date or version, kind, URL) plus the section the
fact is in; nothing in the rule tables may point at a file outside the program, the project's
notes (`shared/...`, `*.md`) or a summary/mirror site; and a plan shows each citation in words
(JSON `sources`, the clinician PDF's references), never a file path.
"""

from __future__ import annotations

import html
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from planner.reports.render import render_plan_pdf
from planner.rules.loader import RulesError, default_rules_dir, load_rules
from planner.rules.references import KINDS, SUMMARY_SITES
from planner.services import case_commands

RULES = default_rules_dir()
TABLES = sorted(RULES.rglob("*.toml"))
# A notes file named anywhere: "dosing.md", "shared/contract.md §3", "regimens_supportive.md D-9".
NOTES_FILE = re.compile(r"[\w./-]+\.md\b", re.IGNORECASE)


def _domain(site: str) -> re.Pattern[str]:
    # "drugs.com" in "www.drugs.com/x" or "(drugs.com)", but not in a source id "dose.x.drugs-com"
    return re.compile(rf"(?<![\w-]){re.escape(site)}(?![\w-])", re.IGNORECASE)


SITES = {site: _domain(site) for site in sorted(SUMMARY_SITES)}


# ---- every source resolves to a complete primary reference --------------------------------


def test_every_source_resolves_to_a_complete_reference(rules):
    assert len(rules.sources) > 250  # the whole evidence trail, not a sample
    for source_id, source in rules.sources.items():
        ref = source.ref
        assert rules.references[ref.id] is ref, source_id
        assert all((source.title.strip(), source.section.strip())), source_id
        assert all((ref.title.strip(), ref.issuer.strip(), ref.date.strip())), ref.id
        assert ref.kind in KINDS, ref.id
        if ref.kind == "design default":
            # the program's own choice is never dressed up as evidence
            assert not ref.url, source_id
            assert source.verified is False, source_id
        else:
            assert ref.url.startswith("https://"), (source_id, ref.url)


def test_every_reference_is_cited_and_labels_name_their_date_honestly(rules):
    cited = {s.ref.id for s in rules.sources.values()}
    assert set(rules.references) == cited, sorted(set(rules.references) ^ cited)
    for ref in rules.references.values():
        if ref.kind == "label":
            # a revision date only where the label states one; otherwise the review date, or
            # for an earlier revision, that its date was not recorded (never an invented date)
            assert (
                "as of 2026" in ref.date
                or "not recorded" in ref.date
                or re.search(r"\b(19|20)\d\d\b", ref.date)
            ), ref.id


def test_labels_point_at_the_regulators_registers(rules):
    registers = (
        "dailymed.nlm.nih.gov",
        "www.ema.europa.eu",
        "www.medicines.org.uk",
        "www.swissmedicinfo.ch",
        "www.accessdata.fda.gov",
        "www.fda.gov",
    )
    for ref in rules.references.values():
        if ref.kind == "label":
            assert any(f"https://{host}/" in ref.url for host in registers), (ref.id, ref.url)


# ---- nothing in the rule tables points outside the program ---------------------------------


def _texts(node: object) -> list[str]:
    """Every string value of a parsed table (what can reach a reader of the plan)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [t for value in node.values() for t in _texts(value)]
    if isinstance(node, list):
        return [t for value in node for t in _texts(value)]
    return []


@pytest.mark.parametrize("table", TABLES, ids=lambda p: p.relative_to(RULES).as_posix())
def test_no_table_points_at_notes_files_or_summary_sites(table: Path):
    import tomllib

    problems = []
    # anywhere in the file, comments included: no file outside the program, no summary site
    for number, line in enumerate(table.read_text(encoding="utf-8").splitlines(), 1):
        if "shared/" in line.lower():
            problems.append((number, "shared/", line))
        problems += [(number, site, line) for site, found in SITES.items() if found.search(line)]
    # in every value (a maintainer's comment may name the project's docs): no notes file
    values = _texts(tomllib.loads(table.read_text(encoding="utf-8")))
    problems += [("value", ".md file", value) for value in values if NOTES_FILE.search(value)]
    assert not problems, "\n".join(f"{table.name}:{n}: {why}: {line}" for n, why, line in problems)


# ---- the loader refuses the old shape and every pointer outside the program ----------------


def _copy_rules(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(RULES, target)
    return target


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


TAXANES_SOURCE = (
    'reference = "label.us.paclitaxel"\n'
    'section = "§2 Dosage and Administration (MBC dose; hepatic impairment table, 24-h infusion)"'
)


@pytest.mark.parametrize(
    ("new", "message"),
    [
        (
            'reference = "shared/reference/dosing.md §2.1 [A]"\nsection = "§2"',
            "outside the program",
        ),
        ('reference = "dosing.md"\nsection = "§2"', "notes file"),
        ('reference = "label.us.no-such"\nsection = "§2"', "is not a row of references.toml"),
        ('reference = "label.us.paclitaxel"\nurl = "https://x.example"\nsection = "§2"', "url"),
        ('reference = "label.us.paclitaxel"\nsection = " "', "is empty"),
    ],
    ids=["shared-file", "notes-file", "unknown-reference", "old-shape-url", "no-section"],
)
def test_loader_refuses_a_source_without_a_resolvable_primary(tmp_path, monkeypatch, new, message):
    monkeypatch.setenv("PLANNER_CACHE_DIR", "")
    rules = _copy_rules(tmp_path)
    _replace(rules / "doses" / "taxanes.toml", TAXANES_SOURCE, new)
    with pytest.raises(RulesError, match=re.escape(message)):
        load_rules(rules)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'url = "https://pmc.ncbi.nlm.nih.gov/articles/PMC2203269/"',
            'url = "https://www.droracle.ai/articles/1/paclitaxel"',
            "summary or mirror site (www.droracle.ai)",
        ),
        (
            'url = "https://pmc.ncbi.nlm.nih.gov/articles/PMC2203269/"',
            'url = "https://en.wikipedia.org/wiki/Paclitaxel"',
            "summary or mirror site (en.wikipedia.org)",
        ),
        (
            'url = "https://pmc.ncbi.nlm.nih.gov/articles/PMC2203269/"',
            'url = "https://www.uptodate.com/contents/paclitaxel-drug-information"',
            "summary or mirror site (www.uptodate.com)",
        ),
        (
            'url = "https://pmc.ncbi.nlm.nih.gov/articles/PMC2203269/"',
            'url = "https://www.rxlist.com/taxol-drug.htm"',
            "summary or mirror site (www.rxlist.com)",
        ),
        (
            'url = "https://pmc.ncbi.nlm.nih.gov/articles/PMC2203269/"',
            'url = "http://download.skyscape.com/x.htm"',
            "not an https address",
        ),
        ('kind = "paper"', 'kind = "web page"', "is not one of"),
        ('date = "2007"', 'date = ""', "is empty"),
    ],
    ids=["summary-site", "wikipedia", "uptodate", "rxlist", "not-https", "unknown-kind", "no-date"],
)
def test_loader_refuses_a_reference_that_is_not_a_findable_primary(
    tmp_path, monkeypatch, old, new, message
):
    monkeypatch.setenv("PLANNER_CACHE_DIR", "")
    rules = _copy_rules(tmp_path)
    table = rules / "references.toml"
    text = table.read_text(encoding="utf-8")
    start = text.index('id = "paper.joerger2007"')
    end = text.index("[[reference]]", start)
    row = text[start:end]
    assert old in row
    table.write_text(text[:start] + row.replace(old, new) + text[end:], encoding="utf-8")
    with pytest.raises(RulesError, match=re.escape(message)):
        load_rules(rules)


def test_a_design_default_cannot_be_cited_as_verified(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_CACHE_DIR", "")
    rules = _copy_rules(tmp_path)
    _replace(
        rules / "supportive.toml",
        'reference = "design.planner"\nsection = "Design default proposed by the reference author;'
        ' no source gives this value"\nverified = false',
        'reference = "design.planner"\nsection = "a design default"',
    )
    with pytest.raises(RulesError, match="design default"):
        load_rules(rules)


# ---- the plan shows the citation in words, on screen (JSON) and in print (PDF) -------------


EXAMPLE_CASE = Path(__file__).resolve().parents[1] / "data" / "cases" / "example.json"


@pytest.fixture(scope="module")
def plan() -> dict:
    return case_commands.make_plan(json.loads(EXAMPLE_CASE.read_text(encoding="utf-8")))


def test_plan_json_shows_each_source_in_words(plan, rules):
    assert plan["sources"]
    for source_id, entry in plan["sources"].items():
        source = rules.sources[source_id]
        ref = source.ref
        # the contract's keys, kept; the words a clinician reads; the parts for any reader
        assert entry["title"] == source.title
        assert entry["reference"] == f"{ref.title} — {ref.issuer}, {ref.date}, {source.section}"
        assert entry["url"] == ref.url
        assert entry["issuer"] == ref.issuer
        assert entry["date"] == ref.date
        assert entry["section"] == source.section
        assert entry["verified"] is source.verified
    document = json.dumps(plan, ensure_ascii=False)
    assert "shared/" not in document
    assert not NOTES_FILE.search(document)
    assert not [site for site, found in SITES.items() if found.search(document)]


def test_an_unverified_citation_says_so_in_the_plan(plan):
    doubtful = [e for e in plan["sources"].values() if e["verified"] is False]
    assert doubtful, "the example plan cites some facts not yet checked in their primary"


def _pdf_text(plan: dict) -> str:
    pdf = render_plan_pdf(
        plan,
        patient={"mrn": "T-1", "family_name": "Test", "given_name": "Case"},
        clinic={"name": "Clinic"},
        audience="clinician",
        invariant=True,
        evidence=True,  # the references are the evidence appendix's
    )
    # without each page's running header and footer, so an entry that runs on to the next page
    # reads whole
    text = " ".join(
        FURNITURE.sub("", p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages
    )
    return re.sub(r"\s+", " ", text)


FURNITURE = re.compile(
    r"^(?:Care plan · references|.* · MRN .*|Rules rules-\S+|.*· The program suggests.*|"
    r"References · page \d+ of \d+)$",
    re.M,
)


def test_clinician_pdf_lists_references_in_words_with_their_address(plan):
    whole = _squash(_pdf_text(plan))
    start = whole.index(_squash("Each number is one primary document"))
    end = whole.find(_squash("Referral slip"), start)
    text = whole[start : end if end > 0 else None]  # the References list (slips follow it)
    # one entry per primary document: "title — issuer, date: sections", then its address
    printed = [
        entry
        for entry in plan["sources"].values()
        if _squash(f"{entry['reference_title']} — {entry['issuer']}, {entry['date']}:") in text
    ]
    assert len(printed) >= 10, len(printed)
    for entry in printed:
        head = _squash(f"{entry['reference_title']} — {entry['issuer']}, {entry['date']}:")
        after = text.split(head, 1)[1]
        sections = [
            _squash(e["section"])
            for e in plan["sources"].values()
            if e["reference_id"] == entry["reference_id"]
        ]
        assert any(section in after[:600] for section in sections), entry["reference_id"]
        assert _squash(entry["url"])[:40] in after[:900], entry["url"]
    assert any(e["verified"] is False for e in printed)
    assert "citationunverified" in text
    assert "shared/" not in whole
    assert not NOTES_FILE.search(whole)
    assert not [site for site, found in SITES.items() if found.search(whole)]


def _squash(text: str) -> str:
    # pypdf may break a long line anywhere: compare without white space
    return re.sub(r"\s+", "", text)


def test_the_screens_why_panel_shows_the_citation_in_words(rules):
    from planner.domain.plan_document import read_basis
    from planner.ui.why import Explained, why_html

    source = rules.sources["dose.capecitabine.kdc"]
    basis = read_basis([{"rule": "capecitabine.renal", "source": source.id, "verified": True}])
    shown = html.unescape(why_html(Explained((), basis)))
    ref = source.ref
    assert f"{source.title}: {ref.title} — {ref.issuer}, {ref.date}, {source.section}" in shown
    assert "UNVERIFIED" in shown  # the rule is verified, but this fact is not yet checked
    assert source.id not in shown
