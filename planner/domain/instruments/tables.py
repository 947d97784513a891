"""The instruments' rule tables as typed, frozen values, and what each scorer needs from them.

Every clinical number an instrument uses (band edges, cut-offs, coefficients, item points) is a
row of resources/rules/instruments/*.toml; planner.rules.instruments reads those files strictly
into these types. Four kinds of row exist:

- `BandSet`: ascending intervals (``"[18.5, 20]"``, ``"(20, inf)"``) each giving a label and/or
  a value; contiguous by construction check (no gaps, no overlaps).
- `Formula`: named coefficients of one formula.
- `PointTable`: category -> points.
- `Method`: a cited scoring rule with no number of its own (an aggregation, a grouping).
- `SettingRule`: a clinic setting where sources disagree: option -> the rule id it selects.

Item groupings and reversals stay in code (they are the instrument's structure); numbers do not.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import field
from functools import cached_property
from typing import Annotated, Literal, TypeVar

from planner.domain.frozen_value import frozen_value
from planner.domain.table_keys import Key, Sources

_NUMBER = r"[-+]?\d+(?:\.\d+)?"
_INTERVAL = re.compile(rf"^\s*([\[(])\s*(-inf|{_NUMBER})\s*,\s*(inf|{_NUMBER})\s*([\])])\s*$")
# Derived values (ratios, BMI, unit conversions) are compared with a relative tolerance so that
# 3.6 / 1.2 classifies as exactly 3.0 and 3 mg/dL x 17.1 as exactly 51.3 µmol/L.
_REL_TOL = 1e-9
_ABS_TOL = 1e-12


def format_edge(value: float) -> str:
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@frozen_value
class Interval:
    """An interval written as text: "[0, 3)", "[65, inf)"."""

    low: float
    high: float
    low_closed: bool
    high_closed: bool

    @classmethod
    def parse(cls, text: str) -> Interval:
        match = _INTERVAL.match(text)
        if not match:
            raise ValueError(f"{text!r} is not an interval like [0, 4] or (20, inf)")
        left, low, high, right = match.groups()
        interval = cls(float(low), float(high), left == "[", right == "]")
        if math.isinf(interval.low) and interval.low_closed:
            raise ValueError(f"{text!r}: -inf cannot be a closed edge")
        if math.isinf(interval.high) and interval.high_closed:
            raise ValueError(f"{text!r}: inf cannot be a closed edge")
        if interval.low > interval.high or (
            interval.low == interval.high and not (interval.low_closed and interval.high_closed)
        ):
            raise ValueError(f"{text!r} is empty")
        return interval

    def contains(self, x: float) -> bool:
        above = x >= self.low if self.low_closed else x > self.low
        below = x <= self.high if self.high_closed else x < self.high
        return above and below

    def snap(self, x: float) -> float:
        """x, or the edge it equals within floating-point noise."""
        for edge in self._finite_edges:
            if math.isclose(x, edge, rel_tol=_REL_TOL, abs_tol=_ABS_TOL):
                return edge
        return x

    # An interval is immutable and every scoring run of a plan reads ~20 of them (snapped to and
    # written beside each value it bands): its finite edges and its text are made once.
    @cached_property
    def _finite_edges(self) -> tuple[float, ...]:
        return tuple(edge for edge in (self.low, self.high) if not math.isinf(edge))

    @cached_property
    def _text(self) -> str:
        left = "[" if self.low_closed else "("
        right = "]" if self.high_closed else ")"
        return f"{left}{format_edge(self.low)}, {format_edge(self.high)}{right}"

    def __str__(self) -> str:
        return self._text


@frozen_value
class Band:
    interval: Annotated[Interval, Key(written_as=("range",), doc='an interval: "[0, 3)"')]
    label: Annotated[str | None, Key(doc="a label or a value (or both)")]
    value: float | None
    verified: Annotated[bool, Key(default=True)]

    def shown(self) -> str:
        return self._shown

    @cached_property
    def _shown(self) -> str:  # made once (immutable), as `Interval`'s text
        if self.label is not None:
            return self.label
        return format_edge(self.value) if self.value is not None else ""


@frozen_value
class Rule:
    id: Annotated[str, Key(doc="starts with instr.; one of the rules a scorer reads")]
    sources: Sources
    verified: bool
    note: Annotated[str, Key(default="")]


@frozen_value
class BandSet(Rule):
    # None: a continuous quantity; else values come in this step (1, 10 …)
    step: Annotated[float | None, Key(above=0, doc="left out: a continuous quantity")]
    bands: Annotated[tuple[Band, ...], Key(doc="no gap, no overlap")]

    def find(self, x: float) -> Band:
        for band in self.bands:
            if band.interval.contains(band.interval.snap(x)):
                return band
        raise ValueError(f"{self.id}: {x!r} falls in no band")

    def layout_problems(self) -> list[str]:
        """Bands must ascend and meet: no gap, no overlap (in `step`s for stepped values)."""
        problems: list[str] = []
        if not self.bands:
            return [f"{self.id}: has no bands"]
        for before, after in zip(self.bands, self.bands[1:], strict=False):
            a, b = before.interval, after.interval
            if self.step is None:
                if a.high != b.low or a.high_closed == b.low_closed:
                    problems.append(
                        f"{self.id}: {a} and {b} do not meet exactly "
                        "(one edge must be closed, the other open)"
                    )
            elif not (
                a.high_closed
                and b.low_closed
                and math.isclose(b.low - a.high, self.step, rel_tol=_REL_TOL)
            ):
                problems.append(
                    f"{self.id}: {a} and {b} are not adjacent in steps of {format_edge(self.step)}"
                )
        return problems


@frozen_value
class Formula(Rule):
    coefficients: Mapping[str, float]

    def __getitem__(self, name: str) -> float:
        return self.coefficients[name]


@frozen_value
class PointTable(Rule):
    points: Mapping[str, float]

    def __getitem__(self, key: str) -> float:
        return self.points[key]


@frozen_value
class Method(Rule):
    pass


@frozen_value
class SettingRule(Rule):
    name: Annotated[str, Key(doc="a field of InstrumentSettings")]
    options: Annotated[Mapping[str, str], Key(doc="option = id of the rule it selects")]
    default: Annotated[str, Key(doc="one of its options")]


@frozen_value
class CtcaeTerm(Rule):
    """A CTCAE v5 term as the nurse picks it: its plain description and the term's own grade
    definitions (`grades[0]` is grade 1; "" where CTCAE defines no such grade)."""

    term: str
    plain: str
    grades: Annotated[tuple[str, ...], Key(doc="the five grades' definitions ('' if none)")]

    def defined_grades(self) -> tuple[int, ...]:
        return tuple(g for g, words in enumerate(self.grades, start=1) if words)

    def label(self) -> str:
        """The plain description as the nurse picks it: marked UNVERIFIED until the words are
        checked against CTCAE v5.0 itself (BRIEF rule 6)."""
        return self.plain if self.verified else f"{self.plain} (UNVERIFIED)"

    def grade_words(self, grade: int) -> str:
        """Grade `grade` with the term's own definition, marked UNVERIFIED likewise."""
        words = f"{grade} — {self.grades[grade - 1]}"
        return words if self.verified else f"{words} (UNVERIFIED)"


Kind = Literal["bands", "formula", "points", "method", "setting", "term"]
KIND_TYPES: Mapping[str, type[Rule]] = {
    "bands": BandSet,
    "formula": Formula,
    "points": PointTable,
    "method": Method,
    "setting": SettingRule,
    "term": CtcaeTerm,
}


@frozen_value
class Need:
    """A rule a scorer reads: its id, its kind, and (formula / points / setting) its exact keys."""

    id: str
    kind: Kind
    names: frozenset[str] = frozenset()


def need(rule_id: str, kind: Kind, *names: str) -> Need:
    return Need(rule_id, kind, frozenset(names))


R = TypeVar("R", bound=Rule)


@frozen_value
class InstrumentRules:
    """Every instrument rule by id (settings are also reachable by their setting name)."""

    rules: Mapping[str, Rule]
    # settings by their setting name, made from `rules` (not compared, hashed or shown)
    _settings_by_name: Mapping[str, SettingRule] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The engine asks for settings by name dozens of times per plan: index them once.
        by_name = {r.name: r for r in self.rules.values() if isinstance(r, SettingRule)}
        object.__setattr__(self, "_settings_by_name", by_name)

    def get(self, rule_id: str, kind: type[R]) -> R:
        rule = self.rules[rule_id]
        if not isinstance(rule, kind):
            raise TypeError(f"{rule_id} is a {type(rule).__name__}, not a {kind.__name__}")
        return rule

    def setting(self, name: str) -> SettingRule:
        try:
            return self._settings_by_name[name]
        except KeyError:
            raise KeyError(f"no setting named {name}") from None


def _snapped(x: float, edge: float) -> float:
    return edge if math.isclose(x, edge, rel_tol=_REL_TOL, abs_tol=_ABS_TOL) else x


def exceeds(x: float, edge: float) -> bool:
    """x > edge, where a value equal to the edge within floating-point noise does not exceed it."""
    return _snapped(x, edge) > edge


def falls_below(x: float, edge: float) -> bool:
    """x < edge, with the same tolerance as `exceeds`."""
    return _snapped(x, edge) < edge
