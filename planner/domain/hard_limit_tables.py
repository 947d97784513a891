"""Typed, frozen hard-limit tables: a label's "do not give" conditions at the start of a course.

Built by `planner.rules.hard_limits` from resources/rules/hard_limits.toml; read by
`planner.domain.givable`, the one pass every dose goes through.

- `HardLimit`: one condition on one measure for some drugs (a blood-count floor, a neuropathy
  grade, a hepatic "no starting dose") and the stop it makes (`not_recommended` or
  `contraindicated`), with what the label says in words; `days`: the days of a cycle a floor is
  written for (a course starts on day 1).
- `AnthracyclineEquivalent`: the factor that turns mg/m² of one anthracycline into mg/m² of
  doxorubicin, a clinic setting (`ClinicSettings.anthracycline_factors`) within `low`–`high`.
- `AnthracyclineLedger`: the lifetime limit in doxorubicin equivalents and the lower limit after
  cyclophosphamide or mediastinal radiotherapy.
- `StartTest`: a test the labels ask for before the first dose (DPYD before capecitabine) where
  they disagree on whether the dose waits for its result: a clinic setting
  (`ClinicSettings.start_tests`) chooses `required` or `advised`, each with its sources.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from functools import cached_property
from types import MappingProxyType
from typing import Annotated

from planner.domain.dose_tables import Labels
from planner.domain.evidence import Basis
from planner.domain.frozen_value import frozen_value
from planner.domain.table_keys import Key, Sources
from planner.domain.vocabulary import DoseStatus

STOP_STATUSES = (DoseStatus.NOT_RECOMMENDED.value, DoseStatus.CONTRAINDICATED.value)
# A limit row is a stop, or a caution: the dose stands and the finding travels with it (e.g.
# pre-existing grade 2 neuropathy before a neurotoxic drug: the label withholds only at grade 3).
LIMIT_STATUSES = (*STOP_STATUSES, "caution")
EDGES = ("below", "upto", "from", "above")
# measure -> (words for the reader, unit as printed)
MEASURES: Mapping[str, tuple[str, str]] = {
    "anc": ("neutrophils", "× 10⁹/L"),
    "platelets": ("platelets", "× 10⁹/L"),
    "hemoglobin": ("haemoglobin", "g/L"),
    "neuropathy_grade": ("peripheral neuropathy grade", ""),
    "bilirubin_x_uln": ("bilirubin", "× ULN"),
}
# Where each measure comes from in the case, for the gap a missing value makes.
MEASURE_FIELDS: Mapping[str, str] = {
    "anc": "labs.anc",
    "platelets": "labs.platelets",
    "hemoglobin": "labs.hemoglobin",
    "neuropathy_grade": "clinical.neuropathy_grade",
    "bilirubin_x_uln": "labs.bilirubin",
}
_EDGE_WORDS = {"below": "<", "upto": "≤", "from": "≥", "above": ">"}
#: a start test's options: the dose waits for the result, or is given with a warning without it
TEST_OPTIONS = ("required", "advised")
#: what a start test reads in the case (a result recorded, or not recorded / "unknown")
TEST_FIELDS: Mapping[str, str] = {"dpyd": "clinical.dpyd"}


def shown(value: float) -> str:
    return f"{round(value, 2):g}"


@frozen_value
class HardLimit:
    id: str
    drugs: Annotated[frozenset[str], Key(refers_to="drug", non_empty=True)]
    labels: Labels
    measure: Annotated[str, Key(one_of=tuple(MEASURES))]
    edge: Annotated[str, Key(written_as=EDGES)]  # which of the keys is written
    value: Annotated[float, Key(written_as=EDGES, doc="the limit: exactly one of these keys")]
    status: Annotated[str, Key(one_of=LIMIT_STATUSES)]
    reason: str
    sources: Sources
    verified: bool
    # the days of a cycle the label's floor is written for (sacituzumab "on day 1 of any cycle"):
    # a drug of her course reviewed on another day is not held to it (rx23 F4); a course's start
    # is day 1. Left out: before every dose.
    days: Annotated[
        tuple[int, ...] | None,
        Key(non_empty=True, doc="days of a cycle the floor is for; left out: every dose"),
    ] = None

    def applies_to(self, drug: str, labels: str) -> bool:
        return drug in self.drugs and labels in self.labels

    def on_day(self, day: int) -> bool:
        """Whether the floor is written for this day of a cycle."""
        return self.days is None or day in self.days

    @cached_property
    def basis(self) -> tuple[Basis, ...]:
        """The row's citations (the row is immutable and read for every dose of every plan)."""
        return tuple(Basis(self.id, s, self.verified) for s in self.sources)

    def holds(self, x: float) -> bool:
        if self.edge == "below":
            return x < self.value
        if self.edge == "upto":
            return x <= self.value
        if self.edge == "from":
            return x >= self.value
        return x > self.value

    def finding(self, x: float) -> str:
        """What was found, against the limit: "neutrophils 0.8 × 10⁹/L < 1.5"."""
        words, unit = MEASURES[self.measure]
        value = f"{shown(x)} {unit}".strip()
        return f"{words} {value} {_EDGE_WORDS[self.edge]} {shown(self.value)}"

    def describe(self) -> str:
        words, unit = MEASURES[self.measure]
        return f"{words} {_EDGE_WORDS[self.edge]} {shown(self.value)} {unit}".strip()


@frozen_value
class AnthracyclineEquivalent:
    drug: Annotated[str, Key(refers_to="drug", doc="an anthracycline of drugs.toml")]
    default: Annotated[float, Key(doc="inside the range")]
    low: Annotated[float, Key(written_as=("range",), doc="the published range, above 0")]
    high: Annotated[float, Key(written_as=("range",))]
    text: str
    sources: Sources
    verified: bool
    # the published factors a settings dialog lists (inside the range, with the default)
    offered: tuple[float, ...] = ()


@frozen_value
class AnthracyclineLedger:
    id: str
    limit_mg_m2: float
    lower_limit_mg_m2: float
    lower_after_drugs: Annotated[frozenset[str], Key(refers_to="drug")]
    lower_after_mediastinal_radiotherapy: bool
    text: str
    sources: Sources
    verified: bool
    # where the labels differ on a lowering drug given in an earlier line (cyclophosphamide:
    # "previous or concomitant" in the doxorubicin label read, "concurrent" in the liposomal
    # doxorubicin US label): both readings, said with a limit lowered for an earlier line
    earlier_drug_text: Annotated[
        str, Key(default="", doc="said where a drug of an earlier line lowers the limit")
    ] = ""


@frozen_value
class StartTest:
    """A test before the first dose of some drugs where the labels disagree on whether the dose
    waits for its result (DPYD before capecitabine: the EU SmPC asks for testing before the
    start, the US label as cited is read as advising it). The clinic's setting
    `start_tests.<name>` chooses: `required` (no dose while the result is not recorded) or
    `advised` (the dose is given, with a warning that the result is not recorded). A result that
    is recorded is the dose table's matter (its bands for each result)."""

    id: str
    name: Annotated[
        str, Key(one_of=tuple(TEST_FIELDS), doc="what is tested; also the clinic setting's name")
    ]
    drugs: Annotated[frozenset[str], Key(refers_to="drug", non_empty=True)]
    test: Annotated[str, Key(doc="the test in words, as printed (e.g. 'DPYD genotype')")]
    default: Annotated[str, Key(one_of=TEST_OPTIONS, doc="the option when the clinic chose none")]
    required_text: Annotated[str, Key(doc="what the sources for `required` say, in words")]
    required_sources: Sources
    advised_text: Annotated[str, Key(doc="what the sources for `advised` say, in words")]
    advised_sources: Sources
    verified: bool

    def text(self, option: str) -> str:
        return self.required_text if option == "required" else self.advised_text

    def sources(self, option: str) -> tuple[str, ...]:
        return self.required_sources if option == "required" else self.advised_sources


@frozen_value
class HardLimitTables:
    limits: tuple[HardLimit, ...]
    equivalents: Mapping[str, AnthracyclineEquivalent]
    ledger: AnthracyclineLedger
    # setting name -> the test (none on treatment: a start test is the first cycle's matter)
    tests: Mapping[str, StartTest] = field(default_factory=lambda: MappingProxyType({}))

    def tests_for(self, drug: str) -> tuple[StartTest, ...]:
        found = self._tests_for.get(drug)
        if found is None:  # once per drug, as `limits_for`
            found = self._tests_for[drug] = tuple(t for t in self.tests.values() if drug in t.drugs)
        return found

    @cached_property
    def _tests_for(self) -> dict[str, tuple[StartTest, ...]]:
        return {}

    def limits_for(self, drug: str, labels: str) -> tuple[HardLimit, ...]:
        """The limits that apply to `drug` under `labels`, in table order.

        The givable pass asks this for every dose of every plan (~20 a plan, each against every
        row of the table): the table is immutable, so each drug's rows are picked out once and
        reused, and a plan tests only its own drug's few rows."""
        key = (drug, labels)
        found = self._applicable.get(key)
        if found is None:
            found = self._applicable[key] = tuple(
                limit for limit in self.limits if limit.applies_to(drug, labels)
            )
        return found

    @cached_property
    def _applicable(self) -> dict[tuple[str, str], tuple[HardLimit, ...]]:
        # beside the fields, not one of them: equality, hash, repr and `replace` are unchanged
        return {}
