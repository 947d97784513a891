"""A label's dose ladder read for one course: the level a dose stands at, the lowest level, the
level the dose may return to, and the dose at a level (`planner.domain.cycle_tables.Ladder`
holds the steps; levels count down from the course's starting dose, 0, −1, −2 …).
"""

from __future__ import annotations

from planner.domain.case import TreatmentDose
from planner.domain.cycle_tables import Ladder
from planner.domain.evidence import UNVERIFIED


def level_of(ladder: Ladder, dose: TreatmentDose, start: TreatmentDose) -> int | None:
    """The ladder level of `dose` for a course that began at `start` (None: not a level)."""
    within = ladder.match_within_percent / 100
    if ladder.percents is not None:
        percent = 100 * dose.value / start.value
        for i, p in enumerate(ladder.percents):
            if abs(percent - p) <= ladder.match_within_percent:
                return -i
        return None
    assert ladder.doses is not None
    start_at = _dose_index(ladder.doses, start.value, within)
    now_at = _dose_index(ladder.doses, dose.value, within)
    if start_at is None or now_at is None or now_at < start_at:
        return None
    return -(now_at - start_at)


def _dose_index(doses: tuple[float, ...], value: float, within: float) -> int | None:
    for i, d in enumerate(doses):
        if abs(value - d) <= d * within:
            return i
    return None


def lowest_level(ladder: Ladder, start: TreatmentDose) -> int:
    if ladder.percents is not None:
        return -(len(ladder.percents) - 1)
    assert ladder.doses is not None
    start_at = _dose_index(ladder.doses, start.value, ladder.match_within_percent / 100) or 0
    return -(len(ladder.doses) - 1 - start_at)


def return_level(ladder: Ladder, level: int, start: TreatmentDose) -> int:
    """The level a course at `level` comes back up to where none of the label's rows holds it
    lower today (the ladder's `return_to`), never above the course's starting dose; `level`
    itself where the label keeps the reduction or leaves a return to the clinician."""
    if ladder.return_to is None:
        return level
    if ladder.percents is not None:
        steps, start_at = ladder.percents, 0
    else:
        assert ladder.doses is not None
        steps = ladder.doses
        start_at = _dose_index(steps, start.value, ladder.match_within_percent / 100) or 0
    back = ladder.return_to[start_at - level]
    return max(level, min(0, start_at - steps.index(back)))


def dose_at(ladder: Ladder, level: int, start: TreatmentDose) -> TreatmentDose:
    if ladder.percents is not None:
        return TreatmentDose(round(start.value * ladder.percents[-level] / 100, 2), start.unit)
    assert ladder.doses is not None
    start_at = _dose_index(ladder.doses, start.value, ladder.match_within_percent / 100) or 0
    return TreatmentDose(ladder.doses[start_at - level], start.unit)


def other_day_words(ladder: Ladder, day: int) -> str:
    """Why a dose on a day the label's table does not cover is not decided: what the label says
    of that day where it says something for another schedule (`other_days`, rx23 W2), else that
    it names no threshold."""
    days = ", ".join(str(d) for d in ladder.days or ())
    said = (
        f"day {day}: {ladder.other_days}{'' if ladder.verified else UNVERIFIED}; "
        if ladder.other_days
        else f"day {day} has no label threshold, so "
    )
    return (
        f"the label's table speaks of day {days} of the cycle; {said}the clinic's protocol "
        "decides — no dose is printed"
    )
