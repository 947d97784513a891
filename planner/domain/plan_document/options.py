"""The systemic-therapy options (contract §3 `options[]`, §3a, the plan as decided), the drugs
to avoid and the options the formulary hid."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.domain.evidence import Basis, Gap
from planner.domain.frozen_value import frozen_value
from planner.domain.plan_document.reading import (
    Amount,
    PlanDocumentError,
    amount,
    at,
    basis_of,
    code,
    each,
    flag,
    gaps_of,
    items,
    name,
    number,
    one,
    read_amount,
    text,
    texts,
    whole,
)
from planner.domain.plan_words import spaced
from planner.domain.vocabulary import DoseStatus


@frozen_value
class TabletCount:
    strength_mg: float
    count: int


@frozen_value
class Tablets:
    """The calculated dose as whole tablets (contract: `absolute_dose.tablets`)."""

    value: float
    unit: str
    tablets: tuple[TabletCount, ...]
    strengths_mg: tuple[float, ...]
    text: str | None
    rounding: str | None
    rule: str | None
    sources: tuple[str, ...]
    verified: bool | None


@frozen_value
class AbsoluteDose:
    """The dose worked out for her (mg/m² × BSA = mg), with the arithmetic in `text`."""

    value: float
    unit: str
    text: str | None
    tablets: Tablets | None


@frozen_value
class Given:
    """How and when a drug is given, as structure (contract: `drugs[].given`)."""

    route: str | None
    days: tuple[int, ...]
    cycle_days: int | None
    patient_words: str | None
    # from `later.from_cycle` on, where the first cycle differs (fulvestrant: once a month)
    later: Later | None = None
    # the label's blood counts on set days of the first cycles (walk 23 HARM 4)
    counts: Counts | None = None


@frozen_value
class Counts:
    """The label's blood tests on `days` of each of the first `cycles` cycles (contract:
    `drugs[].given.counts`)."""

    days: tuple[int, ...]
    cycles: int
    what: str
    sources: tuple[str, ...]
    verified: bool
    # after the first cycles, the days of each cycle up to `then_until` (`counts.then`)
    then_days: tuple[int, ...] = ()
    then_until: int | None = None


@frozen_value
class Later:
    """How a drug is given from `from_cycle` on (contract: `drugs[].given.later`)."""

    from_cycle: int
    days: tuple[int, ...]
    patient_words: str


@frozen_value
class DrugDecided:
    """What the clinician's decision did to a drug row (plan as decided)."""

    action: str  # "change_dose" or "hold"
    reason: str | None
    suggested_dose: Amount | None
    suggested_schedule: str | None
    decided_by: str | None
    decided_at: str | None


@frozen_value
class DrugRow:
    """One drug of an option with its starting dose (contract §3 `drugs[]`)."""

    drug: str
    status: DoseStatus | None
    standard_dose: Amount | None
    dose: Amount | None  # None: no dose is given (not_recommended, contraindicated, ...)
    percent_of_standard: float | None
    absolute_dose: AbsoluteDose | None
    loading_dose: Amount | None
    loading_absolute_dose: AbsoluteDose | None
    schedule: str | None
    schedule_id: str | None
    given: Given | None
    labels: str | None
    basis: tuple[Basis, ...]
    gaps: tuple[Gap, ...]
    warnings: tuple[str, ...]
    stop_reason: str | None
    suggested_dose: Amount | None  # plan as decided: the engine's dose a clinician changed
    decided: DrugDecided | None  # plan as decided: the change or hold of this drug


@frozen_value
class RegimenOption:
    """One systemic-therapy option (contract §3 `options[]`)."""

    regimen: str
    rank: int | None
    line: int | None
    drugs: tuple[DrugRow, ...]
    basis: tuple[Basis, ...]
    name: str | None
    rule: str | None
    schedule: str | None
    status: str | None  # the regimen's standing in the rule tables
    evidence: str | None
    verified: bool | None
    chemotherapy: bool | None
    kind: str | None  # the regimen's kind of treatment (regimens.toml `kind`; contract)
    oral: bool | None
    mdt_decision: bool
    declined_by_patient: bool
    not_appropriate: bool
    not_appropriate_because: tuple[str, ...]
    rank_reason: str | None
    notes: tuple[str, ...]
    monitoring: tuple[str, ...]
    # plan as decided: the engine's rank and name, and whether this is the decided option
    suggested_rank: int | None
    suggested_name: str | None
    chosen: bool | None
    # prior therapy not recorded: listed as for line 1, each option names the field it rests on
    line_assumed: bool | None
    depends_on_unrecorded: tuple[str, ...]

    @property
    def title(self) -> str:
        """The option's name as a clinician reads it (planner.domain.plan_words.option_title's
        rule): its own name, else its drugs joined with "+", else the regimen code in words."""
        if self.name:
            return self.name
        drugs = [d.drug for d in self.drugs if d.drug]
        title = " + ".join(drugs) if drugs else spaced(self.regimen)
        return title[:1].upper() + title[1:]

    def drug(self, name: str) -> DrugRow | None:
        return next((d for d in self.drugs if d.drug == name), None)


@frozen_value
class AvoidDrug:
    drug: str
    reason: str | None
    basis: tuple[Basis, ...]


@frozen_value
class HiddenOption:
    """An option left out because the clinic's formulary lacks a drug."""

    regimen: str
    name: str | None
    missing: tuple[str, ...]
    reason: str | None


def _tablets(data: Mapping[str, Any], path: str) -> Tablets:
    def count(row: Mapping[str, Any], at: str) -> TabletCount:
        return TabletCount(number(row, "strength_mg", at) or 0, whole(row, "count", at) or 0)

    strengths = items(data.get("strengths_mg"), f"{path}.strengths_mg")
    return Tablets(
        value=read_amount(data, path).value,
        unit=text(data, "unit", path) or "mg",
        tablets=each(data.get("tablets"), f"{path}.tablets", count),
        strengths_mg=tuple(float(s) for s in strengths),
        text=text(data, "text", path),
        rounding=text(data, "rounding", path),
        rule=text(data, "rule", path),
        sources=texts(data, "sources", path),
        verified=flag(data, "verified", path),
    )


def read_absolute_dose(data: Mapping[str, Any], path: str) -> AbsoluteDose:
    amount = read_amount(data, path)
    return AbsoluteDose(
        amount.value,
        amount.unit,
        text(data, "text", path),
        one(data.get("tablets"), f"{path}.tablets", _tablets),
    )


def _given(data: Mapping[str, Any], path: str) -> Given:
    days = items(data.get("days"), f"{path}.days")
    return Given(
        text(data, "route", path),
        tuple(int(d) for d in days),
        whole(data, "cycle_days", path),
        text(data, "patient_words", path),
        one(data.get("later"), f"{path}.later", _later),
        one(data.get("counts"), f"{path}.counts", _counts),
    )


def _counts(data: Mapping[str, Any], path: str) -> Counts:
    # how many first cycles the label's counts hold for: the engine always writes it; a
    # document without it is refused, never read as "the first cycle only"
    cycles = whole(data, "cycles", path)
    if cycles is None or cycles < 1:
        raise PlanDocumentError(at(path, "cycles"), "expected the number of first cycles (≥ 1)")
    then_until = whole(data, "then_until", path)
    if then_until is not None and then_until <= cycles:
        raise PlanDocumentError(at(path, "then_until"), "expected a cycle after `cycles`")
    return Counts(
        tuple(int(d) for d in items(data.get("days"), f"{path}.days")),
        cycles,
        text(data, "what", path) or "",
        tuple(str(s) for s in items(data.get("sources"), f"{path}.sources")),
        data.get("verified") is True,
        tuple(int(d) for d in items(data.get("then_days"), f"{path}.then_days")),
        then_until,
    )


def _later(data: Mapping[str, Any], path: str) -> Later:
    return Later(
        whole(data, "from_cycle", path) or 2,
        tuple(int(d) for d in items(data.get("days"), f"{path}.days")),
        text(data, "patient_words", path) or "",
    )


def _drug_decided(data: Mapping[str, Any], path: str) -> DrugDecided:
    return DrugDecided(
        action=name(data, "action", path),
        reason=text(data, "reason", path),
        suggested_dose=amount(data, "suggested_dose", path),
        suggested_schedule=text(data, "suggested_schedule", path),
        decided_by=text(data, "decided_by", path),
        decided_at=text(data, "decided_at", path),
    )


def read_drug_row(data: Mapping[str, Any], path: str) -> DrugRow:
    return DrugRow(
        drug=name(data, "drug", path),
        status=code(data, "status", path, DoseStatus),
        standard_dose=amount(data, "standard_dose", path),
        dose=amount(data, "dose", path),
        percent_of_standard=number(data, "percent_of_standard", path),
        absolute_dose=one(data.get("absolute_dose"), f"{path}.absolute_dose", read_absolute_dose),
        loading_dose=amount(data, "loading_dose", path),
        loading_absolute_dose=one(
            data.get("loading_absolute_dose"), f"{path}.loading_absolute_dose", read_absolute_dose
        ),
        schedule=text(data, "schedule", path),
        schedule_id=text(data, "schedule_id", path),
        given=one(data.get("given"), f"{path}.given", _given),
        labels=text(data, "labels", path),
        basis=basis_of(data, path),
        gaps=gaps_of(data, path),
        warnings=texts(data, "warnings", path),
        stop_reason=text(data, "stop_reason", path),
        suggested_dose=amount(data, "suggested_dose", path),
        decided=one(data.get("decided"), f"{path}.decided", _drug_decided),
    )


def read_option(data: Mapping[str, Any], path: str) -> RegimenOption:
    return RegimenOption(
        regimen=name(data, "regimen", path),
        rank=whole(data, "rank", path),
        line=whole(data, "line", path),
        drugs=each(data.get("drugs"), f"{path}.drugs", read_drug_row),
        basis=basis_of(data, path),
        name=text(data, "name", path),
        rule=text(data, "rule", path),
        schedule=text(data, "schedule", path),
        status=text(data, "status", path),
        evidence=text(data, "evidence", path),
        verified=flag(data, "verified", path),
        chemotherapy=flag(data, "chemotherapy", path),
        kind=text(data, "kind", path),
        oral=flag(data, "oral", path),
        mdt_decision=bool(flag(data, "mdt_decision", path)),
        declined_by_patient=bool(flag(data, "declined_by_patient", path)),
        not_appropriate=bool(flag(data, "not_appropriate", path)),
        not_appropriate_because=texts(data, "not_appropriate_because", path),
        rank_reason=text(data, "rank_reason", path),
        notes=texts(data, "notes", path),
        monitoring=texts(data, "monitoring", path),
        suggested_rank=whole(data, "suggested_rank", path),
        suggested_name=text(data, "suggested_name", path),
        chosen=flag(data, "chosen", path),
        line_assumed=flag(data, "line_assumed", path),
        depends_on_unrecorded=texts(data, "depends_on_unrecorded", path),
    )


def read_avoid(data: Mapping[str, Any], path: str) -> AvoidDrug:
    return AvoidDrug(name(data, "drug", path), text(data, "reason", path), basis_of(data, path))


def read_hidden(data: Mapping[str, Any], path: str) -> HiddenOption:
    return HiddenOption(
        name(data, "regimen", path),
        text(data, "name", path),
        texts(data, "missing", path),
        text(data, "reason", path),
    )
