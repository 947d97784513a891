"""`planner db amend | merge | retire` (issue 20 leftovers): the record corrected from the command
line as in the window, each change signed --by a name with a --reason, audited, nothing lost;
bad input exits 2 naming the argument or the case field, and changes nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from planner.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "cases" / "example.json"


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("patients", "assessments", "audit_log")
        }


def audit(db: Path, who: str) -> list[str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT table_name FROM audit_log WHERE who = ? ORDER BY id", [who])
        return [name for (name,) in rows]


@pytest.fixture
def record(tmp_path) -> Path:
    """Two records of one woman: TAS-000123 (assessment 1) and TAS-777 (assessment 2)."""
    db = tmp_path / "record.sqlite3"
    twin = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    twin["patient"].update(mrn="TAS-777", family_name="Каримова", given_name="Дилноза")
    (tmp_path / "twin.json").write_text(json.dumps(twin), encoding="utf-8")
    assert main(["db", "--db", str(db), "import", str(EXAMPLE), str(tmp_path / "twin.json")]) == 0
    return db


def corrected(tmp_path: Path, name: str = "corrected", **labs: object) -> Path:
    case = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    for lab, value in labs.items():
        case["labs"][lab]["value"] = value
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    return path


def db(record: Path, *args: str) -> int:
    return main(["db", "--db", str(record), *args])


def test_amend_keeps_the_corrected_case_as_a_new_version(record, tmp_path, capsys):
    fixed = corrected(tmp_path, albumin=13)
    code = db(record, "amend", "1", str(fixed), "--reason", "albumin typo", "--by", "Nurse A")
    assert code == 0
    assert "kept as assessment 3" in capsys.readouterr().out
    with sqlite3.connect(record) as conn:
        new, old = (
            json.loads(row[0])
            for i in (3, 1)
            for row in conn.execute("SELECT case_json FROM assessments WHERE id = ?", [i])
        )
        reason = conn.execute("SELECT reason FROM assessment_amendments").fetchone()[0]
    assert new["labs"]["albumin"]["value"] == 13
    assert old["labs"]["albumin"]["value"] == 31  # the old version is kept
    assert reason == "albumin typo"
    assert "assessment_amendments" in audit(record, "Nurse A")
    assert db(record, "check") == 0


def test_merge_moves_everything_and_retire_hides(record, capsys):
    before = counts(record)
    assert (
        db(record, "merge", "TAS-000123", "TAS-777", "--reason", "same woman", "--by", "Dr B") == 0
    )
    assert "merged TAS-777 into TAS-000123: 1 assessment(s)" in capsys.readouterr().out
    after = counts(record)
    assert after["patients"] == before["patients"]  # kept, hidden
    assert after["assessments"] == before["assessments"]
    assert "patient_merges" in audit(record, "Dr B")
    assert main(["search", "--db", str(record), "TAS-777"]) == 0
    assert capsys.readouterr().out == ""
    assert db(record, "retire", "TAS-000123", "--reason", "training", "--by", "Dr B") == 0
    assert "patient_retirements" in audit(record, "Dr B")
    assert db(record, "check") == 0


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["amend", "99", "{fixed}", "--reason", "r", "--by", "N"], "ASSESSMENT:"),
        (["amend", "1", "{bad}", "--reason", "r", "--by", "N"], "labs.albumin.value:"),
        (["amend", "1", "{fixed}", "--reason", " ", "--by", "N"], "--reason:"),
        (["amend", "1", "{fixed}", "--reason", "r", "--by", " "], "--by:"),
        (["amend", "1", "{fixed}", "--by", "N"], "--reason"),
        (["merge", "TAS-000123", "TAS-000123", "--reason", "r", "--by", "N"], "OTHER_MRN:"),
        (["merge", "TAS-000123", "NOPE", "--reason", "r", "--by", "N"], "OTHER_MRN:"),
        (["merge", "NOPE", "TAS-777", "--reason", "r", "--by", "N"], "KEEP_MRN:"),
        (["retire", "NOPE", "--reason", "r", "--by", "N"], "MRN:"),
        (["retire", "TAS-777", "--reason", "r"], "--by"),
    ],
)
def test_bad_input_exits_2_naming_it_and_changes_nothing(record, tmp_path, capsys, args, named):
    files = {"fixed": str(corrected(tmp_path, albumin=13))}
    files["bad"] = str(corrected(tmp_path, "bad", albumin="x"))
    before = counts(record)
    assert db(record, *[a.format(**files) for a in args]) == 2
    assert named in capsys.readouterr().err
    assert counts(record) == before
