"""Opening the record: WAL, foreign keys, migrations applied (after an online backup) on open.

Every write goes through `writing(db)`: one transaction (`db.atomic()`) that takes SQLite's write
lock up front (`BEGIN IMMEDIATE`), so what it reads (the audit chain's head, a patient found by
MRN) cannot be changed by another process before it commits.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from planner.storage.migrations import MIGRATIONS

PAGE_SIZE = 8192


class RecordError(RuntimeError):
    """The record cannot be opened or used (not a database, locked, disk full …)."""


def connect(path: Path) -> sqlite3.Connection:
    """A plain connection with the record's settings (autocommit; transactions are explicit)."""
    conn = sqlite3.connect(str(path), timeout=10.0, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA foreign_keys=ON")
        # 8 KiB pages hold three stored cases (~2.5 KB each) where 4 KiB pages hold one; takes
        # effect only when the file is new (before WAL is switched on).
        conn.execute(f"PRAGMA page_size={PAGE_SIZE}")
        conn.execute("PRAGMA journal_mode=WAL")
        # FULL: a committed change survives a power cut too, at little cost for our write rate.
        conn.execute("PRAGMA synchronous=FULL")
    except sqlite3.DatabaseError:
        conn.close()
        raise
    return conn


def open_db(path: Path, *, migrate: bool = True) -> Database:
    """Open (creating if needed) the record at `path` and bring its schema up to date.

    Before pending migrations touch a record that already holds anything, an online backup is
    written next to it (`<name>.before-<migration>-<time>.sqlite3`).
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = connect(path)
    except (OSError, sqlite3.DatabaseError) as exc:
        raise RecordError(f"{path}: {exc}") from None
    db = Database(conn)
    try:
        if migrate:
            _migrate(db, path)
    except sqlite3.DatabaseError as exc:
        db.close()
        raise RecordError(f"{path}: {exc}") from None
    except BaseException:
        db.close()
        raise
    return db


def pending_migrations(db: Database) -> list[str]:
    return [m.name for m in MIGRATIONS.pending(db)]


def _migrate(db: Database, path: Path) -> None:
    pending = pending_migrations(db)
    if not pending:
        return
    if not is_empty(db):
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        backup_to(db, path.with_name(f"{path.stem}.before-{pending[0]}-{stamp}{path.suffix}"))
    # One write transaction for the whole ladder: another process opening the record at the
    # same moment waits, then finds nothing pending.
    with writing(db):
        MIGRATIONS.apply(db)


def is_empty(db: Database) -> bool:
    row = db.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchone()
    return int(row[0]) == 0


@contextmanager
def writing(db: Database) -> Iterator[Database]:
    """One write transaction holding the write lock from its start; nested use is a savepoint."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        with db.atomic():  # a savepoint inside the immediate transaction
            yield db
    except BaseException:
        db.rollback()
        raise
    db.commit()


def backup_to(db: Database, dest: Path) -> Path:
    """Online backup (SQLite's backup API) of the open record into a new file `dest`."""
    dest = Path(dest)
    if dest.exists():
        raise FileExistsError(f"{dest} already exists")
    dest.parent.mkdir(parents=True, exist_ok=True)
    target = sqlite3.connect(str(dest))
    try:
        db.conn.backup(target)
        # The copy is one self-contained file (no -wal beside it).
        target.execute("PRAGMA journal_mode=DELETE")
    except BaseException:
        target.close()
        dest.unlink(missing_ok=True)
        raise
    target.close()
    return dest


def verify_backup(source: Path) -> None:
    """Refuse (RecordError) a file that is not a sound planner record."""
    source = Path(source)
    if not source.is_file():
        raise RecordError("no such file")
    try:
        conn = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.DatabaseError as exc:
        raise RecordError(str(exc)) from None
    try:
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            raise RecordError(f"damaged: {integrity[0]}")
        applied = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = ?", [MIGRATIONS.migrations_table]
        ).fetchone()[0]
        if (
            not applied
            or not conn.execute(
                f"SELECT count(*) FROM {MIGRATIONS.migrations_table} WHERE migration_set = ?",
                [MIGRATIONS.name],
            ).fetchone()[0]
        ):
            raise RecordError("is not a planner record")
    except sqlite3.DatabaseError as exc:
        raise RecordError(f"is not a planner record ({exc})") from None
    finally:
        conn.close()


def restore(path: Path, source: Path) -> Path | None:
    """Replace the record at `path` by `source` (verify it first with `verify_backup`).

    What is replaced is backed up beside it first (`<name>.before-restore-<time>`); readers see
    the old record or the restored one, never a mixture. A restored older record is brought
    up to date (after its own pre-migration backup). Returns the safety backup, if any.
    """
    path = Path(path)
    db = open_db(path, migrate=False)
    try:
        kept = None
        if not is_empty(db):
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
            kept = backup_to(db, path.with_name(f"{path.stem}.before-restore-{stamp}{path.suffix}"))
        try:
            _copy_into(Path(source), db)
        except sqlite3.DatabaseError as exc:
            raise RecordError(f"{path}: cannot restore into it ({exc})") from None
    finally:
        db.close()
    open_db(path).close()  # migrate if the backup predates the current schema
    return kept


def _copy_into(source: Path, db: Database) -> None:
    # WAL forbids a change of page size; a backup written by another build may differ, so the
    # copy is made in rollback-journal mode (this needs the record closed elsewhere).
    db.execute("PRAGMA journal_mode=DELETE")
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        src.backup(db.conn)
    finally:
        src.close()
    db.execute("PRAGMA journal_mode=WAL")
