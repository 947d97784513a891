"""What every `planner` subcommand shares: the exit codes, `--debug` (before or after the
command), and the record a command names (--db, else $PLANNER_DB, else the user's data
folder) opened as who acts (--user, else $PLANNER_USER, else the login name).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from planner.domain.problems import InputInvalid, Problem
from planner.services import environment

if TYPE_CHECKING:  # imported where a record is opened: a command without one never loads storage
    from planner.services.patient_record import PatientRecord

EXIT_OK, EXIT_INTERNAL, EXIT_INVALID = 0, 1, 2

DEBUG_HELP = "on an internal error (exit 1), print its traceback instead of one line"
DB_HELP = "the record file (default: $PLANNER_DB, else the user's data folder)"
USER_HELP = (
    "who is acting, for the audit log (default: $PLANNER_USER, else the login name, marked as such)"
)


def debug_option() -> argparse.ArgumentParser:
    """--debug after the command too (`planner plan x.json --debug`): a parent for every
    subcommand, unset unless given, so it never overrides --debug given before the command."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP)
    return parent


def record_path(args: argparse.Namespace) -> Path:
    """--db, else $PLANNER_DB, else the user's data folder."""
    return Path(args.db) if getattr(args, "db", None) else environment.default_db_path()


def existing_record_path(args: argparse.Namespace) -> Path:
    path = record_path(args)
    if not path.exists():
        raise InputInvalid(
            (Problem(str(path), "no record here (create one with `planner db init`)"),)
        )
    return path


def who(args: argparse.Namespace) -> str:
    """Who acts, for the audit log: --user, else $PLANNER_USER, else the login name marked as
    such (environment.current_user). A --user that is blank is refused, never passed over."""
    named = getattr(args, "user", None)
    if named is not None and not named.strip():
        raise InputInvalid((Problem("--user", "is blank: give the name of who is acting"),))
    return environment.current_user(named)


def open_record(
    args: argparse.Namespace, *, must_exist: bool = False, migrate: bool = True
) -> PatientRecord:
    from planner.services.patient_record import PatientRecord

    path = existing_record_path(args) if must_exist else record_path(args)
    return PatientRecord(path, who=who(args), migrate=migrate, create=not must_exist)


def record_options_after(*, user: bool = False) -> argparse.ArgumentParser:
    """--db (and --user) after a record command's action too (`planner db import x.json --db
    r.db`): a parent for each action, unset unless given, so they never override the ones given
    before the action."""
    parent = debug_option()
    parent.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=DB_HELP)
    if user:
        parent.add_argument("--user", metavar="NAME", default=argparse.SUPPRESS, help=USER_HELP)
    return parent
