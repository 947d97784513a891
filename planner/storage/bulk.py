"""Adding many new patients with their assessments fast (demo records, load tests).

Rows go in with `executemany`, a few thousand patients per transaction, audited exactly as
single imports are; search stays in step through its triggers. Patients whose MRN is already
in the record are left alone (so filling the same demo twice adds nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from planner.storage import assessments, audit, patients
from planner.storage.db import writing

if TYPE_CHECKING:
    from sqlite_utils import Database

_PATIENT_INSERT = (
    f"INSERT INTO patients ({', '.join(patients.COLUMNS)})"
    f" VALUES ({', '.join('?' * len(patients.COLUMNS))})"
)
_ASSESSMENT_INSERT = (
    f"INSERT INTO assessments ({', '.join(assessments.COLUMNS)})"
    f" VALUES ({', '.join('?' * len(assessments.COLUMNS))})"
)


class PreparedCase(NamedTuple):
    """A case ready to store: its text, digest and indexed columns (worker processes make
    these, so the writer only writes)."""

    text: str
    sha256: str
    indexed: tuple[Any, ...]  # values in the order of assessments.INDEXED


class PreparedPatient(NamedTuple):
    demographics: dict[str, Any]  # the case's `patient` object (latest assessment)
    cases: tuple[PreparedCase, ...]


def prepare(cases: list[dict[str, Any]]) -> PreparedPatient:
    """One new patient's (validated) case documents, oldest first, made ready to store."""
    prepared = []
    for raw in cases:
        text = assessments.case_text(raw)
        indexed = assessments.indexed_columns(raw)
        prepared.append(
            PreparedCase(
                text, assessments.sha256(text), tuple(indexed[c] for c in assessments.INDEXED)
            )
        )
    return PreparedPatient(cases[-1]["patient"], tuple(prepared))


@dataclass(frozen=True)
class Added:
    patients: int
    assessments: int
    skipped: int  # MRNs already in the record


def add_prepared(
    db: Database,
    prepared: Iterable[PreparedPatient],
    who: str,
    *,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> Added:
    """Store prepared new patients. One transaction per batch of `batch_size` patients: a batch
    is in the record whole or not at all."""
    totals = [0, 0, 0]
    for batch in _batches(prepared, batch_size):
        with writing(db):
            added = _add_batch(db, batch, who)
        totals = [t + a for t, a in zip(totals, added, strict=True)]
        if progress is not None:
            progress(totals[0] + totals[2])
    if totals[0] >= OPTIMISE_SEARCH_FROM:
        optimise_search(db)
    return Added(*totals)


# Many patients added at once leave the search indexes in many small pieces, which a search
# reads one by one (a common name: 42 ms -> 17 ms on 100,000 patients once merged).
OPTIMISE_SEARCH_FROM = 1000


def optimise_search(db: Database) -> None:
    """Merge each search index into one piece (FTS5 'optimize'; a second or two on 100,000)."""
    with writing(db):
        for table in ("patients_fts", "patients_mrn_fts"):
            db.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")


def _batches(items: Iterable[PreparedPatient], size: int) -> Iterator[list[PreparedPatient]]:
    batch: list[PreparedPatient] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _existing_mrns(db: Database, mrns: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(mrns), 500):
        chunk = mrns[start : start + 500]
        cursor = db.execute(
            f"SELECT mrn FROM patients WHERE mrn IN ({', '.join('?' * len(chunk))})", chunk
        )
        found.update(mrn for (mrn,) in cursor)
    return found


def _add_batch(db: Database, batch: list[PreparedPatient], who: str) -> tuple[int, int, int]:
    conn = db.conn
    existing = _existing_mrns(db, [p.demographics["mrn"] for p in batch])
    stamp = audit.now()
    patient_id = int(conn.execute("SELECT coalesce(max(id), 0) FROM patients").fetchone()[0])
    assessment_id = assessments.next_id(conn) - 1
    patient_rows: list[tuple[Any, ...]] = []
    names: list[tuple[int, str, str | None, str]] = []
    assessment_rows: list[tuple[Any, ...]] = []
    changes: list[audit.Change] = []
    skipped = 0
    for patient in batch:
        given = patient.demographics
        if given["mrn"] in existing:
            skipped += 1
            continue
        existing.add(given["mrn"])
        patient_id += 1
        row = {
            "id": patient_id,
            "mrn": given["mrn"],
            "family_name": given["family_name"],
            "given_name": given.get("given_name"),
            "birth_date": given.get("birth_date"),
            "sex": given.get("sex"),
            "menopausal_status": given.get("menopausal_status"),
            "created_at": stamp,
            "updated_at": stamp,
        }
        patient_rows.append(tuple(row[c] for c in patients.COLUMNS))
        names.append((patient_id, row["family_name"], row["given_name"], row["mrn"]))
        changes.append(
            audit.Change("patients", str(patient_id), "insert", None, audit.snapshot(row))
        )
        for case in patient.cases:
            assessment_id += 1
            arow = {
                "id": assessment_id,
                "patient_id": patient_id,
                "case_json": case.text,
                "case_sha256": case.sha256,
                **dict(zip(assessments.INDEXED, case.indexed, strict=True)),
                "created_at": stamp,
                "created_by": who,
            }
            assessment_rows.append(assessments.row_values(arow))
            changes.append(
                audit.Change(
                    "assessments",
                    str(assessment_id),
                    "insert",
                    None,
                    assessments.row_snapshot(arow),
                )
            )
    conn.executemany(_PATIENT_INSERT, patient_rows)
    patients.add_keys(conn, names)
    conn.executemany(_ASSESSMENT_INSERT, assessment_rows)
    audit.append(conn, who, changes, stamp)
    return len(patient_rows), len(assessment_rows), skipped
