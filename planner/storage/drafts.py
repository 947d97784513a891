"""Drafts: the assessment wizard's state, saved as the user types so nothing is lost.

A draft belongs to a patient, or (patient_id NULL) to a patient not yet in the record. Drafts
are scratch state and are not audited; the assessment they become is. The main window lists
them at start-up through the plain `sqlite3` connection (`list_drafts`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from planner.storage.db import writing

if TYPE_CHECKING:
    from sqlite_utils import Database

COLUMNS = (
    "id",
    "patient_id",
    "wizard_page",
    "draft_json",
    "updated_at",
    "updated_by",
    "unconfirmed_json",
)
#: the `wizard_page` of a cycle review being entered in the course window (issue 19): a draft
#: like the wizard's, one per patient (she has one running course at a time), saved as the nurse
#: types. It is not an unfinished assessment: the wizard's list and the patient list's count of
#: drafts leave it out.
CYCLE_REVIEW = "cycle_review"


def save_draft(
    db: Database,
    draft_id: int | None,
    patient_id: int | None,
    wizard_page: str,
    content: dict[str, Any],
    who: str,
    unconfirmed: Sequence[str] = (),
) -> int:
    """Create (draft_id None) or overwrite a draft; one small transaction per save.
    `unconfirmed`: the case paths carried from the last assessment not yet confirmed."""
    text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    waiting = json.dumps(list(unconfirmed), ensure_ascii=False)
    from planner.storage import audit  # not at the top: listing drafts at start-up needs none

    stamp = audit.now()
    with writing(db):
        if draft_id is not None:
            cursor = db.execute(
                "UPDATE drafts SET patient_id = ?, wizard_page = ?, draft_json = ?,"
                " updated_at = ?, updated_by = ?, unconfirmed_json = ? WHERE id = ?",
                [patient_id, wizard_page, text, stamp, who, waiting, draft_id],
            )
            if cursor.rowcount:
                return draft_id
        cursor = db.execute(
            "INSERT INTO drafts (patient_id, wizard_page, draft_json, updated_at, updated_by,"
            " unconfirmed_json) VALUES (?, ?, ?, ?, ?, ?)",
            [patient_id, wizard_page, text, stamp, who, waiting],
        )
    return int(cursor.lastrowid or 0)


def _as_dict(row: tuple[Any, ...]) -> dict[str, Any]:
    out = dict(zip(COLUMNS, row, strict=True))
    out["content"] = json.loads(out.pop("draft_json"))
    out["unconfirmed"] = tuple(json.loads(out.pop("unconfirmed_json")))
    return out


def list_drafts(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Unfinished assessments, latest change first."""
    cursor = conn.execute(
        f"SELECT {', '.join(COLUMNS)} FROM drafts WHERE wizard_page != ?"
        " ORDER BY updated_at DESC, id",
        [CYCLE_REVIEW],
    )
    return [_as_dict(row) for row in cursor]


def review_draft(conn: sqlite3.Connection, patient_id: int) -> dict[str, Any] | None:
    """The patient's cycle review being entered, if one was saved and not signed or discarded."""
    found = conn.execute(
        f"SELECT {', '.join(COLUMNS)} FROM drafts WHERE patient_id = ? AND wizard_page = ?"
        " ORDER BY id DESC LIMIT 1",
        [patient_id, CYCLE_REVIEW],
    ).fetchone()
    return None if found is None else _as_dict(found)


def discard_review_draft(db: Database, patient_id: int) -> None:
    with writing(db):
        db.execute(
            "DELETE FROM drafts WHERE patient_id = ? AND wizard_page = ?",
            [patient_id, CYCLE_REVIEW],
        )


def discard_draft(db: Database, draft_id: int) -> None:
    db.execute("DELETE FROM drafts WHERE id = ?", [draft_id])
