"""Patients in the record, returned as domain objects."""

from __future__ import annotations

import datetime as dt
import sqlite3

from sqlite_utils import Database

from planner.domain.case import Patient


class DuplicateMrn(ValueError):
    pass


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def add_patient(db: Database, patient: Patient) -> int:
    stamp = _now()
    try:
        with db.atomic():
            cursor = db.execute(
                "INSERT INTO patients (mrn, family_name, given_name, birth_date, sex, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    patient.mrn,
                    patient.family_name,
                    patient.given_name,
                    patient.birth_date.isoformat() if patient.birth_date else None,
                    patient.sex,
                    stamp,
                    stamp,
                ],
            )
    except sqlite3.IntegrityError:
        raise DuplicateMrn(patient.mrn) from None
    return int(cursor.lastrowid or 0)


def count_patients(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM patients").fetchone()[0])


def list_patients(db: Database, limit: int = 200, offset: int = 0) -> list[Patient]:
    rows = db.execute(
        "SELECT mrn, family_name, given_name, birth_date, sex FROM patients"
        " ORDER BY family_name COLLATE NOCASE, given_name COLLATE NOCASE, mrn LIMIT ? OFFSET ?",
        [limit, offset],
    ).fetchall()
    return [
        Patient(
            mrn=mrn,
            family_name=family,
            given_name=given,
            birth_date=dt.date.fromisoformat(born) if born else None,
            sex=sex,
            menopausal_status=None,
        )
        for mrn, family, given, born, sex in rows
    ]
