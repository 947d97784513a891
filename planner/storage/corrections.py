"""Correcting the record (issue 20 item 3): an assessment amended with a reason, two records of
one patient merged, a patient entered by mistake retired (and shown again). Nothing is changed
in place that the audit log does not hold before and after, and nothing is deleted.

- Amending keeps the assessment and adds the corrected case as a new assessment of the same
  patient, linked by an `assessment_amendments` row (the reason, who, when). Plans made from
  the old version stay as they were; `plan_versions` says they were superseded.
- Merging moves the merged patient's assessments (audited updates; their plans and
  acknowledgements hang off them) and drafts to the survivor. Treatment courses are kept as
  written (they never change) and read through the merge (`patient_family`). The merged
  patient's row stays, hidden from the list; the `patient_merges` row lists what moved.
- Retiring hides a patient from the list and the search; her rows all stay.

Standard library only at import: the patient list (`storage.search`) reads `HIDDEN_PATIENTS`
at start-up.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from planner.storage import audit

if TYPE_CHECKING:
    from sqlite_utils import Database

AMENDMENT_COLUMNS = ("id", "amended_id", "amendment_id", "reason", "amended_by", "amended_at")
MERGE_COLUMNS = (
    "id",
    "merged_id",
    "surviving_id",
    "moved_json",
    "reason",
    "signed_by",
    "signed_at",
)
RETIREMENT_COLUMNS = ("id", "patient_id", "retired", "reason", "signed_by", "signed_at")
TABLES: dict[str, tuple[str, ...]] = {
    "assessment_amendments": AMENDMENT_COLUMNS,
    "patient_merges": MERGE_COLUMNS,
    "patient_retirements": RETIREMENT_COLUMNS,
}

#: ids of the patients the list and the search leave out: merged into another, or retired (the
#: latest retirement row says retired). One home for the rule; `storage.search` embeds it.
HIDDEN_PATIENTS = """
    SELECT merged_id FROM patient_merges
    UNION
    SELECT r.patient_id FROM patient_retirements r
    WHERE r.retired = 1
      AND r.id = (SELECT max(x.id) FROM patient_retirements x WHERE x.patient_id = r.patient_id)
"""

#: the patient `:patient` and every patient merged into her, however many merges deep
_FAMILY = """
    WITH RECURSIVE family (id) AS (
        SELECT :patient
        UNION SELECT m.merged_id FROM patient_merges m JOIN family f ON m.surviving_id = f.id
    )
"""


class CorrectionRefused(ValueError):
    """The correction cannot be made as asked; the message says why in words."""


def row_snapshot(table: str, row: dict[str, Any]) -> str:
    """A row as the audit log keeps it (what moved on a merge embedded as JSON)."""
    return audit.snapshot(row, ("moved_json",) if table == "patient_merges" else ())


def _insert(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> dict[str, Any]:
    columns = TABLES[table][1:]
    cursor = conn.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [row[c] for c in columns],
    )
    return {"id": int(cursor.lastrowid or 0), **{c: row[c] for c in columns}}


def _change(table: str, row: dict[str, Any]) -> audit.Change:
    return audit.Change(table, str(row["id"]), "insert", None, row_snapshot(table, row))


def _reason(reason: str) -> str:
    text = " ".join(reason.split())
    if not text:
        raise CorrectionRefused("a reason is required")
    return text


# ---- amendments ----------------------------------------------------------------------------


def amend_assessment(
    db: Database, assessment_id: int, raw: dict[str, Any], reason: str, who: str
) -> int:
    """Keep the corrected case `raw` (validated by the caller) as a new assessment of the same
    patient, linked to `assessment_id` with `reason`; returns the new assessment's id."""
    from planner.storage import assessments
    from planner.storage.db import writing

    reason = _reason(reason)
    with writing(db):
        found = db.execute(
            "SELECT patient_id, case_sha256 FROM assessments WHERE id = ?", [assessment_id]
        ).fetchone()
        if found is None:
            raise CorrectionRefused(f"assessment {assessment_id} is not in the record")
        newer = amended_by(db.conn, assessment_id)
        if newer is not None:
            raise CorrectionRefused(
                f"assessment {assessment_id} was amended already (assessment"
                f" {newer['amendment_id']}): amend that version"
            )
        if assessments.sha256(assessments.case_text(raw)) == found[1]:
            raise CorrectionRefused("nothing was changed: the amended case is the same")
        if assessments.find_duplicate(db, int(found[0]), raw) is not None:
            raise CorrectionRefused("the amended case is already in the record as it is")
        new_id = assessments.add_assessment(db, int(found[0]), raw, who)
        stamp = audit.now()
        row = _insert(
            db.conn,
            "assessment_amendments",
            {
                "amended_id": assessment_id,
                "amendment_id": new_id,
                "reason": reason,
                "amended_by": who,
                "amended_at": stamp,
            },
        )
        audit.append(db.conn, who, [_change("assessment_amendments", row)], stamp)
        from planner.storage import worklist  # the amended version's plans are superseded

        worklist.recount(db.conn, (int(found[0]),))
    return new_id


def amended_by(conn: sqlite3.Connection, assessment_id: int) -> dict[str, Any] | None:
    """The amendment that replaced `assessment_id`, or None when it is the current version."""
    found = conn.execute(
        f"SELECT {', '.join(AMENDMENT_COLUMNS)} FROM assessment_amendments WHERE amended_id = ?",
        [assessment_id],
    ).fetchone()
    return None if found is None else dict(zip(AMENDMENT_COLUMNS, found, strict=True))


def amendment_chain(conn: sqlite3.Connection, assessment_id: int) -> list[dict[str, Any]]:
    """The amendments before `assessment_id`, oldest first (each row: which version replaced
    which, why, who, when); [] for an assessment never amended."""
    chain: list[dict[str, Any]] = []
    current = assessment_id
    while True:
        found = conn.execute(
            f"SELECT {', '.join(AMENDMENT_COLUMNS)} FROM assessment_amendments"
            " WHERE amendment_id = ?",
            [current],
        ).fetchone()
        if found is None:
            return chain[::-1]
        row = dict(zip(AMENDMENT_COLUMNS, found, strict=True))
        chain.append(row)
        current = int(row["amended_id"])


# ---- merges --------------------------------------------------------------------------------


def _patient(conn: sqlite3.Connection, patient_id: int) -> dict[str, Any]:
    from planner.storage.patients import COLUMNS

    found = conn.execute(
        f"SELECT {', '.join(COLUMNS)} FROM patients WHERE id = ?", [patient_id]
    ).fetchone()
    if found is None:
        raise CorrectionRefused(f"patient {patient_id} is not in the record")
    return dict(zip(COLUMNS, found, strict=True))


def merged_into(conn: sqlite3.Connection, patient_id: int) -> int | None:
    found = conn.execute(
        "SELECT surviving_id FROM patient_merges WHERE merged_id = ?", [patient_id]
    ).fetchone()
    return None if found is None else int(found[0])


def surviving_patient(conn: sqlite3.Connection, patient_id: int) -> int:
    """The patient whose record holds `patient_id`'s now: herself unless she was merged (the
    last of a chain of merges)."""
    seen = {patient_id}
    while (into := merged_into(conn, patient_id)) is not None and into not in seen:
        seen.add(into)
        patient_id = into
    return patient_id


def patient_family(conn: sqlite3.Connection, patient_id: int) -> list[int]:
    """`patient_id` and every patient merged into her (directly or through another merge)."""
    cursor = conn.execute(f"{_FAMILY} SELECT id FROM family ORDER BY id", {"patient": patient_id})
    return [int(pid) for (pid,) in cursor]


def merge_patients(
    db: Database, merged_id: int, surviving_id: int, reason: str, who: str
) -> dict[str, Any]:
    """Move everything of patient `merged_id` to `surviving_id` (audited), keep the merged
    patient's row hidden, and log the merge with `reason`. Returns the merge row."""
    from planner.storage import assessments
    from planner.storage.db import writing

    reason = _reason(reason)
    if merged_id == surviving_id:
        raise CorrectionRefused("a patient cannot be merged into herself")
    with writing(db):
        merged, surviving = _patient(db.conn, merged_id), _patient(db.conn, surviving_id)
        for row, role in ((merged, "merged"), (surviving, "kept")):
            into = merged_into(db.conn, int(row["id"]))
            if into is not None:
                raise CorrectionRefused(
                    f"{row['mrn']} (to be {role}) was merged already into patient {into}"
                )
        stamp = audit.now()
        columns = [c for c in assessments.COLUMNS if c != "case_json"]
        moving = [
            dict(zip(columns, found, strict=True))
            for found in db.execute(
                f"SELECT {', '.join(columns)} FROM assessments WHERE patient_id = ? ORDER BY id",
                [merged_id],
            )
        ]
        changes = []
        for before in moving:
            after = {**before, "patient_id": surviving_id}
            try:
                db.execute(
                    "UPDATE assessments SET patient_id = ? WHERE id = ?",
                    [surviving_id, before["id"]],
                )
            except sqlite3.IntegrityError:
                raise CorrectionRefused(
                    f"assessment {before['id']} of {merged['mrn']} is already in"
                    f" {surviving['mrn']}'s record word for word"
                ) from None
            changes.append(
                audit.Change(
                    "assessments",
                    str(before["id"]),
                    "update",
                    assessments.row_snapshot(before),
                    assessments.row_snapshot(after),
                )
            )
        drafts = [
            int(d) for (d,) in db.execute("SELECT id FROM drafts WHERE patient_id = ?", [merged_id])
        ]
        db.execute(
            "UPDATE drafts SET patient_id = ? WHERE patient_id = ?", [surviving_id, merged_id]
        )
        courses = [
            int(c)
            for (c,) in db.execute(
                "SELECT id FROM treatment_courses WHERE patient_id = ? ORDER BY id", [merged_id]
            )
        ]
        moved = {
            "merged_mrn": merged["mrn"],
            "surviving_mrn": surviving["mrn"],
            "assessments": [int(r["id"]) for r in moving],
            "drafts": drafts,
            "courses_read_through_merge": courses,
        }
        row = _insert(
            db.conn,
            "patient_merges",
            {
                "merged_id": merged_id,
                "surviving_id": surviving_id,
                "moved_json": audit.canonical_json(moved),
                "reason": reason,
                "signed_by": who,
                "signed_at": stamp,
            },
        )
        audit.append(db.conn, who, [*changes, _change("patient_merges", row)], stamp)
        from planner.storage import worklist  # the moved assessments change both worklist rows

        worklist.recount(db.conn, (merged_id, surviving_id))
    return row


# ---- retirement ----------------------------------------------------------------------------


def is_retired(conn: sqlite3.Connection, patient_id: int) -> bool:
    found = conn.execute(
        "SELECT retired FROM patient_retirements WHERE patient_id = ? ORDER BY id DESC LIMIT 1",
        [patient_id],
    ).fetchone()
    return found is not None and bool(found[0])


def set_retired(db: Database, patient_id: int, retired: bool, reason: str, who: str) -> int:
    """Retire a patient entered by mistake (`retired` True) or show her again (False), with a
    reason; returns the row's id. Nothing of hers is changed or deleted."""
    from planner.storage.db import writing

    reason = _reason(reason)
    with writing(db):
        patient = _patient(db.conn, patient_id)
        if merged_into(db.conn, patient_id) is not None:
            raise CorrectionRefused(f"{patient['mrn']} was merged into another patient")
        if is_retired(db.conn, patient_id) == retired:
            state = "retired" if retired else "not retired"
            raise CorrectionRefused(f"{patient['mrn']} is {state} already")
        stamp = audit.now()
        row = _insert(
            db.conn,
            "patient_retirements",
            {
                "patient_id": patient_id,
                "retired": int(retired),
                "reason": reason,
                "signed_by": who,
                "signed_at": stamp,
            },
        )
        audit.append(db.conn, who, [_change("patient_retirements", row)], stamp)
    return int(row["id"])


def retired_patients(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Patients retired now, with the latest retirement's reason, signer and time."""
    from planner.storage.patients import COLUMNS

    cursor = conn.execute(
        f"SELECT {', '.join('p.' + c for c in COLUMNS)}, r.reason, r.signed_by, r.signed_at"
        " FROM patient_retirements r JOIN patients p ON p.id = r.patient_id"
        " WHERE r.retired = 1 AND r.id = (SELECT max(x.id) FROM patient_retirements x"
        " WHERE x.patient_id = r.patient_id) ORDER BY p.family_name, p.given_name, p.mrn"
    )
    keys = (*COLUMNS, "reason", "signed_by", "signed_at")
    return [dict(zip(keys, found, strict=True)) for found in cursor]


# ---- likely duplicates: candidates -----------------------------------------------------------


def listed_with_birth_date(conn: sqlite3.Connection, birth_date: str) -> list[dict[str, Any]]:
    """Listed patients (not hidden) born on `birth_date` (ISO): the candidates a new patient's
    name is compared with."""
    from planner.storage.patients import COLUMNS

    cursor = conn.execute(
        f"SELECT {', '.join(COLUMNS)} FROM patients WHERE birth_date = ?"
        f" AND id NOT IN ({HIDDEN_PATIENTS}) ORDER BY id",
        [birth_date],
    )
    return [dict(zip(COLUMNS, found, strict=True)) for found in cursor]


def listed_sharing_birth_dates(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Listed patients whose birth date another listed patient shares, by birth date: the
    candidates of the duplicates review (a scan: milliseconds for 100,000 patients)."""
    from planner.storage.patients import COLUMNS

    cursor = conn.execute(
        f"WITH listed AS (SELECT * FROM patients WHERE birth_date IS NOT NULL"
        f" AND id NOT IN ({HIDDEN_PATIENTS}))"
        f" SELECT {', '.join(COLUMNS)} FROM listed WHERE birth_date IN"
        " (SELECT birth_date FROM listed GROUP BY birth_date HAVING count(*) > 1)"
        " ORDER BY birth_date, id"
    )
    return [dict(zip(COLUMNS, found, strict=True)) for found in cursor]


def moved_of(row: dict[str, Any]) -> dict[str, Any]:
    return dict(json.loads(row["moved_json"]))
