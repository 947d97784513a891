"""Strict loading of resources/rules/interactions.toml into `InteractionTables`.

    [meta]          table = "interactions", version, reviewed_on
    [[source]]      id (prefix "ix."), title, reference, url (read by the loader)
    [[group]]       id, name, members, sources, verified
    [[remedy]]      id, name, words
    [[interaction]] id, rule, taken, with, action, effect, advice, sources, verified, either_way?
    [[caution]]     id, rule, taken, when, action, effect, advice, sources, verified
    [[ceiling]]     id, rule, drug, when, max_mg_per_day, text, sources, verified
    [[frequency]]   words, times_per_day | as_needed
    [[allergy]]     id, rule, text, sources, verified (exactly one)
    [[alert]]       code, level, message, sources, verified (one per code the domain raises)

A reference is a catalogue drug, "class:ID", "group:ID" or "remedy:ID"; unknown references,
keys, actions, conditions and sources are errors naming the row. A message never names a dose:
the plan gives none for the drug it is about, and nothing printed shows a dose the plan does not
give (a number followed by a dose unit is refused).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from planner.domain import medicine_tables as t
from planner.domain.supportive_tables import ALERT_LEVELS
from planner.rules.strict import (
    RulesError,
    flag,
    keys,
    number,
    rows,
    sources_resolve,
    text,
    texts,
)

TABLE = "interactions.toml"
_CITED = {"id", "rule", "sources", "verified"}
_DOSE_IN_TEXT = re.compile(r"\d\s*(mg|mcg|µg|g|ml|units?)\b", re.IGNORECASE)


def load_interactions(
    documents: Mapping[str, dict[str, Any]],
    sources: Mapping[str, Any],
    drugs: Mapping[str, Any],
) -> t.InteractionTables:
    if TABLE not in documents:
        raise RulesError(f"missing rule table {TABLE}")
    document = documents[TABLE]
    keys(
        document,
        {"meta", "allergy", "alert"},
        {"source", "group", "remedy", "interaction", "caution", "ceiling", "frequency"},
        TABLE,
    )
    meta = document["meta"]
    keys(meta, {"table", "version", "reviewed_on"}, set(), f"{TABLE} [meta]")
    if meta["table"] != "interactions":
        raise RulesError(f'{TABLE} [meta]: table must be "interactions"')
    for i, row in enumerate(rows(document, "source", TABLE)):
        if not str(row.get("id", "")).startswith("ix."):
            raise RulesError(f"{TABLE} source[{i}]: ids in this table start with 'ix.'")

    class_members: dict[str, set[str]] = {}
    for name, drug in drugs.items():
        for cls in drug.classes:
            class_members.setdefault(cls, set()).add(name)

    remedies: dict[str, t.Remedy] = {}
    for i, row in enumerate(rows(document, "remedy", TABLE)):
        where = f"{TABLE} remedy[{i}]"
        keys(row, {"id", "name", "words"}, set(), where)
        words = texts(row, "words", where)
        if not words or any(w != w.lower().strip() or not w for w in words):
            raise RulesError(f"{where}.words: lower-case phrases are needed")
        remedy = t.Remedy(text(row, "id", where), text(row, "name", where), words)
        if remedy.id in remedies:
            raise RulesError(f"{where}: id {remedy.id!r} is defined twice")
        remedies[remedy.id] = remedy

    groups: dict[str, t.Group] = {}
    for i, row in enumerate(rows(document, "group", TABLE)):
        where = f"{TABLE} group[{i}]"
        keys(row, {"id", "name", "members", "sources", "verified"}, set(), where)
        sources_resolve(texts(row, "sources", where), sources, where)
        flag(row, "verified", where)
        found_drugs, found_remedies = _resolve(
            texts(row, "members", where), f"{where}.members", drugs, class_members, {}, remedies
        )
        group = t.Group(
            text(row, "id", where), text(row, "name", where), found_drugs, found_remedies
        )
        if group.id in groups:
            raise RulesError(f"{where}: id {group.id!r} is defined twice")
        groups[group.id] = group

    seen: set[str] = set()

    def cited(row: Mapping[str, Any], where: str) -> t.Cited:
        cited_sources = texts(row, "sources", where)
        sources_resolve(cited_sources, sources, where)
        row_id = text(row, "id", where)
        if not row_id.startswith("ix.") or row_id in seen:
            raise RulesError(f"{where}: id {row_id!r} must start with 'ix.' and be unique")
        seen.add(row_id)
        return t.Cited(
            row_id, text(row, "rule", where), cited_sources, flag(row, "verified", where)
        )

    def words(row: Mapping[str, Any], key: str, where: str) -> str:
        value = text(row, key, where)
        if _DOSE_IN_TEXT.search(value):
            raise RulesError(f"{where}.{key}: names a dose; the plan gives none for this drug")
        return value

    interactions = []
    for i, row in enumerate(rows(document, "interaction", TABLE)):
        where = f"{TABLE} interaction[{i}]"
        keys(row, _CITED | {"taken", "with", "action", "effect", "advice"}, {"either_way"}, where)
        taken = texts(row, "taken", where)
        taken_drugs, taken_remedies = _resolve(
            taken, f"{where}.taken", drugs, class_members, groups, remedies
        )
        with_drugs, with_remedies = _resolve(
            texts(row, "with", where), f"{where}.with", drugs, class_members, groups, remedies
        )
        if with_remedies or not with_drugs or not (taken_drugs or taken_remedies):
            raise RulesError(f"{where}: `taken` and `with` must each name drugs (`with` no remedy)")
        interactions.append(
            t.InteractionRule(
                cited=cited(row, where),
                taken_drugs=taken_drugs,
                taken_remedies=taken_remedies,
                with_drugs=with_drugs,
                action=_one_of(row, "action", t.ACTIONS, where),
                effect=words(row, "effect", where),
                advice=words(row, "advice", where),
                either_way=flag(row, "either_way", where) if "either_way" in row else False,
                taken_words=", ".join(
                    groups[r.removeprefix("group:")].name for r in taken if r.startswith("group:")
                ),
            )
        )

    cautions = []
    for i, row in enumerate(rows(document, "caution", TABLE)):
        where = f"{TABLE} caution[{i}]"
        keys(row, _CITED | {"taken", "when", "action", "effect", "advice"}, set(), where)
        taken_drugs, taken_remedies = _resolve(
            texts(row, "taken", where), f"{where}.taken", drugs, class_members, groups, remedies
        )
        cautions.append(
            t.CautionRule(
                cited=cited(row, where),
                taken_drugs=taken_drugs,
                taken_remedies=taken_remedies,
                when=_one_of(row, "when", t.CAUTION_WHEN, where),
                action=_one_of(row, "action", t.ACTIONS, where),
                effect=words(row, "effect", where),
                advice=words(row, "advice", where),
            )
        )

    ceilings = []
    for i, row in enumerate(rows(document, "ceiling", TABLE)):
        where = f"{TABLE} ceiling[{i}]"
        keys(row, _CITED | {"drug", "when", "max_mg_per_day", "text"}, set(), where)
        drug = text(row, "drug", where)
        if drug not in drugs:
            raise RulesError(f"{where}.drug: {drug!r} is not in drugs.toml")
        most = number(row, "max_mg_per_day", where)
        if most <= 0:
            raise RulesError(f"{where}.max_mg_per_day: must be positive")
        ceilings.append(
            t.Ceiling(
                cited=cited(row, where),
                drug=drug,
                when=_one_of(row, "when", t.CEILING_WHEN, where),
                max_mg_per_day=most,
                text=text(row, "text", where),
            )
        )

    frequencies = []
    spelled: set[str] = set()
    for i, row in enumerate(rows(document, "frequency", TABLE)):
        where = f"{TABLE} frequency[{i}]"
        keys(row, {"words"}, {"times_per_day", "as_needed"}, where)
        if ("times_per_day" in row) == ("as_needed" in row):
            raise RulesError(f"{where}: give exactly one of times_per_day, as_needed")
        times = None
        if "times_per_day" in row:
            times = number(row, "times_per_day", where)
            if times < 1 or not times.is_integer():
                raise RulesError(f"{where}.times_per_day: must be a whole number from 1")
        elif not flag(row, "as_needed", where):
            raise RulesError(f"{where}.as_needed: must be true when given")
        phrases = texts(row, "words", where)
        for phrase in phrases:
            if phrase != phrase.lower().strip() or phrase in spelled:
                raise RulesError(f"{where}.words: {phrase!r} is not a unique lower-case phrase")
            spelled.add(phrase)
        frequencies.append(t.Frequency(frozenset(phrases), None if times is None else int(times)))

    allergy_rows = rows(document, "allergy", TABLE)
    if len(allergy_rows) != 1:
        raise RulesError(f"{TABLE}: exactly one [[allergy]] is needed")
    where = f"{TABLE} allergy[0]"
    keys(allergy_rows[0], _CITED | {"text"}, set(), where)
    allergy = t.AllergyRule(cited(allergy_rows[0], where), text(allergy_rows[0], "text", where))

    alerts: dict[str, t.AlertText] = {}
    for i, row in enumerate(rows(document, "alert", TABLE)):
        where = f"{TABLE} alert[{i}]"
        keys(row, {"code", "level", "message", "sources", "verified"}, set(), where)
        code = _one_of(row, "code", t.ALERT_CODES, where)
        if code in alerts:
            raise RulesError(f"{where}: alert {code!r} is defined twice")
        cited_sources = texts(row, "sources", where)
        sources_resolve(cited_sources, sources, where)
        alerts[code] = t.AlertText(
            code=code,
            level=_one_of(row, "level", ALERT_LEVELS, where),
            message=text(row, "message", where),
            cited=t.Cited(f"ix.alert.{code}", code, cited_sources, flag(row, "verified", where)),
        )
    missing = sorted(set(t.ALERT_CODES) - set(alerts))
    if missing:
        raise RulesError(f"{TABLE}: no [[alert]] for {', '.join(missing)}")
    if alerts["drug_allergy"].level != "critical":
        raise RulesError(f"{TABLE}: drug_allergy is a critical alert (contract §2a)")

    return t.InteractionTables(
        version=str(meta["version"]),
        groups=MappingProxyType(groups),
        remedies=tuple(remedies.values()),
        interactions=tuple(interactions),
        cautions=tuple(cautions),
        ceilings=tuple(ceilings),
        frequencies=tuple(frequencies),
        allergy=allergy,
        alerts=MappingProxyType(alerts),
        drug_classes=MappingProxyType({n: frozenset(d.classes) for n, d in drugs.items()}),
    )


def _one_of(row: Mapping[str, Any], key: str, allowed: tuple[str, ...], where: str) -> str:
    value = text(row, key, where)
    if value not in allowed:
        raise RulesError(f"{where}.{key}: {value!r} is not one of {', '.join(allowed)}")
    return value


def _resolve(
    references: tuple[str, ...],
    where: str,
    drugs: Mapping[str, Any],
    class_members: Mapping[str, set[str]],
    groups: Mapping[str, t.Group],
    remedies: Mapping[str, t.Remedy],
) -> tuple[frozenset[str], frozenset[str]]:
    """(drug names, remedy ids) a list of references stands for."""
    found_drugs: set[str] = set()
    found_remedies: set[str] = set()
    for reference in references:
        kind, _, name = reference.partition(":") if ":" in reference else ("", "", reference)
        if kind == "" and name in drugs:
            found_drugs.add(name)
        elif kind == "class" and name in class_members:
            found_drugs |= class_members[name]
        elif kind == "group" and name in groups:
            found_drugs |= groups[name].drugs
            found_remedies |= groups[name].remedies
        elif kind == "remedy" and name in remedies:
            found_remedies.add(name)
        else:
            raise RulesError(f"{where}: {reference!r} is not a known drug, class, group or remedy")
    return frozenset(found_drugs), frozenset(found_remedies)
