"""Supportive care, referrals, alerts, follow-up, her current medicines (§2a) and the results
confirmed as typed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.domain.evidence import Basis
from planner.domain.frozen_value import frozen_value
from planner.domain.plan_document.reading import (
    Amount,
    amount,
    basis_of,
    code,
    each,
    flag,
    items,
    mapping,
    name,
    number,
    one,
    read_basis,
    sentences,
    text,
    texts,
    whole,
)
from planner.domain.vocabulary import AlertLevel, MedicineAction, ProblemDomain, Service, Urgency


@frozen_value
class Position:
    text: str
    sources: tuple[str, ...]
    verified: bool | None


@frozen_value
class Disagreement:
    """Sources that disagree about an intervention, shown side by side (BRIEF rule 5)."""

    id: str | None
    topic: str | None
    reference: str | None
    behaviour: str | None
    positions: tuple[Position, ...]


@frozen_value
class Interaction:
    """A supportive drug against what she takes (`interactions[]`)."""

    with_drugs: tuple[str, ...]  # JSON key `with`
    problems: tuple[str, ...]
    supportive: tuple[str, ...]
    message: str | None
    basis: tuple[Basis, ...]
    # the message's advice in a few words (the decision page's line); None in plans made
    # before print24, which the page prints whole
    what_to_do: str | None = None


@frozen_value
class Intervention:
    """One supportive intervention in full (`supportive[].intervention_details[]`)."""

    id: str | None
    rule: str | None
    text: str
    patient_text: str | None
    verified: bool | None
    drugs: tuple[str, ...]
    basis: tuple[Basis, ...]
    because: tuple[str, ...]
    for_drugs: tuple[str, ...]
    disagreement: Disagreement | None


@frozen_value
class SupportiveItem:
    domain: ProblemDomain | None
    problem: str
    severity: str | None  # None: present, severity not recorded (never a default band)
    interventions: tuple[str, ...]
    basis: tuple[Basis, ...]
    reasons: tuple[str, ...]
    patient_text: tuple[str, ...]
    intervention_details: tuple[Intervention, ...]
    interactions: tuple[Interaction, ...]
    unverified: bool
    for_drugs: tuple[str, ...]


@frozen_value
class Referral:
    service: Service | None
    urgency: Urgency | None
    reasons: tuple[str, ...]
    basis: tuple[Basis, ...]
    rules: tuple[str, ...]
    problems: tuple[str, ...]
    patient_text: tuple[str, ...]


@frozen_value
class CarriedFrom:
    """An earlier assessment's unacknowledged critical alert, carried to this plan."""

    assessment_id: int | None
    assessed_on: str | None
    plan_id: int | None


@frozen_value
class Alert:
    code: str
    level: AlertLevel | None
    message: str
    field: str | None
    reasons: tuple[str, ...]
    basis: tuple[Basis, ...]
    carried_from: CarriedFrom | None


@frozen_value
class MonitoringLine:
    item: str
    for_: str | None  # JSON key `for`
    basis: tuple[Basis, ...]


@frozen_value
class FollowUp:
    next_review_days: int | None
    monitoring: tuple[str, ...]
    review_reasons: tuple[str, ...]
    review_basis: tuple[Basis, ...]
    monitoring_basis: tuple[MonitoringLine, ...]


@frozen_value
class Medication:
    """A medicine or remedy she takes, as recorded, with what to do with it (§2a)."""

    drug: str
    kind: str | None  # "medicine" or "remedy"
    field: str | None
    dose: Amount | None  # as the nurse recorded it, not a dose the plan gives
    route: str | None
    frequency: str | None
    indication: str | None
    action: MedicineAction | None
    reasons: tuple[str, ...]
    basis: tuple[Basis, ...]
    # the name as typed where it is not the INN (a brand), printed beside it (print24)
    written: str | None = None


@frozen_value
class AllergySubstance:
    """One substance an allergy line was applied as ("carboplatin" of "paclitaxel, carboplatin")."""

    substance: str
    kind: str  # "drug", "class" or "excipient"


@frozen_value
class RecordedAllergy:
    """An allergy as the nurse recorded it (§2a), printed whether or not it matched a drug."""

    written: str
    substance: str | None
    kind: str | None  # "drug", "class", "excipient", "several" or "other"
    reaction: str | None
    severity: str | None
    # every substance the line was applied as; the parts not read; a word
    # that may say she is not allergic (plans made before these were kept have none)
    substances: tuple[AllergySubstance, ...] = ()
    not_read: tuple[str, ...] = ()
    negation: str | None = None


@frozen_value
class MedicationFinding:
    kind: str | None  # interaction, caution, allergy, paracetamol_total, daily_total
    taken: tuple[str, ...]
    suggested: tuple[str, ...]
    where: tuple[str, ...]
    action: MedicineAction | None
    message: str | None
    verified: bool | None
    basis: tuple[Basis, ...]
    # the rule's advice in a few words (the decision page's line), where its row gives them
    what_to_do: str | None = None


@frozen_value
class PlanLabReading:
    value: float | None
    unit: str | None
    drawn_on: str | None


@frozen_value
class PlanLabConfirmation:
    """A result confirmed as typed after it jumped (issue 16)."""

    lab: str
    label: str | None
    previous: PlanLabReading | None
    current: PlanLabReading | None
    change_percent: float | None
    confirmed_by: str | None
    confirmed_on: str | None


def read_interaction(data: Mapping[str, Any], path: str) -> Interaction:
    return Interaction(
        with_drugs=texts(data, "with", path),
        problems=texts(data, "problems", path),
        supportive=texts(data, "supportive", path),
        message=text(data, "message", path),
        basis=basis_of(data, path),
        what_to_do=text(data, "what_to_do", path),
    )


def _disagreement(data: Mapping[str, Any], path: str) -> Disagreement:
    def position(d: Mapping[str, Any], at: str) -> Position:
        return Position(name(d, "text", at), texts(d, "sources", at), flag(d, "verified", at))

    return Disagreement(
        id=text(data, "id", path),
        topic=text(data, "topic", path),
        reference=text(data, "reference", path),
        behaviour=text(data, "behaviour", path),
        positions=each(data.get("positions"), f"{path}.positions", position),
    )


def _intervention(data: Mapping[str, Any], path: str) -> Intervention:
    return Intervention(
        id=text(data, "id", path),
        rule=text(data, "rule", path),
        text=name(data, "text", path),
        patient_text=text(data, "patient_text", path),
        verified=flag(data, "verified", path),
        drugs=texts(data, "drugs", path),
        basis=basis_of(data, path),
        because=texts(data, "because", path),
        for_drugs=texts(data, "for_drugs", path),
        disagreement=one(data.get("disagreement"), f"{path}.disagreement", _disagreement),
    )


def _older_intervention(data: Mapping[str, Any], path: str) -> Intervention:
    return Intervention(
        id=None,
        rule=None,
        text=text(data, "text", path) or text(data, "intervention", path) or "",
        patient_text=text(data, "patient_text", path),
        verified=None,
        drugs=(),
        basis=(),
        because=(),
        for_drugs=(),
        disagreement=None,
    )


def read_supportive(data: Mapping[str, Any], path: str) -> SupportiveItem:
    # Older plans wrote each intervention as {text, patient_text}: its words are the
    # intervention, and the whole is read as one of the details (the family's words with it).
    given = items(data.get("interventions"), f"{path}.interventions")
    older = (
        tuple(
            _older_intervention({"text": i} if isinstance(i, str) else mapping(i, at_i), at_i)
            for n, i in enumerate(given)
            for at_i in (f"{path}.interventions[{n}]",)
        )
        if any(isinstance(i, Mapping) for i in given)
        else ()
    )
    return SupportiveItem(
        domain=code(data, "domain", path, ProblemDomain),
        problem=name(data, "problem", path),
        severity=text(data, "severity", path),
        interventions=tuple(i.text for i in older) if older else texts(data, "interventions", path),
        basis=basis_of(data, path),
        reasons=texts(data, "reasons", path),
        patient_text=sentences(data, "patient_text", path),
        intervention_details=older
        + each(data.get("intervention_details"), f"{path}.intervention_details", _intervention),
        interactions=each(data.get("interactions"), f"{path}.interactions", read_interaction),
        unverified=bool(flag(data, "unverified", path)),
        for_drugs=texts(data, "for_drugs", path),
    )


def read_referral(data: Mapping[str, Any], path: str) -> Referral:
    return Referral(
        service=code(data, "service", path, Service),
        urgency=code(data, "urgency", path, Urgency),
        reasons=texts(data, "reasons", path),
        basis=basis_of(data, path),
        rules=texts(data, "rules", path),
        problems=texts(data, "problems", path),
        patient_text=sentences(data, "patient_text", path),
    )


def read_alert(data: Mapping[str, Any], path: str) -> Alert:
    def carried(d: Mapping[str, Any], at: str) -> CarriedFrom:
        return CarriedFrom(
            whole(d, "assessment_id", at), text(d, "assessed_on", at), whole(d, "plan_id", at)
        )

    return Alert(
        code=name(data, "code", path),
        level=code(data, "level", path, AlertLevel),
        message=name(data, "message", path),
        field=text(data, "field", path),
        reasons=texts(data, "reasons", path),
        basis=basis_of(data, path),
        carried_from=one(data.get("carried_from"), f"{path}.carried_from", carried),
    )


def read_follow_up(data: Mapping[str, Any], path: str) -> FollowUp:
    def line(d: Mapping[str, Any], at: str) -> MonitoringLine:
        return MonitoringLine(name(d, "item", at), text(d, "for", at), basis_of(d, at))

    return FollowUp(
        next_review_days=whole(data, "next_review_days", path),
        monitoring=texts(data, "monitoring", path),
        review_reasons=texts(data, "review_reasons", path),
        review_basis=read_basis(data.get("review_basis"), f"{path}.review_basis"),
        monitoring_basis=each(data.get("monitoring_basis"), f"{path}.monitoring_basis", line),
    )


def read_medication(data: Mapping[str, Any], path: str) -> Medication:
    return Medication(
        drug=name(data, "drug", path),
        kind=text(data, "kind", path),
        field=text(data, "field", path),
        dose=amount(data, "dose", path),
        route=text(data, "route", path),
        frequency=text(data, "frequency", path),
        indication=text(data, "indication", path),
        action=code(data, "action", path, MedicineAction),
        reasons=texts(data, "reasons", path),
        basis=basis_of(data, path),
        written=text(data, "written", path),
    )


def read_allergy(data: Mapping[str, Any], path: str) -> RecordedAllergy:
    substance = text(data, "substance", path)
    return RecordedAllergy(
        written=text(data, "written", path) or substance or "?",
        substance=substance,
        kind=text(data, "kind", path),
        reaction=text(data, "reaction", path),
        severity=text(data, "severity", path),
        substances=each(data.get("substances"), f"{path}.substances", _read_substance),
        not_read=texts(data, "not_read", path),
        negation=text(data, "negation", path),
    )


def _read_substance(data: Mapping[str, Any], path: str) -> AllergySubstance:
    return AllergySubstance(name(data, "substance", path), name(data, "kind", path))


def read_medication_finding(data: Mapping[str, Any], path: str) -> MedicationFinding:
    return MedicationFinding(
        kind=text(data, "kind", path),
        taken=texts(data, "taken", path),
        suggested=texts(data, "suggested", path),
        where=texts(data, "where", path),
        action=code(data, "action", path, MedicineAction),
        message=text(data, "message", path),
        verified=flag(data, "verified", path),
        basis=basis_of(data, path),
        what_to_do=text(data, "what_to_do", path),
    )


def read_lab_confirmation(data: Mapping[str, Any], path: str) -> PlanLabConfirmation:
    def reading(d: Mapping[str, Any], at: str) -> PlanLabReading:
        return PlanLabReading(number(d, "value", at), text(d, "unit", at), text(d, "drawn_on", at))

    return PlanLabConfirmation(
        lab=name(data, "lab", path),
        label=text(data, "label", path),
        previous=one(data.get("previous"), f"{path}.previous", reading),
        current=one(data.get("current"), f"{path}.current", reading),
        change_percent=number(data, "change_percent", path),
        confirmed_by=text(data, "confirmed_by", path),
        confirmed_on=text(data, "confirmed_on", path),
    )
