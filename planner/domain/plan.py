"""The plan document (contract §3, `planner.plan/1`) as frozen objects, and its JSON form.

`Plan.to_json()` returns plain dicts/lists/str/float/bool/None with the contract's keys (fixed
keys first; the project's additions after them). `supportive`, `referrals`, `alerts`,
`follow_up` and `interactions` come from the supportive part (`planner.domain.supportive`).

`sources` (an addition) resolves every source id cited anywhere in the document (each `basis`
entry's `source`, or `sources` list) to its citation in words: `title` (the fact cited),
`reference` ("title — issuer, date, section" of the primary), `url`, and the parts of the
reference (issuer, date, kind, section, whether the citation is verified), so a printed or
on-screen plan shows where a clinician finds it; the engine passes in the rule tables' sources
(`RuleSet.sources`).
The ids are read from the serialized document (`cited_source_ids`), the one definition of a citation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import Any, Protocol

from planner.domain.alerts import Alert
from planner.domain.as_recorded import allergy_to_json
from planner.domain.body import BodyAssessment
from planner.domain.cycle_review import CycleReview
from planner.domain.dose_tables import regimen_line
from planner.domain.dosing import DrugDose
from planner.domain.evidence import Basis, Gap
from planner.domain.follow_up import MonitoringLine
from planner.domain.frozen_value import frozen_value
from planner.domain.hepatic import HepaticAssessment
from planner.domain.kidney import KidneyAssessment
from planner.domain.medicines import MedicineReview
from planner.domain.regimens import HiddenOption, RankedOption
from planner.domain.subtype import Subtype, TherapyHistory
from planner.domain.supportive import SupportivePart
from planner.domain.vocabulary import AlertLevel, values

# Alerts are made in planner.domain.alerts and the monitoring list in planner.domain.follow_up
# (one place each); the names stay importable from here.
MonitoringEntry = MonitoringLine
__all__ = ["ALERT_LEVELS", "SCHEMA", "Alert", "MonitoringEntry", "Plan", "PlanOption"]

SCHEMA = "planner.plan/1"
ALERT_LEVELS = values(AlertLevel)  # most severe first


class CitedSource(Protocol):
    """One `[[source]]` of the rule tables (planner.rules.references.Source satisfies it)."""

    def to_json(self) -> dict[str, Any]:
        """{title, reference (the citation in words), url, ...parts of the reference}."""
        ...


def cited_source_ids(document: Any) -> set[str]:
    """Every source id a serialized plan cites: the `source` of a basis entry and the `sources`
    list of a disagreement position, anywhere in the document. Read from the finished document,
    so a new serializer cannot cite a source the plan fails to list (issue 18)."""
    found: set[str] = set()
    add = found.add
    pending = [document] if type(document) in _CONTAINERS else []
    push = pending.append
    # ~1,200 containers and ~3,000 scalars per plan: `in` and `is` tests on the exact types,
    # not dict.get per value; a value's type is looked up in a frozenset (one test, where
    # three `is` tests and their jumps cost ~15 % more walk)
    for node in pending:  # grows while it is read: every container once, no recursion
        if type(node) is dict:
            if "source" in node:
                single = node["source"]
                if type(single) is str:
                    add(single)
                    # a basis entry ({rule, source, verified}: ~530 of a plan's ~770 dicts)
                    # holds no container: its values need not be looked at (~14 % of the walk)
                    if (
                        len(node) == 3
                        and type(node.get("rule")) is str
                        and type(node.get("verified")) is bool
                    ):
                        continue
            if "sources" in node:
                many = node["sources"]
                if type(many) is list or type(many) is tuple:
                    for cited in many:
                        if type(cited) is str:
                            add(cited)
            node = node.values()
        for value in node:
            if type(value) in _CONTAINERS:
                push(value)
    return found


_CONTAINERS = frozenset({dict, list, tuple})


def _resolve(cited: set[str], catalogue: Mapping[str, CitedSource]) -> dict[str, dict[str, Any]]:
    """{id: {title, reference, url, ...}} for every cited id that the catalogue holds."""
    out: dict[str, dict[str, Any]] = {}
    for source_id in sorted(cited):
        found = catalogue.get(source_id)
        if found is not None:
            out[source_id] = found.to_json()
    return out


@frozen_value
class StopReason:
    """Why systemic therapy is judged not appropriate (a prompt for discussion, never a refusal)."""

    code: str
    reason: str
    basis: tuple[Basis, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "reason": self.reason,
            "basis": [b.to_json() for b in self.basis],
        }


@frozen_value
class SystemicTherapy:
    appropriate: bool
    warnings: tuple[str, ...]
    reasons: tuple[StopReason, ...]
    first_choice_reason: str | None
    basis: tuple[Basis, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "appropriate": self.appropriate,
            "warnings": list(self.warnings),
            "not_appropriate_because": [r.to_json() for r in self.reasons],
            "first_choice_reason": self.first_choice_reason,
            "basis": [b.to_json() for b in self.basis],
        }


@frozen_value(hot=True)
class PlanOption:
    ranked: RankedOption
    drugs: tuple[DrugDose, ...]
    basis: tuple[Basis, ...]
    monitoring: tuple[str, ...]
    not_appropriate: bool
    not_appropriate_because: tuple[str, ...] = ()

    @property
    def schedule(self) -> str:
        """The regimen line, composed from its drug rows: each drug's own dose and timing, so the
        line never names a dose the rows do not give (contract §3a)."""
        return regimen_line((d.drug, d.schedule) for d in self.drugs)

    def to_json(self) -> dict[str, Any]:
        regimen = self.ranked.regimen
        return {
            "regimen": regimen.id,
            "rank": self.ranked.rank,
            "line": self.ranked.line,
            "drugs": [d.to_json() for d in self.drugs],
            "basis": [b.to_json() for b in self.basis],
            "name": regimen.name,
            "rule": regimen.rule,
            "schedule": self.schedule,
            "status": regimen.status,
            "evidence": regimen.evidence,
            "verified": regimen.verified,
            "chemotherapy": regimen.contains_chemotherapy,
            "kind": regimen.kind,
            "oral": regimen.oral,
            "mdt_decision": self.ranked.mdt_decision,
            "declined_by_patient": self.ranked.declined,
            "not_appropriate": self.not_appropriate,
            "not_appropriate_because": list(self.not_appropriate_because),
            "rank_reason": self.ranked.rank_reason or None,
            "notes": list(self.ranked.notes),
            "monitoring": list(self.monitoring),
        }


@frozen_value
class AvoidDrug:
    drug: str
    reason: str
    basis: tuple[Basis, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "drug": self.drug,
            "reason": self.reason,
            "basis": [b.to_json() for b in self.basis],
        }


@frozen_value
class Plan:
    rules_version: str
    labels: str
    subtype: Subtype
    history: TherapyHistory
    hepatic: HepaticAssessment
    body: BodyAssessment
    kidney: KidneyAssessment
    systemic_therapy: SystemicTherapy
    options: tuple[PlanOption, ...]
    hidden_options: tuple[HiddenOption, ...]
    avoid: tuple[AvoidDrug, ...]
    alerts: tuple[Alert, ...]
    monitoring: tuple[MonitoringLine, ...]
    gaps: tuple[Gap, ...]
    settings: dict[str, Any]
    supportive: SupportivePart | None = None
    medicines: MedicineReview | None = None  # contract §2a: what she already takes
    source_catalogue: Mapping[str, CitedSource] = field(default_factory=dict, compare=False)
    # The ODWG bilirubin edges, for the lines trend charts draw (read from the rule table).
    bilirubin_reference_lines: tuple[tuple[float, str], ...] = ()
    # contract §5: the review before the next cycle, only for a case with `treatment`
    next_cycle: CycleReview | None = None
    # The anticancer drugs she is on now (ongoing lines, anticancer medicines): what a decision
    # on the options does not stop, so their interaction findings always stay printed.
    current_therapy: tuple[str, ...] = ()
    # Results the nurse confirmed as typed after a delta-check question (case
    # `lab_confirmations`, with the change: planner.domain.lab_deltas.confirmed_changes)
    lab_confirmations: tuple[Mapping[str, Any], ...] = ()

    def _option_json(self, option: PlanOption) -> dict[str, Any]:
        """An option as the plan gives it. With prior therapy not recorded every option rests on
        the assumption of none (line 1): it names the field it depends on, and the Decide step
        asks for it (planner.domain.decision.check_decision)."""
        out = option.to_json()
        out["line_assumed"] = self.history.assumed
        out["depends_on_unrecorded"] = ["disease.prior_therapy"] if self.history.assumed else []
        return out

    def to_json(self) -> dict[str, Any]:
        document = self._document()
        document["sources"] = _resolve(cited_source_ids(document), self.source_catalogue)
        return document

    def _document(self) -> dict[str, Any]:
        hepatic = self.hepatic.to_json()
        hepatic["bilirubin_reference_lines"] = [
            {"x_uln": edge, "label": label} for edge, label in self.bilirubin_reference_lines
        ]
        part = self.supportive
        meds = self.medicines
        return {
            "schema": SCHEMA,
            "rules_version": self.rules_version,
            "labels": self.labels,
            "subtype": self.subtype.to_json(),
            "hepatic": hepatic,
            # added by this project: each result confirmed as typed after it jumped, and by whom
            "lab_confirmations": [dict(c) for c in self.lab_confirmations],
            "body": {
                "bsa_m2": self.body.bsa_m2,
                "crcl_ml_min": self.kidney.crcl_ml_min,
                "bsa_formula": self.body.bsa_formula,
                "crcl_formula": self.kidney.formula,
                "bmi": self.body.bmi,
                "weight_change_6_months_percent": self.body.weight_change_6_months_percent,
                # the weights, dates and period the change rests on (null without a change)
                "weight_change_words": self.body.weight_change_words,
            },
            "systemic_therapy": self.systemic_therapy.to_json(),
            "current_therapy": list(self.current_therapy),
            "options": [self._option_json(o) for o in self.options],
            "avoid": [a.to_json() for a in self.avoid],
            "supportive": [] if part is None else [i.to_json() for i in part.items],
            "referrals": [] if part is None else [r.to_json() for r in part.referrals],
            "alerts": [a.to_json() for a in self.alerts],
            # One serializer for follow-up (it carries the review interval's basis); the plan's
            # monitoring list is the merged one, so it replaces the supportive part's.
            "follow_up": {
                **(
                    {"next_review_days": None, "review_reasons": [], "review_basis": []}
                    if part is None
                    else part.follow_up.to_json()
                ),
                "monitoring": [m.item for m in self.monitoring],
                "monitoring_basis": [m.to_json() for m in self.monitoring],
            },
            "gaps": [g.to_json() for g in self.gaps],
            "therapy_history": self.history.to_json(),
            "hidden_options": [h.to_json() for h in self.hidden_options],
            "interactions": [] if part is None else [f.to_json() for f in part.interactions],
            # contract §2a: each current medicine or remedy with its action, and the findings
            # (interactions, cautions, allergies, daily totals) behind them
            "medications": [] if meds is None else [m.to_json() for m in meds.medicines],
            # whether `medications` is empty because she takes none ("none") or because no one
            # recorded them ("not_recorded"; a gap too), or lists them ("listed")
            "medications_recorded": "not_recorded" if meds is None else meds.recorded,
            "medication_findings": [] if meds is None else [f.to_json() for f in meds.findings],
            # every allergy as recorded, matched against a suggestion or not (each printed part
            # lists them), and whether "none" was recorded or nothing was ("not_recorded")
            "allergies": [] if meds is None else [allergy_to_json(a) for a in meds.allergies],
            "allergies_recorded": "not_recorded" if meds is None else meds.allergies_recorded,
            "settings": self.settings,
            # contract §5: present only for a case on treatment (a first plan has none)
            **({} if self.next_cycle is None else {"next_cycle": self.next_cycle.to_json()}),
        }
