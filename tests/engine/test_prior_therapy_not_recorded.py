"""Prior therapy not recorded is a gap, never "none" (issue 16, independent nurse walk: "taken as
none (line 1); confirm" ranked the options on a guess). The plan names the gap, every option says
it depends on it, and no option is decided until it is recorded or the decider confirms "no
previous cancer treatment". A recorded empty list is "none", and decides as before."""

from __future__ import annotations

import copy

import pytest

from planner.domain.decision import Decision, check_decision, decision_summary
from planner.domain.problems import InputInvalid
from planner.services import case_commands, kept_plans


def _plan(raw: dict, prior) -> dict:
    case = copy.deepcopy(raw)
    case["disease"]["prior_therapy"] = prior
    return case_commands.make_plan(case)


def _decide(plan: dict, **more) -> Decision:
    fields = {
        "course": "option",
        "regimen": next(
            o["regimen"]
            for o in plan["options"]
            if all(d.get("dose") for d in o["drugs"]) and not o.get("not_appropriate")
        ),
        "reason": "her choice after the talk with the oncologist",
        "decided_by": "Dr Rao",
        "decided_at": "2026-12-07T06:00",
    }
    return Decision(**(fields | more))


def test_not_recorded_is_a_gap_every_option_depends_on(example_raw):
    plan = _plan(example_raw, None)
    assert plan["therapy_history"]["prior_therapy_recorded"] == "not_recorded"
    assert plan["therapy_history"]["line_assumed"] is True
    (gap,) = [g for g in plan["gaps"] if g["field"] == "disease.prior_therapy"]
    assert gap["effect"].startswith("not recorded: the line of therapy is not known")
    assert "taken as none" not in gap["effect"]
    assert plan["options"]
    for option in plan["options"]:
        assert option["depends_on_unrecorded"] == ["disease.prior_therapy"]
        assert option["line_assumed"] is True


@pytest.mark.parametrize(
    ("prior", "said"),
    [([], "none"), (None, "not_recorded")],
)
def test_none_and_not_recorded_are_told_apart(example_raw, prior, said):
    plan = _plan(example_raw, prior)
    assert plan["therapy_history"]["prior_therapy_recorded"] == said
    depends = [o["depends_on_unrecorded"] for o in plan["options"]]
    assert all(d == ([] if prior == [] else ["disease.prior_therapy"]) for d in depends)
    gaps = [g for g in plan["gaps"] if g["field"] == "disease.prior_therapy"]
    assert bool(gaps) == (prior is None)


def test_listed_prior_therapy_is_listed(example_raw):
    plan = case_commands.make_plan(copy.deepcopy(example_raw))
    assert plan["therapy_history"]["prior_therapy_recorded"] == "listed"
    assert plan["therapy_history"]["line_assumed"] is False
    assert all(o["depends_on_unrecorded"] == [] for o in plan["options"])


def test_an_option_is_decided_only_once_none_is_confirmed(example_raw):
    plan = _plan(example_raw, None)
    with pytest.raises(InputInvalid) as caught:
        check_decision(plan, _decide(plan))
    (problem,) = caught.value.problems
    assert problem.path == "decision.prior_therapy_confirmed_none"
    assert "previous cancer treatment is not recorded" in problem.message
    check_decision(plan, _decide(plan, prior_therapy_confirmed_none=True))  # confirmed: signed
    # best supportive care does not depend on it, and takes no confirmation
    check_decision(plan, _decide(plan, course="supportive_care", regimen=None))
    with pytest.raises(InputInvalid, match="decided option only"):
        check_decision(
            plan,
            _decide(
                plan, course="supportive_care", regimen=None, prior_therapy_confirmed_none=True
            ),
        )
    # recorded as none: nothing to confirm
    recorded = _plan(example_raw, [])
    check_decision(recorded, _decide(recorded))


def test_the_confirmation_is_kept_and_said_with_the_decision(record, example_raw):
    case = copy.deepcopy(example_raw)
    case["disease"]["prior_therapy"] = None
    made = kept_plans.make_and_keep_plan(record, record.import_case(case).assessment_id)
    plan = record.plan(made.plan_id).plan
    regimen = _decide(plan).regimen
    with pytest.raises(InputInvalid):
        kept_plans.decide_plan(
            record,
            made.plan_id,
            course="option",
            regimen=regimen,
            reason="her choice after the talk with the oncologist",
        )
    decided = kept_plans.decide_plan(
        record,
        made.plan_id,
        course="option",
        regimen=regimen,
        reason="her choice after the talk with the oncologist",
        decided_by="Dr Rao",
        prior_therapy_confirmed_none=True,
    )
    kept = record.plan(decided).plan
    assert kept["decision"]["prior_therapy_confirmed_none"] is True
    assert "No previous cancer treatment: confirmed by the decider" in decision_summary(kept)
