"""resources/rules/lab_deltas.toml -> the delta-check limit of each lab test, read strictly."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from planner.domain.lab_deltas import DeltaLimit
from planner.domain.limits import CaseLimits
from planner.rules.strict import RulesError, flag, keys, number, rows, sources_resolve, text, texts

TABLE = "lab_deltas.toml"


def load_lab_deltas(
    documents: Mapping[str, dict[str, Any]], sources: Mapping[str, Any], limits: CaseLimits
) -> Mapping[str, DeltaLimit]:
    """One limit per lab of case_limits.toml (every lab must have one: a test added without a
    delta-check limit would pass unquestioned)."""
    document = documents.get(TABLE)
    if document is None:
        raise RulesError(f"missing rule table {TABLE}")
    keys(document, {"meta", "delta"}, {"source"}, TABLE)
    out: dict[str, DeltaLimit] = {}
    for i, row in enumerate(rows(document, "delta", TABLE)):
        where = f"{TABLE} delta[{i}]"
        keys(
            row,
            {"id", "lab", "factor", "within_days", "sources", "verified"},
            {"absolute"},
            where,
        )
        cited = texts(row, "sources", where)
        sources_resolve(cited, sources, where)
        lab = text(row, "lab", where)
        if lab not in limits.labs:
            raise RulesError(f"{where}: {lab!r} is not a lab of case_limits.toml")
        if lab in out:
            raise RulesError(f"{where}: {lab} has two limits")
        factor = number(row, "factor", where)
        absolute = number(row, "absolute", where) if "absolute" in row else None
        days = number(row, "within_days", where)
        if factor <= 1:
            # a ratio of 1 or less would question every result, or (below 1) be meaningless
            raise RulesError(f"{where}: factor must be greater than 1")
        if (absolute is not None and absolute <= 0) or days < 1:
            raise RulesError(f"{where}: absolute and within_days must be positive")
        out[lab] = DeltaLimit(
            id=text(row, "id", where),
            lab=lab,
            factor=factor,
            absolute=absolute,
            within_days=int(days),
            sources=cited,
            verified=flag(row, "verified", where),
        )
    missing = sorted(set(limits.labs) - set(out))
    if missing:
        raise RulesError(f"{TABLE}: no delta-check limit for {', '.join(missing)}")
    return MappingProxyType(out)
