"""Compact citations: numbered references, resolved through the plan's `sources`.

Every suggestion in the clinician section shows its references as numbers (`[3, 4]`); the
numbers resolve in a References list at the end of the section,
from the plan's top-level `sources` map (`id -> {title, reference, url, reference_id, issuer,
date, section, verified, ...}`), read through planner.domain.plan_document (`SourceEntry`,
`Basis`; a section still on plan dictionaries passes the JSON, read the same way). One number per primary document: sources citing sections of the
same label share it, and its entry reads "title — issuer, date: section; section", then the
address, so a reader can find the document (and the section list stays short enough for the
page targets). A source the map does not hold is printed as given (older plans carry the citation
text itself). A rule whose basis is not verified keeps its marker: "(unverified — confirm
locally)"; a citation not yet checked in its primary says so too.

Rule ids are for checking the rule tables, not for the bedside (issue 16): the clinician reads
titles and sections, so paper carries no rule id. They are shown where the clinician asks for
them (the screen's "Show rule ids"); a References list made with `rule_ids=True` names, after each
document, the rules citing it ("Rule ids: …"), wrapping between ids, never inside one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from planner.domain.plan_document import Basis, SourceEntry, read_basis, read_source
from planner.domain.plan_document.reading import mapping as mapping_of
from planner.reports import styles
from planner.reports.formatting import text

UNVERIFIED = f' <font color="{styles.CRITICAL_MARKUP}"><b>(unverified — confirm locally)</b></font>'
#: the same in fewer words, where a line must stay one line (rule 6: still said, still marked)
SHORT_UNVERIFIED = f' <font color="{styles.CRITICAL_MARKUP}"><b>(unverified)</b></font>'
UNCHECKED = (
    f' <font color="{styles.CRITICAL_MARKUP}"><b>(citation unverified — confirm locally)</b></font>'
)

#: a plan's `sources`, read (planner.domain.plan_document) or as the JSON gives it
Sources = Mapping[str, SourceEntry] | Mapping[str, Any]
#: a `basis` list, read or as the JSON gives it (the sections not yet on the read model)
BasisList = Iterable[Basis] | Iterable[Mapping[str, Any]]


class _SourcesAsCited(Mapping[str, SourceEntry]):
    """A plan's JSON `sources`, each entry read when it is first cited: a page cites a few of
    the plan's hundred-odd sources (a referral slip: two or three)."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self._raw = raw
        self._read: dict[str, SourceEntry] = {}

    def __getitem__(self, key: str) -> SourceEntry:
        if key not in self._read:
            self._read[key] = read_source(mapping_of(self._raw[key], key), f"sources.{key}")
        return self._read[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


def _read_sources(sources: Sources | None) -> Mapping[str, SourceEntry]:
    if not sources:
        return {}
    if all(isinstance(entry, SourceEntry) for entry in sources.values()):
        return sources
    return _SourcesAsCited(sources)


def _read_basis(basis: BasisList | None) -> tuple[Basis, ...]:
    entries = list(basis or ())
    if all(isinstance(entry, Basis) for entry in entries):
        return tuple(entry for entry in entries if isinstance(entry, Basis))
    return read_basis(entries)


def described(entry: SourceEntry, key: str) -> str:
    """A `sources` entry in words: "title — issuer, date, section" (older plans: title)."""
    title = str(entry.title or key)
    reference = str(entry.reference or "")
    if not reference or entry.section is None:  # an older plan: reference is free text
        return f"{title} ({reference})" if reference else title
    return reference


class References:
    """Numbers primary documents in the order they are first cited."""

    def __init__(self, sources: Sources | None, *, rule_ids: bool = False) -> None:
        self._sources = _read_sources(sources)
        self._show_rule_ids = rule_ids  # only when the clinician asks for them
        self._numbers: dict[str, int] = {}
        self._cited: dict[str, list[str]] = {}  # document key -> the source ids citing it
        self._rules: dict[str, list[str]] = {}  # document key -> the rule ids citing it

    def number(self, source: Any, rule: str | None = None) -> int:
        key = str(source or "source not given")
        found = self._sources.get(key)
        document = key
        if found is not None and found.reference_id:
            document = f"reference:{found.reference_id}"
        if document not in self._numbers:
            self._numbers[document] = len(self._numbers) + 1
        cited = self._cited.setdefault(document, [])
        if key not in cited:
            cited.append(key)
        rules = self._rules.setdefault(document, [])
        if rule and rule not in rules:
            rules.append(rule)
        return self._numbers[document]

    def entries(self) -> list[tuple[int, str]]:
        """(number, markup) for every cited document, in number order."""
        return [
            (n, self._describe(self._cited[key]) + self._rule_ids(key))
            for key, n in self._numbers.items()
        ]

    def _rule_ids(self, document: str) -> str:
        """The rules citing a document, for checking against the rule tables: one id after the
        other, separated by spaces so a line breaks between ids (an id is never split)."""
        rules = self._rules.get(document) or []
        if not rules or not self._show_rule_ids:
            return ""
        ids = "; ".join(f"<nobr>{text(r)}</nobr>" for r in rules)
        return f' <font color="{styles.MUTED_MARKUP}">Rule\u00a0ids: {ids}.</font>'

    def _describe(self, keys: list[str]) -> str:
        entries = [e for e in (self._sources.get(k) for k in keys) if e is not None]
        if not entries:
            return text(keys[0])
        first = entries[0]
        if first.reference_id is None:
            return self._older(keys[0], first)
        sections = list(dict.fromkeys(str(e.section or "") for e in entries))
        words = f"{first.reference_title} — {first.issuer}, {first.date}"
        words += ": " + "; ".join(s for s in sections if s)
        url = str(first.url or "")
        address = f' <font color="{styles.MUTED_MARKUP}">{text(url)}</font>' if url else ""
        doubtful = any(e.verified is False for e in entries)
        return f"{text(words)}{address}" + (UNCHECKED if doubtful else "")

    @staticmethod
    def _older(key: str, found: SourceEntry) -> str:
        words = described(found, key)
        url = str(found.url or "")
        return text(words) + (
            f' <font color="{styles.MUTED_MARKUP}">{text(url)}</font>' if url else ""
        )

    def __len__(self) -> int:
        return len(self._numbers)


def grouped(basis: BasisList | None) -> dict[str, tuple[list[str], bool]]:
    """rule -> (its sources in order, unverified?)."""
    out: dict[str, tuple[list[str], bool]] = {}
    for b in _read_basis(basis):
        rule = b.rule or "?"
        sources, doubtful = out.get(rule, ([], False))
        source = b.source or "source not given"
        if source not in sources:
            sources.append(source)
        out[rule] = (sources, doubtful or not b.verified)
    return out


def cite(
    basis: BasisList | None,
    refs: References,
    *,
    limit: int | None = None,
    prefer: Iterable[str] = (),
) -> str:
    """The sources of a suggestion as reference numbers: `[1, 2]`, then those cited by an
    unverified rule with their marker (`[3] (unverified — confirm locally)`). At most `limit`
    rules are cited (the preferred ones first); the others are counted ("+N more sources on
    screen", saying if any of those is unverified). Rule ids are never beside a suggestion."""
    rules = grouped(basis)
    if not rules:
        return "no source cited"
    # One entry per rule: `prefer` may name a rule twice (two interventions citing it).
    order = list(dict.fromkeys([*(r for r in prefer if r in rules), *rules]))
    shown = order if limit is None else order[:limit]
    sure: dict[int, None] = {}
    doubtful: dict[int, None] = {}
    for rule in shown:
        sources, unverified = rules[rule]
        for source in sources:
            (doubtful if unverified else sure)[refs.number(source, rule)] = None
    sure = {n: None for n in sure if n not in doubtful}
    parts = []
    if sure:
        parts.append(f"[{', '.join(str(n) for n in sure)}]")
    if doubtful:
        parts.append(f"[{', '.join(str(n) for n in doubtful)}]" + UNVERIFIED)
    out = "; ".join(parts)
    hidden = order[len(shown) :]
    if hidden:
        hidden_doubtful = sum(1 for r in hidden if rules[r][1])
        out += f"; +{len(hidden)} more on screen"
        if hidden_doubtful:
            out += f' <font color="{styles.CRITICAL_MARKUP}"><b>({hidden_doubtful} unverified — confirm locally)</b></font>'
    return out


def inline(basis: BasisList | None, sources: Sources | None, limit: int = 3) -> str:
    """For a page read on its own by another service (a referral slip): the documents the
    referral rests on, in short ("title — issuer, date"), each once and without rule ids (a
    receiving service has no use for them; they are on the clinician section and the plan
    JSON), at most `limit`, then "+N more"; an unverified basis keeps its marker."""
    rules = grouped(basis)
    if not rules:
        return "no source cited"
    known = _read_sources(sources)

    def short(source: str) -> str:
        found = known.get(source)
        if found is None:
            return source
        if found.reference_title:
            return ", ".join(
                part
                for part in (
                    f"{found.reference_title} — {found.issuer or ''}".rstrip(" —"),
                    found.date,
                )
                if part
            )
        return str(found.title or source)

    documents = list(dict.fromkeys(short(s) for cited, _ in rules.values() for s in cited))
    out = "; ".join(text(d) for d in documents[:limit])
    if len(documents) > limit:
        out += f"; +{len(documents) - limit} more (on the clinician section)"
    if any(doubtful for _, doubtful in rules.values()):
        out += UNVERIFIED
    return out
