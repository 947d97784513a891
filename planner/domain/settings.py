"""Clinic settings that change what the engine concludes (DESIGN.md "Clinic settings").

ONE frozen value reaches every rule: the engine, the liver assessment, dosing, the supportive
screens and rules all read this object, and every plan records it (plan JSON `settings`, built
by `to_json`). It is stored in the record (key -> JSON value, planner.storage.stored_settings) and
built from there by the codec below, called at one place (`services.clinic_settings.of_record`).

- `labels`: which label set the clinic follows, `"us"` or `"eu"` (dose bands can differ).
- `lab_uln`: the clinic's default upper limits of normal, by lab name (`bilirubin`, `ast`, `alt`,
  `alp`, `ggt`), **in the lab's canonical unit** (bilirubin µmol/L, enzymes U/L). Used only for a
  result that carries no `uln` of its own; empty by default, because the program ships no
  reference ranges (a missing ULN is a gap, never a guess).
- `instrument_choices`: the clinic's option at each point where instrument sources disagree, by
  `InstrumentSettings` field name, in the instrument rule tables' own option names
  (resources/rules/instruments/*.toml `[[setting]]`): `child_pugh_albumin` (`pugh_1973`: 28 g/L,
  the default, or `harrison`: 30 g/L), `distress_cutoff` (`nccn`: >= 4, the default, or `onf`:
  >= 3), `pgsga_box2`, `hads_bands`, `phq2_cutoff`, `kps_ecog_mapping`. Anything not given takes
  the table default. Names are checked here; options against the tables by
  `instrument_settings(rules)` (an unknown one is an error).
- `formulary`: drug names the clinic can actually give; `None` means everything is available.
- `supportive`: the clinic's supportive-care cut-offs and choices by setting name (e.g.
  `{"phq9_moderate_min": 10, "itch_ladder": "bsg"}`); anything not given takes the default of
  resources/rules/supportive.toml. Names and ranges are checked against those tables by
  `planner.domain.supportive_tables.SupportiveSettings.resolve` (an unknown name is an error).
- `anthracycline_factors`: the clinic's doxorubicin-equivalence factor by anthracycline name
  (`{"epirubicin": 0.67}`), for the lifetime anthracycline ledger; anything not given takes the
  default of resources/rules/hard_limits.toml (`[[equivalent]]`), whose `range` bounds it
  (checked by `planner.domain.givable.check_factors`).
- `crisis_rise_percent`: the smallest increase of bilirubin, in percent of a result at most 14
  days older, that counts as "rising" for hepatic visceral crisis (contract §3a); `None` takes the
  default of the visceral-crisis rule row (instruments/liver_kidney_body.toml).
- `cycle_choices`: the clinic's option at each point where labels disagree in the cycle review,
  by setting name of the cycle tables (resources/rules/cycle/*.toml `[[setting]]`, e.g.
  `{"gemcitabine_day8_with_carboplatin": "breast_with_paclitaxel"}`); anything not given takes the
  table default. Checked against the tables by `CycleTables.check_choices`; each has a row of the
  settings table (`options_from = "cycle"`), so the settings dialog shows it.
- `start_tests`: the clinic's option for each test before a first dose where the labels disagree
  on whether the dose waits for its result (resources/rules/hard_limits.toml `[[start_test]]`, by
  name: `{"dpyd": "advised"}`): `required` (no dose while the result is not recorded) or
  `advised` (the dose, with a warning that it is not recorded); anything not given takes the
  table default. Checked against the tables by `planner.domain.givable.check_start_tests`.
- `course_plan_max_age_days`: a treatment course whose first cycle is more than this many days
  after the plan's assessment asks first (one of the settings table's options).
- `course_labs_valid_days`: a signed cycle decision (day 1 or a day inside the cycle) is
  recorded as given only within this many days of the labs it read (one of the table's options).
- `clinic_name`, `clinic_phone`, `out_of_hours_phone`: printed on the plan, the booklet and the
  referral slips (empty: said in words where a number belongs, never left blank); `paper`: `"a4"`
  or `"letter"` for the printed plan; `emergency_phone`: printed beside "call an ambulance" in
  the booklet (empty: a line to write it in).
- `family_slips_mood_details`: whether the slips printed for the family (with the booklet) carry
  the mood questionnaire answers on the mood services' slips (`withheld`, the default, or
  `printed`; reports/slips.py). Print settings, not part of a plan's recorded settings.
- `date_format`, `units` (lab -> the unit offered first), `mrn_rule`: how the window shows dates,
  offers units and normalises MRNs. Not part of a plan's recorded settings (they change no
  conclusion).

The stored form (the record's key -> JSON value) is read and written by ONE codec here,
`ClinicSettings.from_stored` / `to_stored`, driven by the settings table
(resources/rules/clinic_settings.toml, `planner.domain.settings_table`): every key, its kind and
its options are the table's rows; a bad value is an `InputInvalid` naming the stored key
(`lab_uln.bilirubin`, `instrument_settings.hads_bands`). Older records stay readable: a value
an older version stored (`distress_cutoff = 4`, `child_pugh_albumin = "2.8"`, a `clinic_phones`
list) is read through the rows' `legacy` words and written back in today's form.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import field, fields
from types import MappingProxyType
from typing import Any

from planner.domain.dates import DATE_FORMATS, DEFAULT_DATE_FORMAT
from planner.domain.frozen_value import frozen_value
from planner.domain.instruments.instrument_settings import InstrumentSettings
from planner.domain.instruments.tables import InstrumentRules
from planner.domain.problems import InputInvalid, Problem
from planner.domain.settings_table import SettingRow, SettingsTable

LABEL_SETS = ("us", "eu")
PAPER_SIZES = ("a4", "letter")
INSTRUMENT_SETTING_NAMES = tuple(item.name for item in fields(InstrumentSettings))


@frozen_value
class ClinicSettings:
    labels: str = "us"
    lab_uln: Mapping[str, float] = field(default_factory=dict, hash=False)
    instrument_choices: Mapping[str, str] = field(default_factory=dict, hash=False)
    formulary: frozenset[str] | None = None
    clinic_name: str = ""
    clinic_phone: str = ""
    out_of_hours_phone: str = ""
    # the number printed beside "call an ambulance" (empty: a line to write it in)
    emergency_phone: str = ""
    paper: str = "a4"
    supportive: Mapping[str, float | str] = field(default_factory=dict, hash=False)
    anthracycline_factors: Mapping[str, float] = field(default_factory=dict, hash=False)
    crisis_rise_percent: float | None = None
    cycle_choices: Mapping[str, str] = field(default_factory=dict, hash=False)
    start_tests: Mapping[str, str] = field(default_factory=dict, hash=False)
    date_format: str = DEFAULT_DATE_FORMAT
    units: Mapping[str, str] = field(default_factory=dict, hash=False)
    mrn_rule: Mapping[str, str] = field(default_factory=dict, hash=False)
    # a course started from a plan assessed longer ago than this many days asks first (the
    # settings table's default, as `paper` and `labels`: test_empty_settings_are_the_defaults)
    course_plan_max_age_days: int = 60
    # a signed cycle decision is recorded as given only within this many days of the labs it
    # read (walk 24 HARM 1; the settings table's default)
    course_labs_valid_days: int = 3
    # the slips printed with the family booklet: mood questionnaire answers "withheld" (the
    # settings table's default) or "printed" on the mood services' slips (reports/slips.py)
    family_slips_mood_details: str = "withheld"

    def __post_init__(self) -> None:
        if self.date_format not in DATE_FORMATS:
            raise ValueError(
                f"date_format {self.date_format!r} is not one of {', '.join(DATE_FORMATS)}"
            )
        object.__setattr__(self, "units", MappingProxyType(dict(self.units)))
        object.__setattr__(self, "mrn_rule", MappingProxyType(dict(self.mrn_rule)))
        if self.paper not in PAPER_SIZES:
            raise ValueError(f"paper {self.paper!r} is not one of {', '.join(PAPER_SIZES)}")
        if self.labels not in LABEL_SETS:
            raise ValueError(f"labels {self.labels!r} is not one of {', '.join(LABEL_SETS)}")
        for lab, uln in self.lab_uln.items():
            if not uln > 0:
                raise ValueError(f"lab_uln[{lab!r}] must be positive")
        for name, option in self.instrument_choices.items():
            if name not in INSTRUMENT_SETTING_NAMES:
                raise ValueError(
                    f"{name!r} is not an instrument setting ({', '.join(INSTRUMENT_SETTING_NAMES)})"
                )
            if not isinstance(option, str):
                raise ValueError(f"instrument setting {name}: {option!r} is not an option name")
        object.__setattr__(self, "lab_uln", MappingProxyType(dict(self.lab_uln)))
        object.__setattr__(
            self, "instrument_choices", MappingProxyType(dict(self.instrument_choices))
        )
        object.__setattr__(self, "supportive", MappingProxyType(dict(self.supportive)))
        for drug, factor in self.anthracycline_factors.items():
            if isinstance(factor, bool) or not isinstance(factor, int | float) or not factor > 0:
                raise ValueError(f"anthracycline_factors[{drug!r}] must be a positive number")
        object.__setattr__(
            self, "anthracycline_factors", MappingProxyType(dict(self.anthracycline_factors))
        )
        for name, option in self.cycle_choices.items():
            if not isinstance(option, str):
                raise ValueError(f"cycle setting {name}: {option!r} is not an option name")
        object.__setattr__(self, "cycle_choices", MappingProxyType(dict(self.cycle_choices)))
        for name, option in self.start_tests.items():
            if not isinstance(option, str):
                raise ValueError(f"start test {name}: {option!r} is not an option name")
        object.__setattr__(self, "start_tests", MappingProxyType(dict(self.start_tests)))
        rise = self.crisis_rise_percent
        if rise is not None and (
            isinstance(rise, bool) or not isinstance(rise, int | float) or not 0 < rise <= 100
        ):
            raise ValueError(f"crisis_rise_percent {rise!r} is not a percentage above 0")

    @classmethod
    def from_stored(
        cls,
        values: Mapping[str, Any],
        table: SettingsTable,
        canonical_drug: Callable[[str], str] = str,
    ) -> ClinicSettings:
        """The settings kept in the record (unset keys: the defaults). Raises InputInvalid with
        every value it cannot use, each named by its stored key; nothing is replaced."""
        return _decode(values, table, canonical_drug)

    def to_stored(self, table: SettingsTable) -> dict[str, Any]:
        """The stored form, every key of the table written (the record keeps the clinic's
        choices, defaults included, so an older value is never read as "not set")."""
        return _encode(self, table)

    @property
    def missing_phones(self) -> tuple[str, ...]:
        """The clinic phone settings left empty, by stored key (the print says so in words)."""
        return tuple(
            key
            for key, number in (
                ("clinic_phone", self.clinic_phone),
                ("clinic_out_of_hours_phone", self.out_of_hours_phone),
            )
            if not number.strip()
        )

    def available(self, drug: str) -> bool:
        return self.formulary is None or drug in self.formulary

    def instrument_settings(self, rules: InstrumentRules) -> InstrumentSettings:
        """Every instrument setting: the clinic's choice, else the rule table's default.
        Raises ValueError for an option the tables do not offer."""
        return InstrumentSettings.from_rules(rules, **self.instrument_choices)

    def to_json(self, rules: InstrumentRules | None = None) -> dict[str, Any]:
        """The settings as a plan records them. With the rule tables, `instruments` holds every
        instrument setting in force (defaults included); without, only the clinic's choices."""
        instruments: dict[str, str] = dict(self.instrument_choices)
        changed = sorted(self.instrument_choices)
        if rules is not None:
            resolved = self.instrument_settings(rules)
            instruments = {name: getattr(resolved, name) for name in resolved.names()}
            changed = sorted(n for n, v in instruments.items() if v != rules.setting(n).default)
        return {
            "labels": self.labels,
            "formulary": None if self.formulary is None else sorted(self.formulary),
            "lab_uln": dict(self.lab_uln),
            "instruments": instruments,
            "instruments_changed_by_clinic": changed,
            "supportive": dict(self.supportive),
            "anthracycline_factors": dict(self.anthracycline_factors),
            "crisis_rise_percent": self.crisis_rise_percent,
            "cycle_choices": dict(self.cycle_choices),
            "start_tests": dict(self.start_tests),
            "clinic_name": self.clinic_name,
            "clinic_phone": self.clinic_phone,
            "out_of_hours_phone": self.out_of_hours_phone,
            "paper": self.paper,
        }


def _whole(value: Any) -> Any:
    """4.0 -> 4 (JSON and the tables give numbers as floats)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _option_of(row: SettingRow, value: Any) -> str | None:
    """A stored choice as the option it names: the option itself, or an older version's word."""
    if isinstance(value, str) and value in row.words:
        return value
    if _is_number(value) and f"{value:g}" in row.words:
        return f"{value:g}"
    if not isinstance(value, bool) and isinstance(value, str | int | float):
        return row.legacy.get(str(_whole(value)))
    return None


def _not_one_of(row: SettingRow, value: Any) -> str:
    if row.legacy:
        allowed = ", ".join(f"{old} ({option})" for old, option in row.legacy.items())
    else:
        allowed = ", ".join(row.words)
    return f"{value!r} is not one of {allowed}"


def _section(values: Mapping[str, Any], key: str, problems: list[Problem]) -> dict[str, Any]:
    value = values.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(Problem(key, f"{value!r} is not a table of name = value"))
        return {}
    return {str(k): v for k, v in value.items()}


def _phone(phones: Any, *, out_of_hours: bool) -> str:
    """An older version's `clinic_phones` list: the day number (the first listed) or the
    out-of-hours one (labelled night/out of hours)."""
    night_words = ("out of hours", "out-of-hours", "night", "after hours", "on call", "weekend")
    numbers = [p for p in phones or [] if isinstance(p, dict) and p.get("number")]
    for phone in numbers:
        is_night = any(w in str(phone.get("label", "")).lower() for w in night_words)
        if is_night == out_of_hours:
            return str(phone["number"])
    return ""


def _decode(
    values: Mapping[str, Any], table: SettingsTable, canonical_drug: Callable[[str], str]
) -> ClinicSettings:
    problems: list[Problem] = []
    out: dict[str, Any] = {}
    instruments = _section(values, "instrument_settings", problems)
    supportive = _section(values, "supportive", problems)
    factors = _section(values, "anthracycline_factors", problems)
    tests = _section(values, "start_tests", problems)
    cycle_choices = _section(values, "cycle_choices", problems)
    own_key = {r.name for r in table.rows if r.options_from == "instruments" and r.section == r.key}
    for name in sorted(own_key & set(instruments)):
        problems.append(Problem(f"instrument_settings.{name}", f"is set by its own key {name}"))
    choices: dict[str, str] = {}
    for name, option in instruments.items():
        if name not in INSTRUMENT_SETTING_NAMES:
            problems.append(Problem(f"instrument_settings.{name}", "is not an instrument setting"))
        elif not isinstance(option, str):
            problems.append(Problem(f"instrument_settings.{name}", f"{option!r} is not a choice"))
        else:
            choices[name] = option
    for row in table.rows:
        kind, key = row.kind, row.key
        if kind in ("text", "phone"):
            value = values.get(key)
            if value is not None and not isinstance(value, str):
                problems.append(Problem(key, f"{value!r} is not text"))
            out[key] = " ".join(str(value or "").split())
        elif kind == "choice":
            value = values.get(key)
            if value is None:
                out[key] = row.default
            elif value in row.options:
                out[key] = value
            else:
                problems.append(Problem(key, f"{value!r} is not one of {', '.join(row.options)}"))
        elif kind == "rule_choice":
            stored = (
                values.get(key)
                if row.section == key
                else {
                    "instrument_settings": instruments,
                    "supportive": supportive,
                    "anthracycline_factors": factors,
                    "start_tests": tests,
                    "cycle_choices": cycle_choices,
                }[row.section].get(row.name)
            )
            if stored is None or row.section == "anthracycline_factors":
                continue  # a factor is any number within the table's range (checked there)
            option = _option_of(row, stored)
            if option is None:
                problems.append(Problem(key, _not_one_of(row, stored)))
            elif row.options_from == "instruments":
                choices[row.name] = option
            elif row.options_from == "supportive":
                supportive[row.name] = option
            elif row.section == "start_tests":
                tests[row.name] = option
        elif kind == "lab_uln":
            uln = _section(values, key, problems)
            out[key] = {}
            for lab, number in uln.items():
                if number in (None, "", 0):  # an older version kept an emptied field
                    continue
                if not _is_number(number) or not number > 0:
                    problems.append(Problem(f"{key}.{lab}", f"{number!r} is not a positive number"))
                else:
                    out[key][lab] = float(number)
        elif kind == "lab_units":
            units = _section(values, key, problems)
            for lab, unit in units.items():
                if not isinstance(unit, str):
                    problems.append(Problem(f"{key}.{lab}", f"{unit!r} is not a unit"))
            out[key] = {lab: unit for lab, unit in units.items() if isinstance(unit, str)}
        elif kind == "drug_list":
            drugs = values.get(key)
            if drugs is None:
                out[key] = None
            elif not isinstance(drugs, list) or not all(isinstance(d, str) for d in drugs):
                problems.append(Problem(key, f"{drugs!r} is not a list of drug names"))
            else:
                out[key] = frozenset(canonical_drug(d.strip().lower()) for d in drugs if d.strip())
        elif kind == "percent":
            rise = values.get(key)
            if rise is not None and (not _is_number(rise) or not 0 < rise <= 100):
                problems.append(Problem(key, f"{rise!r} is not a percentage above 0"))
            else:
                out[key] = rise
    for drug, factor in factors.items():
        if not _is_number(factor) or not factor > 0:
            problems.append(
                Problem(f"anthracycline_factors.{drug}", f"{factor!r} is not a positive number")
            )
    if not out.get("clinic_phone"):
        out["clinic_phone"] = _phone(values.get("clinic_phones"), out_of_hours=False)
    if not out.get("clinic_out_of_hours_phone"):
        out["clinic_out_of_hours_phone"] = _phone(values.get("clinic_phones"), out_of_hours=True)
    for name, option in tests.items():
        if not isinstance(option, str):
            problems.append(Problem(f"start_tests.{name}", f"{option!r} is not an option name"))
    for name, option in cycle_choices.items():
        if not isinstance(option, str):
            problems.append(Problem(f"cycle_choices.{name}", f"{option!r} is not an option name"))
    mrn_rule = values.get("mrn_rule") or {}
    if not isinstance(mrn_rule, dict):
        problems.append(Problem("mrn_rule", f"{mrn_rule!r} is not a table of name = value"))
    if problems:
        raise InputInvalid(tuple(problems))
    return ClinicSettings(
        labels=out["labels"],
        lab_uln=out["lab_uln"],
        instrument_choices=choices,
        formulary=out["formulary"],
        clinic_name=out["clinic_name"],
        clinic_phone=out["clinic_phone"],
        out_of_hours_phone=out["clinic_out_of_hours_phone"],
        emergency_phone=out["emergency_phone"],
        paper=out["paper"],
        supportive={k: _whole(v) for k, v in supportive.items()},
        anthracycline_factors={k: float(v) for k, v in factors.items()},
        crisis_rise_percent=out.get("crisis_rise_percent"),
        cycle_choices={k: v for k, v in cycle_choices.items() if isinstance(v, str)},
        start_tests={k: v for k, v in tests.items() if isinstance(v, str)},
        date_format=out["date_format"],
        units=out["units"],
        mrn_rule={str(k): str(v) for k, v in mrn_rule.items()},
        course_plan_max_age_days=int(out["course_plan_max_age_days"]),
        course_labs_valid_days=int(out["course_labs_valid_days"]),
        family_slips_mood_details=out["family_slips_mood_details"],
    )


def _encode(settings: ClinicSettings, table: SettingsTable) -> dict[str, Any]:
    own_key = {r.name for r in table.rows if r.options_from == "instruments" and r.section == r.key}
    stored: dict[str, Any] = {
        "clinic_name": settings.clinic_name,
        "clinic_phone": settings.clinic_phone,
        "clinic_out_of_hours_phone": settings.out_of_hours_phone,
        "emergency_phone": settings.emergency_phone,
        "labels": settings.labels,
        "formulary": None if settings.formulary is None else sorted(settings.formulary),
        "lab_uln": {lab: _whole(uln) for lab, uln in settings.lab_uln.items()},
        "units": dict(settings.units),
        "paper": settings.paper,
        "date_format": settings.date_format,
        **{n: o for n, o in settings.instrument_choices.items() if n in own_key},
        "instrument_settings": {
            n: o for n, o in settings.instrument_choices.items() if n not in own_key
        },
        "supportive": dict(settings.supportive),
        "anthracycline_factors": {d: _whole(f) for d, f in settings.anthracycline_factors.items()},
        "crisis_rise_percent": settings.crisis_rise_percent,
        "cycle_choices": dict(settings.cycle_choices),
        "start_tests": dict(settings.start_tests),
        "course_plan_max_age_days": str(settings.course_plan_max_age_days),
        "course_labs_valid_days": str(settings.course_labs_valid_days),
        "family_slips_mood_details": settings.family_slips_mood_details,
    }
    if settings.mrn_rule:
        stored["mrn_rule"] = dict(settings.mrn_rule)
    return stored
