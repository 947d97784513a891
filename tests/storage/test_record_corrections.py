"""Correcting the record (issue 20 item 3): an assessment amended with a reason, two patients
merged, a patient retired and shown again; each audited, nothing deleted, `db check` clean."""

from __future__ import annotations

import copy
import sqlite3
from contextlib import closing

import pytest
from record_helpers import case_for, query

from planner.domain.problems import InputInvalid
from planner.services import kept_plans, record_corrections
from planner.storage import courses

KEPT_TABLES = (
    "patients",
    "assessments",
    "plans",
    "drafts",
    "treatment_courses",
    "alert_acknowledgements",
    "audit_log",
)


def counts(path):
    return {table: query(path, f"SELECT count(*) FROM {table}")[0][0] for table in KEPT_TABLES}


def keep_plan(record, assessment_id):
    return record.record_plan(
        assessment_id, {"schema": "planner.plan/1"}, pdf_sha256=None, rules_version="1", settings={}
    )


def with_albumin(raw, value):
    changed = copy.deepcopy(raw)
    changed["labs"]["albumin"]["value"] = value
    return changed


def test_an_amendment_is_a_new_version_and_the_old_plans_are_superseded(record, example_raw):
    first = record.import_case(example_raw).assessment_id
    old_plan = keep_plan(record, first)

    amended = record_corrections.amend_assessment(
        record, first, with_albumin(example_raw, 13), "albumin typed 31 for 13"
    )

    assert amended != first
    assert record.case(first)["labs"]["albumin"]["value"] == 31  # the old version is kept
    assert record.case(amended)["labs"]["albumin"]["value"] == 13
    assert [p.assessment_id for p in record.trend("TAS-000123")] == [amended]
    assert record.search("TAS-000123")[0].assessments == 1  # one visit, in its current version
    viewed = record_corrections.view_assessment(record, first)
    assert viewed.amended is not None
    assert viewed.amended.amendment_id == amended
    assert viewed.amended.reason == "albumin typed 31 for 13"
    assert viewed.amended.amended_by == "test-nurse"
    later = record_corrections.view_assessment(record, amended)
    assert later.amended is None
    assert [a for a, _ in later.earlier] == [first]
    standing = kept_plans.plan_standing(record, old_plan)
    assert not standing.current
    assert standing.amended_by == amended
    assert "albumin typed 31 for 13" in standing.why
    assert standing.replaced_by == f"the amended assessment {amended}"
    with pytest.raises(InputInvalid, match="superseded by the amended assessment"):
        kept_plans.decide_plan(record, old_plan, course="comfort", regimen=None, reason="x")
    logged = query(
        record.path,
        "SELECT table_name, action FROM audit_log WHERE table_name = 'assessment_amendments'",
    )
    assert logged == [("assessment_amendments", "insert")]
    assert record.check() == []


def test_an_amendment_is_refused_without_a_reason_a_change_or_for_another_patient(
    record, example_raw
):
    first = record.import_case(example_raw).assessment_id
    with pytest.raises(InputInvalid, match="reason"):
        record_corrections.amend_assessment(record, first, with_albumin(example_raw, 13), "  ")
    with pytest.raises(InputInvalid, match="nothing was changed"):
        record_corrections.amend_assessment(record, first, example_raw, "no change")
    with pytest.raises(InputInvalid, match="cannot change the patient"):
        record_corrections.amend_assessment(
            record, first, case_for(example_raw, "TAS-9"), "wrong patient"
        )
    bad = with_albumin(example_raw, "thirteen")
    with pytest.raises(InputInvalid) as refused:
        record_corrections.amend_assessment(record, first, bad, "typo")
    assert any(p.path.startswith("labs.albumin") for p in refused.value.problems)
    second = record_corrections.amend_assessment(
        record, first, with_albumin(example_raw, 13), "typo"
    )
    with pytest.raises(InputInvalid, match=f"amended already \\(assessment {second}\\)"):
        record_corrections.amend_assessment(record, first, with_albumin(example_raw, 14), "again")
    assert query(record.path, "SELECT count(*) FROM assessments")[0][0] == 2
    assert record.check() == []


@pytest.fixture
def two_records_of_one_woman(record, example_raw):
    """Karimova registered twice: TAS-000123 with an assessment and a plan, and TAS-77
    (Cyrillic) with an assessment, a plan, a treatment course and a draft."""
    kept = record.import_case(example_raw).assessment_id
    keep_plan(record, kept)
    raw = case_for(example_raw, "TAS-77", family_name="Каримова", given_name="Дилноза")
    other = record.import_case(raw).assessment_id
    plan = keep_plan(record, other)
    patient_id = query(record.path, "SELECT id FROM patients WHERE mrn = 'TAS-77'")[0][0]
    courses.start_course(
        record.database,
        patient_id=patient_id,
        plan_id=plan,
        regimen="capecitabine",
        drugs=[{"drug": "capecitabine", "starting_dose": {"value": 1000.0, "unit": "mg/m2"}}],
        cycle_days=21,
        started_on="2026-11-20",
        first_cycle=[{"drug": "capecitabine", "dose": {"value": 1000.0, "unit": "mg/m2"}}],
        who="dr.test",
    )
    record.save_draft({"patient": {"mrn": "TAS-77"}}, "labs", mrn="TAS-77")
    return record, kept, other


def test_likely_duplicates_are_found_across_scripts(two_records_of_one_woman):
    record, _, _ = two_records_of_one_woman
    pairs = record_corrections.likely_duplicate_pairs(record)
    assert [(a.mrn, b.mrn) for a, b in pairs] == [("TAS-000123", "TAS-77")]
    found = record_corrections.likely_duplicates_of(record, "KARIMOVA", None, "1968-03-14")
    assert {p.mrn for p in found} == {"TAS-000123", "TAS-77"}
    assert record_corrections.likely_duplicates_of(record, "Karimova", None, "1968-03-15") == []


def test_a_merge_keeps_everything_under_the_surviving_patient(
    two_records_of_one_woman, example_raw
):
    record, kept, other = two_records_of_one_woman
    before = counts(record.path)

    merged = record_corrections.merge_patients(record, "TAS-77", "TAS-000123", "same woman")

    after = counts(record.path)
    assert merged.assessments == (other,)
    assert len(merged.drafts) == 1
    assert len(merged.courses) == 1
    # nothing deleted: every table as many rows; the log grew by the move and the merge
    assert {t: n for t, n in after.items() if t != "audit_log"} == {
        t: n for t, n in before.items() if t != "audit_log"
    }
    assert after["audit_log"] == before["audit_log"] + 2
    assert [p.assessment_id for p in record.trend("TAS-000123")] == [kept, other]
    survivor = query(record.path, "SELECT id FROM patients WHERE mrn = 'TAS-000123'")[0][0]
    assert query(record.path, "SELECT DISTINCT patient_id FROM drafts") == [(survivor,)]
    assert len(courses.courses_for_patient(record.database.conn, survivor)) == 1
    assert [h.mrn for h in record.search("Karimova")] == ["TAS-000123"]
    assert record.patient_count() == 1
    merge = query(record.path, "SELECT reason, signed_by FROM patient_merges")
    assert merge == [("same woman", "test-nurse")]
    assert record.check() == []
    with pytest.raises(InputInvalid, match="merged already"):
        record_corrections.merge_patients(record, "TAS-77", "TAS-000123", "again")
    with pytest.raises(InputInvalid, match="reason"):
        record_corrections.merge_patients(record, "TAS-000123", "TAS-77", " ")
    # a case brought later under the merged MRN joins the surviving record, names unchanged
    late = case_for(example_raw, "TAS-77", family_name="Каримова", given_name="Дилноза")
    late["labs"]["albumin"]["value"] = 30
    outcome = record.import_case(late)
    assert outcome.patient == "matched"
    assert outcome.assessment_id in [p.assessment_id for p in record.trend("TAS-000123")]
    assert [h.family_name for h in record.search("TAS-000123")] == ["Karimova"]
    assert record.check() == []
    with pytest.raises(sqlite3.IntegrityError, match="merges are kept"):
        record.database.execute("DELETE FROM patient_merges")


def test_a_retired_patient_is_hidden_kept_and_can_be_shown_again(record, example_raw):
    record.import_case(example_raw)
    record.import_case(case_for(example_raw, "TAS-9", family_name="Test", given_name="Entry"))
    before = counts(record.path)

    record_corrections.retire_patient(record, "TAS-9", "registered by mistake in training")

    assert [h.mrn for h in record.patients_page(10, 0)] == ["TAS-000123"]
    assert record.search("Test") == []
    assert record.patient_count() == 1
    assert [r.patient.mrn for r in record_corrections.retired_patients(record)] == ["TAS-9"]
    assert counts(record.path)["assessments"] == before["assessments"]
    with pytest.raises(InputInvalid, match="retired already"):
        record_corrections.retire_patient(record, "TAS-9", "twice")
    record_corrections.restore_patient(record, "TAS-9", "she is a real patient after all")
    assert record.patient_count() == 2
    assert record_corrections.retired_patients(record) == []
    assert record.check() == []


def test_check_finds_a_correction_written_outside_the_program(record, example_raw, record_path):
    record.import_case(example_raw)
    with closing(sqlite3.connect(record_path)) as conn, conn:
        conn.execute(
            "INSERT INTO patient_retirements (patient_id, retired, reason, signed_by, signed_at)"
            " VALUES (1, 1, 'hidden quietly', 'nobody', '2026-12-07')"
        )
    assert any(
        "patient_retirements 1: in the record but not in the audit log" in p for p in record.check()
    )
