"""How old the LVEF a cycle review reads is, against the monitoring interval of the course's
drugs (regimens.toml [[monitoring]] with `measure = "clinical.lvef_percent"` and `every_months`:
HER2-directed therapy and anthracyclines, every 3 months).

An LVEF not measured on the day of the review is carried from the last one measured in the
course (services.review_fields). A carried value within the interval is read, with the date it
was measured and its age printed beside it; one older than the interval is due: the review does
not read it as today's (a gap, not a pass) and says so.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping

from planner.domain.frozen_value import frozen_value
from planner.domain.regimen_tables import MonitoringItem
from planner.domain.subtype import HasClasses

LVEF_FIELD = "clinical.lvef_percent"


def lvef_interval(
    drugs: Iterable[str],
    monitoring: Iterable[MonitoringItem],
    drug_classes: Mapping[str, HasClasses],
) -> MonitoringItem | None:
    """The shortest LVEF monitoring interval that applies to one of `drugs` (by drug or class);
    None when none of them is monitored by LVEF at a set interval."""
    names = set(drugs)
    classes: set[str] = set()
    for name in names:
        known = drug_classes.get(name)
        if known is not None:
            classes |= known.classes
    rows = [
        m
        for m in monitoring
        if m.measure == LVEF_FIELD
        and m.every_months is not None
        and (m.all_options or m.drugs & names or m.classes & classes)
    ]
    return min(rows, key=lambda m: m.every_months or 0, default=None)


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later (the month's last day where it has fewer)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@frozen_value
class LvefAge:
    """The LVEF a review reads: when it was measured, whether it was carried from an earlier
    review, and whether it is due (older than the interval)."""

    percent: float
    measured_on: str  # ISO date
    reviewed_on: str  # ISO date
    carried: bool  # not measured on the day of the review
    days_old: int
    every_months: int | None  # None: no interval applies to the course's drugs
    due_by: str | None  # ISO date: the last day the measurement is within the interval
    due: bool  # carried and older than the interval: not read as today's
    rule: str
    sources: tuple[str, ...]

    def words(self) -> str:
        """'LVEF 58 % measured on 2026-08-01, 125 days before this review (carried from an
        earlier review) — due: older than the 3-month interval (H2-1); not read as today's'."""
        when = (
            "measured on the day of this review"
            if not self.carried
            else f"measured on {self.measured_on}, {self.days_old} days before this review "
            "(carried from an earlier review, not measured today)"
        )
        said = f"LVEF {self.percent:g} % {when}"
        if self.every_months is None:
            return said
        interval = f"the {self.every_months}-month monitoring interval ({self.rule})"
        if self.due:
            return (
                f"{said} — DUE: older than {interval}; it is not read as today's LVEF, so the "
                "rows that need an LVEF have a gap until it is measured"
            )
        return f"{said}; within {interval}, next due by {self.due_by}"


def lvef_age(
    percent: float,
    measured_on: dt.date,
    reviewed_on: dt.date,
    interval: MonitoringItem | None,
) -> LvefAge:
    """The age of an LVEF measured on `measured_on` at the review of `reviewed_on`."""
    carried = measured_on < reviewed_on
    months = None if interval is None else interval.every_months
    due_by = None if months is None else months_after(measured_on, months)
    return LvefAge(
        percent=percent,
        measured_on=measured_on.isoformat(),
        reviewed_on=reviewed_on.isoformat(),
        carried=carried,
        days_old=(reviewed_on - measured_on).days,
        every_months=months,
        due_by=None if due_by is None else due_by.isoformat(),
        due=carried and due_by is not None and reviewed_on > due_by,
        rule="" if interval is None else interval.rule,
        sources=() if interval is None else tuple(interval.sources),
    )
