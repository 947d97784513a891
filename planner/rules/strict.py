"""The supportive tables' hand-written key checks (to be replaced by planner.rules.reader)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.rules.errors import RulesError


def keys(row: Mapping[str, Any], required: set[str], optional: set[str], where: str) -> None:
    unknown = set(row) - required - optional
    if unknown:
        raise RulesError(f"{where}: unknown keys {sorted(unknown)}")
    missing = required - set(row)
    if missing:
        raise RulesError(f"{where}: missing keys {sorted(missing)}")


def number(row: Mapping[str, Any], key: str, where: str) -> float:
    value = row[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RulesError(f"{where}.{key}: {value!r} is not a number")
    return float(value)


def text(row: Mapping[str, Any], key: str, where: str) -> str:
    value = row[key]
    if not isinstance(value, str):
        raise RulesError(f"{where}.{key}: {value!r} is not text")
    return value


def flag(row: Mapping[str, Any], key: str, where: str) -> bool:
    value = row[key]
    if not isinstance(value, bool):
        raise RulesError(f"{where}.{key}: {value!r} is not true/false")
    return value


def texts(row: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = row[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulesError(f"{where}.{key}: {value!r} is not a list of text")
    return tuple(value)


def pair(row: Mapping[str, Any], key: str, where: str) -> tuple[float, float]:
    value = row[key]
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        or value[0] > value[1]
    ):
        raise RulesError(f"{where}.{key}: {value!r} is not an ascending [low, high] pair")
    return float(value[0]), float(value[1])


def rows(document: Mapping[str, Any], key: str, where: str) -> list[Mapping[str, Any]]:
    value = document.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise RulesError(f"{where}: [[{key}]] must be an array of tables")
    return value


def sources_resolve(cited: tuple[str, ...], known: Mapping[str, Any], where: str) -> None:
    if not cited:
        raise RulesError(f"{where}: cites no source")
    for source in cited:
        if source not in known:
            raise RulesError(f"{where}: source {source!r} is not defined in any [[source]] table")
