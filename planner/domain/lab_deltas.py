"""Delta check: a result far from the patient's previous one is questioned before it is used.

Laboratories compare each result with the same patient's previous result; a change larger than
the test's delta-check limit is more often a wrong unit, a wrong sample or a typing slip than
a real change, and is confirmed before release. Here the nurse is the last person who can catch
it: 2.1 mg/dL yesterday and 2.6 µmol/L today is a 93 % fall that moved the liver class (issue 16).

The limits are data (`resources/rules/lab_deltas.toml`, each with its sources and `verified`
flag). A change is a jump when it exceeds every limit the test has: both the ratio of the two
results (larger over smaller, so a fall to a third is as far as a rise to three times) and,
where given, the absolute change in the test's canonical unit — so a small value that doubles
within the normal range is not questioned. A percentage of the previous result cannot be the
limit: a fall is at most 100 %, so a limit of 100 % would never question a fall (ALT 88 → 3 U/L
passed; issue 16). Values are compared in the canonical unit through `planner.domain.units`,
the one place units change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Annotated, Any

from planner.domain.case import ConfirmedReading, LabConfirmation
from planner.domain.dates import DEFAULT_DATE_FORMAT, show_date
from planner.domain.frozen_value import frozen_value
from planner.domain.limits import CaseLimits
from planner.domain.plan_document import (
    PlanLabConfirmation,
    PlanLabReading,
    read_lab_confirmation,
)
from planner.domain.plan_words import unit_words
from planner.domain.table_keys import Key
from planner.domain.units import UnitError, convert


@frozen_value
class DeltaLimit:
    """How far one test may move from the previous result before the value is questioned."""

    id: str
    lab: Annotated[str, Key(doc="a lab of case_limits.toml (each has exactly one limit)")]
    # a ratio of 1 or less would question every result, or (below 1) be meaningless
    factor: Annotated[float, Key(above=1, doc="larger result over smaller, either way")]
    absolute: Annotated[
        float | None, Key(above=0, doc="in the lab's canonical unit; left out: the ratio alone")
    ]
    within_days: Annotated[
        int, Key(minimum=1, doc="an older previous result is compared by any_interval_factor only")
    ]
    any_interval_factor: Annotated[
        float | None,
        Key(
            above=1,
            doc="a change this large (larger over smaller) is questioned however old the previous "
            "result: it looks like a unit slip, not a change; left out: older results not compared",
        ),
    ]
    sources: Annotated[tuple[str, ...], Key(refers_to="source")]
    verified: bool


@frozen_value
class LabReading:
    """One result as entered (unit kept), with the date the sample was drawn."""

    lab: str
    value: float
    unit: str
    drawn_on: dt.date | None


@frozen_value
class LabJump:
    """A result beyond its delta-check limit: what to ask the nurse to confirm."""

    lab: str
    label: str  # the test in words ("total bilirubin")
    previous: LabReading
    current: LabReading
    canonical_unit: str
    previous_canonical: float
    current_canonical: float
    change_percent: float  # signed, of the previous result (inf when the previous was 0)
    limit: DeltaLimit
    #: a unit in which the number typed would not be a jump (the likely mix-up), or None
    unit_that_fits: str | None

    @property
    def rose(self) -> bool:
        return self.current_canonical > self.previous_canonical


def lab_jumps(
    current: Iterable[LabReading],
    previous: Iterable[LabReading],
    limits: CaseLimits,
    delta_limits: Mapping[str, DeltaLimit],
) -> tuple[LabJump, ...]:
    """Each current result that moved beyond its test's limit from the latest earlier result.

    `previous` may hold several results per test (older assessments, earlier panels); the
    latest one drawn on or before the current result is the comparison. A test without a
    limit, or a unit the lab definition does not know, is not compared (validation names it).
    """
    earlier: dict[str, list[LabReading]] = {}
    for reading in previous:
        earlier.setdefault(reading.lab, []).append(reading)
    found: list[LabJump] = []
    for reading in current:
        limit = delta_limits.get(reading.lab)
        before = _latest_before(earlier.get(reading.lab, ()), reading.drawn_on)
        if limit is None or before is None or reading.lab not in limits.labs:
            continue
        if _days_apart(before.drawn_on, reading.drawn_on) > limit.within_days:
            # months apart a real change may be large, but not a unit's factor (bilirubin
            # 49 -> 2.6 µmol/L passed unasked at 120 days: independent walk 16d)
            if limit.any_interval_factor is None:
                continue
            limit = dataclasses.replace(limit, factor=limit.any_interval_factor, absolute=None)
        jump = _compare(reading, before, limit, limits)
        if jump is not None:
            found.append(jump)
    return tuple(found)


def exceeds(previous: float, current: float, limit: DeltaLimit) -> bool:
    """True when the change (both in the canonical unit) is beyond every limit of the test."""
    if limit.absolute is not None and abs(current - previous) <= limit.absolute:
        return False
    return ratio(previous, current) > limit.factor


def ratio(previous: float, current: float) -> float:
    """Larger result over smaller (≥ 1), the same for a rise and the matching fall; infinite
    when one result is 0 and the other is not."""
    low, high = sorted((abs(previous), abs(current)))
    if low == 0:
        return 1.0 if high == 0 else float("inf")
    return high / low


def _compare(
    reading: LabReading, before: LabReading, limit: DeltaLimit, limits: CaseLimits
) -> LabJump | None:
    lab = limits.labs[reading.lab]
    canonical = lab.canonical_unit
    try:
        now = convert(limits, reading.lab, reading.value, reading.unit, canonical)
        then = convert(limits, reading.lab, before.value, before.unit, canonical)
    except UnitError:
        return None
    if not exceeds(then, now, limit):
        return None
    fits = None
    for unit in lab.units:
        if unit != reading.unit:
            as_if = convert(limits, reading.lab, reading.value, unit, canonical)
            if not exceeds(then, as_if, limit):
                fits = unit
                break
    percent = _percent(then, now)
    return LabJump(
        lab=reading.lab,
        label=lab.label,
        previous=before,
        current=reading,
        canonical_unit=canonical,
        previous_canonical=then,
        current_canonical=now,
        change_percent=float("inf") if percent is None else percent,
        limit=limit,
        unit_that_fits=fits,
    )


def _percent(previous: float, current: float) -> float | None:
    """Signed change as a percentage of the previous result; None when the previous was 0 and
    the result is not (any rise from nothing is beyond a percentage)."""
    if previous == 0:
        return 0.0 if current == 0 else None
    return (current - previous) / abs(previous) * 100


def _latest_before(readings: Iterable[LabReading], on: dt.date | None) -> LabReading | None:
    dated = [r for r in readings if on is None or r.drawn_on is None or r.drawn_on <= on]
    if not dated:
        return None
    # An undated earlier result (a draft) sorts oldest: a dated one is the better comparison.
    return max(dated, key=lambda r: r.drawn_on or dt.date.min)


def _days_apart(earlier: dt.date | None, later: dt.date | None) -> int:
    if earlier is None or later is None:
        return 0
    return abs((later - earlier).days)


# ---- a jump in a case file imported without the window ------------------------------------


def unconfirmed(
    jumps: Iterable[LabJump], confirmations: Iterable[LabConfirmation]
) -> tuple[LabJump, ...]:
    """The jumps the case's own `lab_confirmations` do not confirm (a confirmation is of the
    result as it stands: the same lab, value and unit)."""
    done = {(c.lab, c.current.value, c.current.unit) for c in confirmations}
    return tuple(j for j in jumps if (j.lab, j.current.value, j.current.unit) not in done)


def import_words(jump: LabJump) -> str:
    """A jump found when a case file is imported, in one plain line (the import's warning): the
    test, the new and the previous result with their units and dates, the change and the limit,
    and that the result was kept unconfirmed."""
    now, then = jump.current, jump.previous
    if jump.change_percent == float("inf"):
        change = "a rise from 0"
    else:
        change = f"a {abs(jump.change_percent):.0f} % {'rise' if jump.rose else 'fall'}"
    said = (
        f"{jump.label} {now.value:g} {unit_words(now.unit)}"
        + (f" (drawn {now.drawn_on.isoformat()})" if now.drawn_on else "")
        + f" against the previous {then.value:g} {unit_words(then.unit)}"
        + (f" (drawn {then.drawn_on.isoformat()})" if then.drawn_on else "")
        + f": {change}"
    )
    if now.unit != then.unit:
        canonical = unit_words(jump.canonical_unit)
        said += (
            f" ({jump.previous_canonical:.3g} → {jump.current_canonical:.3g} {canonical} "
            "in the same unit)"
        )
    limit = jump.limit
    bound = f"more than ×{limit.factor:g} either way"
    if limit.absolute is not None:
        bound += f" and more than {limit.absolute:g} {unit_words(jump.canonical_unit)}"
    said += f", beyond the delta-check limit ({bound}; lab_deltas.toml {limit.id})"
    if jump.unit_that_fits is not None:
        said += f"; in {unit_words(jump.unit_that_fits)} it would be an ordinary change"
    return (
        f"{said} — kept as imported but NOT confirmed: check the value and its unit against "
        "the laboratory report (a case may carry the check in lab_confirmations)"
    )


# ---- a jump confirmed as typed, in the plan ---------------------------------------------------


def confirmed_changes(
    confirmations: Iterable[LabConfirmation], limits: CaseLimits
) -> tuple[dict[str, Any], ...]:
    """The plan's `lab_confirmations`: each result the nurse confirmed after a delta-check
    question, with the signed change (in the test's canonical unit, as the question measured it)
    so that the plan says what was confirmed and by whom (issue 16: the confirmation was
    forgotten after the dialog closed)."""
    out = []
    for confirmation in confirmations:
        lab = limits.labs.get(confirmation.lab)
        before, now = confirmation.previous, confirmation.current
        percent = None
        then: float | None
        current: float | None
        if lab is not None:
            try:
                then = convert(
                    limits, confirmation.lab, before.value, before.unit, lab.canonical_unit
                )
                current = convert(limits, confirmation.lab, now.value, now.unit, lab.canonical_unit)
            except UnitError:
                then = current = None
            if then is not None and current is not None:
                percent = _percent(then, current)
        out.append(
            {
                "lab": confirmation.lab,
                "label": lab.label if lab is not None else confirmation.lab,
                "previous": _reading_json(before),
                "current": _reading_json(now),
                "change_percent": None if percent is None else round(percent, 1),
                "confirmed_by": confirmation.confirmed_by,
                "confirmed_on": confirmation.confirmed_on.isoformat(),
            }
        )
    return tuple(out)


def _reading_json(reading: ConfirmedReading) -> dict[str, Any]:
    drawn = None if reading.drawn_on is None else reading.drawn_on.isoformat()
    return {"value": reading.value, "unit": reading.unit, "drawn_on": drawn}


def confirmation_words(
    entry: PlanLabConfirmation | Mapping[str, Any], date_format: str = DEFAULT_DATE_FORMAT
) -> str:
    """A plan's confirmed change in words, for the screen and the print: "Bilirubin fell 93 %
    since 04/12/2026 (2.1 mg/dL → 2.6 µmol/L); confirmed by A. Rao on 05/12/2026". `entry` is
    one of the plan's `lab_confirmations`, read (planner.domain.plan_document) or as JSON."""
    if not isinstance(entry, PlanLabConfirmation):
        entry = read_lab_confirmation(entry, "lab_confirmations[]")
    before, now = entry.previous, entry.current
    label = entry.label or entry.lab
    percent = entry.change_percent
    if percent is None:
        moved = "rose from 0" if (now is not None and (now.value or 0) > 0) else "changed"
    else:
        moved = f"{'rose' if percent > 0 else 'fell'} {abs(percent):.0f} %"
    drawn = None if before is None else before.drawn_on
    since = f"since {show_date(drawn, date_format)}" if drawn else "since the previous result"
    return (
        f"{label[:1].upper() + label[1:]} {moved} {since} "
        f"({_shown(before)} → {_shown(now)}); confirmed by {entry.confirmed_by} on "
        f"{show_date(entry.confirmed_on, date_format)}"
    )


def _shown(reading: PlanLabReading | None) -> str:
    value = None if reading is None else reading.value
    shown = f"{value:g}" if isinstance(value, int | float) else str(value)
    return f"{shown} {unit_words(None if reading is None else reading.unit)}".strip()
