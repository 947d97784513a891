"""What a review form asks only where a drug of the course reads it (contract §5, issue 19): the
measures a cycle or dose table reads -> the form's fields (`fields_needed`), and the LVEF last
measured in the course (`latest_lvef`), which the review carries when it is not measured today.
`services.treatment_courses` builds the review's case from these; the course window asks them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from planner.domain.frozen_value import frozen_value
from planner.domain.lvef_age import LvefAge, lvef_age, lvef_interval
from planner.domain.stored import StoredCourse
from planner.services.patient_record import PatientRecord
from planner.services.rule_tables import rules

#: what the review form asks only where a drug of the course reads it: the measure a cycle
#: table (the bevacizumab table's blood pressure and urine protein, the LVEF of the HER2 drugs)
#: or a dose table (Child–Pugh, the LVEF) reads -> the form's fields
ASKED_WHEN_NEEDED: Mapping[str, tuple[str, ...]] = {
    "systolic_bp": ("clinical.systolic_bp_mmhg",),
    "diastolic_bp": ("clinical.diastolic_bp_mmhg",),
    "urine_dipstick_protein": ("clinical.urine_dipstick_protein",),
    "urine_protein_g_24h": ("labs.urine_protein_24h",),
    "child_pugh": ("labs.inr", "clinical.ascites", "clinical.encephalopathy"),
    "lvef_percent": ("clinical.lvef_percent",),
    "lvef_drop_points": ("clinical.lvef_percent",),
}
#: every field of `ASKED_WHEN_NEEDED`
ASKED_FIELDS = frozenset(f for fields in ASKED_WHEN_NEEDED.values() for f in fields)
LVEF_FIELD = "clinical.lvef_percent"


def fields_needed(course: StoredCourse) -> frozenset[str]:
    """The form's fields of `ASKED_WHEN_NEEDED` that a drug of this course reads: in its cycle
    table's rows, or in its dose table's bands (checked again at every review)."""
    ruleset = rules()
    drugs = [str(d["drug"]) for d in course.drugs]
    measures = set(ruleset.cycle.measures_of(drugs))
    for drug in drugs:
        table = ruleset.doses.drugs.get(drug)
        if table is not None:
            measures |= {c.measure for band in table.bands for c in band.when}
    return frozenset(f for m, fields in ASKED_WHEN_NEEDED.items() if m in measures for f in fields)


@frozen_value
class MeasuredLvef:
    """The last LVEF measured in a course, and the day it was recorded."""

    percent: float
    measured_on: str


def latest_lvef(record: PatientRecord, course: StoredCourse) -> MeasuredLvef | None:
    """The LVEF last measured in the course: her assessment's, or a later review's where it was
    entered (a review that did not measure it carried the one before, unchanged)."""
    start = record.plan(course.plan_id)
    cases = [] if start is None else [record.case(start.assessment_id) or {}]
    cases += [record.case(r.assessment_id) or {} for r in course.reviews]
    found: MeasuredLvef | None = None
    for case in cases:
        value = (case.get("clinical") or {}).get("lvef_percent")
        if isinstance(value, int | float) and (found is None or value != found.percent):
            found = MeasuredLvef(float(value), str(case.get("assessed_on") or ""))
    return found


def carried_lvef_age(course: StoredCourse, last: MeasuredLvef, reviewed_on: dt.date) -> LvefAge:
    """How old the LVEF `last` is at a review of `reviewed_on`, against the monitoring interval
    of the course's drugs (regimens.toml: every 3 months for HER2-directed therapy)."""
    ruleset = rules()
    interval = lvef_interval(
        (str(d["drug"]) for d in course.drugs),
        ruleset.regimens.monitoring.values(),
        ruleset.drugs,
    )
    return lvef_age(last.percent, dt.date.fromisoformat(last.measured_on), reviewed_on, interval)


def lvef_note(age: LvefAge) -> str:
    """The review's note on a carried LVEF: its date, its age, due or not, with its sources."""
    if not age.sources:
        return age.words()
    cited = "; ".join(rules().regimens.cite(s) for s in age.sources)
    return f"{age.words()} (source: {cited})"


def carried_lvef(
    record: PatientRecord, course: StoredCourse, reviewed_on: dt.date
) -> tuple[float | None, str]:
    """For a review that did not measure the LVEF: the last one measured in the course, with
    its date and age (the note); older than the drugs' monitoring interval it is due — not read
    as today's (None: a gap for the rows that need it, never a pass)."""
    latest = latest_lvef(record, course)
    if latest is None:
        return None, ""
    age = carried_lvef_age(course, latest, reviewed_on)
    return (None if age.due else latest.percent), lvef_note(age)
