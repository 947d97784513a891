"""Clinic settings that change what the engine concludes (DESIGN.md "Clinic settings").

ONE frozen value reaches every rule: the engine, the liver assessment, dosing, the supportive
screens and rules all read this object, and every plan records it (plan JSON `settings`, built
by `to_json`). It is stored in the record (key -> JSON value, planner.storage.stored_settings) and built
from there by `planner.services.clinic_settings.engine_settings`, the one place where the stored vocabulary
(e.g. `child_pugh_albumin = "2.8"`, `distress_cutoff = 4`) is converted to the one used here.

- `labels`: which label set the clinic follows, `"us"` or `"eu"` (dose bands can differ).
- `lab_uln`: the clinic's default upper limits of normal, by lab name (`bilirubin`, `ast`, `alt`,
  `alp`, `ggt`), **in the lab's canonical unit** (bilirubin µmol/L, enzymes U/L). Used only for a
  result that carries no `uln` of its own; empty by default, because the program ships no
  reference ranges (a missing ULN is a gap, never a guess).
- `instrument_choices`: the clinic's option at each point where instrument sources disagree, by
  `InstrumentSettings` field name, in the instrument rule tables' own option names
  (resources/rules/instruments/*.toml `[[setting]]`): `child_pugh_albumin` (`pugh_1973`: 28 g/L,
  the default, or `harrison`: 30 g/L), `distress_cutoff` (`nccn`: >= 4, the default, or `onf`:
  >= 3), `pgsga_box2`, `hads_bands`, `phq2_cutoff`, `kps_ecog_mapping`. Anything not given takes
  the table default. Names are checked here; options against the tables by
  `instrument_settings(rules)` (an unknown one is an error).
- `formulary`: drug names the clinic can actually give; `None` means everything is available.
- `supportive`: the clinic's supportive-care cut-offs and choices by setting name (e.g.
  `{"phq9_moderate_min": 10, "itch_ladder": "bsg"}`); anything not given takes the default of
  resources/rules/supportive.toml. Names and ranges are checked against those tables by
  `planner.domain.supportive_tables.SupportiveSettings.resolve` (an unknown name is an error).
- `anthracycline_factors`: the clinic's doxorubicin-equivalence factor by anthracycline name
  (`{"epirubicin": 0.67}`), for the lifetime anthracycline ledger; anything not given takes the
  default of resources/rules/hard_limits.toml (`[[equivalent]]`), whose `range` bounds it
  (checked by `planner.domain.givable.check_factors`).
- `crisis_rise_percent`: the smallest increase of bilirubin, in percent of a result at most 14
  days older, that counts as "rising" for hepatic visceral crisis (contract §3a); `None` takes the
  default of the visceral-crisis rule row (instruments/liver_kidney_body.toml).
- `cycle_choices`: the clinic's option at each point where labels disagree in the cycle review,
  by setting name of the cycle tables (resources/rules/cycle/*.toml `[[setting]]`, e.g.
  `{"gemcitabine_day8_with_carboplatin": "breast_with_paclitaxel"}`); anything not given takes the
  table default. Checked against the tables by `CycleTables.check_choices`.
- `clinic_name`, `clinic_phone`, `out_of_hours_phone`: printed on the plan, the booklet and the
  referral slips (empty: not printed); `paper`: `"a4"` or `"letter"` for the printed plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field, fields
from types import MappingProxyType
from typing import Any

from planner.domain.frozen_value import frozen_value
from planner.domain.instruments.instrument_settings import InstrumentSettings
from planner.domain.instruments.tables import InstrumentRules

LABEL_SETS = ("us", "eu")
PAPER_SIZES = ("a4", "letter")
INSTRUMENT_SETTING_NAMES = tuple(item.name for item in fields(InstrumentSettings))


@frozen_value
class ClinicSettings:
    labels: str = "us"
    lab_uln: Mapping[str, float] = field(default_factory=dict, hash=False)
    instrument_choices: Mapping[str, str] = field(default_factory=dict, hash=False)
    formulary: frozenset[str] | None = None
    clinic_name: str = ""
    clinic_phone: str = ""
    out_of_hours_phone: str = ""
    paper: str = "a4"
    supportive: Mapping[str, float | str] = field(default_factory=dict, hash=False)
    anthracycline_factors: Mapping[str, float] = field(default_factory=dict, hash=False)
    crisis_rise_percent: float | None = None
    cycle_choices: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.paper not in PAPER_SIZES:
            raise ValueError(f"paper {self.paper!r} is not one of {', '.join(PAPER_SIZES)}")
        if self.labels not in LABEL_SETS:
            raise ValueError(f"labels {self.labels!r} is not one of {', '.join(LABEL_SETS)}")
        for lab, uln in self.lab_uln.items():
            if not uln > 0:
                raise ValueError(f"lab_uln[{lab!r}] must be positive")
        for name, option in self.instrument_choices.items():
            if name not in INSTRUMENT_SETTING_NAMES:
                raise ValueError(
                    f"{name!r} is not an instrument setting ({', '.join(INSTRUMENT_SETTING_NAMES)})"
                )
            if not isinstance(option, str):
                raise ValueError(f"instrument setting {name}: {option!r} is not an option name")
        object.__setattr__(self, "lab_uln", MappingProxyType(dict(self.lab_uln)))
        object.__setattr__(
            self, "instrument_choices", MappingProxyType(dict(self.instrument_choices))
        )
        object.__setattr__(self, "supportive", MappingProxyType(dict(self.supportive)))
        for drug, factor in self.anthracycline_factors.items():
            if isinstance(factor, bool) or not isinstance(factor, int | float) or not factor > 0:
                raise ValueError(f"anthracycline_factors[{drug!r}] must be a positive number")
        object.__setattr__(
            self, "anthracycline_factors", MappingProxyType(dict(self.anthracycline_factors))
        )
        for name, option in self.cycle_choices.items():
            if not isinstance(option, str):
                raise ValueError(f"cycle setting {name}: {option!r} is not an option name")
        object.__setattr__(self, "cycle_choices", MappingProxyType(dict(self.cycle_choices)))
        rise = self.crisis_rise_percent
        if rise is not None and (
            isinstance(rise, bool) or not isinstance(rise, int | float) or not 0 < rise <= 100
        ):
            raise ValueError(f"crisis_rise_percent {rise!r} is not a percentage above 0")

    def available(self, drug: str) -> bool:
        return self.formulary is None or drug in self.formulary

    def instrument_settings(self, rules: InstrumentRules) -> InstrumentSettings:
        """Every instrument setting: the clinic's choice, else the rule table's default.
        Raises ValueError for an option the tables do not offer."""
        return InstrumentSettings.from_rules(rules, **self.instrument_choices)

    def to_json(self, rules: InstrumentRules | None = None) -> dict[str, Any]:
        """The settings as a plan records them. With the rule tables, `instruments` holds every
        instrument setting in force (defaults included); without, only the clinic's choices."""
        instruments: dict[str, str] = dict(self.instrument_choices)
        changed = sorted(self.instrument_choices)
        if rules is not None:
            resolved = self.instrument_settings(rules)
            instruments = {name: getattr(resolved, name) for name in resolved.names()}
            changed = sorted(n for n, v in instruments.items() if v != rules.setting(n).default)
        return {
            "labels": self.labels,
            "formulary": None if self.formulary is None else sorted(self.formulary),
            "lab_uln": dict(self.lab_uln),
            "instruments": instruments,
            "instruments_changed_by_clinic": changed,
            "supportive": dict(self.supportive),
            "anthracycline_factors": dict(self.anthracycline_factors),
            "crisis_rise_percent": self.crisis_rise_percent,
            "cycle_choices": dict(self.cycle_choices),
            "clinic_name": self.clinic_name,
            "clinic_phone": self.clinic_phone,
            "out_of_hours_phone": self.out_of_hours_phone,
            "paper": self.paper,
        }
