"""Opening the record: WAL, foreign keys, migrations applied (after an online backup) on open.

Opening is quick: the connection is a plain `sqlite3` one, and whether migrations are pending
is read from `_sqlite_migrations` against `storage.schema.MIGRATION_NAMES`. sqlite-utils (about
0.1 s to import) is loaded only to migrate or, through `database(conn)`, for the first write;
reads (the patient list, drafts, search) take the connection itself. So this module, like the
other repository modules, imports sqlite-utils for type checking only.

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
from typing import TYPE_CHECKING

from planner.storage.schema import MIGRATION_NAMES, MIGRATION_SET, MIGRATIONS_TABLE

if TYPE_CHECKING:
    from sqlite_utils import Database

PAGE_SIZE = 8192
BUSY_TIMEOUT_S = 10.0


class RecordError(RuntimeError):
    """The record cannot be opened or used (not a database, locked, disk full …)."""


def connect(path: Path) -> sqlite3.Connection:
    """A plain connection with the record's settings (autocommit; transactions are explicit)."""
    conn = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )
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


def open_connection(path: Path, *, migrate: bool = True) -> sqlite3.Connection:
    """Open (creating if needed) the record at `path`, its schema brought up to date.

    Before pending migrations touch a record that already holds anything, an online backup is
    written next to it (`<name>.before-<migration>-<time>.sqlite3`). With nothing pending (the
    usual case) sqlite-utils is not imported at all.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = connect(path)
    except (OSError, sqlite3.DatabaseError) as exc:
        raise RecordError(f"{path}: {exc}") from None
    try:
        if migrate and pending_migrations(conn):
            _migrate(conn, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise RecordError(f"{path}: {exc}") from None
    except BaseException:
        conn.close()
        raise
    return conn


def database(conn: sqlite3.Connection) -> Database:
    """The sqlite-utils view of an open connection (for writes and migrations)."""
    from sqlite_utils import Database

    return Database(conn)


def open_db(path: Path, *, migrate: bool = True) -> Database:
    """`open_connection`, as a sqlite-utils Database."""
    return database(open_connection(path, migrate=migrate))


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """Names of the record's applied migrations, in the order applied (sqlite-utils' table)."""
    exists = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]
    ).fetchone()[0]
    if not exists:
        return []
    cursor = conn.execute(
        f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid",
        [MIGRATION_SET],
    )
    return [name for (name,) in cursor]


def pending_migrations(conn: sqlite3.Connection) -> list[str]:
    applied = set(applied_migrations(conn))
    return [name for name in MIGRATION_NAMES if name not in applied]


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    from planner.storage.migrations import MIGRATIONS

    pending = pending_migrations(conn)
    if not is_empty(conn):
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        backup_to(conn, path.with_name(f"{path.stem}.before-{pending[0]}-{stamp}{path.suffix}"))
    # One write transaction for the whole ladder: another process opening the record at the
    # same moment waits, then finds nothing pending.
    db = database(conn)
    with writing(db):
        MIGRATIONS.apply(db)
    if pending_migrations(conn):
        raise RecordError(
            f"{path}: migrations still pending after migrating (storage.schema out of step?)"
        )


def is_empty(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
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


def backup_to(conn: sqlite3.Connection, dest: Path) -> Path:
    """Online backup (SQLite's backup API) of the open record into a new file `dest`."""
    dest = Path(dest)
    if dest.exists():
        raise FileExistsError(f"{dest} already exists")
    dest.parent.mkdir(parents=True, exist_ok=True)
    target = sqlite3.connect(str(dest))
    try:
        conn.backup(target)
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
        if not applied_migrations(conn):
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
    conn = open_connection(path, migrate=False)
    try:
        kept = None
        if not is_empty(conn):
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
            kept = backup_to(
                conn, path.with_name(f"{path.stem}.before-restore-{stamp}{path.suffix}")
            )
        try:
            _copy_into(Path(source), conn)
        except sqlite3.DatabaseError as exc:
            raise RecordError(f"{path}: cannot restore into it ({exc})") from None
    finally:
        conn.close()
    open_connection(path).close()  # migrate if the backup predates the current schema
    return kept


def _copy_into(source: Path, conn: sqlite3.Connection) -> None:
    # WAL forbids a change of page size; a backup written by another build may differ, so the
    # copy is made in rollback-journal mode (this needs the record closed elsewhere).
    conn.execute("PRAGMA journal_mode=DELETE")
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        src.backup(conn)
    finally:
        src.close()
    conn.execute("PRAGMA journal_mode=WAL")
