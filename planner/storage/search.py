"""Finding and listing patients (FTS5 search, pages in name order), with only the stdlib.

`planner search` and the desktop app's start-up must cost little more than starting the
program, so this module imports only `sqlite3` (sqlite-utils alone takes ~0.1 s to import).
`connect` never migrates: it opens the record as it is and reports `SearchUnavailable` when the
search tables are not there yet. The other functions take any open connection to the record.

Search results and pages of the patient list are the same rows (`RESULT_KEYS`, one SELECT:
`_SUMMARY`), so the desktop app shows both in one table model.

Matching: every word of the query must start a word of the family or given name, compared
by their search keys (`domain.name_keys`: "Каримова" finds Karimova and back, "yildiz" finds
Yıldız, "o'rinova" finds Oʻrinova, "musaeva" finds Musayeva); the query's letters and digits
also match anywhere inside an MRN's ("000123" and "tas1 000123" find TAS-1-000123). An exact
MRN comes first, then names in alphabetical order.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from planner.storage.corrections import HIDDEN_PATIENTS

RESULT_KEYS = (
    "mrn",
    "family_name",
    "given_name",
    "birth_date",
    "sex",
    "assessments",
    "last_assessed_on",
    "review_due_on",
    "open_alerts",
    "drafts",
    "review_why",
    "review_reasons",
)


# One patient's row in a list or a search result; `p` is the patients table, `w` her worklist
# row (storage.worklist), joined by the FROM clause that follows.
_SUMMARY = """
    SELECT p.mrn, p.family_name, p.given_name, p.birth_date, p.sex,
           (SELECT count(*) FROM assessments a WHERE a.patient_id = p.id
                AND a.id NOT IN (SELECT amended_id FROM assessment_amendments)),
           w.last_assessed_on, w.review_due_on, w.open_alerts,
           (SELECT count(*) FROM drafts d WHERE d.patient_id = p.id
                AND d.wizard_page != 'cycle_review'),  -- storage.drafts.CYCLE_REVIEW
           w.review_why, w.review_reasons
"""
_WORKLIST = "JOIN worklist w ON w.patient_id = p.id"
_BY_NAME = "p.family_name COLLATE NOCASE, p.given_name COLLATE NOCASE, p.mrn"
# The patient list's orders, each served by an index (patients_by_name, worklist_by_*): the
# most recently assessed first (never assessed last); the earliest review first (no review
# date last: _DUE is the indexed expression).
_DUE = "coalesce(w.review_due_on, '9999-12-31')"
ORDERS = {
    "name": _BY_NAME,
    "last_assessed": f"w.last_assessed_on DESC, {_BY_NAME}",
    "review_due": f"{_DUE}, {_BY_NAME}",
}


class SearchUnavailable(RuntimeError):
    """The record is missing, unreadable, or its schema predates search."""


def connect(path: Path) -> sqlite3.Connection:
    """Open an existing record for searching (never creates a file, never migrates). Read-only:
    a search never checkpoints or deletes the write-ahead log (which may hold the only trace
    of committed changes behind a damaged frame; `storage.wal`)."""
    path = Path(path)
    if not path.is_file():
        raise SearchUnavailable(f"{path}: no record here (create one with `planner db init`)")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10.0)
    except sqlite3.DatabaseError as exc:
        raise SearchUnavailable(f"{path}: {exc}") from None
    try:
        found = conn.execute(
            "SELECT count(*) FROM sqlite_master"
            " WHERE name IN ('patient_keys', 'patients_fts', 'patients_mrn_fts', 'worklist')"
        ).fetchone()[0]
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise SearchUnavailable(f"{path}: {exc}") from None
    if found != 4:
        conn.close()
        raise SearchUnavailable(f"{path}: the record's schema predates search")
    from planner.storage.db import schema_problem

    try:
        problem = schema_problem(conn)
    except sqlite3.DatabaseError as exc:
        problem = str(exc)
    if problem:  # another program's database, or a newer schema: opening says which
        conn.close()
        raise SearchUnavailable(f"{path}: {problem}")
    from planner.storage.db import pending_migrations

    if pending_migrations(conn):  # an older schema: the caller opens it properly (migrates)
        conn.close()
        raise SearchUnavailable(f"{path}: the record's schema is older than the program's")
    return conn


def _phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def words_query(text: str) -> str | None:
    """FTS5 query over the name keys: each word a prefix (any of its spellings), all required.
    None if nothing searchable."""
    from planner.domain import name_keys

    terms = name_keys.search_terms(text)
    if not terms:
        return None
    return " AND ".join("(" + " OR ".join(_phrase(k) + "*" for k in keys) + ")" for keys in terms)


def search_query(text: str, limit: int = 20) -> tuple[str, dict[str, Any]] | None:
    """The one SELECT (and its parameters) that `search` runs for `text`; None if nothing in
    it is searchable. Apart so a benchmark can show its EXPLAIN QUERY PLAN."""
    from planner.domain import name_keys

    text = text.strip()
    words = words_query(text)
    mrn = name_keys.mrn_key(text)
    if limit <= 0:
        return None
    branches = []
    if words is not None:
        branches.append("SELECT rowid AS id FROM patients_fts WHERE patients_fts MATCH :words")
    # An MRN part: three characters at least (trigrams); a query of several words is taken as
    # an MRN only if it has a digit ("tas 000123"), not for two names.
    if len(mrn) >= 3 and (not any(ch.isspace() for ch in text) or any(c.isdigit() for c in mrn)):
        branches.append("SELECT rowid FROM patients_mrn_fts WHERE patients_mrn_fts MATCH :mrn")
    if not branches:
        return None
    exact = "SELECT patient_id FROM patient_keys WHERE mrn_key = :mrn_key"
    order = f"p.id IN ({exact}) DESC, {_BY_NAME}"
    sql = f"""
        WITH hits (id) AS ({" UNION ".join(branches)}),
        best AS (
            SELECT p.id FROM hits JOIN patients p ON p.id = hits.id
            WHERE p.id NOT IN ({HIDDEN_PATIENTS}) ORDER BY {order} LIMIT :limit
        )
        {_SUMMARY} FROM best JOIN patients p ON p.id = best.id {_WORKLIST} ORDER BY {order}
    """
    return sql, {"words": words, "mrn": _phrase(mrn), "mrn_key": mrn, "limit": limit}


def search(conn: sqlite3.Connection, text: str, limit: int = 20) -> list[dict[str, Any]]:
    """Patients matching `text`, best first, as plain dicts (RESULT_KEYS)."""
    query = search_query(text, limit)
    if query is None:
        return []
    sql, params = query
    return [dict(zip(RESULT_KEYS, row, strict=True)) for row in conn.execute(sql, params)]


def count_patients(conn: sqlite3.Connection) -> int:
    """Patients in the list: merged and retired ones are not (storage.corrections)."""
    # all less the hidden (each a patient's id, once): the plain count reads an index, where
    # "WHERE id NOT IN" scans the table (0.3 ms against 27 ms for 100,000 patients)
    return int(
        conn.execute(
            f"SELECT (SELECT count(*) FROM patients) - (SELECT count(*) FROM ({HIDDEN_PATIENTS}))"
        ).fetchone()[0]
    )


def patients_page(
    conn: sqlite3.Connection, limit: int, offset: int, order: str = "name"
) -> list[dict[str, Any]]:
    """One page of the patient list in one of ORDERS, as plain dicts (RESULT_KEYS, like search
    results)."""
    by = ORDERS[order]
    sql = f"""
        WITH page AS (
            SELECT p.id FROM patients p {_WORKLIST} WHERE p.id NOT IN ({HIDDEN_PATIENTS})
            ORDER BY {by} LIMIT ? OFFSET ?
        )
        {_SUMMARY} FROM page JOIN patients p ON p.id = page.id {_WORKLIST} ORDER BY {by}
    """
    return [dict(zip(RESULT_KEYS, row, strict=True)) for row in conn.execute(sql, [limit, offset])]


def reviews_due(conn: sqlite3.Connection, today: str, limit: int) -> list[dict[str, Any]]:
    """Patients whose review is due on `today` (ISO date) or earlier, the longest overdue first
    (the worklist_by_review_due index)."""
    by = ORDERS["review_due"]
    sql = f"""
        WITH due AS (
            SELECT w.patient_id AS id FROM worklist w
            WHERE {_DUE} <= ? AND w.patient_id NOT IN ({HIDDEN_PATIENTS}) ORDER BY {_DUE} LIMIT ?
        )
        {_SUMMARY} FROM due JOIN patients p ON p.id = due.id {_WORKLIST} ORDER BY {by}
    """
    return [dict(zip(RESULT_KEYS, row, strict=True)) for row in conn.execute(sql, [today, limit])]


def with_open_alerts(conn: sqlite3.Connection, limit: int) -> list[dict[str, Any]]:
    """Patients with a critical alert no one has acknowledged, most recently assessed first
    (the partial index worklist_open_alerts)."""
    by = ORDERS["last_assessed"]
    sql = f"""
        WITH open AS (
            SELECT patient_id AS id FROM worklist
            WHERE open_alerts > 0 AND patient_id NOT IN ({HIDDEN_PATIENTS}) LIMIT ?
        )
        {_SUMMARY} FROM open JOIN patients p ON p.id = open.id {_WORKLIST} ORDER BY {by}
    """
    return [dict(zip(RESULT_KEYS, row, strict=True)) for row in conn.execute(sql, [limit])]


def open_alert_mrns(conn: sqlite3.Connection) -> list[str]:
    """MRNs of the patients with a critical alert no one has acknowledged (the partial index
    worklist_open_alerts)."""
    cursor = conn.execute(
        "SELECT p.mrn FROM worklist w JOIN patients p ON p.id = w.patient_id"
        f" WHERE w.open_alerts > 0 AND p.id NOT IN ({HIDDEN_PATIENTS}) ORDER BY p.mrn"
    )
    return [str(mrn) for (mrn,) in cursor]
