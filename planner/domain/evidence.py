"""The evidence every clinical result carries: which rule decided it, and what could not be decided.

`Basis` names a rule (its id in resources/rules), the source it rests on and whether that source
was verified in a page actually read. `Gap` names an input field (its path in the case document,
contract §2) and what its absence (or doubt) prevented. Both serialise to the contract's plain
JSON objects with `to_json()`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple, Protocol

from planner.domain.frozen_value import frozen_value

# How an unverified fact is marked wherever it is shown (safety rule 5); one wording everywhere.
UNVERIFIED = " (unverified — confirm locally)"


class Basis(NamedTuple):
    """One rule row and one of its sources. A named tuple, not a frozen value: a plan makes and
    deduplicates ~500 of them (dicts and sets keyed by them), and a tuple's hash and equality
    run in C where a frozen value's run as Python (~1 M of ~27 M instructions per plan,
    docs/decisions.md "The engine, fifth pass"). Immutable and hashable as before, with the
    same repr and the same hash; it also equals a plain `(rule, source, verified)` tuple, which
    no caller compares it with (Basis rows are compared with Basis rows)."""

    rule: str
    source: str
    verified: bool = True

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "source": self.source, "verified": self.verified}


@frozen_value
class Gap:
    field: str
    effect: str
    # A gap that matters only for cancer drugs of the plan (UGT1A1 for sacituzumab govitecan):
    # it goes from the plan as decided when none of them is given (planner.domain.course_scope).
    for_drugs: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"field": self.field, "effect": self.effect}
        if self.for_drugs:
            out["for_drugs"] = list(self.for_drugs)
        return out


class _CitedRow(Protocol):
    @property
    def rule(self) -> str: ...
    @property
    def sources(self) -> tuple[str, ...]: ...
    @property
    def verified(self) -> bool: ...


class _Scored(Protocol):
    @property
    def basis(self) -> Iterable[_CitedRow]: ...


def instrument_basis(result: _Scored) -> tuple[Basis, ...]:
    """The rule rows an instrument calculation applied (`InstrumentResult.basis`), one `Basis`
    per row and source, so a plan cites the very table rows its numbers came from."""
    out: dict[Basis, None] = {}
    for row in result.basis:
        for source in row.sources:
            out[Basis(row.rule, source, row.verified)] = None
    return tuple(out)
