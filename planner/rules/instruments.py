"""Strict reader of resources/rules/instruments/*.toml into the domain's InstrumentRules.

Each file may hold `[meta]`, `[[source]]` (merged by the main loader), `[[bands]]`, `[[formula]]`,
`[[points]]`, `[[method]]`, `[[setting]]` and `[[term]]` (a CTCAE term's grade definitions). Unknown keys, unknown rule ids, rules a scorer
needs but the tables lack, wrong coefficient / category names, unresolved sources, bands that
leave a gap or overlap, and settings whose options or default do not resolve are all errors.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from planner.domain.instruments.catalogue import NEEDS
from planner.domain.instruments.instrument_settings import InstrumentSettings
from planner.domain.instruments.tables import (
    KIND_TYPES,
    Band,
    BandSet,
    CtcaeTerm,
    Formula,
    InstrumentRules,
    Interval,
    Method,
    PointTable,
    Rule,
    SettingRule,
)
from planner.rules.errors import RulesError
from planner.rules.reader import Layout, TableReader, check_document, rows

FOLDER = "instruments/"
_KIND_TYPES: Mapping[str, type[Rule]] = {
    "bands": BandSet,
    "formula": Formula,
    "points": PointTable,
    "method": Method,
    "setting": SettingRule,
    "term": CtcaeTerm,
}
LAYOUT = Layout(
    "instruments/*.toml",
    _KIND_TYPES,
    doc="The scoring rules of the instruments and calculators: bands, formulas, point tables, "
    "methods, the clinic's choices among published variants ([[setting]]) and CTCAE terms. "
    "Every rule a scorer reads must be there, and no other.",
)


def load_instrument_rules(
    documents: Mapping[str, Mapping[str, Any]], sources: Mapping[str, Any]
) -> InstrumentRules:
    reader = TableReader(sources)
    found: dict[str, Rule] = {}
    for name, document in documents.items():
        if not name.startswith(FOLDER):
            continue
        check_document(LAYOUT, name, document)
        for kind, row_type in _KIND_TYPES.items():
            for i, row in enumerate(rows(document, kind, name)):
                where = f"{name} {kind}[{i}]"
                rule = _read(reader, row_type, row, where)
                if not rule.id.startswith("instr."):
                    raise RulesError(f"{where}: rule id {rule.id!r} must start with 'instr.'")
                if rule.id in found:
                    raise RulesError(f"{where}: rule id {rule.id!r} is defined twice")
                found[rule.id] = rule
    _check_against_catalogue(found)
    names = [r.name for r in found.values() if isinstance(r, SettingRule)]
    expected = set(InstrumentSettings.__dataclass_fields__)
    if len(names) != len(set(names)) or set(names) != expected:
        raise RulesError(f"instrument settings: {sorted(names)} do not match {sorted(expected)}")
    return InstrumentRules(MappingProxyType(found))


def _read(reader: TableReader, row_type: type[Rule], row: Mapping[str, Any], where: str) -> Rule:
    if row_type is BandSet:
        return _bands(reader, row, where)
    rule = reader.row(row_type, row, where)
    if isinstance(rule, SettingRule) and rule.default not in rule.options:
        raise RulesError(f"{where}.default: {rule.default!r} is not one of its options")
    if isinstance(rule, CtcaeTerm) and (len(rule.grades) != 5 or not any(rule.grades)):
        raise RulesError(f"{where}.grades: must list the five grades' definitions ('' if none)")
    if isinstance(rule, Formula | PointTable):
        numbers = rule.coefficients if isinstance(rule, Formula) else rule.points
        for key, value in numbers.items():
            if not math.isfinite(value):
                raise RulesError(f"{where}: {key} must be finite")
    return rule


def _bands(reader: TableReader, row: Mapping[str, Any], where: str) -> BandSet:
    bands: list[Band] = []
    for j, entry in enumerate(rows(row, "bands", where)):
        bwhere = f"{where}.bands[{j}]"
        if "label" not in entry and "value" not in entry:
            raise RulesError(f"{bwhere}: needs a label or a value")
        written = entry.get("range")
        if not isinstance(written, str):
            raise RulesError(f"{bwhere}.range: {written!r} is not text")
        try:
            interval = Interval.parse(written)
        except ValueError as exc:
            raise RulesError(f"{bwhere}.range: {exc}") from None
        band = reader.row(Band, entry, bwhere, interval=interval)
        if band.value is not None and not math.isfinite(band.value):
            raise RulesError(f"{bwhere}.value: must be finite")
        bands.append(band)
    band_set = reader.row(BandSet, row, where, bands=tuple(bands))
    problems = band_set.layout_problems()
    if problems:
        raise RulesError(f"{where}: " + "; ".join(problems))
    return band_set


def _check_against_catalogue(found: Mapping[str, Rule]) -> None:
    unknown = sorted(set(found) - set(NEEDS))
    if unknown:
        raise RulesError(f"instrument rules: no scorer reads {', '.join(unknown)}")
    missing = sorted(set(NEEDS) - set(found))
    if missing:
        raise RulesError(f"instrument rules: missing {', '.join(missing)}")
    for rule_id, needed in NEEDS.items():
        rule = found[rule_id]
        if not isinstance(rule, KIND_TYPES[needed.kind]):
            raise RulesError(f"{rule_id}: must be a [[{needed.kind}]] row")
        names: set[str] | None = None
        if isinstance(rule, Formula):
            names = set(rule.coefficients)
        elif isinstance(rule, PointTable):
            names = set(rule.points)
        elif isinstance(rule, SettingRule):
            names = set(rule.options)
            for option, target in rule.options.items():
                if target not in found:
                    raise RulesError(f"{rule_id}: option {option} names unknown rule {target!r}")
        if names is not None and names != set(needed.names):
            raise RulesError(
                f"{rule_id}: has {sorted(names)}, the scorer reads {sorted(needed.names)}"
            )
