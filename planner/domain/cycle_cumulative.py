"""The lifetime ledger of anthracyclines before a cycle is given (step 5 of
`planner.domain.cycle_review`): what she has had, in doxorubicin equivalents, before this
course and in it, what this cycle would add, and the limit; a drug whose cycle would pass it
is stopped, one whose total cannot be counted, or whose limit an unrecorded input could lower
below the total, is left undecided.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.domain.case import Case, Treatment
from planner.domain.cycle_drug import DrugDecision
from planner.domain.cycle_tables import shown
from planner.domain.evidence import Gap
from planner.domain.frozen_value import frozen_value
from planner.domain.givable import anthracycline_factor, lifetime_limit, prior_anthracycline
from planner.domain.hard_limit_tables import HardLimitTables
from planner.domain.settings import ClinicSettings

COUNT_UNKNOWN = "{drug}: the lifetime anthracycline dose cannot be counted; no dose is printed"


@frozen_value
class CumulativeDose:
    drug: str
    unit: str
    total: float  # given so far, in doxorubicin equivalents (before this course and in it)
    after_this_cycle: float | None
    limit: float
    text: str

    def to_json(self) -> dict[str, Any]:
        return {
            "drug": self.drug,
            "total": {"value": round(self.total, 1), "unit": self.unit},
            "after_this_cycle": None
            if self.after_this_cycle is None
            else {"value": round(self.after_this_cycle, 1), "unit": self.unit},
            "limit": {"value": self.limit, "unit": self.unit},
            "equivalent_of": "doxorubicin",
            "text": self.text,
        }


def cumulative_doses(
    case: Case,
    treatment: Treatment,
    decisions: Mapping[str, DrugDecision],
    tables: HardLimitTables,
    settings: ClinicSettings,
) -> tuple[list[CumulativeDose], list[Gap], dict[str, str], dict[str, str]]:
    """The lifetime ledger of anthracyclines in the regimen, before this cycle is given: the
    ledger rows, the gaps, the drugs it stops and the drugs it leaves undecided (each with why)."""
    out: list[CumulativeDose] = []
    gaps: list[Gap] = []
    stops: dict[str, str] = {}
    undecided: dict[str, str] = {}
    anthracyclines = [d.drug for d in treatment.drugs if d.drug in tables.equivalents]
    if not anthracyclines:
        return out, gaps, stops, undecided
    before, before_gaps, before_text = prior_anthracycline(case, tables, settings)
    if before is None:
        for drug in anthracyclines:
            gaps.extend(before_gaps)
            undecided[drug] = COUNT_UNKNOWN.format(drug=drug)
        return out, gaps, stops, undecided
    in_course = 0.0
    for i, given in enumerate(treatment.given):
        for j, item in enumerate(given.drugs):
            if item.drug not in tables.equivalents:
                continue
            if item.dose.unit != "mg/m2":
                gaps.append(
                    Gap(
                        f"treatment.given[{i}].drugs[{j}].dose.unit",
                        f"{item.dose.unit}: the lifetime ledger counts mg/m2; no dose is printed",
                    )
                )
                undecided[item.drug] = COUNT_UNKNOWN.format(drug=item.drug)
                continue
            in_course += item.dose.value * anthracycline_factor(tables, settings, item.drug)
    prior_drugs = frozenset(
        d for t in (case.disease.prior_therapy or () if case.disease else ()) for d in t.drugs
    )
    mediastinal = None if case.disease is None else case.disease.mediastinal_radiotherapy
    limit, why = lifetime_limit(tables, prior_drugs, [d.drug for d in treatment.drugs], mediastinal)
    total = before + in_course
    for drug in anthracyclines:
        decision = decisions.get(drug)
        on = treatment.drug(drug)
        # the dose this cycle gives; where the review names none, the current dose (doses never
        # rise in a review, so it is the most this cycle could add)
        dose = None if decision is None else decision.dose
        if dose is None and on is not None:
            dose = on.current_dose
        factor = anthracycline_factor(tables, settings, drug)
        after = None if dose is None or dose.unit != "mg/m2" else total + dose.value * factor
        text = (
            f"{before_text}; this course {shown(in_course)} mg/m2 doxorubicin equivalents "
            f"(treatment.given); {why}"
        )
        out.append(CumulativeDose(drug, "mg/m2", total, after, limit, text))
        if total >= limit:
            stops[drug] = (
                f"lifetime anthracycline limit reached: {shown(total)} ≥ {shown(limit)} mg/m2 "
                f"doxorubicin equivalents ({text})"
            )
        elif after is not None and after > limit:
            stops[drug] = (
                f"this cycle would pass the lifetime anthracycline limit: {shown(total)} + "
                f"{shown(after - total)} = {shown(after)} > {shown(limit)} mg/m2 doxorubicin "
                f"equivalents ({text})"
            )
        elif (
            mediastinal is None
            and tables.ledger.lower_after_mediastinal_radiotherapy
            and limit > tables.ledger.lower_limit_mg_m2
            and (total if after is None else after) > tables.ledger.lower_limit_mg_m2
        ):
            # not recorded is not "none" (rule 2): the lower limit would decide, so the cycle
            # is not given until it is recorded, as the first plan gives no dose (rx23 F2)
            lower = shown(tables.ledger.lower_limit_mg_m2)
            reached = shown(total if after is None else after)
            gaps.append(
                Gap(
                    "disease.mediastinal_radiotherapy",
                    f"not recorded: {reached} mg/m2 doxorubicin equivalents with this dose "
                    f"would pass the {lower} mg/m2 limit after mediastinal radiotherapy; "
                    f"{drug}: no dose is printed",
                )
            )
            undecided[drug] = (
                f"{drug}: whether she had mediastinal radiotherapy is not recorded, and it "
                f"decides: {reached} mg/m2 doxorubicin equivalents after this cycle is within "
                f"the {shown(limit)} mg/m2 limit but passes the {lower} mg/m2 limit after "
                f"mediastinal radiotherapy ({text}); no dose is printed until it is recorded"
            )
    return out, gaps, stops, undecided
