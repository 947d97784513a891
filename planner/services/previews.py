"""Live previews for the assessment wizard while a case is being typed: liver function, unit
conversions, the delta check and questionnaire scores. Nothing here is kept or printed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from planner.domain.as_recorded import allergy_contradictions, allergy_state
from planner.domain.hepatic import HepaticAssessment, assess_liver
from planner.domain.lab_deltas import LabJump, LabReading
from planner.domain.lab_deltas import lab_jumps as find_jumps
from planner.domain.problems import InputInvalid
from planner.domain.settings import ClinicSettings
from planner.domain.units import convert, from_entry_unit
from planner.domain.validation import validate_case
from planner.services.case_commands import score_instrument
from planner.services.rule_tables import case_limits, rules


def liver_preview(
    raw: dict[str, Any], settings: ClinicSettings | None = None
) -> HepaticAssessment | None:
    """Liver function (× ULN, NCI-ODWG, Child–Pugh, ALBI) from the labs of a case being typed.

    Only the parts liver function needs are checked; a lab result with an error is left out
    (its problem is shown beside its field anyway). Returns a HepaticAssessment, or None when
    no liver test is usable yet.
    """
    labs = raw.get("labs") if isinstance(raw.get("labs"), dict) else None
    if not labs:
        return None
    labs = dict(labs)
    today = dt.date.today().isoformat()
    drawn_on = labs.get("drawn_on") if isinstance(labs.get("drawn_on"), str) else None
    clinical = _section(raw, "clinical")
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
    return float(f"{convert(case_limits(), lab, value, unit, to_unit):.6g}")


def count_in_case_unit(lab: str, value: float, unit: str) -> float:
    """A count typed per µL or per mm³ in the case's unit (× 10⁹/L), converted by the units
    module with the factors of the rule tables (`entry_units` in case_limits.toml)."""
    return from_entry_unit(case_limits(), lab, value, unit)


def lab_jumps(raw: dict[str, Any], earlier_panels: list[dict[str, Any]]) -> tuple[LabJump, ...]:
    """The delta check of a case being typed: each result in `labs` that moved beyond its test's
    delta-check limit (resources/rules/lab_deltas.toml) from the patient's latest earlier
    result — in the case's own `previous_labs` or in `earlier_panels` (the `labs` and
    `previous_labs` of stored assessments, see PatientRecord.earlier_lab_panels). Returns
    planner.domain.lab_deltas.LabJump objects; results that are not numbers are left out (the
    validator names them)."""
    labs = _section(raw, "labs")
    current = _lab_readings(labs)
    previous = [
        reading
        for panel in [*(raw.get("previous_labs") or []), *earlier_panels]
        if isinstance(panel, dict)
        for reading in _lab_readings(panel)
    ]
    ruleset = rules()
    return find_jumps(current, previous, ruleset.limits, ruleset.lab_deltas)


def _lab_readings(panel: dict[str, Any]) -> list[LabReading]:
    """The numeric results of one lab panel (a case's `labs` or a `previous_labs` entry)."""
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


def _section(raw: dict[str, Any], name: str) -> dict[str, Any]:
    """A section of a case being typed (`labs`, `clinical`), or {} while it is not an object."""
    section = raw.get(name)
    return section if isinstance(section, dict) else {}


def allergy_line_state(written: Any) -> tuple[bool, str] | None:
    """What an allergy line as typed is read as, for its State on the wizard's line: (checked in
    full, the words) — "checked: paclitaxel and carboplatin", "not checked — the program cannot
    read 'shellfish': write the drug's name or brand" (recheck21: both showed "confirmed").
    The words are the plan's and the print's (planner.domain.as_recorded.allergy_state). None
    for a blank line or a text the validator refuses (its message is shown beside it)."""
    if not isinstance(written, str) or not written.strip():
        return None
    try:
        case, _doubts = validate_case(
            {
                "schema": "planner.case/1",
                "patient": {"mrn": "preview", "family_name": "preview"},
                "assessed_on": dt.date.today().isoformat(),
                "allergies": [{"substance": written}],
            },
            case_limits(),
        )
    except InputInvalid:
        return None
    (allergy,) = case.allergies or (None,)
    return None if allergy is None else allergy_state(allergy)


def allergy_line_contradictions(written: Sequence[Any]) -> dict[int, str]:
    """By line index, the allergy lines as typed that say "no known drug allergies" beside
    lines naming allergies: the plan's gap in its words (walk23 HARM 3). Blank lines and texts
    the validator refuses are skipped (their index is kept)."""
    kept = [
        (i, w) for i, w in enumerate(written) if isinstance(w, str) and w.strip() and len(w) <= 200
    ]
    if len(kept) < 2:
        return {}
    try:
        case, _doubts = validate_case(
            {
                "schema": "planner.case/1",
                "patient": {"mrn": "preview", "family_name": "preview"},
                "assessed_on": dt.date.today().isoformat(),
                "allergies": [{"substance": w} for _, w in kept],
            },
            case_limits(),
        )
    except InputInvalid:
        return {}
    found = allergy_contradictions(case.allergies or ())
    return {kept[j][0]: words for j, words in found.items()}
