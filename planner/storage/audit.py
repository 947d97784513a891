"""The audit log: who changed which row of the record, when, from what to what.

Append-only (triggers abort UPDATE and DELETE) and tamper-evident: each entry stores
`hash = "hmac:" + HMAC-SHA-256(key, prev_hash + "\\n" + canonical content)`, where the canonical
content is every other column, length-prefixed, and the key is the record owner's
(`storage.audit_key`): without it the chain cannot be recomputed after an edit. Editing,
reordering or removing an entry breaks the chain from that entry on; `verify_chain` names the
first broken entry. Records made before keying start with unkeyed entries (`sha256(...)`,
plain hex), up to the key's `keyed_from`.

The log is also the record's ledger: each entry holds the row as it was after the change, so
replaying it gives every audited table as the program left it (`storage.check` compares).

Drafts are not audited: they are scratch state saved on every keystroke, not part of the
clinical record; what they become (a patient, an assessment) is.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from planner.domain.frozen_value import frozen_value

GENESIS = "0" * 64
KEYED = "hmac:"  # the prefix of a keyed entry's hash

_INSERT = (
    "INSERT INTO audit_log (id, at, who, table_name, row_key, action, before_json, after_json,"
    " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def entry_hash(
    prev_hash: str,
    entry_id: int,
    at: str,
    who: str,
    table_name: str,
    row_key: str,
    action: str,
    before_json: str | None,
    after_json: str | None,
    key: bytes | None = None,
) -> str:
    import hashlib  # here: listing patients at start-up never hashes (OpenSSL loads slowly)

    parts = (str(entry_id), at, who, table_name, row_key, action, before_json, after_json)
    content = "".join("-;" if p is None else f"{len(p)}:{p};" for p in parts)
    message = f"{prev_hash}\n{content}".encode()
    if key is None:
        return hashlib.sha256(message).hexdigest()
    import hmac

    return KEYED + hmac.new(key, message, "sha256").hexdigest()


@frozen_value
class Change:
    table_name: str
    row_key: str
    action: str
    before_json: str | None
    after_json: str | None


def head(conn: sqlite3.Connection) -> tuple[int, str]:
    """(last id, last hash) of the chain; call inside the write transaction."""
    row = conn.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))


def append(
    conn: sqlite3.Connection, who: str, changes: Iterable[Change], at: str | None = None
) -> int:
    """Append entries for `changes`, chained onto the current head. Returns the new head id.

    Must run inside the transaction that makes the changes (`storage.db.writing`).
    """
    at = at or now()
    key = getattr(conn, "audit_key", None)  # storage.db.RecordConnection carries it
    last_id, prev_hash = head(conn)
    rows = []
    for change in changes:
        last_id += 1
        entry = (
            last_id,
            at,
            who,
            change.table_name,
            change.row_key,
            change.action,
            change.before_json,
            change.after_json,
        )
        digest = entry_hash(prev_hash, *entry, key=key)
        rows.append((*entry, prev_hash, digest))
        prev_hash = digest
    conn.executemany(_INSERT, rows)
    return last_id


def verify_chain(
    conn: sqlite3.Connection, key: bytes | None, keyed_from: int | None, key_problem: str | None
) -> Iterator[str]:
    """Yield one message per break in the chain (at most a few: the first break says it all).

    `key`/`keyed_from`: the record's audit key (None: it has none, or `key_problem` says why it
    cannot be read). Entries from `keyed_from` on must be keyed; keyed entries before it (a key
    file made again) are verified too.
    """
    expected_prev = GENESIS
    expected_id: int | None = None
    breaks = 0
    unverifiable = False
    cursor = conn.execute(
        "SELECT id, at, who, table_name, row_key, action, before_json, after_json, prev_hash,"
        " hash FROM audit_log ORDER BY id"
    )
    for entry_id, at, who, table_name, row_key, action, before, after, prev, stored in cursor:
        problem = None
        keyed = stored.startswith(KEYED)
        if expected_id is not None and entry_id != expected_id:
            problem = f"audit_log: entries {expected_id}–{entry_id - 1} are missing"
        elif prev != expected_prev:
            problem = f"audit_log #{entry_id}: prev_hash does not match the entry before it"
        elif not keyed and keyed_from is not None and entry_id >= keyed_from:
            problem = (
                f"audit_log #{entry_id}: not keyed (written without the record's audit key, or"
                " rewritten outside the program)"
            )
        elif keyed and key is None:
            unverifiable = True
        elif stored != entry_hash(
            prev,
            entry_id,
            at,
            who,
            table_name,
            row_key,
            action,
            before,
            after,
            key=key if keyed else None,
        ):
            problem = (
                f"audit_log #{entry_id}: content does not match its hash (edited after writing)"
            )
        if problem:
            breaks += 1
            yield problem
            if breaks >= 5:
                yield "audit_log: more breaks not listed"
                return
        expected_prev = stored
        expected_id = entry_id + 1
    if unverifiable:
        yield (
            f"audit_log: keyed entries cannot be verified: {key_problem or 'no audit key'}"
            " (restore the key file from where the record's backups are kept)"
        )


def snapshot(row: dict[str, Any], json_columns: Iterable[str] = ()) -> str:
    """A row as canonical JSON for the log. Columns that hold JSON text are embedded as JSON
    (not re-encoded as strings), so the log reads naturally and nothing is parsed twice."""
    embedded = {name: row[name] for name in json_columns}
    plain = {k: v for k, v in row.items() if k not in embedded}
    text = canonical_json(plain)
    if not embedded:
        return text
    extra = ",".join(
        f"{json.dumps(name)}:{'null' if value is None else value}"
        for name, value in embedded.items()
    )
    return f"{text[:-1]},{extra}}}" if plain else f"{{{extra}}}"
