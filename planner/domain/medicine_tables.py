"""Typed rows of resources/rules/interactions.toml (built by planner.rules.interactions).

Every reference of the table is resolved at load time: a row holds the catalogue drug names and
remedy ids it concerns, never a group or class name left for the domain to expand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field

from planner.domain.evidence import Basis
from planner.domain.records import record

ACTIONS = ("continue", "review", "change", "stop")  # in rising order of what it asks
CAUTION_WHEN = ("liver_involvement", "always")
CEILING_WHEN = ("liver_impairment", "no_liver_impairment")
ALERT_CODES = ("drug_allergy", "medicine_interaction")


@record
class Cited:
    """The rule, sources and verified flag every row carries."""

    id: str
    rule: str
    sources: tuple[str, ...]
    verified: bool

    @property
    def basis(self) -> tuple[Basis, ...]:
        return tuple(Basis(self.id, s, self.verified) for s in self.sources)


@record
class Group:
    id: str
    name: str
    drugs: frozenset[str]
    remedies: frozenset[str]


@record
class Remedy:
    id: str
    name: str
    words: tuple[str, ...]  # lower-case phrases matched inside what the nurse wrote


@record
class InteractionRule:
    cited: Cited
    taken_drugs: frozenset[str]
    taken_remedies: frozenset[str]
    with_drugs: frozenset[str]
    action: str
    effect: str
    advice: str
    either_way: bool = False
    # plain words for the taken side ("strong CYP3A inducers"), from its groups, for messages
    taken_words: str = ""


@record
class CautionRule:
    cited: Cited
    taken_drugs: frozenset[str]
    taken_remedies: frozenset[str]
    when: str
    action: str
    effect: str
    advice: str


@record
class Ceiling:
    cited: Cited
    drug: str
    when: str
    max_mg_per_day: float
    text: str


@record
class Frequency:
    words: frozenset[str]
    times_per_day: int | None  # None: as needed (no daily total can be counted)


@record
class AllergyRule:
    cited: Cited
    text: str


@record
class AlertText:
    code: str
    level: str
    message: str
    cited: Cited


@record
class InteractionTables:
    version: str
    groups: Mapping[str, Group]
    remedies: tuple[Remedy, ...]
    interactions: tuple[InteractionRule, ...]
    cautions: tuple[CautionRule, ...]
    ceilings: tuple[Ceiling, ...]
    frequencies: tuple[Frequency, ...]
    allergy: AllergyRule
    alerts: Mapping[str, AlertText]
    # drug name -> its classes (the catalogue's), for class allergies
    drug_classes: Mapping[str, frozenset[str]] = field(default_factory=dict)
