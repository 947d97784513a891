"""The audit log is append-only and tamper-evident; plans are immutable."""

from __future__ import annotations

import json
import sqlite3

import pytest
from record_helpers import case_for

from planner.storage import audit


@pytest.fixture
def busy(record, example_raw):
    """A record with a few audited changes of every kind."""
    for n in range(3):
        record.import_case(case_for(example_raw, f"TAS-00{n}"))
    later = case_for(example_raw, "TAS-000", given_name="Dilya")
    later["assessed_on"] = "2026-12-01"
    record.import_case(later)
    record.set_clinic_settings({"labels": "eu", "paper": "a4"})
    record.set_clinic_settings({"paper": "letter"})
    record.record_plan(
        1, {"schema": "planner.plan/1"}, pdf_sha256="a" * 64, rules_version="1", settings={}
    )
    return record


def raw_conn(record):
    return record._db.conn


def entries(record):
    cursor = raw_conn(record).execute(
        "SELECT who, table_name, row_key, action, before_json, after_json FROM audit_log ORDER BY id"
    )
    return cursor.fetchall()


def test_every_change_is_recorded(busy):
    log = entries(busy)
    assert {(t, a) for _, t, _, a, _, _ in log} == {
        ("patients", "insert"),
        ("assessments", "insert"),
        ("patients", "update"),
        ("clinic_settings", "insert"),
        ("clinic_settings", "update"),
        ("plans", "insert"),
    }
    assert {who for who, *_ in log} == {"test-nurse"}
    (update,) = [e for e in log if e[3] == "update" and e[1] == "patients"]
    assert json.loads(update[4])["given_name"] == "Dilnoza"
    assert json.loads(update[5])["given_name"] == "Dilya"
    assert busy.check() == []


def test_log_refuses_update_and_delete(busy):
    conn = raw_conn(busy)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE audit_log SET who = 'someone else' WHERE id = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM audit_log WHERE id = 1")


def test_edited_entry_is_detected(busy):
    conn = raw_conn(busy)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET who = 'someone else' WHERE id = 2")
    problems = busy.check()
    assert any("audit_log #2" in p and "hash" in p for p in problems)


def test_rehashed_entry_breaks_the_next_link(busy):
    """Recomputing the edited entry's own hash is not enough: the next entry points to the old one."""
    conn = raw_conn(busy)
    conn.execute("DROP TRIGGER audit_log_no_update")
    row = conn.execute(
        "SELECT id, at, table_name, row_key, action, before_json, after_json, prev_hash"
        " FROM audit_log WHERE id = 2"
    ).fetchone()
    forged = audit.entry_hash(row[7], row[0], row[1], "someone else", *row[2:7])
    conn.execute("UPDATE audit_log SET who = 'someone else', hash = ? WHERE id = 2", [forged])
    assert any("audit_log #3: prev_hash" in p for p in busy.check())


def test_removed_entry_is_detected(busy):
    conn = raw_conn(busy)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE id = 3")
    assert any("audit_log" in p and "missing" in p for p in busy.check())


def test_change_behind_the_programs_back_is_detected(busy):
    raw_conn(busy).execute("UPDATE patients SET family_name = 'Someone' WHERE mrn = 'TAS-001'")
    assert any("differs from its last audited state" in p for p in busy.check())


def test_edited_case_is_detected(busy):
    conn = raw_conn(busy)
    conn.execute(
        "UPDATE assessments SET case_json = replace(case_json, '\"ecog\":1', '\"ecog\":3')"
    )
    problems = busy.check()
    assert any("case_sha256 does not match" in p for p in problems)


def test_indexed_column_out_of_step_is_detected(busy):
    raw_conn(busy).execute("UPDATE assessments SET ecog = 4 WHERE id = 2")
    assert any("assessments #2: ecog is 4 but its case gives 1" in p for p in busy.check())


def test_plans_are_immutable(busy):
    conn = raw_conn(busy)
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        conn.execute("UPDATE plans SET rules_version = '2'")
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        conn.execute("DELETE FROM plans")
    (plan,) = busy.plans_for(1)
    assert plan.plan == {"schema": "planner.plan/1"}
    assert plan.pdf_sha256 == "a" * 64
    assert plan.made_by == "test-nurse"


def test_assessment_with_a_plan_cannot_be_deleted(busy):
    with pytest.raises(sqlite3.IntegrityError):
        raw_conn(busy).execute("DELETE FROM assessments WHERE id = 1")


def test_plan_needs_its_assessment(busy):
    with pytest.raises(sqlite3.IntegrityError):
        busy.record_plan(999, {}, pdf_sha256=None, rules_version="1", settings={})


def test_settings_round_trip(busy):
    assert busy.clinic_settings() == {"labels": "eu", "paper": "letter"}
    before = len(entries(busy))
    busy.set_clinic_settings({"paper": "letter"})  # no change, no entry
    assert len(entries(busy)) == before
