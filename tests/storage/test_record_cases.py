"""Importing cases (patients by MRN, one transaction each), indexed columns, export round trip."""

from __future__ import annotations

import json

import pytest
from record_helpers import case_for, query

from planner.domain.problems import InputInvalid
from planner.services import case_commands, patient_record
from planner.storage import assessments


def test_indexed_columns_of_the_example(example_raw):
    assert assessments.indexed_columns(example_raw) == {
        "assessed_on": "2026-11-20",
        "bilirubin_x_uln": 35 / 21,
        "alp_x_uln": 310 / 130,
        "ecog": 1,
        "esas_total": 38,
        "weight_kg": 54.0,
        "phq9_total": 8,
        "distress_thermometer": 7,
    }


def test_indexed_columns_are_null_when_unknown(example_raw):
    del example_raw["labs"]["bilirubin"]["uln"]
    example_raw["labs"]["alp"] = None
    example_raw["symptoms"]["esas"]["nausea"] = None
    example_raw["psychosocial"]["phq9"][8] = None
    example_raw["clinical"] = None
    example_raw["body"] = None
    columns = assessments.indexed_columns(example_raw)
    assert columns["bilirubin_x_uln"] is None
    assert columns["alp_x_uln"] is None
    assert columns["esas_total"] is None
    assert columns["phq9_total"] is None
    assert columns["ecog"] is None
    assert columns["weight_kg"] is None


def test_import_creates_then_matches_by_mrn(record, example_raw):
    first = record.import_case(example_raw)
    assert (first.patient, first.already_present) == ("new", False)
    again = record.import_case(example_raw)
    assert (again.patient, again.already_present) == ("matched", True)
    assert again.assessment_id == first.assessment_id
    later = case_for(example_raw, "TAS-000123")
    later["assessed_on"] = "2026-12-01"
    assert record.import_case(later).patient == "matched"
    assert record.patient_count() == 1
    assert [t.assessed_on for t in record.trend("TAS-000123")] == ["2026-11-20", "2026-12-01"]


def test_demographics_follow_the_latest_case_only(record, record_path, example_raw):
    record.import_case(example_raw)
    older = case_for(example_raw, "TAS-000123", family_name="Old-Name")
    older["assessed_on"] = "2026-10-01"
    older["labs"]["drawn_on"] = "2026-09-30"
    assert record.import_case(older).patient == "matched"
    newer = case_for(example_raw, "TAS-000123", family_name="New-Name", menopausal_status=None)
    newer["assessed_on"] = "2026-12-01"
    assert record.import_case(newer).patient == "updated"
    (patient,) = record.patients_page(10, 0)
    assert patient.family_name == "New-Name"
    assert patient.assessments == 3
    assert record.search("New-Name") == [patient]  # a page of the list is a search result
    assert query(record_path, "SELECT menopausal_status FROM patients") == [("post",)]  # kept


def test_invalid_case_is_refused_and_nothing_saved(record, record_path, example_raw):
    example_raw["labs"]["bilirubin"]["unit"] = "mmol/L"
    with pytest.raises(InputInvalid) as refused:
        record.import_case(example_raw)
    assert "labs.bilirubin.unit" in str(refused.value)
    for table in ("patients", "assessments", "audit_log"):
        assert query(record_path, f"SELECT count(*) FROM {table}") == [(0,)]


def test_export_round_trip(record, record_path, example_raw, tmp_path):
    record.import_case(example_raw)
    record.import_case(case_for(example_raw, "MSK/7 1", family_name="Иванова"))
    record.fill_demo(5, seed=2)
    written = record.export_cases(tmp_path / "out")
    assert len(written) == query(record_path, "SELECT count(*) FROM assessments")[0][0]
    # stored as the clinic's MRN rule writes it (MSK/7-1), then made safe for a file name
    assert any(p.name.startswith("MSK_7-1_2026-11-20_") for p in written)
    documents = [json.loads(p.read_text("utf-8")) for p in written]
    for doc in documents:
        case_commands.check_case(doc)  # every exported file is a valid case
    with patient_record.PatientRecord(tmp_path / "copy.sqlite3") as copy:
        for doc in documents:
            assert not copy.import_case(doc).already_present
        again = copy.export_cases(tmp_path / "again")
        assert copy.check() == []
    exported_again = [json.loads(p.read_text("utf-8")) for p in again]
    assert sorted(map(json.dumps, exported_again)) == sorted(map(json.dumps, documents))


def test_drafts_are_kept_until_discarded(record, example_raw):
    record.import_case(example_raw)
    draft = record.save_draft({"patient": {"mrn": "NEW-1"}}, "patient")
    assert (
        record.save_draft({"patient": {"mrn": "NEW-1"}, "body": {}}, "body", draft_id=draft)
        == draft
    )
    other = record.save_draft({"labs": {}}, "labs", mrn="TAS-000123")
    drafts = {d.id: d for d in record.drafts()}
    assert drafts[draft].wizard_page == "body"
    assert drafts[draft].patient_id is None
    assert drafts[other].patient_id == 1
    record.discard_draft(draft)
    assert [d.id for d in record.drafts()] == [other]
