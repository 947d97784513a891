"""Build the RuleSet from resources/rules: read every table strictly, then cross-check them."""

from __future__ import annotations

import copyreg
import dataclasses
import hashlib
import os
import pickle  # noqa: F401  (tests patch loader.pickle.loads; planner.cache unpickles through it)
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from planner import cache as disk_cache
from planner.domain.cycle_tables import CycleTables
from planner.domain.dose_tables import DoseTables
from planner.domain.frozen_value import frozen_value
from planner.domain.hard_limit_tables import HardLimitTables
from planner.domain.instruments.tables import InstrumentRules
from planner.domain.lab_deltas import DeltaLimit
from planner.domain.limits import CaseLimits
from planner.domain.medicine_tables import InteractionTables
from planner.domain.regimen_tables import RegimenTable
from planner.domain.settings_table import SettingsTable
from planner.domain.supportive_tables import SupportiveTables
from planner.rules.drugs import Drug
from planner.rules.errors import RulesError
from planner.rules.references import (
    REFERENCES_FILE,
    Reference,
    Source,
    load_references,
    load_sources,
)

__all__ = [
    "Reference",
    "RuleSet",
    "RulesError",
    "Source",
    "cache_path",
    "check_rules",
    "default_rules_dir",
    "load_rules",
]


@frozen_value
class RuleSet:
    version: str
    references: Mapping[str, Reference]
    sources: Mapping[str, Source]
    limits: CaseLimits
    drugs: Mapping[str, Drug]
    doses: DoseTables
    regimens: RegimenTable
    instruments: InstrumentRules
    supportive: SupportiveTables
    lab_deltas: Mapping[str, DeltaLimit]  # delta-check limit per lab (lab_deltas.toml)
    hard_limits: HardLimitTables
    interactions: InteractionTables
    cycle: CycleTables  # the cycle review's dose levels and modification rules (cycle/*.toml)
    clinic_settings: SettingsTable  # every clinic setting, its kind, default and words


def default_rules_dir() -> Path:
    override = os.environ.get("PLANNER_RULES_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "resources" / "rules"


def load_rules(directory: Path | None = None) -> RuleSet:
    """Load and cross-check every rule table. Cached per directory: tables are immutable."""
    return _load(str((directory or default_rules_dir()).resolve()))


def check_rules(directory: Path | None = None) -> RuleSet:
    """Read and cross-check every table of `directory` now, never from the cache (`planner rules
    check`): the first problem raises RulesError naming the file, the row and the key."""
    tables, version = _read_tables((directory or default_rules_dir()).resolve())
    return _build(tables, version)


def _read_tables(root: Path) -> tuple[dict[str, bytes], str]:
    """Every table's bytes by its path in the rules folder, and the rules version."""
    files = sorted(root.rglob("*.toml"))
    if not files:
        raise RulesError(f"no rule tables found in {root}")
    tables = {path.relative_to(root).as_posix(): _read_bytes(path) for path in files}
    return tables, _version(files, tables)


@cache
def _load(directory: str) -> RuleSet:
    tables, version = _read_tables(Path(directory))
    path, key = cache_path(), _cache_key(tables)
    cached = _read_cache(path, key, version)
    if cached is not None:
        return cached
    ruleset = _build(tables, version)
    if path is not None:
        _write_cache(path, key, ruleset)
    return ruleset


def _build(tables: Mapping[str, bytes], version: str) -> RuleSet:
    """The strict build: parse every table, check every row and reference, freeze the result."""
    # The table builders (and the instrument catalogue they check against) are needed only
    # here: a process that finds its rules in the cache never imports them.
    from planner.rules.case_limits import load_case_limits
    from planner.rules.clinic_settings import load_settings_table
    from planner.rules.cycle import load_cycle_tables
    from planner.rules.doses import load_doses
    from planner.rules.drugs import load_combinations, load_drugs, load_inflections
    from planner.rules.hard_limits import load_hard_limits
    from planner.rules.instruments import load_instrument_rules
    from planner.rules.interactions import load_interactions
    from planner.rules.lab_deltas import load_lab_deltas
    from planner.rules.regimens import check_regimen_doses, load_regimen_table
    from planner.rules.supportive import load_supportive

    documents = {name: _parse(name, data) for name, data in tables.items()}
    references = load_references(_table(documents, REFERENCES_FILE))
    sources = load_sources(documents, references)
    drugs, allergy_classes, excipients = load_drugs(documents, sources)
    words = [
        *(s for d in drugs.values() for s in (d.name, *d.synonyms)),
        *allergy_classes,
        *(n for e in excipients for n in e.names),
    ]
    combinations = load_combinations(documents, sources, drugs, words)
    inflections = load_inflections(
        documents, sources, drugs, [*words, *(n for c in combinations for n in c.names)]
    )
    limits = load_case_limits(
        documents, sources, drugs, version, allergy_classes, excipients, combinations
    )
    limits = dataclasses.replace(limits, allergy_inflections=inflections)
    doses = load_doses(documents, sources, drugs)
    regimens = load_regimen_table(
        documents, sources, {n: d.classes for n, d in drugs.items()}, limits.version
    )
    check_regimen_doses(regimens, doses)
    instruments = load_instrument_rules(documents, sources)
    supportive = load_supportive(documents, sources, drugs)
    hard_limits = load_hard_limits(documents, sources, drugs)
    # the validator checks `treatment.regimen` (contract §5) against the regimen ids
    limits = dataclasses.replace(
        limits,
        regimens=MappingProxyType({r.id: r.drugs for r in regimens.regimens.values()}),
    )
    cycle = load_cycle_tables(documents, sources, drugs)
    return RuleSet(
        version=limits.version,
        references=references,
        sources=sources,
        limits=limits,
        drugs=drugs,
        doses=doses,
        regimens=regimens,
        instruments=instruments,
        supportive=supportive,
        lab_deltas=load_lab_deltas(documents, sources, limits),
        hard_limits=hard_limits,
        interactions=load_interactions(
            documents, sources, drugs, {e.id: frozenset(e.drugs) for e in excipients}
        ),
        cycle=cycle,
        clinic_settings=load_settings_table(
            documents,
            sources,
            limits=limits,
            instruments=instruments,
            supportive=supportive,
            hard_limits=hard_limits,
            cycle=cycle,
        ),
    )


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise RulesError(f"{path.name}: {exc}") from None


def _parse(name: str, data: bytes) -> dict[str, Any]:
    import tomllib  # only when the rules are built, not when they come from the cache

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


# ---- the cache of the built rule set --------------------------------------------------------
#
# Parsing the ~20 TOML tables and building the strict, typed tables costs every `planner` process
# tens of milliseconds; unpickling the finished RuleSet costs a few. The built RuleSet of the
# latest load is kept in one file (planner.cache: digest-checked, written atomically, silent on
# any error), under a key that covers everything the result depends on: the SHA-256 of every
# table's bytes (and its path in the rules folder), the Python version, the planner's version and
# a digest of the source of planner/domain and planner/rules (the modules that define and build
# the table types; a code change must never revive tables built by older code). Every load still
# reads and hashes every table, so an edited table always misses (size and mtime alone are not
# trusted). A payload that unpickles to anything but a RuleSet of this version is not used.

CACHE_FORMAT = "planner.rules-cache/2"
CACHE_FILE = "rules-built.pickle"
_CODE_PACKAGES = ("domain", "rules")  # under planner/: where the table types are defined and built


def cache_path() -> Path | None:
    """$PLANNER_CACHE_DIR (set but empty: no cache), else the user's cache folder."""
    return disk_cache.cache_path(CACHE_FILE)


def _code_digest() -> str:
    """Digest of the planner's version and the source of the packages the pickled types live in."""
    from planner import __version__

    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(f"{__version__} {sys.implementation.cache_tag}".encode())
    for sub in _CODE_PACKAGES:
        for source in sorted((package / sub).rglob("*.py")):
            digest.update(source.relative_to(package).as_posix().encode() + b"\0")
            digest.update(source.read_bytes())
    return digest.hexdigest()


def _cache_key(tables: Mapping[str, bytes]) -> str:
    digest = hashlib.sha256(f"{CACHE_FORMAT} {sys.version}".encode())
    try:
        digest.update(_code_digest().encode())
    except OSError:  # the source cannot be read (a frozen build): never trust a cache
        return ""
    for name, data in tables.items():
        digest.update(f"\0{name}\0{len(data)}\0".encode())
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def _mapping_proxy(content: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(content)


# MappingProxyType cannot be pickled as such: it is written as the dict it shows and rebuilt
# read-only. A private table for this loader's pickler only; nothing global is registered.
_PICKLE_REDUCERS = copyreg.dispatch_table.copy()
_PICKLE_REDUCERS[MappingProxyType] = lambda proxy: (_mapping_proxy, (dict(proxy),))


def _read_cache(path: Path | None, key: str, version: str) -> RuleSet | None:
    ruleset = disk_cache.read(path, CACHE_FORMAT, key)
    if type(ruleset) is not RuleSet or ruleset.version != version:
        return None
    return ruleset


def _write_cache(path: Path, key: str, ruleset: RuleSet) -> None:
    disk_cache.write(path, CACHE_FORMAT, key, ruleset, reducers=_PICKLE_REDUCERS)


def _table(documents: Mapping[str, dict[str, Any]], name: str) -> dict[str, Any]:
    if name not in documents:
        raise RulesError(f"missing rule table {name}")
    return documents[name]
