"""How a rule-table row is written, declared once on the row type it is read into.

A row type of the rule tables (`DoseBand`, `HardLimit`, ...) is a frozen record whose fields are
the table's keys: the field's name is the key, its type is the value's type (`str`, `float`,
`int`, `bool`, `tuple[str, ...]`, `frozenset[str]`, `X | None` for a key that may be left out), and
a field that needs more says so with `Annotated[type, Key(...)]`: the values it allows, its bounds,
its default when left out, what it refers to (a source, a drug), the key's name where it differs.

`planner.rules.reader` reads a TOML row into the type from these declarations alone, and
`planner rules schema` writes the pharmacist's reference (docs/rules-schema.md) from them: one
declaration, so the reader, the reference and the domain cannot disagree. Checks that relate one
field to another (a reduced band needs a percent or a dose) stay in the table's loader.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

__all__ = ["REQUIRED", "Key", "Sources"]


class _Required:
    """The default of a `Key`: the key must be written (unless its type admits None)."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED = _Required()


@dataclass(frozen=True)
class Key:
    """What a rule-table key allows beyond its type. Every part is optional."""

    # the values allowed (for a list: every item); a list must then name at least one
    one_of: tuple[str, ...] = ()
    # the value when the key is left out (a field with a dataclass default uses that instead)
    default: object = REQUIRED
    # bounds for a number (every item, for a list of numbers)
    minimum: float | None = None  # value >= minimum
    above: float | None = None  # value > above ("positive" is above=0)
    maximum: float | None = None  # value <= maximum
    # a list that must not be empty
    non_empty: bool = False
    # what the text names: "source" (an id of a [[source]] row: a list of them must cite at least
    # one), "drug" (a name in drugs.toml) or "class" (a drug class of drugs.toml)
    refers_to: str | None = None
    # the key's name in the table where it differs from the field's (`[[drug.schedule]]` rows
    # fill `DrugDoseTable.schedules`)
    toml: str | None = None
    # a field its loader composes, not read from one key: the keys that write it (e.g. a hard
    # limit's edge and value are written as one of below/upto/from/above = number) and how
    written_as: tuple[str, ...] = ()
    # not a key of the table: its loader gives the value (the array a row is in, its order)
    given: bool = False
    # a record field whose keys are written in the row itself (every cited row's id, rule,
    # sources and verified fill its `cited: Cited`)
    flatten: bool = False
    # for the pharmacist's reference: what the key means, where the type does not say
    doc: str = ""

    @property
    def composed(self) -> bool:
        return bool(self.written_as) or self.given


# The `sources` key of every cited row: ids of [[source]] rows, at least one.
Sources = Annotated[tuple[str, ...], Key(refers_to="source")]
