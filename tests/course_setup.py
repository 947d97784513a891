"""A patient on a treatment course, for the tests (and benchmarks/bench_review.py) that need one:
the contract's sample patient with a regimen decided by a doctor, and a day's results.

One home for what five modules each wrote out (issue 18: shared fixtures): the labs two ways
(her liver metastases, or normal liver tests) and the plan decided as the doctor would."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from planner.services import kept_plans
from planner.services.patient_record import PatientRecord

DAY = dt.date(2026, 11, 20)
# the clinic's today: after every review date these tests give (none is in the future)
TODAY = dt.date(2027, 6, 30)
HFS = "palmar_plantar_erythrodysesthesia"
DOCTOR = "Dr Karimov (oncologist)"

#: liver tests as the sample patient's metastases leave them (bilirubin 1.4 × ULN, ALT 1.3 × ULN)
LIVER_METASTASES: dict[str, Any] = {
    "bilirubin": {"value": 30, "unit": "umol/L", "uln": 21},
    "ast": {"value": 80, "unit": "U/L", "uln": 40},
    "alt": {"value": 60, "unit": "U/L", "uln": 45},
    "alp": {"value": 300, "unit": "U/L", "uln": 130},
    "albumin": {"value": 32, "unit": "g/L"},
}
#: every liver test within its limit
NORMAL_LIVER: dict[str, Any] = {
    "bilirubin": {"value": 12, "unit": "umol/L", "uln": 21},
    "ast": {"value": 30, "unit": "U/L", "uln": 40},
    "alt": {"value": 30, "unit": "U/L", "uln": 45},
    "alp": {"value": 100, "unit": "U/L", "uln": 130},
    "albumin": {"value": 38, "unit": "g/L"},
}


#: a review's results all within range (the course-window tests type these)
NORMAL_LABS: dict[str, dict[str, Any]] = {
    "anc": {"value": 3.0, "unit": "10^9/L"},
    "platelets": {"value": 220, "unit": "10^9/L"},
    "hemoglobin": {"value": 110, "unit": "g/L"},
    "bilirubin": {"value": 12, "unit": "umol/L", "uln": 21},
    "alt": {"value": 30, "unit": "U/L", "uln": 45},
    "ast": {"value": 30, "unit": "U/L", "uln": 40},
    "alp": {"value": 100, "unit": "U/L", "uln": 130},
    "albumin": {"value": 38, "unit": "g/L"},
    "creatinine": {"value": 70, "unit": "umol/L"},
}


def labs_on(
    day: dt.date,
    *,
    liver: dict[str, Any] = LIVER_METASTASES,
    anc: float = 3.0,
    platelets: float = 220,
    hemoglobin: float = 110,
    inr: float | None = None,
) -> dict[str, Any]:
    """The day's results (`labs` of the contract): `liver`'s tests, creatinine 70 µmol/L and
    the counts given; INR only when given (some tests need it absent)."""
    labs: dict[str, Any] = {"drawn_on": day.isoformat(), **copy.deepcopy(liver)}
    if inr is not None:
        labs["inr"] = {"value": inr}
    labs["creatinine"] = {"value": 70, "unit": "umol/L"}
    labs["anc"] = {"value": anc, "unit": "10^9/L"}
    labs["platelets"] = {"value": platelets, "unit": "10^9/L"}
    labs["hemoglobin"] = {"value": hemoglobin, "unit": "g/L"}
    return labs


def decide_regimen(
    record: PatientRecord,
    raw: dict[str, Any],
    regimen: str = "capecitabine",
    *,
    reason: str = "oral: she prefers tablets",
    by: str | None = DOCTOR,
) -> int:
    """Import `raw`, make its plan and decide `regimen` on it (signed by `by`, else by whoever
    the record is signed in as); the decided plan's id."""
    outcome = record.import_case(copy.deepcopy(raw))
    made = kept_plans.make_and_keep_plan(record, outcome.assessment_id)
    if by is not None:
        record.sign_in_as(by)
    return kept_plans.decide_plan(
        record, made.plan_id, course="option", regimen=regimen, reason=reason
    )


#: weekly vinorelbine's starting dose in the course tests (NAVELBINE US PI §2.2: 25–30 mg/m²)
VINORELBINE_FULL = {"value": 25.0, "unit": "mg/m2"}


def start_vinorelbine_course(record: PatientRecord, raw: dict[str, Any]) -> int:
    """`raw` imported, vinorelbine decided and its weekly course started on DAY at 25 mg/m²
    (cycle 1 given); the course's id."""
    plan_id = decide_regimen(record, raw, reason="oral, at home")
    return record.keep_course_start(
        patient_id=record.patient_id(raw["patient"]["mrn"]),
        plan_id=plan_id,
        regimen="vinorelbine",
        drugs=[{"drug": "vinorelbine", "starting_dose": VINORELBINE_FULL}],
        cycle_days=7,
        started_on=DAY.isoformat(),
        first_cycle=[{"drug": "vinorelbine", "dose": VINORELBINE_FULL}],
    )
