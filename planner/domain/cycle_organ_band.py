"""A row of a label's organ dose table on a course begun below the standard (walk 21 H7): the
standard its percentage is of, the dose it gives, and the step a dose it gave is read at by the
next review. Vinorelbine begun at 20 mg/m2 (standard 25) at bilirubin 2.1 mg/dL is 50 % of 25,
12.5 mg/m2 — 50 % of 20 counted the liver twice. `cycle_drug.review_drug` calls these.
"""

from __future__ import annotations

from planner.domain.case import TreatmentDose
from planner.domain.cycle_ladder import dose_at
from planner.domain.cycle_rows import Outcome
from planner.domain.cycle_tables import Ladder, shown


def band_standard(
    ladder: Ladder, start: TreatmentDose, standard: TreatmentDose | None
) -> TreatmentDose | None:
    """The standard dose the label's organ rows take their percentage of, where it differs from
    the course's start: a course begun below the standard (walk 21 H7: vinorelbine begun at 20
    mg/m2, the plan's standard 25). A start at or above the standard is the starting dose the
    label's table speaks of."""
    if (
        standard is None
        or ladder.percents is None
        or standard.unit != start.unit
        or start.value >= standard.value
    ):
        return None
    return standard


def band_dose(start: TreatmentDose, standard: TreatmentDose, percent: float) -> TreatmentDose:
    """An organ row's percentage of the standard, never above the course's start."""
    return TreatmentDose(min(start.value, round(standard.value * percent / 100, 2)), start.unit)


def band_level(
    ladder: Ladder,
    dose: TreatmentDose,
    start: TreatmentDose,
    standard: TreatmentDose,
    organ_percents: frozenset[float],
) -> int | None:
    """The level of a dose an organ row gave of the standard (None: not such a dose). Only the
    percentages an organ row can give (`organ_percents`) are read: capecitabine's toxicity
    ladder has a 50 % step, its kidney rows only 75 %, so 600 mg/m2 on a start of 1000 is no
    row's dose (not 50 % of 1250) and stays undecided."""
    assert ladder.percents is not None
    for i, p in enumerate(ladder.percents):
        band = band_dose(start, standard, p)
        if (
            p in organ_percents
            and band.value < start.value
            and (abs(100 * (dose.value - band.value) / start.value) <= ladder.match_within_percent)
        ):
            return -i
    return None


def organ_band_dose(
    drug: str,
    ladder: Ladder,
    organ: list[Outcome],
    outcomes: list[Outcome],
    levels: tuple[int, int, bool, bool],
    doses: tuple[TreatmentDose, TreatmentDose, TreatmentDose],
) -> tuple[TreatmentDose, str]:
    """The dose of the day where a row of the label's organ dose table applies to a course begun
    below the standard: that row's percentage of the standard (the liver counted once), lower
    only where a toxicity row of the label takes the starting dose lower still; a held drug
    restarts no higher than it is now. With the note that says the arithmetic ("" where the
    organ row's dose is not the one given)."""
    ceiling, level, hold, read_by_band = levels
    start, current, standard = doses
    assert ladder.percents is not None
    toxicity_level = min(
        [ceiling, *(o.level for o in outcomes if o.level is not None and o not in organ)]
    )
    if hold:
        toxicity_level = min(toxicity_level, level)
    toxicity = (
        current
        if toxicity_level == level and not read_by_band
        else dose_at(ladder, toxicity_level, start)
    )
    band_level = min(o.level for o in organ if o.level is not None)
    percent = ladder.percents[-band_level]
    band = band_dose(start, standard, percent)
    dose = band if band.value < toxicity.value else toxicity
    if hold and dose.value > current.value:
        dose = current
    if dose != band:
        return dose, ""
    return dose, (
        f"{drug}: the label's organ dose row gives {shown(percent)} % of the standard "
        f"{shown(standard.value)} {standard.unit} = {shown(band.value)} {band.unit}; the course "
        f"began at {shown(start.value)} {start.unit}, below the standard, so the organ is counted "
        f"once (not {shown(percent)} % of her start): {shown(band.value)} {band.unit}"
    )
