"""Clinic settings for the points where published sources disagree.

Each field names a `[[setting]]` row of the instrument rule tables; its default comes from that
row, never from code. Every result says which option it was scored with.
"""

from __future__ import annotations

from dataclasses import fields, replace

from planner.domain.frozen_value import frozen_value
from planner.domain.instruments.tables import InstrumentRules


@frozen_value(hot=True)
class InstrumentSettings:
    child_pugh_albumin: str  # albumin bands: Pugh 1973 (28/35 g/L) or the 30/35 g/L variant
    pgsga_box2: str  # PG-SGA Box 2: highest checked value, or the sum of the two parts
    distress_cutoff: str  # distress thermometer: NCCN >= 4, or the ONF-study >= 3
    hads_bands: str  # HADS: Zigmond & Snaith three bands, or an uncited four-band variant
    phq2_cutoff: str  # PHQ-2 positive screen: >= 3, or the more sensitive >= 2
    kps_ecog_mapping: str  # approximate KPS <-> ECOG pairing shown beside native scores

    @classmethod
    def from_rules(cls, rules: InstrumentRules, **chosen: str) -> InstrumentSettings:
        """The rule tables' defaults, with any clinic choices in `chosen` (checked)."""
        values: dict[str, str] = {}
        for item in fields(cls):
            values[item.name] = rules.setting(item.name).default
        settings = cls(**values)
        return settings.with_choices(rules, **chosen) if chosen else settings

    def with_choices(self, rules: InstrumentRules, **chosen: str) -> InstrumentSettings:
        known = {item.name for item in fields(self)}
        for name, option in chosen.items():
            if name not in known:
                raise ValueError(f"{name} is not an instrument setting")
            options = rules.setting(name).options
            if option not in options:
                raise ValueError(f"{name}: {option!r} is not one of {', '.join(options)}")
        return replace(self, **chosen)

    def names(self) -> tuple[str, ...]:
        return tuple(item.name for item in fields(self))
