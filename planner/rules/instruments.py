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
from planner.domain.instruments.settings import InstrumentSettings
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
from planner.rules.strict import RulesError, flag, keys, number, rows, sources_resolve, text, texts

FOLDER = "instruments/"
_COMMON = {"id", "sources", "verified"}
_KINDS = ("bands", "formula", "points", "method", "setting", "term")


def load_instrument_rules(
    documents: Mapping[str, Mapping[str, Any]], sources: Mapping[str, Any]
) -> InstrumentRules:
    found: dict[str, Rule] = {}
    for name, document in documents.items():
        if not name.startswith(FOLDER):
            continue
        keys(document, set(), {"meta", "source", *_KINDS}, name)
        for kind in _KINDS:
            for i, row in enumerate(rows(document, kind, name)):
                where = f"{name} {kind}[{i}]"
                rule = _READERS[kind](row, where, sources)
                if rule.id in found:
                    raise RulesError(f"{where}: rule id {rule.id!r} is defined twice")
                found[rule.id] = rule
    _check_against_catalogue(found)
    names = [r.name for r in found.values() if isinstance(r, SettingRule)]
    expected = set(InstrumentSettings.__dataclass_fields__)
    if len(names) != len(set(names)) or set(names) != expected:
        raise RulesError(f"instrument settings: {sorted(names)} do not match {sorted(expected)}")
    return InstrumentRules(MappingProxyType(found))


def _common(row: Mapping[str, Any], where: str, sources: Mapping[str, Any]) -> dict[str, Any]:
    rule_id = text(row, "id", where)
    if not rule_id.startswith("instr."):
        raise RulesError(f"{where}: rule id {rule_id!r} must start with 'instr.'")
    cited = texts(row, "sources", where)
    sources_resolve(cited, sources, where)
    note = text(row, "note", where) if "note" in row else ""
    return {"id": rule_id, "sources": cited, "verified": flag(row, "verified", where), "note": note}


def _numbers(row: Mapping[str, Any], key: str, where: str) -> Mapping[str, float]:
    table = row[key]
    if not isinstance(table, dict):
        raise RulesError(f"{where}.{key}: must be a table of numbers")
    return MappingProxyType({name: number(table, name, f"{where}.{key}") for name in table})


def _bands(row: Mapping[str, Any], where: str, sources: Mapping[str, Any]) -> BandSet:
    keys(row, _COMMON | {"bands"}, {"note", "step"}, where)
    common = _common(row, where, sources)
    step = number(row, "step", where) if "step" in row else None
    if step is not None and step <= 0:
        raise RulesError(f"{where}.step: must be positive")
    listed = rows(row, "bands", where)
    bands: list[Band] = []
    for j, entry in enumerate(listed):
        bwhere = f"{where}.bands[{j}]"
        keys(entry, {"range"}, {"label", "value", "verified"}, bwhere)
        if "label" not in entry and "value" not in entry:
            raise RulesError(f"{bwhere}: needs a label or a value")
        try:
            interval = Interval.parse(text(entry, "range", bwhere))
        except ValueError as exc:
            raise RulesError(f"{bwhere}.range: {exc}") from None
        value = number(entry, "value", bwhere) if "value" in entry else None
        if value is not None and not math.isfinite(value):
            raise RulesError(f"{bwhere}.value: must be finite")
        bands.append(
            Band(
                interval=interval,
                label=text(entry, "label", bwhere) if "label" in entry else None,
                value=value,
                verified=flag(entry, "verified", bwhere) if "verified" in entry else True,
            )
        )
    band_set = BandSet(**common, step=step, bands=tuple(bands))
    problems = band_set.layout_problems()
    if problems:
        raise RulesError(f"{where}: " + "; ".join(problems))
    return band_set


def _formula(row: Mapping[str, Any], where: str, sources: Mapping[str, Any]) -> Formula:
    keys(row, _COMMON | {"coefficients"}, {"note"}, where)
    return Formula(
        **_common(row, where, sources), coefficients=_numbers(row, "coefficients", where)
    )


def _points(row: Mapping[str, Any], where: str, sources: Mapping[str, Any]) -> PointTable:
    keys(row, _COMMON | {"points"}, {"note"}, where)
    return PointTable(**_common(row, where, sources), points=_numbers(row, "points", where))


def _method(row: Mapping[str, Any], where: str, sources: Mapping[str, Any]) -> Method:
    keys(row, _COMMON | {"note"}, set(), where)
    return Method(**_common(row, where, sources))


def _setting(row: Mapping[str, Any], where: str, sources: Mapping[str, Any]) -> SettingRule:
    keys(row, _COMMON | {"name", "options", "default", "note"}, set(), where)
    options = row["options"]
    if not isinstance(options, dict) or not all(isinstance(v, str) for v in options.values()):
        raise RulesError(f"{where}.options: must be a table of option = rule id")
    default = text(row, "default", where)
    if default not in options:
        raise RulesError(f"{where}.default: {default!r} is not one of its options")
    return SettingRule(
        **_common(row, where, sources),
        name=text(row, "name", where),
        options=MappingProxyType(dict(options)),
        default=default,
    )


def _term(row: Mapping[str, Any], where: str, sources: Mapping[str, Any]) -> CtcaeTerm:
    keys(row, _COMMON | {"term", "plain", "grades"}, {"note"}, where)
    grades = row["grades"]
    if (
        not isinstance(grades, list)
        or len(grades) != 5
        or not all(isinstance(g, str) for g in grades)
        or not any(grades)
    ):
        raise RulesError(f"{where}.grades: must list the five grades' definitions ('' if none)")
    return CtcaeTerm(
        **_common(row, where, sources),
        term=text(row, "term", where),
        plain=text(row, "plain", where),
        grades=tuple(grades),
    )


_READERS = {
    "bands": _bands,
    "formula": _formula,
    "points": _points,
    "method": _method,
    "setting": _setting,
    "term": _term,
}


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
