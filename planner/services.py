"""Use cases shared by the CLI and the desktop app. No Qt here; no SQL outside planner.storage."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner import APP_NAME
from planner.domain.problems import InputInvalid, Problem
from planner.domain.records import record

if TYPE_CHECKING:
    from sqlite_utils import Database

    from planner.domain.case import Case, Patient
    from planner.domain.plan_versions import PlanStanding
    from planner.domain.settings import ClinicSettings
    from planner.rules import RuleSet

# The engine, the rule tables, the validator and even the case and settings types are imported
# where they are first used, so opening the desktop app (which needs none of them to list
# patients) stays quick: tests/ui/test_startup.py lists what start-up must not import.


@record
class CheckedCase:
    case: Case
    doubts: tuple[Problem, ...]


def rules() -> RuleSet:
    from planner.rules import load_rules

    return load_rules()


def read_case_file(path: Path) -> Any:
    """Read a case file as JSON; unreadable or malformed files raise InputInvalid naming the file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputInvalid(
            (Problem(str(path), f"cannot be read: {exc.strerror or exc}"),)
        ) from None
    from planner.domain.validation import parse_json

    return parse_json(data, str(path))


def check_case(raw: Any, ruleset: RuleSet | None = None) -> CheckedCase:
    """The one door every case passes through: validate and type it, or raise InputInvalid."""
    from planner.domain.validation import validate_case

    ruleset = ruleset or rules()
    case, doubts = validate_case(raw, ruleset.limits)
    return CheckedCase(case, doubts)


def score_instrument(name: str, raw: Any, ruleset: RuleSet | None = None) -> dict[str, Any]:
    """Score one instrument or calculator (`planner score`); InputInvalid names every bad item.

    Doubts (values possible but implausible for their unit) are returned under "doubts".
    """
    from planner.domain.instruments.registry import score

    ruleset = ruleset or rules()
    result, doubts = score(name, raw, ruleset.instruments, ruleset.limits)
    out = result.to_json()
    if doubts:
        out["doubts"] = [str(d) for d in doubts]
    return out


def make_plan(
    raw: Any, labels: str | None = None, settings: ClinicSettings | None = None
) -> dict[str, Any]:
    """Validate a case and build its plan document (contract §3) as plain JSON."""
    ruleset = rules()
    checked = check_case(raw, ruleset)
    from planner.domain.engine import build_plan
    from planner.domain.settings import ClinicSettings

    plan = build_plan(checked.case, checked.doubts, ruleset, settings or ClinicSettings(), labels)
    return plan.to_json()


def export_plan_pdf(
    raw: Any,
    plan: dict[str, Any],
    out: Path | None = None,
    *,
    audience: str = "both",
    paper: str | None = None,
    settings: ClinicSettings | None = None,
    trends: list[dict[str, Any]] | None = None,
    invariant: bool = False,
) -> bytes:
    """The printed plan (PDF bytes) for a validated case and its plan; written to `out` if given.

    Patient details come from the case, the clinic's name, phones and paper from `settings`
    (`paper` overrides it). Without `trends`, the case's own results are charted (current and
    previous bilirubin); a chart with fewer than two points is left out.
    """
    from planner.domain.settings import ClinicSettings
    from planner.reports.render import render_plan_pdf

    settings = settings or ClinicSettings()
    patient = dict(raw.get("patient") or {})
    patient["assessed_on"] = raw.get("assessed_on")
    clinic = {
        "name": settings.clinic_name,
        "phone": settings.clinic_phone,
        "out_of_hours_phone": settings.out_of_hours_phone,
    }
    from planner.domain.decision import decided_plan

    pdf = render_plan_pdf(
        decided_plan(plan),  # the printed document is the plan as decided (or as suggested)
        patient=patient,
        clinic=clinic,
        audience=audience,
        paper=paper or settings.paper,
        trends=case_trends(raw) if trends is None else trends,
        invariant=invariant,
        biology=raw.get("biology"),  # biomarkers for the clinician section
        symptoms=raw.get("symptoms"),  # what the nurse recorded "no" is never printed as present
    )
    if out is not None:
        partial = out.with_name(out.name + ".partial")
        try:
            partial.write_bytes(pdf)
            partial.replace(out)
        except OSError as exc:
            raise InputInvalid(
                (Problem(str(out), f"cannot be written: {exc.strerror or exc}"),)
            ) from None
    return pdf


def bilirubin_reference_lines() -> tuple[tuple[float, str], ...]:
    """Where the bilirubin × ULN trend chart draws its lines: the ODWG edges of the rule tables."""
    from planner.domain.hepatic import bilirubin_reference_lines as lines

    return lines(rules().instruments)


def score_chart_ranges() -> dict[str, tuple[float, float]]:
    """Each score trend's full range, from the item ranges of the rule tables (case_limits.toml)
    times the instrument's number of items, so a chart never exaggerates a small change."""
    from planner.domain.case import ESAS_ITEMS, PHQ9_ITEMS

    fields = rules().limits.fields
    esas, phq, dt = (
        fields["symptoms.esas"],
        fields["psychosocial.phq_item"],
        fields["psychosocial.distress_thermometer"],
    )
    return {
        "esas_total": (esas.low * len(ESAS_ITEMS), esas.high * len(ESAS_ITEMS)),
        "phq9_total": (phq.low * len(PHQ9_ITEMS), phq.high * len(PHQ9_ITEMS)),
        "distress_thermometer": (dt.low, dt.high),
    }


def case_trends(raw: Any) -> list[dict[str, Any]]:
    """Trend points a single case holds: bilirubin × ULN per lab date (same-unit ULN only)."""
    from planner.domain.units import times_uln

    rows = []
    for labs in [*(raw.get("previous_labs") or []), raw.get("labs") or {}]:
        bilirubin = (labs or {}).get("bilirubin") or {}
        value, uln = bilirubin.get("value"), bilirubin.get("uln")
        if (
            labs.get("drawn_on")
            and isinstance(value, int | float)
            and isinstance(uln, int | float)
            and uln > 0
        ):
            rows.append({"date": labs["drawn_on"], "bilirubin_x_uln": times_uln(value, uln)})
    return rows


def dose_drug(
    raw: Any, drug: str, labels: str | None = None, settings: ClinicSettings | None = None
) -> dict[str, Any]:
    """Validate a case and give one drug's adapted starting dose (`planner dose`, contract §1)
    as the plan's `drugs[]` object. An unknown drug name is an input error naming `--drug`."""
    import difflib

    from planner.domain.dosing import dose_inputs, drug_dose
    from planner.domain.givable import check_givable, givable_facts

    ruleset = rules()
    name = ruleset.limits.canonical_drug(drug.strip().lower())
    # Anticancer drugs only: the catalogue's other medicines (contract §2a) have no dose tables.
    if name not in ruleset.limits.drugs:
        near = difflib.get_close_matches(name, sorted(ruleset.limits.drugs), n=1)
        hint = f' (did you mean "{near[0]}"?)' if near else ""
        raise InputInvalid(
            (
                Problem(
                    "--drug",
                    f'"{drug}" is not a known lower-case international non-proprietary name{hint}',
                ),
            )
        )
    checked = check_case(raw, ruleset)
    from planner.domain.settings import ClinicSettings

    settings = settings or ClinicSettings()
    inputs = dose_inputs(
        checked.case, ruleset.limits, settings, checked.doubts, instruments=ruleset.instruments
    )
    # The same "is this drug givable today" pass as every dose of the plan (a single drug: no
    # regimen companions).
    facts = givable_facts(checked.case, ruleset.limits, checked.doubts, inputs.hepatic)
    dose = drug_dose(name, inputs, ruleset.doses, labels or settings.labels, settings)
    from planner.domain.medicines import with_current_medicines

    givable = check_givable(dose, facts, ruleset.hard_limits, settings)
    # her allergies and current medicines apply here as in the plan (contract §2a)
    return with_current_medicines(givable, checked.case, ruleset.interactions).to_json()


# ---- desktop-app helpers (planner.ui): live previews and clinic settings --------------------

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
}

#: THE boundary between the stored vocabulary of the instrument disagreements (what the settings
#: dialog saves) and the instrument rule tables' option names, the only vocabulary the domain
#: knows (ClinicSettings.instrument_choices). Checked against the tables by the tests; a stored
#: value may also be the option name itself.
STORED_INSTRUMENT_OPTIONS: dict[str, dict[Any, str]] = {
    "child_pugh_albumin": {"2.8": "pugh_1973", "3.0": "harrison"},  # albumin g/dL, 2|3 points
    "distress_cutoff": {4: "nccn", 3: "onf"},  # lowest positive distress-thermometer score
}


def case_limits() -> Any:
    """The input limits of the case document (labs with their units, field ranges, drug names)."""
    return rules().limits


def engine_settings(values: dict[str, Any]) -> ClinicSettings:
    """The stored clinic settings as the engine takes them (unset keys: the defaults): the ONE
    settings object every rule reads. Raises ValueError for a value it cannot use."""
    from planner.domain.settings import ClinicSettings

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
    from planner.domain.instruments.liver_scores import visceral_crisis_rise

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
            from planner.domain.supportive_tables import SupportiveSettings

            SupportiveSettings.resolve(ruleset.supportive, checked.supportive)
            from planner.domain.givable import check_factors
            from planner.domain.hepatic import check_crisis_rise

            check_factors(ruleset.hard_limits, checked.anthracycline_factors)
            check_crisis_rise(ruleset.instruments, checked.crisis_rise_percent)
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
    from planner.domain.dates import DATE_FORMATS

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


def liver_preview(raw: dict[str, Any], settings: ClinicSettings | None = None) -> Any:
    """Liver function (× ULN, NCI-ODWG, Child–Pugh, ALBI) from the labs of a case being typed.

    Only the parts liver function needs are checked; a lab result with an error is left out
    (its problem is shown beside its field anyway). Returns a HepaticAssessment, or None when
    no liver test is usable yet.
    """
    import datetime as dt

    from planner.domain.hepatic import assess_liver
    from planner.domain.validation import validate_case

    labs = raw.get("labs") if isinstance(raw.get("labs"), dict) else None
    if not labs:
        return None
    labs = dict(labs)
    today = dt.date.today().isoformat()
    drawn_on = labs.get("drawn_on") if isinstance(labs.get("drawn_on"), str) else None
    clinical = raw.get("clinical") if isinstance(raw.get("clinical"), dict) else {}
    probe: dict[str, Any] = {
        "schema": "planner.case/1",
        "patient": {"mrn": "preview", "family_name": "preview"},
        "assessed_on": today,
        "labs": {**labs, "drawn_on": drawn_on or today},
        "previous_labs": raw.get("previous_labs"),
        "disease": raw.get("disease"),
        "clinical": {k: clinical.get(k) for k in ("ascites", "encephalopathy")},
    }
    limits = case_limits()
    for _ in range(3):
        try:
            case, doubts = validate_case(probe, limits)
        except InputInvalid as exc:
            for problem in exc.problems:
                section, _, rest = problem.path.partition(".")
                name = rest.split(".")[0]
                if section == "labs" and name in probe["labs"] and name != "drawn_on":
                    probe["labs"].pop(name)
                elif section in ("previous_labs", "disease", "clinical") or problem.path.startswith(
                    "previous_labs"
                ):
                    probe[section.split("[")[0]] = None
                elif section == "labs":
                    probe["labs"]["drawn_on"] = today
            continue
        return assess_liver(case, limits, settings, doubts, instruments=rules().instruments)
    return None


def lab_value_in(lab: str, value: float, unit: str, to_unit: str) -> float:
    """A lab value converted between two of the test's units (rule-table factors), rounded to
    6 significant digits (1.2 mg/dL bilirubin is 20.52 µmol/L)."""
    from planner.domain.units import convert

    return float(f"{convert(case_limits(), lab, value, unit, to_unit):.6g}")


def count_in_case_unit(lab: str, value: float, unit: str) -> float:
    """A count typed per µL or per mm³ in the case's unit (× 10⁹/L), converted by the units
    module with the factors of the rule tables (`entry_units` in case_limits.toml)."""
    from planner.domain.units import from_entry_unit

    return from_entry_unit(case_limits(), lab, value, unit)


def lab_jumps(raw: dict[str, Any], earlier_panels: list[dict[str, Any]]) -> tuple[Any, ...]:
    """The delta check of a case being typed: each result in `labs` that moved beyond its test's
    delta-check limit (resources/rules/lab_deltas.toml) from the patient's latest earlier
    result — in the case's own `previous_labs` or in `earlier_panels` (the `labs` and
    `previous_labs` of stored assessments, see PatientRecord.earlier_lab_panels). Returns
    planner.domain.lab_deltas.LabJump objects; results that are not numbers are left out (the
    validator names them)."""
    from planner.domain.lab_deltas import lab_jumps as find_jumps

    labs = raw.get("labs") if isinstance(raw.get("labs"), dict) else {}
    current = _lab_readings(labs)
    previous = [
        reading
        for panel in [*(raw.get("previous_labs") or []), *earlier_panels]
        if isinstance(panel, dict)
        for reading in _lab_readings(panel)
    ]
    ruleset = rules()
    return find_jumps(current, previous, ruleset.limits, ruleset.lab_deltas)


def _lab_readings(panel: dict[str, Any]) -> list[Any]:
    """The numeric results of one lab panel (a case's `labs` or a `previous_labs` entry)."""
    import datetime as dt

    from planner.domain.lab_deltas import LabReading

    try:
        drawn_on = dt.date.fromisoformat(panel.get("drawn_on") or "")
    except (TypeError, ValueError):
        drawn_on = None
    out = []
    for name, result in panel.items():
        if not isinstance(result, dict):
            continue
        value, unit = result.get("value"), result.get("unit") or ""
        if isinstance(value, int | float) and not isinstance(value, bool) and isinstance(unit, str):
            out.append(LabReading(name, float(value), unit, drawn_on))
    return out


def score_questionnaire(name: str, items: dict[str, Any]) -> dict[str, Any] | None:
    """Scale scores of a questionnaire being typed (qlq_c30, qlq_br23, fact_b), or None while
    its items are not yet valid."""
    try:
        out = score_instrument(name, items)
    except (InputInvalid, KeyError, ValueError):
        return None
    values = out.get("values", out)
    return {
        k: v
        for k, v in values.items()
        if v is None or (isinstance(v, int | float) and not isinstance(v, bool))
    }


@record
class PlanMade:
    """What making the plan of an assessment did: `made` False when the kept plan (made with
    the same rules and clinic settings) was shown instead of storing a duplicate; `why` says why
    a new version was made (empty for the first plan)."""

    plan_id: int
    made: bool
    why: str


def make_and_keep_plan(record: PatientRecord, assessment_id: int) -> PlanMade:
    """The plan of a stored assessment with the clinic's settings now. An assessment has one plan
    per rules version and settings: re-making shows the kept one (with its decision, if any);
    a new version is kept only when the rules or the settings changed, and `why` says which."""
    raw = record.case(assessment_id)
    if raw is None:
        raise InputInvalid((Problem("assessment", f"{assessment_id} is not in the record"),))
    clinic = {**CLINIC_SETTING_DEFAULTS, **record.clinic_settings()}
    plan = make_plan(raw, clinic["labels"], engine_settings(clinic))
    kept = record.plans_for(assessment_id)
    why = ""
    if kept:
        latest = kept[-1]
        before, now = latest["plan"], plan
        if before.get("rules_version") != now.get("rules_version"):
            why = (
                f"the rules changed since plan {latest['id']} "
                f"({before.get('rules_version')} → {now.get('rules_version')})"
            )
        elif before.get("settings") != now.get("settings"):
            changed = sorted(
                key
                for key in {*(before.get("settings") or {}), *(now.get("settings") or {})}
                if (before.get("settings") or {}).get(key) != (now.get("settings") or {}).get(key)
            )
            why = f"the clinic settings changed since plan {latest['id']} ({', '.join(changed)})"
        else:
            return PlanMade(int(latest["id"]), False, "")
    plan_id = record.record_plan(
        assessment_id,
        plan,
        pdf_sha256=None,
        rules_version=str(plan.get("rules_version", "")),
        settings=clinic,
    )
    return PlanMade(plan_id, True, why)


def decide_plan(
    record: PatientRecord,
    plan_id: int,
    *,
    course: str,
    regimen: str | None,
    reason: str,
    dose_changes: tuple[Any, ...] = (),
    held: tuple[Any, ...] = (),
) -> int:
    """Keep the clinician's decision on a kept plan, signed by the record's user (the person
    using the program now). Plans are never edited: the decision is kept as a new plan row
    holding the engine's document unchanged (the suggestion) and the decision beside it, which
    replaces any earlier decision. InputInvalid names what does not fit."""
    import datetime as dt

    from planner.domain.decision import Decision, check_decision

    kept = record.plan(plan_id)
    if kept is None:
        raise InputInvalid((Problem("plan", f"{plan_id} is not in the record"),))
    standing = plan_standing(record, plan_id)
    if not standing.current:
        # Two decided plans for one assessment would let two different plans be printed.
        raise InputInvalid(
            (
                Problem(
                    "plan",
                    f"{plan_id} is superseded by plan {standing.superseded_by} "
                    f"({standing.why}): decide on plan {standing.superseded_by}",
                ),
            )
        )
    suggestion = {k: v for k, v in kept["plan"].items() if k != "decision"}
    decision = Decision(
        course=course,  # type: ignore[arg-type]  # checked by check_decision
        regimen=regimen,
        reason=reason.strip(),
        decided_by=record.who,
        decided_at=dt.datetime.now().isoformat(timespec="minutes"),
        decided_on_plan=plan_id,
        dose_changes=tuple(dose_changes),
        held=tuple(held),
    )
    check_decision(suggestion, decision)
    return record.record_plan(
        int(kept["assessment_id"]),
        {**suggestion, "decision": decision.to_json()},
        pdf_sha256=None,
        rules_version=str(kept.get("rules_version", "")),
        settings=kept.get("settings") or {},
    )


def plan_standing(record: PatientRecord, plan_id: int) -> PlanStanding:
    """Whether a kept plan is its assessment's current plan, or what superseded it (a
    planner.domain.plan_versions.PlanStanding). InputInvalid when there is no such plan."""
    from planner.domain.plan_versions import plan_standings

    kept = record.plan(plan_id)
    if kept is None:
        raise InputInvalid((Problem("plan", f"{plan_id} is not in the record"),))
    return plan_standings(record.plans_for(int(kept["assessment_id"])))[plan_id]


@record
class PrintedPlan:
    """One printed document: the kept plan as decided, in the chosen parts and paper. What the
    plan window shows is what it saves and prints (issue 16): the bytes travel with the choice
    they were made for."""

    plan_id: int
    audience: str
    paper: str
    pdf: bytes
    file_name: str


def plan_file_name(patient: dict[str, Any], assessed_on: Any) -> str:
    """`FAMILY_Given_MRN_YYYY-MM-DD_plan.pdf`: letters of any script kept, anything a file
    system could refuse replaced."""
    import re

    def part(value: Any) -> str:
        return re.sub(r"[^\w-]+", "-", str(value or "").strip(), flags=re.UNICODE).strip("-_")

    pieces = [
        part(patient.get("family_name")).upper(),
        part(patient.get("given_name")),
        part(patient.get("mrn")),
        part(assessed_on),
    ]
    return "_".join(p for p in pieces if p) + "_plan.pdf"


@record
class PlanPrintSource:
    """Everything a kept plan's printed document is made from, read from the record once (on the
    record's thread); rendering it (`print_plan_document`) touches no record, so it can run on
    any thread."""

    plan_id: int
    plan: dict[str, Any]  # the plan as decided (decided_plan)
    patient: dict[str, Any]
    clinic: dict[str, Any]
    trends: list[dict[str, Any]]
    biology: dict[str, Any] | None
    symptoms: dict[str, Any] | None
    paper: str  # the clinic's paper
    file_name: str


def _local_day(stamp: Any) -> str | None:
    """The local calendar day of a record stamp (the record keeps UTC; a decision, local time)."""
    import datetime as dt

    try:
        moment = dt.datetime.fromisoformat(str(stamp))
    except ValueError:
        return None
    return (moment.astimezone() if moment.tzinfo else moment).date().isoformat()


def plan_print_source(record: PatientRecord, plan_id: int) -> PlanPrintSource:
    from planner.domain.decision import decided_plan

    kept = record.plan(plan_id)
    if kept is None:
        raise InputInvalid((Problem("plan", f"{plan_id} is not in the record"),))
    raw = record.case(int(kept["assessment_id"])) or {}
    clinic = {**CLINIC_SETTING_DEFAULTS, **record.clinic_settings()}
    decision = (kept["plan"] or {}).get("decision") or {}
    patient = {
        **(raw.get("patient") or {}),
        "assessed_on": raw.get("assessed_on"),
        # the day the plan was made (decided): the booklet says it beside the assessment's
        "plan_made_on": _local_day(decision.get("decided_at") or kept.get("made_at")),
    }
    trends = [
        {**row, "date": row["assessed_on"]} for row in record.trend(str(patient.get("mrn", "")))
    ]
    return PlanPrintSource(
        plan_id=plan_id,
        plan=decided_plan(kept["plan"]),
        patient=patient,
        clinic={
            "name": clinic["clinic_name"],
            "phone": clinic["clinic_phone"],
            "out_of_hours_phone": clinic["clinic_out_of_hours_phone"],
        },
        trends=trends,
        biology=raw.get("biology"),  # biomarkers for the clinician section
        symptoms=raw.get("symptoms"),
        paper=str(clinic["paper"]),
        file_name=plan_file_name(patient, raw.get("assessed_on")),
    )


def print_plan_document(
    source: PlanPrintSource, *, audience: str = "both", paper: str | None = None
) -> PrintedPlan:
    """The printed document of a kept plan as decided, in the chosen parts and paper."""
    from planner.reports.render import render_plan_pdf

    paper = paper or source.paper
    pdf = render_plan_pdf(
        source.plan,
        patient=source.patient,
        clinic=source.clinic,
        audience=audience,
        paper=paper,
        trends=source.trends,
        biology=source.biology,
        symptoms=source.symptoms,
    )
    return PrintedPlan(source.plan_id, audience, paper, pdf, source.file_name)


def printed_plan(
    record: PatientRecord, plan_id: int, *, audience: str = "both", paper: str | None = None
) -> PrintedPlan:
    """The PDF of a kept plan as decided (clinician section, booklet, slips), with the file name
    it is saved under by default."""
    return print_plan_document(plan_print_source(record, plan_id), audience=audience, paper=paper)


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


def keep_unsaved_draft(content: dict[str, Any]) -> Path | None:
    """Last resort when a draft cannot be saved in the record and its window closes: write it
    as a JSON file in the user's data folder (`unsaved-drafts/`). Returns the file, or None
    when that fails too."""
    import datetime as dt
    import json

    from platformdirs import user_data_path

    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    target = user_data_path(APP_NAME, appauthor=False) / "unsaved-drafts" / f"draft-{stamp}.json"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(content, ensure_ascii=False, indent=2), "utf-8")
    except (OSError, ValueError):
        return None
    return target


def check_record(path: Path) -> Any:
    """`planner db check` on the record at `path`: `.problems` (damage, or changes made
    outside the program, each saying what differs) and `.notes` (what could not be checked
    now, and why). Never writes; a record another program is writing is not called damaged."""
    from planner.storage import check
    from planner.storage import db as storage_db

    try:
        return check.check_file(Path(path))
    except storage_db.RecordError as exc:
        raise RecordUnavailable(exc.path, exc.reason) from None
    except (OSError, sqlite3.Error) as exc:
        raise RecordUnavailable(path, storage_db.explain(exc)) from None


def default_db_path() -> Path:
    """Where the record lives: $PLANNER_DB, else the user's data folder (platformdirs)."""
    override = os.environ.get("PLANNER_DB")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "record.sqlite3"


def current_user(named: str | None = None) -> str:
    """Who is making changes, as the audit log records it: the name given (the window's asked
    name, the CLI's --user), else $PLANNER_USER, else the computer's login name marked as such
    ("login: root (no user named)"): a clinic often shares one login, so the log says plainly
    that no person was named rather than passing a login off as one."""
    for found in (named, os.environ.get("PLANNER_USER")):
        name = " ".join((found or "").split())
        if name:
            return name
    import getpass

    try:
        login = getpass.getuser()
    except (OSError, KeyError):  # no login name (some containers)
        login = "unknown"
    return f"login: {login} (no user named)"


@record
class ImportOutcome:
    """What importing one case did. `patient`: new, matched (known MRN) or updated (known MRN,
    demographics changed); `already_present`: the identical case was in the record already."""

    mrn: str
    patient: str
    assessment_id: int
    already_present: bool
    doubts: tuple[Problem, ...]


def search_patients(path: Path, text: str, limit: int = 20) -> list[dict[str, Any]]:
    """Patients matching a name or MRN (plain dicts, best first) without opening the whole
    record machinery: `planner search` stays about as quick as starting the program."""
    from planner.storage import search

    try:
        conn = search.connect(path)
    except search.SearchUnavailable:
        if not Path(path).is_file():
            raise RecordUnavailable(
                path, "no record here (create one with `planner db init`)"
            ) from None
        record = PatientRecord(path)  # an older schema: open properly (backup, migrate)
        try:
            return record.search(text, limit)
        finally:
            record.close()
    try:
        return search.search(conn, text, limit)
    finally:
        conn.close()


def restore_record(path: Path, source: Path) -> Path | None:
    """Replace the record at `path` by the backup `source`, verified first (integrity, schema,
    audit ledger). The record being replaced is kept beside it first; returns where (None if
    there was nothing to keep). A source that is not a sound backup is an input error naming
    it; the record itself as the source is refused."""
    from planner.storage import db as storage_db

    try:
        return storage_db.restore(Path(path), Path(source))
    except storage_db.RecordError as exc:
        if exc.path == Path(source):
            raise InputInvalid((Problem(str(source), exc.reason),)) from None
        raise RecordUnavailable(exc.path, exc.reason) from None


@record
class CaseFileImport:
    """One case file imported (`outcome`) or refused (`problems`: field path and message each)."""

    path: Path
    outcome: ImportOutcome | None
    problems: tuple[Problem, ...] = ()


def import_case_files(
    path: Path,
    files: list[Path],
    *,
    who: str | None = None,
    progress: Callable[[int, Path], None] | None = None,
) -> list[CaseFileImport]:
    """Import case files into the record at `path`, each file in its own transaction (a refused
    file leaves nothing behind). The record is opened here, on the calling thread, so this can
    run off the GUI thread. `progress(files_done, next_file)` is called before each file."""
    results = []
    with PatientRecord(path, who=who) as record:
        for done, file in enumerate(files):
            if progress is not None:
                progress(done, file)
            try:
                outcome = record.import_case(read_case_file(file))
            except InputInvalid as exc:
                results.append(CaseFileImport(file, None, exc.problems))
            else:
                results.append(CaseFileImport(file, outcome))
    return results


def backup_record(path: Path, dest: Path) -> Path:
    """Online backup of the record at `path` into `dest` (a new file, or a folder for a dated
    one), through a connection of its own (safe off the GUI thread while the record is open)."""
    with PatientRecord(path, migrate=False) as record:
        return record.backup(dest)


def _record_faults(method: Callable[..., Any]) -> Callable[..., Any]:
    """A PatientRecord method whose environment faults (locked, disk full, read-only, damaged)
    end as RecordUnavailable: one sentence naming the record and what to do, never a
    traceback or an "internal error"."""
    import functools

    @functools.wraps(method)
    def guarded(self: PatientRecord, *args: Any, **kwargs: Any) -> Any:
        from planner.storage import db as storage_db

        if self.closed:
            raise RecordUnavailable(self.path, "is closed (being restored, or the program ends)")
        try:
            return method(self, *args, **kwargs)
        except (sqlite3.IntegrityError, sqlite3.ProgrammingError):
            raise  # the program's own mistake, not the environment's
        except (sqlite3.Error, storage_db.RecordError) as exc:
            raise RecordUnavailable.from_error(exc, self.path) from None

    return guarded


def _near_duplicate_words(mrn: str, near: list[str]) -> str:
    shown = ", ".join(near[:3])
    return (
        f'"{mrn}" is close to {shown} already in the record (the same number typed '
        "differently?): if this is that patient, use that MRN; if not, check both numbers"
    )


class PatientRecord:
    """The open local record, as the UI and CLI see it: domain objects in, domain objects out.

    `migrate=False` opens the record as it is (for `planner db check`); otherwise pending schema
    migrations are applied, after an online backup. `who` is recorded in the audit log.

    Opening is quick (the desktop app's start-up): a plain sqlite3 connection serves the reads
    the main window makes (count, pages of patients, drafts, search); the sqlite-utils Database
    over the same connection is made on first use (writes and the rest). One record object
    belongs to one thread at a time; work on another thread opens its own (see
    `import_case_files`, `backup_record`).
    """

    def __init__(
        self, path: Path, *, who: str | None = None, migrate: bool = True, create: bool = True
    ) -> None:
        from planner.storage import db as storage_db

        self.path = path
        self.who = current_user(who)
        try:
            self._conn = storage_db.open_connection(path, migrate=migrate, create=create)
        except storage_db.RecordError as exc:
            raise RecordUnavailable(exc.path, exc.reason) from None
        self._database: Database | None = None
        self.closed = False

    @property
    def _db(self) -> Database:
        """The sqlite-utils Database over the record's connection, made when first needed."""
        if self._database is None:
            from planner.storage import db as storage_db

            self._database = storage_db.database(self._conn)
        return self._database

    def sign_in_as(self, name: str) -> None:
        """The person using the program from now on (the name asked when the app starts): signs
        decisions and the audit log. Never the computer's login name when a name was given."""
        if not name.strip():
            raise InputInvalid((Problem("user", "a name is required"),))
        self.who = " ".join(name.split())

    def close(self) -> None:
        self.closed = True
        self._conn.close()

    def schema_pending(self) -> bool:
        """Whether the record's schema is older than this program's (opened with migrate=False)."""
        from planner.storage import db as storage_db

        return bool(storage_db.pending_migrations(self._conn))

    def __enter__(self) -> PatientRecord:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @_record_faults
    def patient_count(self) -> int:
        from planner.storage import search

        return search.count_patients(self._conn)

    @_record_faults
    def patients_page(self, limit: int, offset: int) -> list[dict[str, Any]]:
        """Patients ordered by name, one page at a time (the UI fills its table lazily), as
        search results are (keys: storage.search.RESULT_KEYS)."""
        from planner.storage import search

        return search.patients_page(self._conn, limit, offset)

    @_record_faults
    def add_patient(
        self, raw: dict[str, Any], *, near_duplicate_confirmed: bool = False
    ) -> Patient:
        """Validate patient details (same rules as the case document) and add them, the MRN
        written by the clinic's rule. An MRN that differs from a stored one only in case or
        separators (TAS000123 beside TAS-000123) is refused as a near-duplicate (InputInvalid
        on `patient.mrn`, saying which) unless `near_duplicate_confirmed`."""
        from planner.domain.validation import normalise_document, validate_patient
        from planner.storage import patients

        raw = self._with_clinic_mrn({"patient": normalise_document(raw, "patient")})["patient"]
        patient, _ = validate_patient(raw, rules().limits)
        near = self.near_duplicates(patient.mrn)
        if near and not near_duplicate_confirmed:
            raise InputInvalid((Problem("patient.mrn", _near_duplicate_words(patient.mrn, near)),))
        try:
            patients.add_patient(self._db, patient, self.who)
        except patients.DuplicateMrn:
            raise InputInvalid(
                (Problem("patient.mrn", f'"{patient.mrn}" is already in the record'),)
            ) from None
        return patient

    @_record_faults
    def near_duplicates(self, mrn: str) -> list[str]:
        """Stored MRNs that differ from `mrn` only in case or separators."""
        from planner.domain.validation import mrn_key
        from planner.storage import patients

        return patients.mrns_with_key(self._conn, mrn_key(mrn), exclude=mrn)

    def _with_clinic_mrn(self, raw: Any) -> Any:
        """The document with its patient's MRN written by the clinic's rule (`mrn_rule`)."""
        from planner.domain.validation import normalise_mrn

        patient = raw.get("patient") if isinstance(raw, dict) else None
        mrn = patient.get("mrn") if isinstance(patient, dict) else None
        if not isinstance(mrn, str):
            return raw
        rule = self.clinic_settings().get("mrn_rule") or {}
        written = normalise_mrn(mrn, rule if isinstance(rule, dict) else {})
        return {**raw, "patient": {**patient, "mrn": written}} if written != mrn else raw

    @_record_faults
    def search(self, text: str, limit: int = 20) -> list[dict[str, Any]]:
        """Patients matching a name or MRN, best first (keys: storage.search.RESULT_KEYS)."""
        from planner.storage import search

        return search.search(self._conn, text, limit)

    # ---- assessments ------------------------------------------------------------------------

    @_record_faults
    def import_case(self, raw: Any) -> ImportOutcome:
        """Validate a case document (check_case: the one validator) and store it as an
        assessment of the patient with its MRN, in one transaction. Invalid: InputInvalid,
        nothing stored."""
        from planner.domain.validation import normalise_document
        from planner.storage import cases

        # What is stored is what was checked: texts in NFC, the MRN by the clinic's rule.
        raw = self._with_clinic_mrn(normalise_document(raw))
        checked = check_case(raw)
        near = self.near_duplicates(checked.case.patient.mrn)
        done = cases.import_case(self._db, checked.case, raw, self.who)
        notices = (
            (
                Problem(
                    "patient.mrn", _near_duplicate_words(checked.case.patient.mrn, near), "doubt"
                ),
            )
            if near and done.patient == "new"
            else ()
        )
        return ImportOutcome(
            checked.case.patient.mrn,
            done.patient,
            done.assessment_id,
            done.already_present,
            checked.doubts + notices,
        )

    @_record_faults
    def case(self, assessment_id: int) -> dict[str, Any] | None:
        from planner.storage import assessments

        return assessments.case_of(self._db, assessment_id)

    @_record_faults
    def trend(self, mrn: str) -> list[dict[str, Any]]:
        """The patient's assessments, oldest first: date, bilirubin and ALP × ULN, ECOG, ESAS
        total, weight, PHQ-9 total, distress thermometer (None where not assessed)."""
        from planner.storage import assessments, patients

        found = patients.find_by_mrn(self._db, mrn)
        return [] if found is None else assessments.trend(self._db, int(found["id"]))

    @_record_faults
    def earlier_lab_panels(self, mrn: str, *, assessments: int = 3) -> list[dict[str, Any]]:
        """The lab panels (`labs` and `previous_labs`) of the patient's latest stored
        assessments, newest first: what a new result is compared with (`lab_jumps`), and where
        the unit used last time for each test is found."""
        panels: list[dict[str, Any]] = []
        for row in reversed(self.trend(mrn)[-assessments:]):
            case = self.case(int(row["id"])) or {}
            for panel in [case.get("labs"), *(case.get("previous_labs") or [])]:
                if isinstance(panel, dict):
                    panels.append(panel)
        return panels

    @_record_faults
    def export_cases(self, directory: Path) -> list[Path]:
        """Write every assessment back as a case file (`<MRN>_<date>_<id>.json`)."""
        import json
        import re

        from planner.storage import assessments
        from planner.storage.db import explain

        written = []
        target = directory
        try:
            directory.mkdir(parents=True, exist_ok=True)
            for assessment_id, mrn, assessed_on, raw in assessments.iter_cases(self._db):
                safe_mrn = re.sub(r"[^A-Za-z0-9._-]", "_", mrn)
                target = directory / f"{safe_mrn}_{assessed_on}_{assessment_id}.json"
                target.write_text(json.dumps(raw, ensure_ascii=False, indent=2) + "\n", "utf-8")
                written.append(target)
        except FileExistsError:
            raise InputInvalid(
                (Problem(str(directory), "is a file, not a folder: choose a folder"),)
            ) from None
        except OSError as exc:
            raise InputInvalid((Problem(str(target), explain(exc)),)) from None
        return written

    @_record_faults
    def fill_demo(
        self, count: int, seed: int = 0, progress: Callable[[int], None] | None = None
    ) -> dict[str, int]:
        """Add `count` synthetic patients (several assessments each). A sample of them is run
        through the validator first, so the generator cannot drift from the case contract."""
        from planner.domain.demo_cases import demo_patient
        from planner.storage import demo

        for index in range(0, count, max(1, count // 20)):
            for raw in demo_patient(seed, index):
                check_case(raw)
        added = demo.fill_demo(self._db, count, seed, self.who, progress=progress)
        return {
            "patients": added.patients,
            "assessments": added.assessments,
            "skipped": added.skipped,
        }

    # ---- drafts, plans, settings ------------------------------------------------------------

    @_record_faults
    def save_draft(
        self,
        content: dict[str, Any],
        wizard_page: str,
        *,
        draft_id: int | None = None,
        mrn: str | None = None,
    ) -> int:
        """Save the wizard's state (call on every edit); returns the draft's id for the next save.
        `mrn` None: the draft is for a patient not yet in the record."""
        from planner.storage import drafts, patients
        from planner.storage.db import BUSY_TIMEOUT_S, DRAFT_BUSY_TIMEOUT_S

        # A draft is saved from the window as the nurse types: wait only briefly for a record
        # another program is writing (the window would freeze for BUSY_TIMEOUT_S); the caller
        # says it failed and tries again.
        self._conn.execute(f"PRAGMA busy_timeout = {int(DRAFT_BUSY_TIMEOUT_S * 1000)}")
        try:
            patient_id = None
            if mrn is not None:
                found = patients.find_by_mrn(self._db, mrn)
                patient_id = None if found is None else int(found["id"])
            return drafts.save_draft(self._db, draft_id, patient_id, wizard_page, content, self.who)
        finally:
            self._conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")

    @_record_faults
    def drafts(self) -> list[dict[str, Any]]:
        from planner.storage import drafts

        return drafts.list_drafts(self._conn)

    @_record_faults
    def discard_draft(self, draft_id: int) -> None:
        from planner.storage import drafts

        drafts.discard_draft(self._db, draft_id)

    @_record_faults
    def record_plan(
        self,
        assessment_id: int,
        plan: dict[str, Any],
        *,
        pdf_sha256: str | None,
        rules_version: str,
        settings: dict[str, Any],
    ) -> int:
        """Keep a plan (never changed afterwards) with the settings and rules it was made with."""
        from planner.storage import plans

        return plans.add_plan(
            self._db,
            assessment_id,
            plan,
            pdf_sha256=pdf_sha256,
            rules_version=rules_version,
            settings=settings,
            who=self.who,
        )

    @_record_faults
    def plans_for(self, assessment_id: int) -> list[dict[str, Any]]:
        from planner.storage import plans

        return plans.plans_for_assessment(self._db, assessment_id)

    @_record_faults
    def plan(self, plan_id: int) -> dict[str, Any] | None:
        from planner.storage import plans

        return plans.get_plan(self._db, plan_id)

    @_record_faults
    def critical_alerts(self, mrn: str) -> tuple[Any, ...]:
        """The patient's critical alerts no one has acknowledged yet (domain OpenAlert), newest
        assessment first: shown as a banner on the record and the plan until acknowledged."""
        from planner.domain.critical_alerts import open_critical_alerts
        from planner.storage import acknowledgements, patients

        found = patients.find_by_mrn(self._db, mrn)
        if found is None:
            return ()
        kept = [
            {**plan, "assessed_on": row["assessed_on"]}
            for row in self.trend(mrn)
            for plan in self.plans_for(int(row["id"]))
        ]
        done = acknowledgements.for_patient(self._conn, int(found["id"]))
        return open_critical_alerts(kept, done)

    @_record_faults
    def acknowledge_alert(self, plan_id: int, code: str, note: str = "") -> int:
        """Keep that the record's user (the name signed in) has read the critical alert `code` of
        plan `plan_id`, with an optional note; audited. InputInvalid when the plan has no such
        critical alert."""
        from planner.domain.validation import normalise_document
        from planner.storage import acknowledgements

        kept = self.plan(plan_id)
        if kept is None:
            raise InputInvalid((Problem("plan", f"{plan_id} is not in the record"),))
        alert = next(
            (
                a
                for a in kept["plan"].get("alerts") or ()
                if a.get("level") == "critical" and a.get("code") == code
            ),
            None,
        )
        if alert is None:
            raise InputInvalid(
                (Problem("alert", f"plan {plan_id} has no critical alert {code!r}"),)
            )
        text = str(normalise_document({"note": note})["note"]).strip()
        return acknowledgements.add_acknowledgement(
            self._db, plan_id, str(code), str(alert.get("message") or ""), text or None, self.who
        )

    @_record_faults
    def clinic_settings(self) -> dict[str, Any]:
        from planner.storage import settings

        return settings.get_settings(self._db)

    @_record_faults
    def set_clinic_settings(self, values: dict[str, Any]) -> None:
        from planner.storage import settings

        settings.set_settings(self._db, values, self.who)

    # ---- safety -----------------------------------------------------------------------------

    @_record_faults
    def backup(self, dest: Path) -> Path:
        """Online backup to `dest` (a new file, or a folder to put a dated file in)."""
        import datetime as dt

        from planner.storage import db as storage_db

        if dest.is_dir():
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
            dest = dest / f"{self.path.stem}-{stamp}{self.path.suffix or '.sqlite3'}"
        if dest.exists():
            raise InputInvalid((Problem(str(dest), "already exists (not overwritten)"),))
        try:
            return storage_db.backup_to(self._conn, dest)
        except FileExistsError:
            raise InputInvalid((Problem(str(dest), "already exists (not overwritten)"),)) from None
        except OSError as exc:
            raise InputInvalid((Problem(str(dest), storage_db.explain(exc)),)) from None
        except storage_db.RecordError as exc:  # the copy failed its check: the record's fault
            raise RecordUnavailable(
                self.path,
                f"its backup could not be verified ({exc.reason}); run `planner db check`",
            ) from None

    @_record_faults
    def check(self) -> list[str]:
        """Problems found by SQLite's checks and the record's own invariants (empty: sound)."""
        return check_record(self.path).problems


class RecordUnavailable(RuntimeError):
    """The record file cannot be opened or used (not a record, damaged, locked, disk full, no
    permission). `path`: the file; `reason`: one sentence saying what is wrong and what to do."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")

    @classmethod
    def from_error(cls, exc: Exception, path: Path) -> RecordUnavailable:
        from planner.storage import db as storage_db

        if isinstance(exc, storage_db.RecordError):
            return cls(exc.path, exc.reason)
        return cls(path, storage_db.explain(exc))
