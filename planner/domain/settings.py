"""Clinic settings that change what the engine concludes (DESIGN.md "Clinic settings").

They are not stored yet; the engine takes them as a frozen value and every plan records them.

- `labels`: which label set the clinic follows, `"us"` or `"eu"` (dose bands can differ).
- `lab_uln`: the clinic's default upper limits of normal, by lab name (`bilirubin`, `ast`, `alt`,
  `alp`, `ggt`), **in the lab's canonical unit** (bilirubin µmol/L, enzymes U/L). Used only for a
  result that carries no `uln` of its own; empty by default, because the program ships no
  reference ranges (a missing ULN is a gap, never a guess).
- `child_pugh_albumin`: the Child–Pugh albumin cut-off between 2 and 3 points:
  `"2.8"` (Pugh 1973 / CCJM: 28 g/L, the default) or `"3.0"` (Harrison's: 30 g/L).
- `formulary`: drug names the clinic can actually give; `None` means everything is available.
- `supportive`: the clinic's supportive-care cut-offs and choices by setting name (e.g.
  `{"phq9_moderate_min": 10, "itch_ladder": "bsg"}`); anything not given takes the default of
  resources/rules/supportive.toml. Names and ranges are checked against those tables by
  `planner.domain.supportive_tables.SupportiveSettings.resolve` (an unknown name is an error).
- `clinic_name`, `clinic_phone`, `out_of_hours_phone`: printed on the plan, the booklet and the
  referral slips (empty: not printed); `paper`: `"a4"` or `"letter"` for the printed plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

LABEL_SETS = ("us", "eu")
CHILD_PUGH_ALBUMIN_VARIANTS = ("2.8", "3.0")
PAPER_SIZES = ("a4", "letter")


@dataclass(frozen=True)
class ClinicSettings:
    labels: str = "us"
    lab_uln: Mapping[str, float] = field(default_factory=dict, hash=False)
    child_pugh_albumin: str = "2.8"
    formulary: frozenset[str] | None = None
    clinic_name: str = ""
    clinic_phone: str = ""
    out_of_hours_phone: str = ""
    paper: str = "a4"
    supportive: Mapping[str, float | str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.paper not in PAPER_SIZES:
            raise ValueError(f"paper {self.paper!r} is not one of {', '.join(PAPER_SIZES)}")
        if self.labels not in LABEL_SETS:
            raise ValueError(f"labels {self.labels!r} is not one of {', '.join(LABEL_SETS)}")
        if self.child_pugh_albumin not in CHILD_PUGH_ALBUMIN_VARIANTS:
            raise ValueError(
                f"child_pugh_albumin {self.child_pugh_albumin!r} is not one of "
                f"{', '.join(CHILD_PUGH_ALBUMIN_VARIANTS)}"
            )
        for lab, uln in self.lab_uln.items():
            if not uln > 0:
                raise ValueError(f"lab_uln[{lab!r}] must be positive")
        object.__setattr__(self, "lab_uln", MappingProxyType(dict(self.lab_uln)))
        object.__setattr__(self, "supportive", MappingProxyType(dict(self.supportive)))

    def available(self, drug: str) -> bool:
        return self.formulary is None or drug in self.formulary
