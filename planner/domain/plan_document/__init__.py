"""The plan document read back, typed: what the reports and the windows read of a plan.

The engine writes the plan document (contract §3, §3a, §5 and the project's additions in
docs/contract.md) with `Plan.to_json()`; it is kept as JSON in the record and changed only by a
decision (`planner.domain.decision.decided_plan`). What shows a plan — the plan window, the why
panel, the printed sections, the cycle sheet — reads it through `read_plan`, the one parser,
into the frozen values of this package, not through chains of `.get("…")`.

Reading rules (one for every field, in `reading`):
- a key that is absent or null is "not in this document": `None` for a single value, `()` for a
  list, `False` for a flag that only marks something (`not_appropriate`, `as_decided`). Plans
  kept by older versions lack the newer keys (`sources`, `medications`, `given`,
  `lab_confirmations`, …) and read without error; a newer key is never required.
- a value of the wrong kind (a list where a number belongs, an unknown closed code such as a
  dose status "maybe") is a `PlanDocumentError` naming its path (`options[0].drugs[1].status`):
  a document this program cannot read is refused, never guessed at (BRIEF rule 2).
- numbers and words are kept exactly as the document says: a dose is the document's dose, never
  re-computed or rounded here (BRIEF rule 3).
- the closed vocabularies are the `StrEnum`s of planner.domain.vocabulary; basis entries and gaps
  are planner.domain.evidence's `Basis` and `Gap`, the clinician's decision is
  planner.domain.decision's `Decision` (one home each).

The parts: `options` (systemic-therapy options and their drugs), `findings` (subtype, liver,
body, whether systemic therapy is appropriate), `care` (supportive care, referrals, alerts,
follow-up, current medicines, confirmed results), `cycle` (the review before a cycle). Standard
library only.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from planner.domain.decision import Decision, Leads
from planner.domain.evidence import Basis, Gap
from planner.domain.frozen_value import frozen_value
from planner.domain.plan_document.care import (
    Alert,
    CarriedFrom,
    Disagreement,
    FollowUp,
    Interaction,
    Intervention,
    Medication,
    MedicationFinding,
    MonitoringLine,
    PlanLabConfirmation,
    PlanLabReading,
    Position,
    RecordedAllergy,
    Referral,
    SupportiveItem,
    read_alert,
    read_allergy,
    read_follow_up,
    read_interaction,
    read_lab_confirmation,
    read_medication,
    read_medication_finding,
    read_referral,
    read_supportive,
)
from planner.domain.plan_document.cycle import (
    CumulativeTotal,
    CycleDrug,
    GradedTerm,
    NextCycle,
    read_next_cycle,
)
from planner.domain.plan_document.findings import (
    BilirubinTrend,
    Body,
    ChildPugh,
    Hepatic,
    ReferenceLine,
    Subtype,
    SystemicTherapy,
    TherapyStop,
    read_body,
    read_hepatic,
    read_subtype,
    read_systemic_therapy,
)
from planner.domain.plan_document.options import (
    AbsoluteDose,
    AvoidDrug,
    DrugDecided,
    DrugRow,
    Given,
    HiddenOption,
    RegimenOption,
    TabletCount,
    Tablets,
    read_avoid,
    read_drug_row,
    read_hidden,
    read_option,
)
from planner.domain.plan_document.reading import (
    Amount,
    PlanDocumentError,
    each,
    flag,
    mapping,
    one,
    read_amount,
    read_basis,
    read_gap,
    text,
    texts,
)
from planner.domain.plan_words import spaced

__all__ = [
    "AbsoluteDose",
    "Alert",
    "Amount",
    "AvoidDrug",
    "Basis",
    "BilirubinTrend",
    "Body",
    "CarriedFrom",
    "ChildPugh",
    "Course",
    "CumulativeTotal",
    "CycleDrug",
    "Decision",
    "Disagreement",
    "DrugDecided",
    "DrugRow",
    "FollowUp",
    "Gap",
    "Given",
    "GradedTerm",
    "Hepatic",
    "HiddenOption",
    "Interaction",
    "Intervention",
    "Medication",
    "MedicationFinding",
    "MonitoringLine",
    "NextCycle",
    "Override",
    "PlanDocument",
    "PlanDocumentError",
    "PlanLabConfirmation",
    "PlanLabReading",
    "Position",
    "RecordedAllergy",
    "ReferenceLine",
    "Referral",
    "RegimenOption",
    "SourceEntry",
    "Subtype",
    "SupportiveItem",
    "SystemicTherapy",
    "TabletCount",
    "Tablets",
    "TherapyStop",
    "read_alert",
    "read_amount",
    "read_basis",
    "read_drug_row",
    "read_lab_confirmation",
    "read_next_cycle",
    "read_option",
    "read_plan",
    "read_source",
    "read_sources",
    "read_supportive",
]


@frozen_value
class SourceEntry:
    """A cited source resolved to words (`sources[id]`). Older plans carry only `title` and a
    free-text `reference`: then `section` and `reference_id` are None."""

    title: str | None
    reference: str | None
    url: str | None
    reference_id: str | None
    reference_title: str | None
    issuer: str | None
    date: str | None
    kind: str | None
    section: str | None
    verified: bool | None


@frozen_value
class Override:
    """A change recorded on an older plan before decisions were kept (`overrides[]`)."""

    what: str | None
    from_value: str | None  # JSON key `from`
    to_value: str | None  # JSON key `to`
    reason: str | None
    by: str | None
    at: str | None


@frozen_value
class Course:
    """What the plan leads with: planner.domain.decision.plan_course's answer over the read
    document (a test holds the two equal for every test case, decided or not)."""

    leads: Leads
    option: RegimenOption | None  # the decided or suggested option; None otherwise
    decision: Decision | None

    @property
    def supportive_care_first(self) -> bool:
        return self.leads == "supportive_care"

    @property
    def title(self) -> str:
        """The option it leads with by name (`RegimenOption.title`); a decided regimen the
        options no longer list, by its code in words; "" for supportive care or nothing yet."""
        if self.option is not None:
            return self.option.title
        code = spaced(self.decision.regimen if self.decision else None)
        return code[:1].upper() + code[1:]


@frozen_value
class PlanDocument:
    """A whole plan document, decided or not."""

    schema: str | None
    rules_version: str | None
    labels: str | None
    assessed_on: str | None  # older plans only (the case holds it)
    subtype: Subtype | None
    hepatic: Hepatic | None
    body: Body | None
    systemic_therapy: SystemicTherapy | None
    current_therapy: tuple[str, ...]
    options: tuple[RegimenOption, ...]
    avoid: tuple[AvoidDrug, ...]
    supportive: tuple[SupportiveItem, ...]
    referrals: tuple[Referral, ...]
    alerts: tuple[Alert, ...]
    follow_up: FollowUp | None
    gaps: tuple[Gap, ...]
    hidden_options: tuple[HiddenOption, ...]
    interactions: tuple[Interaction, ...]
    medications: tuple[Medication, ...]
    #: "listed", "none" or "not_recorded"; None in a plan from before the key existed
    medications_recorded: str | None
    medication_findings: tuple[MedicationFinding, ...]
    #: every allergy recorded (§2a), and "listed", "none" (no known drug allergies) or
    #: "not_recorded"; None in a plan from before the keys existed (issue 20)
    allergies: tuple[RecordedAllergy, ...]
    allergies_recorded: str | None
    lab_confirmations: tuple[PlanLabConfirmation, ...]
    sources: Mapping[str, SourceEntry]
    settings: Mapping[str, Any]  # the clinic settings it was made with, as stored
    next_cycle: NextCycle | None  # only for a case on treatment
    decision: Decision | None  # the clinician's decision (a kept, decided plan)
    as_decided: bool  # the decision is applied (planner.domain.decision.decided_plan)
    overrides: tuple[Override, ...]

    def option(self, regimen: str | None) -> RegimenOption | None:
        return next((o for o in self.options if o.regimen == regimen), None)

    @property
    def ranked_options(self) -> tuple[RegimenOption, ...]:
        """The options by rank (an option without one last), as the plan lists them."""
        return tuple(sorted(self.options, key=lambda o: o.rank or 99))

    @property
    def course(self) -> Course:
        """The decided option, best supportive care (decided, or suggested because systemic
        therapy was judged not appropriate), the first option that is not judged not
        appropriate (suggested), or nothing yet (a gap, never a decision)."""
        decision = self.decision
        if decision is not None:
            if decision.course == "supportive_care":
                return Course("supportive_care", None, decision)
            chosen = (o for o in self.ranked_options if o.regimen == decision.regimen)
            return Course("decided_option", next(chosen, None), decision)
        if self.systemic_therapy is not None and self.systemic_therapy.appropriate is False:
            return Course("supportive_care", None, None)
        usable = [o for o in self.ranked_options if not o.not_appropriate]
        if usable:
            return Course("suggested_option", usable[0], None)
        return Course("undecided", None, None)


# ---- reading -------------------------------------------------------------------------------


def read_source(data: Mapping[str, Any], path: str) -> SourceEntry:
    """One entry of the plan's `sources` map."""
    return SourceEntry(
        title=text(data, "title", path),
        reference=text(data, "reference", path),
        url=text(data, "url", path),
        reference_id=text(data, "reference_id", path),
        reference_title=text(data, "reference_title", path),
        issuer=text(data, "issuer", path),
        date=text(data, "date", path),
        kind=text(data, "kind", path),
        section=text(data, "section", path),
        verified=flag(data, "verified", path),
    )


def read_sources(value: Any, path: str = "sources") -> Mapping[str, SourceEntry]:
    """The plan's `sources` map (source id -> its citation in words), read-only."""
    found = mapping(value, path)
    return MappingProxyType(
        {str(k): read_source(mapping(v, f"{path}.{k}"), f"{path}.{k}") for k, v in found.items()}
    )


def _override(data: Mapping[str, Any], path: str) -> Override:
    return Override(
        what=text(data, "what", path),
        from_value=text(data, "from", path),
        to_value=text(data, "to", path),
        reason=text(data, "reason", path),
        by=text(data, "by", path),
        at=text(data, "at", path),
    )


def _decision(data: Mapping[str, Any], path: str) -> Decision:
    if data.get("course") not in ("option", "supportive_care"):
        raise PlanDocumentError(
            f"{path}.course", f"{data.get('course')!r} is not one of option, supportive_care"
        )
    try:
        return Decision.from_json(data)
    except (KeyError, TypeError, ValueError) as error:
        raise PlanDocumentError(path, f"cannot be read ({error})") from None


def read_plan(document: Mapping[str, Any]) -> PlanDocument:
    """The plan document (as `Plan.to_json()` wrote it, as kept in the record, or as decided)
    typed; raises PlanDocumentError naming the field it cannot read."""
    data = mapping(document, "(document)")
    settings = data.get("settings")
    return PlanDocument(
        schema=text(data, "schema", ""),
        rules_version=text(data, "rules_version", ""),
        labels=text(data, "labels", ""),
        assessed_on=text(data, "assessed_on", ""),
        subtype=one(data.get("subtype"), "subtype", read_subtype),
        hepatic=one(data.get("hepatic"), "hepatic", read_hepatic),
        body=one(data.get("body"), "body", read_body),
        systemic_therapy=one(
            data.get("systemic_therapy"), "systemic_therapy", read_systemic_therapy
        ),
        current_therapy=texts(data, "current_therapy", ""),
        options=each(data.get("options"), "options", read_option),
        avoid=each(data.get("avoid"), "avoid", read_avoid),
        supportive=each(data.get("supportive"), "supportive", read_supportive),
        referrals=each(data.get("referrals"), "referrals", read_referral),
        alerts=each(data.get("alerts"), "alerts", read_alert),
        follow_up=one(data.get("follow_up"), "follow_up", read_follow_up),
        gaps=each(data.get("gaps"), "gaps", read_gap),
        hidden_options=each(data.get("hidden_options"), "hidden_options", read_hidden),
        interactions=each(data.get("interactions"), "interactions", read_interaction),
        medications=each(data.get("medications"), "medications", read_medication),
        medications_recorded=text(data, "medications_recorded", ""),
        medication_findings=each(
            data.get("medication_findings"), "medication_findings", read_medication_finding
        ),
        allergies=each(data.get("allergies"), "allergies", read_allergy),
        allergies_recorded=text(data, "allergies_recorded", ""),
        lab_confirmations=each(
            data.get("lab_confirmations"), "lab_confirmations", read_lab_confirmation
        ),
        sources=read_sources(data.get("sources")),
        settings=MappingProxyType(dict(mapping(settings, "settings"))),
        next_cycle=one(data.get("next_cycle"), "next_cycle", read_next_cycle),
        decision=one(data.get("decision"), "decision", _decision),
        as_decided=bool(flag(data, "as_decided", "")),
        overrides=each(data.get("overrides"), "overrides", _override),
    )
