"""Strict loading of resources/rules/hard_limits.toml into `HardLimitTables`.

    [meta]          table = "hard_limits", version, reviewed_on
    [[source]]      id (prefix "limit."), title, reference, url (read by the loader)
    [[limit]]       id, drugs, labels, measure, one of below|upto|from|above, status, reason,
                    sources, verified
    [[equivalent]]  drug, default, range = [low, high], offered?, text, sources, verified
    [[ledger]]      id, limit_mg_m2, lower_limit_mg_m2, lower_after_drugs,
                    lower_after_mediastinal_radiotherapy, text, sources, verified (exactly one)
    [[start_test]]  id, name, drugs, test, default, required_text, required_sources,
                    advised_text, advised_sources, verified (a clinic setting, one per name)

Unknown keys, measures, statuses, label sets, drugs and dangling sources are errors naming the
row; the equivalence factors must cover every drug of the catalogue's `anthracycline` class, so
no anthracycline can slip past the ledger.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from planner.domain.hard_limit_tables import (
    EDGES,
    AnthracyclineEquivalent,
    AnthracyclineLedger,
    HardLimit,
    HardLimitTables,
    StartTest,
)
from planner.rules.errors import RulesError
from planner.rules.reader import Layout, TableReader, check_document, pair, rows

TABLE = "hard_limits.toml"
ANTHRACYCLINE_CLASS = "anthracycline"
LAYOUT = Layout(
    TABLE,
    {
        "limit": HardLimit,
        "equivalent": AnthracyclineEquivalent,
        "ledger": AnthracyclineLedger,
        "start_test": StartTest,
    },
    required=("ledger",),
    table="hard_limits",
    source_prefix="limit.",
    doc='A label\'s "do not give" conditions at the start of a course, the doxorubicin '
    "equivalents of the anthracyclines and the lifetime ledger (exactly one [[ledger]]); the "
    "tests before a first dose whose waiting for the result is a clinic setting.",
)


def load_hard_limits(
    documents: Mapping[str, dict[str, Any]],
    sources: Mapping[str, Any],
    drugs: Mapping[str, Any],
) -> HardLimitTables:
    if TABLE not in documents:
        raise RulesError(f"missing rule table {TABLE}")
    document = documents[TABLE]
    check_document(LAYOUT, TABLE, document)
    reader = TableReader(sources, drugs)
    limits: list[HardLimit] = []
    for i, row in enumerate(rows(document, "limit", TABLE)):
        limit = _limit(reader, row, f"{TABLE} limit[{i}]")
        if any(known.id == limit.id for known in limits):
            raise RulesError(f"{TABLE} limit[{i}]: id {limit.id!r} is defined twice")
        limits.append(limit)
    equivalents: dict[str, AnthracyclineEquivalent] = {}
    for i, row in enumerate(rows(document, "equivalent", TABLE)):
        found = _equivalent(reader, row, f"{TABLE} equivalent[{i}]", drugs)
        if found.drug in equivalents:
            raise RulesError(f"{TABLE} equivalent[{i}]: {found.drug!r} is listed twice")
        equivalents[found.drug] = found
    anthracyclines = {n for n, d in drugs.items() if ANTHRACYCLINE_CLASS in d.classes}
    missing = sorted(anthracyclines - set(equivalents))
    if missing:
        raise RulesError(f"{TABLE}: no doxorubicin equivalent for {', '.join(missing)}")
    ledgers = rows(document, "ledger", TABLE)
    if len(ledgers) != 1:
        raise RulesError(f"{TABLE}: exactly one [[ledger]] is needed")
    tests: dict[str, StartTest] = {}
    for i, row in enumerate(rows(document, "start_test", TABLE)):
        test = reader.row(StartTest, row, f"{TABLE} start_test[{i}]")
        if test.name in tests:
            raise RulesError(f"{TABLE} start_test[{i}]: {test.name!r} is listed twice")
        tests[test.name] = test
    return HardLimitTables(
        limits=tuple(limits),
        equivalents=MappingProxyType(equivalents),
        ledger=_ledger(reader, ledgers[0], f"{TABLE} ledger[0]"),
        tests=MappingProxyType(tests),
    )


def _limit(reader: TableReader, row: Mapping[str, Any], where: str) -> HardLimit:
    edges = [edge for edge in EDGES if edge in row]
    if len(edges) != 1:
        raise RulesError(f"{where}: give exactly one of {', '.join(EDGES)}")
    (edge,) = edges
    value = row[edge]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RulesError(f"{where}.{edge}: {value!r} is not a number")
    return reader.row(HardLimit, row, where, edge=edge, value=float(value))


def _equivalent(
    reader: TableReader, row: Mapping[str, Any], where: str, drugs: Mapping[str, Any]
) -> AnthracyclineEquivalent:
    low, high = pair(row, "range", where) if "range" in row else (0.0, 0.0)
    found = reader.row(AnthracyclineEquivalent, row, where, low=low, high=high)
    if ANTHRACYCLINE_CLASS not in drugs[found.drug].classes:
        raise RulesError(f"{where}.drug: {found.drug!r} is not an anthracycline in drugs.toml")
    if not 0 < low <= found.default <= high:
        raise RulesError(f"{where}: default {found.default:g} is not inside a positive range")
    if any(not low <= v <= high for v in found.offered):
        raise RulesError(f"{where}.offered: must list factors inside the range")
    if found.offered and found.default not in found.offered:
        raise RulesError(f"{where}.offered: must include the default {found.default:g}")
    return found


def _ledger(reader: TableReader, row: Mapping[str, Any], where: str) -> AnthracyclineLedger:
    ledger = reader.row(AnthracyclineLedger, row, where)
    if not 0 < ledger.lower_limit_mg_m2 <= ledger.limit_mg_m2:
        raise RulesError(f"{where}: the lower limit must be positive and not above the limit")
    return ledger
