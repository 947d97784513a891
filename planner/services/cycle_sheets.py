"""The cycle sheet of a signed cycle review (contract §5, issue 19): what it prints, read from
the record once (`cycle_sheet_source`, on the record's thread), its file name, and the PDF
(`print_cycle_sheet`, any thread: it reads no record). The sheet itself is
`planner.reports.cycle_sheet`; the course and its reviews are `services.treatment_courses`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from planner.domain import treatment_course as tc
from planner.domain.cycle_sheet_source import CycleSheetSource, SheetBody
from planner.domain.plan_document import read_next_cycle, read_plan
from planner.services import clinic_settings
from planner.services.course_views import course_trends
from planner.services.patient_record import PatientRecord
from planner.services.rule_tables import rules
from planner.services.treatment_courses import course_and_review

#: the plan's on-treatment alerts (contract §5), printed on the cycle sheet
CYCLE_ALERTS = ("hys_law", "febrile_neutropenia", "pneumonitis", "cumulative_dose_limit")


def cycle_sheet_source(record: PatientRecord, course_id: int, review_id: int) -> CycleSheetSource:
    """Everything the cycle sheet of a signed review prints, read from the record once (on the
    record's thread) into typed values; rendering it (`print_cycle_sheet`) touches no record."""
    from planner.domain.cycle_findings import LAB_TERMS
    from planner.domain.decision import decided_plan
    from planner.domain.instruments.ctcae_terms import ctcae_terms

    course, review = course_and_review(record, course_id, review_id)
    kept = record.plan(review.plan_id)
    start_plan = record.plan(course.plan_id)
    assert kept is not None
    assert start_plan is not None
    plan = read_plan(kept.plan)
    case = record.case(review.assessment_id) or {}
    base = record.case(start_plan.assessment_id) or {}
    ruleset = rules()
    clinic = clinic_settings.of_record(record)
    course_plan = read_plan(decided_plan(start_plan.plan))
    option = course_plan.option(course.regimen)
    body = dict(case.get("body") or {})
    weight_note = ""
    if body.get("weight_kg") == (base.get("body") or {}).get("weight_kg") and case.get(
        "assessed_on"
    ) != base.get("assessed_on"):
        weight_note = f"as recorded on {base.get('assessed_on')}"
    bsa = plan.body.bsa_m2 if plan.body else None
    decided = review.decided
    given: Any = next((c for c in course.cycles if c.review_id == review_id), None)
    reviewed = dt.date.fromisoformat(review.reviewed_on)
    next_due = None
    if given is not None:
        next_due = (
            dt.date.fromisoformat(given.given_on) + dt.timedelta(days=course.cycle_days)
        ).isoformat()
    recheck = decided.get("recheck_in_days")
    drugs = [str(d["drug"]) for d in course.drugs]
    lab_terms = set(LAB_TERMS.values()) | {"febrile_neutropenia"}  # fever: the call-us box
    watched = {
        term
        for drug in drugs
        for rule in ruleset.cycle.rules.get(drug, ())
        for term in rule.terms
        if term not in lab_terms
    }
    planned = tc.planned_on(course, review.cycle)
    if review.day > 1:
        # a day inside the cycle (walk 24 HARM 1): its own dose on its own day — the sheet's
        # date is that day's, the next round is the cycle after it
        given = next((d for d in course.days_given if d.review_id == review_id), None)
        planned = None if planned is None else planned + dt.timedelta(days=review.day - 1)
        following = tc.planned_on(course, review.cycle + 1)
        next_due = None if following is None else following.isoformat()
    return CycleSheetSource(
        patient={**(case.get("patient") or {}), "assessed_on": case.get("assessed_on")},
        clinic={
            "name": clinic.clinic_name,
            "phone": clinic.clinic_phone,
            "out_of_hours_phone": clinic.out_of_hours_phone,
            # the booklet's "call an ambulance" number, as the plan prints it
            "emergency_phone": clinic.emergency_phone,
            "date_format": clinic.date_format,
        },
        paper=clinic.paper,
        rules_version=plan.rules_version,
        sources=plan.sources,
        course=course,
        course_name=(option.name if option else None) or course.regimen,
        course_plan=course_plan,
        review=review,
        # the signed decision has the suggestion's shape (contract §5 `next_cycle`)
        suggested=read_next_cycle(review.suggested, "review.suggested"),
        decided=read_next_cycle(review.decided, "review.decided"),
        given_on=None if given is None else given.given_on,
        # the day the cycle (or, for a day inside it, that day) is planned for (its date once
        # given): what her page says
        planned_on=None if planned is None else planned.isoformat(),
        next_due=next_due,
        # the days of this cycle she comes in (walk 23 HARM 4: fulvestrant's day-15 injection,
        # palbociclib's day-15 count): a cycle given only — a delayed cycle has no dates yet
        visits=()
        if decided.get("decision") != "give"
        else tuple(tc.cycle_visits(course, start_plan.plan, review.cycle)),
        citations=ruleset.doses.citations,
        recheck_on=None
        if not recheck or decided.get("decision") != "delay"
        else (reviewed + dt.timedelta(days=int(recheck))).isoformat(),
        body=SheetBody(
            bsa_m2=bsa,
            weight_kg=body.get("weight_kg"),
            height_cm=body.get("height_cm"),
            weight_note=weight_note,
        ),
        doses=tc.dose_lines(
            decided,
            course,
            bsa_m2=bsa,
            weight_kg=body.get("weight_kg"),
            tablets={n: t.tablets for n, t in ruleset.doses.drugs.items() if t.tablets},
        ),
        alerts=tuple(a for a in plan.alerts if a.code in CYCLE_ALERTS),
        watch=tuple(t.plain for t in ctcae_terms(ruleset.instruments) if t.term in watched),
        trends=course_trends(record, course, up_to_review=review_id),
        bands=tc.grade_bands(ruleset.instruments),
    )


def cycle_sheet_file_name(source: CycleSheetSource) -> str:
    from planner.services.printing import plan_file_name

    review = source.review
    stem = plan_file_name(dict(source.patient), review.reviewed_on)
    # a day inside the cycle is named for it: its sheet is that day's, not the cycle's
    day = f"_day{review.day}" if review.day > 1 else ""
    return stem.replace("_plan.pdf", f"_cycle{review.cycle}{day}.pdf")


def print_cycle_sheet(
    source: CycleSheetSource, *, invariant: bool = False, audience: str = "both"
) -> bytes:
    """The cycle sheet as PDF bytes (any thread: no record is read). `audience`: "both" (the
    doctor's and pharmacist's pages, then the patient's), "clinician" or "patient"."""
    from planner.reports.cycle_sheet import render_cycle_sheet

    return render_cycle_sheet(source, invariant=invariant, audience=audience)
