"""`planner plan|dose CASE.json [--db PATH]`: the record's clinic settings only when --db is
given or $PLANNER_DB is set; otherwise the program's documented defaults."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from planner import cli
from planner.services import patient_record


@pytest.fixture
def no_env_db(monkeypatch):
    monkeypatch.delenv("PLANNER_DB", raising=False)


@pytest.fixture
def clinic_record(tmp_path: Path) -> Path:
    path = tmp_path / "clinic.sqlite3"
    with patient_record.PatientRecord(path, who="test") as rec:
        rec.set_clinic_settings(
            {
                "clinic_name": "Oqtepa Palliative Clinic",
                "clinic_phone": "+998 71 200 00 00",
                "clinic_out_of_hours_phone": "+998 71 200 99 99",
                "distress_cutoff": 3,
                "labels": "eu",
                "formulary": ["letrozole", "capecitabine"],
            }
        )
    return path


@pytest.fixture
def dt3_case(tmp_path: Path, quiet_raw) -> Path:
    quiet_raw["psychosocial"]["distress_thermometer"] = 3
    quiet_raw["psychosocial"]["problems"] = ["emotional"]
    path = tmp_path / "dt3.json"
    path.write_text(json.dumps(quiet_raw), encoding="utf-8")
    return path


def _plan(capsys, *argv: str) -> dict[str, Any]:
    assert cli.main(["plan", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def _psychology(plan: dict[str, Any]) -> bool:
    return any(r["service"] == "psychology" for r in plan["referrals"])


def test_without_db_the_defaults_are_used(no_env_db, dt3_case, capsys):
    plan = _plan(capsys, str(dt3_case))
    assert not _psychology(plan)
    assert plan["settings"]["instruments"]["distress_cutoff"] == "nccn"
    assert plan["settings"]["clinic_name"] == ""
    assert plan["labels"] == "us"


def test_with_db_the_record_settings_are_used(no_env_db, clinic_record, dt3_case, capsys):
    plan = _plan(capsys, str(dt3_case), "--db", str(clinic_record))
    assert _psychology(plan)
    assert plan["settings"]["instruments"]["distress_cutoff"] == "onf"
    assert plan["settings"]["distress_thermometer_cutoff"].startswith(">= 3")
    assert plan["settings"]["clinic_name"] == "Oqtepa Palliative Clinic"
    assert plan["labels"] == "eu"
    assert plan["settings"]["formulary"] == ["capecitabine", "letrozole"]


def test_labels_option_still_overrides_the_record(no_env_db, clinic_record, dt3_case, capsys):
    plan = _plan(capsys, str(dt3_case), "--db", str(clinic_record), "--labels", "us")
    assert plan["labels"] == "us"
    assert plan["settings"]["labels"] == "us"


def test_planner_db_environment_variable_is_used(monkeypatch, clinic_record, dt3_case, capsys):
    monkeypatch.setenv("PLANNER_DB", str(clinic_record))
    plan = _plan(capsys, str(dt3_case))
    assert _psychology(plan)
    assert plan["settings"]["clinic_name"] == "Oqtepa Palliative Clinic"


def test_pdf_prints_the_record_clinic_name_and_phones(
    no_env_db, clinic_record, example_path, tmp_path, capsys
):
    out = tmp_path / "plan.pdf"
    _plan(capsys, str(example_path), "--db", str(clinic_record), "--pdf", str(out))
    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "+998 71 200 00 00" in text
    assert "+998 71 200 99 99" in text


def test_missing_record_is_an_input_error(no_env_db, example_path, tmp_path, capsys):
    missing = tmp_path / "nowhere.sqlite3"
    assert cli.main(["plan", str(example_path), "--db", str(missing)]) == 2
    captured = capsys.readouterr()
    assert "no record here" in captured.err
    assert captured.out == ""
    assert not missing.exists()


def test_unusable_stored_settings_are_an_input_error(
    no_env_db, clinic_record, example_path, capsys
):
    with patient_record.PatientRecord(clinic_record, who="test") as rec:
        rec.set_clinic_settings({"distress_cutoff": 7})
    assert cli.main(["plan", str(example_path), "--db", str(clinic_record)]) == 2
    assert "distress_cutoff" in capsys.readouterr().err


def test_dose_with_db_uses_the_record(no_env_db, clinic_record, example_path, capsys):
    assert (
        cli.main(["dose", str(example_path), "--drug", "paclitaxel", "--db", str(clinic_record)])
        == 0
    )
    dose = json.loads(capsys.readouterr().out)
    assert any("formulary" in w for w in dose.get("warnings", []))
    assert cli.main(["dose", str(example_path), "--drug", "paclitaxel"]) == 0
    dose = json.loads(capsys.readouterr().out)
    assert not any("formulary" in w for w in dose.get("warnings", []))


@pytest.mark.parametrize("command", ["plan", "dose"])
def test_help_says_defaults_are_used_without_db(command, capsys):
    assert cli.main([command, "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "--db PATH" in text
    assert "without --db" in text.lower()
    assert "the program's documented defaults are used" in text
