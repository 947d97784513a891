"""Clinic settings: the stored vocabulary (key -> JSON value in the record), its check before
saving, and `engine_settings`, the ONE conversion to the `ClinicSettings` every rule reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planner.domain.dates import DATE_FORMATS
from planner.domain.givable import check_factors
from planner.domain.hepatic import check_crisis_rise
from planner.domain.instruments.liver_scores import visceral_crisis_rise
from planner.domain.problems import InputInvalid, Problem
from planner.domain.settings import ClinicSettings
from planner.domain.supportive_tables import SupportiveSettings
from planner.services.patient_record import PatientRecord, RecordUnavailable
from planner.services.rule_tables import case_limits, rules

#: clinic settings kept in the record (key -> JSON value); see DESIGN.md "Clinic settings"
CLINIC_SETTING_DEFAULTS: dict[str, Any] = {
    "clinic_name": "",
    "clinic_phone": "",
    "clinic_out_of_hours_phone": "",
    "labels": "us",
    "formulary": None,  # None: every drug is available
    "lab_uln": {},  # lab -> ULN in the lab's canonical unit (µmol/L, U/L)
    "units": {},  # lab -> the unit offered first when a result is entered
    "mrn_rule": {"case": "upper", "separators": "-"},  # validation.normalise_mrn
    "paper": "a4",
    "date_format": "dd/mm/yyyy",  # how the window shows dates: dd/mm/yyyy, dd.mm.yyyy or iso
    "distress_cutoff": 4,  # lowest positive score: 4 (NCCN) or 3 (ONF study)
    "child_pugh_albumin": "2.8",  # g/dL albumin cut-off: "2.8" (Pugh 1973) or "3.0" (Harrison's)
    "instrument_settings": {},  # other instrument disagreements: name -> rule-table option
    "supportive": {},  # supportive cut-offs and choices: name -> value (supportive.toml)
    # doxorubicin-equivalence factor by anthracycline (hard_limits.toml [[equivalent]])
    "anthracycline_factors": {},
    # smallest bilirubin rise (%) that counts as "rising" for visceral crisis; None: rule default
    "crisis_rise_percent": None,
    # where labels disagree in the cycle review: setting name -> option (cycle/*.toml [[setting]])
    "cycle_choices": {},
}


#: THE boundary between the stored vocabulary of the instrument disagreements (what the settings
#: dialog saves) and the instrument rule tables' option names, the only vocabulary the domain
#: knows (ClinicSettings.instrument_choices). Checked against the tables by the tests; a stored
#: value may also be the option name itself.
STORED_INSTRUMENT_OPTIONS: dict[str, dict[Any, str]] = {
    "child_pugh_albumin": {"2.8": "pugh_1973", "3.0": "harrison"},  # albumin g/dL, 2|3 points
    "distress_cutoff": {4: "nccn", 3: "onf"},  # lowest positive distress-thermometer score
}


def engine_settings(values: dict[str, Any]) -> ClinicSettings:
    """The stored clinic settings as the engine takes them (unset keys: the defaults): the ONE
    settings object every rule reads. Raises ValueError for a value it cannot use."""
    merged = {**CLINIC_SETTING_DEFAULTS, **values}
    formulary = merged.get("formulary")
    choices, problems = _instrument_choices(merged)
    if problems:
        raise ValueError("; ".join(str(p) for p in problems))
    phones = merged.get("clinic_phones")
    return ClinicSettings(
        labels=merged["labels"],
        lab_uln={k: float(v) for k, v in (merged.get("lab_uln") or {}).items() if v},
        instrument_choices=choices,
        # a synonym (INN / US adopted name) counts as the catalogue drug it names
        formulary=(
            None
            if formulary is None
            else frozenset(rules().limits.canonical_drug(d) for d in formulary)
        ),
        clinic_name=str(merged.get("clinic_name") or ""),
        clinic_phone=str(merged.get("clinic_phone") or _phone(phones, out_of_hours=False)),
        out_of_hours_phone=str(
            merged.get("clinic_out_of_hours_phone") or _phone(phones, out_of_hours=True)
        ),
        paper=merged.get("paper") or "a4",
        supportive=dict(merged.get("supportive") or {}),
        anthracycline_factors=dict(merged.get("anthracycline_factors") or {}),
        crisis_rise_percent=merged.get("crisis_rise_percent"),
        cycle_choices=dict(merged.get("cycle_choices") or {}),
    )


def _instrument_choices(merged: dict[str, Any]) -> tuple[dict[str, str], list[Problem]]:
    """Stored instrument settings -> rule-table option names (STORED_INSTRUMENT_OPTIONS)."""
    problems: list[Problem] = []
    extra = merged.get("instrument_settings") or {}
    if not isinstance(extra, dict):
        return {}, [Problem("instrument_settings", f"{extra!r} is not an object")]
    choices = {str(k): v for k, v in extra.items()}
    for key in STORED_INSTRUMENT_OPTIONS:
        if key in choices:
            problems.append(Problem(f"instrument_settings.{key}", f"is set by its own key {key}"))
    for key, table in STORED_INSTRUMENT_OPTIONS.items():
        value = merged.get(key)
        if value is None:
            continue
        if isinstance(value, str) and value in table.values():
            choices[key] = value
        elif not isinstance(value, bool) and isinstance(value, str | int) and value in table:
            choices[key] = table[value]
        else:
            allowed = ", ".join(f"{stored!r} ({option})" for stored, option in table.items())
            problems.append(Problem(key, f"{value!r} is not one of {allowed}"))
    return choices, problems


def _phone(phones: Any, *, out_of_hours: bool) -> str:
    """The day number (the first listed) or the out-of-hours one (labelled night/out of hours)."""
    night_words = ("out of hours", "out-of-hours", "night", "after hours", "on call", "weekend")
    numbers = [p for p in phones or [] if isinstance(p, dict) and p.get("number")]
    for phone in numbers:
        is_night = any(w in str(phone.get("label", "")).lower() for w in night_words)
        if is_night == out_of_hours:
            return str(phone["number"])
    return ""


def crisis_rise_bounds() -> dict[str, float]:
    """The meaningful-rise setting's default and bounds (%), from the visceral-crisis rule row."""
    row = visceral_crisis_rise(rules().instruments)
    return {
        "default": row["default_percent"],
        "low": row["lowest_percent"],
        "high": row["highest_percent"],
    }


def check_clinic_settings(values: dict[str, Any]) -> list[Problem]:
    """Problems with clinic settings, by key (`lab_uln.bilirubin`), before they are saved."""
    problems: list[Problem] = []
    limits = case_limits()
    _, problems = _instrument_choices({**CLINIC_SETTING_DEFAULTS, **values})
    if not problems:
        try:
            checked = engine_settings(values)
            ruleset = rules()
            checked.instrument_settings(ruleset.instruments)
            SupportiveSettings.resolve(ruleset.supportive, checked.supportive)
            check_factors(ruleset.hard_limits, checked.anthracycline_factors)
            check_crisis_rise(ruleset.instruments, checked.crisis_rise_percent)
            ruleset.cycle.check_choices(checked.cycle_choices)
        except (ValueError, TypeError) as exc:
            problems.append(Problem("settings", str(exc)))
    for lab, uln in (values.get("lab_uln") or {}).items():
        definition = limits.labs.get(lab)
        if definition is None or not definition.takes_uln:
            problems.append(
                Problem(f"lab_uln.{lab}", "is not a test with an upper limit of normal")
            )
            continue
        rng = definition.units[definition.canonical_unit]
        low, high = rng.uln_plausible_low, rng.uln_plausible_high
        if low is not None and high is not None and not low <= uln <= high:
            problems.append(
                Problem(
                    f"lab_uln.{lab}",
                    f"{uln:g} {definition.canonical_unit} is outside the plausible "
                    f"{low:g}–{high:g} {definition.canonical_unit}",
                )
            )
    for drug in values.get("formulary") or ():
        if limits.canonical_drug(drug) not in limits.drugs:
            problems.append(Problem("formulary", f'"{drug}" is not a known drug name'))
    if values.get("date_format") not in (None, *DATE_FORMATS):
        problems.append(
            Problem(
                "date_format",
                f"{values.get('date_format')!r} is not one of {', '.join(DATE_FORMATS)}",
            )
        )
    if values.get("paper") not in (None, "a4", "letter"):
        problems.append(Problem("paper", f"{values.get('paper')!r} is not a4 or letter"))
    return problems


def record_settings(path: Path) -> ClinicSettings:
    """The clinic settings kept in the record at `path` (`planner plan` / `dose` with --db).
    A missing record or unusable settings are input errors naming the file."""
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
    return engine_settings(values)
