"""The days inside a cycle she must come in (walk 23 HARM 4).

The course tracked day 1 only: fulvestrant's loading injections (500 mg on days 1, 15 and 29,
then monthly: FASLODEX §2.1) and palbociclib's day-15 blood count in the first 2 cycles
(IBRANCE §2.2/§5.1) appeared nowhere, and nothing brought her back on day 15. The days come from
the decided plan's structured schedules (`drugs[].given`: route, days, the later cycles' days,
the label's count days with their sources), never from the printed words:
- an injection or infusion (any route but by mouth) on each of its days of this cycle;
- the label's blood tests (`given.counts`) on their days of each of the first cycles.
Tablets taken at home bring her in on no day of their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from planner.domain.frozen_value import frozen_value

# a dose by this route is taken at home: it sets no day she comes in
AT_HOME = frozenset({"orally"})


@frozen_value
class CycleVisit:
    """One day of a cycle she comes in: the cycle's day, its date (None: the cycle's first day is
    not known), what is done and the sources that set it."""

    cycle: int
    day: int
    on: dt.date | None
    what: tuple[str, ...]
    sources: tuple[str, ...]
    verified: bool
    # the same as structure, for the patient's words: (drug, route) of each dose given that
    # day, and the drugs whose label asks for the blood test that day
    doses: tuple[tuple[str, str], ...] = ()
    tested_for: tuple[str, ...] = ()

    def words(self) -> str:
        return "; ".join(self.what)

    def to_json(self, citations: Mapping[str, str]) -> dict[str, Any]:
        """As `planner course show` and the cycle sheet hold it, each source id cited."""
        return {
            "cycle": self.cycle,
            "day": self.day,
            "on": None if self.on is None else self.on.isoformat(),
            "what": list(self.what),
            "sources": [citations.get(s, s) for s in self.sources],
            "verified": self.verified,
            "doses": [list(d) for d in self.doses],
            "tested_for": list(self.tested_for),
        }


def _ints(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list | tuple):
        return ()
    return tuple(d for d in value if isinstance(d, int) and not isinstance(d, bool))


def dose_days(given: Mapping[str, Any], cycle: int) -> tuple[int, ...]:
    """The days of `cycle` a drug is given (its later cycles' days from `later.from_cycle`)."""
    later = given.get("later")
    if isinstance(later, Mapping):
        start = later.get("from_cycle")
        if isinstance(start, int) and cycle >= start:
            return _ints(later.get("days"))
    return _ints(given.get("days"))


def count_days(counts: Mapping[str, Any], cycle: int) -> tuple[int, ...]:
    """The days of `cycle` the label checks blood (`given.counts`): its days in the first
    `cycles` cycles, then its `then_days` up to cycle `then_until` (abemaciclib: days 1 and 15
    of the first 2 cycles, day 1 of cycles 3 and 4), none after."""
    cycles = counts.get("cycles")
    if isinstance(cycles, int) and cycle <= cycles:
        return _ints(counts.get("days"))
    until = counts.get("then_until")
    if isinstance(until, int) and cycle <= until:
        return _ints(counts.get("then_days"))
    return ()


def visits(
    drugs: Iterable[tuple[str, Mapping[str, Any], tuple[str, ...], bool]],
    cycle: int,
    cycle_days: int,
    first_day: dt.date | None,
) -> list[CycleVisit]:
    """The days of `cycle` (a `cycle_days`-day cycle beginning on `first_day`) she comes in, day
        1 included, in order; `drugs` each drug's name with its plan row's `given` and the sources of
    its schedule (and whether they were verified). A day past the
        cycle's end is the next cycle's day 1 (fulvestrant's day 29 in a 28-day cycle)."""
    found: dict[int, tuple[list[str], list[str], bool]] = {}
    doses: dict[int, list[tuple[str, str]]] = {}
    tested: dict[int, list[str]] = {}

    def add(day: int, what: str, sources: Iterable[str], verified: bool) -> bool:
        if not 1 <= day <= cycle_days:
            return False
        entry = found.setdefault(day, ([], [], True))
        if what not in entry[0]:
            entry[0].append(what)
        entry[1].extend(s for s in sources if s not in entry[1])
        found[day] = (entry[0], entry[1], entry[2] and verified)
        return True

    for drug, given, schedule_sources, schedule_verified in drugs:
        if given.get("route") not in AT_HOME:
            for day in dose_days(given, cycle):
                route = str(given.get("route") or "")
                what = f"{drug} {route} dose".replace("  ", " ")
                if add(day, what, schedule_sources, schedule_verified):
                    doses.setdefault(day, []).append((drug, route))
        counts = given.get("counts")
        if isinstance(counts, Mapping):
            sources = [str(s) for s in counts.get("sources") or ()]
            for day in count_days(counts, cycle):
                what = f"{counts.get('what')} ({drug})"
                if add(day, what, sources, counts.get("verified") is True):
                    tested.setdefault(day, []).append(drug)
    return [
        CycleVisit(
            cycle,
            day,
            None if first_day is None else first_day + dt.timedelta(days=day - 1),
            tuple(what),
            tuple(sources),
            verified,
            tuple(doses.get(day, ())),
            tuple(tested.get(day, ())),
        )
        for day, (what, sources, verified) in sorted(found.items())
    ]
