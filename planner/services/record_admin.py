"""Operations on a whole record file, each opening its own connection (so they can run off the
GUI thread or in a short CLI command): check, restore, back up, import many case files.
`planner search` is patient_search's: it imports the index alone."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from planner.domain.frozen_value import frozen_value
from planner.domain.problems import InputInvalid, Problem
from planner.services.case_commands import read_case_file
from planner.services.patient_record import ImportOutcome, PatientRecord, RecordUnavailable
from planner.storage import check
from planner.storage import db as storage_db


def restore_record(path: Path, source: Path) -> Path | None:
    """Replace the record at `path` by the backup `source`, verified first (integrity, schema,
    audit ledger). The record being replaced is kept beside it first; returns where (None if
    there was nothing to keep). A source that is not a sound backup is an input error naming
    it; the record itself as the source is refused."""
    try:
        return storage_db.restore(Path(path), Path(source))
    except storage_db.RecordError as exc:
        if exc.path == Path(source):
            raise InputInvalid((Problem(str(source), exc.reason),)) from None
        raise RecordUnavailable(exc.path, exc.reason) from None


@frozen_value
class CaseFileImport:
    """One case file imported (`outcome`) or refused (`problems`: field path and message each)."""

    path: Path
    outcome: ImportOutcome | None
    problems: tuple[Problem, ...] = ()


def import_case_files(
    path: Path,
    files: list[Path],
    *,
    who: str | None = None,
    progress: Callable[[int, Path], None] | None = None,
) -> list[CaseFileImport]:
    """Import case files into the record at `path`, each file in its own transaction (a refused
    file leaves nothing behind). The record is opened here, on the calling thread, so this can
    run off the GUI thread. `progress(files_done, next_file)` is called before each file."""
    results = []
    with PatientRecord(path, who=who) as record:
        for done, file in enumerate(files):
            if progress is not None:
                progress(done, file)
            try:
                outcome = record.import_case(read_case_file(file))
            except InputInvalid as exc:
                results.append(CaseFileImport(file, None, exc.problems))
            else:
                results.append(CaseFileImport(file, outcome))
    return results


def backup_record(path: Path, dest: Path) -> Path:
    """Online backup of the record at `path` into `dest` (a new file, or a folder for a dated
    one), through a connection of its own (safe off the GUI thread while the record is open)."""
    with PatientRecord(path, migrate=False) as record:
        return record.backup(dest)


def check_record(path: Path) -> check.Findings:
    """`planner db check` on the record at `path`: `.problems` (damage, or changes made
    outside the program, each saying what differs) and `.notes` (what could not be checked
    now, and why). Never writes; a record another program is writing is not called damaged."""
    try:
        return check.check_file(Path(path))
    except storage_db.RecordError as exc:
        raise RecordUnavailable(exc.path, exc.reason) from None
    except (OSError, sqlite3.Error) as exc:
        raise RecordUnavailable(path, storage_db.explain(exc)) from None
