"""Helpers shared by the store tests."""

from __future__ import annotations

import copy
import sqlite3
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

PLANNER = [sys.executable, "-m", "planner"]


def case_for(example: dict[str, Any], mrn: str, **patient: Any) -> dict[str, Any]:
    """The example case for another patient."""
    raw = copy.deepcopy(example)
    raw["patient"]["mrn"] = mrn
    raw["patient"].update(patient)
    return raw


def query(path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchall()


def dump(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return list(conn.iterdump())
