"""Clinic settings as the program uses them: the one place a record's stored settings become the
`ClinicSettings` every rule reads (`of_record`), their check against the rule tables before they
are saved, and the save itself.

What each setting is (its key, kind, default, words) is the settings table,
resources/rules/clinic_settings.toml; the stored form is read and written by the codec on
`ClinicSettings` (planner.domain.settings). Nothing here repeats either."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.domain.givable import check_factors, check_start_tests
from planner.domain.hepatic import check_crisis_rise
from planner.domain.instruments.liver_scores import visceral_crisis_rise
from planner.domain.problems import InputInvalid, Problem
from planner.domain.settings import ClinicSettings
from planner.domain.settings_table import SettingRow, SettingsTable
from planner.domain.supportive_tables import SupportiveSettings
from planner.rules.clinic_settings import rule_options
from planner.services.rule_tables import case_limits, rules

if TYPE_CHECKING:  # opened in record_settings only: `planner plan --pdf` needs no storage
    from planner.services.patient_record import PatientRecord


def settings_table() -> SettingsTable:
    """Every clinic setting, in the order the dialog shows them."""
    return rules().clinic_settings


def from_stored(values: Mapping[str, Any]) -> ClinicSettings:
    """Stored settings (key -> JSON value; unset keys: the defaults) as the engine takes them.
    Raises InputInvalid naming each value it cannot use (a ValueError)."""
    ruleset = rules()
    return ClinicSettings.from_stored(
        values, ruleset.clinic_settings, ruleset.limits.canonical_drug
    )


def of_record(record: PatientRecord) -> ClinicSettings:
    """The record's clinic settings: THE merge of stored values and defaults, for every caller
    (plans, prints, the wizard, cycle reviews). Raises InputInvalid for unusable settings."""
    return from_stored(record.clinic_settings())


def crisis_rise_bounds() -> dict[str, float]:
    """The meaningful-rise setting's default and bounds (%), from the visceral-crisis rule row."""
    row = visceral_crisis_rise(rules().instruments)
    return {
        "default": row["default_percent"],
        "low": row["lowest_percent"],
        "high": row["highest_percent"],
    }


def check_clinic_settings(values: Mapping[str, Any]) -> list[Problem]:
    """Problems with stored clinic settings, each named by its key (`lab_uln.bilirubin`,
    `supportive.itch_ladder`), before they are saved or used."""
    try:
        checked = from_stored(values)
    except InputInvalid as exc:
        return list(exc.problems)
    ruleset = rules()
    problems: list[Problem] = []
    for check in (
        lambda: checked.instrument_settings(ruleset.instruments),
        lambda: SupportiveSettings.resolve(ruleset.supportive, checked.supportive),
        lambda: check_factors(ruleset.hard_limits, checked.anthracycline_factors),
        lambda: check_crisis_rise(ruleset.instruments, checked.crisis_rise_percent),
        lambda: ruleset.cycle.check_choices(checked.cycle_choices),
        lambda: check_start_tests(ruleset.hard_limits, checked.start_tests),
    ):
        try:
            check()
        except (ValueError, TypeError) as exc:
            problems.append(_named(str(exc)))
    problems.extend(_lab_problems(checked))
    limits = case_limits()
    for drug in checked.formulary or ():
        if drug not in limits.drugs:
            problems.append(Problem("formulary", f'"{drug}" is not a known drug name'))
    return problems


def save(record: PatientRecord, values: Mapping[str, Any]) -> list[Problem]:
    """Check `values` (the stored form) and, when sound, keep them in the codec's form; keys
    the table does not know are left as they were. Returns the problems (nothing saved)."""
    problems = check_clinic_settings(values)
    if not problems:
        record.set_clinic_settings(from_stored(values).to_stored(settings_table()))
    return problems


def _named(message: str) -> Problem:
    """A rule-table check's message as a problem named by the setting's key."""
    head, sep, rest = message.partition(": ")
    if sep and head.startswith("supportive setting "):
        return Problem(f"supportive.{head.removeprefix('supportive setting ')}", rest)
    if sep and " " not in head:  # "anthracycline_factors.epirubicin: 3 is outside 0.5–1"
        return Problem(head, rest)
    return Problem("settings", message)


def _lab_problems(settings: ClinicSettings) -> list[Problem]:
    problems: list[Problem] = []
    labs = case_limits().labs
    for lab, uln in settings.lab_uln.items():
        definition = labs.get(lab)
        if definition is None or not definition.takes_uln:
            problems.append(
                Problem(f"lab_uln.{lab}", "is not a test with an upper limit of normal")
            )
            continue
        unit = definition.canonical_unit
        rng = definition.units[unit]
        low, high = rng.uln_plausible_low, rng.uln_plausible_high
        if low is not None and high is not None and not low <= uln <= high:
            problems.append(
                Problem(
                    f"lab_uln.{lab}",
                    f"{uln:g} {unit} is outside the plausible {low:g}–{high:g} {unit}",
                )
            )
    for lab, unit in settings.units.items():
        definition = labs.get(lab)
        if definition is None:
            problems.append(Problem(f"units.{lab}", "is not a lab test"))
        elif unit not in (*definition.units, *dict(definition.entry_units)):
            problems.append(Problem(f"units.{lab}", f"{unit!r} is not a unit of {lab}"))
    return problems


def record_settings(path: Path) -> ClinicSettings:
    """The clinic settings kept in the record at `path` (`planner plan` / `dose` with --db).
    A missing record or unusable settings are input errors naming the file."""
    from planner.services.patient_record import PatientRecord, RecordUnavailable

    if not Path(path).is_file():
        raise InputInvalid(
            (Problem(str(path), "no record here (create one with `planner db init`)"),)
        )
    try:
        record = PatientRecord(Path(path))
    except RecordUnavailable as exc:
        raise InputInvalid((Problem(str(path), str(exc)),)) from None
    try:
        values = record.clinic_settings()
    finally:
        record.close()
    problems = check_clinic_settings(values)
    if problems:
        raise InputInvalid(
            tuple(Problem(f"{path}: clinic settings {p.path}", p.message) for p in problems)
        )
    return from_stored(values)


def row_choices(row: SettingRow) -> tuple[tuple[str, ...], str]:
    """A choice row's options, in the order offered, and its default: the row's own, or (where
    published sources disagree) those of the rule table named by `options_from`."""
    ruleset = rules()
    if row.kind == "rule_choice":
        return rule_options(
            row, ruleset.instruments, ruleset.supportive, ruleset.hard_limits, ruleset.cycle
        )
    if row.kind == "band_pair":
        low, high = (ruleset.supportive.settings[k].default for k in row.keys)
        return row.options, f"{float(low):g} {float(high):g}"
    return row.options, row.default


def row_sources(row: SettingRow) -> tuple[tuple[str, ...], bool]:
    """The sources behind a setting where sources disagree (titles with their section) and
    whether all were checked in the primary text; none for the clinic's own settings."""
    ruleset = rules()
    cited: tuple[str, ...] = ()
    verified = True
    if row.options_from == "instruments":
        rule = ruleset.instruments.setting(row.name)
        cited, verified = rule.sources, rule.verified
    elif row.options_from == "supportive":
        setting = ruleset.supportive.settings[row.keys[0] if row.keys else row.name]
        cited, verified = setting.sources, setting.verified
    elif row.options_from == "hard_limits" and row.section == "start_tests":
        test = ruleset.hard_limits.tests[row.name]  # both options' sources (rule 5)
        cited, verified = (*test.required_sources, *test.advised_sources), test.verified
    elif row.options_from == "hard_limits":
        equivalent = ruleset.hard_limits.equivalents[row.name]
        cited, verified = equivalent.sources, equivalent.verified
    elif row.options_from == "cycle":
        disagreement = ruleset.cycle.settings[row.name]
        cited, verified = disagreement.sources, disagreement.verified
    elif row.options_from == "visceral_crisis":
        formula = visceral_crisis_rise(ruleset.instruments)
        cited, verified = formula.sources, formula.verified
    titles = tuple(
        f"{ruleset.sources[s].title} ({ruleset.sources[s].section})"
        if ruleset.sources[s].section
        else ruleset.sources[s].title
        for s in cited
        if s in ruleset.sources
    )
    return titles, verified
