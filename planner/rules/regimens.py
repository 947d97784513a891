"""Strict loading of subtype.toml and regimens.toml into `planner.domain.regimen_tables`.

Unknown keys, values outside the closed vocabularies, drugs missing from drugs.toml and sources
that resolve nowhere are errors naming the file and the row.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from planner.domain import regimen_tables as rt
from planner.domain.dose_tables import LABEL_SETS, DoseTables
from planner.rules.strict import RulesError, flag, keys, number, rows, sources_resolve, text, texts

SUBTYPE_FILE = "subtype.toml"
REGIMENS_FILE = "regimens.toml"

_CONDITION_KEYS = {
    "subtypes",
    "line_min",
    "line_max",
    "her2",
    "hr_positive",
    "endocrine_states",
    "endocrine_flags_all",
    "endocrine_flags_none",
    "mutated_any",
    "germline_any",
    "pdl1_cps_min",
    "pdl1_cps_below",
    "prior_classes_all",
    "prior_classes_none",
    "prior_drugs_none",
    "metastatic_classes_all",
    "metastatic_classes_none",
    "metastatic_chemo_lines_min",
    "metastatic_chemo_lines_max",
    "dfi_months_min",
    "dfi_months_min_same_class",
    "dfi_months_max",
    "visceral_crisis_only",
    "unrecorded_input",
}


def load_regimen_table(
    documents: Mapping[str, dict[str, Any]],
    sources: Mapping[str, Any],
    drug_classes: Mapping[str, frozenset[str]],
    version: str,
) -> rt.RegimenTable:
    """Build the regimen table. `sources` maps id -> Source (with `.cite()`); `drug_classes`
    maps every catalogued INN to its classes."""
    for name in (SUBTYPE_FILE, REGIMENS_FILE):
        if name not in documents:
            raise RulesError(f"missing rule table {name}")
    cutoffs = _cutoffs(documents[SUBTYPE_FILE], sources)
    document = documents[REGIMENS_FILE]
    keys(document, {"meta", "regimen", "monitoring", "source"}, set(), REGIMENS_FILE)
    meta = document["meta"]
    keys(
        meta,
        {"table", "version", "reviewed_on", "umbrella_classes"},
        set(),
        f"{REGIMENS_FILE} meta",
    )
    known_classes = frozenset().union(*drug_classes.values()) if drug_classes else frozenset()
    umbrella = texts(meta, "umbrella_classes", f"{REGIMENS_FILE} meta")
    _known(umbrella, known_classes, f"{REGIMENS_FILE} meta.umbrella_classes", "drug class")

    monitoring: dict[str, rt.MonitoringItem] = {}
    for i, row in enumerate(rows(document, "monitoring", REGIMENS_FILE)):
        item = _monitoring(
            row, f"{REGIMENS_FILE} monitoring[{i}]", sources, drug_classes, known_classes
        )
        if item.id in monitoring:
            raise RulesError(f"{REGIMENS_FILE} monitoring[{i}]: id {item.id!r} is defined twice")
        monitoring[item.id] = item

    regimens: dict[str, rt.Regimen] = {}
    for i, row in enumerate(rows(document, "regimen", REGIMENS_FILE)):
        regimen = _regimen(
            row, f"{REGIMENS_FILE} regimen[{i}]", sources, drug_classes, known_classes
        )
        if regimen.id in regimens:
            raise RulesError(f"{REGIMENS_FILE} regimen[{i}]: id {regimen.id!r} is defined twice")
        regimens[regimen.id] = regimen
    if not regimens:
        raise RulesError(f"{REGIMENS_FILE}: no [[regimen]] rows")

    citations = {sid: source.cite() for sid, source in sources.items()}
    return rt.RegimenTable(
        version=version,
        regimens=MappingProxyType(regimens),
        monitoring=MappingProxyType(monitoring),
        umbrella_classes=frozenset(umbrella),
        citations=MappingProxyType(citations),
        cutoffs=cutoffs,
    )


def check_regimen_doses(table: rt.RegimenTable, doses: DoseTables) -> None:
    """Every drug of every regimen has, under each label set, exactly one of the schedules the
    row names in that drug's dose table (contract §3a: each regimen names every drug's dose)."""
    for regimen in table.regimens.values():
        where = f"{REGIMENS_FILE} regimen {regimen.id!r}.dose_schedules"
        for drug, ids in regimen.dose_schedules.items():
            dose_table = doses.drugs.get(drug)
            if dose_table is None:
                raise RulesError(f"{where}.{drug}: {drug} has no dose table")
            known = {s.id: s for s in dose_table.schedules}
            for schedule_id in ids:
                if schedule_id not in known:
                    raise RulesError(
                        f"{where}.{drug}: {schedule_id!r} is not a schedule of {drug} "
                        f"({', '.join(known)})"
                    )
            for label in LABEL_SETS:
                fitting = [i for i in ids if label in known[i].labels]
                if len(fitting) != 1:
                    raise RulesError(
                        f"{where}.{drug}: {len(fitting)} of {list(ids)} apply to labels "
                        f"{label!r}; exactly one must"
                    )


def _cutoffs(document: dict[str, Any], sources: Mapping[str, Any]) -> rt.SubtypeCutoffs:
    keys(document, {"meta", "cutoff", "source"}, set(), SUBTYPE_FILE)
    found: dict[str, rt.Cutoff] = {}
    for i, row in enumerate(rows(document, "cutoff", SUBTYPE_FILE)):
        where = f"{SUBTYPE_FILE} cutoff[{i}]"
        keys(row, {"key", "value", "unit", "rule", "sources", "verified"}, set(), where)
        key = text(row, "key", where)
        if key not in rt.CUTOFF_KEYS:
            raise RulesError(f"{where}.key: {key!r} is not one of {', '.join(rt.CUTOFF_KEYS)}")
        if key in found:
            raise RulesError(f"{where}: {key} is defined twice")
        unit = text(row, "unit", where)
        value = number(row, "value", where)
        if unit == "%" and not 0 <= value <= 100:
            raise RulesError(f"{where}.value: {value} is not a percentage 0-100")
        if unit in ("months", "days") and value <= 0:
            raise RulesError(f"{where}.value: an interval must be positive")
        if unit == "ECOG" and value not in (0, 1, 2, 3, 4, 5):
            raise RulesError(f"{where}.value: {value} is not an ECOG grade 0-5")
        if unit not in ("%", "months", "days", "ECOG"):
            raise RulesError(f"{where}.unit: {unit!r} is not %, months, days or ECOG")
        cited = texts(row, "sources", where)
        sources_resolve(cited, sources, where)
        found[key] = rt.Cutoff(
            key, value, unit, text(row, "rule", where), cited, flag(row, "verified", where)
        )
    missing = set(rt.CUTOFF_KEYS) - set(found)
    if missing:
        raise RulesError(f"{SUBTYPE_FILE}: missing cut-offs {sorted(missing)}")
    if not found["er_positive_min_percent"].value <= found["er_low_max_percent"].value:
        raise RulesError(f"{SUBTYPE_FILE}: the ER-low band must start at the ER-positive cut-off")
    return rt.SubtypeCutoffs(MappingProxyType(found))


def _known(values: tuple[str, ...], allowed: Any, where: str, what: str) -> None:
    for value in values:
        if value not in allowed:
            raise RulesError(f"{where}: {value!r} is not a known {what}")


def _monitoring(
    row: Mapping[str, Any],
    where: str,
    sources: Mapping[str, Any],
    drug_classes: Mapping[str, frozenset[str]],
    known_classes: frozenset[str],
) -> rt.MonitoringItem:
    keys(
        row,
        {"id", "text", "rule", "sources", "verified"},
        {"all_options", "drugs", "classes"},
        where,
    )
    drugs = texts(row, "drugs", where) if "drugs" in row else ()
    classes = texts(row, "classes", where) if "classes" in row else ()
    all_options = flag(row, "all_options", where) if "all_options" in row else False
    _known(drugs, drug_classes, f"{where}.drugs", "drug in drugs.toml")
    _known(classes, known_classes, f"{where}.classes", "drug class")
    if not (drugs or classes or all_options):
        raise RulesError(f"{where}: names no drugs, no classes and is not for all options")
    cited = texts(row, "sources", where)
    sources_resolve(cited, sources, where)
    return rt.MonitoringItem(
        id=text(row, "id", where),
        text=text(row, "text", where),
        rule=text(row, "rule", where),
        all_options=all_options,
        drugs=frozenset(drugs),
        classes=frozenset(classes),
        sources=cited,
        verified=flag(row, "verified", where),
    )


def _regimen(
    row: Mapping[str, Any],
    where: str,
    sources: Mapping[str, Any],
    drug_classes: Mapping[str, frozenset[str]],
    known_classes: frozenset[str],
) -> rt.Regimen:
    keys(
        row,
        {
            "id",
            "name",
            "rule",
            "drugs",
            "key_drugs",
            "dose_schedules",
            "kind",
            "oral",
            "status",
            "priority",
            "evidence",
            "note",
            "sources",
            "verified",
            "when",
        },
        {"adjust", "needs_endocrine_sensitivity"},
        where,
    )
    regimen_id = text(row, "id", where)
    if regimen_id != regimen_id.lower() or " " in regimen_id:
        raise RulesError(f"{where}.id: {regimen_id!r} must be lower-case without spaces")
    drugs = texts(row, "drugs", where)
    if not drugs or len(set(drugs)) != len(drugs):
        raise RulesError(f"{where}.drugs: must name at least one drug, each once")
    _known(drugs, drug_classes, f"{where}.drugs", "drug in drugs.toml")
    key_drugs = texts(row, "key_drugs", where)
    _known(key_drugs, drugs, f"{where}.key_drugs", "drug of this regimen")
    schedules = _dose_schedules(row["dose_schedules"], drugs, f"{where}.dose_schedules")
    kind = _choice(row, "kind", rt.KINDS, where)
    status = _choice(row, "status", rt.STATUSES, where)
    when = _conditions(row["when"], f"{where}.when", drug_classes, known_classes)
    priority = _priority(row["priority"], when.subtypes, f"{where}.priority")
    adjustments = []
    for j, adjust in enumerate(rows(row, "adjust", where)):
        awhere = f"{where}.adjust[{j}]"
        keys(adjust, {"when", "by", "note"}, set(), awhere)
        by = number(adjust, "by", awhere)
        if not by.is_integer():
            raise RulesError(f"{awhere}.by: {by} is not a whole number")
        adjustments.append(
            rt.RankAdjustment(
                _choice(adjust, "when", rt.RANK_FACTS, awhere),
                int(by),
                text(adjust, "note", awhere),
            )
        )
    cited = texts(row, "sources", where)
    sources_resolve(cited, sources, where)
    return rt.Regimen(
        id=regimen_id,
        name=text(row, "name", where),
        rule=text(row, "rule", where),
        drugs=drugs,
        key_drugs=key_drugs,
        dose_schedules=schedules,
        kind=kind,
        oral=flag(row, "oral", where),
        status=status,
        priority=priority,
        evidence=text(row, "evidence", where),
        note=text(row, "note", where),
        when=when,
        adjustments=tuple(adjustments),
        sources=cited,
        verified=flag(row, "verified", where),
        needs_endocrine_sensitivity=flag(row, "needs_endocrine_sensitivity", where)
        if "needs_endocrine_sensitivity" in row
        else False,
    )


def _dose_schedules(raw: Any, drugs: tuple[str, ...], where: str) -> Mapping[str, tuple[str, ...]]:
    """Every drug of the regimen -> the schedule id(s) of its dose in this regimen (a list where
    the label sets differ, e.g. eribulin mesylate / base). Every drug must be named: a drug
    without its regimen dose would otherwise print its single-agent one (contract §3a)."""
    if not isinstance(raw, dict):
        raise RulesError(f"{where}: must be a table of drug = schedule id (or a list of ids)")
    _known(tuple(raw), drugs, where, "drug of this regimen")
    missing = [d for d in drugs if d not in raw]
    if missing:
        raise RulesError(f"{where}: names no dose schedule for {', '.join(missing)}")
    out: dict[str, tuple[str, ...]] = {}
    for drug, value in raw.items():
        ids = (value,) if isinstance(value, str) else value
        if (
            not isinstance(ids, list | tuple)
            or not ids
            or not all(isinstance(i, str) and i for i in ids)
        ):
            raise RulesError(f"{where}.{drug}: {value!r} is not a schedule id or a list of ids")
        out[drug] = tuple(ids)
    return MappingProxyType(out)


def _choice(row: Mapping[str, Any], key: str, allowed: tuple[str, ...], where: str) -> str:
    value = text(row, key, where)
    if value not in allowed:
        raise RulesError(f"{where}.{key}: {value!r} is not one of {', '.join(allowed)}")
    return value


def _priority(raw: Any, subtypes: tuple[str, ...], where: str) -> Mapping[str, int]:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return MappingProxyType(dict.fromkeys(subtypes, raw))
    if isinstance(raw, dict):
        if set(raw) != set(subtypes):
            raise RulesError(f"{where}: must give one value for each of {', '.join(subtypes)}")
        out = {}
        for group, value in raw.items():
            if not isinstance(value, int) or isinstance(value, bool):
                raise RulesError(f"{where}.{group}: {value!r} is not a whole number")
            out[group] = value
        return MappingProxyType(out)
    raise RulesError(f"{where}: {raw!r} is not a whole number or a table by subtype")


def _conditions(
    raw: Any,
    where: str,
    drug_classes: Mapping[str, frozenset[str]],
    known_classes: frozenset[str],
) -> rt.RegimenConditions:
    if not isinstance(raw, dict):
        raise RulesError(f"{where}: must be a table")
    keys(raw, {"subtypes"}, _CONDITION_KEYS - {"subtypes"}, where)

    def words(key: str, allowed: Any, what: str) -> tuple[str, ...]:
        if key not in raw:
            return ()
        values = texts(raw, key, where)
        _known(values, allowed, f"{where}.{key}", what)
        return values

    def whole(key: str) -> int | None:
        if key not in raw:
            return None
        value = number(raw, key, where)
        if not value.is_integer() or value < 0:
            raise RulesError(f"{where}.{key}: {value} is not a whole number >= 0")
        return int(value)

    def positive(key: str) -> float | None:
        if key not in raw:
            return None
        value = number(raw, key, where)
        if value < 0:
            raise RulesError(f"{where}.{key}: {value} is negative")
        return value

    subtypes = words("subtypes", rt.SUBTYPE_GROUPS, "subtype group")
    if not subtypes:
        raise RulesError(f"{where}.subtypes: must name at least one subtype group")
    line_min = whole("line_min")
    line_max = whole("line_max")
    if line_min is not None and line_min < 1:
        raise RulesError(f"{where}.line_min: lines start at 1")
    if line_max is not None and line_max < (line_min or 1):
        raise RulesError(f"{where}: line_max is below line_min")
    for low_key, high_key in (
        ("metastatic_chemo_lines_min", "metastatic_chemo_lines_max"),
        ("pdl1_cps_min", "pdl1_cps_below"),
    ):
        low, high = positive(low_key), positive(high_key)
        if low is not None and high is not None and low > high:
            raise RulesError(f"{where}: {low_key} is above {high_key}")
    hr_positive = flag(raw, "hr_positive", where) if "hr_positive" in raw else None
    return rt.RegimenConditions(
        subtypes=subtypes,
        line_min=line_min or 1,
        line_max=line_max,
        her2=words("her2", rt.HER2_STATES, "HER2 state"),
        hr_positive=hr_positive,
        endocrine_states=words("endocrine_states", rt.ENDOCRINE_STATES, "endocrine state"),
        endocrine_flags_all=words("endocrine_flags_all", rt.ENDOCRINE_FLAGS, "endocrine flag"),
        endocrine_flags_none=words("endocrine_flags_none", rt.ENDOCRINE_FLAGS, "endocrine flag"),
        mutated_any=words("mutated_any", rt.BIOMARKERS, "biomarker"),
        germline_any=words("germline_any", rt.GERMLINE, "germline variant"),
        pdl1_cps_min=positive("pdl1_cps_min"),
        pdl1_cps_below=positive("pdl1_cps_below"),
        prior_classes_all=words("prior_classes_all", known_classes, "drug class"),
        prior_classes_none=words("prior_classes_none", known_classes, "drug class"),
        prior_drugs_none=words("prior_drugs_none", drug_classes, "drug in drugs.toml"),
        metastatic_classes_all=words("metastatic_classes_all", known_classes, "drug class"),
        metastatic_classes_none=words("metastatic_classes_none", known_classes, "drug class"),
        metastatic_chemo_lines_min=whole("metastatic_chemo_lines_min"),
        metastatic_chemo_lines_max=whole("metastatic_chemo_lines_max"),
        dfi_months_min=positive("dfi_months_min"),
        dfi_months_min_same_class=positive("dfi_months_min_same_class"),
        dfi_months_max=positive("dfi_months_max"),
        visceral_crisis_only=flag(raw, "visceral_crisis_only", where)
        if "visceral_crisis_only" in raw
        else False,
        unrecorded_input=text(raw, "unrecorded_input", where)
        if "unrecorded_input" in raw
        else None,
    )
