"""Reading resources/rules/case_limits.toml: what the case validator accepts as input.

    [meta]     table = "case_limits", version, reviewed_on
    [[field]]  key, low, high, unit, whole?, sources, verified: a numeric case field's bounds
    [[lab]]    name, label, takes_uln, sources, verified, units = [...], entry_units? = [...]
    [[confounder]] id, lab, classes, text, sources, verified: medicines (drug classes of
               drugs.toml) that make a lab unreadable for a liver score (a warfarin INR)

These are input-sanity limits, not treatment thresholds. The drug names, medicine spellings and
allergy words of the catalogue (drugs.toml) are joined in here: the validator checks against them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, Any

from planner.domain.frozen_value import frozen_value
from planner.domain.limits import CaseLimits, FieldRange, LabConfounder, LabDefinition, UnitRange
from planner.domain.table_keys import Key
from planner.rules.drugs import Combination, Drug, Excipient
from planner.rules.errors import RulesError
from planner.rules.reader import Layout, TableReader, check_document, pair, rows

TABLE = "case_limits.toml"


@frozen_value
class EntryUnit:
    """A unit a report may give that the form converts to the canonical unit (cell counts)."""

    unit: Annotated[str, Key(doc="not one of the lab's `units`")]
    factor: Annotated[float, Key(above=0, doc="to the canonical unit")]
    # A count typed in this unit outside this range is asked about (walk23 HARM 2: "3.2"
    # neutrophils read per µL is 0.0032 × 10⁹/L, inside the canonical plausible range).
    plausible_low: Annotated[
        float, Key(written_as=("plausible",), doc="[low, high], ascending, in this unit")
    ]
    plausible_high: Annotated[float, Key(written_as=("plausible",))]


LAYOUT = Layout(
    TABLE,
    {"field": FieldRange, "lab": LabDefinition, "confounder": LabConfounder},
    required=("field", "lab"),
    table="case_limits",
    sources=False,
    inner={"lab.units": UnitRange, "lab.entry_units": EntryUnit},
    doc="What the case validator accepts: a numeric field's bounds, and each lab's units with "
    "what is possible at all (else refused) and plausible (else questioned as a unit mix-up).",
)


def load_case_limits(
    documents: Mapping[str, dict[str, Any]],
    sources: Mapping[str, Any],
    drugs: Mapping[str, Drug],
    version: str,
    allergy_classes: Mapping[str, str],
    excipients: tuple[Excipient, ...] = (),
    combinations: tuple[Combination, ...] = (),
) -> CaseLimits:
    if TABLE not in documents:
        raise RulesError(f"missing rule table {TABLE}")
    document = documents[TABLE]
    check_document(LAYOUT, TABLE, document)
    reader = TableReader(sources)
    fields: dict[str, FieldRange] = {}
    for i, row in enumerate(rows(document, "field", TABLE)):
        where = f"{TABLE} field[{i}]"
        found = reader.row(FieldRange, row, where)
        if found.low > found.high:
            raise RulesError(f"{where}: low {found.low} is above high {found.high}")
        if found.key in fields:
            raise RulesError(f"{where}: {found.key} is defined twice")
        fields[found.key] = found
    labs: dict[str, LabDefinition] = {}
    for i, row in enumerate(rows(document, "lab", TABLE)):
        lab = _lab(reader, row, f"{TABLE} lab[{i}]")
        labs[lab.name] = lab
    confounders = []
    for i, row in enumerate(rows(document, "confounder", TABLE)):
        where = f"{TABLE} confounder[{i}]"
        classes = row.get("classes")
        if not isinstance(classes, list) or not classes:
            raise RulesError(f"{where}.classes: a non-empty list of drug classes is needed")
        members = frozenset(n for n, d in drugs.items() if set(d.classes) & set(classes))
        unknown = [c for c in classes if not any(c in d.classes for d in drugs.values())]
        if unknown:
            raise RulesError(f"{where}.classes: {unknown} are classes of no catalogue drug")
        confounder = reader.row(LabConfounder, row, where, drugs=members)
        if confounder.lab not in labs:
            raise RulesError(f"{where}.lab: {confounder.lab!r} is not a [[lab]]")
        confounders.append(confounder)
    return CaseLimits(
        version=version,
        fields=MappingProxyType(fields),
        labs=MappingProxyType(labs),
        drugs=frozenset(name for name, drug in drugs.items() if drug.anticancer),
        medicines=MappingProxyType(
            {spelling: name for name, d in drugs.items() for spelling in (name, *d.synonyms)}
        ),
        allergy_classes=allergy_classes,
        allergy_excipients=MappingProxyType({name: e.id for e in excipients for name in e.names}),
        excipients_of=MappingProxyType(
            {
                drug: frozenset(e.id for e in excipients if drug in e.drugs)
                for drug in {d for e in excipients for d in e.drugs}
            }
        ),
        classes_of=MappingProxyType({name: frozenset(d.classes) for name, d in drugs.items()}),
        allergy_combinations=MappingProxyType(
            {name: c.id for c in combinations for name in c.names}
        ),
        combinations_of=MappingProxyType({c.id: c.drugs for c in combinations}),
        confounders=tuple(confounders),
    )


def _lab(reader: TableReader, row: Mapping[str, Any], where: str) -> LabDefinition:
    units: dict[str, UnitRange] = {}
    for j, unit_row in enumerate(rows(row, "units", where)):
        uwhere = f"{where}.units[{j}]"
        reader.known(UnitRange, unit_row, uwhere)
        missing = [key for key in ("possible", "plausible") if key not in unit_row]
        if missing:
            raise RulesError(f"{uwhere}: missing keys {missing}")
        possible = pair(unit_row, "possible", uwhere)
        plausible = pair(unit_row, "plausible", uwhere)
        if not possible[0] <= plausible[0] <= plausible[1] <= possible[1]:
            raise RulesError(f"{uwhere}: plausible range is not inside the possible range")
        uln = pair(unit_row, "uln_plausible", uwhere) if "uln_plausible" in unit_row else None
        unit = reader.row(
            UnitRange,
            unit_row,
            uwhere,
            possible_low=possible[0],
            possible_high=possible[1],
            plausible_low=plausible[0],
            plausible_high=plausible[1],
            uln_plausible_low=uln[0] if uln else None,
            uln_plausible_high=uln[1] if uln else None,
        )
        units[unit.unit] = unit
    if not units or next(iter(units.values())).factor != 1.0:
        raise RulesError(f"{where}: the first (canonical) unit must have factor 1")
    entry: list[tuple[str, float]] = []
    entry_plausible: dict[str, tuple[float, float]] = {}
    for j, unit_row in enumerate(rows(row, "entry_units", where)):
        ewhere = f"{where}.entry_units[{j}]"
        reader.known(EntryUnit, unit_row, ewhere)
        if "plausible" not in unit_row:
            raise RulesError(f"{ewhere}: missing keys ['plausible']")
        low, high = pair(unit_row, "plausible", ewhere)
        found = reader.row(EntryUnit, unit_row, ewhere, plausible_low=low, plausible_high=high)
        if found.unit in units:
            raise RulesError(f"{ewhere}: {found.unit!r} is one of `units`")
        entry.append((found.unit, found.factor))
        entry_plausible[found.unit] = (low, high)
    return reader.row(
        LabDefinition,
        row,
        where,
        units=MappingProxyType(units),
        entry_units=tuple(entry),
        entry_plausible=MappingProxyType(entry_plausible),
    )
