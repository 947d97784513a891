"""The headless commands on one case document (contract §1): read, check, score, plan, dose.
Every case passes through `check_case`, the one validator door."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Any

from planner.domain.case import Case
from planner.domain.case_document import parse_json
from planner.domain.dosing import dose_inputs, drug_dose
from planner.domain.engine import build_plan, lab_grades
from planner.domain.frozen_value import frozen_value
from planner.domain.givable import check_givable, givable_facts
from planner.domain.instruments.registry import score
from planner.domain.medicines import with_current_medicines
from planner.domain.problems import InputInvalid, Problem
from planner.domain.settings import ClinicSettings
from planner.domain.validation import validate_case
from planner.rules import RuleSet
from planner.services.rule_tables import rules


@frozen_value
class CheckedCase:
    case: Case
    doubts: tuple[Problem, ...]


def read_case_file(path: Path) -> Any:
    """Read a case file as JSON; unreadable or malformed files raise InputInvalid naming the file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputInvalid(
            (Problem(str(path), f"cannot be read: {exc.strerror or exc}"),)
        ) from None
    return parse_json(data, str(path))


def check_case(
    raw: Any, ruleset: RuleSet | None = None, today: dt.date | None = None
) -> CheckedCase:
    """The one door every case passes through: validate and type it, or raise InputInvalid.
    The doors where a case is entered (the wizard, import into the record, `planner validate`
    and `planner plan`) give `today`: an assessment or its labs dated after it are refused."""
    ruleset = ruleset or rules()
    case, doubts = validate_case(raw, ruleset.limits, today)
    return CheckedCase(case, doubts)


def score_instrument(name: str, raw: Any, ruleset: RuleSet | None = None) -> dict[str, Any]:
    """Score one instrument or calculator (`planner score`); InputInvalid names every bad item.

    Doubts (values possible but implausible for their unit) are returned under "doubts".
    """
    ruleset = ruleset or rules()
    result, doubts = score(name, raw, ruleset.instruments, ruleset.limits)
    out = result.to_json()
    if doubts:
        out["doubts"] = [str(d) for d in doubts]
    return out


def make_plan(
    raw: Any,
    labels: str | None = None,
    settings: ClinicSettings | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Validate a case (dates after `today` refused, when given) and build its plan document
    (contract §3) as plain JSON."""
    ruleset = rules()
    checked = check_case(raw, ruleset, today)
    plan = build_plan(checked.case, checked.doubts, ruleset, settings or ClinicSettings(), labels)
    return plan.to_json()


def grade_labs(raw: Any, settings: ClinicSettings | None = None) -> list[dict[str, Any]]:
    """Validate a case on treatment and give the CTCAE grades of its labs as the plan's
    `next_cycle.graded` would (contract §5), without building the plan."""
    ruleset = rules()
    checked = check_case(raw, ruleset)
    found = lab_grades(checked.case, checked.doubts, ruleset, settings or ClinicSettings())
    return [g.to_json() for g in found]


def dose_drug(
    raw: Any, drug: str, labels: str | None = None, settings: ClinicSettings | None = None
) -> dict[str, Any]:
    """Validate a case and give one drug's adapted starting dose (`planner dose`, contract §1)
    as the plan's `drugs[]` object. An unknown drug name is an input error naming `--drug`."""
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
    settings = settings or ClinicSettings()
    inputs = dose_inputs(
        checked.case, ruleset.limits, settings, checked.doubts, instruments=ruleset.instruments
    )
    # The same "is this drug givable today" pass as every dose of the plan (a single drug: no
    # regimen companions).
    facts = givable_facts(checked.case, ruleset.limits, checked.doubts, inputs.hepatic)
    dose = drug_dose(name, inputs, ruleset.doses, labels or settings.labels, settings)
    givable = check_givable(dose, facts, ruleset.hard_limits, settings)
    # her allergies and current medicines apply here as in the plan (contract §2a)
    return with_current_medicines(givable, checked.case, ruleset.interactions).to_json()
