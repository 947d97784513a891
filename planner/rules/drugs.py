"""Reading resources/rules/drugs.toml: the drug catalogue and the allergy words of its classes.

    [meta]        table = "drugs", version, reviewed_on
    [[drug]]      an anticancer drug: name, classes, sources, synonyms?
    [[medicine]]  a drug she may take now, never a prior anticancer therapy (same keys)
    [[class]]     id, names (how an allergy to the class is written), sources

Every name and synonym is lower case and unique across the catalogue and the class words.
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


LAYOUT = Layout(
    TABLE,
    {"drug": DrugRow, "medicine": DrugRow, "class": AllergyClass},
    required=("drug",),
    table="drugs",
    doc="The drug catalogue: anticancer drugs (`[[drug]]`), medicines she may take now "
    "(`[[medicine]]`) and how an allergy to a drug class is written (`[[class]]`).",
)


def load_drugs(
    documents: Mapping[str, dict[str, Any]], sources: Mapping[str, Any]
) -> tuple[Mapping[str, Drug], Mapping[str, str]]:
    """The catalogue by name, and {allergy words: class id}."""
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
    return MappingProxyType(drugs), _allergy_classes(reader, document, drugs)


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
