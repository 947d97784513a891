"""Whole tablets: an oral drug's calculated dose as the tablets she can take.

A per-m² oral dose ("800 mg/m2 × 1.42 m2 = 1136 mg") is not a dose anyone can swallow: the
tablets come in fixed strengths (capecitabine 150 mg and 500 mg). `tablet_dose` turns the
calculated dose into whole tablets by the drug's `[drug.tablets]` row of its dose table
(resources/rules/doses/*.toml) and says how many of each strength make it, so the plan, the cycle
sheet and the booklet print "1100 mg = 1 × 500 mg + 4 × 150 mg tablets" and never "1136 mg", and
the clinician reads "1136 mg → 1100 mg = 1 × 500 mg + 4 × 150 mg (−3 %)".

The one rounding rule (`nearest_tablets`): of every amount the strengths can make, the one
nearest to the calculated dose, never more than `above_at_most_percent` above it (0: never above;
the row's value); on equal distance the lower dose, and among equal doses the fewest tablets.
Any number of each strength may be used: a rule that limited the small strength (at most
3 × 150 mg beside 500 mg) printed 1000 mg for 1136 mg (−12 %) when 1100 mg (−3 %) was there
(independent review 16c, finding 3).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Annotated, Any

from planner.domain.frozen_value import frozen_value
from planner.domain.table_keys import Key, Sources

ROUNDINGS = ("nearest_tablets",)
RULE = "tablets.nearest_tablets"
# a float sum of tablets (3 × 150.0) compared with a calculated dose: equal within this
_MG_EPSILON = 1e-6


@frozen_value
class TabletForm:
    """The `[drug.tablets]` row of a dose table: the strengths sold and how a dose is rounded."""

    strengths_mg: Annotated[
        tuple[float, ...], Key(non_empty=True, above=0, doc="each tablet strength in mg")
    ]
    rounding: Annotated[str, Key(one_of=ROUNDINGS, doc="how a calculated dose becomes tablets")]
    above_at_most_percent: Annotated[
        float,
        Key(
            minimum=0,
            maximum=10,
            doc="how far above the calculated dose the tablets may come, in % (0: never above)",
        ),
    ]
    sources: Sources
    verified: bool


@frozen_value
class TabletDose:
    """A calculated dose as whole tablets: `value` mg = the sum of `counts` (strength, number)."""

    value: float
    calculated: float
    counts: tuple[tuple[float, int], ...]  # (strength in mg, how many), largest strength first
    strengths_mg: tuple[float, ...]
    above_at_most_percent: float
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
        """ "1500 mg = 3 × 500 mg tablets": what she takes (the booklet, the cycle sheet)."""
        return f"{_mg(self.value)} mg = {self.tablets}"

    @property
    def difference_percent(self) -> float:
        """How far the tablets are from the calculated dose, in % of it (negative: below)."""
        return (self.value - self.calculated) / self.calculated * 100

    @property
    def line(self) -> str:
        """ "1136 mg → 1100 mg = 1 × 500 mg + 4 × 150 mg (−3 %)": the calculated dose, the
        tablets and the difference, for the clinician."""
        parts = " + ".join(f"{n} × {_mg(s)} mg" for s, n in self.counts if n)
        return (
            f"{_mg(round(self.calculated, 1))} mg → {_mg(self.value)} mg = {parts}"
            f" ({_percent(self.difference_percent)})"
        )

    @property
    def rounding_words(self) -> str:
        """How the calculated dose became this one, for the clinician."""
        if math.isclose(self.value, self.calculated, abs_tol=_MG_EPSILON):
            return f"{_mg(self.calculated)} mg is whole tablets"
        limit = (
            "never above it"
            if self.above_at_most_percent == 0
            else f"at most {_mg(self.above_at_most_percent)} % above it"
        )
        return (
            f"{self.line}: the whole-tablet dose nearest to the calculated one, {limit} "
            f"({', '.join(_mg(s) + ' mg' for s in self.strengths_mg)} tablets)"
            + ("" if self.verified else " (rounding rule unverified — confirm locally)")
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "unit": "mg",
            "tablets": [{"strength_mg": s, "count": n} for s, n in self.counts if n],
            "strengths_mg": list(self.strengths_mg),
            "above_at_most_percent": self.above_at_most_percent,
            "text": self.text,
            "difference_percent": round(self.difference_percent, 1),
            "rounding": self.rounding_words,
            "rule": RULE,
            "sources": list(self.sources),
            "verified": self.verified,
        }

    @classmethod
    def from_json(cls, found: dict[str, Any], calculated: float) -> TabletDose | None:
        """The same rounding for a new calculated dose (a clinician's changed dose), from the
        strengths the plan carries; None when no whole tablets make it. A plan kept before the
        limit was carried is rounded never above (the stricter reading)."""
        form = TabletForm(
            tuple(float(s) for s in found.get("strengths_mg") or ()),
            "nearest_tablets",
            float(found.get("above_at_most_percent") or 0),
            tuple(found.get("sources") or ()),
            bool(found.get("verified")),
        )
        return tablet_dose(calculated, form) if form.strengths_mg else None


def tablet_dose(calculated_mg: float, form: TabletForm) -> TabletDose | None:
    """`calculated_mg` as whole tablets of `form` (see the module docstring); None when no whole
    tablets come within the limit (even the smallest is too much: the team decides)."""
    strengths = tuple(sorted(set(form.strengths_mg), reverse=True))
    ceiling = calculated_mg * (1 + form.above_at_most_percent / 100) + _MG_EPSILON
    *larger, smallest = strengths
    best: tuple[float, float, int, tuple[int, ...]] | None = None
    # Every count of each strength whose total is at most the ceiling, in order (the counts of
    # the larger strengths, then of the smallest from none up); nearest first, on equal distance
    # the lower dose, then the fewest tablets; the first of equals stays.
    for head in combinations_up_to(tuple(larger), ceiling):
        head_total: float = 0  # summed as `sum` would: left to right from 0
        room = ceiling
        for n, strength in zip(head, larger, strict=True):
            head_total += n * strength
            room -= n * strength
        tablets = sum(head)
        for n in range(math.floor(room / smallest) + 1):
            total = head_total + n * smallest
            if total <= 0:
                continue
            key = (round(abs(total - calculated_mg), 6), total, tablets + n)
            if best is None or key < best[:3]:
                best = (*key, (*head, n))
            if total >= calculated_mg:
                # more of the smallest strength only moves away at a higher dose: no later
                # count of this head can come first
                break
    if best is None:
        return None
    _, total, _, counts = best
    return TabletDose(
        value=round(total, 2),
        calculated=calculated_mg,
        counts=tuple(zip(strengths, counts, strict=True)),
        strengths_mg=strengths,
        above_at_most_percent=form.above_at_most_percent,
        sources=form.sources,
        verified=form.verified,
    )


def combinations_up_to(strengths: tuple[float, ...], ceiling: float) -> Iterator[tuple[int, ...]]:
    """Every count of each strength (in `strengths` order) whose total is at most `ceiling`."""
    if not strengths:
        yield ()
        return
    first, rest = strengths[0], strengths[1:]
    for n in range(math.floor(ceiling / first) + 1):
        for tail in combinations_up_to(rest, ceiling - n * first):
            yield (n, *tail)


def _percent(value: float) -> str:
    """ "−3 %", "+1 %", "−0.4 %" (one decimal below 1 %), with a true minus sign."""
    shown = f"{abs(value):.0f}" if round(abs(value), 1) >= 1 else f"{abs(value):.1f}"
    if float(shown) == 0:
        return "0 %"
    return ("−" if value < 0 else "+") + f"{shown} %"


def _mg(value: float) -> str:
    return f"{value:g}"
