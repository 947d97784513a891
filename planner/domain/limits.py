"""Typed limits for input checking, built by planner.rules from resources/rules/case_limits.toml."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import Annotated

from planner.domain.frozen_value import frozen_value
from planner.domain.table_keys import Key, Sources

_PAIR = "[low, high], ascending"


@frozen_value
class FieldRange:
    """Inclusive bounds a numeric field must lie within, in the field's own unit."""

    key: Annotated[str, Key(doc="the case field, e.g. body.weight_kg; once in the table")]
    low: float
    high: float
    unit: str
    whole: Annotated[bool, Key(default=False, doc="the value must be a whole number")]
    sources: Sources
    verified: bool


@frozen_value
class UnitRange:
    """For one lab in one unit: what is possible at all, and what is plausible.

    Outside `possible` the value is refused. Inside it but outside `plausible`, the value is
    accepted with a doubt: usually a unit mix-up (a µmol/L number typed against mg/dL).
    """

    unit: str
    # multiply a value in this unit by `factor` to get the lab's canonical unit
    factor: Annotated[float, Key(above=0, doc="to the canonical unit; the first unit's is 1")]
    possible_low: Annotated[float, Key(written_as=("possible",), doc=_PAIR)]
    possible_high: Annotated[float, Key(written_as=("possible",))]
    plausible_low: Annotated[
        float, Key(written_as=("plausible",), doc=_PAIR + ", inside `possible`")
    ]
    plausible_high: Annotated[float, Key(written_as=("plausible",))]
    uln_plausible_low: Annotated[float | None, Key(written_as=("uln_plausible",), doc=_PAIR)]
    uln_plausible_high: Annotated[float | None, Key(written_as=("uln_plausible",))]


@frozen_value
class LabDefinition:
    """One laboratory test; the first unit in `units` is its canonical unit."""

    name: str
    label: str
    units: Annotated[
        Mapping[str, UnitRange],
        Key(written_as=("units",), doc="the first is the canonical unit"),
    ]
    takes_uln: bool
    sources: Sources
    verified: bool
    #: units the form accepts and converts to the canonical unit: (unit, factor to canonical)
    entry_units: Annotated[
        tuple[tuple[str, float], ...],
        Key(written_as=("entry_units",), doc="units a report may give, converted on entry"),
    ] = ()
    #: per entry unit, the plausible range of a count typed in it: outside, the unit is asked
    entry_plausible: Annotated[
        Mapping[str, tuple[float, float]],
        Key(given=True, doc="each entry unit's `plausible` range"),
    ] = field(default_factory=dict)

    def implausible_in(self, value: float, unit: str) -> tuple[float, float] | None:
        """The plausible range of `unit` when `value` typed in it lies outside it (a count of
        3.2 typed per µL is no neutrophil count: the report gave × 10⁹/L); else None."""
        found = self.entry_plausible.get(unit)
        if found is None and unit in self.units:
            found = (self.units[unit].plausible_low, self.units[unit].plausible_high)
        if found is None or found[0] <= value <= found[1]:
            return None
        return found

    @property
    def canonical_unit(self) -> str:
        return next(iter(self.units))


@frozen_value
class LabConfounder:
    """Medicines that make a lab unreadable as a measure of the organ a score reads it for: the
    INR of a patient on a vitamin K antagonist measures the anticoagulant, not the liver's
    synthesis (the Child–Pugh INR item is then a gap, with this reason)."""

    id: str
    lab: Annotated[str, Key(doc="a [[lab]] name")]
    drugs: Annotated[
        frozenset[str],
        Key(written_as=("classes",), doc="class ids of drugs.toml: every drug of them confounds"),
    ]
    text: Annotated[str, Key(doc="why the lab is not read, in words")]
    sources: Sources
    verified: bool


@frozen_value
class CaseLimits:
    version: str
    fields: Mapping[str, FieldRange]
    labs: Mapping[str, LabDefinition]
    drugs: frozenset[str]  # anticancer INNs: prior therapy, formulary
    # Every catalogue drug (anticancer or not) by each lower-case spelling accepted on input
    # (name and synonyms) -> its name: `medications[].drug`, `allergies[].substance`.
    medicines: Mapping[str, str] = field(default_factory=dict)
    # Drug classes as an allergy is written ("taxanes", "platinum compounds") -> class id.
    allergy_classes: Mapping[str, str] = field(default_factory=dict)
    # Excipients as an allergy is written ("polysorbate 80", "cremophor el") -> excipient id, and
    # each catalogue drug -> the excipient ids it is formulated with (drugs.toml [[excipient]]).
    allergy_excipients: Mapping[str, str] = field(default_factory=dict)
    excipients_of: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Combination products as an allergy is written ("phesgo") -> product id, and product id ->
    # its catalogue drugs (drug_names.toml [[combination]]): an allergy to it is one to each.
    allergy_combinations: Mapping[str, str] = field(default_factory=dict)
    combinations_of: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # A spelling with a case ending of the clinics' languages ("паклитакселе", "paklitakselga")
    # -> its drug (drug_names.toml [[declension]]): read in allergy lines only (misc23).
    allergy_inflections: Mapping[str, str] = field(default_factory=dict)
    # Each catalogue drug -> its classes: an allergy written "penicillins (amoxicillin)" is the class.
    classes_of: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Regimen id -> its drugs (regimens.toml), for `treatment.regimen` (contract §5).
    regimens: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Medicines that make a lab unreadable for a liver score ([[confounder]] rows).
    confounders: tuple[LabConfounder, ...] = ()

    def canonical_drug(self, name: str) -> str:
        """The catalogue's name for `name`, which may be a synonym (INN / US adopted name, e.g.
        "trastuzumab emtansine" for "ado-trastuzumab emtansine"); itself when it is unknown."""
        return self.medicines.get(name, name)
