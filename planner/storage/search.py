"""Finding patients by name or MRN (FTS5), with nothing but the standard library.

`planner search` must cost little more than starting the program, so this module imports only
`sqlite3` (sqlite-utils alone takes ~0.1 s to import) and never migrates: it opens the record
as it is and reports `SearchUnavailable` when the search tables are not there yet.

Matching: every word of the query must start a word of the family name, given name or MRN,
ignoring case and diacritics ("sahin" finds Şahin, "кари" finds Каримова); the whole query also
matches anywhere inside an MRN ("000123" finds TAS-000123). An exact MRN comes first, then
names in alphabetical order.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

RESULT_KEYS = (
    "mrn",
    "family_name",
    "given_name",
    "birth_date",
    "sex",
    "assessments",
    "last_assessed_on",
)


class SearchUnavailable(RuntimeError):
    """The record is missing, unreadable, or its schema predates search."""


def connect(path: Path) -> sqlite3.Connection:
    """Open an existing record for searching (never creates a file, never migrates)."""
    path = Path(path)
    if not path.is_file():
        raise SearchUnavailable(f"{path}: no record here (create one with `planner db init`)")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=10.0)
    except sqlite3.DatabaseError as exc:
        raise SearchUnavailable(f"{path}: {exc}") from None
    try:
        found = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name IN ('patients_fts', 'patients_mrn_fts')"
        ).fetchone()[0]
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise SearchUnavailable(f"{path}: {exc}") from None
    if found != 2:
        conn.close()
        raise SearchUnavailable(f"{path}: the record's schema predates search")
    return conn


def _phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def words_query(text: str) -> str | None:
    """FTS5 query: each word as a prefix phrase, all required. None if nothing searchable."""
    words = [w for w in text.split() if any(ch.isalnum() for ch in w)]
    if not words:
        return None
    return " ".join(_phrase(w) + "*" for w in words)


def search(conn: sqlite3.Connection, text: str, limit: int = 20) -> list[dict[str, Any]]:
    """Patients matching `text`, best first, as plain dicts (RESULT_KEYS)."""
    text = text.strip()
    words = words_query(text)
    if words is None or limit <= 0:
        return []
    branches = ["SELECT rowid AS id FROM patients_fts WHERE patients_fts MATCH :words"]
    if len(text) >= 3 and not any(ch.isspace() for ch in text):
        branches.append("SELECT rowid FROM patients_mrn_fts WHERE patients_mrn_fts MATCH :mrn")
    sql = f"""
        WITH hits (id) AS ({" UNION ".join(branches)}),
        best AS (
            SELECT p.id, p.mrn, p.family_name, p.given_name, p.birth_date, p.sex
            FROM hits JOIN patients p ON p.id = hits.id
            ORDER BY lower(p.mrn) = lower(:text) DESC,
                     p.family_name COLLATE NOCASE, p.given_name COLLATE NOCASE, p.mrn
            LIMIT :limit
        )
        SELECT mrn, family_name, given_name, birth_date, sex,
               (SELECT count(*) FROM assessments a WHERE a.patient_id = best.id),
               (SELECT max(assessed_on) FROM assessments a WHERE a.patient_id = best.id)
        FROM best
        ORDER BY lower(mrn) = lower(:text) DESC,
                 family_name COLLATE NOCASE, given_name COLLATE NOCASE, mrn
    """
    params = {"words": words, "mrn": _phrase(text), "text": text, "limit": limit}
    return [dict(zip(RESULT_KEYS, row, strict=True)) for row in conn.execute(sql, params)]
