"""Whole tablets: an oral drug's calculated dose as the tablets she can take.

A per-m² oral dose ("1250 mg/m2 × 1.55 m2 = 1937.5 mg") is not a dose anyone can swallow: the
tablets come in fixed strengths (capecitabine 150 mg and 500 mg). `tablet_dose` rounds the
calculated dose to whole tablets by the drug's `[drug.tablets]` row of its dose table
(resources/rules/doses/*.toml) and says how many of each strength make it, so the plan, the cycle
sheet and the booklet print "1900 mg = 3 × 500 mg + 3 × 150 mg tablets" and never "1937.5 mg".

The one rounding rule (`down_to_tablets`): the largest amount not above the calculated dose made
of whole tablets, using fewer of a smaller strength than would make one of the next larger (at
most 3 × 150 mg beside 500 mg tablets: the fewest tablets, as the capecitabine labels' tables by
body-surface area use them). Rounding down never gives more than was calculated; the loss is
below the smallest step (150 mg) and is printed beside the rounded dose.
"""

from __future__ import annotations

import itertools
import math
from typing import Annotated, Any

from planner.domain.frozen_value import frozen_value
from planner.domain.table_keys import Key, Sources

ROUNDINGS = ("down_to_tablets",)
RULE = "tablets.down_to_tablets"


@frozen_value
class TabletForm:
    """The `[drug.tablets]` row of a dose table: the strengths sold and how a dose is rounded."""

    strengths_mg: Annotated[
        tuple[float, ...], Key(non_empty=True, above=0, doc="each tablet strength in mg")
    ]
    rounding: Annotated[str, Key(one_of=ROUNDINGS, doc="how a calculated dose becomes tablets")]
    sources: Sources
    verified: bool


@frozen_value
class TabletDose:
    """A calculated dose as whole tablets: `value` mg = the sum of `counts` (strength, number)."""

    value: float
    calculated: float
    counts: tuple[tuple[float, int], ...]  # (strength in mg, how many), largest strength first
    strengths_mg: tuple[float, ...]
    sources: tuple[str, ...]
    verified: bool

    @property
    def tablets(self) -> str:
        """ "3 × 500 mg + 1 × 150 mg tablets" (a single tablet is "1 × 500 mg tablet")."""
        parts = [f"{n} × {_mg(s)} mg" for s, n in self.counts if n]
        plural = sum(n for _, n in self.counts) != 1
        return " + ".join(parts) + (" tablets" if plural else " tablet")

    @property
    def text(self) -> str:
        """ "1500 mg = 3 × 500 mg tablets" """
        return f"{_mg(self.value)} mg = {self.tablets}"

    @property
    def rounding_words(self) -> str:
        """How the calculated dose became this one, for the clinician."""
        if math.isclose(self.value, self.calculated):
            return f"{_mg(self.calculated)} mg is whole tablets"
        return (
            f"{_mg(self.calculated)} mg rounded down to whole tablets "
            f"({', '.join(_mg(s) + ' mg' for s in self.strengths_mg)})"
            + ("" if self.verified else " (rounding rule unverified — confirm locally)")
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "unit": "mg",
            "tablets": [{"strength_mg": s, "count": n} for s, n in self.counts if n],
            "strengths_mg": list(self.strengths_mg),
            "text": self.text,
            "rounding": self.rounding_words,
            "rule": RULE,
            "sources": list(self.sources),
            "verified": self.verified,
        }

    @classmethod
    def from_json(cls, found: dict[str, Any], calculated: float) -> TabletDose | None:
        """The same rounding for a new calculated dose (a clinician's changed dose), from the
        strengths the plan carries; None when no whole tablets make it."""
        form = TabletForm(
            tuple(float(s) for s in found.get("strengths_mg") or ()),
            "down_to_tablets",
            tuple(found.get("sources") or ()),
            bool(found.get("verified")),
        )
        return tablet_dose(calculated, form) if form.strengths_mg else None


def tablet_dose(calculated_mg: float, form: TabletForm) -> TabletDose | None:
    """`calculated_mg` as whole tablets of `form` (see the module docstring); None when even the
    smallest tablet is more than the calculated dose (no whole-tablet dose: the team decides)."""
    strengths = sorted(set(form.strengths_mg), reverse=True)
    # at most (next larger // this) - 1 of each smaller strength: 3 × 150 beside 500
    limits = [math.ceil(larger / s) - 1 for larger, s in itertools.pairwise(strengths)]
    best: tuple[float, int, tuple[int, ...]] | None = None
    for small in itertools.product(*(range(n + 1) for n in limits)):
        rest = calculated_mg + 1e-9 - sum(n * s for n, s in zip(small, strengths[1:], strict=True))
        if rest < 0:
            continue
        big = math.floor(rest / strengths[0])
        counts = (big, *small)
        total = sum(n * s for n, s in zip(counts, strengths, strict=True))
        key = (total, -sum(counts), counts)
        if total > 0 and (best is None or key[:2] > best[:2]):
            best = key
    if best is None:
        return None
    total, _, counts = best
    return TabletDose(
        value=round(total, 2),
        calculated=calculated_mg,
        counts=tuple(zip(strengths, counts, strict=True)),
        strengths_mg=tuple(strengths),
        sources=form.sources,
        verified=form.verified,
    )


def _mg(value: float) -> str:
    return f"{value:g}"
