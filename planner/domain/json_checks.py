"""A small declarative checker for JSON documents: one way to validate every door.

Specs walk a parsed JSON value, collect every problem with its field path, and build frozen
domain objects from what is valid. They never raise for bad input; the caller decides (see
`validate`). Anything the JSON parser can produce is handled, so arbitrary input cannot crash them.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from planner.domain.frozen_value import frozen_value
from planner.domain.limits import CaseLimits
from planner.domain.problems import InputInvalid, Problem
from planner.domain.typed_numbers import comma_doubt


class _Invalid:
    """Marker for a value that failed its check (its problems are already recorded)."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Checker:
    limits: CaseLimits
    problems: list[Problem] = field(default_factory=list)
    #: the day the document is checked on (dates after it are refused where a check asks);
    #: None: no date is compared with today
    today: dt.date | None = None

    def error(self, path: str, message: str) -> Any:
        self.problems.append(Problem(path, message, "error"))
        return INVALID

    def doubt(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message, "doubt"))


Spec = Callable[[Any, str, Checker], Any]


def not_a_number(raw: Any) -> str:
    """Why a value is not a number, in words: a comma that could group thousands or mark the
    decimals is named as such, never blamed on the unit (walk24 HARM 3)."""
    return comma_doubt(raw) or f"{describe(raw)} is not a number"


def describe(raw: Any) -> str:
    """A short, safe rendering of a raw value for a message."""
    if raw is None:
        return "null"
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, str):
        shown = raw if len(raw) <= 40 else raw[:37] + "..."
        return f'"{shown}"'
    if isinstance(raw, int | float):
        return format_number(raw)
    if isinstance(raw, list):
        return "a list"
    if isinstance(raw, dict):
        return "an object"
    return type(raw).__name__


def format_number(value: float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:g}"


def _is_number(raw: Any) -> bool:
    return isinstance(raw, int | float) and not isinstance(raw, bool)


@frozen_value
class Text:
    min_len: int = 1
    max_len: int = 100
    pattern: str | None = None
    pattern_words: str = ""

    def __call__(self, raw: Any, path: str, chk: Checker) -> Any:
        if not isinstance(raw, str):
            return chk.error(path, f"{describe(raw)} is not text")
        value = raw.strip()
        if len(value) < self.min_len:
            return chk.error(path, "is empty")
        if len(value) > self.max_len:
            return chk.error(path, f"is longer than {self.max_len} characters")
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            return chk.error(path, "contains control characters")
        if self.pattern and not re.fullmatch(self.pattern, value):
            return chk.error(path, f"{describe(raw)} is not {self.pattern_words}")
        return value


@frozen_value
class Flag:
    def __call__(self, raw: Any, path: str, chk: Checker) -> Any:
        if not isinstance(raw, bool):
            return chk.error(path, f"{describe(raw)} is not true or false")
        return raw


@frozen_value
class Choice:
    values: tuple[str, ...]

    def __call__(self, raw: Any, path: str, chk: Checker) -> Any:
        if isinstance(raw, str) and raw in self.values:
            return raw
        return chk.error(path, f"{describe(raw)} is not one of {', '.join(self.values)}")


@frozen_value
class Day:
    """An ISO calendar date, YYYY-MM-DD, and nothing looser."""

    def __call__(self, raw: Any, path: str, chk: Checker) -> Any:
        if not isinstance(raw, str) or not _DATE.match(raw):
            return chk.error(path, f"{describe(raw)} is not a date written YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            return chk.error(path, f"{describe(raw)} is not a real calendar date")


@frozen_value
class Number:
    """A number whose bounds and unit come from the limits table, by key."""

    key: str

    def __call__(self, raw: Any, path: str, chk: Checker) -> Any:
        bounds = chk.limits.fields.get(self.key)
        if (
            bounds is None
        ):  # a spec naming a missing limit is a programming error; the sweep test guards it
            return chk.error(path, f"no limits are defined for {self.key}")
        if not _is_number(raw) or not math.isfinite(raw):
            return chk.error(path, not_a_number(raw))
        if bounds.whole and not float(raw).is_integer():
            return chk.error(path, f"{describe(raw)} is not a whole number")
        unit = f" {bounds.unit}" if bounds.unit else ""
        if not bounds.low <= raw <= bounds.high:
            return chk.error(
                path,
                f"{describe(raw)} is outside {format_number(bounds.low)}–"
                f"{format_number(bounds.high)}{unit}",
            )
        return int(raw) if bounds.whole else float(raw)


@frozen_value
class Maybe:
    """`null` means not assessed; anything else must pass the inner spec."""

    inner: Spec

    def __call__(self, raw: Any, path: str, chk: Checker) -> Any:
        return None if raw is None else self.inner(raw, path, chk)


@frozen_value
class Many:
    item: Spec
    unique: bool = True
    max_len: int = 50
    exact_len: int | None = None

    def __call__(self, raw: Any, path: str, chk: Checker) -> Any:
        if not isinstance(raw, list):
            return chk.error(path, f"{describe(raw)} is not a list")
        if self.exact_len is not None and len(raw) != self.exact_len:
            return chk.error(path, f"has {len(raw)} items; exactly {self.exact_len} are needed")
        if len(raw) > self.max_len:
            return chk.error(path, f"has {len(raw)} items; at most {self.max_len} are allowed")
        values = [self.item(entry, f"{path}[{i}]", chk) for i, entry in enumerate(raw)]
        if any(v is INVALID for v in values):
            return INVALID
        if self.unique:
            seen: list[Any] = []
            for i, v in enumerate(values):
                if v is not None and v in seen:
                    return chk.error(f"{path}[{i}]", f"{describe(raw[i])} is listed twice")
                seen.append(v)
        return tuple(values)


Check = Callable[[Mapping[str, Any], str, Checker], None]


@frozen_value
class Record:
    """A JSON object with a closed set of keys.

    `fields` maps key -> (spec, required). Unknown keys are errors (usually typos, so the
    message suggests the nearest known key). Absent optional keys read as null. `checks` run
    only when every field is valid, for rules that join fields (dates in order, ...).
    """

    fields: Mapping[str, tuple[Spec, bool]]
    build: Callable[..., Any] | None = None
    checks: tuple[Check, ...] = ()

    def __call__(self, raw: Any, path: str, chk: Checker) -> Any:
        if raw is None and path.endswith("]"):
            # a line added and left blank ("disease.prior_therapy[1]: null is not an object"
            # read as a program fault, issue 16, review 16c finding 15)
            return chk.error(path, "is a blank line: fill it in, or remove the line")
        if not isinstance(raw, dict):
            return chk.error(path or "(document)", f"{describe(raw)} is not an object")
        ok = True
        for key in raw:
            if key not in self.fields:
                import difflib  # only for an unknown key: a valid document never needs it

                near = difflib.get_close_matches(str(key), list(self.fields), n=1)
                hint = f' (did you mean "{near[0]}"?)' if near else ""
                chk.error(join_path(path, str(key)), f"is not a known field{hint}")
                ok = False
        values: dict[str, Any] = {}
        for key, (spec, required) in self.fields.items():
            sub = join_path(path, key)
            if key not in raw or (raw[key] is None and required):
                if required:
                    chk.error(sub, "is required")
                    ok = False
                values[key] = None
                continue
            values[key] = spec(raw[key], sub, chk)
            ok = ok and values[key] is not INVALID
        if not ok:
            return INVALID
        before = len([p for p in chk.problems if p.severity == "error"])
        for check in self.checks:
            check(values, path, chk)
        if len([p for p in chk.problems if p.severity == "error"]) > before:
            return INVALID
        return self.build(**values) if self.build else values


_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def join_path(path: str, key: str) -> str:
    """Extend a field path; odd keys (empty, spaces, dots) are quoted so the path stays readable."""
    if not _PLAIN_KEY.match(key):
        shown = key if len(key) <= 40 else key[:37] + "..."
        return f'{path}["{shown}"]'
    return f"{path}.{key}" if path else key


def run(
    spec: Spec, raw: Any, limits: CaseLimits, path: str = "", today: dt.date | None = None
) -> tuple[Any, tuple[Problem, ...]]:
    """Check `raw` against `spec`; raise InputInvalid on any error, else return (value, doubts).
    `today`: the day of the check, for the checks that refuse a date after it."""
    chk = Checker(limits, today=today)
    value = spec(raw, path, chk)
    problems = tuple(chk.problems)
    if value is INVALID or any(p.severity == "error" for p in problems):
        if not problems:  # defensive: an INVALID must always have said why
            problems = (Problem(path or "(document)", "is not valid"),)
        raise InputInvalid(capped(problems, path or "(document)"))
    return value, problems


#: at most this many problems are listed for one document (a file of 100,000 unknown keys
#: must not print 100,000 lines); the last line says how many more there were
MAX_PROBLEMS = 50


def capped(problems: tuple[Problem, ...], path: str) -> tuple[Problem, ...]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    more = len(problems) - MAX_PROBLEMS
    return (*problems[:MAX_PROBLEMS], Problem(path, f"{more} more problems not listed"))


def ordered_dates(earlier: str, later: str, words: str) -> Check:
    """A cross-field check: values[earlier] must not be after values[later]."""

    def check(values: Mapping[str, Any], path: str, chk: Checker) -> None:
        a, b = values.get(earlier), values.get(later)
        if isinstance(a, dt.date) and isinstance(b, dt.date) and a > b:
            chk.error(
                join_path(path, later),
                f"{b.isoformat()} is before {earlier} {a.isoformat()}{words}",
            )

    return check
