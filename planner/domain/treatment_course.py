"""A treatment course (contract §5) as the record keeps it, and the cycle review made from it.

Why one module: everything here reads and writes the one shape the record keeps for a course
(`StoredCourse`, contract §5): its start from the decided plan, the case its next review reads, the
clinician's confirm or override of that review, the checks on its dates and the dose lines printed
from it. The cycle review itself (the suggestion) is `cycle_review`; this is the course it is made
from and decided into.

A course is started from a plan's decided option — never retyped: the regimen, its drugs and
their starting doses are the decided plan's — and its first cycle is the one that plan decided.
Before each later cycle the nurse enters the day's labs and side effects; `treatment_section`
turns the course (cycles given, earlier reviews) and that entry into the case's `treatment`,
the engine suggests `next_cycle`, and the doctor confirms it or overrides it with a reason
(`confirm` / `override`), signed. A cycle given is recorded with the decided doses only
(`given_drugs`).

Everything here is pure: the record's rows come in typed (`planner.domain.stored.StoredCourse`),
the results go back as plain JSON-ready dicts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from planner.domain.case import TOXICITY_TERMS
from planner.domain.cycle_visits import CycleVisit, visits
from planner.domain.dates import show_date
from planner.domain.decision import decided_plan, plan_course
from planner.domain.frozen_value import frozen_value
from planner.domain.limits import CaseLimits
from planner.domain.problems import InputInvalid, Problem
from planner.domain.stored import CourseReview, StoredCourse
from planner.domain.tablets import TabletDose, TabletForm, tablet_dose

#: what the doctor may decide for a drug (a gap is never a decision: not `insufficient_data`)
DECIDED_ACTIONS = ("continue", "reduce", "increase", "hold", "discontinue")
_DOSED_ACTIONS = ("continue", "reduce", "increase")  # the drug is given this cycle, at `dose`


@frozen_value
class CourseStart:
    """What a course starts with, read off the decided plan."""

    regimen: str
    name: str
    # {"drug", "starting_dose": the label's 100 %, "first_dose": the decided plan's dose for the
    # first cycle (below the 100 % where her liver or kidneys asked for less)}
    drugs: tuple[dict[str, Any], ...]
    left_out: tuple[str, ...]  # drugs of the option the decision holds (not in the course)
    # the cycle length every drug's schedule states (drugs[].given.cycle_days), or the regimen
    # table's where the drugs agree with it; None when a schedule states none or they differ:
    # then it is asked, never guessed
    cycle_days: int | None = None


def course_start(plan: Mapping[str, Any], regimen_cycle_days: int | None = None) -> CourseStart:
    """The regimen and starting doses of the kept plan's decided option; InputInvalid when the
    plan has no decided option, or a drug of it has no dose (a gap is never a dose).
    `regimen_cycle_days`: the regimen table's cycle (`Regimen.cycle_days`), taken where every
    drug's schedule that states a cycle states the same one."""
    document = decided_plan(plan)
    course = plan_course(document)
    if course.leads != "decided_option" or course.option is None or course.decision is None:
        why = (
            "best supportive care was decided (no systemic therapy)"
            if course.leads == "supportive_care"
            else "no option is decided yet: decide the plan first"
        )
        raise InputInvalid((Problem("plan.decision", why),))
    option = course.option
    held = {h.drug for h in course.decision.held}
    changed = {c.drug for c in course.decision.dose_changes}
    drugs: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for i, drug in enumerate(option.get("drugs") or ()):
        name = str(drug.get("drug"))
        if name in held:
            continue
        dose = drug.get("dose")
        if not dose or dose.get("value") is None:
            problems.append(
                Problem(
                    f"plan.options[{option.get('regimen')}].drugs[{i}].dose",
                    f"{name} has no dose in the decided plan "
                    f"({str(drug.get('status')).replace('_', ' ')}): a course cannot start "
                    "without it; record what is missing and make the plan again",
                )
            )
            continue
        first = {"value": float(dose["value"]), "unit": str(dose["unit"])}
        drugs.append(
            {
                "drug": name,
                "starting_dose": first if name in changed else _label_start(drug, first),
                "first_dose": first,
            }
        )
    if not drugs and not problems:
        problems.append(Problem("plan.decision.held", "every drug of the option is held"))
    if problems:
        raise InputInvalid(tuple(problems))
    lengths = {
        (d.get("given") or {}).get("cycle_days")
        for d in option.get("drugs") or ()
        if d.get("drug") not in held
    }
    (length,) = lengths if len(lengths) == 1 else (None,)
    if regimen_cycle_days is not None and lengths - {None} <= {regimen_cycle_days}:
        # a drug not given in cycles (fulvestrant monthly, letrozole daily) follows the cycle the
        # regimen table states (walk 23 #19: "not set" beside palbociclib's 28 days)
        length = regimen_cycle_days
    return CourseStart(
        regimen=str(option.get("regimen")),
        name=str(option.get("name") or option.get("regimen")),
        drugs=tuple(drugs),
        left_out=tuple(sorted(held)),
        cycle_days=length if isinstance(length, int) and not isinstance(length, bool) else None,
    )


def with_label_starts(course: StoredCourse, plan: Mapping[str, Any]) -> StoredCourse:
    """`course` as the review reads it. A course kept before a course's 100 % was the label's
    full dose (nurse19 re-review) holds the plan's organ-adapted first dose as its 100 %: the
    review then cut that dose again for the same liver (12.5 × 50 % = 6.25 mg/m²) and never
    returned to the label's dose. Such a drug — its starting dose is the plan's first dose, and
    the plan's option names a different label dose, not one the doctor chose on deciding — is
    read with the label's starting dose, and keeps what was recorded as `kept_starting_dose` so
    the window says so. The record is not changed; a course started since is returned as it is."""
    try:
        offered = {str(d["drug"]): d for d in course_start(plan).drugs}
    except InputInvalid:
        return course
    drugs = []
    for drug in course.drugs:
        offer = offered.get(str(drug["drug"]))
        if (
            offer is not None
            and drug["starting_dose"] == offer["first_dose"]
            and offer["starting_dose"] != offer["first_dose"]
        ):
            drug = {
                **drug,
                "starting_dose": dict(offer["starting_dose"]),
                "kept_starting_dose": dict(drug["starting_dose"]),
            }
        drugs.append(drug)
    if all("kept_starting_dose" not in d for d in drugs):
        return course
    return dataclasses.replace(course, drugs=tuple(drugs))


def _label_start(drug: Mapping[str, Any], first: dict[str, Any]) -> dict[str, Any]:
    """The course's 100 % (contract §5 `starting_dose`): the label's full starting dose (the
    option's `standard_dose`, dose level 0), not the plan's organ-adapted dose. A liver or kidney
    reduction belongs to the day's function, which the cycle review reads again each cycle (the
    Navelbine label: 50 % of the starting dose at bilirubin 2.1–3 mg/dL, and with a count
    reduction too, the lower of the two); baked into the 100 % it would be cut twice and never
    lifted. Without a standard dose in the same unit, the plan's dose is the 100 %; so is a dose
    the doctor changed on deciding (`decision.dose_changes`: the start the doctor chose)."""
    standard = drug.get("standard_dose") or {}
    if standard.get("value") is None or str(standard.get("unit")) != first["unit"]:
        return dict(first)
    return {"value": float(standard["value"]), "unit": first["unit"]}


def check_cycle_days(cycle_days: Any, limits: CaseLimits) -> int:
    """The cycle length as a whole number of days within the case's limits, or InputInvalid."""
    bounds = limits.fields["treatment.cycle_days"]
    if isinstance(cycle_days, bool) or not isinstance(cycle_days, int):
        raise InputInvalid((Problem("course.cycle_days", "is required: the days of one cycle"),))
    if not bounds.low <= cycle_days <= bounds.high:
        raise InputInvalid(
            (
                Problem(
                    "course.cycle_days",
                    f"{cycle_days} is outside {bounds.low:g}–{bounds.high:g} days",
                ),
            )
        )
    return cycle_days


# ---- the course's state, from its rows ------------------------------------------------------


def next_cycle_number(course: StoredCourse) -> int:
    return 1 + max((c.cycle for c in course.cycles), default=0)


def review_cycle(course: StoredCourse, day: int) -> int:
    """The cycle a review of `day` decides (walk 24 HARM 1): day 1 is the next cycle's (its
    day-1 dose is still to be given); a later day is a day of the cycle given last, the one in
    progress (a day-8 review on 15/12 of a cycle given on 08/12 is cycle 1, day 8 — it was filed
    and printed as cycle 2, day 8, its day-8 reduction as the next round's dose)."""
    if day > 1 and course.cycles:
        return max(c.cycle for c in course.cycles)
    return next_cycle_number(course)


def day_given(course: StoredCourse, cycle: int, day: int) -> bool:
    """Whether the dose of `day` of `cycle` is recorded as given (day 1: the cycle itself)."""
    if day == 1:
        return any(c.cycle == cycle for c in course.cycles)
    return any(d.cycle == cycle and d.day == day for d in course.days_given)


def _visit_closed(course: StoredCourse, visit: CycleVisit) -> bool:
    """A day inside a cycle is closed once its dose is given, or its signed review decided not
    to give one (a delay or an omitted day-8 dose)."""
    if day_given(course, visit.cycle, visit.day):
        return True
    review = visit_review(course, visit)
    return review is not None and review.decided.get("decision") != "give"


@frozen_value
class VisitToday:
    """Which visit of the course a review on `on` is for, from the course's calendar (walk 24
    #8: the form opened on day 1 whatever the date): the cycle and its day, and when the
    visit is not due yet, the day it is due (the form says so; the review may be early)."""

    cycle: int
    day: int
    due_on: dt.date | None  # the visit's date (None: the course's calendar cannot say)
    early: bool  # the visit is after `on`


def visit_today(
    course: StoredCourse, on: dt.date, visit_days: Sequence[CycleVisit] = ()
) -> VisitToday:
    """The visit a review on `on` is for. `visit_days`: the days she comes in inside the cycle
    given last (`cycle_visits`). A day inside it not yet given whose date is `on` or past is
    that day (the latest of them); else the next visit to come, a day inside the cycle or the
    next cycle's day 1 — said to be early, with its date."""
    nxt = next_cycle_number(course)
    planned = planned_on(course, nxt)
    inside = []
    if course.cycles:
        last = max(c.cycle for c in course.cycles)
        inside = [
            v
            for v in visit_days
            if v.cycle == last
            and v.day > 1
            and v.on is not None
            and (planned is None or v.on < planned)
            and not _visit_closed(course, v)
        ]
    if planned is None or on < planned:
        past = [v for v in inside if v.on is not None and v.on <= on]
        if past:
            latest = max(past, key=lambda v: v.day)
            return VisitToday(latest.cycle, latest.day, latest.on, early=False)
        if inside:
            first = min(inside, key=lambda v: v.day)
            return VisitToday(first.cycle, first.day, first.on, early=True)
    return VisitToday(nxt, 1, planned, early=planned is not None and planned > on)


def discontinued(course: StoredCourse) -> set[str]:
    """Drugs a signed review discontinued: they leave the regimen for the rest of the course."""
    return {
        str(d["drug"])
        for review in course.reviews
        for d in review.decided.get("drugs") or ()
        if d.get("action") == "discontinue"
    }


def current_doses(course: StoredCourse) -> dict[str, dict[str, Any]]:
    """Each drug's dose in the last cycle it was given (its starting dose before any)."""
    return doses_before(course, next_cycle_number(course))


@frozen_value
class DoseNow:
    """A drug's dose as the course stands (the course window's header). `came_from`: "given"
    (the last cycle given; the starting dose before any), "delay" (given on `on` at a signed
    delay) or "signed" (the signed decision for `cycle`, reviewed on `on`, whose `action` is
    the drug's: a held drug's dose is its restart dose; None where none is decided, and for a
    discontinued drug)."""

    drug: str
    dose: dict[str, Any] | None
    came_from: str = "given"
    cycle: int | None = None
    on: str | None = None
    action: str | None = None


def doses_now(course: StoredCourse) -> list[DoseNow]:
    """Each drug's dose as the course stands: what was given at a signed delay since the last
    cycle, else the signed decision in force for the next cycle where it decides the drug, else
    the last cycle given's (its starting dose before any). print24: after a delay-day review
    lowered palbociclib's restart dose and gave fulvestrant its injection, the window's header
    still said the starting doses."""
    upcoming = next_cycle_number(course)
    signed = signed_in_force(course, upcoming)
    decided = {str(d["drug"]): d for d in (signed.decided.get("drugs") if signed else ()) or ()}
    at_delay = {
        str(d["drug"]): (row.given_on, dict(d["dose"]))
        for row in course.given_at_delay
        for d in row.drugs
        if d.get("dose") and row.cycle >= upcoming
    }
    out = []
    for name, dose in current_doses(course).items():
        entry = decided.get(name)
        if name in at_delay:  # what was given is what she has now, whatever was signed
            on, given = at_delay[name]
            out.append(DoseNow(name, given, "delay", upcoming, on))
        elif signed is not None and entry is not None:
            action = str(entry.get("action"))
            shown = entry.get("dose") if action != "discontinue" else None
            out.append(
                DoseNow(
                    name,
                    None if shown is None else dict(shown),
                    "signed",
                    upcoming,
                    signed.reviewed_on,
                    action,
                )
            )
        else:
            out.append(DoseNow(name, dose))
    return out


def doses_before(course: StoredCourse, cycle: int) -> dict[str, dict[str, Any]]:
    """Each drug's dose in the last cycle before `cycle` it was given (its starting dose before
    any): what a decision for `cycle` is higher, the same as or lower than."""
    doses = {str(d["drug"]): dict(d["starting_dose"]) for d in course.drugs}
    for given_cycle in sorted(course.cycles, key=lambda c: c.cycle):
        if given_cycle.cycle >= cycle:
            break
        for given in given_cycle.drugs:
            doses[str(given["drug"])] = dict(given["dose"])
    return doses


def doses_for(course: StoredCourse, cycle: int, day: int = 1) -> dict[str, dict[str, Any]]:
    """What a decision for `day` of `cycle` is compared with: day 1, the doses of the last
    cycle before it; a later day, the day-1 doses of `cycle` itself (its day 8 is that cycle's)."""
    return doses_before(course, cycle + 1 if day > 1 else cycle)


#: the action that says what a given drug's dose did against the last cycle given: the words
#: of a decision follow the dose (review 19c: a dose doubled back to 100 % was signed and
#: printed as "give, reduced", and her page said it was lower than before)
ACTION_OF_CHANGE = {"higher": "increase", "same": "continue", "lower": "reduce"}
#: a decided action in words (the signed summary, the override's refusals)
ACTION_WORDS = {
    "continue": "give, same dose",
    "reduce": "give, reduced dose",
    "increase": "give, higher dose",
    "hold": "hold",
    "discontinue": "discontinue",
}


def dose_change(dose: Mapping[str, Any] | None, last: Mapping[str, Any] | None) -> str | None:
    """ "higher", "same" or "lower": `dose` against `last` (the last cycle given); None when
    either is missing or their units differ (nothing to compare)."""
    if not dose or not last or dose.get("unit") != last.get("unit"):
        return None
    now, before = round(float(dose["value"]), 6), round(float(last["value"]), 6)
    return "higher" if now > before else "lower" if now < before else "same"


def given_action(
    action: str, dose: Mapping[str, Any] | None, last: Mapping[str, Any] | None
) -> str:
    """A given drug's action as its dose says it against the last cycle given (`action` itself
    for a held or discontinued drug, or where there is nothing to compare)."""
    change = dose_change(dose, last) if action in _DOSED_ACTIONS else None
    return action if change is None else ACTION_OF_CHANGE[change]


def last_given_on(course: StoredCourse) -> dt.date | None:
    days = [dt.date.fromisoformat(c.given_on) for c in course.cycles]
    return max(days) if days else None


def planned_on(course: StoredCourse, cycle: int) -> dt.date | None:
    """The day `cycle` is given, or is planned for: its own date once given, else the cycle
    before it plus one cycle (the course's start for cycle 1); None where neither is known —
    never the day its review's blood was drawn (walk 21 H4)."""
    dates = {c.cycle: dt.date.fromisoformat(c.given_on) for c in course.cycles}
    if cycle in dates:
        return dates[cycle]
    if cycle - 1 in dates:
        return dates[cycle - 1] + dt.timedelta(days=course.cycle_days)
    if cycle == 1 and course.started_on:
        return dt.date.fromisoformat(course.started_on)
    return None


def cycle_visits(course: StoredCourse, plan: Mapping[str, Any], cycle: int) -> list[CycleVisit]:
    """The days of `cycle` she comes in (walk 23 HARM 4): from the structured schedules
    (`given`) of the course's drugs in the decided option of `plan`, the plan it was started
    from; a drug a signed review discontinued sets no day."""
    option = plan_course(decided_plan(plan)).option or {}
    running = {str(d["drug"]) for d in course.drugs} - discontinued(course)
    drugs = [
        (str(d.get("drug")), d.get("given") or {}, *_schedule_basis(d))
        for d in option.get("drugs") or ()
        if str(d.get("drug")) in running
    ]
    return visits(drugs, cycle, course.cycle_days, planned_on(course, cycle))


def visit_review(course: StoredCourse, visit: CycleVisit) -> CourseReview | None:
    """The signed review that did a day she comes in inside a cycle (None: not done yet): the
    latest review of that day of the cycle, signed on or after the cycle's first day and before
    the next cycle was given. A review inside a cycle is kept under the cycle's number or the
    next one's (the window numbers a review by the cycle still to come), so the day and the
    dates decide, not the number alone. Today's work and the course window both ask this."""
    if visit.on is None:
        return None
    start = visit.on - dt.timedelta(days=visit.day - 1)
    following = [
        dt.date.fromisoformat(c.given_on) for c in course.cycles if c.cycle == visit.cycle + 1
    ]
    found = [
        r
        for r in course.reviews
        if r.day == visit.day
        and r.cycle in (visit.cycle, visit.cycle + 1)
        and start <= dt.date.fromisoformat(r.reviewed_on)
        and not any(on <= dt.date.fromisoformat(r.reviewed_on) for on in following)
    ]
    return found[-1] if found else None


def _schedule_basis(drug: Mapping[str, Any]) -> tuple[tuple[str, ...], bool]:
    """The citations of a plan row's schedule (its `drug:schedule` basis rows) and whether each
    was verified."""
    name = f"{drug.get('drug')}:"
    rows = [
        b
        for b in drug.get("basis") or ()
        if str(b.get("rule", "")).startswith(name) and not str(b.get("rule")).endswith(":counts")
    ]
    return tuple(str(b.get("source")) for b in rows), all(b.get("verified") for b in rows)


def due_on(course: StoredCourse) -> dt.date | None:
    """When the next cycle is due: the last cycle's date plus one cycle."""
    last = last_given_on(course)
    return None if last is None else last + dt.timedelta(days=course.cycle_days)


@frozen_value
class SideEffect:
    """A side effect the nurse enters at a review (CTCAE v5 term and grades)."""

    term: str
    # None: a side effect picked and its worst grade not chosen — a gap, never grade 1 (walk 21
    # H1: a grade nobody chose decided between giving and stopping)
    worst_grade: int | None
    current_grade: int | None = None
    drug: str | None = None
    days: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "worst_grade": self.worst_grade,
            "current_grade": self.current_grade,
            "drug": self.drug,
            "days": self.days,
        }


def check_side_effects(effects: Sequence[SideEffect]) -> None:
    """Names the field of every side effect that cannot be used (InputInvalid)."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, effect in enumerate(effects):
        where = f"side_effects[{i}]"
        if effect.term not in TOXICITY_TERMS:
            problems.append(Problem(f"{where}.term", f"{effect.term!r} is not a CTCAE term here"))
        if effect.term in seen:
            problems.append(Problem(f"{where}.term", f"{effect.term} is entered twice"))
        seen.add(effect.term)
        if effect.worst_grade is None:
            problems.append(
                Problem(
                    f"{where}.worst_grade",
                    f"worst grade not chosen for {effect.term.replace('_', ' ')}: the side "
                    "effect cannot be weighed without it, so there is no decision until it is "
                    "chosen",
                )
            )
            continue
        if not 0 <= effect.worst_grade <= 5:
            problems.append(Problem(f"{where}.worst_grade", f"{effect.worst_grade} is outside 0–5"))
        if effect.current_grade is not None and not (
            0 <= effect.current_grade <= effect.worst_grade
        ):
            problems.append(
                Problem(
                    f"{where}.current_grade",
                    f"{effect.current_grade} is not within 0–{effect.worst_grade} (the worst grade)",
                )
            )
    if problems:
        raise InputInvalid(tuple(problems))


def occurrence(course: StoredCourse, term: str, grade: int, cycle: int) -> int:
    """How many times `term` has reached `grade` in the course, this time included (contract
    §5): one for each earlier cycle whose signed review found it at that grade (entered, or
    graded from the labs). Reviews of this same cycle (a delay, then the review again) are the
    same episode, not another appearance."""
    cycles = set()
    for review in course.reviews:
        if review.cycle >= cycle:
            continue
        grades = [
            int(t.get("worst_grade", -1)) for t in review.toxicities if t.get("term") == term
        ] + [
            int(g.get("grade", -1))
            for g in review.suggested.get("graded") or ()
            if g.get("term") == term
        ]
        if grade in grades:
            cycles.add(review.cycle)
    return len(cycles) + 1


def treatment_section(
    course: StoredCourse,
    effects: Sequence[SideEffect],
    *,
    day: int = 1,
    graded: Iterable[Mapping[str, Any]] = (),
    baseline_lvef_percent: float | None = None,
) -> dict[str, Any]:
    """The case's `treatment` (contract §5) for the next cycle of `course`, with the side
    effects entered today. `graded`: the laboratory grades a first run of the engine found
    today (`next_cycle.graded`): each graded term at grade 1 or more that was not entered is
    added with its occurrence in this course, since the labels' tables count appearances.
    `baseline_lvef_percent`: her LVEF before the course (the labels' "fall from baseline")."""
    cycle = review_cycle(course, day)
    gone = discontinued(course)
    doses = current_doses(course)
    toxicities = []
    for effect in effects:
        entry = effect.to_json()
        assert effect.worst_grade is not None, "check_side_effects refuses a grade not chosen"
        entry["occurrence"] = occurrence(course, effect.term, effect.worst_grade, cycle)
        toxicities.append(entry)
    entered = {e.term for e in effects}
    for found in graded:
        term, grade = str(found.get("term")), int(found.get("grade") or 0)
        if term in TOXICITY_TERMS and term not in entered and grade >= 1:
            toxicities.append(
                {
                    "term": term,
                    "worst_grade": grade,
                    "current_grade": grade,
                    "occurrence": occurrence(course, term, grade, cycle),
                    "drug": None,
                    "days": None,
                }
            )
    section: dict[str, Any] = {
        "regimen": course.regimen,
        "cycle": cycle,
        "cycle_days": course.cycle_days,
        "day": day,
        "started_on": course.started_on,
        "drugs": [
            {
                "drug": d["drug"],
                "starting_dose": d["starting_dose"],
                "current_dose": doses[str(d["drug"])],
            }
            for d in course.drugs
            if d["drug"] not in gone
        ],
        "given": [
            {
                "cycle": c.cycle,
                "given_on": c.given_on,
                "drugs": [{"drug": d["drug"], "dose": d["dose"]} for d in c.drugs],
            }
            for c in sorted(course.cycles, key=lambda c: c.cycle)
        ],
        "toxicities": toxicities,
    }
    if baseline_lvef_percent is not None:
        section["baseline_lvef_percent"] = baseline_lvef_percent
    return section


#: the clinical findings measured at the review itself (the bevacizumab table's blood pressure
#: and urine dipstick): today's or none — never the assessment's, which may be months old
TODAY_CLINICAL = ("systolic_bp_mmhg", "diastolic_bp_mmhg", "urine_dipstick_protein")
#: the findings a review asks only where a drug of the course reads them (Child–Pugh's ascites
#: and encephalopathy, the LVEF): where asked, the review's value or none replaces the
#: assessment's (the caller carries a measurement forward itself, saying so: the LVEF)
ASKED_CLINICAL = ("ascites", "encephalopathy", "lvef_percent")


def review_case(
    base: Mapping[str, Any],
    course: StoredCourse,
    labs: Mapping[str, Any],
    *,
    reviewed_on: dt.date,
    treatment: Mapping[str, Any],
    weight_kg: float | None = None,
    earlier_panels: Iterable[Mapping[str, Any]] = (),
    clinical_today: Mapping[str, Any] | None = None,
    asked_today: Iterable[str] = (),
) -> dict[str, Any]:
    """Today's case for the review: the course's base assessment (patient, body, biology,
    disease, clinical, medicines, preferences) dated today, with today's labs and weight, the
    earlier panels as `previous_labs` (so CTCAE grades against her own abnormal baseline), and
    the treatment section. Today's symptoms, mood, nutrition and function are not carried over:
    what was not asked today is not recorded as if it had been; nor are the blood pressure and
    urine dipstick (`TODAY_CLINICAL`), nor the findings of `ASKED_CLINICAL` named in
    `asked_today` (the form asked them): only `clinical_today`'s."""
    kept = (
        "schema",
        "patient",
        "body",
        "biology",
        "disease",
        "clinical",
        "preferences",
        "medications",
        "allergies",
        "herbal_or_traditional",
    )
    raw: dict[str, Any] = {k: base[k] for k in kept if base.get(k) is not None}
    raw["assessed_on"] = reviewed_on.isoformat()
    if weight_kg is not None:
        raw["body"] = {**(raw.get("body") or {}), "weight_kg": weight_kg}
    today = {*TODAY_CLINICAL, *(k for k in asked_today if k in ASKED_CLINICAL)}
    clinical = {k: v for k, v in (raw.get("clinical") or {}).items() if k not in today}
    clinical.update(
        {k: v for k, v in (clinical_today or {}).items() if k in today and v is not None}
    )
    if clinical or "clinical" in raw:
        raw["clinical"] = clinical
    raw["labs"] = dict(labs)
    panels: dict[str, Mapping[str, Any]] = {}
    for panel in [base.get("labs"), *(base.get("previous_labs") or ()), *earlier_panels]:
        if isinstance(panel, Mapping) and panel.get("drawn_on"):
            drawn = str(panel["drawn_on"])
            if drawn < str(labs.get("drawn_on", "9999")) and drawn not in panels:
                panels[drawn] = panel
    raw["previous_labs"] = [panels[d] for d in sorted(panels, reverse=True)][:60]
    raw["treatment"] = dict(treatment)
    return raw


# ---- the doctor's decision -------------------------------------------------------------------


def _cycle_decision(actions: Iterable[str]) -> str:
    """The cycle from its drugs, as the engine decides it (contract §5)."""
    found = set(actions)
    if found == {"discontinue"}:
        return "stop"
    if "hold" in found:
        return "delay"
    return "give"


@frozen_value
class DecidedDrug:
    drug: str
    action: str
    value: float | None = None  # the dose, in the starting dose's unit; None: no dose
    reason: str = ""


def label_stops_given(
    suggested: Mapping[str, Any], drugs: Sequence[DecidedDrug]
) -> tuple[dict[str, Any], ...]:
    """The suggested entries (`next_cycle.drugs[]`) of each drug the override gives (continue or
    reduce) where the label's rule held or discontinued it: giving against a label's "do not
    give" is the doctor's to decide, but only once asked a second time (safety rule 3)."""
    stops = {
        str(d["drug"]): d
        for d in suggested.get("drugs") or ()
        if d.get("action") in ("hold", "discontinue")
    }
    return tuple(
        dict(stops[d.drug]) for d in drugs if d.action in _DOSED_ACTIONS and d.drug in stops
    )


def confirm(suggested: Mapping[str, Any]) -> dict[str, Any]:
    """The suggestion as the decision. A suggestion that decides nothing (insufficient data)
    cannot be confirmed: the missing results are recorded and the review made again, or the
    doctor decides otherwise (override) with a reason."""
    if suggested.get("decision") == "insufficient_data":
        raise InputInvalid(
            (
                Problem(
                    "next_cycle.decision",
                    "insufficient data: nothing to confirm — record the missing results and "
                    "review again, or override (delay or stop) with a reason",
                ),
            )
        )
    return {
        "cycle": suggested.get("cycle"),
        "day": suggested.get("day"),
        "decision": suggested.get("decision"),
        "drugs": [
            {
                "drug": d["drug"],
                "action": d["action"],
                "dose": d.get("dose"),
                "percent_of_starting": d.get("percent_of_starting"),
            }
            for d in suggested.get("drugs") or ()
        ],
        "resume_when": list(suggested.get("resume_when") or ()),
        "recheck_in_days": suggested.get("recheck_in_days"),
    }


def override(
    suggested: Mapping[str, Any],
    course: StoredCourse,
    drugs: Sequence[DecidedDrug],
    reason: str,
) -> dict[str, Any]:
    """The doctor's own decision for each drug of the suggestion, with the reason; InputInvalid
    names every field that cannot stand. Doses are in the course's unit, above 0 and never above
    the starting dose (a higher dose is a new course from a new plan)."""
    problems: list[Problem] = []
    if not reason.strip():
        problems.append(
            Problem("override.reason", "is required: say why the suggestion is overridden")
        )
    starting = {str(d["drug"]): d["starting_dose"] for d in course.drugs}
    last_given = doses_for(
        course,
        int(suggested.get("cycle") or next_cycle_number(course)),
        int(suggested.get("day") or 1),
    )
    expected = [str(d["drug"]) for d in suggested.get("drugs") or ()]
    given = [d.drug for d in drugs]
    if sorted(given) != sorted(expected):
        problems.append(
            Problem("override.drugs", f"must decide each drug of the cycle ({', '.join(expected)})")
        )
    out: list[dict[str, Any]] = []
    for i, drug in enumerate(drugs):
        where = f"override.drugs[{i}]"
        start = starting.get(drug.drug)
        if drug.action not in DECIDED_ACTIONS:
            problems.append(
                Problem(
                    f"{where}.action", f"{drug.action!r} is not one of {', '.join(DECIDED_ACTIONS)}"
                )
            )
            continue
        dose = None
        percent = None
        if drug.action == "discontinue":
            if drug.value is not None:
                problems.append(Problem(f"{where}.dose", "a discontinued drug has no dose"))
        elif drug.value is None:
            if drug.action != "hold":
                problems.append(
                    Problem(f"{where}.dose", f"is required to {drug.action} {drug.drug}")
                )
        elif start is None:
            problems.append(Problem(f"{where}.drug", f"{drug.drug!r} is not a drug of the course"))
        elif not drug.value > 0:
            problems.append(Problem(f"{where}.dose", f"{drug.value:g} is not a dose above 0"))
        elif drug.value > float(start["value"]):
            problems.append(
                Problem(
                    f"{where}.dose",
                    f"{drug.value:g} {start['unit']} is above the starting dose "
                    f"{float(start['value']):g} {start['unit']}: a higher dose is a new course",
                )
            )
        else:
            dose = {"value": float(drug.value), "unit": str(start["unit"])}
            percent = round(100 * drug.value / float(start["value"]), 1)
            fits = given_action(drug.action, dose, last_given.get(drug.drug))
            if fits != drug.action:
                last = last_given[drug.drug]
                problems.append(
                    Problem(
                        f"{where}.action",
                        f"{ACTION_WORDS[drug.action]!r} does not fit {drug.value:g} "
                        f"{start['unit']}: the last cycle gave {float(last['value']):g} "
                        f"{last['unit']}, so this is {ACTION_WORDS[fits]!r}",
                    )
                )
        out.append(
            {
                "drug": drug.drug,
                "action": drug.action,
                "dose": dose,
                "percent_of_starting": percent,
            }
        )
    if problems:
        raise InputInvalid(tuple(problems))
    decision = _cycle_decision(d["action"] for d in out)
    return {
        "cycle": suggested.get("cycle"),
        "day": suggested.get("day"),
        "decision": decision,
        "drugs": out,
        "resume_when": list(suggested.get("resume_when") or ()) if decision == "delay" else [],
        "recheck_in_days": suggested.get("recheck_in_days") if decision == "delay" else None,
    }


def future_problems(field: str, on: dt.date, *, today: dt.date, advice: str) -> list[Problem]:
    """A date after `today` named by `field`: a course, review or cycle is recorded once it has
    happened, so a date in the future is a mistyped or defaulted date (the next review would
    read as done what was not)."""
    if on <= today:
        return []
    return [
        Problem(field, f"{show_date(on)} is in the future (today is {show_date(today)}): {advice}")
    ]


def started_on_problems(started_on: dt.date, *, today: dt.date) -> list[Problem]:
    """Whether a course can be recorded as started on `started_on`: never after `today` (its
    first cycle is recorded as given that day)."""
    return future_problems(
        "course.started_on", started_on, today=today, advice="start the course on the day it starts"
    )


def reviewed_on_problems(reviewed_on: dt.date, *, today: dt.date) -> list[Problem]:
    """Whether a cycle review can be dated `reviewed_on`: never after `today` (the review reads
    the labs and side effects of its day, which a future day does not have yet)."""
    return future_problems(
        "review.reviewed_on",
        reviewed_on,
        today=today,
        advice="date the review on the day it is done",
    )


def given_on_problems(
    course: StoredCourse, given_on: dt.date, early_reason: str = "", *, today: dt.date
) -> list[Problem]:
    """Whether a cycle can be recorded as given on `given_on`: never after `today` (a cycle is
    recorded once it is given: a date in the future is a mistyped or defaulted date, and the next
    review would read a dose as given that was not), never on or before the day the previous
    cycle was given (two cycles the same day is a double entry, not a schedule), and before the
    previous cycle's date + the cycle length only with the clinician's reason."""
    future = future_problems(
        "cycle.given_on", given_on, today=today, advice="record the cycle on the day it is given"
    )
    if future:
        return future
    if not course.cycles:
        return []
    previous = max(course.cycles, key=lambda c: (c.given_on, c.cycle))
    last = dt.date.fromisoformat(previous.given_on)
    due = last + dt.timedelta(days=course.cycle_days)
    if given_on <= last:
        same = "the same day as" if given_on == last else "before"
        return [
            Problem(
                "cycle.given_on",
                f"{given_on.isoformat()} is {same} cycle {previous.cycle} "
                f"({last.isoformat()}): a cycle cannot be given then — the next one is due "
                f"{due.isoformat()}",
            )
        ]
    if given_on < due and not early_reason.strip():
        return [
            Problem(
                "cycle.early_reason",
                f"is required: {given_on.isoformat()} is {(given_on - last).days} days after "
                f"cycle {previous.cycle} ({last.isoformat()}); the cycle is every "
                f"{course.cycle_days} days, due {due.isoformat()} — say why it is given early",
            )
        ]
    return []


def signed_in_force(course: StoredCourse, cycle: int, day: int = 1) -> CourseReview | None:
    """The signed decision in force for `day` of `cycle`: its latest review of that day, while
    that day's dose is not yet given (every earlier review of it stays in the record: a
    replacement is a new version). A decision is for one cycle and one day (walk 24 HARM 1: a
    day-8 review stood as the next cycle's day-1 decision). A day inside a cycle counts only
    reviews made since that cycle was given (a review kept before this rule numbered a day-8
    review as the next cycle's)."""
    if day_given(course, cycle, day):
        return None
    reviews = [r for r in course.reviews if r.cycle == cycle and r.day == day]
    if day > 1:
        started = next((c.given_on for c in course.cycles if c.cycle == cycle), None)
        if started is None:
            return None
        reviews = [r for r in reviews if r.reviewed_on >= started]
    return reviews[-1] if reviews else None


def waiting_review(course: StoredCourse) -> CourseReview | None:
    """The latest signed review, when it decided to give and its day's dose is not yet given
    (day 1: the cycle; a later day: that day's dose): what "Record given" records."""
    if not course.reviews or course.stop is not None:
        return None
    last = course.reviews[-1]
    if last.decided.get("decision") != "give":
        return None
    return last if signed_in_force(course, last.cycle, last.day) == last else None


def stale_problems(
    review: CourseReview, labs_on: dt.date, given_on: dt.date, valid_days: int
) -> list[Problem]:
    """A signed decision is for its day: a dose is recorded from it only within `valid_days`
    of the labs it read (the clinic's setting; walk 24 HARM 1: a two-week-old day-8 decision
    stood ready to record on the next cycle's day with no new labs)."""
    age = (given_on - labs_on).days
    if age <= valid_days:
        return []
    return [
        Problem(
            "cycle.given_on",
            f"the signed decision (review of {review.reviewed_on}) read labs of "
            f"{labs_on.isoformat()}, {age} days before {given_on.isoformat()}; the clinic "
            f"records a dose only within {valid_days} days of its labs — review her again "
            "with today's labs",
        )
    ]


def replaces_signed(signed: CourseReview, reviewed_on: str) -> bool:
    """Whether a decision signed for the same cycle on `reviewed_on` would REPLACE `signed`
    (and so must be asked for): a review of the same day or earlier, or a decision to give that
    is still waiting for its date. A re-check on a later day after a delay follows it."""
    return reviewed_on <= signed.reviewed_on or signed.decided.get("decision") == "give"


def decided_words(
    decided: Mapping[str, Any], last_given: Mapping[str, Mapping[str, Any]] | None = None
) -> list[str]:
    """Each drug of a signed decision in words: "capecitabine: hold — restart at 625 mg/m2
    (50 % of starting)". With `last_given` (each drug's dose in the last cycle given), a given
    drug's words say what its dose did against it (`given_action`)."""
    out = []
    for drug in decided.get("drugs") or ():
        dose = drug.get("dose")
        action = given_action(
            str(drug.get("action")), dose, (last_given or {}).get(str(drug["drug"]))
        )
        text = f"{drug['drug']}: {ACTION_WORDS.get(action, action)}"
        if dose and action != "discontinue":
            lead = "restart at" if action == "hold" else "at"
            percent = drug.get("percent_of_starting")
            text += f" — {lead} {float(dose['value']):g} {dose['unit']}" + (
                f" ({float(percent):g} % of starting)" if percent is not None else ""
            )
        elif action == "hold":
            text += " — restart dose not decided"
        out.append(text)
    return out


def given_drugs(decided: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The drugs a decided cycle gives, at the decided doses (what the cycle given records);
    InputInvalid when the decision gives no cycle (a delay, a stop)."""
    if decided.get("decision") != "give":
        raise InputInvalid(
            (
                Problem(
                    "cycle.decision",
                    f"the decision is {decided.get('decision')}: no cycle is given",
                ),
            )
        )
    return [
        {"drug": d["drug"], "dose": d["dose"]}
        for d in decided.get("drugs") or ()
        if d.get("action") in _DOSED_ACTIONS and d.get("dose")
    ]


def given_at_delay(decided: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What is recorded on the day of a signed delay (walk 23 #7: "DELAY palbociclib; GIVE
    fulvestrant today"): each drug the decision gives today at its dose (`given_at_delay`),
    each held drug as delayed. InputInvalid when the decision is not a delay, or gives nothing
    today (then nothing is given until the recheck)."""
    if decided.get("decision") != "delay":
        raise InputInvalid(
            (
                Problem(
                    "cycle.decision",
                    f"the decision is {decided.get('decision')}: not a delay",
                ),
            )
        )
    drugs = decided.get("drugs") or ()
    given = [
        {"drug": d["drug"], "dose": d["dose"], "given_at_delay": True}
        for d in drugs
        if d.get("action") in _DOSED_ACTIONS and d.get("dose")
    ]
    if not given:
        raise InputInvalid(
            (
                Problem(
                    "cycle.decision",
                    "the delay gives no drug today: nothing to record until the recheck",
                ),
            )
        )
    delayed = [{"drug": d["drug"], "delayed": True} for d in drugs if d.get("action") == "hold"]
    return given + delayed


# ---- the cycle sheet's doses ---------------------------------------------------------------


@frozen_value
class DoseLine:
    """One drug's line on the cycle sheet: only what the decision gives. `dose` None: no dose
    (discontinued; a held drug's dose is the one to give once it may be resumed)."""

    drug: str
    action: str
    dose: dict[str, Any] | None
    starting: dict[str, Any]
    percent_of_starting: float | None
    arithmetic: str  # "937.5 mg/m2 × 1.55 m2 (Mosteller) = 1453.1 mg", or why there is none
    mg: float | None
    # an oral drug sold as tablets: `mg` as whole tablets (TabletDose.to_json()), else None
    tablets: dict[str, Any] | None = None


def dose_lines(
    decided: Mapping[str, Any],
    course: StoredCourse,
    *,
    bsa_m2: float | None,
    weight_kg: float | None,
    tablets: Mapping[str, TabletForm] | None = None,
) -> tuple[DoseLine, ...]:
    """Each decided drug's dose with its arithmetic (the plan's own: `dosing.body_size_dose`),
    and as whole tablets for a drug of `tablets` (drug -> its dose table's tablet row). A given
    drug's action is what its dose did against the last cycle given before this one (higher,
    same, lower), whatever word was signed with it."""
    from planner.domain.dosing import body_size_dose

    starting = {str(d["drug"]): d["starting_dose"] for d in course.drugs}
    last_given = doses_for(
        course,
        int(decided.get("cycle") or next_cycle_number(course)),
        int(decided.get("day") or 1),
    )
    out = []
    for drug in decided.get("drugs") or ():
        name = str(drug["drug"])
        start = starting[name]
        form = (tablets or {}).get(name)
        dose = drug.get("dose") if drug.get("action") != "discontinue" else None
        arithmetic, mg = "", None
        if dose is not None:
            value, unit = float(dose["value"]), str(dose["unit"])
            percent = round(100 * value / float(start["value"]), 1)
            lead = (
                f"{float(start['value']):g} {unit} × {percent:g} % = {value:g} {unit}"
                if percent != 100
                else None
            )
            absolute = body_size_dose(value, unit, bsa_m2=bsa_m2, weight_kg=weight_kg, lead=lead)
            if absolute is not None:
                arithmetic, mg = absolute.text, absolute.value
            elif unit == "mg":
                arithmetic, mg = f"{value:g} mg (flat dose)", value
            elif unit == "AUC":
                arithmetic = (
                    f"AUC {value:g}: the mg dose by Calvert from today's creatinine clearance "
                    "(see the plan of this review)"
                )
            else:
                needs = "height and weight (BSA)" if unit == "mg/m2" else "weight"
                arithmetic = f"no mg dose: her {needs} is not recorded"
        out.append(
            DoseLine(
                name,
                # the words follow what the dose did against the last cycle given
                given_action(str(drug["action"]), dose, last_given.get(name)),
                None if dose is None else dict(dose),
                dict(start),
                None
                if dose is None
                else round(100 * float(dose["value"]) / float(start["value"]), 1),
                arithmetic,
                mg,
                None if mg is None or form is None else _tablets_json(tablet_dose(mg, form)),
            )
        )
    return tuple(out)


def _tablets_json(found: TabletDose | None) -> dict[str, Any] | None:
    return None if found is None else found.to_json()


# ---- across the course: the charted results and their CTCAE grade bands ----------------------

#: charted measure -> (lab, as a multiple of its ULN?)
CHARTED = {
    "anc": ("anc", False),
    "platelets": ("platelets", False),
    "bilirubin_x_uln": ("bilirubin", True),
    "alt_x_uln": ("alt", True),
}


def trend_row(labs: Mapping[str, Any], limits: CaseLimits) -> dict[str, Any]:
    """One lab panel as a point of each charted measure: counts in the canonical unit, liver
    tests × the result's own ULN (None where it cannot be read: never guessed)."""
    from planner.domain.units import UnitError, convert, times_uln

    row: dict[str, Any] = {"date": labs.get("drawn_on")}
    for key, (lab, per_uln) in CHARTED.items():
        result = labs.get(lab)
        value = None
        if isinstance(result, Mapping) and isinstance(result.get("value"), int | float):
            try:
                if per_uln:
                    uln = result.get("uln")
                    value = None if not uln else times_uln(float(result["value"]), float(uln))
                else:
                    canonical = limits.labs[lab].canonical_unit
                    unit = str(result.get("unit") or canonical)
                    value = convert(limits, lab, float(result["value"]), unit, canonical)
            except UnitError:
                value = None
        row[key] = value
    return row


def grade_bands(instruments: Any) -> dict[str, tuple[tuple[float, float, str], ...]]:
    """Each charted measure's CTCAE v5 grades 1–4 as value ranges, from the instrument table
    (the one home of CTCAE); unbounded edges are left to the chart's axis."""
    from planner.domain.instruments.liver_scores import CTCAE, CTCAE_COUNTS
    from planner.domain.instruments.tables import BandSet

    ids = {
        "anc": CTCAE_COUNTS["anc"],
        "platelets": CTCAE_COUNTS["platelets"],
        "bilirubin_x_uln": CTCAE["bilirubin"],
        "alt_x_uln": CTCAE["alt"],
    }
    out = {}
    for key, rule_id in ids.items():
        bands = instruments.get(rule_id, BandSet)
        shaded = sorted(
            (
                (max(b.interval.low, 0.0), b.interval.high, f"G{int(b.value)}")
                for b in bands.bands
                if b.value is not None and b.value >= 1
            ),
            key=lambda band: band[2],
        )
        out[key] = tuple(shaded)
    return out
