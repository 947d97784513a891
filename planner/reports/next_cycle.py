"""The printed plan of a case on treatment (contract §5: the plan holds `next_cycle`): the review
before the cycle takes the place of the first plan's systemic-therapy options.

She is not starting: a first plan's ranked options with their full starting doses would read as
"give this" (BRIEF rule 3). The clinician part prints the cycle's decision — each drug's action,
the dose `next_cycle` gives (none for a hold whose restart dose is not known, a discontinue or
insufficient data), why, and the rule with its sources — as the cycle sheet does; the family
booklet says what happens this time, in plain words, without doses (the cycle sheet's patient
page carries them once the doctor has signed).
"""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable

from planner.domain.plan_document import AvoidDrug, CycleDrug, NextCycle
from planner.domain.plan_words import clinician_words, dose_words
from planner.reports import styles
from planner.reports.citations import References, cite
from planner.reports.formatting import text
from planner.reports.plan_input import Plan, document_of, next_cycle_of
from planner.reports.tables import para

DECISION_WORDS = {
    "give": "GIVE this cycle",
    "delay": "DELAY this cycle",
    "stop": "STOP the course",
    "insufficient_data": "NOT DECIDED — results the rules need are missing (no dose)",
}
DAY_DECISION_WORDS = {
    **DECISION_WORDS,
    "give": "GIVE this day's dose",
    "delay": "HOLD this day's dose",
}
ACTION_WORDS = {
    "continue": "give, same dose",
    "reduce": "give, reduced dose",
    "increase": "give, higher dose (back up the label's steps)",
    "hold": "hold",
    "discontinue": "discontinue",
    "insufficient_data": "not decided (no dose)",
}
PATIENT_WORDS = {
    "give": "Your doctor checked your blood tests and side effects. Your treatment can go ahead "
    "this time. Your doctor will tell you the amount.",
    "delay": "Your doctor checked your blood tests and side effects. Your treatment waits this "
    "time, to keep you safe. You will have blood tests again before it starts.",
    "stop": "Your doctor checked your blood tests and side effects. This treatment stops now. "
    "Your doctor will talk with you about what comes next.",
    "insufficient_data": "Your team needs some more test results before this cycle. Your doctor "
    "will tell you when it can go ahead.",
}


def headline(cycle: NextCycle) -> str:
    """The decision as printed: drug by drug where some are given and some held; a day inside
    the cycle (day 8) decides that day's dose, not a cycle (walk 24 HARM 1)."""
    words = DECISION_WORDS if (cycle.day or 1) == 1 else DAY_DECISION_WORDS
    return cycle.drug_by_drug() or words.get(cycle.decision, cycle.decision)


def on_treatment(plan: Plan) -> bool:
    return next_cycle_of(plan) is not None


def avoid_this_cycle(plan: Plan) -> tuple[list[AvoidDrug], int]:
    """The plan's `avoid` rows the decision page names, and how many it leaves to the evidence
    appendix. Off treatment: all of them (every option is on the page). On treatment the
    page is checked before a cycle of her course, and the options are not printed: it names
    her course's drugs and the drugs of the options of the same kind of treatment as her
    course — the switch a prescriber may make at that visit (T-DM1 for T-DXd, another CDK4/6
    inhibitor for hers). A stop of a drug of another kind of treatment (capecitabine of a
    lapatinib + capecitabine option on a T-DXd page: recheck 21) is for the plan that offers
    that treatment; it stays in the plan and in the appendix's "Drugs to avoid", with its
    reason. Her regimen's kind not known: every row, as off treatment (noise, never a stop
    lost)."""
    document = document_of(plan)
    rows = list(document.avoid)
    cycle = document.next_cycle
    if cycle is None or cycle.kind is None:
        return rows, 0
    hers = {d.drug for d in cycle.drugs} | set(document.current_therapy)
    same_kind = {d.drug for o in document.options if o.kind == cycle.kind for d in o.drugs}
    shown = [a for a in rows if a.drug in hers | same_kind]
    return shown, len(rows) - len(shown)


#: a drug she takes this cycle (its side effects and "stop the tablets" list apply now)
GIVEN_ACTIONS = frozenset({"continue", "reduce", "increase"})


def given_this_cycle(plan: Plan) -> set[str]:
    """The drugs of the course given this cycle (none held, stopped or undecided); none off
    treatment."""
    cycle = next_cycle_of(plan)
    if cycle is None:
        return set()
    return {d.drug for d in cycle.drugs if d.action in GIVEN_ACTIONS and d.drug}


def _dose(drug: CycleDrug) -> str:
    dose = drug.dose
    if dose is None:
        return "no dose" if drug.action != "hold" else "restart dose not decided"
    value = dose_words(float(dose.value), dose.unit)
    percent = drug.percent_of_starting
    share = "" if percent is None else f" ({float(percent):g} % of the starting dose)"
    lead = "restart at " if drug.action == "hold" else ""
    return f"{lead}{value}{share}"


def _review(plan: Plan) -> NextCycle:
    cycle = next_cycle_of(plan)
    if cycle is None:
        raise ValueError("the plan has no next_cycle: she is not on treatment")
    return cycle


def next_cycle_section(plan: Plan, refs: References) -> list[Flowable]:
    """The clinician's part: the decision before this cycle, drug by drug, with its reasons."""
    st = styles.clinician_styles()
    cycle = _review(plan)
    regimen = (cycle.regimen or "").replace("_", " ")
    out: list[Flowable] = [
        CondPageBreak(160),
        para(text(f"On treatment: the review before cycle {cycle.cycle}"), st.h1),
        para(
            text(
                f"{regimen}, cycle {cycle.cycle}, day {cycle.day}. She is on treatment: "
                "the first plan's options and starting doses are not printed; the doses below "
                "are the ones this review gives."
            ),
            st.note,
        ),
        para(f"<b>Decision: {text(headline(cycle))}</b>", st.body),
    ]
    for drug in cycle.drugs:
        action = ACTION_WORDS.get(drug.action, drug.action)
        out.append(para(f"<b>{text(drug.drug)}</b>: {text(action)} — {text(_dose(drug))}", st.body))
        for reason in drug.reasons:
            out.append(para(f"• {text(clinician_words(reason))}", st.note))
        out.append(para(f"Rule: {cite(drug.basis, refs)}", st.note))
    if cycle.resume_when:
        out.append(
            para(
                f"<b>Give when:</b> {text('; '.join(map(clinician_words, cycle.resume_when)))}",
                st.body,
            )
        )
    if cycle.recheck_in_days:
        out.append(para(f"<b>Repeat the blood tests in {cycle.recheck_in_days} days.</b>", st.body))
    for total in cycle.cumulative:
        out.append(para(text(clinician_words(total.text)), st.note))
    return out


PART_WAITS = (
    "Your doctor checked your blood tests and side effects. Part of your treatment waits this "
    "time, to keep you safe, and the rest goes ahead today. Your doctor will tell you which "
    "medicine waits and which you take."
)


PART_STOPS = (
    "Your doctor checked your blood tests and side effects. One part of your treatment stops "
    "now, to keep you safe, and the rest goes ahead this time. Your doctor will tell you which "
    "medicine stops and which you take."
)


def patient_words(plan: Plan) -> list[str]:
    """The family booklet's "Your treatment this time", without doses."""
    cycle = _review(plan)
    if cycle.split_delay():
        return [PART_WAITS]
    if cycle.decision == "give" and cycle.drug_by_drug():
        return [PART_STOPS]
    decision = cycle.decision
    return [PATIENT_WORDS.get(decision, PATIENT_WORDS["insufficient_data"])]


def printed_doses(plan: Plan) -> set[tuple[float, str]]:
    """The doses the review gives (what a printed plan on treatment may show)."""
    cycle = next_cycle_of(plan)
    drugs = () if cycle is None else cycle.drugs
    return {(float(d.dose.value), d.dose.unit) for d in drugs if d.dose is not None}
