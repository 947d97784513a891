"""Input shapes of the instruments a case can carry (qol questionnaires, nutrition screens).

Item wording is never stored here (licensing): items are known by number or FACIT code only.
The same specs check `planner score` input and the matching part of a case, so there is one
validator for both doors.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.domain.frozen_value import frozen_value
from planner.domain.instruments.nutrition import (
    PGSGA_ACTIVITY,
    PGSGA_INTAKE_TYPES,
    PGSGA_INTAKE_VS_USUAL,
    PGSGA_SYMPTOMS,
)
from planner.domain.json_checks import (
    INVALID,
    Checker,
    Choice,
    Flag,
    Many,
    Maybe,
    Number,
    Record,
    Spec,
    describe,
    join_path,
)


@frozen_value
class ItemResponses:
    """A map of item code -> integer response (or null for a missing item).

    `items` maps each allowed code to its (lowest, highest) response; `required` codes must be
    present as keys (null allowed: the scorer applies the manual's missing-data rule).
    """

    items: dict[str, tuple[int, int]]
    required: frozenset[str]

    def __call__(self, raw: Any, path: str, chk: Checker) -> Any:
        if not isinstance(raw, dict):
            return chk.error(path, f"{describe(raw)} is not an object of item responses")
        ok = True
        for code, answer in raw.items():
            sub = join_path(path, code)
            if code not in self.items:
                chk.error(sub, "is not an item of this instrument")
                ok = False
                continue
            if answer is None:
                continue
            low, high = self.items[code]
            if (
                isinstance(answer, bool)
                or not isinstance(answer, int | float)
                or not float(answer).is_integer()
            ):
                chk.error(sub, f"{describe(answer)} is not a whole-number response")
                ok = False
            elif not low <= answer <= high:
                chk.error(sub, f"{describe(answer)} is outside the response range {low}–{high}")
                ok = False
        for code in sorted(self.required - set(raw)):
            chk.error(join_path(path, code), "is missing (give null if the item was not answered)")
            ok = False
        if not ok:
            return INVALID
        return {code: (None if v is None else int(v)) for code, v in raw.items()}


def _numbered(first: int, last: int, low: int, high: int) -> dict[str, tuple[int, int]]:
    return {f"q{n}": (low, high) for n in range(first, last + 1)}


QLQ_C30_ITEMS = {**_numbered(1, 28, 1, 4), **_numbered(29, 30, 1, 7)}
QLQ_BR23_ITEMS = _numbered(31, 53, 1, 4)
FACT_B_REQUIRED = (
    [f"GP{i}" for i in range(1, 8)]
    + [f"GS{i}" for i in range(1, 8)]
    + [f"GE{i}" for i in range(1, 7)]
    + [f"GF{i}" for i in range(1, 8)]
    + [f"B{i}" for i in range(1, 10)]
    + ["P2"]
)
FACT_B_OPTIONAL = ["B10", "B11", "B12", "B13"]
FACT_B_ITEMS = {code: (0, 4) for code in FACT_B_REQUIRED + FACT_B_OPTIONAL}

QLQ_C30: Spec = ItemResponses(QLQ_C30_ITEMS, frozenset(QLQ_C30_ITEMS))
# Every BR23 item must be present as a key; conditional items (q35 hair loss, q46 sexual
# enjoyment) and any unanswered item are given as null.
QLQ_BR23: Spec = ItemResponses(QLQ_BR23_ITEMS, frozenset(QLQ_BR23_ITEMS))
FACT_B: Spec = ItemResponses(FACT_B_ITEMS, frozenset(FACT_B_REQUIRED))

__all__ = [
    "FACT_B",
    "MUST",
    "MUST_IN_CASE",
    "PGSGA_ACTIVITY",
    "PGSGA_INTAKE_TYPES",
    "PGSGA_INTAKE_VS_USUAL",
    "PGSGA_SF",
    "PGSGA_SF_IN_CASE",
    "PGSGA_SYMPTOMS",
    "QLQ_BR23",
    "QLQ_C30",
]

# MUST inside a case takes height and weight from `body`; only the other steps live here.
# `planner score must` takes the same object plus height and weight. null = not assessed.
_MUST_STEPS = {
    "weight_3_to_6_months_ago_kg": (Maybe(Number("body.weight_kg")), False),
    "acutely_ill_no_intake_5_days": (Maybe(Flag()), False),
}
MUST_IN_CASE: Spec = Record(_MUST_STEPS)
MUST: Spec = Record(
    {
        "height_cm": (Number("body.height_cm"), True),
        "weight_kg": (Number("body.weight_kg"), True),
        **_MUST_STEPS,
    }
)


def _no_problems_alone(values: Mapping[str, Any], path: str, chk: Checker) -> None:
    symptoms = values.get("symptoms") or ()
    if "no_problems_eating" in symptoms and len(symptoms) > 1:
        chk.error(
            join_path(path, "symptoms"),
            "no_problems_eating cannot be listed together with a symptom",
        )


# PG-SGA Short Form, boxes 1-4, by neutral codes (no form wording). Inside a case the current
# weight comes from `body.weight_kg`; `planner score pgsga_sf` takes it as `weight_kg`.
_PGSGA_BOXES = {
    "weight_1_month_ago_kg": (Maybe(Number("body.weight_kg")), False),
    "weight_6_months_ago_kg": (Maybe(Number("body.weight_kg")), False),
    "weight_decreased_past_2_weeks": (Maybe(Flag()), False),
    "intake_vs_usual": (Maybe(Choice(PGSGA_INTAKE_VS_USUAL)), False),
    "intake_type": (Maybe(Choice(PGSGA_INTAKE_TYPES)), False),
    "symptoms": (Maybe(Many(Choice(PGSGA_SYMPTOMS))), False),
    "activity": (Maybe(Choice(PGSGA_ACTIVITY)), False),
}
PGSGA_SF_IN_CASE: Spec = Record(_PGSGA_BOXES, checks=(_no_problems_alone,))
PGSGA_SF: Spec = Record(
    {"weight_kg": (Number("body.weight_kg"), True), **_PGSGA_BOXES},
    checks=(_no_problems_alone,),
)
