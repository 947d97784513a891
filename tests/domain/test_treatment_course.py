"""A treatment course: started from the decided plan, its next cycle's treatment section, and
the doctor's decision (confirmed or overridden)."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain import treatment_course as tc
from planner.domain.instruments.ctcae_terms import ctcae_terms
from planner.domain.problems import InputInvalid
from planner.domain.stored import CourseReview, CycleGiven, StoredCourse

START = {"drug": "capecitabine", "starting_dose": {"value": 1250.0, "unit": "mg/m2"}}


def plan_with(decision: dict | None, drugs: list[dict]) -> dict:
    plan = {
        "options": [
            {"regimen": "capecitabine", "name": "Capecitabine", "rank": 1, "drugs": drugs},
        ],
    }
    if decision is not None:
        plan["decision"] = decision
    return plan


def decision(**kw) -> dict:
    return {
        "course": "option",
        "regimen": "capecitabine",
        "reason": "her choice",
        "decided_by": "Dr A",
        "decided_at": "2026-11-20T10:00",
        **kw,
    }


CAPE = {
    "drug": "capecitabine",
    "status": "standard",
    "dose": {"value": 1250.0, "unit": "mg/m2"},
    "standard_dose": {"value": 1250.0, "unit": "mg/m2"},
    "schedule": "1250 mg/m2 orally twice daily on days 1-14 every 21 days",
    "given": {"route": "orally", "days": list(range(1, 15)), "cycle_days": 21},
}


def course(cycles=(), reviews=()) -> StoredCourse:
    """A stored course: cycle 1 given at the starting dose, then `cycles` and `reviews` (only
    the keys a test is about; the rest filled in)."""
    first = {
        "cycle": 1,
        "given_on": "2026-11-20",
        "drugs": [{"drug": "capecitabine", "dose": START["starting_dose"]}],
    }
    return StoredCourse(
        id=1,
        patient_id=1,
        plan_id=1,
        regimen="capecitabine",
        drugs=(START,),
        cycle_days=21,
        started_on="2026-11-20",
        started_by="nurse",
        started_at="2026-11-20T09:00:00Z",
        reviews=tuple(
            CourseReview(
                id=i + 1,
                course_id=1,
                cycle=r["cycle"],
                day=1,
                reviewed_on="2026-12-11",
                assessment_id=i + 2,
                plan_id=i + 2,
                toxicities=tuple(r.get("toxicities", ())),
                suggested=r.get("suggested", {}),
                decided=r.get("decided", {}),
                outcome="confirmed",
                reason=None,
                signed_by="dr",
                signed_at="2026-12-11T09:00:00Z",
            )
            for i, r in enumerate(reviews)
        ),
        cycles=tuple(
            CycleGiven(
                id=i + 1,
                course_id=1,
                review_id=None if i == 0 else i,
                cycle=c["cycle"],
                given_on=c["given_on"],
                drugs=tuple(c["drugs"]),
                recorded_by="nurse",
                recorded_at=f"{c['given_on']}T09:00:00Z",
            )
            for i, c in enumerate([first, *cycles])
        ),
        stop=None,
    )


def test_a_course_starts_from_the_decided_dose_not_the_suggested_one():
    plan = plan_with(
        decision(
            dose_changes=[
                {"drug": "capecitabine", "value": 1000, "unit": "mg/m2", "reason": "frail"}
            ]
        ),
        [CAPE],
    )
    start = tc.course_start(plan)
    assert start.regimen == "capecitabine"
    assert start.cycle_days == 21
    assert start.drugs == (
        {
            "drug": "capecitabine",
            "starting_dose": {"value": 1000.0, "unit": "mg/m2"},
            "first_dose": {"value": 1000.0, "unit": "mg/m2"},
        },
    )


@pytest.mark.parametrize(
    ("plan", "field"),
    [
        (plan_with(None, [CAPE]), "plan.decision"),
        (
            plan_with({**decision(), "course": "supportive_care", "regimen": None}, [CAPE]),
            "plan.decision",
        ),
        (
            plan_with(decision(), [{**CAPE, "status": "insufficient_data", "dose": None}]),
            "plan.options[capecitabine].drugs[0].dose",
        ),
    ],
)
def test_no_course_without_a_decided_dose(plan, field):
    with pytest.raises(InputInvalid) as raised:
        tc.course_start(plan)
    assert [p.path for p in raised.value.problems] == [field]


def test_the_next_cycle_reads_the_last_dose_given_and_counts_appearances():
    reduced = {"value": 937.5, "unit": "mg/m2"}
    earlier = course(
        cycles=[
            {
                "cycle": 2,
                "given_on": "2026-12-11",
                "drugs": [{"drug": "capecitabine", "dose": reduced}],
            }
        ],
        reviews=[
            {
                "cycle": 2,
                "toxicities": [{"term": "palmar_plantar_erythrodysesthesia", "worst_grade": 2}],
                "suggested": {"graded": [{"term": "neutrophil_count_decreased", "grade": 2}]},
                "decided": {"drugs": [{"drug": "capecitabine", "action": "reduce"}]},
            }
        ],
    )
    section = tc.treatment_section(
        earlier,
        [tc.SideEffect("palmar_plantar_erythrodysesthesia", 2, 1)],
        graded=[
            {"term": "neutrophil_count_decreased", "grade": 2},
            {"term": "anemia", "grade": 0},
            {"term": "alkaline_phosphatase_increased", "grade": 2},  # no such case term
        ],
    )
    assert section["cycle"] == 3
    assert section["drugs"][0]["current_dose"] == reduced
    assert section["drugs"][0]["starting_dose"] == START["starting_dose"]
    assert [(t["term"], t["occurrence"]) for t in section["toxicities"]] == [
        ("palmar_plantar_erythrodysesthesia", 2),
        ("neutrophil_count_decreased", 2),
    ]
    assert [g["cycle"] for g in section["given"]] == [1, 2]
    assert tc.due_on(earlier) == dt.date(2027, 1, 1)


def test_a_review_of_the_same_cycle_again_is_the_same_appearance():
    delayed = course(
        reviews=[
            {"cycle": 2, "toxicities": [{"term": "diarrhea", "worst_grade": 2}], "suggested": {}}
        ]
    )
    assert tc.occurrence(delayed, "diarrhea", 2, cycle=2) == 1
    assert tc.occurrence(delayed, "diarrhea", 2, cycle=3) == 2
    assert tc.occurrence(delayed, "diarrhea", 3, cycle=3) == 1


SUGGESTED = {
    "cycle": 2,
    "day": 1,
    "decision": "give",
    "drugs": [
        {
            "drug": "capecitabine",
            "action": "reduce",
            "dose": {"value": 937.5, "unit": "mg/m2"},
            "percent_of_starting": 75.0,
        }
    ],
    "resume_when": [],
    "recheck_in_days": None,
}


def test_confirming_keeps_the_suggestion_and_a_gap_cannot_be_confirmed():
    assert tc.confirm(SUGGESTED)["drugs"][0]["dose"] == {"value": 937.5, "unit": "mg/m2"}
    with pytest.raises(InputInvalid, match="nothing to confirm"):
        tc.confirm({**SUGGESTED, "decision": "insufficient_data"})


def test_an_override_derives_the_cycle_and_checks_every_field():
    held = tc.override(SUGGESTED, course(), [tc.DecidedDrug("capecitabine", "hold")], "infection")
    assert (held["decision"], held["drugs"][0]["dose"]) == ("delay", None)
    given = tc.override(
        SUGGESTED, course(), [tc.DecidedDrug("capecitabine", "reduce", 625)], "frailer"
    )
    assert given["drugs"][0]["percent_of_starting"] == 50.0
    assert tc.given_drugs(given) == [
        {"drug": "capecitabine", "dose": {"value": 625.0, "unit": "mg/m2"}}
    ]
    with pytest.raises(InputInvalid) as raised:
        tc.override(SUGGESTED, course(), [tc.DecidedDrug("capecitabine", "continue", 1500)], " ")
    assert [p.path for p in raised.value.problems] == [
        "override.reason",
        "override.drugs[0].dose",
    ]
    with pytest.raises(InputInvalid, match="no cycle is given"):
        tc.given_drugs(held)


def test_side_effects_name_the_field():
    with pytest.raises(InputInvalid) as raised:
        tc.check_side_effects(
            [tc.SideEffect("diarrhea", 7), tc.SideEffect("fatigue", 2, 3), tc.SideEffect("itch", 1)]
        )
    assert [str(p) for p in raised.value.problems] == [
        "side_effects[0].worst_grade: 7 is outside 0–5",
        "side_effects[1].current_grade: 3 is not within 0–2 (the worst grade)",
        "side_effects[2].term: 'itch' is not a CTCAE term here",
    ]


def test_every_recordable_term_has_a_plain_description_and_grades(rules):
    terms = ctcae_terms(rules.instruments)
    assert [t.term for t in terms][:3] == [
        "neutrophil_count_decreased",
        "febrile_neutropenia",
        "platelet_count_decreased",
    ]
    hfs = next(t for t in terms if t.term == "palmar_plantar_erythrodysesthesia")
    assert hfs.plain.startswith("Hand-foot syndrome")
    assert hfs.defined_grades() == (1, 2, 3)
    assert "limiting instrumental ADL" in hfs.grades[1]
    febrile = next(t for t in terms if t.term == "febrile_neutropenia")
    assert febrile.defined_grades() == (3, 4, 5)


def test_a_cycle_given_after_today_is_refused_naming_the_field():
    due = dt.date(2026, 12, 11)
    (problem,) = tc.given_on_problems(course(), due, today=dt.date(2026, 12, 7))
    assert (problem.path, problem.message.split(" (")[0]) == (
        "cycle.given_on",
        "11/12/2026 is in the future",
    )
    assert tc.given_on_problems(course(), due, today=due) == []
