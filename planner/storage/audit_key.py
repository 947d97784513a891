"""The key that chains the audit log (HMAC-SHA-256), held by the record's owner.

An unkeyed hash chain proves nothing against someone who edits a row with the sqlite3 shell and
recomputes the chain; a keyed one cannot be recomputed without the key. For now the key is a
file beside the record, `<record>-audit.key`, readable by its owner only (0600), written when
the record is created; the security issue ties it to the record's encryption key. Keep a copy
of it with the record's backups (`planner db backup` writes one beside each backup): without
it the keyed part of the log cannot be verified.

A record made before keying has an unkeyed start to its log: the key file says from which entry
on every entry is keyed (`keyed_from`), and those entries' hashes read `hmac:<hex>`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from planner.domain.frozen_value import frozen_value

FORMAT = "planner.audit-key/1"
SUFFIX = "-audit.key"


@frozen_value
class AuditKey:
    key: bytes
    keyed_from: int  # the first audit entry that must be keyed
    path: Path


class KeyUnreadable(RuntimeError):
    """The key file is there but cannot be read or is not a key."""


def key_path(record: Path) -> Path:
    return record.with_name(record.name + SUFFIX)


def load(record: Path) -> AuditKey | None:
    """The record's key, None if it has none; KeyUnreadable if the file is damaged."""
    return load_file(key_path(record))


def load_file(path: Path) -> AuditKey | None:
    """The key in the key file `path` (None if there is none)."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise KeyUnreadable(f"{path}: cannot be read ({exc})") from None
    try:
        if data["format"] != FORMAT:
            raise ValueError(data["format"])
        key = bytes.fromhex(data["key"])
        keyed_from = int(data["keyed_from"])
        if len(key) < 32 or keyed_from < 1:
            raise ValueError("too short")
    except (KeyError, TypeError, ValueError) as exc:
        raise KeyUnreadable(f"{path}: is not an audit key ({exc})") from None
    return AuditKey(key, keyed_from, path)


def ensure(record: Path, keyed_from: int) -> AuditKey | None:
    """The record's key, made now (entries from `keyed_from` on are keyed) if it has none.
    None when it can neither be read nor written (the entries then stay unkeyed, and
    `planner db check` says so)."""
    try:
        found = load(record)
    except KeyUnreadable:
        return None
    if found is not None:
        return found
    path = key_path(record)
    text = json.dumps({"format": FORMAT, "key": os.urandom(32).hex(), "keyed_from": keyed_from})
    temp = path.with_name(f".{path.name}.{os.getpid()}-{os.urandom(4).hex()}")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temp, path)  # never over a key another process wrote meanwhile
        except FileExistsError:
            pass
        except OSError:  # no hard links (FAT): take the name if it is still free
            if not path.exists():
                os.rename(temp, path)
    except OSError:
        return None
    finally:
        temp.unlink(missing_ok=True)
    try:
        return load(record)
    except KeyUnreadable:
        return None


def copy_beside(record: Path, copy: Path) -> None:
    """Put the record's key beside a copy of it (a backup), if it has one."""
    source = key_path(record)
    if not source.exists():
        return
    target = key_path(copy)
    data = source.read_bytes()
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
