"""The review before the next cycle (contract §5 `next_cycle`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.domain.cycle_drug import DRUG_ACTIONS
from planner.domain.evidence import Basis
from planner.domain.frozen_value import frozen_value
from planner.domain.plan_document.reading import (
    Amount,
    PlanDocumentError,
    amount,
    basis_of,
    each,
    name,
    number,
    text,
    texts,
    whole,
)
from planner.domain.plan_words import joined


@frozen_value
class CycleDrug:
    """One drug of the review before a cycle (contract §5 `next_cycle.drugs[]`)."""

    drug: str
    # contract §5's continue, reduce, hold, discontinue, insufficient_data and the project's
    # extension `increase` (docs/contract.md): cycle_drug.DRUG_ACTIONS, checked when read
    action: str
    dose: Amount | None
    percent_of_starting: float | None
    dose_level: int | None
    reasons: tuple[str, ...]
    basis: tuple[Basis, ...]


@frozen_value
class GradedTerm:
    term: str
    grade: int | None
    from_field: str | None  # JSON key `from`
    finding: str | None
    grade_shown: str | None
    note: str | None
    basis: tuple[Basis, ...]
    # graded against her raised baseline (CTCAE v5): the grade in × ULN that labels writing
    # their grades in × ULN read (None: not known); walk 23 #17
    against_baseline: bool = False
    grade_x_uln: int | None = None


@frozen_value
class CumulativeTotal:
    drug: str
    total: Amount | None
    after_this_cycle: Amount | None
    limit: Amount | None
    equivalent_of: str | None
    text: str | None


@frozen_value
class NextCycle:
    """The review before the next cycle (contract §5)."""

    cycle: int | None
    day: int | None
    regimen: str | None
    kind: str | None  # her regimen's kind of treatment (an option's `kind`)
    decision: str  # give, delay, stop, insufficient_data
    drugs: tuple[CycleDrug, ...]
    graded: tuple[GradedTerm, ...]
    resume_when: tuple[str, ...]
    recheck_in_days: int | None
    cumulative: tuple[CumulativeTotal, ...]
    notes: tuple[str, ...]

    def split_delay(self) -> str | None:
        """The headline of a delay in which some drugs are still given today, drug by drug
        ("DELAY bevacizumab; GIVE paclitaxel today"); None for any other decision. Contract §5's
        `delay` means "at least one drug held": alone, "DELAY this cycle" reads to a nurse as
        "give nothing today". The patient pages read it as "part of your treatment waits"."""
        if self.decision != "delay" or not any(d.action in GIVEN_ACTIONS for d in self.drugs):
            return None
        return self.drug_by_drug()

    def drug_by_drug(self) -> str | None:
        """The printed headline, drug by drug, wherever the drugs do not all share the
        decision's action: "DELAY bevacizumab; GIVE paclitaxel today", "GIVE letrozole today;
        STOP ribociclib" (issue 19 review 19d, finding 1: a `give` over a drug stopped for good
        read as "everything goes ahead"). None where one word says it all (every drug given, every
        drug held, every drug stopped, or not decided)."""
        if self.decision not in ("give", "delay"):
            return None
        given = [d.drug for d in self.drugs if d.action in GIVEN_ACTIONS]
        held = [d.drug for d in self.drugs if d.action == "hold"]
        stopped = [d.drug for d in self.drugs if d.action == "discontinue"]
        if not stopped and not (held and given):
            return None
        parts = [
            *([f"DELAY {joined(held)}"] if held else []),
            *([f"GIVE {joined(given)} today"] if given else []),
            *([f"STOP {joined(stopped)}"] if stopped else []),
        ]
        return "; ".join(parts)


#: the actions under which a drug is given this cycle
GIVEN_ACTIONS = ("continue", "reduce", "increase")


def _cycle_drug(data: Mapping[str, Any], path: str) -> CycleDrug:
    return CycleDrug(
        drug=name(data, "drug", path),
        action=_action(data, path),
        dose=amount(data, "dose", path),
        percent_of_starting=number(data, "percent_of_starting", path),
        dose_level=whole(data, "dose_level", path),
        reasons=texts(data, "reasons", path),
        basis=basis_of(data, path),
    )


def _action(data: Mapping[str, Any], path: str) -> str:
    """A drug's action: one of §5's and the extension `increase`, nothing else (a consumer
    that knows only §5's five must not meet an action it cannot read as given or not)."""
    action = name(data, "action", path)
    # left out reads as "" (any key may be left out: test_plan_document); a named one is checked
    if action and action not in DRUG_ACTIONS:
        raise PlanDocumentError(
            f"{path}.action", f"{action!r} is not one of {', '.join(DRUG_ACTIONS)}"
        )
    return action


def _graded(data: Mapping[str, Any], path: str) -> GradedTerm:
    return GradedTerm(
        term=name(data, "term", path),
        grade=whole(data, "grade", path),
        from_field=text(data, "from", path),
        finding=text(data, "finding", path),
        grade_shown=text(data, "grade_shown", path),
        note=text(data, "note", path),
        basis=basis_of(data, path),
        against_baseline=data.get("against_baseline") is True,
        grade_x_uln=whole(data, "grade_x_uln", path),
    )


def _cumulative(data: Mapping[str, Any], path: str) -> CumulativeTotal:
    return CumulativeTotal(
        drug=name(data, "drug", path),
        total=amount(data, "total", path),
        after_this_cycle=amount(data, "after_this_cycle", path),
        limit=amount(data, "limit", path),
        equivalent_of=text(data, "equivalent_of", path),
        text=text(data, "text", path),
    )


def read_next_cycle(data: Mapping[str, Any], path: str = "next_cycle") -> NextCycle:
    """The review before a cycle (contract §5): a plan's `next_cycle`, or a kept review's
    suggestion."""
    return NextCycle(
        cycle=whole(data, "cycle", path),
        day=whole(data, "day", path),
        regimen=text(data, "regimen", path),
        kind=text(data, "kind", path),
        decision=name(data, "decision", path),
        drugs=each(data.get("drugs"), f"{path}.drugs", _cycle_drug),
        graded=each(data.get("graded"), f"{path}.graded", _graded),
        resume_when=texts(data, "resume_when", path),
        recheck_in_days=whole(data, "recheck_in_days", path),
        cumulative=each(data.get("cumulative"), f"{path}.cumulative", _cumulative),
        notes=texts(data, "notes", path),
    )
