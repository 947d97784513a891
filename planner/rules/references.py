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
from functools import cached_property
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from planner.domain.frozen_value import frozen_value
from planner.rules.strict import RulesError, flag, keys, rows, text

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
        "47.251.13.51",
    }
)


@frozen_value
class Reference:
    """One primary document: what it is, who issued it, which version, where to find it."""

    id: str
    title: str
    issuer: str
    date: str
    kind: str
    url: str

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
    ref: Reference
    section: str
    verified: bool

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


def load_references(document: Mapping[str, Any]) -> Mapping[str, Reference]:
    """Read references.toml: every row complete, every URL a primary, every id unique."""
    keys(document, {"meta", "reference"}, set(), REFERENCES_FILE)
    meta = document["meta"]
    keys(meta, {"table", "reviewed_on"}, set(), f"{REFERENCES_FILE} [meta]")
    if meta["table"] != "references":
        raise RulesError(f'{REFERENCES_FILE} [meta]: table must be "references"')
    found: dict[str, Reference] = {}
    for i, row in enumerate(rows(document, "reference", REFERENCES_FILE)):
        where = f"{REFERENCES_FILE} reference[{i}]"
        keys(row, {"id", "title", "issuer", "date", "kind", "url"}, set(), where)
        reference = Reference(
            id=_filled(row, "id", where),
            title=_filled(row, "title", where),
            issuer=_filled(row, "issuer", where),
            date=_filled(row, "date", where),
            kind=_filled(row, "kind", where),
            url=text(row, "url", where).strip(),
        )
        if reference.kind not in KINDS:
            raise RulesError(f"{where}.kind: {reference.kind!r} is not one of {KINDS}")
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
    if not found:
        raise RulesError(f"{REFERENCES_FILE}: no [[reference]] rows")
    return MappingProxyType(found)


def load_sources(
    documents: Mapping[str, Mapping[str, Any]], references: Mapping[str, Reference]
) -> Mapping[str, Source]:
    """Every `[[source]]` of every table, each resolved to its reference row."""
    found: dict[str, Source] = {}
    for name, document in documents.items():
        for i, row in enumerate(rows(document, "source", name)):
            where = f"{name} source[{i}]"
            keys(row, {"id", "title", "reference", "section"}, {"verified"}, where)
            for key in ("title", "reference", "section"):
                why = refused_pointer(text(row, key, where))
                if why:
                    raise RulesError(f"{where}.{key}: {why}")
            ref_id = text(row, "reference", where)
            if ref_id not in references:
                raise RulesError(f"{where}.reference: {ref_id!r} is not a row of {REFERENCES_FILE}")
            reference = references[ref_id]
            verified = flag(row, "verified", where) if "verified" in row else True
            if reference.kind == "design default" and verified:
                raise RulesError(f"{where}: a design default is cited with verified = false")
            source = Source(
                id=_filled(row, "id", where),
                title=_filled(row, "title", where),
                ref=reference,
                section=_filled(row, "section", where),
                verified=verified,
            )
            if source.id in found:
                raise RulesError(f"{where}: source id {source.id!r} is defined twice")
            found[source.id] = source
    return MappingProxyType(found)


def _filled(row: Mapping[str, Any], key: str, where: str) -> str:
    value = text(row, key, where).strip()
    if not value:
        raise RulesError(f"{where}.{key}: is empty")
    return value


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
