"""Clinic settings: key -> JSON value, every change audited."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from planner.storage import audit
from planner.storage.db import writing

if TYPE_CHECKING:
    import sqlite3

    from sqlite_utils import Database


def get_settings(db: Database | sqlite3.Connection) -> dict[str, Any]:
    """Every setting; a plain connection does (the main window reads them at start-up)."""
    cursor = db.execute("SELECT key, value_json FROM clinic_settings ORDER BY key")
    return {key: json.loads(value) for key, value in cursor}


def set_settings(db: Database, values: dict[str, Any], who: str) -> None:
    """Set several keys in one transaction (the settings dialog's OK)."""
    stamp = audit.now()
    with writing(db):
        changes = []
        for key, value in values.items():
            text = audit.canonical_json(value)
            old = db.execute(
                "SELECT key, value_json, updated_at, updated_by FROM clinic_settings WHERE key = ?",
                [key],
            ).fetchone()
            if old is not None and old[1] == text:
                continue
            after = {"key": key, "value_json": text, "updated_at": stamp, "updated_by": who}
            db.execute(
                "INSERT INTO clinic_settings (key, value_json, updated_at, updated_by)"
                " VALUES (:key, :value_json, :updated_at, :updated_by)"
                " ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json,"
                " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                after,
            )
            before = None
            if old is not None:
                before_row = dict(
                    zip(("key", "value_json", "updated_at", "updated_by"), old, strict=True)
                )
                before = audit.snapshot(before_row, ("value_json",))
            changes.append(
                audit.Change(
                    "clinic_settings",
                    key,
                    "insert" if old is None else "update",
                    before,
                    audit.snapshot(after, ("value_json",)),
                )
            )
        audit.append(db.conn, who, changes, stamp)
