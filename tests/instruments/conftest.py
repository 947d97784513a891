"""Instrument tests read the instrument rule tables."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def ir(rules):
    """The instrument rule tables (`RuleSet.instruments`)."""
    return rules.instruments
