"""The evidence every clinical result carries: which rule decided it, and what could not be decided.

`Basis` names a rule (its id in resources/rules), the source it rests on and whether that source
was verified in a page actually read. `Gap` names an input field (its path in the case document,
contract §2) and what its absence (or doubt) prevented. Both serialise to the contract's plain
JSON objects with `to_json()`.

Citations. A serialized document cites a source in exactly two shapes: the `source` of a basis
entry, written only by `Basis.to_json`, and a `sources` list, written only by `cited_sources`
(tests/engine/test_plan_sources.py reads the code and proves these are the only writers of either
key in the domain, and that over every case in tests/data the ids noted equal a walk of the
finished document). While `citations()` is open both note what they write, so `Plan.to_json`
lists its sources without walking its ~4,000 values afterwards (docs/decisions.md, "The engine,
third pass"). A context variable keeps concurrent serializations (threads, tasks) apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol

from planner.domain.frozen_value import frozen_value

# How an unverified fact is marked wherever it is shown (safety rule 5); one wording everywhere.
UNVERIFIED = " (unverified — confirm locally)"

_CITED: ContextVar[set[str] | None] = ContextVar("planner_cited_sources", default=None)


@contextmanager
def citations() -> Iterator[set[str]]:
    """The source ids every `Basis.to_json` and `cited_sources` inside the block writes. A block
    opened inside another gives its ids to the outer one too (both documents cite them)."""
    found: set[str] = set()
    outer = _CITED.get()
    token = _CITED.set(found)
    try:
        yield found
    finally:
        _CITED.reset(token)
        if outer is not None:
            outer.update(found)


def cited_sources(source_ids: Iterable[str]) -> list[str]:
    """A `sources` list as a document writes it (an instrument row's, a disagreement position's,
    a tablet rounding's), noted as cited: the one writer of that key."""
    out = list(source_ids)
    found = _CITED.get()
    if found is not None:
        found.update(out)
    return out


@frozen_value(hot=True)
class Basis:
    rule: str
    source: str
    verified: bool = True

    def to_json(self) -> dict[str, Any]:
        """The one writer of a `source` key (see the module docstring: citations)."""
        found = _CITED.get()
        if found is not None:
            found.add(self.source)
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
