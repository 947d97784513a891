"""Start-up: time to a shown main window on a record, against a bare PySide6 window.

Both are whole processes (interpreter start, imports, first paint, exit), measured the same way:
each child prints the moment its window is exposed, and the parent times spawn-to-exit.
Target (issue 7): the planner's start-up is at most 1.5 × the bare window's.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 7

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.resize(1100, 700); w.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""


def _time(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, env=env, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "record.sqlite3"
        # A populated record, if the record's demo command is available; else an empty one.
        subprocess.run(
            [sys.executable, "-m", "planner", "db", "--db", str(db), "demo", "--patients", "2000"],
            env=env,
            capture_output=True,
            check=False,
        )
        app = [sys.executable, str(ROOT / "main.py"), "--db", str(db), "--smoke", "--settle-ms", "0"]
        bare = [sys.executable, "-c", BARE]
        _time(bare, env), _time(app, env)  # warm the file cache
        bare_s = statistics.median(_time(bare, env) for _ in range(RUNS))
        app_s = statistics.median(_time(app, env) for _ in range(RUNS))
    print(f"bare PySide6 window : {bare_s * 1000:7.0f} ms (median of {RUNS})")
    print(f"planner main window : {app_s * 1000:7.0f} ms (median of {RUNS})")
    print(f"ratio               : {app_s / bare_s:7.2f} × (target ≤ 1.5 ×)")


if __name__ == "__main__":
    main()
