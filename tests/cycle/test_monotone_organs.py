"""On treatment, a worse liver or kidney never gives a higher dose or an earlier cycle.

The organ rows on treatment answer as the first plan's do (rx22 F1: a course review gave eribulin
1.4 mg/m² at Child–Pugh C where Child–Pugh B gave 0.7). The reviewer probed three drugs; this
property holds every course of `test_monotone.COURSES` to it, so a drug whose organ row is not
probed by hand is still checked: a higher bilirubin (with the transaminases rising beside it) or
a higher creatinine must never give more drug, or give it sooner."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.domain.engine import build_plan
from planner.domain.validation import validate_case
from tests.cycle.test_monotone import COURSES, _outcome


def _no_better(worse, better):
    """Not sooner, and no more drug given today. A held drug's restart dose is compared by
    `test_a_held_drug_restarts_at_no_dose_the_organ_row_refuses` (a held drug with no restart
    dose is not "0 mg": it says nothing about the restart)."""
    if worse is None or better is None:
        return True  # a gap is no decision: nothing to compare
    return all(
        w[0] >= b[0] and (w[0] > 0 or b[0] > 0 or w[1] <= b[1])
        for w, b in zip(worse, better, strict=True)
    )


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    course=st.sampled_from(COURSES),
    bilirubin=st.integers(5, 150),
    rise=st.integers(1, 150),
    transaminases=st.integers(20, 400),
)
def test_higher_bilirubin_never_higher_dose_or_earlier(
    rules, case_on, course, bilirubin, rise, transaminases
):
    regimen, drugs = course

    def raw(value):
        labs = {
            "bilirubin": value,
            "ast": transaminases,
            "alt": transaminases,
        }
        return copy.deepcopy(case_on(regimen, drugs, labs=labs, baseline_lvef=60))

    assert _no_better(_outcome(rules, raw(bilirubin + rise)), _outcome(rules, raw(bilirubin))), (
        f"{regimen} {drugs}: bilirubin {bilirubin} -> {bilirubin + rise} µmol/L"
    )


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    course=st.sampled_from(COURSES),
    creatinine=st.integers(40, 400),
    rise=st.integers(1, 250),
)
def test_higher_creatinine_never_higher_dose_or_earlier(rules, case_on, course, creatinine, rise):
    regimen, drugs = course

    def raw(value):
        return copy.deepcopy(case_on(regimen, drugs, labs={"creatinine": value}, baseline_lvef=60))

    assert _no_better(_outcome(rules, raw(creatinine + rise)), _outcome(rules, raw(creatinine))), (
        f"{regimen} {drugs}: creatinine {creatinine} -> {creatinine + rise} µmol/L"
    )


def test_a_held_drug_restarts_at_no_dose_the_organ_row_refuses(rules, case_on):
    """Inavolisib at bilirubin 3.5 × ULN: the grade-3 bilirubin row holds it and restarts one
    level lower (6 mg); the organ row gives no dose at severe hepatic impairment (not studied).
    Found by the property above: the 6 mg is a restart, not today's dose, and it may be printed
    only with the condition that the liver check of a later review passes first (decided in
    cycle_organ._no_organ_dose: a restart waits for both, as XELODA's own bilirubin row does).
    A restart dose printed without that condition would be a dose the plan does not give."""
    raw = case_on(
        "inavolisib_palbociclib_fulvestrant",
        {
            "inavolisib": (9, 9, "mg"),
            "palbociclib": (125, 125, "mg"),
            "fulvestrant": (500, 500, "mg"),
        },
        labs={"bilirubin": 70, "ast": 60, "alt": 60},
        baseline_lvef=60,
    )
    case, doubts = validate_case(raw, rules.limits)
    found = build_plan(case, doubts, rules).to_json()["next_cycle"]
    inavolisib = next(d for d in found["drugs"] if d["drug"] == "inavolisib")
    assert inavolisib["action"] == "hold"
    assert found["decision"] in ("delay", "stop")
    if inavolisib["dose"] is not None:
        assert any(
            w.startswith("inavolisib:") and "liver and kidney function the label gives a dose" in w
            for w in found["resume_when"]
        )
