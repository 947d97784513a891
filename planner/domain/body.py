"""Body size of one case: body-surface area and body-mass index.

Public API (pure)::

    assess_body(case, *, instruments) -> BodyAssessment     # instruments: RuleSet.instruments
    BodyAssessment.to_json()

The numbers are the `planner score bsa` numbers: `planner.domain.instruments.body_size.score_bsa`
computes BSA (Mosteller, the dose default, and DuBois & DuBois alongside; coefficients from
resources/rules/instruments/liver_kidney_body.toml) and BMI; this module adds the gaps and the
six-month weight change (percent, negative = loss). Actual body weight, never capped: a local
cap must be shown beside the uncapped value (ASCO position, instruments.md §8.1).
Missing height or weight gives `None` with a gap naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from planner.domain.case import Case
from planner.domain.evidence import Basis, Gap, instrument_basis
from planner.domain.frozen_value import frozen_value
from planner.domain.instruments.body_size import score_bsa, weight_loss_percent
from planner.domain.instruments.tables import InstrumentRules

RULE_BSA = "body.bsa"
RULE_BMI = "body.bmi"
SOURCES = {RULE_BSA: "dose.ref.bsa", RULE_BMI: "dose.ref.bsa"}


@frozen_value
class BodyAssessment:
    height_cm: float | None
    weight_kg: float | None
    bsa_m2: float | None
    bsa_formula: str
    bsa_dubois_m2: float | None
    bmi: float | None
    weight_change_6_months_percent: float | None
    basis: tuple[Basis, ...]
    gaps: tuple[Gap, ...]
    #: the two weights and dates the change rests on, with the period (weight_change)
    weight_change_words: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "bsa_m2": self.bsa_m2,
            "bsa_formula": self.bsa_formula,
            "bsa_dubois_m2": self.bsa_dubois_m2,
            "bmi": self.bmi,
            "weight_kg": self.weight_kg,
            "height_cm": self.height_cm,
            "weight_change_6_months_percent": self.weight_change_6_months_percent,
            "weight_change_words": self.weight_change_words,
        }


def assess_body(case: Case, *, instruments: InstrumentRules) -> BodyAssessment:
    body = case.body
    height = None if body is None else body.height_cm
    weight = None if body is None else body.weight_kg
    gaps = []
    if height is None:
        gaps.append(Gap("body.height_cm", "not recorded: no BSA or BMI, no mg/m2 dose in mg"))
    if weight is None:
        gaps.append(
            Gap("body.weight_kg", "not recorded: no BSA, BMI or CrCl, no mg/m2 or mg/kg dose in mg")
        )
    history = weight_change(case)
    loss = history.loss_percent
    change = None if loss is None else -loss
    if height is None or weight is None:
        return BodyAssessment(
            height,
            weight,
            None,
            "mosteller",
            None,
            None,
            change,
            (),
            tuple(gaps),
            history.words,
        )
    sized = score_bsa(height, weight, instruments)
    return BodyAssessment(
        height_cm=height,
        weight_kg=weight,
        bsa_m2=sized["mosteller"],
        bsa_formula="mosteller",
        bsa_dubois_m2=sized["dubois"],
        bmi=sized["bmi"],
        weight_change_6_months_percent=change,
        weight_change_words=history.words,
        basis=(Basis(RULE_BSA, SOURCES[RULE_BSA], True), *instrument_basis(sized)),
        gaps=tuple(gaps),
    )


#: the period of the case's `weight_6_months_ago_kg` (contract §2), the one the weight-loss rule
#: reads (supportive.toml `weight_loss_percent_above`: "weight loss over 6 months"): an earlier
#: weight from the record counts only when it lies within it
WEIGHT_LOSS_MONTHS = 6


@frozen_value
class WeightChange:
    """Her weight loss over the rule's period, and the two weights (with their dates) it rests
    on: the nurse's "weight 6 months ago", else the last weight in the record before this
    assessment (`body.earlier_weight_kg` on `body.earlier_weight_on`) when it lies within the
    period. An earlier weight older than the period gives no percentage and says why: a loss
    over 7 months read as one over 6 would be a misleading number."""

    loss_percent: float | None  # positive = loss, of the earlier weight
    words: str | None  # "61 kg on 2026-12-07, 63.9 kg on 2026-08-01 (4 months earlier)"
    gap: Gap | None


def weight_change(case: Case) -> WeightChange:
    body = case.body
    now = None if body is None else body.weight_kg
    stated = None if body is None else body.weight_6_months_ago_kg
    earlier = None if body is None else body.earlier_weight_kg
    earlier_on = None if body is None else body.earlier_weight_on
    if now is not None and stated is not None and stated > 0:
        return WeightChange(
            weight_loss_percent(stated, now),
            f"{now:g} kg now, {stated:g} kg {WEIGHT_LOSS_MONTHS} months ago",
            None,
        )
    if now is not None and earlier is not None and earlier > 0 and earlier_on is not None:
        on = case.assessed_on
        if earlier_on < _months_before(on, WEIGHT_LOSS_MONTHS):
            return WeightChange(
                None,
                None,
                Gap(
                    "body.weight_6_months_ago_kg",
                    f"the last recorded weight, {earlier:g} kg on {earlier_on.isoformat()}, is "
                    f"more than {WEIGHT_LOSS_MONTHS} months before this assessment: weight loss "
                    f"over {WEIGHT_LOSS_MONTHS} months cannot be judged from it (today "
                    f"{now:g} kg); record the weight {WEIGHT_LOSS_MONTHS} months ago if known",
                ),
            )
        return WeightChange(
            weight_loss_percent(earlier, now),
            f"{now:g} kg on {on.isoformat()}, {earlier:g} kg on {earlier_on.isoformat()}, "
            f"{_period(earlier_on, on)} earlier",
            None,
        )
    return WeightChange(
        None,
        None,
        Gap("body.weight_6_months_ago_kg", "no earlier weight: weight loss cannot be judged"),
    )


def _months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (the month's last day if it has none)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def _period(earlier: dt.date, later: dt.date) -> str:
    """How long before: whole calendar months, or days under a month."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    if months >= 1:
        return f"{months} month" + ("s" if months > 1 else "")
    days = (later - earlier).days
    return f"{days} day" + ("s" if days != 1 else "")
