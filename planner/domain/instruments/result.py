"""The result every instrument returns, and the trail that records its evidence while scoring.

A result carries the instrument version, the missing-data rule used, each cut-off / coefficient
table applied with its rule id, sources and verified flag, the clinic settings it was scored
with, and its values at full precision (rounded to 2 decimals only by `to_json`, for printing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from planner.domain.frozen_value import frozen_value
from planner.domain.instruments.instrument_settings import InstrumentSettings
from planner.domain.instruments.tables import (
    Band,
    BandSet,
    Formula,
    InstrumentRules,
    Method,
    PointTable,
    Rule,
    format_edge,
)

DISPLAY_PLACES = 2


@frozen_value(hot=True)
class Basis:
    """One rule that decided part of a result: which row, from which sources, how sure."""

    rule: str
    sources: tuple[str, ...]
    verified: bool
    applied: str

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "sources": list(self.sources),
            "verified": self.verified,
            "applied": self.applied,
        }


@frozen_value(hot=True)
class InstrumentResult:
    instrument: str
    version: str
    missing_rule: str
    values: Mapping[str, Any]
    basis: tuple[Basis, ...]
    settings: Mapping[str, str]
    warnings: tuple[str, ...]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    @property
    def unverified(self) -> tuple[str, ...]:
        """Rule ids used that the reference marks as recalled / unverified: show them as such."""
        seen: dict[str, None] = {}
        for item in self.basis:
            if not item.verified:
                seen[item.rule] = None
        return tuple(seen)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"instrument": self.instrument, "version": self.version}
        out.update({key: _display(value) for key, value in self.values.items()})
        out["missing_rule"] = self.missing_rule
        out["settings"] = dict(self.settings)
        out["basis"] = [item.to_json() for item in self.basis]
        out["unverified"] = list(self.unverified)
        out["warnings"] = list(self.warnings)
        return out


def _display(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, DISPLAY_PLACES)
    if isinstance(value, Mapping):
        return {key: _display(v) for key, v in value.items()}
    if isinstance(value, tuple | list):
        return [_display(v) for v in value]
    return value


def shown(x: float) -> str:
    return format_edge(x) if float(x).is_integer() else f"{x:.4g}"


@dataclass
class Trail:
    """Collects the evidence of one scoring run; `finish` freezes it into a result."""

    rules: InstrumentRules
    # None: the tables' defaults, resolved only if the scorer reads a setting (most scorers of a
    # plan — BSA, CrCl, ALBI, ODWG — read none)
    settings: InstrumentSettings | None
    # each once, in the order cited: a dict as an ordered set (not a list's `not in` scan)
    basis: dict[Basis, None] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    settings_used: dict[str, str] = field(default_factory=dict)

    def _cite(self, rule: Rule, applied: str, verified: bool | None = None) -> None:
        ok = rule.verified if verified is None else verified
        self.basis[Basis(rule.id, rule.sources, ok, applied)] = None

    def band(self, rule_id: str, x: float, what: str) -> Band:
        bands = self.rules.get(rule_id, BandSet)
        found = bands.find(x)
        self._cite(
            bands,
            f"{what} {shown(x)} in {found.interval} -> {found.shown()}",
            bands.verified and found.verified,
        )
        return found

    def formula(self, rule_id: str) -> Formula:
        rule = self.rules.get(rule_id, Formula)
        self._cite(rule, rule.note)
        return rule

    def points(self, rule_id: str, key: str, what: str = "") -> float:
        table = self.rules.get(rule_id, PointTable)
        value = table[key]
        self._cite(table, f"{what or key}: {key} -> {format_edge(value)} points")
        return value

    def method(self, rule_id: str) -> Method:
        rule = self.rules.get(rule_id, Method)
        self._cite(rule, rule.note)
        return rule

    def setting(self, name: str) -> tuple[str, str]:
        """(option chosen by the clinic, id of the rule that option selects)."""
        row = self.rules.setting(name)
        if self.settings is None:
            self.settings = InstrumentSettings.from_rules(self.rules)
        option = getattr(self.settings, name)
        self.settings_used[name] = option
        self._cite(row, f"{name} = {option}" + (" (default)" if option == row.default else ""))
        return option, row.options[option]

    def cite(self, rule_id: str, applied: str) -> None:
        self._cite(self.rules.rules[rule_id], applied)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def finish(
        self, instrument: str, version: str, missing_rule: str, values: Mapping[str, Any]
    ) -> InstrumentResult:
        warnings = list(self.warnings)
        unverified = [b.rule for b in self.basis if not b.verified]
        if unverified:
            warnings.append("unverified — confirm locally: " + ", ".join(dict.fromkeys(unverified)))
        return InstrumentResult(
            instrument=instrument,
            version=version,
            missing_rule=missing_rule,
            values=MappingProxyType(dict(values)),
            basis=tuple(self.basis),
            settings=MappingProxyType(dict(self.settings_used)),
            warnings=tuple(warnings),
        )


def start(rules: InstrumentRules, settings: InstrumentSettings | None) -> Trail:
    return Trail(rules, settings)
