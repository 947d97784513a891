"""The nurse's confirmation of a large change between two lab results (`lab_confirmations`)
for the one validator (`validation`): both readings in a unit of that lab and in date order,
and the confirmed current reading this case's own result.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.domain import case as c
from planner.domain.frozen_value import frozen_value
from planner.domain.json_checks import (
    Checker,
    Choice,
    Day,
    Record,
    Text,
    describe,
    format_number,
    join_path,
)
from planner.domain.plan_words import unit_words as shown_unit
from planner.domain.validation_values import opt, req


@frozen_value
class _Result:
    """A confirmed result's number (its unit is checked against its test in `_confirmed_jump`)."""

    def __call__(self, raw: Any, path: str, chk: Checker) -> Any:
        if isinstance(raw, bool) or not isinstance(raw, int | float) or raw < 0 or raw != raw:
            return chk.error(path, f"{describe(raw)} is not a number of 0 or more")
        return float(raw)


CONFIRMED_READING = Record(
    # an earlier result kept without its date (a draft) is compared and confirmed too
    {"value": req(_Result()), "unit": req(Text(max_len=20)), "drawn_on": opt(Day())},
    build=c.ConfirmedReading,
)


def _confirmed_units(values: Mapping[str, Any], path: str, chk: Checker) -> None:
    lab = chk.limits.labs.get(str(values.get("lab")))
    if lab is None:
        return
    for side in ("previous", "current"):
        reading = values.get(side)
        if isinstance(reading, c.ConfirmedReading) and reading.unit not in lab.units:
            shown = ", ".join(u for u in lab.units if u) or "no unit"
            chk.error(
                join_path(join_path(path, side), "unit"),
                f"{describe(reading.unit)} is not one of {shown} ({lab.label})",
            )
    before, now = values.get("previous"), values.get("current")
    if (
        isinstance(before, c.ConfirmedReading)
        and isinstance(now, c.ConfirmedReading)
        and before.drawn_on is not None
        and now.drawn_on is not None
        and before.drawn_on > now.drawn_on
    ):
        chk.error(
            join_path(join_path(path, "previous"), "drawn_on"),
            f"{before.drawn_on.isoformat()} is after the confirmed result's date "
            f"{now.drawn_on.isoformat()}",
        )


LAB_CONFIRMATION = Record(
    {
        "lab": req(Choice(c.LAB_NAMES)),
        "previous": req(CONFIRMED_READING),
        "current": req(CONFIRMED_READING),
        "confirmed_by": req(Text(max_len=100)),
        "confirmed_on": req(Day()),
    },
    build=c.LabConfirmation,
    checks=(_confirmed_units,),
)


def confirmations_match_labs(values: Mapping[str, Any], path: str, chk: Checker) -> None:
    """A confirmation is of this case's result: one for another value (changed after it was
    confirmed) would print a confirmation nobody gave."""
    labs = values.get("labs")
    for i, confirmation in enumerate(values.get("lab_confirmations") or ()):
        result = getattr(labs, confirmation.lab, None) if isinstance(labs, c.Labs) else None
        now = confirmation.current
        if (
            result is None
            or not isinstance(labs, c.Labs)
            or result.value != now.value
            or (result.unit or "") != now.unit
            or labs.drawn_on != now.drawn_on
        ):
            chk.error(
                f"lab_confirmations[{i}].current",
                f"{format_number(now.value)} {shown_unit(now.unit)} on "
                f"{now.drawn_on.isoformat() if now.drawn_on else 'no date'} "
                f"is not this case's {confirmation.lab} result (labs.{confirmation.lab})",
            )
