"""What the program takes from the computer it runs on: where the record lives, who is using
it, where a draft goes when the record cannot take it."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from pathlib import Path
from typing import Any

from planner import APP_NAME


def keep_unsaved_draft(content: dict[str, Any]) -> Path | None:
    """Last resort when a draft cannot be saved in the record and its window closes: write it
    as a JSON file in the user's data folder (`unsaved-drafts/`). Returns the file, or None
    when that fails too."""
    from platformdirs import user_data_path  # not at start-up: see default_db_path

    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    target = user_data_path(APP_NAME, appauthor=False) / "unsaved-drafts" / f"draft-{stamp}.json"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(content, ensure_ascii=False, indent=2), "utf-8")
    except (OSError, ValueError):
        return None
    return target


def default_db_path() -> Path:
    """Where the record lives: $PLANNER_DB, else the user's data folder (platformdirs)."""
    override = os.environ.get("PLANNER_DB")
    if override:
        return Path(override)
    # Only here: a record named by --db or $PLANNER_DB (a clinic's shared folder, the start-up
    # benchmark) starts without loading platformdirs' seven modules.
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "record.sqlite3"


def current_user(named: str | None = None) -> str:
    """Who is making changes, as the audit log records it: the name given (the window's asked
    name, the CLI's --user), else $PLANNER_USER, else the computer's login name marked as such
    ("login: root (no user named)"): a clinic often shares one login, so the log says plainly
    that no person was named rather than passing a login off as one."""
    for found in (named, os.environ.get("PLANNER_USER")):
        name = " ".join((found or "").split())
        if name:
            return name
    try:
        login = getpass.getuser()
    except (OSError, KeyError):  # no login name (some containers)
        login = "unknown"
    return f"login: {login} (no user named)"
