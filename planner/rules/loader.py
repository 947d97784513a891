"""Build the RuleSet from resources/rules: read every table strictly, then cross-check them."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from planner.domain.dose_tables import DoseTables
from planner.domain.instruments.tables import InstrumentRules
from planner.domain.limits import CaseLimits, FieldRange, LabDefinition, UnitRange
from planner.domain.regimen_tables import RegimenTable
from planner.domain.supportive_tables import SupportiveTables
from planner.rules.doses import load_doses
from planner.rules.instruments import load_instrument_rules
from planner.rules.regimens import load_regimen_table
from planner.rules.strict import (
    RulesError,
    flag,
    keys,
    number,
    pair,
    rows,
    sources_resolve,
    text,
    texts,
)
from planner.rules.supportive import load_supportive

__all__ = ["RuleSet", "RulesError", "Source", "cache_path", "default_rules_dir", "load_rules"]


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    reference: str
    url: str

    def cite(self) -> str:
        """The short citation printed beside a rule."""
        where = self.reference or self.url
        return f"{self.title} ({where})" if where else self.title


@dataclass(frozen=True)
class Drug:
    name: str
    classes: frozenset[str]


@dataclass(frozen=True)
class RuleSet:
    version: str
    sources: Mapping[str, Source]
    limits: CaseLimits
    drugs: Mapping[str, Drug]
    doses: DoseTables
    regimens: RegimenTable
    instruments: InstrumentRules
    supportive: SupportiveTables


def default_rules_dir() -> Path:
    override = os.environ.get("PLANNER_RULES_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "resources" / "rules"


def load_rules(directory: Path | None = None) -> RuleSet:
    """Load and cross-check every rule table. Cached per directory: tables are immutable."""
    return _load(str((directory or default_rules_dir()).resolve()))


@cache
def _load(directory: str) -> RuleSet:
    root = Path(directory)
    files = sorted(root.rglob("*.toml"))
    if not files:
        raise RulesError(f"no rule tables found in {root}")
    tables = {path.relative_to(root).as_posix(): _read_bytes(path) for path in files}
    documents = _parsed_documents(tables)
    sources = _sources(documents)
    drugs = _drugs(_table(documents, "drugs.toml"), sources)
    limits = _case_limits(
        _table(documents, "case_limits.toml"), sources, drugs, _version(files, tables)
    )
    return RuleSet(
        version=limits.version,
        sources=sources,
        limits=limits,
        drugs=drugs,
        doses=load_doses(documents, sources, drugs),
        regimens=load_regimen_table(
            documents, sources, {n: d.classes for n, d in drugs.items()}, limits.version
        ),
        instruments=load_instrument_rules(documents, sources),
        supportive=load_supportive(documents, sources, drugs),
    )


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise RulesError(f"{path.name}: {exc}") from None


def _parse(name: str, data: bytes) -> dict[str, Any]:
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RulesError(f"{Path(name).name}: {exc}") from None


def _version(files: list[Path], tables: Mapping[str, bytes]) -> str:
    """Rules version: a digest of every table, so a plan records exactly what it was made with."""
    digest = hashlib.sha256()
    for path, data in zip(files, tables.values(), strict=True):
        digest.update(path.name.encode())
        digest.update(data)
    return f"rules-{digest.hexdigest()[:12]}"


# ---- the parse cache ----------------------------------------------------------------------
#
# Parsing ~20 TOML tables with tomllib is most of the cost of loading the rules, and every
# `planner` process pays it. The parsed documents (the plain dicts tomllib returns) are kept in
# one JSON file in the user's cache folder, each under the SHA-256 and size of the exact bytes it
# was parsed from, and the table's path. Every load still reads and hashes every table, and a
# cached document is used only when that digest matches, so an edited table is always parsed
# afresh (size and mtime alone are not trusted). The file carries a digest of its own payload: a
# truncated, corrupt or hand-edited cache fails that check and is ignored. The strict typed build
# always runs on the documents, cached or not (the built tables hold MappingProxyType and are
# not pickled). Any error reading or writing the cache is silent: it only ever saves time.

CACHE_FORMAT = "planner.rules-cache/1"
CACHE_FILE = "rules-parsed.json"
# Kept: the tables of the latest load only (one set, ~0.3 MB, read in a few milliseconds). A second
# rules folder used in turn (tests) simply rewrites it; a clinic has one.
CACHE_OTHERS_PER_TABLE = 0


def cache_path() -> Path | None:
    """$PLANNER_CACHE_DIR (set but empty: no cache), else the user's cache folder."""
    override = os.environ.get("PLANNER_CACHE_DIR")
    if override is not None:
        return Path(override) / CACHE_FILE if override.strip() else None
    try:
        from platformdirs import user_cache_path

        return user_cache_path("SupportiveCarePlanner", appauthor=False) / CACHE_FILE
    except Exception:  # no usable home folder: run without a cache
        return None


def _cache_stamp() -> str:
    """Documents are valid only for the parser that made them (tomllib ships with Python)."""
    return f"{CACHE_FORMAT} python {sys.version_info[0]}.{sys.version_info[1]}"


def _entry_key(name: str, data: bytes) -> str:
    return f"{hashlib.sha256(data).hexdigest()} {len(data)} {name}"


def _read_cache(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        blob = path.read_bytes()
        header, _, payload = blob.partition(b"\n")
        stamp, digest = json.loads(header)
        if stamp != _cache_stamp() or hashlib.sha256(payload).hexdigest() != digest:
            return {}
        entries = json.loads(payload)
    except (OSError, ValueError, TypeError):
        return {}
    return entries if isinstance(entries, dict) else {}


def _write_cache(path: Path, entries: Mapping[str, Any]) -> None:
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        payload = json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode()
        header = json.dumps([_cache_stamp(), hashlib.sha256(payload).hexdigest()]).encode()
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(header + b"\n" + payload)
        os.replace(partial, path)  # atomic: a reader sees the old file or the new one
    except (OSError, ValueError, TypeError):
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def _parsed_documents(tables: Mapping[str, bytes]) -> dict[str, dict[str, Any]]:
    """Each table's parsed document: from the cache when its bytes are unchanged, else tomllib."""
    path = cache_path()
    cached = _read_cache(path)
    documents: dict[str, dict[str, Any]] = {}
    used: dict[str, Any] = {}
    for name, data in tables.items():
        key = _entry_key(name, data)
        document = cached.get(key)
        if not isinstance(document, dict):
            document = _parse(name, data)
            if not _plain(document):
                key = ""  # e.g. a TOML date: parsed every time, never cached
        documents[name] = document
        if key:
            used[key] = document
    keep = len(used) * (1 + CACHE_OTHERS_PER_TABLE)
    if path is not None and (any(key not in cached for key in used) or len(cached) > keep):
        others = [(k, v) for k, v in cached.items() if k not in used]
        _write_cache(path, dict([*used.items(), *others][:keep]))
    return documents


def _plain(value: Any) -> bool:
    """Only str, int, float (finite), bool, lists and string-keyed tables: JSON keeps them exact."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if type(value) is float:
        return value - value == 0.0  # not inf, not NaN
    return type(value) in (str, int, bool)


def _table(documents: Mapping[str, dict[str, Any]], name: str) -> dict[str, Any]:
    if name not in documents:
        raise RulesError(f"missing rule table {name}")
    return documents[name]


def _sources(documents: Mapping[str, dict[str, Any]]) -> Mapping[str, Source]:
    found: dict[str, Source] = {}
    for name, document in documents.items():
        for i, row in enumerate(rows(document, "source", name)):
            where = f"{name} source[{i}]"
            keys(row, {"id", "title"}, {"reference", "url"}, where)
            source = Source(
                id=text(row, "id", where),
                title=text(row, "title", where),
                reference=row.get("reference", ""),
                url=row.get("url", ""),
            )
            if source.id in found:
                raise RulesError(f"{where}: source id {source.id!r} is defined twice")
            found[source.id] = source
    return MappingProxyType(found)


def _drugs(document: dict[str, Any], sources: Mapping[str, Source]) -> Mapping[str, Drug]:
    keys(document, {"meta", "drug"}, set(), "drugs.toml")
    out: dict[str, Drug] = {}
    for i, row in enumerate(rows(document, "drug", "drugs.toml")):
        where = f"drugs.toml drug[{i}]"
        keys(row, {"name", "classes", "sources"}, set(), where)
        name = text(row, "name", where)
        if name != name.lower().strip() or name in out:
            raise RulesError(f"{where}: {name!r} is not a unique lower-case name")
        sources_resolve(texts(row, "sources", where), sources, where)
        out[name] = Drug(name, frozenset(texts(row, "classes", where)))
    return MappingProxyType(out)


def _case_limits(
    document: dict[str, Any], sources: Mapping[str, Source], drugs: Mapping[str, Drug], version: str
) -> CaseLimits:
    keys(document, {"meta", "field", "lab"}, set(), "case_limits.toml")
    fields: dict[str, FieldRange] = {}
    for i, row in enumerate(rows(document, "field", "case_limits.toml")):
        where = f"case_limits.toml field[{i}]"
        keys(row, {"key", "low", "high", "unit", "sources", "verified"}, {"whole"}, where)
        cited = texts(row, "sources", where)
        sources_resolve(cited, sources, where)
        low, high = number(row, "low", where), number(row, "high", where)
        if low > high:
            raise RulesError(f"{where}: low {low} is above high {high}")
        key = text(row, "key", where)
        if key in fields:
            raise RulesError(f"{where}: {key} is defined twice")
        fields[key] = FieldRange(
            key=key,
            low=low,
            high=high,
            unit=text(row, "unit", where),
            whole=bool(row.get("whole", False)),
            sources=cited,
            verified=flag(row, "verified", where),
        )
    labs: dict[str, LabDefinition] = {}
    for i, row in enumerate(rows(document, "lab", "case_limits.toml")):
        where = f"case_limits.toml lab[{i}]"
        keys(row, {"name", "label", "takes_uln", "sources", "verified", "units"}, set(), where)
        cited = texts(row, "sources", where)
        sources_resolve(cited, sources, where)
        units: dict[str, UnitRange] = {}
        for j, unit_row in enumerate(rows(row, "units", where)):
            uwhere = f"{where}.units[{j}]"
            keys(unit_row, {"unit", "factor", "possible", "plausible"}, {"uln_plausible"}, uwhere)
            possible = pair(unit_row, "possible", uwhere)
            plausible = pair(unit_row, "plausible", uwhere)
            if not possible[0] <= plausible[0] <= plausible[1] <= possible[1]:
                raise RulesError(f"{uwhere}: plausible range is not inside the possible range")
            uln = pair(unit_row, "uln_plausible", uwhere) if "uln_plausible" in unit_row else None
            factor = number(unit_row, "factor", uwhere)
            if factor <= 0:
                raise RulesError(f"{uwhere}: factor must be positive")
            units[text(unit_row, "unit", uwhere)] = UnitRange(
                unit=text(unit_row, "unit", uwhere),
                factor=factor,
                possible_low=possible[0],
                possible_high=possible[1],
                plausible_low=plausible[0],
                plausible_high=plausible[1],
                uln_plausible_low=uln[0] if uln else None,
                uln_plausible_high=uln[1] if uln else None,
            )
        if not units or next(iter(units.values())).factor != 1.0:
            raise RulesError(f"{where}: the first (canonical) unit must have factor 1")
        name = text(row, "name", where)
        labs[name] = LabDefinition(
            name=name,
            label=text(row, "label", where),
            units=MappingProxyType(units),
            takes_uln=flag(row, "takes_uln", where),
            sources=cited,
            verified=flag(row, "verified", where),
        )
    return CaseLimits(
        version=version,
        fields=MappingProxyType(fields),
        labs=MappingProxyType(labs),
        drugs=frozenset(drugs),
    )
