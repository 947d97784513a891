"""resources/rules/clinic_settings.toml -> the `SettingsTable`, read strictly and cross-checked
against the rule tables its rows take their options from (every option has words, no stale
words, every lab is a lab of case_limits.toml)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.domain.cycle_tables import CycleTables
from planner.domain.hard_limit_tables import TEST_OPTIONS, HardLimitTables
from planner.domain.instruments.liver_scores import visceral_crisis_rise
from planner.domain.instruments.tables import InstrumentRules
from planner.domain.limits import CaseLimits
from planner.domain.settings_table import SettingRow, SettingsTable
from planner.domain.supportive_tables import SupportiveTables
from planner.rules.errors import RulesError
from planner.rules.reader import Layout, TableReader, check_document, rows

TABLE = "clinic_settings.toml"
LAYOUT = Layout(
    TABLE,
    {"setting": SettingRow},
    required=("setting",),
    table="clinic_settings",
    doc="Every clinic setting: where the record keeps it, its kind, default, unit and words; the "
    "settings dialog and the first run are built from these rows, in this order.",
)


def load_settings_table(
    documents: Mapping[str, dict[str, Any]],
    sources: Mapping[str, Any],
    *,
    limits: CaseLimits,
    instruments: InstrumentRules,
    supportive: SupportiveTables,
    hard_limits: HardLimitTables,
    cycle: CycleTables | None = None,
) -> SettingsTable:
    document = documents.get(TABLE)
    if document is None:
        raise RulesError(f"missing rule table {TABLE}")
    check_document(LAYOUT, TABLE, document)
    reader = TableReader(sources)
    out: list[SettingRow] = []
    for i, raw in enumerate(rows(document, "setting", TABLE)):
        where = f"{TABLE} setting[{i}]"
        row = reader.row(SettingRow, raw, where)
        if any(row.key == seen.key for seen in out):
            raise RulesError(f"{where}: key {row.key} is declared twice")
        _check(row, where, limits, instruments, supportive, hard_limits, cycle)
        out.append(row)
    return SettingsTable(rows=tuple(out))


def rule_options(
    row: SettingRow,
    instruments: InstrumentRules,
    supportive: SupportiveTables,
    hard_limits: HardLimitTables,
    cycle: CycleTables | None = None,
) -> tuple[tuple[str, ...], str]:
    """A rule_choice row's options (as the row's words name them) and its default, from the rule
    table that holds them (`cycle`: a cycle-review [[setting]], where labels disagree)."""
    if row.options_from == "instruments":
        setting = instruments.setting(row.name)
        return tuple(setting.options), setting.default
    if row.options_from == "supportive":
        choice = supportive.settings[row.name]
        return tuple(str(o) for o in choice.options), str(choice.default)
    if row.options_from == "hard_limits" and row.section == "start_tests":
        test = hard_limits.tests[row.name]
        return TEST_OPTIONS, test.default
    if row.options_from == "hard_limits":
        equivalent = hard_limits.equivalents[row.name]
        return tuple(f"{f:g}" for f in equivalent.offered), f"{equivalent.default:g}"
    if row.options_from == "cycle" and cycle is not None:
        disagreement = cycle.settings[row.name]
        return disagreement.options, disagreement.default
    raise KeyError(row.options_from)


def _check(
    row: SettingRow,
    where: str,
    limits: CaseLimits,
    instruments: InstrumentRules,
    supportive: SupportiveTables,
    hard_limits: HardLimitTables,
    cycle: CycleTables | None = None,
) -> None:
    needs_source = row.kind in ("rule_choice", "band_pair", "percent")
    if needs_source != (row.options_from is not None):
        raise RulesError(
            f"{where}.options_from: "
            + (
                "required for this kind"
                if needs_source
                else "only for rule_choice, band_pair, percent"
            )
        )
    if row.ask and row.kind != "choice":
        raise RulesError(f"{where}.ask: only a choice row is asked for at the first run")
    if (row.kind in ("lab_uln", "lab_units")) != bool(row.labs):
        raise RulesError(f"{where}.labs: required for lab_uln and lab_units, and only for them")
    for lab in row.labs:
        if lab not in limits.labs:
            raise RulesError(f"{where}.labs: {lab!r} is not a lab of case_limits.toml")
        if row.kind == "lab_uln" and not limits.labs[lab].takes_uln:
            raise RulesError(f"{where}.labs: {lab!r} has no upper limit of normal")
    options: tuple[str, ...] = row.options
    if row.kind == "rule_choice":
        try:
            options, _ = rule_options(row, instruments, supportive, hard_limits, cycle)
        except KeyError:
            raise RulesError(
                f"{where}.key: {row.name!r} is not a setting of the {row.options_from} tables"
            ) from None
        if row.options or row.default:
            raise RulesError(
                f"{where}: options and default come from the {row.options_from} tables"
            )
    elif row.kind == "band_pair":
        if len(row.keys) != 2 or any(k not in supportive.settings for k in row.keys):
            raise RulesError(f"{where}.keys: two supportive settings, low first")
        for option in row.options:
            parts = option.split()
            if len(parts) != 2 or not all(p.isdigit() for p in parts):
                raise RulesError(f"{where}.options: {option!r} is not two whole numbers")
    elif row.kind == "percent":
        visceral_crisis_rise(instruments)  # the row it takes its bounds from must be there
    elif row.kind == "choice":
        if not row.options or row.default not in row.options:
            raise RulesError(f"{where}.default: must be one of its options")
    elif row.options or row.words:
        raise RulesError(f"{where}: a {row.kind} setting has no options")
    if set(row.words) != set(options):
        missing = sorted(set(options) - set(row.words))
        stale = sorted(set(row.words) - set(options))
        raise RulesError(
            f"{where}.words: "
            + "; ".join(
                part
                for part in (
                    f"no words for {', '.join(missing)}" if missing else "",
                    f"words for options not offered: {', '.join(stale)}" if stale else "",
                )
                if part
            )
        )
    for old, option in row.legacy.items():
        if option not in options:
            raise RulesError(f"{where}.legacy.{old}: {option!r} is not one of its options")
