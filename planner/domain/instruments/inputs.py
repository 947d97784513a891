"""Input shapes of the instruments a case can carry (qol questionnaires, nutrition screens).

Item wording is never stored here (licensing): items are known by number or FACIT code only.
The same specs check `planner score` input and the matching part of a case, so there is one
validator for both doors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planner.domain.schema import (
    INVALID,
    Checker,
    Flag,
    Maybe,
    Number,
    Record,
    Spec,
    describe,
    join_path,
)


@dataclass(frozen=True)
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
# BR23 items 46–53 hold conditional items (hair loss, sexual enjoyment) that may be absent.
QLQ_BR23: Spec = ItemResponses(QLQ_BR23_ITEMS, frozenset())
FACT_B: Spec = ItemResponses(FACT_B_ITEMS, frozenset(FACT_B_REQUIRED))

# MUST inside a case takes height and weight from `body`; only the other steps live here.
MUST_IN_CASE: Spec = Record(
    {
        "weight_3_to_6_months_ago_kg": (Maybe(Number("body.weight_kg")), False),
        "acutely_ill_no_intake_5_days": (Maybe(Flag()), False),
    }
)

PGSGA_INTAKE_VS_USUAL = ("unchanged", "more_than_usual", "less_than_usual")
PGSGA_INTAKE_TYPES = (
    "normal_food_less",
    "little_solid_food",
    "only_liquids",
    "only_supplements",
    "very_little_of_anything",
    "tube_or_iv_only",
)
PGSGA_SYMPTOMS = (
    "no_problems_eating",
    "no_appetite",
    "nausea",
    "vomiting",
    "constipation",
    "diarrhoea",
    "mouth_sores",
    "dry_mouth",
    "taste_change",
    "smells_bother",
    "problems_swallowing",
    "feel_full_quickly",
    "fatigue",
    "pain",
    "other",
)
PGSGA_ACTIVITY = (
    "normal",
    "not_normal_but_up",
    "not_up_to_most_things",
    "little_activity",
    "bedridden",
)
