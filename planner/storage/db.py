"""Opening the record: WAL, foreign keys, migrations applied (after an online backup) on open.

Why one module: every path that opens, creates, migrates, backs up, restores or replaces the record
file is here, because they share the file-level invariants of SQLite (WAL, the header check, fsync
order, the ledger key kept with the file); one module is one place to review that no path can lose
a commit.

Opening is quick: the connection is a plain `sqlite3` one, and whether migrations are pending
is read from `_sqlite_migrations` against `storage.migration_names.MIGRATION_NAMES`. sqlite-utils (about
0.1 s to import) is loaded only to migrate or, through `database(conn)`, for the first write;
reads (the patient list, drafts, search) take the connection itself. So this module, like the
other repository modules, imports sqlite-utils for type checking only.

Every write goes through `writing(db)`: one transaction (`db.atomic()`) that takes SQLite's write
lock up front (`BEGIN IMMEDIATE`), so what it reads (the audit chain's head, a patient found by
MRN) cannot be changed by another process before it commits.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from planner.storage.migration_names import MIGRATION_NAMES, MIGRATION_SET, MIGRATIONS_TABLE

if TYPE_CHECKING:
    from sqlite_utils import Database

PAGE_SIZE = 8192
BUSY_TIMEOUT_S = 10.0
#: how long a draft save (typing in the window) waits for a record another program writes
DRAFT_BUSY_TIMEOUT_S = 0.25


class RecordError(RuntimeError):
    """The record cannot be opened or used (not a record, damaged, locked, disk full …).

    `reason` is one sentence saying what is wrong and what to do; `path` the file it is about.
    """

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


SQLITE_MAGIC = b"SQLite format 3\x00"
UNCHANGED = "nothing was changed"


def explain(exc: BaseException) -> str:
    """An SQLite or OS error as one sentence saying what to do (no error codes, no traceback)."""
    text = str(exc).lower()
    if isinstance(exc, OSError) and not isinstance(exc, sqlite3.Error):
        if isinstance(exc, IsADirectoryError):
            return "is a folder, not a record file: give the path of a record file"
        if isinstance(exc, NotADirectoryError | FileExistsError):
            return "a part of this path is a file, not a folder: choose another place"
        if isinstance(exc, PermissionError):
            return (
                "cannot be written or read (no permission): ask for access, or choose another place"
            )
        if exc.errno == errno.ENOSPC:
            return "the disk is full: free some space, then try again"
        if exc.errno == errno.EROFS:
            return "is on a read-only disk: copy it to a writable place, then try again"
        return f"cannot be used ({exc.strerror or exc}): check the disk and the path"
    if "locked" in text or "busy" in text:
        return (
            "is in use by another program that is writing to it (locked): wait until it has "
            "finished, then try again"
        )
    if "full" in text:
        return "the disk is full: free some space, then try again (nothing half-written was kept)"
    if "readonly" in text or "read-only" in text:
        return (
            "cannot be written (a read-only file, folder or disk): ask for write access, or "
            "copy the record to a writable place"
        )
    if "unable to open" in text:
        return (
            "cannot be opened (missing folder or no permission): check the path and that you "
            "may write there"
        )
    if "malformed" in text or "corrupt" in text:
        return (
            "is damaged (run `planner db check` to see where): restore it from a backup "
            "(`planner db restore`)"
        )
    if "not a database" in text or "encrypted" in text:
        return f"is not a planner record (not an SQLite database); {UNCHANGED}: check the path"
    if "disk i/o" in text:
        return "could not be read or written (disk error): check the disk, then try again"
    return f"cannot be used ({exc}): check the disk and the path"


def connect(path: Path) -> RecordConnection:
    """A plain connection with the record's settings (autocommit; transactions are explicit).
    It has no audit key: `open_connection` gives the record's."""
    return configure(_plain(path))


class RecordConnection(sqlite3.Connection):
    """A connection to a record, carrying the key its audit entries are chained with
    (`storage.audit_key`; None: entries are written unkeyed)."""

    audit_key: bytes | None = None


def _plain(path: Path) -> RecordConnection:
    """A connection that has changed nothing yet (a file still to be judged stays as it is:
    switching on WAL rewrites the header)."""
    return sqlite3.connect(
        str(path),
        timeout=BUSY_TIMEOUT_S,
        isolation_level=None,
        check_same_thread=False,
        factory=RecordConnection,
    )


def configure(conn: RecordConnection) -> RecordConnection:
    """The record's settings on a connection: foreign keys, 8 KiB pages, WAL, full sync."""
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


def refuse_unusable_file(path: Path) -> None:
    """Refuse (RecordError) a file that cannot be a record, from its size and header alone.

    Checked before SQLite sees the file: SQLite treats a 0-byte file as a new empty database
    and would make a fresh record in it (an emptied record "opening" as a new one, with
    success reported, is how patients silently disappear).
    """
    if path.is_dir():
        raise RecordError(path, "is a folder, not a record file: give the path of a record file")
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise RecordError(path, explain(exc)) from None
    if size == 0:
        raise RecordError(
            path,
            f"is empty (0 bytes), so it holds no record; {UNCHANGED}. If patients were recorded "
            "in it, restore it from a backup (`planner db restore`); to start a new record, "
            "choose another file name",
        )
    if len(header) < 100 and SQLITE_MAGIC[: len(header)] == header[:16]:
        raise RecordError(
            path,
            f"is cut short ({size} bytes): it is damaged; {UNCHANGED}. Restore it from a "
            "backup (`planner db restore`)",
        )
    if not header.startswith(SQLITE_MAGIC):
        raise RecordError(
            path, f"is not a planner record (not an SQLite database); {UNCHANGED}: check the path"
        )
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    header_valid = header[24:28] == header[92:96]  # the in-header size is trustworthy
    if page_size < 512 or page_size & (page_size - 1):
        raise RecordError(path, f"has a damaged header; {UNCHANGED}. Restore it from a backup")
    if size % page_size or (header_valid and pages and size < pages * page_size):
        raise RecordError(
            path,
            f"is cut short ({size} bytes where the file says {pages * page_size}): it is "
            f"damaged; {UNCHANGED}. Restore it from a backup (`planner db restore`)",
        )


def schema_problem(conn: sqlite3.Connection) -> str | None:
    """Why this SQLite database is not a record this program can open, or None."""
    tables = {
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }
    if MIGRATIONS_TABLE not in tables:
        what = "holds no tables" if not tables else "holds other tables"
        return f"is an SQLite database but not a planner record (it {what}); {UNCHANGED}: check the path"
    applied = applied_migrations(conn)
    if not applied:
        return f"is an SQLite database but not a planner record; {UNCHANGED}: check the path"
    unknown = [name for name in applied if name not in MIGRATION_NAMES]
    if unknown:
        return (
            f"was written by a newer version of the planner (schema {unknown[-1]}); {UNCHANGED}. "
            "Open it with that version or a newer one"
        )
    if list(MIGRATION_NAMES[: len(applied)]) != applied:
        return f"has an unknown history of schema changes; {UNCHANGED}. Restore it from a backup"
    return None


def open_connection(path: Path, *, migrate: bool = True, create: bool = True) -> sqlite3.Connection:
    """Open the record at `path`, its schema brought up to date; a missing file is created
    (`create`) as a new record, whole or not at all.

    A file that is not a record this program can use (empty, cut short, not SQLite, another
    program's database, a newer schema) is refused with RecordError and left exactly as it is.
    Before pending migrations touch a record that already holds anything, an online backup is
    written next to it (`<name>.before-<migration>-<time>.sqlite3`). With nothing pending (the
    usual case) sqlite-utils is not imported at all.
    """
    path = Path(path)
    if not path.exists():
        if not create:
            raise RecordError(path, "no record here (create one with `planner db init`)")
        _create(path)
    refuse_unusable_file(path)
    _refuse_lost_commits(path)
    try:
        conn = _plain(path)
    except (OSError, sqlite3.Error) as exc:
        raise RecordError(path, explain(exc)) from None
    try:
        problem = schema_problem(conn)
        if problem:
            raise RecordError(path, problem)
        configure(conn)
        if migrate and pending_migrations(conn):
            _migrate(conn, path)
        if migrate:  # opened to be used (not only checked or copied): entries are keyed
            from planner.storage import audit, audit_key

            found = None
            if audit_key.key_path(path).exists() or not _has_keyed_entries(conn):
                # (a lost key is not replaced: `check` asks for it back)
                found = audit_key.ensure(path, audit.head(conn)[0] + 1)
            conn.audit_key = None if found is None else found.key
    except (OSError, sqlite3.Error) as exc:
        conn.close()
        raise RecordError(path, explain(exc)) from None
    except BaseException:
        conn.close()
        raise
    return conn


def _has_keyed_entries(conn: sqlite3.Connection) -> bool:
    from planner.storage.audit import KEYED

    found = conn.execute(
        "SELECT 1 FROM audit_log WHERE hash LIKE ? LIMIT 1", [KEYED + "%"]
    ).fetchone()
    return found is not None


def lost_commits_problem(path: Path) -> str | None:
    """Why the record's write-ahead log hides committed changes behind a damaged frame
    (`storage.wal`), or None. Read through a read-only connection: one that may write would
    overwrite the frames, and the last to close would delete the log."""
    from planner.storage import wal

    if not wal.wal_path(path).exists():
        return None
    try:
        probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1.0)
        try:
            probe.execute("SELECT count(*) FROM sqlite_master").fetchone()  # index current
            lost = wal.lost_commits(path)
            if lost is not None:  # a commit landing this instant looks alike: look again
                time.sleep(0.2)
                probe.execute("SELECT count(*) FROM sqlite_master").fetchone()
                lost = wal.lost_commits(path)
        finally:
            probe.close()
    except sqlite3.Error:
        return None  # unreadable for another reason: opening says which
    if lost is None:
        return None
    return (
        f"its write-ahead log ({wal.wal_path(path).name}) is damaged at frame {lost[0]}: "
        f"{lost[1]} saved change(s) after it cannot be read"
    )


def _refuse_lost_commits(path: Path) -> None:
    problem = lost_commits_problem(path)
    if problem:
        raise RecordError(
            path,
            f"{problem}; {UNCHANGED}. Copy the record and its -wal file somewhere safe, run "
            "`planner db check`, then restore from a backup or ask for help",
        )


def _create(path: Path) -> None:
    """Make a new record at `path` atomically: built and migrated under a temporary name, then
    linked into place only if nothing is there yet. A process killed half-way leaves only the
    temporary file (`.<name>.creating-…`), never a hollow file under the record's name; two
    processes creating the same record at once end with one of them, whole."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RecordError(path, explain(exc)) from None
    temp = path.with_name(f".{path.name}.creating-{os.getpid()}-{os.urandom(4).hex()}")
    try:
        conn = connect(temp)
        try:
            db = database(conn)
            from planner.storage.migrations import MIGRATIONS

            with writing(db):
                MIGRATIONS.apply(db)
            conn.execute("PRAGMA journal_mode=DELETE")  # one self-contained file to link
        finally:
            conn.close()
        _fsync(temp)
        from planner.storage import audit_key

        audit_key.ensure(path, keyed_from=1)  # before the record has a name, or an entry
        _place(temp, path)
    except (OSError, sqlite3.Error) as exc:
        raise RecordError(path, explain(exc)) from None
    finally:
        for leftover in (temp, temp.with_name(temp.name + "-journal")):
            leftover.unlink(missing_ok=True)


def _place(temp: Path, path: Path) -> bool:
    """Give the finished file `temp` the name `path` too, never replacing a file already there
    (the caller removes `temp`). False when something was there first."""
    try:
        os.link(temp, path)
    except FileExistsError:
        return False
    except OSError:  # no hard links here (FAT on a USB stick): copy, checking first
        if path.exists():
            return False
        shutil.copyfile(temp, path)
        _fsync(path)
    _fsync_dir(path.parent)
    return True


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open folders; its renames are durable enough
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


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
    """Apply pending migrations once, however many processes open the old record at once.

    A second connection takes the write lock first (`BEGIN IMMEDIATE`, waiting up to
    BUSY_TIMEOUT_S for another process's migration) and reads what is pending under it, so a
    process that waited finds nothing left to do. While it holds the lock, `conn` writes the
    safety backup (a reader; SQLite's backup cannot read through the connection that holds the
    write lock), then the lock's connection migrates and commits.
    """
    from planner.storage.migrations import MIGRATIONS

    lock = connect(path)
    try:
        try:
            lock.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            raise RecordError(
                path,
                "is being brought up to date by another program, or is busy: try again in a "
                "minute (nothing was changed)",
            ) from None
        try:
            pending = pending_migrations(lock)
            if pending and not is_empty(lock):
                stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
                backup_to(
                    conn, path.with_name(f"{path.stem}.before-{pending[0]}-{stamp}{path.suffix}")
                )
            if pending:
                db = database(lock)
                with db.atomic():
                    MIGRATIONS.apply(db)
        except BaseException:
            lock.rollback()
            raise
        lock.commit()
    finally:
        lock.close()
    if pending_migrations(conn):
        raise RecordError(
            path, "migrations still pending after migrating (storage.migration_names out of step?)"
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
    """Online backup (SQLite's backup API) of the open record into a new file `dest`.

    Written under a temporary name, checked (`verify_backup`: integrity, a planner record of a
    known schema), and only then given its name, never over an existing file: an interrupted
    or failed backup leaves nothing that looks finished.
    """
    dest = Path(dest)
    if dest.exists():
        raise FileExistsError(f"{dest} already exists")
    dest.parent.mkdir(parents=True, exist_ok=True)
    temp = dest.with_name(f".{dest.name}.partial-{os.getpid()}-{os.urandom(4).hex()}")
    try:
        target = sqlite3.connect(str(temp))
        try:
            conn.backup(target)
            # The copy is one self-contained file (no -wal beside it).
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
        verify_backup(temp)
        _fsync(temp)
        if not _place(temp, dest):
            raise FileExistsError(f"{dest} already exists")
        from planner.storage import audit_key

        record = Path(conn.execute("PRAGMA database_list").fetchone()[2])
        audit_key.copy_beside(record, dest)  # the backup's log can be verified without it
    finally:
        for leftover in (temp, temp.with_name(temp.name + "-journal")):
            leftover.unlink(missing_ok=True)
    return dest


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def verify_backup(source: Path) -> None:
    """Refuse (RecordError) a file that is not a sound planner record: header, SQLite's
    integrity check, a planner schema this program knows, tables that the schema has."""
    source = Path(source)
    if not source.is_file():
        raise RecordError(source, "no such file" if not source.exists() else "is not a file")
    refuse_unusable_file(source)
    try:
        conn = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise RecordError(source, explain(exc)) from None
    try:
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
        if integrity != ["ok"]:
            raise RecordError(
                source, f"is damaged ({integrity[0]}); {UNCHANGED}: use another backup"
            )
        problem = schema_problem(conn)
        if problem:
            raise RecordError(source, problem)
        missing = [t for t in RECORD_TABLES if not _has_table(conn, t)]
        if missing:
            raise RecordError(
                source,
                f"is not a whole planner record (no {', '.join(missing)} table); {UNCHANGED}: "
                "use another backup",
            )
    except sqlite3.Error as exc:
        raise RecordError(source, explain(exc)) from None
    finally:
        conn.close()


RECORD_TABLES = ("patients", "assessments", "drafts", "plans", "clinic_settings", "audit_log")


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    found = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", [name]
    ).fetchone()
    return bool(found[0])


def restore(path: Path, source: Path) -> Path | None:
    """Replace the record at `path` by the backup `source`, verified first (`verify_backup`).

    Refuses the record itself as the source. What is replaced is kept beside it first
    (`<name>.before-restore-<time>`), even a file that is not a usable record (an emptied or
    damaged one is exactly what a restore repairs). Readers of a usable record see the old
    record or the restored one, never a mixture. A restored older record is brought up to date
    (after its own pre-migration backup). Returns the kept file, if there was one.
    """
    path, source = Path(path), Path(source)
    if path.exists() and _same_file(path, source):
        raise RecordError(
            source, f"is the record itself, not a backup of it; {UNCHANGED}: choose a backup file"
        )
    verify_backup(source)
    _verify_ledger(source, path)
    if not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _copy_new(source, path)
            _install_key(source, path, None)
        except (OSError, sqlite3.Error) as exc:
            raise RecordError(path, explain(exc)) from None
        open_connection(path).close()  # migrate if the backup predates the current schema
        return None
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    kept_path = path.with_name(f"{path.stem}.before-restore-{stamp}{path.suffix}")
    try:
        conn = open_connection(path, migrate=False, create=False)
    except RecordError:
        conn = None
    try:
        if conn is None:  # not a usable record: keep its files as they are, then replace
            kept = _set_aside(path, kept_path)
            _copy_new(source, path)
        else:
            try:
                kept = backup_to(conn, kept_path)
                _copy_into(source, conn)
            finally:
                conn.close()
        _install_key(source, path, kept)
    except (OSError, sqlite3.Error) as exc:
        raise RecordError(path, f"cannot restore into it: {explain(exc)}") from None
    open_connection(path).close()
    return kept


def _verify_ledger(source: Path, path: Path) -> None:
    """Refuse a backup whose audit log does not replay to its tables (tampered, or hollow),
    or whose chain fails; the key beside it is used, else the record's own."""
    from planner.storage import check

    found = check.check_file(source, key_of=path, search_index=False)
    if found.problems:
        more = f" (and {len(found.problems) - 1} more)" if len(found.problems) > 1 else ""
        raise RecordError(
            source,
            f"does not pass the record's checks: {found.problems[0]}{more}; {UNCHANGED}: use "
            "another backup, or see every problem with `planner db check --db` on it",
        )


def _install_key(source: Path, path: Path, kept: Path | None) -> None:
    """The restored record takes the backup's audit key (if one is beside it); the replaced
    record's key stays with the kept file."""
    from planner.storage import audit_key

    if kept is not None:
        audit_key.copy_beside(path, kept)
    if audit_key.key_path(source).exists():
        audit_key.key_path(path).unlink(missing_ok=True)
        audit_key.copy_beside(source, path)


def _set_aside(path: Path, kept: Path) -> Path:
    """Rename an unusable record file and its -wal/-shm to `kept` (a WAL left beside it must
    never be replayed into the restored record)."""
    for suffix in ("-wal", "-shm", "-journal"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(kept.with_name(kept.name + suffix))
    path.rename(kept)
    _fsync_dir(path.parent)
    return kept


def _copy_new(source: Path, path: Path) -> None:
    """Copy the record `source` to the new file `path` (temporary name, then placed)."""
    temp = path.with_name(f".{path.name}.restoring-{os.getpid()}-{os.urandom(4).hex()}")
    try:
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        target = sqlite3.connect(str(temp))
        try:
            src.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
            src.close()
        _fsync(temp)
        if not _place(temp, path):
            raise FileExistsError(f"{path} already exists")
    finally:
        for leftover in (temp, temp.with_name(temp.name + "-journal")):
            leftover.unlink(missing_ok=True)


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
