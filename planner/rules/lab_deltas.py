"""resources/rules/lab_deltas.toml -> the delta-check limit of each lab test, read strictly."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from planner.domain.lab_deltas import DeltaLimit
from planner.domain.limits import CaseLimits
from planner.rules.errors import RulesError
from planner.rules.reader import Layout, TableReader, check_document, rows

TABLE = "lab_deltas.toml"
LAYOUT = Layout(
    TABLE,
    {"delta": DeltaLimit},
    required=("delta",),
    table="lab_deltas",
    doc="The delta-check limit of each lab test: one row per lab of case_limits.toml.",
)


def load_lab_deltas(
    documents: Mapping[str, dict[str, Any]], sources: Mapping[str, Any], limits: CaseLimits
) -> Mapping[str, DeltaLimit]:
    """One limit per lab of case_limits.toml (every lab must have one: a test added without a
    delta-check limit would pass unquestioned)."""
    document = documents.get(TABLE)
    if document is None:
        raise RulesError(f"missing rule table {TABLE}")
    check_document(LAYOUT, TABLE, document)
    reader = TableReader(sources)
    out: dict[str, DeltaLimit] = {}
    for i, row in enumerate(rows(document, "delta", TABLE)):
        where = f"{TABLE} delta[{i}]"
        limit = reader.row(DeltaLimit, row, where)
        if limit.lab not in limits.labs:
            raise RulesError(f"{where}: {limit.lab!r} is not a lab of case_limits.toml")
        if limit.lab in out:
            raise RulesError(f"{where}: {limit.lab} has two limits")
        out[limit.lab] = limit
    missing = sorted(set(limits.labs) - set(out))
    if missing:
        raise RulesError(f"{TABLE}: no delta-check limit for {', '.join(missing)}")
    return MappingProxyType(out)
