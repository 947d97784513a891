"""Reading resources/rules/drugs.toml: the drug catalogue and the allergy words of its classes.

    [meta]        table = "drugs", version, reviewed_on
    [[drug]]      an anticancer drug: name, classes, sources, synonyms?
    [[medicine]]  a drug she may take now, never a prior anticancer therapy (same keys)
    [[class]]     id, names (how an allergy to the class is written), sources
    [[excipient]] id, names (how an allergy to it is written), drugs (catalogue drugs formulated
                  with it, as their labels' description says), sources

Every name and synonym is lower case and unique across the catalogue, the class words and the
excipient words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Annotated, Any

from planner.domain.frozen_value import frozen_value
from planner.domain.table_keys import Key, Sources
from planner.rules.errors import RulesError
from planner.rules.reader import Layout, TableReader, check_document, rows

TABLE = "drugs.toml"


@frozen_value
class Drug:
    name: str
    classes: frozenset[str]
    # False for a `[[medicine]]` row: a drug she may take now, never a prior anticancer therapy.
    anticancer: Annotated[bool, Key(given=True)] = True
    synonyms: Annotated[
        tuple[str, ...], Key(doc="other lower-case spellings, unique in the catalogue")
    ] = ()


@frozen_value
class DrugRow:
    """A `[[drug]]` or `[[medicine]]` row: the drug and the sources of its classes."""

    drug: Annotated[Drug, Key(flatten=True)]
    sources: Sources


@frozen_value
class AllergyClass:
    """How an allergy to a drug class is written ("taxanes") and the class it names."""

    id: Annotated[str, Key(doc="a class of some drug of the catalogue")]
    names: Annotated[tuple[str, ...], Key(non_empty=True, doc="lower-case words, unique")]
    sources: Sources


@frozen_value
class Excipient:
    """A solvent or excipient that drugs are formulated with and that an allergy may be recorded
    to ("polysorbate 80"; rx21 F3): how it is written, and the catalogue drugs that contain it."""

    id: Annotated[str, Key(doc="the excipient's name as printed, lower case")]
    names: Annotated[tuple[str, ...], Key(non_empty=True, doc="lower-case words, unique")]
    drugs: Annotated[
        tuple[str, ...],
        Key(non_empty=True, refers_to="drug", doc="catalogue drugs formulated with it"),
    ]
    sources: Sources


LAYOUT = Layout(
    TABLE,
    {"drug": DrugRow, "medicine": DrugRow, "class": AllergyClass, "excipient": Excipient},
    required=("drug",),
    table="drugs",
    doc="The drug catalogue: anticancer drugs (`[[drug]]`), medicines she may take now "
    "(`[[medicine]]`), how an allergy to a drug class is written (`[[class]]`) and the "
    "excipients drugs are formulated with (`[[excipient]]`).",
)


def load_drugs(
    documents: Mapping[str, dict[str, Any]], sources: Mapping[str, Any]
) -> tuple[Mapping[str, Drug], Mapping[str, str], tuple[Excipient, ...]]:
    """The catalogue by name, {allergy words: class id} and the excipients."""
    if TABLE not in documents:
        raise RulesError(f"missing rule table {TABLE}")
    document = documents[TABLE]
    check_document(LAYOUT, TABLE, document)
    reader = TableReader(sources)
    drugs: dict[str, Drug] = {}
    spellings: set[str] = set()
    for array, anticancer in (("drug", True), ("medicine", False)):
        for i, row in enumerate(rows(document, array, TABLE)):
            where = f"{TABLE} {array}[{i}]"
            given = replace(reader.row(DrugRow, row, where).drug, anticancer=anticancer)
            for spelling in (given.name, *given.synonyms):
                if spelling != spelling.lower().strip() or spelling in spellings:
                    raise RulesError(f"{where}: {spelling!r} is not a unique lower-case name")
                spellings.add(spelling)
            drugs[given.name] = given
    classes = _allergy_classes(reader, document, drugs)
    return MappingProxyType(drugs), classes, _excipients(reader, document, drugs, classes)


def _allergy_classes(
    reader: TableReader, document: Mapping[str, Any], drugs: Mapping[str, Drug]
) -> Mapping[str, str]:
    used = {cls for drug in drugs.values() for cls in drug.classes}
    out: dict[str, str] = {}
    for i, row in enumerate(rows(document, "class", TABLE)):
        where = f"{TABLE} class[{i}]"
        found = reader.row(AllergyClass, row, where)
        if found.id not in used:
            raise RulesError(f"{where}: {found.id!r} is the class of no drug")
        for name in found.names:
            if name != name.lower().strip() or name in out or name in drugs:
                raise RulesError(f"{where}: {name!r} is not a unique lower-case name")
            out[name] = found.id
    return MappingProxyType(out)


def _excipients(
    reader: TableReader,
    document: Mapping[str, Any],
    drugs: Mapping[str, Drug],
    classes: Mapping[str, str],
) -> tuple[Excipient, ...]:
    out: list[Excipient] = []
    words: set[str] = set()
    for i, row in enumerate(rows(document, "excipient", TABLE)):
        where = f"{TABLE} excipient[{i}]"
        found = reader.row(Excipient, row, where)
        for name in (found.id, *found.names):
            if name != name.lower().strip() or name in drugs or name in classes:
                raise RulesError(f"{where}: {name!r} is not a unique lower-case name")
        for name in found.names:
            if name in words:
                raise RulesError(f"{where}: {name!r} is not a unique lower-case name")
            words.add(name)
        if found.id in {e.id for e in out}:
            raise RulesError(f"{where}: id {found.id!r} is defined twice")
        out.append(found)
    return tuple(out)
