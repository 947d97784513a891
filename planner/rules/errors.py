"""The one error of the rule tables: a table is malformed (the message names the file and row)."""

from __future__ import annotations


class RulesError(ValueError):
    """A rule table is malformed. The message names the file, the row and the key."""
