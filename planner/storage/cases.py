"""Importing a validated case as an assessment: one transaction per case, audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from planner.domain.case import Case
from planner.storage import assessments, audit, corrections, patients
from planner.storage.db import writing

if TYPE_CHECKING:
    from sqlite_utils import Database

PatientAction = Literal["new", "matched", "updated"]


@dataclass(frozen=True)
class Imported:
    patient_id: int
    assessment_id: int
    patient: PatientAction
    already_present: bool  # the identical case was already stored for this patient


def import_case(db: Database, case: Case, raw: dict[str, Any], who: str) -> Imported:
    """Store `raw` (already validated as `case`) for the patient with its MRN.

    The patient is created if the MRN is new. If it is known, demographics given in the case
    replace the stored ones only when this case is the patient's latest assessment (importing
    an old case never rolls demographics back); the change is audited. Importing the same case
    twice stores it once.
    """
    with writing(db):
        found = patients.find_by_mrn(db, case.patient.mrn)
        action: PatientAction
        if found is None:
            stamp = audit.now()
            row = patients.insert_row(db.conn, case.patient, stamp)
            audit.append(
                db.conn,
                who,
                [audit.Change("patients", str(row["id"]), "insert", None, audit.snapshot(row))],
                stamp,
            )
            patient_id, action = int(row["id"]), "new"
        else:
            # A merged patient's MRN (an old paper form, a case file): the assessment joins the
            # record she was merged into, whose demographics it does not overwrite.
            patient_id = corrections.surviving_patient(db.conn, int(found["id"]))
            redirected = patient_id != int(found["id"])
            action = "matched"
            duplicate = assessments.find_duplicate(db, patient_id, raw)
            if duplicate is not None:
                return Imported(patient_id, duplicate, action, already_present=True)
            latest = db.execute(
                "SELECT max(assessed_on) FROM assessments WHERE patient_id = ?", [patient_id]
            ).fetchone()[0]
            is_latest = latest is None or case.assessed_on.isoformat() >= latest
            if (
                not redirected
                and is_latest
                and patients.update_demographics(db, found, case.patient, who)
            ):
                action = "updated"
        assessment_id = assessments.add_assessment(db, patient_id, raw, who)
    return Imported(patient_id, assessment_id, action, already_present=False)
