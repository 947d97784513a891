"""Strict loading of resources/rules/doses/*.toml into `planner.domain.dose_tables.DoseTables`.

File layout (one file per drug family)::

    [meta]                       table = "doses", family, version, reviewed_on
    [[source]]                   id (prefix "dose."), title, reference, url (read by the loader)
    [[drug]]                     name (must be in drugs.toml), notes = [...]
    [[drug.schedule]]            id, value | no_dose_because, unit, route, timing, labels,
                                 sources, verified, loading?
    [drug.tablets]               strengths_mg, rounding, sources, verified (oral drugs)
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

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from planner.domain.dose_tables import (
    CATEGORICAL_MEASURES,
    LABEL_SETS,
    NUMERIC_MEASURES,
    Condition,
    DoseBand,
    DoseTables,
    DrugDoseTable,
    Schedule,
    doses_named,
)
from planner.domain.tablets import TabletForm
from planner.rules.errors import RulesError
from planner.rules.reader import Layout, TableReader, band_edges, check_document, rows

DOSES_DIR = "doses/"
LAYOUT = Layout(
    "doses/*.toml",
    {"drug": DrugDoseTable},
    table="doses",
    meta=("table", "family", "version", "reviewed_on"),
    source_prefix="dose.",
    doc="Standard schedules and organ-function bands of each drug, one file per drug family.",
)


def load_doses(
    documents: Mapping[str, dict[str, Any]],
    sources: Mapping[str, Any],
    drugs: Mapping[str, Any],
) -> DoseTables:
    """Read every `doses/*.toml` document (keyed by path relative to the rules directory)."""
    reader = TableReader(sources, drugs)
    tables: dict[str, DrugDoseTable] = {}
    band_ids: set[str] = set()
    for name in sorted(documents):
        if not name.startswith(DOSES_DIR):
            continue
        document = documents[name]
        check_document(LAYOUT, name, document)
        for i, row in enumerate(rows(document, "drug", name)):
            table = _drug(reader, row, f"{name} drug[{i}]", band_ids)
            if table.name in tables:
                raise RulesError(f"{name} drug[{i}]: {table.name!r} has a dose table already")
            tables[table.name] = table
    citations = {
        sid: source.cite() if hasattr(source, "cite") else str(source)
        for sid, source in sources.items()
        if sid.startswith("dose.")
    }
    return DoseTables(MappingProxyType(tables), MappingProxyType(citations))


def _drug(
    reader: TableReader, row: Mapping[str, Any], where: str, band_ids: set[str]
) -> DrugDoseTable:
    # the drug's own keys first (its name names the rows below in messages)
    table = reader.row(DrugDoseTable, row, where, schedules=(), bands=(), tablets=None)
    name = table.name
    schedules: list[Schedule] = []
    for j, srow in enumerate(rows(row, "schedule", where)):
        schedule = _schedule(reader, srow, f"{where} ({name}) schedule[{j}]")
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
        _band(reader, brow, f"{where} ({name}) band[{k}]", schedule_ids, band_ids)
        for k, brow in enumerate(rows(row, "band", where))
    )
    for band in bands:
        _band_fits_schedules(band, schedules, f"{where} ({name}) band {band.id!r}")
    tablets = None
    if "tablets" in row:
        twhere = f"{where} ({name}).tablets"
        if not isinstance(row["tablets"], dict):
            raise RulesError(f"{twhere}: must be a table")
        tablets = reader.row(TabletForm, row["tablets"], twhere)
        if any(s.route != "orally" for s in schedules):
            raise RulesError(f"{twhere}: tablets for a drug not given orally")
    return dataclasses.replace(table, schedules=tuple(schedules), bands=bands, tablets=tablets)


def _schedule(reader: TableReader, srow: Mapping[str, Any], swhere: str) -> Schedule:
    schedule = reader.row(Schedule, srow, swhere)
    if (schedule.no_dose_because is None) == (schedule.value is None):
        raise RulesError(f"{swhere}: give a value or no_dose_because (exactly one)")
    if schedule.loading is not None and schedule.loading == schedule.value:
        raise RulesError(f"{swhere}.loading: a positive first-cycle dose other than value")
    if schedule.loading is not None and schedule.value is None:
        raise RulesError(f"{swhere}.loading: a positive first-cycle dose other than value")
    _timing(schedule.timing, swhere)
    _words(schedule.patient_words, swhere)
    if (schedule.later_days is None) != (schedule.later_patient_words is None):
        raise RulesError(f"{swhere}: later_days and later_patient_words go together")
    if schedule.later_patient_words is not None:
        _words(schedule.later_patient_words, f"{swhere}.later_patient_words")
    count_keys = ("count_days", "count_cycles", "count_what", "count_sources")
    if len({getattr(schedule, key) is None for key in count_keys}) != 1:
        raise RulesError(f"{swhere}: {', '.join(count_keys)} go together")
    if (schedule.count_then_days is None) != (schedule.count_then_until is None):
        raise RulesError(f"{swhere}: count_then_days and count_then_until go together")
    if schedule.count_then_until is not None and (
        schedule.count_cycles is None or schedule.count_then_until <= schedule.count_cycles
    ):
        raise RulesError(f"{swhere}.count_then_until: a cycle after count_cycles")
    for key in ("days", "later_days", "count_days", "count_then_days"):
        days = getattr(schedule, key) or ()
        if list(days) != sorted(set(days)):
            raise RulesError(f"{swhere}.{key}: {list(days)!r} must be ascending, each day once")
        if days and schedule.cycle_days is not None and days[-1] > schedule.cycle_days:
            raise RulesError(
                f"{swhere}.{key}: day {days[-1]} is after the {schedule.cycle_days}-day cycle"
            )
    for key in ("id", "no_dose_because"):
        if "placeholder" in str(getattr(schedule, key) or "").lower():
            raise RulesError(f"{swhere}.{key}: a placeholder is not a dose")
    return schedule


def _timing(timing: str, where: str) -> None:
    """How and when, without a dose: the printed text takes the dose from the row itself."""
    named = doses_named(timing)
    if named:
        raise RulesError(
            f"{where}.timing: {timing!r} names a dose ({named[0][0]:g} {named[0][1]}); the "
            "printed schedule takes the dose from the row"
        )
    if "placeholder" in timing.lower():
        raise RulesError(f"{where}.timing: a placeholder is not a schedule")


def _words(words: str, where: str) -> None:
    """The booklet's words: how often, never an amount (the booklet prints no dose)."""
    if not words.strip():
        raise RulesError(f"{where}.patient_words: empty; say how often in plain words")
    if doses_named(words):
        raise RulesError(f"{where}.patient_words: {words!r} names a dose")


def _band_fits_schedules(band: DoseBand, schedules: list[Schedule], where: str) -> None:
    applies = [s for s in schedules if not band.schedules or s.id in band.schedules]
    if band.dose is not None and len({s.value for s in applies}) > 1:
        raise RulesError(
            f"{where}: gives {band.dose:g} for schedules with different standard doses "
            f"({', '.join(s.id for s in applies)}); name its schedules"
        )
    if band.status == "reduced" and any(s.loading is not None for s in applies):
        raise RulesError(f"{where}: reduces a schedule with a loading dose (no rule says how)")


def _band(
    reader: TableReader,
    row: Mapping[str, Any],
    where: str,
    schedule_ids: set[str],
    band_ids: set[str],
) -> DoseBand:
    when = row.get("when")
    if not isinstance(when, list) or not when or not all(isinstance(c, dict) for c in when):
        raise RulesError(f"{where}.when: must be a non-empty list of conditions")
    conditions = tuple(_condition(reader, c, f"{where}.when[{n}]") for n, c in enumerate(when))
    band = reader.row(DoseBand, row, where, when=conditions)
    if band.id in band_ids:
        raise RulesError(f"{where}: band id {band.id!r} is defined twice")
    band_ids.add(band.id)
    for schedule in band.schedules:
        if schedule not in schedule_ids:
            raise RulesError(f"{where}.schedules: {schedule!r} is not a schedule of this drug")
    reduced = band.status == "reduced"
    if reduced and band.percent is None and band.dose is None:
        raise RulesError(f"{where}: a reduced band needs percent or dose")
    if not reduced and (band.percent is not None or band.dose is not None):
        raise RulesError(f"{where}: only a reduced band gives a percent or dose")
    if band.timing is not None:
        _timing(band.timing, where)
    if (band.timing is None) != (band.patient_words is None):
        raise RulesError(f"{where}: timing and patient_words go together (the booklet's words)")
    if band.patient_words is not None:
        _words(band.patient_words, where)
    if band.later_patient_words is not None:
        if band.patient_words is None:
            raise RulesError(f"{where}.later_patient_words: only with timing and patient_words")
        _words(band.later_patient_words, f"{where}.later_patient_words")
    return band


def _condition(reader: TableReader, row: Mapping[str, Any], where: str) -> Condition:
    measure: Any = row.get("measure")  # checked against the measures below
    if measure in CATEGORICAL_MEASURES:
        if set(row) - {"measure", "in"}:
            raise RulesError(f"{where}: unknown keys {sorted(set(row) - {'measure', 'in'})}")
        values = row.get("in")
        allowed = CATEGORICAL_MEASURES[measure]
        if (
            not isinstance(values, list)
            or not values
            or any(not isinstance(v, str) or v not in allowed for v in values)
        ):
            raise RulesError(f"{where}.in: {values!r} must name some of {', '.join(allowed)}")
        return reader.row(Condition, row, where, values=frozenset(values))
    if measure in NUMERIC_MEASURES and "in" in row:
        raise RulesError(f"{where}: unknown keys ['in']")
    if "above" in row and "from" in row:
        raise RulesError(f"{where}: give one of above/from")
    if "below" in row and "upto" in row:
        raise RulesError(f"{where}: give one of below/upto")
    return reader.row(Condition, row, where, **band_edges(row, where))
