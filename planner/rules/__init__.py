"""Loads resources/rules/*.toml strictly into typed, frozen tables."""

from planner.rules.loader import RulesError, RuleSet, load_rules

__all__ = ["RuleSet", "RulesError", "load_rules"]
