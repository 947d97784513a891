"""Synthetic patients: deterministic, varied, and valid by the one validator."""

from __future__ import annotations

import pytest

from planner.domain import demo_cases
from planner.domain.demo_cases import demo_patient, demo_patients
from planner.services import case_commands


def test_same_seed_same_patients():
    assert demo_patient(4, 17) == demo_patient(4, 17)
    assert demo_patient(4, 17) != demo_patient(5, 17)


@pytest.mark.parametrize("seed", [0, 1, 2024])
def test_every_generated_case_passes_the_validator(seed):
    for cases in demo_patients(150, seed):
        assert 2 <= len(cases) <= 6
        for raw in cases:
            case_commands.check_case(raw)


def test_variety():
    patients = list(demo_patients(400, 9))
    family_names = {cases[0]["patient"]["family_name"] for cases in patients}
    for locale, (_, families, _) in demo_cases.NAMES.items():
        assert family_names & set(families), locale
    assert any("\u0400" <= ch <= "\u04ff" for name in family_names for ch in name)  # Cyrillic
    her2 = {(c[0]["biology"]["her2_ihc"], c[0]["biology"]["er_percent"] > 0) for c in patients}
    assert ("3+", True) in her2 or ("2+", True) in her2  # HER2+
    assert ("1+", True) in her2  # HER2-low
    assert ("0", True) in her2  # HR+/HER2-
    assert ("0", False) in her2  # TNBC


def test_labs_drift_between_assessments():
    moved = 0
    for cases in demo_patients(50, 3):
        values = [c["labs"]["bilirubin"]["value"] for c in cases]
        dates = [c["assessed_on"] for c in cases]
        assert dates == sorted(dates)
        moved += len(set(values)) > 1
    assert moved > 40


def test_fill_is_idempotent(record):
    first = record.fill_demo(30, seed=1)
    assert first["patients"] == 30
    assert first["assessments"] >= 60
    again = record.fill_demo(30, seed=1)
    assert again == {"patients": 0, "assessments": 0, "skipped": 30}
    assert record.patient_count() == 30
    assert record.check() == []


def test_fill_with_worker_processes(record, monkeypatch):
    """The large-fill path (spawned workers) gives the same record as the in-process path."""
    from planner.storage import demo

    monkeypatch.setattr(demo, "IN_PROCESS_BELOW", 0)
    monkeypatch.setattr(demo, "CHUNK", 7)
    assert record.fill_demo(40, seed=8)["patients"] == 40
    found = (
        record.search("MSK-8-000001")
        + record.search("TAS-8-000001")
        + record.search("DEL-8-000001")
        + record.search("LDN-8-000001")
        + record.search("IST-8-000001")
    )
    (first,) = found
    assert first.assessments == len(demo_patient(8, 0))
    assert record.check() == []
