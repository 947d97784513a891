"""Correcting the record (issue 20 item 3), as the window and the CLI ask for it: an assessment
opened read-only and amended with a reason, likely duplicate patients found, two patients merged,
a patient entered by mistake retired or shown again. Each change is signed by the record's user
(the name signed in) and audited; nothing is deleted (storage.corrections says how)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from planner.domain import duplicates
from planner.domain.frozen_value import frozen_value
from planner.domain.plan_versions import Amendment
from planner.domain.problems import InputInvalid, Problem
from planner.services.patient_record import PatientRecord, RecordUnavailable
from planner.storage import corrections, patients
from planner.storage import db as storage_db

T = TypeVar("T")


@frozen_value
class RegisteredPatient:
    """A patient's row as the duplicates review and the merge show it."""

    mrn: str
    family_name: str
    given_name: str | None
    birth_date: str | None  # ISO
    sex: str | None
    created_at: str

    @property
    def name(self) -> str:
        return ", ".join(p for p in (self.family_name, self.given_name) if p)


@frozen_value
class ViewedAssessment:
    """One stored assessment as opened read-only: its case, what amended it (None: this is the
    current version) and the amendments that led to it, oldest first."""

    assessment_id: int
    mrn: str
    case: dict[str, Any]
    amended: Amendment | None
    earlier: tuple[tuple[int, Amendment], ...]  # (the version amended, the amendment)


@frozen_value
class AmendmentOutcome:
    """What an amendment did, for the nurse who saved it: the new version, the plans it
    superseded, and the review and alerts that still stand on her worklist (walk 21 H2: the
    booked review stays until a plan of the corrected version is made)."""

    amended_id: int
    superseded_plans: tuple[int, ...]
    review_due_on: str | None  # ISO; None: no review date is booked
    review_why: str | None  # why she is due then, in words (domain.review_due)
    open_alerts: int


@frozen_value
class Retired:
    patient: RegisteredPatient
    reason: str
    signed_by: str
    signed_at: str


@frozen_value
class Standing:
    """Where a patient asked for by MRN stands now: listed, merged into another (whose record
    holds hers now), or retired (hidden, kept)."""

    mrn: str
    surviving_mrn: str | None  # merged: the patient whose record holds hers (last of a chain)
    retired: bool  # she (or, merged, the survivor) was retired

    @property
    def listed(self) -> bool:
        return self.surviving_mrn is None and not self.retired


@frozen_value
class Merged:
    """What a merge moved (ids), and under which MRN it is now."""

    surviving_mrn: str
    merged_mrn: str
    assessments: tuple[int, ...]
    drafts: tuple[int, ...]
    courses: tuple[int, ...]  # kept as written, read through the merge


def _patient(row: dict[str, Any]) -> RegisteredPatient:
    return RegisteredPatient(
        mrn=row["mrn"],
        family_name=row["family_name"],
        given_name=row["given_name"],
        birth_date=row["birth_date"],
        sex=row["sex"],
        created_at=row["created_at"],
    )


@contextmanager
def _refusals(record: PatientRecord, field: str) -> Iterator[None]:
    """A refused correction as InputInvalid naming `field`; a record fault as RecordUnavailable."""
    try:
        yield
    except corrections.CorrectionRefused as exc:
        raise InputInvalid((Problem(field, str(exc)),)) from None
    except sqlite3.IntegrityError:
        raise
    except (sqlite3.Error, storage_db.RecordError) as exc:
        raise RecordUnavailable.from_error(exc, record.path) from None


def _guarded(record: PatientRecord, field: str, work: Callable[[], T]) -> T:
    with _refusals(record, field):
        return work()


def _patient_id(record: PatientRecord, mrn: str, field: str = "patient") -> int:
    found = patients.find_by_mrn(record.database, mrn)
    if found is None:
        raise InputInvalid((Problem(field, f'"{mrn}" is not in the record'),))
    return int(found["id"])


def _amendment(row: dict[str, Any]) -> Amendment:
    return Amendment(
        amendment_id=int(row["amendment_id"]),
        reason=row["reason"],
        amended_by=row["amended_by"],
        amended_at=row["amended_at"],
    )


# ---- assessments ----------------------------------------------------------------------------


def amendment_of(record: PatientRecord, assessment_id: int) -> Amendment | None:
    """The amendment that replaced the assessment, or None when it is the current version."""
    row = _guarded(
        record, "assessment", lambda: corrections.amended_by(record.database.conn, assessment_id)
    )
    return None if row is None else _amendment(row)


def view_assessment(record: PatientRecord, assessment_id: int) -> ViewedAssessment:
    """A stored assessment to show read-only (any version, amended or not)."""
    conn = record.database.conn
    with _refusals(record, "assessment"):
        found = conn.execute(
            "SELECT p.mrn FROM assessments a JOIN patients p ON p.id = a.patient_id WHERE a.id = ?",
            [assessment_id],
        ).fetchone()
        case = record.case(assessment_id)
        if found is None or case is None:
            raise InputInvalid((Problem("assessment", f"{assessment_id} is not in the record"),))
        amended = corrections.amended_by(conn, assessment_id)
        earlier = corrections.amendment_chain(conn, assessment_id)
    return ViewedAssessment(
        assessment_id=assessment_id,
        mrn=str(found[0]),
        case=case,
        amended=None if amended is None else _amendment(amended),
        earlier=tuple((int(row["amended_id"]), _amendment(row)) for row in earlier),
    )


def amend_assessment(
    record: PatientRecord, assessment_id: int, raw: dict[str, Any], reason: str
) -> int:
    """Keep the corrected case `raw` as the new version of the assessment, with `reason`, signed
    by the record's user; returns the new assessment's id. The case passes the one validator
    (InputInvalid naming each bad field, nothing saved); it must be the same patient's."""
    from planner.domain.case_document import normalise_document
    from planner.services.case_commands import check_case

    if not reason.strip():
        raise InputInvalid((Problem("reason", "a reason for the amendment is required"),))
    old = view_assessment(record, assessment_id)
    raw = normalise_document(raw)
    checked = check_case(raw)
    if checked.case.patient.mrn != (old.case.get("patient") or {}).get("mrn"):
        raise InputInvalid(
            (
                Problem(
                    "patient.mrn",
                    "an amendment cannot change the patient: merge the two patients instead",
                ),
            )
        )
    return _guarded(
        record,
        "assessment",
        lambda: corrections.amend_assessment(
            record.database, assessment_id, raw, reason, record.who
        ),
    )


def amendment_outcome(record: PatientRecord, assessment_id: int) -> AmendmentOutcome:
    """What amending `assessment_id` left standing: its amended version, the plans of it that
    are superseded, and her review date and open alerts on the worklist now."""
    from planner.storage import worklist

    def look() -> AmendmentOutcome:
        conn = record.database.conn
        amended = corrections.amended_by(conn, assessment_id)
        if amended is None:
            raise InputInvalid((Problem("assessment", f"{assessment_id} was not amended"),))
        (patient_id,) = conn.execute(
            "SELECT patient_id FROM assessments WHERE id = ?", [assessment_id]
        ).fetchone()
        superseded = tuple(
            int(p)
            for (p,) in conn.execute(
                "SELECT id FROM plans WHERE assessment_id = ? ORDER BY id", [assessment_id]
            )
        )
        due, why, alerts = worklist.review_of(conn, int(patient_id))
        return AmendmentOutcome(int(amended["amendment_id"]), superseded, due, why, alerts)

    return _guarded(record, "assessment", look)


# ---- likely duplicates ------------------------------------------------------------------------


def _key(row: dict[str, Any]) -> duplicates.PersonKey:
    return duplicates.person_key(
        row["mrn"], row["family_name"], row["given_name"], row["birth_date"]
    )


def likely_duplicates_of(
    record: PatientRecord,
    family_name: str | None,
    given_name: str | None,
    birth_date: str | None,
    *,
    mrn: str = "",
) -> list[RegisteredPatient]:
    """Listed patients who are likely the person about to be registered: born the same day and
    named alike, however the name was spelt (planner.domain.duplicates)."""
    if not birth_date or not family_name:
        return []
    new = duplicates.person_key(mrn, family_name, given_name, birth_date)
    rows = _guarded(
        record,
        "patient",
        lambda: corrections.listed_with_birth_date(record.database.conn, birth_date),
    )
    found = {m.ref for m in duplicates.matches(new, [_key(row) for row in rows])}
    return [_patient(row) for row in rows if row["mrn"] in found]


def likely_duplicate_pairs(
    record: PatientRecord,
) -> list[tuple[RegisteredPatient, RegisteredPatient]]:
    """Every pair of listed patients who are likely one person, the earlier registered first."""
    rows = _guarded(
        record, "patient", lambda: corrections.listed_sharing_birth_dates(record.database.conn)
    )
    by_mrn = {row["mrn"]: row for row in rows}
    pairs = []
    for a, b in duplicates.duplicate_pairs([_key(row) for row in rows]):
        first, second = sorted((by_mrn[a.ref], by_mrn[b.ref]), key=lambda r: int(r["id"]))
        pairs.append((_patient(first), _patient(second)))
    return pairs


# ---- merging and retiring ---------------------------------------------------------------------


def merge_patients(
    record: PatientRecord, merged_mrn: str, surviving_mrn: str, reason: str
) -> Merged:
    """Merge patient `merged_mrn` into `surviving_mrn` with `reason`, signed by the record's
    user: every assessment (with its plans and acknowledgements) and draft moves to the
    survivor, her courses are read through the merge, the audit log keeps every step, and the
    merged patient's row is kept, hidden from the list."""
    if not reason.strip():
        raise InputInvalid((Problem("reason", "a reason for the merge is required"),))
    merged_id = _patient_id(record, merged_mrn, "merged")
    surviving_id = _patient_id(record, surviving_mrn, "surviving")
    row = _guarded(
        record,
        "merge",
        lambda: corrections.merge_patients(
            record.database, merged_id, surviving_id, reason, record.who
        ),
    )
    moved = corrections.moved_of(row)
    return Merged(
        surviving_mrn=surviving_mrn,
        merged_mrn=merged_mrn,
        assessments=tuple(moved["assessments"]),
        drafts=tuple(moved["drafts"]),
        courses=tuple(moved["courses_read_through_merge"]),
    )


def retire_patient(record: PatientRecord, mrn: str, reason: str) -> None:
    """Hide a patient entered by mistake from the list and the search, with `reason`; every row
    of hers is kept, and `restore_patient` shows her again."""
    _set_retired(record, mrn, True, reason)


def restore_patient(record: PatientRecord, mrn: str, reason: str) -> None:
    """Show a retired patient in the list again, with `reason`."""
    _set_retired(record, mrn, False, reason)


def _set_retired(record: PatientRecord, mrn: str, retired: bool, reason: str) -> None:
    if not reason.strip():
        raise InputInvalid((Problem("reason", "a reason is required"),))
    patient_id = _patient_id(record, mrn)
    _guarded(
        record,
        "patient",
        lambda: corrections.set_retired(record.database, patient_id, retired, reason, record.who),
    )


def standing(record: PatientRecord, mrn: str) -> Standing | None:
    """Where the patient with `mrn` stands now (None: no such MRN in the record). A list kept
    elsewhere (the window's recent patients, a note) asks this before opening her."""

    def look() -> Standing | None:
        found = patients.find_by_mrn(record.database, mrn)
        if found is None:
            return None
        conn = record.database.conn
        survivor = corrections.surviving_patient(conn, int(found["id"]))
        surviving_mrn = None
        if survivor != int(found["id"]):
            surviving_mrn = str(
                conn.execute("SELECT mrn FROM patients WHERE id = ?", [survivor]).fetchone()[0]
            )
        return Standing(mrn, surviving_mrn, corrections.is_retired(conn, survivor))

    return _guarded(record, "patient", look)


def retired_patients(record: PatientRecord) -> list[Retired]:
    rows = _guarded(record, "patient", lambda: corrections.retired_patients(record.database.conn))
    return [
        Retired(_patient(row), row["reason"], row["signed_by"], row["signed_at"]) for row in rows
    ]
