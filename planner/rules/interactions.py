"""Strict loading of resources/rules/interactions.toml into `InteractionTables`.

    [meta]          table = "interactions", version, reviewed_on
    [[source]]      id (prefix "ix."), title, reference, url (read by the loader)
    [[group]]       id, name, members, sources, verified
    [[remedy]]      id, name, words
    [[stop_first]]  id, rule, remedy, text, sources, verified: a remedy or food she can stop
                    before a cancer drug starts, and how (rx24 F5)
    [[interaction]] id, rule, taken, with, action, effect, advice, sources, verified, either_way?
    [[caution]]     id, rule, taken, when, action, effect, advice, sources, verified
    [[ceiling]]     id, rule, drug, when, max_mg_per_day, text, sources, verified
    [[frequency]]   words, times_per_day | as_needed
    [[allergy]]     id, rule, text, sources, verified (exactly one)
    [[cross_reactive]] id, rule, classes, name, text, sources, verified (an allergy to one drug
                    of such a class is read as an allergy to the class)
    [[related_allergy]] id, rule, allergy, drugs, status, name, text, sources, verified (an
                    allergy to `allergy` reaches `drugs`: they contain it, or cross-sensitivity
                    is reported; status not_recommended | caution)
    [[shared_excipient]] id, rule, excipient, drugs, between_drugs, status, text, sources,
                    verified (an allergy to the excipient reaches `drugs`, formulated with it;
                    with between_drugs an allergy to one of them reaches the others too): read
                    into [[related_allergy]] relations, one per allergy
    [[alert]]       code, level, message, sources, verified (one per code the domain raises)
    [[interaction_dose]] id, rule, drug, taken, except?, change (dose | hold | avoid | note),
                    from_doses?, dose?, unit?, label_option?, text, after, sources, verified: the
                    label's own dose of a cancer drug while she takes a medicine of `taken` (the
                    one row kind whose words may name a dose: the dose the plan then gives, or
                    in `label_option` the label's titration if the combination must be given)

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
from planner.rules.errors import RulesError
from planner.rules.reader import Layout, TableReader, check_document, rows

TABLE = "interactions.toml"
_DOSE_IN_TEXT = re.compile(r"\d\s*(mg|mcg|µg|g|ml|units?)\b", re.IGNORECASE)
LAYOUT = Layout(
    TABLE,
    {
        "group": t.Group,
        "remedy": t.Remedy,
        "stop_first": t.StopFirst,
        "interaction": t.InteractionRule,
        "caution": t.CautionRule,
        "ceiling": t.Ceiling,
        "frequency": t.Frequency,
        "allergy": t.AllergyRule,
        "cross_reactive": t.CrossReactiveClass,
        "related_allergy": t.RelatedAllergy,
        "shared_excipient": t.SharedExcipient,
        "alert": t.AlertText,
        "interaction_dose": t.InteractionDose,
    },
    required=("allergy", "alert"),
    table="interactions",
    source_prefix="ix.",
    doc="What she takes now against what the plan offers: interactions, cautions, daily "
    "ceilings, how often a medicine is taken, the allergy rule (exactly one [[allergy]]) and "
    "the words of the alerts (one [[alert]] per code).",
)


def load_interactions(
    documents: Mapping[str, dict[str, Any]],
    sources: Mapping[str, Any],
    drugs: Mapping[str, Any],
    formulated: Mapping[str, frozenset[str]],
) -> t.InteractionTables:
    """The table, checked against the catalogue: `drugs` by name and `formulated`, each
    excipient of drugs.toml -> the catalogue drugs formulated with it."""
    if TABLE not in documents:
        raise RulesError(f"missing rule table {TABLE}")
    document = documents[TABLE]
    check_document(LAYOUT, TABLE, document)
    reader = TableReader(sources, drugs)

    class_members: dict[str, set[str]] = {}
    for name, drug in drugs.items():
        for cls in drug.classes:
            class_members.setdefault(cls, set()).add(name)

    remedies: dict[str, t.Remedy] = {}
    for i, row in enumerate(rows(document, "remedy", TABLE)):
        where = f"{TABLE} remedy[{i}]"
        remedy = reader.row(t.Remedy, row, where)
        if any(w != w.lower().strip() or not w for w in remedy.words):
            raise RulesError(f"{where}.words: lower-case phrases are needed")
        if remedy.id in remedies:
            raise RulesError(f"{where}: id {remedy.id!r} is defined twice")
        remedies[remedy.id] = remedy

    def resolve(
        row: Mapping[str, Any], key: str, where: str, known_groups: Mapping[str, t.Group]
    ) -> tuple[frozenset[str], frozenset[str]]:
        value = row.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RulesError(f"{where}.{key}: {value!r} is not a list of text")
        return _resolve(
            tuple(value), f"{where}.{key}", drugs, class_members, known_groups, remedies
        )

    groups: dict[str, t.Group] = {}
    for i, row in enumerate(rows(document, "group", TABLE)):
        where = f"{TABLE} group[{i}]"
        members = resolve(row, "members", where, {})
        group = reader.row(t.Group, row, where, drugs=members[0], remedies=members[1])
        if group.id in groups:
            raise RulesError(f"{where}: id {group.id!r} is defined twice")
        groups[group.id] = group

    seen: set[str] = set()

    def checked(cited: t.Cited, where: str) -> None:
        if not cited.id.startswith("ix.") or cited.id in seen:
            raise RulesError(f"{where}: id {cited.id!r} must start with 'ix.' and be unique")
        seen.add(cited.id)

    def no_dose(where: str, **said: str) -> None:
        for key, value in said.items():
            if _DOSE_IN_TEXT.search(value):
                raise RulesError(f"{where}.{key}: names a dose; the plan gives none for this drug")

    stop_first: dict[str, t.StopFirst] = {}
    for i, row in enumerate(rows(document, "stop_first", TABLE)):
        where = f"{TABLE} stop_first[{i}]"
        stop = reader.row(t.StopFirst, row, where)
        checked(stop.cited, where)
        no_dose(where, text=stop.text)
        if stop.remedy not in remedies or stop.remedy in stop_first:
            raise RulesError(f"{where}.remedy: {stop.remedy!r} is no [[remedy]] id, or twice")
        stop_first[stop.remedy] = stop

    interactions = []
    for i, row in enumerate(rows(document, "interaction", TABLE)):
        where = f"{TABLE} interaction[{i}]"
        taken_drugs, taken_remedies = resolve(row, "taken", where, groups)
        with_drugs, with_remedies = resolve(row, "with", where, groups)
        if with_remedies or not with_drugs or not (taken_drugs or taken_remedies):
            raise RulesError(f"{where}: `taken` and `with` must each name drugs (`with` no remedy)")
        rule = reader.row(
            t.InteractionRule,
            row,
            where,
            taken_drugs=taken_drugs,
            taken_remedies=taken_remedies,
            with_drugs=with_drugs,
            taken_words=", ".join(
                groups[r.removeprefix("group:")].name
                for r in row["taken"]
                if r.startswith("group:")
            ),
        )
        checked(rule.cited, where)
        no_dose(where, effect=rule.effect, advice=rule.advice, what_to_do=rule.what_to_do)
        if rule.either_way and not rule.what_to_do.strip():
            raise RulesError(f"{where}.what_to_do: is required with either_way (a supportive flag)")
        interactions.append(rule)

    cautions = []
    for i, row in enumerate(rows(document, "caution", TABLE)):
        where = f"{TABLE} caution[{i}]"
        taken_drugs, taken_remedies = resolve(row, "taken", where, groups)
        caution = reader.row(
            t.CautionRule, row, where, taken_drugs=taken_drugs, taken_remedies=taken_remedies
        )
        checked(caution.cited, where)
        no_dose(where, effect=caution.effect, advice=caution.advice)
        cautions.append(caution)

    ceilings = []
    for i, row in enumerate(rows(document, "ceiling", TABLE)):
        where = f"{TABLE} ceiling[{i}]"
        ceiling = reader.row(t.Ceiling, row, where)
        checked(ceiling.cited, where)
        ceilings.append(ceiling)

    frequencies = []
    spelled: set[str] = set()
    for i, row in enumerate(rows(document, "frequency", TABLE)):
        where = f"{TABLE} frequency[{i}]"
        frequency = reader.row(t.Frequency, row, where, times_per_day=_times(row, where))
        for phrase in sorted(frequency.words):
            if phrase != phrase.lower().strip() or phrase in spelled:
                raise RulesError(f"{where}.words: {phrase!r} is not a unique lower-case phrase")
            spelled.add(phrase)
        frequencies.append(frequency)

    allergy_rows = rows(document, "allergy", TABLE)
    if len(allergy_rows) != 1:
        raise RulesError(f"{TABLE}: exactly one [[allergy]] is needed")
    allergy = reader.row(t.AllergyRule, allergy_rows[0], f"{TABLE} allergy[0]")
    checked(allergy.cited, f"{TABLE} allergy[0]")

    cross_reactive = []
    for i, row in enumerate(rows(document, "cross_reactive", TABLE)):
        where = f"{TABLE} cross_reactive[{i}]"
        cross = reader.row(t.CrossReactiveClass, row, where)
        checked(cross.cited, where)
        no_dose(where, text=cross.text)
        for cls in cross.classes:
            if cls not in class_members:
                raise RulesError(f"{where}.classes: {cls!r} is not a class of any catalogue drug")
        cross_reactive.append(cross)

    related = []
    for i, row in enumerate(rows(document, "related_allergy", TABLE)):
        where = f"{TABLE} related_allergy[{i}]"
        relation = reader.row(t.RelatedAllergy, row, where)
        checked(relation.cited, where)
        no_dose(where, text=relation.text)
        for drug in (relation.allergy, *relation.drugs):
            if drug not in drugs:
                raise RulesError(f"{where}: {drug!r} is not a catalogue drug")
        if relation.allergy in relation.drugs:
            raise RulesError(f"{where}.drugs: {relation.allergy!r} is the allergy itself")
        related.append(relation)
    for i, row in enumerate(rows(document, "shared_excipient", TABLE)):
        where = f"{TABLE} shared_excipient[{i}]"
        shared = reader.row(t.SharedExcipient, row, where)
        checked(shared.cited, where)
        no_dose(where, text=shared.text)
        if shared.excipient not in formulated:
            raise RulesError(f"{where}.excipient: {shared.excipient!r} is no [[excipient]] id")
        outside = [d for d in shared.drugs if d not in formulated[shared.excipient]]
        if outside:
            raise RulesError(
                f"{where}.drugs: {outside} are not formulated with {shared.excipient} (drugs.toml)"
            )
        related.extend(_excipient_relations(shared))

    alerts: dict[str, t.AlertText] = {}
    for i, row in enumerate(rows(document, "alert", TABLE)):
        where = f"{TABLE} alert[{i}]"
        code = row.get("code")
        cited = reader.row(
            t.Cited,
            {
                "id": f"ix.alert.{code}",
                "rule": str(code),
                **{k: row[k] for k in ("sources", "verified") if k in row},
            },
            where,
        )
        alert = reader.row(t.AlertText, row, where, cited=cited)
        if alert.code in alerts:
            raise RulesError(f"{where}: alert {alert.code!r} is defined twice")
        alerts[alert.code] = alert
    missing = sorted(set(t.ALERT_CODES) - set(alerts))
    if missing:
        raise RulesError(f"{TABLE}: no [[alert]] for {', '.join(missing)}")
    if alerts["drug_allergy"].level != "critical":
        raise RulesError(f"{TABLE}: drug_allergy is a critical alert (contract §2a)")

    interaction_doses = []
    for i, row in enumerate(rows(document, "interaction_dose", TABLE)):
        where = f"{TABLE} interaction_dose[{i}]"
        taken_drugs, taken_remedies = resolve(row, "taken", where, groups)
        left_drugs, left_remedies = (
            resolve(row, "except", where, groups) if "except" in row else (frozenset(), frozenset())
        )
        change = reader.row(
            t.InteractionDose,
            row,
            where,
            taken_drugs=taken_drugs - left_drugs,
            taken_remedies=taken_remedies - left_remedies,
            taken_words=", ".join(
                groups[r.removeprefix("group:")].name
                for r in row["taken"]
                if r.startswith("group:")
            ),
        )
        checked(change.cited, where)
        if change.drug not in drugs:
            raise RulesError(f"{where}.drug: {change.drug!r} is not a catalogue drug")
        if change.change == "dose" and not (
            change.from_doses and change.dose is not None and change.unit
        ):
            raise RulesError(f"{where}: change = 'dose' needs from_doses, dose and unit")
        if change.change != "dose" and change.dose is not None:
            raise RulesError(f"{where}.dose: only a change = 'dose' row gives a dose")
        if change.label_option and (
            change.change != "avoid" or not (change.from_doses and change.unit)
        ):
            raise RulesError(
                f"{where}.label_option: only on a change = 'avoid' row, with the from_doses and "
                "unit it is written from"
            )
        if change.change not in ("dose", "avoid") and (change.from_doses or change.unit):
            raise RulesError(f"{where}: from_doses and unit belong to 'dose' or 'avoid' rows")
        if change.change == "avoid" and bool(change.from_doses) != bool(change.label_option):
            raise RulesError(f"{where}: an 'avoid' row's from_doses go with its label_option")
        if change.change != "dose" and _DOSE_IN_TEXT.search(change.text):
            raise RulesError(f"{where}.text: names a dose; the plan gives none for this drug")
        interaction_doses.append(change)

    return t.InteractionTables(
        version=str(document["meta"]["version"]),
        groups=MappingProxyType(groups),
        remedies=tuple(remedies.values()),
        interactions=tuple(interactions),
        cautions=tuple(cautions),
        ceilings=tuple(ceilings),
        frequencies=tuple(frequencies),
        allergy=allergy,
        alerts=MappingProxyType(alerts),
        drug_classes=MappingProxyType({n: frozenset(d.classes) for n, d in drugs.items()}),
        cross_reactive=tuple(cross_reactive),
        related_allergies=tuple(related),
        interaction_doses=tuple(interaction_doses),
        stop_first=MappingProxyType(stop_first),
    )


def _excipient_relations(shared: t.SharedExcipient) -> list[t.RelatedAllergy]:
    """An allergy to the excipient reaches every drug formulated with it ("docetaxel is
    formulated with polysorbate 80"); with `between_drugs`, an allergy to one of the drugs
    reaches the others ("docetaxel is formulated with polysorbate 80, as cabazitaxel is")."""
    said = f"is formulated with {shared.excipient}"

    def relation(allergy: str, drugs: tuple[str, ...], name: str) -> t.RelatedAllergy:
        return t.RelatedAllergy(shared.cited, allergy, drugs, shared.status, name, shared.text)

    out = [relation(shared.excipient, shared.drugs, said)]
    if shared.between_drugs:
        for drug in shared.drugs:
            others = tuple(d for d in shared.drugs if d != drug)
            if others:
                out.append(relation(drug, others, f"{said}, as {drug} is"))
    return out


def _times(row: Mapping[str, Any], where: str) -> int | None:
    """`times_per_day = N` (a whole number from 1) or `as_needed = true`: exactly one."""
    if ("times_per_day" in row) == ("as_needed" in row):
        raise RulesError(f"{where}: give exactly one of times_per_day, as_needed")
    if "as_needed" in row:
        if row["as_needed"] is not True:
            raise RulesError(f"{where}.as_needed: must be true when given")
        return None
    times = row["times_per_day"]
    if isinstance(times, bool) or not isinstance(times, int | float):
        raise RulesError(f"{where}.times_per_day: {times!r} is not a number")
    if times < 1 or not float(times).is_integer():
        raise RulesError(f"{where}.times_per_day: must be a whole number from 1")
    return int(times)


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
