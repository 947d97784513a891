"""Reading resources/rules/drugs.toml: the drug catalogue and the allergy words of its classes.

    [meta]        table = "drugs", version, reviewed_on
    [[drug]]      an anticancer drug: name, classes, sources, synonyms?
    [[medicine]]  a drug she may take now, never a prior anticancer therapy (same keys)
    [[class]]     id, names (how an allergy to the class is written), sources
    [[excipient]] id, names (how an allergy to it is written), drugs (catalogue drugs formulated
                  with it, as their labels' description says), sources

Every name and synonym is lower case and unique across the catalogue, the class words and the
excipient words.

resources/rules/drug_names.toml holds the other ways a catalogue drug is written, each row with
its sources (recheck21: "Phesgo", "letrozol", "паклитаксел" were read as nothing):

    [meta]          table = "drug_names", version, reviewed_on
    [[spelling]]    drug, names, sources: brands (US, EU, India, Russia) and the INN as the
                    clinics' languages spell it; joined into the drug's synonyms
    [[combination]] id, names, drugs, sources: a product of several catalogue drugs ("phesgo");
                    an allergy to it is an allergy to each of its drugs
    [[declension]]  id, language, endings, names, sources: the case endings a language puts on
                    these spellings ("паклитаксел" + "е": "на паклитакселе"; Uzbek "paklitaksel" +
                    "ga"); each form is read as the spelling's drug in an allergy line, and must
                    be no other spelling, class, excipient or product word (misc23)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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


@frozen_value
class Spelling:
    """Other ways a catalogue drug is written: its brands and its INN in the clinics' languages."""

    drug: Annotated[str, Key(refers_to="drug", doc="the catalogue drug they name")]
    names: Annotated[
        tuple[str, ...],
        Key(non_empty=True, doc="lower-case spellings, unique in the catalogue and this table"),
    ]
    sources: Sources


@frozen_value
class Combination:
    """A product of several catalogue drugs ("phesgo": pertuzumab and trastuzumab): an allergy
    to it is an allergy to each."""

    id: Annotated[str, Key(doc="the product's name as printed, lower case")]
    names: Annotated[tuple[str, ...], Key(non_empty=True, doc="lower-case words, unique")]
    drugs: Annotated[
        tuple[str, ...],
        Key(non_empty=True, refers_to="drug", doc="the catalogue drugs it contains"),
    ]
    sources: Sources


@frozen_value
class Declension:
    """The case endings a language puts on some spellings of the table: each spelling with each
    ending is read as the spelling's drug where an allergy is written (never offered on input:
    the medicine list suggests the spellings only)."""

    id: Annotated[str, Key(doc="unique in the table")]
    language: Annotated[str, Key(doc="the language (ru, uz): words only, it selects nothing")]
    endings: Annotated[
        tuple[str, ...], Key(non_empty=True, doc="lower-case endings joined to the last word")
    ]
    names: Annotated[
        tuple[str, ...],
        Key(non_empty=True, doc="spellings of catalogue drugs (drugs.toml or [[spelling]])"),
    ]
    sources: Sources


NAMES_TABLE = "drug_names.toml"
NAMES_LAYOUT = Layout(
    NAMES_TABLE,
    {"spelling": Spelling, "combination": Combination, "declension": Declension},
    table="drug_names",
    source_prefix="names.src.",
    doc="Other ways a catalogue drug is written (`[[spelling]]`: brands, the INN in the clinics' "
    "languages; accepted wherever a drug name is read) and products of several catalogue drugs "
    "(`[[combination]]`: an allergy to one is an allergy to each of its drugs).",
)

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
    """The catalogue by name (with the spellings of drug_names.toml among each drug's
    synonyms), {allergy words: class id} and the excipients."""
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
    for i, row in enumerate(rows(documents.get(NAMES_TABLE, {}), "spelling", NAMES_TABLE)):
        where = f"{NAMES_TABLE} spelling[{i}]"
        found = TableReader(sources, drugs).row(Spelling, row, where)
        for spelling in found.names:
            if spelling != spelling.lower().strip() or spelling in spellings:
                raise RulesError(f"{where}: {spelling!r} is not a unique lower-case name")
            spellings.add(spelling)
        drug = drugs[found.drug]
        drugs[found.drug] = replace(drug, synonyms=(*drug.synonyms, *found.names))
    classes = _allergy_classes(reader, document, drugs)
    return MappingProxyType(drugs), classes, _excipients(reader, document, drugs, classes)


def load_combinations(
    documents: Mapping[str, dict[str, Any]],
    sources: Mapping[str, Any],
    drugs: Mapping[str, Drug],
    taken: Iterable[str],
) -> tuple[Combination, ...]:
    """The combination products of drug_names.toml; `taken`: every other word an allergy may be
    written in (a product's names may be none of them)."""
    document = documents.get(NAMES_TABLE)
    if document is None:
        raise RulesError(f"missing rule table {NAMES_TABLE}")
    check_document(NAMES_LAYOUT, NAMES_TABLE, document)
    used = set(taken)
    out: list[Combination] = []
    for i, row in enumerate(rows(document, "combination", NAMES_TABLE)):
        where = f"{NAMES_TABLE} combination[{i}]"
        found = TableReader(sources, drugs).row(Combination, row, where)
        if len(set(found.drugs)) < 2:
            raise RulesError(f"{where}.drugs: a combination names two drugs or more")
        for name in found.names:
            if name != name.lower().strip() or name in used:
                raise RulesError(f"{where}: {name!r} is not a unique lower-case name")
            used.add(name)
        if found.id in {c.id for c in out}:
            raise RulesError(f"{where}: id {found.id!r} is defined twice")
        out.append(found)
    return tuple(out)


def load_inflections(
    documents: Mapping[str, dict[str, Any]],
    sources: Mapping[str, Any],
    drugs: Mapping[str, Drug],
    taken: Iterable[str],
) -> Mapping[str, str]:
    """Every inflected form of drug_names.toml's [[declension]] rows -> the drug it names.
    `taken`: every other word an allergy may be written in. A form that is one of them, or a
    form of two drugs, is refused with both named: a stem is unambiguous across all drugs."""
    document = documents.get(NAMES_TABLE, {})
    spelled = {s: name for name, d in drugs.items() for s in (name, *d.synonyms)}
    used = set(taken)
    out: dict[str, str] = {}
    ids: set[str] = set()
    for i, row in enumerate(rows(document, "declension", NAMES_TABLE)):
        where = f"{NAMES_TABLE} declension[{i}]"
        found = TableReader(sources, drugs).row(Declension, row, where)
        if found.id in ids:
            raise RulesError(f"{where}: id {found.id!r} is defined twice")
        ids.add(found.id)
        for ending in found.endings:
            if ending != ending.lower().strip() or not ending.isalpha():
                raise RulesError(f"{where}.endings: {ending!r} is not a lower-case ending")
        for name in found.names:
            drug = spelled.get(name)
            if drug is None:
                raise RulesError(f"{where}.names: {name!r} is no spelling of a catalogue drug")
            if not name[-1:].isalpha():
                raise RulesError(f"{where}.names: {name!r} does not end in a letter")
            for ending in found.endings:
                form = name + ending
                other = out.get(form)
                if form in used or (other is not None and other != drug):
                    named = other or spelled.get(form, "a class, excipient or product word")
                    raise RulesError(f"{where}: {form!r} ({drug}) is already a spelling of {named}")
                out[form] = drug
    return MappingProxyType(out)


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
