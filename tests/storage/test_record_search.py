"""Finding patients by name or MRN: any case, diacritics ignored, Cyrillic, prefixes, MRN parts."""

from __future__ import annotations

import pytest
from record_helpers import case_for

from planner.domain.stored import PatientSummary
from planner.services import patient_record, patient_search

PEOPLE = [
    ("IST-000001", "Şahin", "Ayşe"),
    ("MSK-000002", "Каримова", "Ольга"),
    ("TAS-000123", "Karimova", "Dilnoza"),
    ("DEL-000456", "Iyer", "Lakshmi"),
    ("LDN-000789", "O'Brien", "Joan"),
    ("LDN-001230", "Smith", "Sarah"),
]


@pytest.fixture
def filled(record, example_raw):
    for mrn, family, given in PEOPLE:
        record.import_case(case_for(example_raw, mrn, family_name=family, given_name=given))
    return record


def mrns(found):
    return [p.mrn for p in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sahin", ["IST-000001"]),
        ("ŞAHİN", ["IST-000001"]),
        ("ayse", ["IST-000001"]),
        # One name in two scripts: each finds both (in name order: Latin before Cyrillic)
        ("кари", ["TAS-000123", "MSK-000002"]),
        ("КАРИМОВА", ["TAS-000123", "MSK-000002"]),
        ("ольга каримова", ["MSK-000002"]),
        ("olga karimova", ["MSK-000002"]),
        ("kar", ["TAS-000123", "MSK-000002"]),
        ("дилноза", ["TAS-000123"]),
        ("KARIMOVA dil", ["TAS-000123"]),
        ("dilnoza karimova", ["TAS-000123"]),
        ("o'brien", ["LDN-000789"]),
        ("brien", ["LDN-000789"]),
        ("zzz", []),
    ],
)
def test_names(filled, text, expected):
    assert mrns(filled.search(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TAS-000123", ["TAS-000123"]),
        ("tas-000123", ["TAS-000123"]),
        ("tas", ["TAS-000123"]),
        ("000123", ["TAS-000123"]),
        ("0123", ["TAS-000123", "LDN-001230"]),
        ("ldn", ["LDN-000789", "LDN-001230"]),
        ("00078", ["LDN-000789"]),
    ],
)
def test_mrn_prefix_and_substring(filled, text, expected):
    assert sorted(mrns(filled.search(text))) == sorted(expected)


def test_exact_mrn_comes_first(filled, example_raw):
    filled.import_case(case_for(example_raw, "LDN-00123", family_name="Aaron"))
    found = mrns(filled.search("LDN-001230"))
    assert found[0] == "LDN-001230"


def test_names_in_alphabetical_order_and_limit(filled):
    found = filled.search("ldn")
    assert [p.family_name for p in found] == ["O'Brien", "Smith"]
    assert len(filled.search("ldn", limit=1)) == 1


@pytest.mark.parametrize("text", ["", "   ", "-", '"', "*", "AND", "NEAR(", "a OR b", "'"])
def test_odd_input_never_fails(filled, text):
    assert isinstance(filled.search(text), list)


def test_results_carry_summary(filled):
    (found,) = filled.search("TAS-000123")
    assert found == PatientSummary(
        mrn="TAS-000123",
        family_name="Karimova",
        given_name="Dilnoza",
        birth_date="1968-03-14",
        sex="female",
        assessments=1,
        last_assessed_on="2026-11-20",
        review_due_on=None,
        open_alerts=0,
        drafts=0,
    )


def test_search_follows_a_change_of_name(filled, example_raw):
    later = case_for(example_raw, "TAS-000123", family_name="Rashidova")
    later["assessed_on"] = "2026-12-01"
    assert filled.import_case(later).patient == "updated"
    assert mrns(filled.search("rashid")) == ["TAS-000123"]
    assert mrns(filled.search("karimova")) == ["MSK-000002"]  # Каримова, not her any more
    assert filled.check() == []


def test_light_search_path(filled, record_path):
    """The CLI's path: plain sqlite3, no migrations, same answers."""
    assert mrns(patient_search.search_patients(record_path, "sahin")) == ["IST-000001"]


def test_light_search_without_a_record(tmp_path):
    with pytest.raises(patient_record.RecordUnavailable):
        patient_search.search_patients(tmp_path / "none.sqlite3", "x")
