"""The CTCAE v5 terms a nurse records at a cycle review (contract §5 `treatment.toxicities`),
each with its plain description and its own grade definitions (instruments/ctcae_v5.toml):
the nurse picks a term by what it means and a grade by what the term's grade says."""

from __future__ import annotations

from planner.domain.case import TOXICITY_TERMS
from planner.domain.instruments.tables import CtcaeTerm, InstrumentRules, need


def term_rule_id(term: str) -> str:
    return f"instr.ctcae.term.{term}"


NEEDS = tuple(need(term_rule_id(term), "term") for term in TOXICITY_TERMS)


def ctcae_terms(rules: InstrumentRules) -> tuple[CtcaeTerm, ...]:
    """Every recordable term, in the contract's order."""
    return tuple(rules.get(term_rule_id(term), CtcaeTerm) for term in TOXICITY_TERMS)
