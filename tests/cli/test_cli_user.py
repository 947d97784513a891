"""The CLI says who acted (until accounts arrive): --user, else $PLANNER_USER, else the login
name marked as such in the audit log, never passed off as a person."""

from __future__ import annotations

import getpass
import sqlite3
from pathlib import Path

import pytest

from planner.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "example.json"


def _who(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {row[0] for row in conn.execute("SELECT who FROM audit_log")}


@pytest.mark.parametrize("where", ["before", "after"])
def test_user_option_signs_the_audit_log(tmp_path, monkeypatch, where):
    monkeypatch.setenv("PLANNER_USER", "someone else")
    db = tmp_path / "record.sqlite3"
    user = ["--user", "Nurse  Aziza Rahimova"]
    args = (
        ["db", "--db", str(db), *user, "import", str(EXAMPLE)]
        if where == "before"
        else ["db", "import", "--db", str(db), *user, str(EXAMPLE)]
    )
    assert main(args) == 0
    assert _who(db) == {"Nurse Aziza Rahimova"}


def test_planner_user_env_signs_when_no_option(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_USER", "Dr N. Yusupova")
    db = tmp_path / "record.sqlite3"
    assert main(["db", "--db", str(db), "import", str(EXAMPLE)]) == 0
    assert _who(db) == {"Dr N. Yusupova"}


def test_without_a_name_the_login_is_marked_as_a_login(tmp_path, monkeypatch):
    monkeypatch.delenv("PLANNER_USER", raising=False)
    db = tmp_path / "record.sqlite3"
    assert main(["db", "--db", str(db), "import", str(EXAMPLE)]) == 0
    assert _who(db) == {f"login: {getpass.getuser()} (no user named)"}


def test_a_blank_user_is_refused_naming_the_option(tmp_path, capsys):
    db = tmp_path / "record.sqlite3"
    assert main(["db", "--db", str(db), "--user", "  ", "import", str(EXAMPLE)]) == 2
    assert "--user" in capsys.readouterr().err
    assert not db.exists() or not _who(db)
