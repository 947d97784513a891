"""Store tests run on a temporary record file; every connection they open is closed."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from planner.storage.db import open_db

# The suite runs with --import-mode=importlib: make record_helpers.py importable by these tests.
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def db(record_path: Path) -> Iterator[Database]:
    opened = open_db(record_path)
    yield opened
    opened.close()
