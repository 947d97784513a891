"""The clinic settings table (resources/rules/clinic_settings.toml): one row per setting.

Every clinic setting is declared once, as data: where it is kept in the record (`key`), what kind
of value it takes, its default, its unit, the words of its label and help, and which tab of the
settings dialog shows it (`essential` rows are also what the first run asks). A setting where
published sources disagree does not repeat the rule tables: `options_from` names the rule row
that holds its options, its default and its sources (an instrument `[[setting]]`, a supportive
`[[setting]]`, a hard-limit `[[equivalent]]`, the visceral-crisis row), and the row here adds only
the words a nurse reads for each option. The codec (`planner.domain.settings`) reads and writes
the stored form from these rows; the dialog (`planner.ui.settings_dialog`) is built from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated

from planner.domain.frozen_value import frozen_value
from planner.domain.table_keys import Key

#: what a row's value is, and so which field the dialog builds for it
KINDS = (
    "text",  # one line of text
    "phone",  # a phone number as the clinic writes it
    "choice",  # one of the row's own `options`
    "rule_choice",  # one of the options of the rule row named by `options_from`
    "band_pair",  # two numbers that move together (`keys`), one of the row's `options` ("4 7")
    "percent",  # a number within the bounds of the rule row named by `options_from`
    "lab_uln",  # a default upper limit of normal for each of `labs`, in the lab's canonical unit
    "lab_units",  # the unit offered first for each of `labs`
    "drug_list",  # drug names (empty: every drug is available)
)
TABS = ("essential", "expert")
_NONE: Mapping[str, str] = MappingProxyType({})
#: where a rule_choice or percent row takes its options, default and sources from
OPTION_SOURCES = ("instruments", "supportive", "hard_limits", "visceral_crisis", "cycle")


@frozen_value
class SettingRow:
    """One clinic setting as the record keeps it and the settings dialog shows it."""

    key: Annotated[
        str,
        Key(
            doc="where the record keeps it: a top-level key, or section.name for a setting kept "
            "inside one (`supportive.itch_ladder`, `instrument_settings.hads_bands`)"
        ),
    ]
    kind: Annotated[str, Key(one_of=KINDS, doc="what the value is (see settings_table.KINDS)")]
    tab: Annotated[
        str,
        Key(
            one_of=TABS,
            doc="essential: the first tab, and what the first run asks; expert: the second tab",
        ),
    ]
    group: Annotated[str, Key(doc="the heading of the box it is shown in")]
    label: Annotated[str, Key(doc="the field's name as shown; & marks its Alt key")]
    help: Annotated[str, Key(default="", doc="one or two sentences shown with the field")]
    unit: Annotated[str, Key(default="", doc="the unit the value is in, as shown")]
    default: Annotated[
        str, Key(default="", doc="the value when none is stored (a choice: one of `options`)")
    ]
    options: Annotated[
        tuple[str, ...],
        Key(default=(), doc="a choice's values in the order offered (a band pair: 'low high')"),
    ]
    words: Annotated[
        Mapping[str, str],
        Key(default=_NONE, doc="option = the words shown for it (every option has words)"),
    ]
    legacy: Annotated[
        Mapping[str, str],
        Key(
            default=_NONE,
            doc="value an older version stored = the option it means (read, never written)",
        ),
    ]
    options_from: Annotated[
        str | None,
        Key(one_of=OPTION_SOURCES, doc="the rule tables holding its options, default and sources"),
    ]
    keys: Annotated[
        tuple[str, ...], Key(default=(), doc="a band pair: the two settings it sets, low first")
    ]
    labs: Annotated[
        tuple[str, ...], Key(default=(), doc="lab_uln and lab_units: labs of case_limits.toml")
    ]
    ask: Annotated[
        bool,
        Key(
            default=False,
            doc="a choice the first run asks for: no option is preselected and one must be "
            "chosen (the default then serves only records set up before the row asked)",
        ),
    ]

    @property
    def section(self) -> str:
        """The top-level stored key (`supportive` for `supportive.itch_ladder`)."""
        return self.key.partition(".")[0]

    @property
    def name(self) -> str:
        """The setting's own name (`itch_ladder`; the key itself at top level)."""
        return self.key.rpartition(".")[2]

    @property
    def shown(self) -> str:
        """The label without its Alt-key mark."""
        return self.label.replace("&", "")


@frozen_value
class SettingsTable:
    """Every clinic setting, in the order the dialog shows them."""

    rows: tuple[SettingRow, ...]

    def row(self, key: str) -> SettingRow:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(f"no clinic setting {key}")

    def on_tab(self, tab: str) -> tuple[SettingRow, ...]:
        return tuple(row for row in self.rows if row.tab == tab)
