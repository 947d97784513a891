"""How the program ends: a normal interpreter exit (planner.cli.run), the contract's exit codes,
and an internal error as one line, or with its traceback under `--debug`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from pypdf import PdfReader

from planner.cli import main
from planner.services import case_commands, record_admin

PROGRAM = [sys.executable, "-m", "planner"]

WITH_EXIT_HANDLER = """
import atexit, sys
atexit.register(lambda: print("exit handler ran", flush=True))
from planner.cli import run
sys.argv = ["planner", "plan", sys.argv[1], "--pdf", sys.argv[2]]
run()
"""


def test_the_whole_plan_and_pdf_are_written_before_the_process_ends(example_path, tmp_path):
    pdf = tmp_path / "plan.pdf"
    done = subprocess.run(
        [
            *PROGRAM,
            *("plan", str(example_path), "--pdf", str(pdf), "--audience", "both"),
            *("--evidence", "--slips"),
        ],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    plan = json.loads(done.stdout)  # all of it: ~150 KB
    assert plan["schema"] == "planner.plan/1"
    assert done.stdout.endswith(b"}\n")
    assert len(PdfReader(pdf).pages) >= 10


def test_exit_codes_and_messages_survive(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"patient": 1}', encoding="utf-8")
    done = subprocess.run([*PROGRAM, "plan", str(bad)], capture_output=True, text=True)
    assert done.returncode == 2
    assert "patient" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_exit_handlers_run_after_the_output(example_path, tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", WITH_EXIT_HANDLER, str(example_path), str(tmp_path / "p.pdf")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.endswith("}\nexit handler ran\n")


@pytest.fixture
def broken_engine(monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the engine broke")

    monkeypatch.setattr(case_commands, "make_plan", fail)


def test_an_internal_error_is_one_line_and_exit_1(broken_engine, example_path, capsys):
    assert main(["plan", str(example_path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "internal error: RuntimeError: the engine broke (--debug shows where)"
    ]


@pytest.mark.parametrize(
    "argv",
    [["--debug", "plan", "{case}"], ["plan", "{case}", "--debug"]],
    ids=["before the command", "after the command"],
)
def test_debug_shows_the_traceback_of_an_internal_error(broken_engine, example_path, capsys, argv):
    assert main([a.replace("{case}", str(example_path)) for a in argv]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):")
    assert "in fail" in err  # where it happened, not only what
    assert err.rstrip().endswith("RuntimeError: the engine broke")


def test_debug_never_turns_bad_input_into_a_traceback(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"patient": 1}', encoding="utf-8")
    assert main(["--debug", "validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "patient" in err
    assert "Traceback" not in err


def test_debug_after_a_record_command(tmp_path, capsys, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the check broke")

    monkeypatch.setattr(record_admin, "check_record", fail)
    record = tmp_path / "r.db"
    assert main(["db", "--db", str(record), "init"]) == 0
    capsys.readouterr()
    assert main(["db", "--db", str(record), "check", "--debug"]) == 1
    assert "Traceback" in capsys.readouterr().err
