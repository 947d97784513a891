"""Strict loading of resources/rules/hard_limits.toml into `HardLimitTables`.

    [meta]          table = "hard_limits", version, reviewed_on
    [[source]]      id (prefix "limit."), title, reference, url (read by the loader)
    [[limit]]       id, drugs, labels, measure, one of below|upto|from|above, status, reason,
                    sources, verified
    [[equivalent]]  drug, default, range = [low, high], offered?, text, sources, verified
    [[ledger]]      id, limit_mg_m2, lower_limit_mg_m2, lower_after_drugs,
                    lower_after_mediastinal_radiotherapy, text, sources, verified (exactly one)

Unknown keys, measures, statuses, label sets, drugs and dangling sources are errors naming the
row; the equivalence factors must cover every drug of the catalogue's `anthracycline` class, so
no anthracycline can slip past the ledger.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from planner.domain.dose_tables import LABEL_SETS
from planner.domain.hard_limit_tables import (
    EDGES,
    LIMIT_STATUSES,
    MEASURES,
    AnthracyclineEquivalent,
    AnthracyclineLedger,
    HardLimit,
    HardLimitTables,
)
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

TABLE = "hard_limits.toml"
ANTHRACYCLINE_CLASS = "anthracycline"


def load_hard_limits(
    documents: Mapping[str, dict[str, Any]],
    sources: Mapping[str, Any],
    drugs: Mapping[str, Any],
) -> HardLimitTables:
    if TABLE not in documents:
        raise RulesError(f"missing rule table {TABLE}")
    document = documents[TABLE]
    keys(document, {"meta", "ledger"}, {"source", "limit", "equivalent"}, TABLE)
    meta = document["meta"]
    keys(meta, {"table", "version", "reviewed_on"}, set(), f"{TABLE} [meta]")
    if meta["table"] != "hard_limits":
        raise RulesError(f'{TABLE} [meta]: table must be "hard_limits"')
    for i, row in enumerate(rows(document, "source", TABLE)):
        if not str(row.get("id", "")).startswith("limit."):
            raise RulesError(f"{TABLE} source[{i}]: ids in this table start with 'limit.'")
    limits: list[HardLimit] = []
    for i, row in enumerate(rows(document, "limit", TABLE)):
        limit = _limit(row, f"{TABLE} limit[{i}]", sources, drugs)
        if any(known.id == limit.id for known in limits):
            raise RulesError(f"{TABLE} limit[{i}]: id {limit.id!r} is defined twice")
        limits.append(limit)
    equivalents: dict[str, AnthracyclineEquivalent] = {}
    for i, row in enumerate(rows(document, "equivalent", TABLE)):
        found = _equivalent(row, f"{TABLE} equivalent[{i}]", sources, drugs)
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
    return HardLimitTables(
        limits=tuple(limits),
        equivalents=MappingProxyType(equivalents),
        ledger=_ledger(ledgers[0], f"{TABLE} ledger[0]", sources, drugs),
    )


def _drug_names(
    row: Mapping[str, Any], key: str, where: str, drugs: Mapping[str, Any]
) -> tuple[str, ...]:
    names = texts(row, key, where)
    for name in names:
        if name not in drugs:
            raise RulesError(f"{where}.{key}: {name!r} is not in drugs.toml")
    return names


def _limit(
    row: Mapping[str, Any], where: str, sources: Mapping[str, Any], drugs: Mapping[str, Any]
) -> HardLimit:
    required = {"id", "drugs", "labels", "measure", "status", "reason", "sources", "verified"}
    keys(row, required, set(EDGES), where)
    edges = [edge for edge in EDGES if edge in row]
    if len(edges) != 1:
        raise RulesError(f"{where}: give exactly one of {', '.join(EDGES)}")
    measure = text(row, "measure", where)
    if measure not in MEASURES:
        raise RulesError(f"{where}.measure: {measure!r} is not one of {sorted(MEASURES)}")
    status = text(row, "status", where)
    if status not in LIMIT_STATUSES:
        raise RulesError(f"{where}.status: {status!r} is not one of {LIMIT_STATUSES}")
    labels = texts(row, "labels", where)
    if not labels or any(label not in LABEL_SETS for label in labels):
        raise RulesError(f"{where}.labels: {list(labels)!r} must name some of {LABEL_SETS}")
    named = _drug_names(row, "drugs", where, drugs)
    if not named:
        raise RulesError(f"{where}.drugs: names no drug")
    cited = texts(row, "sources", where)
    sources_resolve(cited, sources, where)
    return HardLimit(
        id=text(row, "id", where),
        drugs=frozenset(named),
        labels=labels,
        measure=measure,
        edge=edges[0],
        value=number(row, edges[0], where),
        status=status,
        reason=text(row, "reason", where),
        sources=cited,
        verified=flag(row, "verified", where),
    )


def _equivalent(
    row: Mapping[str, Any], where: str, sources: Mapping[str, Any], drugs: Mapping[str, Any]
) -> AnthracyclineEquivalent:
    keys(row, {"drug", "default", "range", "text", "sources", "verified"}, {"offered"}, where)
    drug = text(row, "drug", where)
    if drug not in drugs or ANTHRACYCLINE_CLASS not in drugs[drug].classes:
        raise RulesError(f"{where}.drug: {drug!r} is not an anthracycline in drugs.toml")
    low, high = pair(row, "range", where)
    default = number(row, "default", where)
    if not 0 < low <= default <= high:
        raise RulesError(f"{where}: default {default:g} is not inside a positive range")
    offered = row.get("offered", [])
    if not isinstance(offered, list) or any(
        isinstance(v, bool) or not isinstance(v, int | float) or not low <= v <= high
        for v in offered
    ):
        raise RulesError(f"{where}.offered: must list factors inside the range")
    if offered and default not in offered:
        raise RulesError(f"{where}.offered: must include the default {default:g}")
    cited = texts(row, "sources", where)
    sources_resolve(cited, sources, where)
    return AnthracyclineEquivalent(
        drug=drug,
        default=default,
        low=low,
        high=high,
        text=text(row, "text", where),
        sources=cited,
        verified=flag(row, "verified", where),
        offered=tuple(float(v) for v in offered),
    )


def _ledger(
    row: Mapping[str, Any], where: str, sources: Mapping[str, Any], drugs: Mapping[str, Any]
) -> AnthracyclineLedger:
    required = {
        "id",
        "limit_mg_m2",
        "lower_limit_mg_m2",
        "lower_after_drugs",
        "lower_after_mediastinal_radiotherapy",
        "text",
        "sources",
        "verified",
    }
    keys(row, required, set(), where)
    limit, lower = number(row, "limit_mg_m2", where), number(row, "lower_limit_mg_m2", where)
    if not 0 < lower <= limit:
        raise RulesError(f"{where}: the lower limit must be positive and not above the limit")
    cited = texts(row, "sources", where)
    sources_resolve(cited, sources, where)
    return AnthracyclineLedger(
        id=text(row, "id", where),
        limit_mg_m2=limit,
        lower_limit_mg_m2=lower,
        lower_after_drugs=frozenset(_drug_names(row, "lower_after_drugs", where, drugs)),
        lower_after_mediastinal_radiotherapy=flag(
            row, "lower_after_mediastinal_radiotherapy", where
        ),
        text=text(row, "text", where),
        sources=cited,
        verified=flag(row, "verified", where),
    )
