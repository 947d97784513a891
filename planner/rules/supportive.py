"""Strict loading of resources/rules/supportive*.toml into `SupportiveTables`.

Files (top level of the rules directory, names starting with "supportive"):

    supportive.toml                [meta] (+ default_review_*), [[source]], [[setting]], [[disagreement]]
    supportive_interventions.toml  [meta], [[intervention]]
    supportive_referrals.toml      [meta], [[referral]], [[alert]], [[review]], [[monitoring]], [[interaction]]
    supportive_plan.toml           [meta], [[crcl_band]], [[drug_group]], [[medicine_check]]

Any table may hold any of these arrays; the loader merges them. Each row is read by the one rule
reader from its row type (planner/domain/supportive_tables.py). What relates one key to another
or to other tables stays here: unknown facts, settings that the code does not read (or missing
ones), disagreements, drugs and drug classes, unfilled or unused `{placeholders}` and duplicate
ids are errors naming the file and row.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Annotated, Any, Literal

from planner.domain import supportive_tables as t
from planner.domain.frozen_value import frozen_value
from planner.domain.table_keys import Key, Sources
from planner.rules.errors import RulesError
from planner.rules.reader import Layout, TableReader, check_document, pair, rows

PREFIX = "supportive"
ID_PREFIX = "sup."
# Alerts the code emits itself (one per validator doubt) have no trigger fact.
CODE_DRIVEN_ALERTS = frozenset({"unit_or_range_doubt"})


@frozen_value
class InterventionRow:
    """An `[[intervention]]` row: the intervention and the values its words are filled from."""

    intervention: Annotated[t.Intervention, Key(flatten=True)]
    values: Annotated[
        Mapping[str, Any] | None,
        Key(written_as=("values",), doc="name = number or text: fills `{name}` in the words"),
    ] = None


@frozen_value
class MainMeta:
    """supportive.toml's `[meta]`: the review interval when no review row fires."""

    table: Literal["supportive"]
    version: str
    reviewed_on: str
    default_review_days: Annotated[int, Key(minimum=0)]
    default_review_rule: str
    default_review_sources: Sources


@frozen_value
class PartMeta:
    """The `[meta]` of the other supportive tables."""

    table: str
    version: str


ROW_TYPES: Mapping[str, type] = {
    "setting": t.Setting,
    "disagreement": t.Disagreement,
    "intervention": InterventionRow,
    "referral": t.ReferralRule,
    "alert": t.AlertRule,
    "review": t.ReviewRule,
    "monitoring": t.MonitoringRule,
    "interaction": t.InteractionRule,
    "crcl_band": t.CrClBand,
    "drug_group": t.DrugGroup,
    "medicine_check": t.MedicineCheck,
}
ARRAYS = {"source", *ROW_TYPES}
LAYOUT = Layout(
    "supportive*.toml",
    ROW_TYPES,
    source_prefix=ID_PREFIX,
    inner={"disagreement.positions": t.Position},
    doc="Supportive care: its clinic settings and the disagreements they settle, interventions, "
    "referrals, alerts, review intervals, monitoring, interactions, kidney bands, drug groups and "
    "medicine checks. Any supportive*.toml may hold any of these arrays. supportive.toml's "
    '`[meta]` has `table = "supportive"`, `version`, `reviewed_on`, `default_review_days`, '
    "`default_review_rule` and `default_review_sources`; the others' `[meta]` has `table` and "
    "`version`. Every row's `id` starts with `sup.`. A fact is one of: "
    + ", ".join(f"`{fact}`" for fact in t.FACTS)
    + ".",
)


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
    reader = TableReader(sources, drugs)
    seen_ids: set[str] = set()
    gathered: dict[str, list[tuple[str, Mapping[str, Any]]]] = {key: [] for key in ARRAYS}
    meta: MainMeta | None = None
    for name in names:
        document = documents[name]
        check_document(LAYOUT, name, document)
        head = document.get("meta")
        if not isinstance(head, dict):
            raise RulesError(f"{name} [meta]: must be a table")
        if name == "supportive.toml":
            meta = reader.row(MainMeta, head, f"{name} [meta]")
        else:
            reader.row(PartMeta, head, f"{name} [meta]")
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
    assert meta is not None

    class_members: dict[str, set[str]] = {}
    for drug_name, drug in drugs.items():
        for cls in drug.classes:
            class_members.setdefault(cls, set()).add(drug_name)
    drug_classes = MappingProxyType({n: frozenset(d.classes) for n, d in drugs.items()})

    settings = _settings(reader, gathered["setting"])
    disagreements = _disagreements(reader, gathered["disagreement"])
    interventions = tuple(
        _intervention(reader, where, row, i, settings, disagreements)
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
    return t.SupportiveTables(
        version=meta.version,
        citations=MappingProxyType(citations),
        settings=settings,
        disagreements=disagreements,
        interventions=interventions,
        referrals=tuple(_referral(reader, w, r) for w, r in gathered["referral"]),
        alerts=tuple(_alert(reader, w, r) for w, r in gathered["alert"]),
        reviews=tuple(_review(reader, w, r) for w, r in gathered["review"]),
        monitoring=tuple(
            _monitoring(reader, w, r, drugs, class_members, supportive_drugs)
            for w, r in gathered["monitoring"]
        ),
        interactions=tuple(
            _interaction(reader, w, r, drugs, class_members, supportive_drugs)
            for w, r in gathered["interaction"]
        ),
        crcl_bands=tuple(_crcl_band(reader, w, r) for w, r in gathered["crcl_band"]),
        drug_groups=tuple(
            _drug_group(reader, w, r, drugs, class_members, supportive_drugs | interaction_names)
            for w, r in gathered["drug_group"]
        ),
        medicine_checks=tuple(
            _medicine_check(reader, w, r, drugs, class_members, gathered["intervention"])
            for w, r in gathered["medicine_check"]
        ),
        default_review_days=meta.default_review_days,
        drug_classes=drug_classes,
    )


def _facts(found: frozenset[str], key: str, where: str) -> frozenset[str]:
    unknown = sorted(found - set(t.FACTS))
    if unknown:
        raise RulesError(f"{where}.{key}: unknown facts {unknown}")
    return found


def _settings(
    reader: TableReader, found: list[tuple[str, Mapping[str, Any]]]
) -> Mapping[str, t.Setting]:
    out: dict[str, t.Setting] = {}
    for where, row in found:
        reader.known(t.Setting, row, where)
        if "default" not in row:
            raise RulesError(f"{where}: missing keys ['default']")
        kind = row.get("kind")
        low = high = None
        default: Any = row["default"]
        if kind == "number":
            if "range" not in row or "options" in row:
                raise RulesError(f"{where}: a number setting has `range` and no `options`")
            low, high = pair(row, "range", where)
            if isinstance(default, bool) or not isinstance(default, int | float):
                raise RulesError(f"{where}.default: {default!r} is not a number")
            default = float(default)
            if not low <= default <= high:
                raise RulesError(f"{where}: default {default:g} is outside its range")
        elif kind == "choice":
            if "options" not in row or "range" in row:
                raise RulesError(f"{where}: a choice setting has `options` and no `range`")
            if not isinstance(default, str):
                raise RulesError(f"{where}.default: {default!r} is not text")
        setting = reader.row(t.Setting, row, where, default=default, low=low, high=high)
        if setting.kind == "choice" and setting.default not in setting.options:
            raise RulesError(f"{where}: default {setting.default!r} is not one of its options")
        expected = t.NUMBER_SETTINGS if setting.kind == "number" else t.CHOICE_SETTINGS
        if setting.name not in expected:
            raise RulesError(
                f"{where}: {setting.name!r} is not a {setting.kind} setting the code reads"
            )
        if setting.name in out:
            raise RulesError(f"{where}: setting {setting.name!r} is defined twice")
        out[setting.name] = setting
    missing = sorted(set(t.NUMBER_SETTINGS + t.CHOICE_SETTINGS) - set(out))
    if missing:
        raise RulesError(f"supportive settings missing: {', '.join(missing)}")
    return MappingProxyType(out)


def _disagreements(
    reader: TableReader, found: list[tuple[str, Mapping[str, Any]]]
) -> Mapping[str, t.Disagreement]:
    out: dict[str, t.Disagreement] = {}
    for where, row in found:
        reader.known(t.Disagreement, row, where)
        positions = tuple(
            reader.row(t.Position, position, f"{where}.positions[{j}]")
            for j, position in enumerate(rows(row, "positions", where))
        )
        if len(positions) < 2:
            raise RulesError(f"{where}: a disagreement needs at least two positions")
        disagreement = reader.row(t.Disagreement, row, where, positions=positions)
        out[disagreement.id] = disagreement
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
    reader: TableReader,
    where: str,
    row: Mapping[str, Any],
    order: int,
    settings: Mapping[str, t.Setting],
    disagreements: Mapping[str, t.Disagreement],
) -> t.Intervention:
    reader.known(InterventionRow, row, where)
    choice = None
    if "choice" in row:
        pair_ = row["choice"]
        if (
            not isinstance(pair_, list)
            or len(pair_) != 2
            or pair_[0] not in settings
            or settings[pair_[0]].kind != "choice"
        ):
            raise RulesError(f"{where}.choice: {pair_!r} is not [choice setting, option]")
        if pair_[1] not in settings[pair_[0]].options:
            raise RulesError(f"{where}.choice: {pair_[1]!r} is not an option of {pair_[0]}")
        choice = (pair_[0], pair_[1])
    values = row.get("values", {})
    if not isinstance(values, dict):
        raise RulesError(f"{where}.values must be a table")
    found = reader.row(InterventionRow, row, where, values=values, choice=choice, order=order)
    intervention = found.intervention
    if intervention.disagreement is not None and intervention.disagreement not in disagreements:
        raise RulesError(f"{where}.disagreement: {intervention.disagreement!r} is not defined")
    used: set[str] = set()
    clinician = _fill(intervention.text, values, f"{where}.text", used)
    patient = _fill(intervention.patient_text, values, f"{where}.patient_text", used)
    gap = intervention.gap_patient_text
    if gap is not None:
        gap = _fill(gap, values, f"{where}.gap_patient_text", used)
        if not gap.strip():
            raise RulesError(f"{where}.gap_patient_text must not be empty")
    gap_facts = intervention.any_of & t.GAP_FACTS
    if gap_facts and intervention.any_of - t.GAP_FACTS and gap is None:
        # the row's words would state a finding the missing result never showed (review 16c)
        raise RulesError(
            f"{where}: any_of mixes a missing result {sorted(gap_facts)} with findings: "
            "gap_patient_text is needed (words that say the result is missing)"
        )
    unused = sorted(set(values) - used)
    if unused:
        raise RulesError(f"{where}.values: {unused} are never used")
    if not patient.strip() or not clinician.strip():
        raise RulesError(f"{where}: text and patient_text must not be empty")
    for key in ("requires", "any_of", "unless"):
        _facts(getattr(intervention, key), key, where)
    if (intervention.requires | intervention.any_of) & intervention.unless:
        raise RulesError(f"{where}: a fact is both required and excluded")
    return replace(intervention, text=clinician, patient_text=patient, gap_patient_text=gap)


def _referral(reader: TableReader, where: str, row: Mapping[str, Any]) -> t.ReferralRule:
    found = reader.row(t.ReferralRule, row, where)
    if not _facts(found.when, "when", where):
        raise RulesError(f"{where}.when: a referral needs at least one fact")
    return found


def _alert(reader: TableReader, where: str, row: Mapping[str, Any]) -> t.AlertRule:
    found = reader.row(t.AlertRule, row, where)
    if not _facts(found.when, "when", where) and found.code not in CODE_DRIVEN_ALERTS:
        raise RulesError(f"{where}.when: alert {found.code} needs at least one fact")
    return found


def _review(reader: TableReader, where: str, row: Mapping[str, Any]) -> t.ReviewRule:
    found = reader.row(t.ReviewRule, row, where)
    if not _facts(found.when, "when", where):
        raise RulesError(f"{where}.when: a review interval needs at least one fact")
    return found


def _texts(row: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = row.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulesError(f"{where}.{key}: {value!r} is not a list of text")
    return tuple(value)


def _drug_set(
    row: Mapping[str, Any],
    where: str,
    drugs: Mapping[str, Any],
    class_members: Mapping[str, set[str]],
    also_known: set[str],
    names_key: str,
    classes_key: str,
) -> frozenset[str]:
    """The drugs a row names and every member of the classes it names (composed fields)."""
    out: set[str] = set()
    for name in _texts(row, names_key, where):
        if name not in drugs and name not in also_known:
            raise RulesError(f"{where}.{names_key}: {name!r} is not a known drug")
        out.add(name)
    for cls in _texts(row, classes_key, where):
        if cls not in class_members:
            raise RulesError(f"{where}.{classes_key}: {cls!r} is not a drug class in drugs.toml")
        out |= class_members[cls]
    return frozenset(out)


def _monitoring(
    reader: TableReader,
    where: str,
    row: Mapping[str, Any],
    drugs: Mapping[str, Any],
    class_members: Mapping[str, set[str]],
    supportive_drugs: set[str],
) -> t.MonitoringRule:
    reader.known(t.MonitoringRule, row, where)
    anticancer = _drug_set(row, where, drugs, class_members, set(), "drugs", "drug_classes")
    found = reader.row(t.MonitoringRule, row, where, drugs=anticancer)
    unknown = sorted(found.supportive_drugs - supportive_drugs)
    if unknown:
        raise RulesError(f"{where}.supportive_drugs: {unknown} are suggested by no intervention")
    triggers = _facts(found.triggers, "when_any", where)
    if not (triggers or anticancer or found.supportive_drugs):
        raise RulesError(f"{where}: a monitoring line needs a fact, a drug or a class")
    return found


def _interaction(
    reader: TableReader,
    where: str,
    row: Mapping[str, Any],
    drugs: Mapping[str, Any],
    class_members: Mapping[str, set[str]],
    supportive_drugs: set[str],
) -> t.InteractionRule:
    reader.known(t.InteractionRule, row, where)
    partners = _drug_set(row, where, drugs, class_members, supportive_drugs, "with", "with_classes")
    found = reader.row(t.InteractionRule, row, where, partners=partners)
    if not partners:
        raise RulesError(f"{where}: interacts with nothing")
    return found


def _crcl_band(reader: TableReader, where: str, row: Mapping[str, Any]) -> t.CrClBand:
    found = reader.row(t.CrClBand, row, where)
    if found.fact not in t.FACTS:
        raise RulesError(f"{where}.fact: unknown fact {found.fact!r}")
    if (found.at_least is not None and found.above is not None) or (
        found.below is not None and found.at_most is not None
    ):
        raise RulesError(f"{where}: one lower bound (at_least|above) and one upper (below|at_most)")
    low = found.at_least if found.at_least is not None else found.above
    high = found.below if found.below is not None else found.at_most
    if low is None and high is None:
        raise RulesError(f"{where}: a band needs a bound")
    if low is not None and high is not None and not low < high:
        raise RulesError(f"{where}: lower bound {low:g} is not below upper bound {high:g}")
    return found


def _drug_group(
    reader: TableReader,
    where: str,
    row: Mapping[str, Any],
    drugs: Mapping[str, Any],
    class_members: Mapping[str, set[str]],
    supportive_drugs: set[str],
) -> t.DrugGroup:
    reader.known(t.DrugGroup, row, where)
    if "drugs" not in row:
        raise RulesError(f"{where}: missing keys ['drugs']")
    members = _drug_set(row, where, drugs, class_members, supportive_drugs, "drugs", "drug_classes")
    found = reader.row(t.DrugGroup, row, where, drugs=members)
    if found.fact not in t.FACTS:
        raise RulesError(f"{where}.fact: unknown fact {found.fact!r}")
    if not members:
        raise RulesError(f"{where}: a drug group names no drug")
    return found


def _medicine_check(
    reader: TableReader,
    where: str,
    row: Mapping[str, Any],
    drugs: Mapping[str, Any],
    class_members: Mapping[str, set[str]],
    interventions: list[tuple[str, Mapping[str, Any]]],
) -> t.MedicineCheck:
    reader.known(t.MedicineCheck, row, where)
    members = _drug_set(row, where, drugs, class_members, set(), "drugs", "drug_classes")
    same_as = _same_as(row, where, interventions)
    found = reader.row(t.MedicineCheck, row, where, drugs=members, same_as=same_as)
    if not members:
        raise RulesError(f"{where}: a medicine check names no drug")
    _facts(found.unless, "unless", where)
    if not _facts(found.any_of, "any_of", where) and found.max_mg_per_day is None:
        raise RulesError(f"{where}.any_of: a medicine check needs at least one fact")
    if same_as is not None and found.max_mg_per_day is None:
        raise RulesError(f"{where}.same_as: names the ceiling of a check with no max_mg_per_day")
    if same_as is not None:
        value = next(r for _, r in interventions if r.get("id") == same_as[0])["values"][same_as[1]]
        if value != found.max_mg_per_day:
            raise RulesError(
                f"{where}.max_mg_per_day: {found.max_mg_per_day:g}, but {same_as[0]} prints "
                f"{same_as[1]} = {value}: the advice and the check must give the same ceiling"
            )
    return found


def _same_as(
    row: Mapping[str, Any], where: str, interventions: list[tuple[str, Mapping[str, Any]]]
) -> tuple[str, str] | None:
    """A check's `same_as = [intervention id, value name]`, both found (the value a number)."""
    said = row.get("same_as")
    if said is None:
        return None
    if not (isinstance(said, list) and len(said) == 2 and all(isinstance(x, str) for x in said)):
        raise RulesError(f"{where}.same_as: [intervention id, value name] expected")
    found = next((r for _, r in interventions if r.get("id") == said[0]), None)
    if found is None:
        raise RulesError(f"{where}.same_as: no intervention {said[0]!r}")
    value = (found.get("values") or {}).get(said[1])
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RulesError(f"{where}.same_as: {said[0]} has no number {said[1]!r}")
    return said[0], said[1]
