"""Opening the record: WAL, foreign keys, migrations applied (after a backup) on open."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from planner.storage.migrations import MIGRATIONS


class RecordError(RuntimeError):
    """The record cannot be opened or used (not a database, locked, disk full …)."""


def open_db(path: Path) -> Database:
    """Open (creating if needed) the record at `path` and bring its schema up to date."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(
            str(path), timeout=10.0, isolation_level=None, check_same_thread=False
        )
        db = Database(conn)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA foreign_keys=ON")
        # NORMAL is durable across application crashes in WAL mode; FULL adds power-cut safety
        # of the last transaction at little cost for our write rate.
        db.execute("PRAGMA synchronous=FULL")
        MIGRATIONS.apply(db)
    except sqlite3.DatabaseError as exc:
        raise RecordError(f"{path}: {exc}") from None
    return db
