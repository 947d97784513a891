"""`planner plan x.json | head`: a reader that closes the pipe early ends the command quietly."""

from __future__ import annotations

import io
import subprocess
import sys

from planner.cli import main


class ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_closed_stdout_exits_0_without_a_message(monkeypatch, capsys, example_path):
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    code = main(["plan", str(example_path)])
    err = capsys.readouterr().err
    assert code == 0
    assert "internal error" not in err
    assert err == ""


def test_plan_piped_into_a_reader_that_stops_early(example_path):
    """A real pipe: the reader takes one line and closes it (like `| head -1`)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "planner", "plan", str(example_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.stderr.close()
    proc.wait(timeout=120)
    assert first.strip() == b"{"
    assert "BrokenPipeError" not in err
    assert "internal error" not in err
    assert proc.returncode == 0
