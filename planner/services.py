"""Use cases shared by the CLI and the desktop app. No Qt here; no SQL outside planner.storage."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.domain.case import Case, Patient
from planner.domain.problems import InputInvalid, Problem
from planner.domain.validation import parse_json, validate_case, validate_patient
from planner.rules import RuleSet, load_rules

APP_NAME = "SupportiveCarePlanner"


@dataclass(frozen=True)
class CheckedCase:
    case: Case
    doubts: tuple[Problem, ...]


def rules() -> RuleSet:
    return load_rules()


def read_case_file(path: Path) -> Any:
    """Read a case file as JSON; unreadable or malformed files raise InputInvalid naming the file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputInvalid(
            (Problem(str(path), f"cannot be read: {exc.strerror or exc}"),)
        ) from None
    return parse_json(data, str(path))


def check_case(raw: Any, ruleset: RuleSet | None = None) -> CheckedCase:
    """The one door every case passes through: validate and type it, or raise InputInvalid."""
    ruleset = ruleset or rules()
    case, doubts = validate_case(raw, ruleset.limits)
    return CheckedCase(case, doubts)


def default_db_path() -> Path:
    """Where the record lives: $PLANNER_DB, else the user's data folder (platformdirs)."""
    override = os.environ.get("PLANNER_DB")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "record.sqlite3"


class PatientRecord:
    """The open local record, as the UI and CLI see it: domain objects in, domain objects out."""

    def __init__(self, path: Path) -> None:
        from planner.storage import db as storage_db

        self.path = path
        try:
            self._db = storage_db.open_db(path)
        except storage_db.RecordError as exc:
            raise RecordUnavailable(str(exc)) from None

    def close(self) -> None:
        self._db.close()

    def patient_count(self) -> int:
        from planner.storage import patients

        return patients.count_patients(self._db)

    def patients_page(self, limit: int, offset: int) -> list[Patient]:
        """Patients ordered by name, one page at a time (the UI fills its table lazily)."""
        from planner.storage import patients

        return patients.list_patients(self._db, limit=limit, offset=offset)

    def add_patient(self, raw: dict[str, Any]) -> Patient:
        """Validate patient details (same rules as the case document) and add them."""
        from planner.storage import patients

        patient, _ = validate_patient(raw, rules().limits)
        try:
            patients.add_patient(self._db, patient)
        except patients.DuplicateMrn:
            raise InputInvalid(
                (Problem("patient.mrn", f'"{patient.mrn}" is already in the record'),)
            ) from None
        return patient


class RecordUnavailable(RuntimeError):
    """The record file cannot be opened (not a database, no permission, disk full)."""
