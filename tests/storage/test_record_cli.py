"""`planner db ...` and `planner search`: exit codes and messages (contract §1)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from contextlib import closing

import pytest
from record_helpers import PLANNER, case_for, query

from planner import cli


@pytest.fixture
def case_files(tmp_path, example_raw):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(example_raw), "utf-8")
    second = tmp_path / "second.json"
    second.write_text(json.dumps(case_for(example_raw, "LDN-1", family_name="Smith")), "utf-8")
    bad_raw = case_for(example_raw, "BAD-1")
    bad_raw["labs"]["bilirubin"]["unit"] = "mmol/L"
    bad_raw["body"]["weight_kg"] = 540
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bad_raw), "utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", "utf-8")
    return good, second, bad, broken


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_init_and_check(capsys, record_path):
    assert run(capsys, "db", "--db", record_path, "init")[0] == 0
    code, out, _ = run(capsys, "db", "check", "--db", record_path)  # --db after the action too
    assert (code, out) == (0, "ok\n")


def test_check_of_a_missing_or_foreign_file_is_bad_input(capsys, tmp_path):
    code, _, err = run(capsys, "db", "--db", tmp_path / "none.sqlite3", "check")
    assert code == 2
    assert "no record here" in err
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"x" * 5000)
    code, _, err = run(capsys, "db", "--db", junk, "check")
    assert code == 2
    assert "Traceback" not in err


def test_check_reports_problems_with_exit_1(capsys, record_path, case_files):
    run(capsys, "db", "--db", record_path, "import", case_files[0])
    with closing(sqlite3.connect(record_path)) as conn:
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET who = 'x' WHERE id = 1")
        conn.commit()
    code, out, _ = run(capsys, "db", "--db", record_path, "check")
    assert code == 1
    assert "audit_log #1" in out


def test_batch_import_reports_each_file(capsys, record_path, case_files):
    good, second, bad, broken = case_files
    code, out, err = run(capsys, "db", "--db", record_path, "import", good, bad, second, broken)
    assert code == 2
    lines = out.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith(f"ok {good}: patient TAS-000123 (new)")
    assert lines[1].startswith(f"refused {bad}: ")
    assert "labs.bilirubin.unit" in lines[1]
    assert "body.weight_kg: 540 is outside 20–300 kg" in lines[1]
    assert lines[2].startswith(f"ok {second}")
    assert lines[3].startswith(f"refused {broken}: ")
    assert f'{bad}: labs.bilirubin.unit: "mmol/L" is not one of umol/L, mg/dL' in err
    assert "Traceback" not in err
    assert query(record_path, "SELECT mrn FROM patients ORDER BY mrn") == [
        ("LDN-1",),
        ("TAS-000123",),
    ]


def test_import_all_good_exits_0(capsys, record_path, case_files):
    assert run(capsys, "db", "--db", record_path, "import", case_files[0], case_files[1])[0] == 0
    code, out, _ = run(capsys, "db", "--db", record_path, "import", case_files[0])
    assert code == 0
    assert "already in the record" in out


def test_export_and_demo(capsys, record_path, tmp_path):
    code, out, _ = run(capsys, "db", "--db", record_path, "demo", "--patients", "12", "--seed", "3")
    assert code == 0
    assert out.startswith("added 12 synthetic patients")
    code, out, _ = run(capsys, "db", "--db", record_path, "export", tmp_path / "out")
    assert code == 0
    assert len(list((tmp_path / "out").glob("*.json"))) == int(out.split()[0])


def test_backup_and_restore_commands(capsys, record_path, tmp_path, case_files):
    run(capsys, "db", "--db", record_path, "import", case_files[0])
    backup = tmp_path / "b.sqlite3"
    assert run(capsys, "db", "--db", record_path, "backup", backup)[0] == 0
    assert run(capsys, "db", "--db", record_path, "backup", backup)[0] == 2  # never overwrites
    code, out, _ = run(capsys, "db", "--db", record_path, "restore", backup)
    assert code == 0
    assert "kept as" in out
    code, _, err = run(capsys, "db", "--db", record_path, "restore", case_files[0])
    assert code == 2
    assert "not a planner record" in err or "file is not a database" in err


def test_search_prints_json_lines(capsys, record_path, case_files):
    run(capsys, "db", "--db", record_path, "import", case_files[0], case_files[1])
    code, out, _ = run(capsys, "search", "--db", record_path, "kar")
    assert code == 0
    (line,) = out.splitlines()
    assert json.loads(line)["mrn"] == "TAS-000123"
    code, out, _ = run(capsys, "search", "--db", record_path, "dilnoza", "karimova", "--limit", "5")
    assert [json.loads(x)["mrn"] for x in out.splitlines()] == ["TAS-000123"]
    assert run(capsys, "search", "--db", record_path, "nobody")[:2] == (0, "")
    assert run(capsys, "search", "--db", record_path / "nothing", "x")[0] == 2


def test_db_defaults_to_planner_db(capsys, record_path, monkeypatch):
    monkeypatch.setenv("PLANNER_DB", str(record_path))
    assert run(capsys, "db", "init")[0] == 0
    assert record_path.is_file()


def test_search_as_a_process_is_light(record_path, case_files):
    """`planner search` runs without importing sqlite_utils or the rule tables' loader work."""
    subprocess.run(
        [*PLANNER, "db", "--db", str(record_path), "import", str(case_files[0])],
        check=True,
        capture_output=True,
    )
    probe = (
        "import sys; from planner import cli; code = cli.main(['search', '--db', sys.argv[1], "
        "'kar']); assert 'sqlite_utils' not in sys.modules, 'sqlite_utils imported'; "
        "sys.exit(code)"
    )
    done = subprocess.run(
        [PLANNER[0], "-c", probe, str(record_path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["mrn"] == "TAS-000123"


def test_a_demo_record_has_a_day_to_work_through(capsys, record_path):
    """Walk 16d: the 300-patient demo had no plans, so Today's work was empty and a clinic day
    could not be tried. The most recently assessed get a plan, their reviews booked near today."""
    import datetime as dt

    from planner.services.kept_plans import DEMO_PLANS
    from planner.services.patient_record import PatientRecord

    code, out, _ = run(capsys, "db", "--db", record_path, "demo", "--patients", "60")
    assert code == 0
    assert f"and {DEMO_PLANS} plans of the most recently assessed" in out
    with PatientRecord(record_path, who="test") as record:
        due = record.worklist().reviews_due
        today = dt.date.today().isoformat()
    assert any(p.review_due_on == today for p in due)
    assert any(p.review_due_on is not None and p.review_due_on < today for p in due)  # overdue
