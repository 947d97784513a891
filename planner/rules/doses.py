"""Strict loading of resources/rules/doses/*.toml into `planner.domain.dose_tables.DoseTables`.

File layout (one file per drug family)::

    [meta]                       table = "doses", family, version, reviewed_on
    [[source]]                   id (prefix "dose."), title, reference, url (read by the loader)
    [[drug]]                     name (must be in drugs.toml), notes = [...]
    [[drug.schedule]]            id, value | no_dose_because, unit, route, timing, labels,
                                 sources, verified, loading?
    [[drug.band]]                id, labels, schedules?, when = [...], status, percent?, dose?,
                                 timing?, warning?, sources, verified, alternative?, if_unknown?

A `when` entry is `{measure, above|from, below|upto}` for a numeric measure or
`{measure, in = [...]}` for a categorical one. Unknown keys, unknown measures, statuses, units
and label sets, dangling sources and schedules are errors naming the file and row.

The printed schedule is composed from the row's own dose and the schedule's `route` and
`timing` (contract §3a), so `timing` (and a band's `timing`) must not name a dose: a number with
a dose unit there is an error. So is the word "placeholder" anywhere in a schedule: a dose that is
not established is `no_dose_because = "..."` (every row on it is insufficient_data). A band that
gives an absolute `dose` names its `schedules` when the drug has more than one (the dose belongs
to one standard), and no band reduces a schedule with a loading dose (no source says how).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from planner.domain.dose_tables import (
    CATEGORICAL_MEASURES,
    DOSE_UNITS,
    IF_UNKNOWN,
    LABEL_SETS,
    NUMERIC_MEASURES,
    ROUTES,
    STATUSES,
    Condition,
    DoseBand,
    DoseTables,
    DrugDoseTable,
    Schedule,
    doses_named,
)
from planner.rules.strict import RulesError, flag, keys, number, rows, sources_resolve, text, texts

DOSES_DIR = "doses/"


def load_doses(
    documents: Mapping[str, dict[str, Any]],
    sources: Mapping[str, Any],
    drugs: Mapping[str, Any],
) -> DoseTables:
    """Read every `doses/*.toml` document (keyed by path relative to the rules directory)."""
    tables: dict[str, DrugDoseTable] = {}
    band_ids: set[str] = set()
    for name in sorted(documents):
        if not name.startswith(DOSES_DIR):
            continue
        document = documents[name]
        keys(document, {"meta"}, {"source", "drug"}, name)
        meta = document["meta"]
        keys(meta, {"table", "family", "version", "reviewed_on"}, set(), f"{name} [meta]")
        if meta["table"] != "doses":
            raise RulesError(f'{name} [meta]: table must be "doses"')
        for i, row in enumerate(rows(document, "source", name)):
            if not str(row.get("id", "")).startswith("dose."):
                raise RulesError(f"{name} source[{i}]: ids in dose tables start with 'dose.'")
        for i, row in enumerate(rows(document, "drug", name)):
            table = _drug(row, f"{name} drug[{i}]", sources, drugs, band_ids)
            if table.name in tables:
                raise RulesError(f"{name} drug[{i}]: {table.name!r} has a dose table already")
            tables[table.name] = table
    citations = {
        sid: source.cite() if hasattr(source, "cite") else str(source)
        for sid, source in sources.items()
        if sid.startswith("dose.")
    }
    return DoseTables(MappingProxyType(tables), MappingProxyType(citations))


def _labels(row: Mapping[str, Any], where: str) -> tuple[str, ...]:
    labels = texts(row, "labels", where)
    if not labels or any(label not in LABEL_SETS for label in labels):
        raise RulesError(f"{where}.labels: {list(labels)!r} must name some of {LABEL_SETS}")
    return labels


def _drug(
    row: Mapping[str, Any],
    where: str,
    sources: Mapping[str, Any],
    drugs: Mapping[str, Any],
    band_ids: set[str],
) -> DrugDoseTable:
    keys(row, {"name", "schedule"}, {"band", "notes"}, where)
    name = text(row, "name", where)
    if name not in drugs:
        raise RulesError(f"{where}: {name!r} is not in drugs.toml")
    schedules: list[Schedule] = []
    for j, srow in enumerate(rows(row, "schedule", where)):
        schedule = _schedule(srow, f"{where} ({name}) schedule[{j}]", sources)
        if any(s.id == schedule.id for s in schedules):
            raise RulesError(f"{where} ({name}): schedule id {schedule.id!r} is defined twice")
        schedules.append(schedule)
    if not schedules:
        raise RulesError(f"{where} ({name}): no schedule")
    for label in LABEL_SETS:
        if not any(label in s.labels for s in schedules):
            raise RulesError(f"{where} ({name}): no schedule for label set {label!r}")
    schedule_ids = {s.id for s in schedules}
    bands = tuple(
        _band(brow, f"{where} ({name}) band[{k}]", sources, schedule_ids, band_ids)
        for k, brow in enumerate(rows(row, "band", where))
    )
    for band in bands:
        _band_fits_schedules(band, schedules, f"{where} ({name}) band {band.id!r}")
    notes = texts(row, "notes", where) if "notes" in row else ()
    return DrugDoseTable(name, tuple(schedules), bands, notes)


_SCHEDULE_REQUIRED = {"id", "unit", "route", "timing", "labels", "sources", "verified"}
_SCHEDULE_OPTIONAL = {"value", "loading", "no_dose_because"}


def _schedule(srow: Mapping[str, Any], swhere: str, sources: Mapping[str, Any]) -> Schedule:
    keys(srow, _SCHEDULE_REQUIRED, _SCHEDULE_OPTIONAL, swhere)
    unit = text(srow, "unit", swhere)
    if unit not in DOSE_UNITS:
        raise RulesError(f"{swhere}.unit: {unit!r} is not one of {DOSE_UNITS}")
    route = text(srow, "route", swhere)
    if route not in ROUTES:
        raise RulesError(f"{swhere}.route: {route!r} is not one of {ROUTES}")
    no_dose = text(srow, "no_dose_because", swhere) if "no_dose_because" in srow else None
    if (no_dose is None) == ("value" not in srow):
        raise RulesError(f"{swhere}: give a value or no_dose_because (exactly one)")
    value = number(srow, "value", swhere) if "value" in srow else None
    if value is not None and value <= 0:
        raise RulesError(f"{swhere}.value must be positive")
    loading = number(srow, "loading", swhere) if "loading" in srow else None
    if loading is not None and (value is None or loading <= 0 or loading == value):
        raise RulesError(f"{swhere}.loading: a positive first-cycle dose other than value")
    timing = _timing(srow, swhere)
    for key in ("id", "no_dose_because"):
        if "placeholder" in str(srow.get(key, "")).lower():
            raise RulesError(f"{swhere}.{key}: a placeholder is not a dose")
    cited = texts(srow, "sources", swhere)
    sources_resolve(cited, sources, swhere)
    return Schedule(
        id=text(srow, "id", swhere),
        value=value,
        unit=unit,
        route=route,
        timing=timing,
        labels=_labels(srow, swhere),
        sources=cited,
        verified=flag(srow, "verified", swhere),
        loading=loading,
        no_dose_because=no_dose,
    )


def _timing(row: Mapping[str, Any], where: str) -> str:
    """How and when, without a dose: the printed text takes the dose from the row itself."""
    timing = text(row, "timing", where)
    named = doses_named(timing)
    if named:
        raise RulesError(
            f"{where}.timing: {timing!r} names a dose ({named[0][0]:g} {named[0][1]}); the "
            "printed schedule takes the dose from the row"
        )
    if "placeholder" in timing.lower():
        raise RulesError(f"{where}.timing: a placeholder is not a schedule")
    return timing


def _band_fits_schedules(band: DoseBand, schedules: list[Schedule], where: str) -> None:
    applies = [s for s in schedules if not band.schedules or s.id in band.schedules]
    if band.dose is not None and len({s.value for s in applies}) > 1:
        raise RulesError(
            f"{where}: gives {band.dose:g} for schedules with different standard doses "
            f"({', '.join(s.id for s in applies)}); name its schedules"
        )
    if band.status == "reduced" and any(s.loading is not None for s in applies):
        raise RulesError(f"{where}: reduces a schedule with a loading dose (no rule says how)")


_BAND_REQUIRED = {"id", "labels", "when", "status", "sources", "verified"}
_BAND_OPTIONAL = {
    "schedules",
    "percent",
    "dose",
    "timing",
    "warning",
    "alternative",
    "if_unknown",
}


def _band(
    row: Mapping[str, Any],
    where: str,
    sources: Mapping[str, Any],
    schedule_ids: set[str],
    band_ids: set[str],
) -> DoseBand:
    keys(row, _BAND_REQUIRED, _BAND_OPTIONAL, where)
    band_id = text(row, "id", where)
    if band_id in band_ids:
        raise RulesError(f"{where}: band id {band_id!r} is defined twice")
    band_ids.add(band_id)
    status = text(row, "status", where)
    if status not in STATUSES:
        raise RulesError(f"{where}.status: {status!r} is not one of {STATUSES}")
    schedules = texts(row, "schedules", where) if "schedules" in row else ()
    for schedule in schedules:
        if schedule not in schedule_ids:
            raise RulesError(f"{where}.schedules: {schedule!r} is not a schedule of this drug")
    percent = number(row, "percent", where) if "percent" in row else None
    dose = number(row, "dose", where) if "dose" in row else None
    if percent is not None and not 0 <= percent <= 100:
        raise RulesError(f"{where}.percent: {percent:g} is outside 0–100")
    if dose is not None and dose <= 0:
        raise RulesError(f"{where}.dose must be positive")
    if status == "reduced" and percent is None and dose is None:
        raise RulesError(f"{where}: a reduced band needs percent or dose")
    if status != "reduced" and (percent is not None or dose is not None):
        raise RulesError(f"{where}: only a reduced band gives a percent or dose")
    if_unknown = text(row, "if_unknown", where) if "if_unknown" in row else "block"
    if if_unknown not in IF_UNKNOWN:
        raise RulesError(f"{where}.if_unknown: {if_unknown!r} is not one of {IF_UNKNOWN}")
    cited = texts(row, "sources", where)
    sources_resolve(cited, sources, where)
    when = row["when"]
    if not isinstance(when, list) or not when or not all(isinstance(c, dict) for c in when):
        raise RulesError(f"{where}.when: must be a non-empty list of conditions")
    conditions = tuple(_condition(c, f"{where}.when[{n}]") for n, c in enumerate(when))
    return DoseBand(
        id=band_id,
        labels=_labels(row, where),
        schedules=schedules,
        when=conditions,
        status=status,
        percent=percent,
        dose=dose,
        timing=_timing(row, where) if "timing" in row else None,
        warning=text(row, "warning", where) if "warning" in row else None,
        sources=cited,
        verified=flag(row, "verified", where),
        alternative=flag(row, "alternative", where) if "alternative" in row else False,
        if_unknown=if_unknown,
    )


def _condition(row: Mapping[str, Any], where: str) -> Condition:
    measure = row.get("measure")
    if measure in CATEGORICAL_MEASURES:
        keys(row, {"measure", "in"}, set(), where)
        values = texts(row, "in", where)
        allowed = CATEGORICAL_MEASURES[measure]
        if not values or any(v not in allowed for v in values):
            raise RulesError(f"{where}.in: {list(values)!r} must name some of {allowed}")
        return Condition(measure, values=frozenset(values))
    if measure not in NUMERIC_MEASURES:
        known = sorted([*NUMERIC_MEASURES, *CATEGORICAL_MEASURES])
        raise RulesError(f"{where}.measure: {measure!r} is not one of {known}")
    keys(row, {"measure"}, {"above", "from", "below", "upto"}, where)
    if "above" in row and "from" in row:
        raise RulesError(f"{where}: give one of above/from")
    if "below" in row and "upto" in row:
        raise RulesError(f"{where}: give one of below/upto")
    low_key = "above" if "above" in row else "from" if "from" in row else None
    high_key = "below" if "below" in row else "upto" if "upto" in row else None
    if low_key is None and high_key is None:
        raise RulesError(f"{where}: a numeric condition needs a lower or an upper edge")
    low = number(row, low_key, where) if low_key else None
    high = number(row, high_key, where) if high_key else None
    if low is not None and high is not None and not low < high:
        raise RulesError(f"{where}: lower edge {low:g} is not below upper edge {high:g}")
    return Condition(
        measure,
        low=low,
        low_inclusive=low_key == "from",
        high=high,
        high_inclusive=high_key == "upto",
    )
