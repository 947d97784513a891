"""Every rule row the instrument scorers read, gathered from their modules (for the strict loader)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from planner.domain.instruments import (
    body_size,
    ctcae_terms,
    depression_anxiety,
    esas,
    fact_b,
    kidney_equations,
    liver_scores,
    nutrition,
    performance,
    prognosis,
    qlq_br23,
    qlq_c30,
)
from planner.domain.instruments.tables import Need

_MODULES = (
    qlq_c30,
    qlq_br23,
    fact_b,
    esas,
    depression_anxiety,
    nutrition,
    performance,
    liver_scores,
    body_size,
    kidney_equations,
    prognosis,
    ctcae_terms,
)


def _collect() -> Mapping[str, Need]:
    found: dict[str, Need] = {}
    for module in _MODULES:
        for item in module.NEEDS:
            if item.id in found and found[item.id] != item:
                raise ValueError(f"{item.id} is declared twice with different shapes")
            found[item.id] = item
    return MappingProxyType(found)


NEEDS: Mapping[str, Need] = _collect()
