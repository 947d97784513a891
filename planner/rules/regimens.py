"""Strict loading of subtype.toml and regimens.toml into `planner.domain.regimen_tables`.

Unknown keys, values outside the closed vocabularies, drugs missing from drugs.toml and sources
that resolve nowhere are errors naming the file and the row.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from planner.domain import regimen_tables as rt
from planner.domain.dose_tables import LABEL_SETS, DoseTables
from planner.rules.errors import RulesError
from planner.rules.reader import Layout, TableReader, check_document, rows

SUBTYPE_FILE = "subtype.toml"
REGIMENS_FILE = "regimens.toml"
SUBTYPE_LAYOUT = Layout(
    SUBTYPE_FILE,
    {"cutoff": rt.Cutoff, "stop_reason": rt.StopReasonBasis},
    required=("cutoff", "stop_reason"),
    table="subtype",
    doc="The cut-offs of the subtype and endocrine-sensitivity rules: one row per key; and the "
    "cited basis of each STOP-4 reason (`[[stop_reason]]`, one or more rows per key).",
)
REGIMENS_LAYOUT = Layout(
    REGIMENS_FILE,
    {"regimen": rt.Regimen, "monitoring": rt.MonitoringItem, "stopped_line": rt.StoppedLine},
    required=("regimen",),
    table="regimens",
    meta=("table", "version", "reviewed_on", "umbrella_classes"),
    doc="The regimens offered, when, in which order, with every drug's dose schedule; the "
    "follow-up checks an option carries; and, per subtype, why the rows that say "
    "`subtypes_if_stopped` are offered when every option of her line is stopped "
    "(`[[stopped_line]]`). `[meta] umbrella_classes`: drug classes too broad to count as the "
    "same class for the disease-free interval.",
)


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
    known_classes = frozenset().union(*drug_classes.values()) if drug_classes else frozenset()
    reader = TableReader(sources, drug_classes, known_classes)
    cutoffs = _cutoffs(reader, documents[SUBTYPE_FILE])
    document = documents[REGIMENS_FILE]
    check_document(REGIMENS_LAYOUT, REGIMENS_FILE, document)
    umbrella = document["meta"]["umbrella_classes"]
    if not isinstance(umbrella, list) or any(c not in known_classes for c in umbrella):
        raise RulesError(
            f"{REGIMENS_FILE} [meta].umbrella_classes: {umbrella!r} must name drug classes"
        )

    monitoring: dict[str, rt.MonitoringItem] = {}
    for i, row in enumerate(rows(document, "monitoring", REGIMENS_FILE)):
        where = f"{REGIMENS_FILE} monitoring[{i}]"
        item = reader.row(rt.MonitoringItem, row, where)
        if not (item.drugs or item.classes or item.all_options):
            raise RulesError(f"{where}: names no drugs, no classes and is not for all options")
        if item.id in monitoring:
            raise RulesError(f"{where}: id {item.id!r} is defined twice")
        monitoring[item.id] = item

    regimens: dict[str, rt.Regimen] = {}
    for i, row in enumerate(rows(document, "regimen", REGIMENS_FILE)):
        regimen = _regimen(reader, row, f"{REGIMENS_FILE} regimen[{i}]")
        if regimen.id in regimens:
            raise RulesError(f"{REGIMENS_FILE} regimen[{i}]: id {regimen.id!r} is defined twice")
        regimens[regimen.id] = regimen
    if not regimens:
        raise RulesError(f"{REGIMENS_FILE}: no [[regimen]] rows")

    stopped_lines: dict[str, rt.StoppedLine] = {}
    for i, row in enumerate(rows(document, "stopped_line", REGIMENS_FILE)):
        where = f"{REGIMENS_FILE} stopped_line[{i}]"
        line = reader.row(rt.StoppedLine, row, where)
        if line.subtype in stopped_lines:
            raise RulesError(f"{where}: subtype {line.subtype!r} is defined twice")
        stopped_lines[line.subtype] = line
    for regimen in regimens.values():
        # a row brought forward is offered with its subtype's words, never silently
        for group in regimen.when.subtypes_if_stopped:
            if group not in stopped_lines:
                raise RulesError(
                    f"{REGIMENS_FILE} regimen {regimen.id!r}.when.subtypes_if_stopped: "
                    f"no [[stopped_line]] says why it is offered for {group}"
                )

    citations = {sid: source.cite() for sid, source in sources.items()}
    return rt.RegimenTable(
        version=version,
        regimens=MappingProxyType(regimens),
        monitoring=MappingProxyType(monitoring),
        umbrella_classes=frozenset(umbrella),
        citations=MappingProxyType(citations),
        cutoffs=cutoffs,
        stopped_lines=MappingProxyType(stopped_lines),
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


def _cutoffs(reader: TableReader, document: dict[str, Any]) -> rt.SubtypeCutoffs:
    check_document(SUBTYPE_LAYOUT, SUBTYPE_FILE, document)
    found: dict[str, rt.Cutoff] = {}
    for i, row in enumerate(rows(document, "cutoff", SUBTYPE_FILE)):
        where = f"{SUBTYPE_FILE} cutoff[{i}]"
        cutoff = reader.row(rt.Cutoff, row, where)
        if cutoff.key in found:
            raise RulesError(f"{where}: {cutoff.key} is defined twice")
        value, unit = cutoff.value, cutoff.unit
        if unit == "%" and not 0 <= value <= 100:
            raise RulesError(f"{where}.value: {value} is not a percentage 0-100")
        if unit in ("months", "days") and value <= 0:
            raise RulesError(f"{where}.value: an interval must be positive")
        if unit == "ECOG" and value not in (0, 1, 2, 3, 4, 5):
            raise RulesError(f"{where}.value: {value} is not an ECOG grade 0-5")
        found[cutoff.key] = cutoff
    missing = set(rt.CUTOFF_KEYS) - set(found)
    if missing:
        raise RulesError(f"{SUBTYPE_FILE}: missing cut-offs {sorted(missing)}")
    if not found["er_positive_min_percent"].value <= found["er_low_max_percent"].value:
        raise RulesError(f"{SUBTYPE_FILE}: the ER-low band must start at the ER-positive cut-off")
    stop_reasons: dict[str, list[rt.StopReasonBasis]] = {}
    for i, row in enumerate(rows(document, "stop_reason", SUBTYPE_FILE)):
        where = f"{SUBTYPE_FILE} stop_reason[{i}]"
        basis = reader.row(rt.StopReasonBasis, row, where)
        unread = [s for s in basis.sources if not getattr(reader.sources[s], "verified", True)]
        if basis.verified and unread:
            # rule 6: a basis is no more verified than the sources it cites
            raise RulesError(f"{where}: verified = true cites unverified sources {unread}")
        stop_reasons.setdefault(basis.key, []).append(basis)
    missing = set(rt.STOP_REASON_KEYS) - set(stop_reasons)
    if missing:
        raise RulesError(f"{SUBTYPE_FILE}: no [[stop_reason]] row for {sorted(missing)}")
    return rt.SubtypeCutoffs(
        MappingProxyType(found),
        MappingProxyType({k: tuple(v) for k, v in stop_reasons.items()}),
    )


def _regimen(reader: TableReader, row: Mapping[str, Any], where: str) -> rt.Regimen:
    raw_when = row.get("when")
    if not isinstance(raw_when, dict):
        raise RulesError(f"{where}.when: must be a table")
    when = _conditions(reader, raw_when, f"{where}.when")
    adjustments = tuple(
        reader.row(rt.RankAdjustment, adjust, f"{where}.adjust[{j}]")
        for j, adjust in enumerate(rows(row, "adjust", where))
    )
    regimen = reader.row(
        rt.Regimen,
        row,
        where,
        when=when,
        adjustments=adjustments,
        priority=_priority(
            row.get("priority"), (*when.subtypes, *when.subtypes_if_stopped), f"{where}.priority"
        ),
        dose_schedules=MappingProxyType({}),  # read below, against the regimen's drugs
    )
    regimen = dataclasses.replace(
        regimen,
        dose_schedules=_dose_schedules(
            row.get("dose_schedules"), regimen.drugs, f"{where}.dose_schedules"
        ),
    )
    if regimen.id != regimen.id.lower() or " " in regimen.id:
        raise RulesError(f"{where}.id: {regimen.id!r} must be lower-case without spaces")
    if len(set(regimen.drugs)) != len(regimen.drugs):
        raise RulesError(f"{where}.drugs: must name at least one drug, each once")
    _known(regimen.key_drugs, regimen.drugs, f"{where}.key_drugs", "drug of this regimen")
    return regimen


def _known(values: tuple[str, ...], allowed: Any, where: str, what: str) -> None:
    for value in values:
        if value not in allowed:
            raise RulesError(f"{where}: {value!r} is not a known {what}")


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


def _conditions(reader: TableReader, raw: Mapping[str, Any], where: str) -> rt.RegimenConditions:
    when = reader.row(rt.RegimenConditions, raw, where)
    if when.line_max is not None and when.line_max < when.line_min:
        raise RulesError(f"{where}: line_max is below line_min")
    if when.line_min_if_stopped is not None and when.line_min_if_stopped >= when.line_min:
        raise RulesError(f"{where}: line_min_if_stopped is not below line_min")
    if not when.subtypes and not when.subtypes_if_stopped:
        raise RulesError(f"{where}: names no subtypes and no subtypes_if_stopped")
    both = set(when.subtypes) & set(when.subtypes_if_stopped)
    if both:
        raise RulesError(f"{where}: subtypes_if_stopped repeats {', '.join(sorted(both))}")
    for low_key, high_key in (
        ("metastatic_chemo_lines_min", "metastatic_chemo_lines_max"),
        ("pdl1_cps_min", "pdl1_cps_below"),
    ):
        low, high = getattr(when, low_key), getattr(when, high_key)
        if low is not None and high is not None and low > high:
            raise RulesError(f"{where}: {low_key} is above {high_key}")
    return when
