"""Which kept plan of an assessment is current, and why the others were superseded."""

from __future__ import annotations

from planner.domain.plan_versions import plan_standings
from planner.domain.stored import StoredPlan


def _row(plan_id, plan=None, rules="2026.12", settings=None, at="2026-12-06T20:00:00+00:00"):
    return StoredPlan(
        id=plan_id,
        assessment_id=1,
        plan=plan or {},
        pdf_sha256=None,
        rules_version=rules,
        settings=settings or {},
        made_by="test",
        made_at=at,
    )


def _decided(on, who="Dr Rao"):
    return {
        "decision": {
            "course": "supportive_care",
            "regimen": None,
            "reason": "her wish",
            "decided_by": who,
            "decided_at": "2026-12-06T21:00",
            "decided_on_plan": on,
        }
    }


def test_the_newest_plan_is_current_and_every_other_is_superseded_by_it():
    standings = plan_standings(
        [_row(3, rules="2026.12"), _row(1, rules="2026.11"), _row(2, rules="2026.11")]
    )
    assert [s.current for _, s in sorted(standings.items())] == [False, False, True]
    assert {standings[1].superseded_by, standings[2].superseded_by} == {3}
    assert standings[1].why == "the rules changed (2026.11 → 2026.12)"
    assert standings[3].why == ""
    assert standings[3].superseded_at == ""


def test_a_decision_supersedes_the_plan_it_was_made_on_and_any_older_one():
    standings = plan_standings(
        [_row(1), _row(2, settings={"paper": "letter"}), _row(3, _decided(2), at="X")]
    )
    assert standings[1].why == standings[2].why == "decided by Dr Rao on plan 2"
    assert standings[2].superseded_at == "X"
    assert standings[3].decided
    assert standings[3].current


def test_a_settings_change_and_no_plans():
    standings = plan_standings([_row(1), _row(2, settings={"paper": "letter"})])
    assert standings[1].why == "the clinic settings changed"
    assert plan_standings([]) == {}
