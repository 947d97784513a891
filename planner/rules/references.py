"""The evidence trail: the references table and the `[[source]]` rows that cite it.

Every rule cites source ids; a source names one primary reference of `references.toml` (a label,
a guideline, a paper, an instrument manual) and the section of it the fact comes from. The
reference row says in words what a clinician needs to find the document: its title, who issued
it, its date or version, and where it is (DailyMed, EMA, the society, PubMed or a DOI). Nothing
here may point at a file outside the program, at the project's notes, or at a site that only
summarises or mirrors the primary: the loader refuses such rows, so a plan can never print one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from functools import cached_property
from types import MappingProxyType
from typing import Annotated, Any
from urllib.parse import urlsplit

from planner.domain.frozen_value import frozen_value
from planner.domain.table_keys import Key
from planner.rules.errors import RulesError
from planner.rules.reader import Layout, TableReader, check_document, rows

__all__ = [
    "KINDS",
    "REFERENCES_FILE",
    "SUMMARY_SITES",
    "Reference",
    "Source",
    "load_references",
    "load_sources",
    "refused_pointer",
]

REFERENCES_FILE = "references.toml"

# What a reference can be. "design default" is the program's own choice where no published
# source gives a value: it is cited as such (never dressed up as evidence) and is unverified.
KINDS = ("label", "guideline", "paper", "instrument manual", "standard", "design default")

# Mirror, compendium-summary and automated-summary sites: a source quotes the primary they
# summarise instead. Matched on the host name and its parents (www.drugs.com -> drugs.com).
SUMMARY_SITES = frozenset(
    {
        "120ty.net",
        "acemap.info",
        "aihaoyisheng.com",
        "alzheimers-ce.com",
        "bidiphar.com",
        "biomed.reviewer.ly",
        "blogspot.com",
        "bohrium.dp.tech",
        "bpgweb.azurewebsites.net",
        "cancertherapyadvisor.com",
        "discovery.researcher.life",
        "droracle.ai",
        "drugs.com",
        "drugtodayonline.com",
        "emedicine.com.bd",
        "empr.com",
        "farmacoinc.com",
        "fcshemoncreview.com",
        "globalrph.com",
        "guidelinecentral.com",
        "health3.app",
        "healthdocbox.com",
        "hoparx.org",
        "journaljams.org",
        "kidneydiseaseclinic.net",
        "kquees.asia",
        "laoslucius.com",
        "medicalalgorithms.com",
        "medilib.ir",
        "medlabglobal.com",
        "medlibrary.org",
        "medluna.com",
        "medpath.com",
        "medscape.com",
        "metajournal.com",
        "mimsdev.com",
        "mims.com",
        "mmoll-to-mgdl.com",
        "netlify.app",
        "nursekey.com",
        "omicsonline.org",
        "onmedica.com",
        "paperexplained.cn",
        "particle.news",
        "prdmimsweb.azurewebsites.net",
        "prescriberpoint.com",
        "pubcompare.ai",
        "readkong.com",
        "rxhive.com",
        "rxreasoner.com",
        "scribd.com",
        "skyscape.com",
        "studyres.com",
        "thefreedictionary.com",
        "themeditary.com",
        "themednet.org",
        "tideglusibinhibitor.com",
        "together4cancer.org",
        "univadis.co.uk",
        "uptodatefree.ir",
        "wordscope.be",
        "yumpu.com",
        "drugbank.com",
        "epocrates.com",
        "everydayhealth.com",
        "healthline.com",
        "mayoclinic.org",
        "medicinenet.com",
        "medlineplus.gov",
        "pdr.net",
        "rxlist.com",
        "uptodate.com",
        "webmd.com",
        "wikipedia.org",
        "wikiwand.com",
        "lexi.com",
        "47.251.13.51",
    }
)


@frozen_value
class Reference:
    """One primary document: what it is, who issued it, which version, where to find it."""

    id: Annotated[str, Key(doc="unique; what `[[source]]` rows name in `reference`")]
    title: str
    issuer: str
    date: Annotated[str, Key(doc="its date or version")]
    kind: Annotated[str, Key(one_of=KINDS)]
    url: Annotated[str, Key(doc="https, the issuer's own page; empty for a design default")]

    def words(self) -> str:
        """`title — issuer, date`: the reference as a clinician reads it."""
        return f"{self.title} — {self.issuer}, {self.date}"


@frozen_value
class Source:
    """A rule's citation: the fact cited, the primary reference and the section it is in.

    `verified` is false where the fact has not been checked in this primary (the reference was
    the best primary that could be named for it); the plan shows that beside the citation.
    """

    id: str
    title: str
    ref: Annotated[Reference, Key(written_as=("reference",), doc="an id of references.toml")]
    section: Annotated[str, Key(doc='where in the reference, e.g. "§2.3 Dose modifications"')]
    verified: Annotated[
        bool, Key(default=True, doc="false unless the wording was checked in the reference")
    ]

    @property
    def reference(self) -> str:
        """`title — issuer, date, section`, the citation in words."""
        return f"{self.ref.words()}, {self.section}"

    @property
    def url(self) -> str:
        return self.ref.url

    def cite(self) -> str:
        """The short citation printed beside a rule."""
        unchecked = " (citation unverified)" if not self.verified else ""
        return f"{self.reference}{unchecked}"

    def to_json(self) -> dict[str, Any]:
        """The plan's `sources` entry: the contract's title/reference/url, then the parts."""
        # The copy keeps a caller's change to one plan from reaching the next plan.
        return dict(self._entry)

    # A plan resolves ~120 sources, each formatting its citation in words, for every plan: a
    # source is immutable, so its entry is built once, on first use. cached_property stores it
    # beside the fields (not a field: equality, hash, repr and `replace` are unchanged).
    @cached_property
    def _entry(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "reference": self.reference,
            "url": self.url,
            "reference_id": self.ref.id,
            "reference_title": self.ref.title,
            "issuer": self.ref.issuer,
            "date": self.ref.date,
            "kind": self.ref.kind,
            "section": self.section,
            "verified": self.verified,
        }


def refused_pointer(value: str) -> str | None:
    """Why `value` may not be cited (a file outside the program, the notes, a summary site)."""
    lowered = value.lower()
    if "shared/" in lowered:
        return "points at a file outside the program (shared/...)"
    if ".md" in lowered and any(
        lowered[i + 3 : i + 4] in ("", " ", "#", ",", ";", ")", "§")
        for i in _find_all(lowered, ".md")
    ):
        return "points at a notes file (.md), not a primary source"
    host = _host(value)
    if host and _summary_site(host):
        return f"points at a summary or mirror site ({host}); cite the primary it summarises"
    return None


REFERENCES_LAYOUT = Layout(
    REFERENCES_FILE,
    {"reference": Reference},
    required=("reference",),
    table="references",
    meta=("table", "reviewed_on"),
    sources=False,
    doc="The primary documents the `[[source]]` rows cite: labels, guidelines, papers, "
    "instrument manuals. No row may point at a file outside the program, a notes file or a "
    "summary or mirror site.",
)
SOURCES_LAYOUT = Layout(
    "*.toml",
    {"source": Source},
    doc="The `[[source]]` rows any table may have: a rule's citation, naming the primary "
    "reference the fact is in and the section.",
)


def load_references(document: Mapping[str, Any]) -> Mapping[str, Reference]:
    """Read references.toml: every row complete, every URL a primary, every id unique."""
    check_document(REFERENCES_LAYOUT, REFERENCES_FILE, document)
    reader = TableReader({})
    found: dict[str, Reference] = {}
    for i, row in enumerate(rows(document, "reference", REFERENCES_FILE)):
        where = f"{REFERENCES_FILE} reference[{i}]"
        reference = _stripped(reader.row(Reference, row, where), where, blank_ok=("url",))
        if reference.kind == "design default":
            if reference.url:
                raise RulesError(f"{where}.url: a design default has no published source")
        elif not reference.url.startswith("https://"):
            raise RulesError(f"{where}.url: {reference.url!r} is not an https address")
        for key in ("title", "issuer", "date", "url"):
            why = refused_pointer(getattr(reference, key))
            if why:
                raise RulesError(f"{where}.{key}: {why}")
        if reference.id in found:
            raise RulesError(f"{where}: reference id {reference.id!r} is defined twice")
        found[reference.id] = reference
    return MappingProxyType(found)


def load_sources(
    documents: Mapping[str, Mapping[str, Any]], references: Mapping[str, Reference]
) -> Mapping[str, Source]:
    """Every `[[source]]` of every table, each resolved to its reference row."""
    reader = TableReader({})
    found: dict[str, Source] = {}
    for name, document in documents.items():
        for i, row in enumerate(rows(document, "source", name)):
            where = f"{name} source[{i}]"
            reader.known(Source, row, where)
            ref_id = row.get("reference")
            if not isinstance(ref_id, str):
                ref_id = "" if ref_id is None else ref_id
            for key in ("title", "reference", "section"):
                value = row.get(key)
                why = refused_pointer(value) if isinstance(value, str) else None
                if why:
                    raise RulesError(f"{where}.{key}: {why}")
            if "reference" in row and ref_id not in references:
                raise RulesError(f"{where}.reference: {ref_id!r} is not a row of {REFERENCES_FILE}")
            if "reference" not in row:
                raise RulesError(f"{where}: missing keys ['reference']")
            reference = references[ref_id]
            source = _stripped(reader.row(Source, row, where, ref=reference), where)
            if reference.kind == "design default" and source.verified:
                raise RulesError(f"{where}: a design default is cited with verified = false")
            if source.id in found:
                raise RulesError(f"{where}: source id {source.id!r} is defined twice")
            found[source.id] = source
    return MappingProxyType(found)


def _stripped(row: Any, where: str, blank_ok: tuple[str, ...] = ()) -> Any:
    """The row with its texts stripped; a text that is only blank is an error (but `blank_ok`)."""
    changes = {}
    for f in fields(row):
        value = getattr(row, f.name)
        if isinstance(value, str):
            if not value.strip() and f.name not in blank_ok:
                raise RulesError(f"{where}.{f.name}: is empty")
            changes[f.name] = value.strip()
    return replace(row, **changes)


def _find_all(haystack: str, needle: str) -> list[int]:
    out, start = [], haystack.find(needle)
    while start >= 0:
        out.append(start)
        start = haystack.find(needle, start + 1)
    return out


def _host(value: str) -> str:
    if "://" not in value:
        return ""
    return (urlsplit(value.strip()).hostname or "").lower()


def _summary_site(host: str) -> bool:
    parts = host.split(".")
    return any(".".join(parts[i:]) in SUMMARY_SITES for i in range(len(parts)))
