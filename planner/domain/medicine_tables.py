"""Typed rows of resources/rules/interactions.toml (built by planner.rules.interactions).

Every reference of the table is resolved at load time: a row holds the catalogue drug names and
remedy ids it concerns, never a group or class name left for the domain to expand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from functools import cached_property
from typing import Annotated

from planner.domain import supportive_tables
from planner.domain.evidence import Basis
from planner.domain.frozen_value import frozen_value
from planner.domain.supportive_tables import ALERT_LEVELS
from planner.domain.table_keys import Key, Sources
from planner.domain.vocabulary import MedicineAction, values

ACTIONS = values(MedicineAction)  # in rising order of what it asks
CAUTION_WHEN = ("liver_involvement", "always")
CEILING_WHEN = ("liver_impairment", "no_liver_impairment")
# what a label does to a cancer drug's dose while she takes an interacting medicine
INTERACTION_DOSE_KINDS = ("dose", "hold", "avoid", "note")
# the kinds where the label says avoid the combination and gives the plan no dose for it: an
# option with such a drug is listed after the options of its tier that need no such change
AVOIDED_KINDS = frozenset({"hold", "avoid"})
ALERT_CODES = ("drug_allergy", "medicine_interaction")

# A reference to drugs: a catalogue drug, "class:ID", "group:ID" or "remedy:ID"
_REFERENCES = "drug names, class:ID, group:ID or remedy:ID"


@frozen_value
class Cited:
    """The rule, sources and verified flag every row carries."""

    id: Annotated[str, Key(doc="starts with ix., unique in the table")]
    rule: str
    sources: Sources
    verified: bool

    @property
    def basis(self) -> tuple[Basis, ...]:
        return tuple(Basis(self.id, s, self.verified) for s in self.sources)


@frozen_value
class Group:
    id: str
    name: str
    drugs: Annotated[frozenset[str], Key(written_as=("members",), doc=_REFERENCES)]
    remedies: Annotated[frozenset[str], Key(written_as=("members",))]
    sources: Sources
    verified: bool


@frozen_value
class Remedy:
    id: str
    name: str
    words: Annotated[
        tuple[str, ...], Key(non_empty=True, doc="lower-case phrases matched in what was written")
    ]


@frozen_value
class StopFirst:
    """A remedy or food she can stop before a cancer drug starts, and how (rx24 F5): where a
    label says avoid it with a drug of the plan, the plan says "stop it, then start" instead of
    ranking the drug lower or giving the label's dose for a combination that cannot be avoided
    (St John's wort, grapefruit juice)."""

    cited: Annotated[Cited, Key(flatten=True)]
    remedy: Annotated[str, Key(doc="a [[remedy]] id")]
    text: Annotated[str, Key(doc="how and when to stop it; never a dose")]


@frozen_value
class InteractionRule:
    cited: Annotated[Cited, Key(flatten=True)]
    taken_drugs: Annotated[frozenset[str], Key(written_as=("taken",), doc=_REFERENCES)]
    taken_remedies: Annotated[frozenset[str], Key(written_as=("taken",))]
    with_drugs: Annotated[
        frozenset[str], Key(written_as=("with",), doc=_REFERENCES + ", no remedy")
    ]
    action: Annotated[str, Key(one_of=ACTIONS)]
    effect: Annotated[str, Key(doc="never a dose")]
    advice: Annotated[str, Key(doc="never a dose")]
    either_way: bool = False
    # plain words for the taken side ("strong CYP3A inducers"), from its groups, for messages
    taken_words: Annotated[str, Key(written_as=("taken",))] = ""
    # the advice in a few words, for the one line the decision page gives the pair (the advice
    # in full is in the evidence appendix); required with `either_way` (a supportive flag)
    what_to_do: Annotated[
        str, Key(doc="the advice in a few words (page 1's line); needed with either_way")
    ] = ""


@frozen_value
class CautionRule:
    cited: Annotated[Cited, Key(flatten=True)]
    taken_drugs: Annotated[frozenset[str], Key(written_as=("taken",), doc=_REFERENCES)]
    taken_remedies: Annotated[frozenset[str], Key(written_as=("taken",))]
    when: Annotated[str, Key(one_of=CAUTION_WHEN)]
    action: Annotated[str, Key(one_of=ACTIONS)]
    effect: Annotated[str, Key(doc="never a dose")]
    advice: Annotated[str, Key(doc="never a dose")]


@frozen_value
class InteractionDose:
    """The label's own dose (or hold) for a cancer drug while she takes a medicine of `taken`:
    palbociclib 125 mg -> 75 mg with a strong CYP3A inhibitor (IBRANCE §2.2). Unlike an
    interaction's advice, `text` may name a dose: the one the plan then gives."""

    cited: Annotated[Cited, Key(flatten=True)]
    drug: Annotated[str, Key(refers_to="drug")]
    taken_drugs: Annotated[frozenset[str], Key(written_as=("taken", "except"), doc=_REFERENCES)]
    taken_remedies: Annotated[frozenset[str], Key(written_as=("taken", "except"))]
    change: Annotated[str, Key(one_of=INTERACTION_DOSE_KINDS)]
    text: Annotated[str, Key(doc="the label's words; a dose named is the one given")]
    after: Annotated[str, Key(doc="what the label says once the medicine is stopped")]
    # change = "dose": the doses it applies to and the dose then given (same unit); change =
    # "avoid" with a `label_option`: the doses the option is written from (no `dose`)
    from_doses: tuple[float, ...] = ()
    dose: float | None = None
    unit: str = ""
    # change = "avoid": what the label allows if the combination cannot be avoided, in its words
    # (AFINITOR: raise the dose step by step with a strong inducer). Shown on the row only where
    # today's dose is one of `from_doses`, never given: the prescriber's titration
    label_option: Annotated[
        str, Key(doc="the label's words if the combination must be given; may name doses")
    ] = ""
    # plain words for the taken side ("strong CYP3A inhibitors"), from its groups
    taken_words: Annotated[str, Key(written_as=("taken",))] = ""


@frozen_value
class Ceiling:
    cited: Annotated[Cited, Key(flatten=True)]
    drug: Annotated[str, Key(refers_to="drug")]
    when: Annotated[str, Key(one_of=CEILING_WHEN)]
    max_mg_per_day: Annotated[float, Key(above=0)]
    text: str


@frozen_value
class Frequency:
    words: Annotated[frozenset[str], Key(non_empty=True, doc="lower-case, unique in the table")]
    # None: as needed (no daily total can be counted)
    times_per_day: Annotated[
        int | None,
        Key(
            written_as=("times_per_day", "as_needed"), doc="times_per_day = 1+, or as_needed = true"
        ),
    ]


@frozen_value
class AllergyRule:
    cited: Annotated[Cited, Key(flatten=True)]
    text: str


@frozen_value
class CrossReactiveClass:
    """A drug class whose members cross-react: an allergy recorded to one of them is read as an
    allergy to every drug of the class (a diclofenac reaction against an NSAID suggested)."""

    cited: Annotated[Cited, Key(flatten=True)]
    classes: Annotated[
        tuple[str, ...], Key(non_empty=True, doc="class ids of drugs.toml's [[class]] rows")
    ]
    name: Annotated[str, Key(doc="the class in words, as a clinician reads it")]
    text: Annotated[str, Key(doc="why, and what to do; never a dose")]


#: what a related allergy does to the drug it reaches: not given, or given with the reason shown
RELATED_ALLERGY_STATUSES = ("not_recommended", "caution")


@frozen_value
class RelatedAllergy:
    """An allergy recorded to one drug that reaches other named drugs: they contain it
    (trastuzumab in trastuzumab deruxtecan), or cross-sensitivity to them is reported
    (paclitaxel -> docetaxel). `status` says what the reached drug becomes: `not_recommended`
    (the allergy rule, as to the drug itself) or `caution` (given, the reason on its row)."""

    cited: Annotated[Cited, Key(flatten=True)]
    allergy: Annotated[
        str,
        Key(doc="the catalogue drug (or, from [[shared_excipient]], the excipient) of the allergy"),
    ]
    drugs: Annotated[
        tuple[str, ...], Key(non_empty=True, doc="catalogue drugs the allergy reaches")
    ]
    status: Annotated[str, Key(one_of=RELATED_ALLERGY_STATUSES)]
    name: Annotated[str, Key(doc="how the drug relates, in words ('contains trastuzumab')")]
    text: Annotated[str, Key(doc="why, and what to do; never a dose")]


@frozen_value
class SharedExcipient:
    """Drugs formulated with one excipient whose labels act on a reaction to it (rx21 F3): an
    allergy recorded to the excipient reaches each of `drugs`; with `between_drugs` (the label
    contraindicates the drug after a severe reaction "to other drugs formulated with" it:
    TAXOTERE and JEVTANA §4, polysorbate 80) an allergy to one of `drugs` reaches the others."""

    cited: Annotated[Cited, Key(flatten=True)]
    excipient: Annotated[str, Key(doc="an [[excipient]] id of drugs.toml")]
    drugs: Annotated[
        tuple[str, ...],
        Key(non_empty=True, doc="catalogue drugs formulated with it (its [[excipient]] drugs)"),
    ]
    between_drugs: bool
    status: Annotated[str, Key(one_of=RELATED_ALLERGY_STATUSES)]
    text: Annotated[str, Key(doc="why, and what to do; never a dose")]


@frozen_value
class AlertText:
    code: Annotated[str, Key(one_of=ALERT_CODES)]
    level: Annotated[str, Key(one_of=ALERT_LEVELS)]
    message: str
    cited: Annotated[
        Cited,
        Key(
            written_as=("sources", "verified"),
            doc="sources: ids of `[[source]]` rows (at least one); verified: true/false",
        ),
    ]


@frozen_value
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
    # classes whose members cross-react (an allergy to one drug is one to the class)
    cross_reactive: tuple[CrossReactiveClass, ...] = ()
    # an allergy to one drug that reaches named others (contains it, or cross-sensitivity)
    related_allergies: tuple[RelatedAllergy, ...] = ()
    # the label's dose of a cancer drug while she takes an interacting medicine
    interaction_doses: tuple[InteractionDose, ...] = ()
    # remedy id -> how she stops it before a cancer drug starts (rx24 F5)
    stop_first: Mapping[str, StopFirst] = field(default_factory=dict)

    def both_ways(
        self, anticancer: frozenset[str]
    ) -> tuple[supportive_tables.InteractionRule, ...]:
        """The `either_way` rows whose `with` side holds anticancer drugs, as supportive rules:
        the `taken` side suggested as supportive care beside the anticancer drug of the plan (the
        course or an option). Haloperidol for nausea beside ribociclib went unflagged: the row
        was read only as "she takes haloperidol" (rx20 F3). Her own medicines against a
        suggested drug stay the medicine review's finding (one finding, one alert), and one home
        for the facts: the row in interactions.toml. Made once per set of anticancer drugs (the
        catalogue's, so once per rule set; ~0.15 M instructions a plan made them again)."""
        found = self._both_ways.get(anticancer)
        if found is None:
            found = self._both_ways[anticancer] = tuple(
                supportive_tables.InteractionRule(
                    id=rule.cited.id,
                    rule=rule.cited.rule,
                    sources=rule.cited.sources,
                    verified=rule.cited.verified,
                    supportive=rule.taken_drugs,
                    partners=rule.with_drugs & anticancer,
                    message=f"{rule.effect}; {rule.advice} ({rule.cited.rule}).",
                    what_to_do=rule.what_to_do,
                )
                for rule in self.interactions
                if rule.either_way and rule.taken_drugs and rule.with_drugs & anticancer
            )
        return found

    @cached_property
    def _both_ways(self) -> dict[frozenset[str], tuple[supportive_tables.InteractionRule, ...]]:
        return {}
