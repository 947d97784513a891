"""Why planner/ui/__init__.py raises the reference counts of None, True and False on CPython 3.11.

PySide6 6.12 returns None from every void method, and True from `Signal.emit`, without taking
the reference it hands back. On 3.12+ these objects are immortal (PEP 683) and nothing happens;
on 3.11 each call costs one reference, and a session aborts ("none_dealloc") once the few
thousand references the interpreter holds are used up. These tests show the fault without the
workaround and its absence with it, so the workaround goes the day either condition ends.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = [
    pytest.mark.gui,
    pytest.mark.skipif(sys.version_info >= (3, 12), reason="immortal singletons (PEP 683)"),
]

CALLS = """
import sys
{setup}
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
for _ in range(50_000):
    label.setText("x")
print("survived")
"""


def _run(setup: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CALLS.format(setup=setup)],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
        check=False,
    )


def test_without_the_workaround_pyside_aborts_the_interpreter():
    done = _run("")
    assert done.returncode != 0
    assert "none_dealloc" in done.stderr


def test_with_the_workaround_the_same_calls_are_harmless():
    done = _run("import planner.ui")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "survived\n"
