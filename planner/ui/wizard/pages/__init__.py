"""Wizard pages, one module each; every page edits its own part of the case document."""
