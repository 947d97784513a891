"""One window per record file: a second start of the program on the same record is told which
process holds it, instead of opening beside it (nurse16 walk, item 12).

Two instances on one record each keep their own view of it: a plan decided in one is not seen
in the other, and a draft or settings change in one can overwrite the other's. The lock is a
`QLockFile` beside the record (`RECORD.lock`); a lock left by a program that crashed is taken
over (its process is gone), so a crash never locks a nurse out of her record.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile


class RecordInUse(Exception):
    """The record is open in another running copy of the program."""


def lock_path(record_path: Path) -> Path:
    return record_path.with_name(record_path.name + ".lock")


def hold_record(record_path: Path) -> QLockFile | None:
    """Lock the record for this process; None when no lock can be written (a read-only
    folder: the record itself then says what it can do). Raises RecordInUse, naming the
    holder, when another running program has it."""
    try:
        record_path.parent.mkdir(parents=True, exist_ok=True)  # the first start makes the folder
    except OSError:
        return None
    lock = QLockFile(str(lock_path(record_path)))
    lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
    if lock.tryLock(0):
        return lock
    if lock.error() != QLockFile.LockError.LockFailedError:
        return None
    pid, host, _app = lock.getLockInfo()
    raise RecordInUse(
        f"The record {record_path} is already open in another window of the planner "
        f"(process {pid} on {host or 'this computer'}). Use that window, or close it and "
        "start again: two windows on one record could overwrite each other's work."
    )
