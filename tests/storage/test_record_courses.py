"""Treatment courses in the record: written once, audited, replayed by `db check`, kept by
backup and restore."""

from __future__ import annotations

import sqlite3

import pytest
from record_helpers import case_for, query

from planner.domain.stored import StoredCourse
from planner.storage import courses

DRUGS = [{"drug": "capecitabine", "starting_dose": {"value": 1000.0, "unit": "mg/m2"}}]
GIVEN = [{"drug": "capecitabine", "dose": {"value": 1000.0, "unit": "mg/m2"}}]


@pytest.fixture
def on_course(record, example_raw):
    """A patient with a plan, a course started from it, one signed review and a cycle given."""
    outcome = record.import_case(case_for(example_raw, "TAS-9"))
    plan_id = record.record_plan(
        outcome.assessment_id,
        {"schema": "planner.plan/1"},
        pdf_sha256=None,
        rules_version="1",
        settings={},
    )
    db = record._db
    course_id = courses.start_course(
        db,
        patient_id=1,
        plan_id=plan_id,
        regimen="capecitabine",
        drugs=DRUGS,
        cycle_days=21,
        started_on="2026-11-20",
        first_cycle=GIVEN,
        who="dr.test",
    )
    review_id = courses.add_review(
        db,
        course_id=course_id,
        cycle=2,
        day=1,
        reviewed_on="2026-12-11",
        assessment_id=outcome.assessment_id,
        plan_id=plan_id,
        toxicities=[{"term": "diarrhea", "worst_grade": 1}],
        suggested={"decision": "give"},
        decided={"decision": "give"},
        outcome="overridden",
        reason="patient asked to wait a week",
        who="dr.test",
    )
    courses.add_cycle(
        db,
        course_id=course_id,
        review_id=review_id,
        cycle=2,
        given_on="2026-12-11",
        drugs=GIVEN,
        who="dr.test",
    )
    return record, course_id


def test_a_course_keeps_its_events_in_order(on_course):
    record, course_id = on_course
    found = courses.course(record._conn, course_id)
    assert isinstance(found, StoredCourse)
    assert found.regimen == "capecitabine"
    assert found.drugs == tuple(DRUGS)
    assert [c.cycle for c in found.cycles] == [1, 2]
    assert found.cycles[0].review_id is None  # decided on the plan itself
    assert found.cycles[1].drugs == tuple(GIVEN)
    (review,) = found.reviews
    assert (review.outcome, review.reason, review.signed_by) == (
        "overridden",
        "patient asked to wait a week",
        "dr.test",
    )
    assert found.review(review.id) is review
    assert found.stop is None
    assert record.check() == []


@pytest.mark.parametrize("table", list(courses.TABLES))
def test_rows_are_immutable(on_course, table):
    record, _ = on_course
    if table == "course_stops":
        courses.stop_course(
            record._db, course_id=1, stopped_on="2026-12-20", reason="progression", who="dr"
        )
    if table == "course_day_doses":  # a day-8 dose given from its own review (walk 24)
        (review,) = courses.course(record._conn, 1).reviews
        courses.add_day_given(
            record._db,
            course_id=1,
            review_id=review.id,
            cycle=2,
            day=8,
            given_on="2026-12-18",
            drugs=GIVEN,
            who="dr",
        )
    conn = record._conn
    assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] >= 1
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(f"UPDATE {table} SET id = id")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(f"DELETE FROM {table}")


def test_an_override_needs_its_reason_and_a_course_stops_once(on_course):
    record, course_id = on_course
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        courses.add_review(
            record._db,
            course_id=course_id,
            cycle=3,
            day=1,
            reviewed_on="2027-01-01",
            assessment_id=1,
            plan_id=1,
            toxicities=[],
            suggested={},
            decided={},
            outcome="overridden",
            reason="  ",
            who="dr",
        )
    courses.stop_course(
        record._db, course_id=course_id, stopped_on="2027-01-01", reason="progression", who="dr"
    )
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        courses.stop_course(
            record._db, course_id=course_id, stopped_on="2027-01-02", reason="again", who="dr"
        )
    stopped = courses.course(record._conn, course_id)
    assert stopped is not None
    assert stopped.stop is not None
    assert stopped.stop.reason == "progression"
    assert record.check() == []


def test_check_finds_a_course_changed_outside_the_program(on_course, record_path):
    record, _ = on_course
    record.close()
    with sqlite3.connect(record_path) as conn:
        conn.execute("DROP TRIGGER course_cycles_are_immutable")
        conn.execute(
            "UPDATE course_cycles SET drugs_json = replace(drugs_json, '1000.0', '1250.0')"
            " WHERE cycle = 2"
        )
        conn.execute(
            "INSERT INTO course_stops (course_id, stopped_on, reason, stopped_by,"
            " stopped_at) VALUES (1, '2027-01-01', 'x', 'intruder', 'now')"
        )
    from planner.services.record_admin import check_record

    problems = check_record(record_path).problems
    assert any("course_cycles 2: differs" in p and "1250" in p for p in problems), problems
    assert any("course_stops 1: in the record but not in the audit log" in p for p in problems)
    assert any("trigger course_cycles_are_immutable is missing" in p for p in problems)


def test_backup_and_restore_keep_the_course(on_course, tmp_path, record_path):
    record, _ = on_course
    copy = record.backup(tmp_path / "backup.sqlite3")
    record.close()
    assert query(copy, "SELECT count(*) FROM course_reviews") == [(1,)]
    from planner.services.record_admin import restore_record

    restore_record(record_path, copy)
    assert query(record_path, "SELECT cycle FROM course_cycles ORDER BY cycle") == [(1,), (2,)]
    from planner.services.record_admin import check_record

    assert check_record(record_path).problems == []
