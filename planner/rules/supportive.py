"""Strict loading of resources/rules/supportive*.toml into `SupportiveTables`.

Files (top level of the rules directory, names starting with "supportive"):

    supportive.toml                [meta] (+ default_review_*), [[source]], [[setting]], [[disagreement]]
    supportive_interventions.toml  [meta], [[intervention]]
    supportive_referrals.toml      [meta], [[referral]], [[alert]], [[review]], [[monitoring]], [[interaction]]
    supportive_plan.toml           [meta], [[crcl_band]], [[drug_group]], [[medicine_check]]

Any table may hold any of these arrays; the loader merges them. Unknown keys, unknown facts,
problems, services, urgencies, alert codes and levels, settings that the code does not read (or
missing ones), dangling sources, disagreements, drugs and drug classes, unfilled or unused
`{placeholders}` and duplicate ids are errors naming the file and row.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from planner.domain import supportive_tables as t
from planner.rules.strict import (
    RulesError,
    flag,
    keys,
    number,
    pair,
    rows,
    sources_resolve,
    text,
    texts,
)

PREFIX = "supportive"
ID_PREFIX = "sup."
ARRAYS = {
    "source",
    "setting",
    "disagreement",
    "intervention",
    "referral",
    "alert",
    "review",
    "monitoring",
    "interaction",
    "crcl_band",
    "drug_group",
    "medicine_check",
}
_CITED = {"id", "rule", "sources", "verified"}
# Alerts the code emits itself (one per validator doubt) have no trigger fact.
CODE_DRIVEN_ALERTS = frozenset({"unit_or_range_doubt"})


def supportive_documents(documents: Mapping[str, dict[str, Any]]) -> list[str]:
    return sorted(n for n in documents if "/" not in n and n.startswith(PREFIX))


def load_supportive(
    documents: Mapping[str, dict[str, Any]],
    sources: Mapping[str, Any],
    drugs: Mapping[str, Any],
) -> t.SupportiveTables:
    """Read every top-level `supportive*.toml` (documents keyed by path relative to the rules dir)."""
    names = supportive_documents(documents)
    if "supportive.toml" not in names:
        raise RulesError("missing rule table supportive.toml")
    citations = {sid: s.cite() if hasattr(s, "cite") else sid for sid, s in sources.items()}
    seen_ids: set[str] = set()
    gathered: dict[str, list[tuple[str, Mapping[str, Any]]]] = {key: [] for key in ARRAYS}
    meta: dict[str, Any] = {}
    for name in names:
        document = documents[name]
        keys(document, {"meta"}, ARRAYS, name)
        head = document["meta"]
        optional = (
            {"default_review_days", "default_review_rule", "default_review_sources"}
            if name == "supportive.toml"
            else set()
        )
        keys(
            head,
            {"table", "version"} | ({"reviewed_on"} if optional else set()),
            optional,
            f"{name} [meta]",
        )
        if name == "supportive.toml":
            meta = head
        for array in ARRAYS:
            for i, row in enumerate(rows(document, array, name)):
                where = f"{name} {array}[{i}]"
                row_id = row.get("id")
                if not isinstance(row_id, str) or not row_id.startswith(ID_PREFIX):
                    raise RulesError(f"{where}: id must be text starting with {ID_PREFIX!r}")
                if array != "source":
                    if row_id in seen_ids:
                        raise RulesError(f"{where}: id {row_id!r} is defined twice")
                    seen_ids.add(row_id)
                gathered[array].append((where, row))

    class_members: dict[str, set[str]] = {}
    for drug_name, drug in drugs.items():
        for cls in drug.classes:
            class_members.setdefault(cls, set()).add(drug_name)
    drug_classes = MappingProxyType({n: frozenset(d.classes) for n, d in drugs.items()})

    settings = _settings(gathered["setting"], sources)
    disagreements = _disagreements(gathered["disagreement"], sources)
    interventions = tuple(
        _intervention(where, row, i, sources, settings, disagreements)
        for i, (where, row) in enumerate(gathered["intervention"])
    )
    supportive_drugs = {d for row in interventions for d in row.drugs}
    # Supportive drugs the interaction rows name (an antidepressant the plan may hold) are known
    # names for the drug groups too.
    interaction_names = {
        d
        for _, row in gathered["interaction"]
        for d in row.get("supportive", ())
        if isinstance(d, str)
    }
    if "default_review_days" not in meta:
        raise RulesError("supportive.toml [meta]: missing default_review_days")
    default_days = _days(meta, "default_review_days", "supportive.toml [meta]")
    sources_resolve(
        texts(meta, "default_review_sources", "supportive.toml [meta]"),
        sources,
        "supportive.toml [meta]",
    )
    return t.SupportiveTables(
        version=str(meta["version"]),
        citations=MappingProxyType(citations),
        settings=settings,
        disagreements=disagreements,
        interventions=interventions,
        referrals=tuple(_referral(w, r, sources) for w, r in gathered["referral"]),
        alerts=tuple(_alert(w, r, sources) for w, r in gathered["alert"]),
        reviews=tuple(_review(w, r, sources) for w, r in gathered["review"]),
        monitoring=tuple(
            _monitoring(w, r, sources, drugs, class_members, supportive_drugs)
            for w, r in gathered["monitoring"]
        ),
        interactions=tuple(
            _interaction(w, r, sources, drugs, class_members, supportive_drugs)
            for w, r in gathered["interaction"]
        ),
        crcl_bands=tuple(_crcl_band(w, r, sources) for w, r in gathered["crcl_band"]),
        drug_groups=tuple(
            _drug_group(w, r, sources, drugs, class_members, supportive_drugs | interaction_names)
            for w, r in gathered["drug_group"]
        ),
        medicine_checks=tuple(
            _medicine_check(w, r, sources, drugs, class_members)
            for w, r in gathered["medicine_check"]
        ),
        default_review_days=default_days,
        drug_classes=drug_classes,
    )


def _cited(where: str, row: Mapping[str, Any], sources: Mapping[str, Any]) -> dict[str, Any]:
    cited = texts(row, "sources", where)
    sources_resolve(cited, sources, where)
    return {
        "id": text(row, "id", where),
        "rule": text(row, "rule", where),
        "sources": cited,
        "verified": flag(row, "verified", where),
    }


def _facts(row: Mapping[str, Any], key: str, where: str) -> frozenset[str]:
    if key not in row:
        return frozenset()
    found = texts(row, key, where)
    unknown = sorted(set(found) - set(t.FACTS))
    if unknown:
        raise RulesError(f"{where}.{key}: unknown facts {unknown}")
    return frozenset(found)


def _one_of(row: Mapping[str, Any], key: str, allowed: tuple[str, ...], where: str) -> str:
    value = text(row, key, where)
    if value not in allowed:
        raise RulesError(f"{where}.{key}: {value!r} is not one of {', '.join(allowed)}")
    return value


def _days(row: Mapping[str, Any], key: str, where: str) -> int:
    value = number(row, key, where)
    if value < 0 or not value.is_integer():
        raise RulesError(f"{where}.{key}: {value:g} is not a whole number of days")
    return int(value)


def _settings(
    found: list[tuple[str, Mapping[str, Any]]], sources: Mapping[str, Any]
) -> Mapping[str, t.Setting]:
    out: dict[str, t.Setting] = {}
    for where, row in found:
        keys(row, _CITED | {"name", "kind", "default", "text"}, {"range", "options"}, where)
        name = text(row, "name", where)
        kind = _one_of(row, "kind", ("number", "choice"), where)
        expected = t.NUMBER_SETTINGS if kind == "number" else t.CHOICE_SETTINGS
        if name not in expected:
            raise RulesError(f"{where}: {name!r} is not a {kind} setting the code reads")
        if name in out:
            raise RulesError(f"{where}: setting {name!r} is defined twice")
        low = high = None
        options: tuple[str, ...] = ()
        if kind == "number":
            if "range" not in row or "options" in row:
                raise RulesError(f"{where}: a number setting has `range` and no `options`")
            low, high = pair(row, "range", where)
            value = number(row, "default", where)
            if not low <= value <= high:
                raise RulesError(f"{where}: default {value:g} is outside its range")
            default: float | str = value
        else:
            if "options" not in row or "range" in row:
                raise RulesError(f"{where}: a choice setting has `options` and no `range`")
            options = texts(row, "options", where)
            default = text(row, "default", where)
            if default not in options:
                raise RulesError(f"{where}: default {default!r} is not one of its options")
        out[name] = t.Setting(
            **_cited(where, row, sources),
            name=name,
            kind=kind,
            default=default,
            low=low,
            high=high,
            options=options,
            text=text(row, "text", where),
        )
    missing = sorted(set(t.NUMBER_SETTINGS + t.CHOICE_SETTINGS) - set(out))
    if missing:
        raise RulesError(f"supportive settings missing: {', '.join(missing)}")
    return MappingProxyType(out)


def _disagreements(
    found: list[tuple[str, Mapping[str, Any]]], sources: Mapping[str, Any]
) -> Mapping[str, t.Disagreement]:
    out: dict[str, t.Disagreement] = {}
    for where, row in found:
        keys(row, {"id", "topic", "reference", "behaviour", "positions"}, set(), where)
        positions = []
        for j, position in enumerate(rows(row, "positions", where)):
            pwhere = f"{where}.positions[{j}]"
            keys(position, {"text", "sources", "verified"}, set(), pwhere)
            cited = texts(position, "sources", pwhere)
            sources_resolve(cited, sources, pwhere)
            positions.append(
                t.Position(
                    text(position, "text", pwhere), cited, flag(position, "verified", pwhere)
                )
            )
        if len(positions) < 2:
            raise RulesError(f"{where}: a disagreement needs at least two positions")
        out[text(row, "id", where)] = t.Disagreement(
            id=text(row, "id", where),
            topic=text(row, "topic", where),
            reference=text(row, "reference", where),
            positions=tuple(positions),
            behaviour=text(row, "behaviour", where),
        )
    return MappingProxyType(out)


def _fill(template: str, values: Mapping[str, Any], where: str, used: set[str]) -> str:
    names = {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}
    missing = sorted(names - set(values))
    if missing:
        raise RulesError(f"{where}: placeholders {missing} have no value")
    used |= names
    shown = {key: _shown(value) for key, value in values.items()}
    return template.format_map(shown)


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        raise RulesError(f"value {value!r} is not a number or text")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _intervention(
    where: str,
    row: Mapping[str, Any],
    order: int,
    sources: Mapping[str, Any],
    settings: Mapping[str, t.Setting],
    disagreements: Mapping[str, t.Disagreement],
) -> t.Intervention:
    keys(
        row,
        _CITED | {"problem", "severities", "text", "patient_text"},
        {"requires", "unless", "any_of", "choice", "values", "drugs", "disagreement"},
        where,
    )
    problem = _one_of(row, "problem", t.PROBLEMS, where)
    severities = texts(row, "severities", where)
    if not severities or not set(severities) <= set(t.SEVERITIES):
        raise RulesError(f"{where}.severities: {list(severities)} are not among {t.SEVERITIES}")
    choice = None
    if "choice" in row:
        pair_ = texts(row, "choice", where)
        if len(pair_) != 2 or pair_[0] not in settings or settings[pair_[0]].kind != "choice":
            raise RulesError(f"{where}.choice: {list(pair_)} is not [choice setting, option]")
        if pair_[1] not in settings[pair_[0]].options:
            raise RulesError(f"{where}.choice: {pair_[1]!r} is not an option of {pair_[0]}")
        choice = (pair_[0], pair_[1])
    disagreement = row.get("disagreement")
    if disagreement is not None and disagreement not in disagreements:
        raise RulesError(f"{where}.disagreement: {disagreement!r} is not defined")
    values = row.get("values", {})
    if not isinstance(values, dict):
        raise RulesError(f"{where}.values must be a table")
    used: set[str] = set()
    clinician = _fill(text(row, "text", where), values, f"{where}.text", used)
    patient = _fill(text(row, "patient_text", where), values, f"{where}.patient_text", used)
    unused = sorted(set(values) - used)
    if unused:
        raise RulesError(f"{where}.values: {unused} are never used")
    if not patient.strip() or not clinician.strip():
        raise RulesError(f"{where}: text and patient_text must not be empty")
    unless = _facts(row, "unless", where)
    requires = _facts(row, "requires", where)
    any_of = _facts(row, "any_of", where)
    if (requires | any_of) & unless:
        raise RulesError(f"{where}: a fact is both required and excluded")
    return t.Intervention(
        **_cited(where, row, sources),
        problem=problem,
        severities=frozenset(severities),
        requires=requires,
        any_of=any_of,
        unless=unless,
        choice=choice,
        text=clinician,
        patient_text=patient,
        drugs=texts(row, "drugs", where) if "drugs" in row else (),
        disagreement=disagreement,
        order=order,
    )


def _referral(where: str, row: Mapping[str, Any], sources: Mapping[str, Any]) -> t.ReferralRule:
    keys(row, _CITED | {"when", "service", "urgency", "reason", "patient_text"}, set(), where)
    when = _facts(row, "when", where)
    if not when:
        raise RulesError(f"{where}.when: a referral needs at least one fact")
    return t.ReferralRule(
        **_cited(where, row, sources),
        when=when,
        service=_one_of(row, "service", t.SERVICES, where),
        urgency=_one_of(row, "urgency", t.URGENCIES, where),
        reason=text(row, "reason", where),
        patient_text=text(row, "patient_text", where),
    )


def _alert(where: str, row: Mapping[str, Any], sources: Mapping[str, Any]) -> t.AlertRule:
    keys(row, _CITED | {"when", "code", "level", "message"}, set(), where)
    code = _one_of(row, "code", t.ALERT_CODES, where)
    when = _facts(row, "when", where)
    if not when and code not in CODE_DRIVEN_ALERTS:
        raise RulesError(f"{where}.when: alert {code} needs at least one fact")
    return t.AlertRule(
        **_cited(where, row, sources),
        when=when,
        code=code,
        level=_one_of(row, "level", t.ALERT_LEVELS, where),
        message=text(row, "message", where),
    )


def _review(where: str, row: Mapping[str, Any], sources: Mapping[str, Any]) -> t.ReviewRule:
    keys(row, _CITED | {"when", "days", "text"}, set(), where)
    when = _facts(row, "when", where)
    if not when:
        raise RulesError(f"{where}.when: a review interval needs at least one fact")
    return t.ReviewRule(
        **_cited(where, row, sources),
        when=when,
        days=_days(row, "days", where),
        text=text(row, "text", where),
    )


def _drug_set(
    row: Mapping[str, Any],
    where: str,
    drugs: Mapping[str, Any],
    class_members: Mapping[str, set[str]],
    also_known: set[str],
    names_key: str,
    classes_key: str,
) -> frozenset[str]:
    out: set[str] = set()
    for name in texts(row, names_key, where) if names_key in row else ():
        if name not in drugs and name not in also_known:
            raise RulesError(f"{where}.{names_key}: {name!r} is not a known drug")
        out.add(name)
    for cls in texts(row, classes_key, where) if classes_key in row else ():
        if cls not in class_members:
            raise RulesError(f"{where}.{classes_key}: {cls!r} is not a drug class in drugs.toml")
        out |= class_members[cls]
    return frozenset(out)


def _monitoring(
    where: str,
    row: Mapping[str, Any],
    sources: Mapping[str, Any],
    drugs: Mapping[str, Any],
    class_members: Mapping[str, set[str]],
    supportive_drugs: set[str],
) -> t.MonitoringRule:
    keys(row, _CITED | {"text"}, {"when_any", "drugs", "drug_classes", "supportive_drugs"}, where)
    anticancer = _drug_set(row, where, drugs, class_members, set(), "drugs", "drug_classes")
    supportive: frozenset[str] = frozenset()
    if "supportive_drugs" in row:
        supportive = frozenset(texts(row, "supportive_drugs", where))
        unknown = sorted(supportive - supportive_drugs)
        if unknown:
            raise RulesError(
                f"{where}.supportive_drugs: {unknown} are suggested by no intervention"
            )
    triggers = _facts(row, "when_any", where)
    if not (triggers or anticancer or supportive):
        raise RulesError(f"{where}: a monitoring line needs a fact, a drug or a class")
    return t.MonitoringRule(
        **_cited(where, row, sources),
        text=text(row, "text", where),
        triggers=triggers,
        drugs=anticancer,
        supportive_drugs=supportive,
    )


def _interaction(
    where: str,
    row: Mapping[str, Any],
    sources: Mapping[str, Any],
    drugs: Mapping[str, Any],
    class_members: Mapping[str, set[str]],
    supportive_drugs: set[str],
) -> t.InteractionRule:
    keys(row, _CITED | {"supportive", "message"}, {"with", "with_classes"}, where)
    supportive = frozenset(texts(row, "supportive", where))
    if not supportive:
        raise RulesError(f"{where}.supportive: names no drug")
    partners = _drug_set(row, where, drugs, class_members, supportive_drugs, "with", "with_classes")
    if not partners:
        raise RulesError(f"{where}: interacts with nothing")
    return t.InteractionRule(
        **_cited(where, row, sources),
        supportive=supportive,
        partners=partners,
        message=text(row, "message", where),
    )


def _crcl_band(where: str, row: Mapping[str, Any], sources: Mapping[str, Any]) -> t.CrClBand:
    bounds = {"at_least", "above", "below", "at_most"}
    keys(row, _CITED | {"fact", "text"}, bounds, where)
    fact = text(row, "fact", where)
    if fact not in t.FACTS:
        raise RulesError(f"{where}.fact: unknown fact {fact!r}")
    if ("at_least" in row and "above" in row) or ("below" in row and "at_most" in row):
        raise RulesError(f"{where}: one lower bound (at_least|above) and one upper (below|at_most)")
    if not bounds & set(row):
        raise RulesError(f"{where}: a band needs a bound")
    found = {k: (number(row, k, where) if k in row else None) for k in sorted(bounds)}
    low = found["at_least"] if found["at_least"] is not None else found["above"]
    high = found["below"] if found["below"] is not None else found["at_most"]
    if low is not None and high is not None and not low < high:
        raise RulesError(f"{where}: lower bound {low:g} is not below upper bound {high:g}")
    if any(v is not None and not 0 <= v <= 200 for v in found.values()):
        raise RulesError(f"{where}: CrCl bounds must lie within 0-200 mL/min")
    return t.CrClBand(
        **_cited(where, row, sources),
        fact=fact,
        text=text(row, "text", where),
        at_least=found["at_least"],
        above=found["above"],
        below=found["below"],
        at_most=found["at_most"],
    )


def _drug_group(
    where: str,
    row: Mapping[str, Any],
    sources: Mapping[str, Any],
    drugs: Mapping[str, Any],
    class_members: Mapping[str, set[str]],
    supportive_drugs: set[str],
) -> t.DrugGroup:
    keys(row, _CITED | {"fact", "text", "drugs"}, {"drug_classes", "supportive_only"}, where)
    fact = text(row, "fact", where)
    if fact not in t.FACTS:
        raise RulesError(f"{where}.fact: unknown fact {fact!r}")
    members = _drug_set(row, where, drugs, class_members, supportive_drugs, "drugs", "drug_classes")
    if not members:
        raise RulesError(f"{where}: a drug group names no drug")
    only = row.get("supportive_only", False)
    if not isinstance(only, bool):
        raise RulesError(f"{where}.supportive_only must be true or false")
    return t.DrugGroup(
        **_cited(where, row, sources),
        fact=fact,
        drugs=members,
        text=text(row, "text", where),
        supportive_only=only,
    )


def _medicine_check(
    where: str,
    row: Mapping[str, Any],
    sources: Mapping[str, Any],
    drugs: Mapping[str, Any],
    class_members: Mapping[str, set[str]],
) -> t.MedicineCheck:
    keys(row, _CITED | {"any_of", "message"}, {"drugs", "drug_classes"}, where)
    members = _drug_set(row, where, drugs, class_members, set(), "drugs", "drug_classes")
    if not members:
        raise RulesError(f"{where}: a medicine check names no drug")
    any_of = _facts(row, "any_of", where)
    if not any_of:
        raise RulesError(f"{where}.any_of: a medicine check needs at least one fact")
    return t.MedicineCheck(
        **_cited(where, row, sources),
        drugs=members,
        any_of=any_of,
        message=text(row, "message", where),
    )
