"""The program ends with os._exit after main() (planner.cli.run): nothing may be lost by it."""

from __future__ import annotations

import json
import subprocess
import sys

from pypdf import PdfReader

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
        [*PROGRAM, "plan", str(example_path), "--pdf", str(pdf), "--audience", "both"],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)  # all of it: ~150 KB, written before os._exit
    assert plan["schema"] == "planner.plan/1"
    assert done.stdout.endswith(b"}\n")
    assert len(PdfReader(pdf).pages) >= 10


def test_exit_codes_and_messages_survive(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"patient": 1}', encoding="utf-8")
    done = subprocess.run([*PROGRAM, "plan", str(bad)], capture_output=True, text=True)
    assert done.returncode == 2
    assert "patient" in done.stderr
    assert done.stdout == ""


def test_exit_handlers_still_run(example_path, tmp_path):
    """Only the interpreter's teardown is skipped: atexit handlers (logging's flush) still run."""
    done = subprocess.run(
        [sys.executable, "-c", WITH_EXIT_HANDLER, str(example_path), str(tmp_path / "p.pdf")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.endswith("}\nexit handler ran\n")
