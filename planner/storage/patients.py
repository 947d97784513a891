"""Patients in the record: adding them and changing their demographics, every change audited.

Listing and finding patients (what the main window shows at start-up) is `storage.search`.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from planner.domain import name_keys
from planner.storage import audit
from planner.storage.db import writing

if TYPE_CHECKING:
    from sqlite_utils import Database

    from planner.domain.case import Patient

COLUMNS = (
    "id",
    "mrn",
    "family_name",
    "given_name",
    "birth_date",
    "sex",
    "menopausal_status",
    "created_at",
    "updated_at",
)


# Each patient's search keys (domain.name_keys), written with the patient's row and changed
# with its names: the search indexes follow them by triggers (migration 0005_name_search_keys).
KEYS_INSERT = "INSERT INTO patient_keys (patient_id, name_key, mrn_key) VALUES (?, ?, ?)"


class DuplicateMrn(ValueError):
    pass


def demographics(patient: Patient) -> dict[str, Any]:
    return {
        "family_name": patient.family_name,
        "given_name": patient.given_name,
        "birth_date": patient.birth_date.isoformat() if patient.birth_date else None,
        "sex": patient.sex,
        "menopausal_status": patient.menopausal_status,
    }


def insert_row(conn: sqlite3.Connection, patient: Patient, stamp: str) -> dict[str, Any]:
    """Insert without auditing (the caller appends the audit entry in the same transaction)."""
    row: dict[str, Any] = {"mrn": patient.mrn, **demographics(patient)}
    row["created_at"] = row["updated_at"] = stamp
    cursor = conn.execute(
        f"INSERT INTO patients ({', '.join(COLUMNS[1:])}) VALUES ({', '.join('?' * 8)})",
        [row[c] for c in COLUMNS[1:]],
    )
    patient_id = int(cursor.lastrowid or 0)
    add_keys(conn, [(patient_id, row["family_name"], row["given_name"], row["mrn"])])
    return {"id": patient_id, **row}


def add_keys(conn: sqlite3.Connection, names: list[tuple[int, str, str | None, str]]) -> None:
    """Write the search keys of new patients: (id, family name, given name, MRN) each."""
    conn.executemany(KEYS_INSERT, [name_keys.keys_row(*row) for row in names])


def add_patient(db: Database, patient: Patient, who: str) -> int:
    stamp = audit.now()
    try:
        with writing(db):
            row = insert_row(db.conn, patient, stamp)
            audit.append(
                db.conn,
                who,
                [audit.Change("patients", str(row["id"]), "insert", None, audit.snapshot(row))],
                stamp,
            )
    except sqlite3.IntegrityError:
        raise DuplicateMrn(patient.mrn) from None
    return int(row["id"])


def find_by_mrn(db: Database, mrn: str) -> dict[str, Any] | None:
    cursor = db.execute(f"SELECT {', '.join(COLUMNS)} FROM patients WHERE mrn = ?", [mrn])
    found = cursor.fetchone()
    return None if found is None else dict(zip(COLUMNS, found, strict=True))


def mrns_with_key(conn: sqlite3.Connection, key: str, *, exclude: str) -> list[str]:
    """Stored MRNs whose letters and digits, upper-cased, are `key` (domain.mrn.mrn_key),
    other than `exclude`. A scan of the table: milliseconds for 100,000 patients."""
    cursor = conn.execute(
        "SELECT mrn FROM patients WHERE mrn != ? AND upper(replace(replace(replace(replace("
        "replace(mrn, '-', ''), ' ', ''), '.', ''), '/', ''), '_', '')) = ? ORDER BY mrn LIMIT 5",
        [exclude, key],
    )
    return [mrn for (mrn,) in cursor]


def update_demographics(db: Database, before: dict[str, Any], patient: Patient, who: str) -> bool:
    """Take the demographics given in `patient` (absent ones keep their value); audit the change.
    Returns whether anything changed."""
    given = {k: v for k, v in demographics(patient).items() if v is not None}
    if all(before[k] == v for k, v in given.items()):
        return False
    stamp = audit.now()
    after = {**before, **given, "updated_at": stamp}
    with writing(db):
        db.execute(
            f"UPDATE patients SET {', '.join(f'{k} = ?' for k in (*given, 'updated_at'))}"
            " WHERE id = ?",
            [*given.values(), stamp, before["id"]],
        )
        _, name_key, _ = name_keys.keys_row(
            before["id"], after["family_name"], after["given_name"], after["mrn"]
        )
        db.execute(
            "UPDATE patient_keys SET name_key = ? WHERE patient_id = ? AND name_key != ?",
            [name_key, before["id"], name_key],
        )
        audit.append(
            db.conn,
            who,
            [
                audit.Change(
                    "patients",
                    str(before["id"]),
                    "update",
                    audit.snapshot(before),
                    audit.snapshot(after),
                )
            ],
            stamp,
        )
    return True
