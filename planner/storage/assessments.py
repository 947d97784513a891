"""Assessments: each one validated case document (contract §2) with columns copied out of it.

`indexed_columns` is the one place those columns are derived; `check` recomputes them.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from planner.domain.case import ESAS_ITEMS
from planner.storage import audit
from planner.storage.db import writing

if TYPE_CHECKING:
    from sqlite_utils import Database

INDEXED = (
    "assessed_on",
    "bilirubin_x_uln",
    "alp_x_uln",
    "ecog",
    "esas_total",
    "weight_kg",
    "phq9_total",
    "distress_thermometer",
)
COLUMNS = (
    "id",
    "patient_id",
    "case_json",
    "case_sha256",
    *INDEXED,
    "created_at",
    "created_by",
)
_INSERT = f"INSERT INTO assessments ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"


def _section(raw: dict[str, Any], name: str) -> dict[str, Any]:
    value = raw.get(name)
    return value if isinstance(value, dict) else {}


def _times_uln(result: Any) -> float | None:
    """value / uln when the result carries both (the lab's own ULN, same unit), else None."""
    if not isinstance(result, dict):
        return None
    value, uln = result.get("value"), result.get("uln")
    if value is None or not uln:
        return None
    from planner.domain.units import times_uln  # the one × ULN; lazy: not on the start-up path

    return times_uln(float(value), float(uln))


def _total(items: list[Any]) -> int | None:
    if not items or any(item is None for item in items):
        return None
    return int(sum(items))


def indexed_columns(raw: dict[str, Any]) -> dict[str, Any]:
    """The trend and search columns of one (validated) case document. Unknown is NULL."""
    labs = _section(raw, "labs")
    esas = _section(_section(raw, "symptoms"), "esas")
    psychosocial = _section(raw, "psychosocial")
    phq9 = psychosocial.get("phq9")
    weight = _section(raw, "body").get("weight_kg")
    ecog = _section(raw, "clinical").get("ecog")
    dt_score = psychosocial.get("distress_thermometer")
    return {
        "assessed_on": raw["assessed_on"],
        "bilirubin_x_uln": _times_uln(labs.get("bilirubin")),
        "alp_x_uln": _times_uln(labs.get("alp")),
        "ecog": None if ecog is None else int(ecog),
        "esas_total": _total([esas.get(item) for item in ESAS_ITEMS]),
        "weight_kg": None if weight is None else float(weight),
        "phq9_total": _total(phq9) if isinstance(phq9, list) and len(phq9) == 9 else None,
        "distress_thermometer": None if dt_score is None else int(dt_score),
    }


def case_text(raw: dict[str, Any]) -> str:
    """The stored form of a case: compact JSON, the document's own key order kept."""
    return json.dumps(raw, ensure_ascii=False, separators=(",", ":"))


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def new_row(
    assessment_id: int, patient_id: int, raw: dict[str, Any], stamp: str, who: str
) -> dict[str, Any]:
    text = case_text(raw)
    return {
        "id": assessment_id,
        "patient_id": patient_id,
        "case_json": text,
        "case_sha256": sha256(text),
        **indexed_columns(raw),
        "created_at": stamp,
        "created_by": who,
    }


def row_values(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[c] for c in COLUMNS)


def row_snapshot(row: dict[str, Any]) -> str:
    """The row as the audit log keeps it: the case document is pinned by its sha256 (the row
    keeps the text; `check` verifies one against the other), so the log does not hold every
    document twice."""
    return audit.snapshot({k: v for k, v in row.items() if k != "case_json"})


def next_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM assessments").fetchone()[0])


def find_duplicate(db: Database, patient_id: int, raw: dict[str, Any]) -> int | None:
    found = db.execute(
        "SELECT id FROM assessments WHERE patient_id = ? AND case_sha256 = ?",
        [patient_id, sha256(case_text(raw))],
    ).fetchone()
    return None if found is None else int(found[0])


def add_assessment(db: Database, patient_id: int, raw: dict[str, Any], who: str) -> int:
    """Store one validated case for the patient (audited). Call inside `writing(db)` to join a
    larger change (as an import does), or alone."""
    stamp = audit.now()
    with writing(db):
        row = new_row(next_id(db.conn), patient_id, raw, stamp, who)
        db.execute(_INSERT, row_values(row))
        audit.append(
            db.conn,
            who,
            [audit.Change("assessments", str(row["id"]), "insert", None, row_snapshot(row))],
            stamp,
        )
    return int(row["id"])


def trend(db: Database, patient_id: int) -> list[dict[str, Any]]:
    """The indexed columns of a patient's assessments, oldest first (for trend charts): each
    in its current version (an amended one is replaced by its amendment, storage.corrections),
    with the reason of the amendment that made it (`amended_because`, None if never amended)."""
    cursor = db.execute(
        f"SELECT id, {', '.join(INDEXED)},"
        # the reason of the amendment that made this version (None: never amended)
        " (SELECT m.reason FROM assessment_amendments m WHERE m.amendment_id = assessments.id)"
        " FROM assessments WHERE patient_id = ?"
        " AND id NOT IN (SELECT amended_id FROM assessment_amendments)"
        " ORDER BY assessed_on, id",
        [patient_id],
    )
    keys = ("id", *INDEXED, "amended_because")
    return [dict(zip(keys, row, strict=True)) for row in cursor]


def case_of(db: Database, assessment_id: int) -> dict[str, Any] | None:
    found = db.execute("SELECT case_json FROM assessments WHERE id = ?", [assessment_id]).fetchone()
    return None if found is None else json.loads(found[0])


def iter_cases(db: Database) -> Iterator[tuple[int, str, str, dict[str, Any]]]:
    """(assessment id, MRN, assessed_on, case document) of every assessment, by patient."""
    cursor = db.execute(
        "SELECT a.id, p.mrn, a.assessed_on, a.case_json FROM assessments a"
        " JOIN patients p ON p.id = a.patient_id ORDER BY p.mrn, a.assessed_on, a.id"
    )
    for assessment_id, mrn, assessed_on, text in cursor:
        yield int(assessment_id), mrn, assessed_on, json.loads(text)
