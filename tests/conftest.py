"""Shared test set-up: Qt offscreen, the `gui` marker, rule tables and sample cases."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest

# Before any Qt import: no display is needed, in CI or here.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = Path(__file__).parent / "data"
EXAMPLE_CASE = DATA / "cases" / "example.json"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs a QApplication, so `pytest -m "not gui"` runs the pure ones."""
    for item in items:
        if {"qtbot", "qapp"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(scope="session")
def rules():
    from planner.rules import load_rules

    return load_rules()


@pytest.fixture(scope="session")
def limits(rules):
    return rules.limits


@pytest.fixture(scope="session")
def example_path() -> Path:
    return EXAMPLE_CASE


@pytest.fixture
def example_raw() -> dict[str, Any]:
    """The contract's sample case as a fresh, mutable JSON object."""
    return copy.deepcopy(_example())


_cache: dict[str, Any] = {}


def _example() -> dict[str, Any]:
    if "example" not in _cache:
        _cache["example"] = json.loads(EXAMPLE_CASE.read_text(encoding="utf-8"))
    return _cache["example"]
