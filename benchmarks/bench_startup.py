"""Start-up: time to the first paint of the filled main window, against a bare PySide6 window.

Both are whole processes (interpreter start, imports, opening the record, building the window,
first paint), measured the same way: each installs planner/ui/first_paint.py's `FirstPaint` on
its top-level window before `show()` (the bare window imports that file by its folder, without
the planner package), which prints `paint <time.monotonic()>` at the window's first Paint event
and `painted <time.monotonic()>` on the first turn of the event loop after it, when the whole
window has been painted and flushed. The parent subtracts the moment it spawned the child (the
same clock: CLOCK_MONOTONIC). `painted` is what the nurse waits for, and what the target is on.

The planner fills its list, Today's work and banners on the first turn of the event loop after
`show()`, before Qt's first paint (Qt posts a new window's paint at low priority, after the
zero-timers): what it paints first is the filled window. The bench checks that on every run
(`filled` before `paint`) and fails otherwise: an empty window painted before its list is not
what she waits for. Two more columns: `shown` (both sides print it from the first zero-timer
after `show()`, as this bench measured until 2026-12-08) and spawn-to-exit (it adds interpreter
and Qt teardown, which the user does not wait for at start-up).

Python bytecode is cached, as on any installed or once-run copy (PySide6's own modules come
compiled from the wheel): the children get a private PYTHONPYCACHEPREFIX, filled by the warm-up
run, even where PYTHONDONTWRITEBYTECODE is set. `--no-bytecode-cache` measures the planner
compiling its own sources on every start instead (the bare window is not affected).

Target (issues 7 and 16): on a 100-patient record, the planner's first paint of its filled
window is at most 1.5 × the bare window's first paint.

    python benchmarks/bench_startup.py [--runs 7] [--patients 100] [--db PATH]
                                       [--no-bytecode-cache]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 7
TARGET = 1.5

# The same probe as the planner's (`FirstPaint`), installed the same way: before show().
BARE = f"""
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
sys.path.insert(0, {str(ROOT / "planner" / "ui")!r})
from first_paint import FirstPaint
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.resize(1100, 700)
FirstPaint(w, app.quit, report=True)
w.show()
QTimer.singleShot(0, lambda: print(f"shown {{time.monotonic():.6f}}", flush=True))
app.exec()
"""

STAMPS = ("shown", "filled", "paint", "painted")


def _time(argv: list[str], env: dict[str, str]) -> dict[str, float]:
    """Seconds from spawning the child to each of its stamps, and to its exit (`exit`). A bare
    window is filled when it is shown."""
    start = time.monotonic()
    result = subprocess.run(argv, check=True, env=env, capture_output=True, text=True)
    ended = time.monotonic()
    found = {
        line.split()[0]: float(line.split()[1]) - start
        for line in result.stdout.splitlines()
        if line.split(" ")[0] in STAMPS
    }
    missing = [stamp for stamp in ("shown", "paint", "painted") if stamp not in found]
    if missing:
        raise RuntimeError(f"{argv[1]} did not report {missing}:\n{result.stderr}")
    found.setdefault("filled", found["shown"])
    if found["filled"] > found["paint"]:
        raise RuntimeError("the planner painted its window before the list was filled")
    found["exit"] = ended - start
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--patients", type=int, default=100)
    parser.add_argument("--db", type=Path, help="use this record instead of a new demo one")
    parser.add_argument("--no-bytecode-cache", action="store_true")
    args = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_bytecode_cache:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        db = args.db
        if db is None:
            db = Path(tmp) / "record.sqlite3"
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "planner",
                    "db",
                    "--db",
                    str(db),
                    "demo",
                    "--patients",
                    str(args.patients),
                ],
                env=env,
                capture_output=True,
                check=True,
            )
        app = [
            sys.executable,
            str(ROOT / "main.py"),
            "--db",
            str(db),
            "--smoke",
            "--settle-ms",
            "0",
        ]
        bare = [sys.executable, "-c", BARE]
        _time(bare, env), _time(app, env)  # warm the file cache
        # Interleaved, so a burst of load on the machine hits both alike.
        bare_times, app_times = [], []
        for _ in range(args.runs):
            bare_times.append(_time(bare, env))
            app_times.append(_time(app, env))
    cache = "not cached" if args.no_bytecode_cache else "cached"
    print(
        f"runs: {args.runs} each, interleaved; medians; record: {args.patients} patients;"
        f" bytecode {cache}"
    )
    columns = ("painted", "shown", "filled", "exit")
    print("                      to painted window   to shown    to filled    to exit")
    ratios = {}
    for name, times in (("bare PySide6 window", bare_times), ("planner main window", app_times)):
        cells = "".join(f" {_median(times, c) * 1000:9.0f} ms" for c in columns)
        print(f"{name} :  {cells}")
    for c in columns:
        ratios[c] = _median(app_times, c) / _median(bare_times, "shown" if c == "filled" else c)
    ratio = ratios["painted"]
    verdict = "meets" if ratio <= TARGET else "MISSES"
    cells = "".join(f" {ratios[c]:9.2f} ×  " for c in columns)
    print(f"ratio               :  {cells} ({verdict} the target: to painted window ≤ {TARGET} ×)")
    fastest = min(t["painted"] for t in app_times) / min(t["painted"] for t in bare_times)
    print(
        "(painted: the first turn after the window's first Paint event, its list filled; shown:"
        " the first zero-timer after show(); filled: against the bare window's shown;"
        f" min of the runs, to painted window: {fastest:.2f} ×)"
    )
    return 0 if ratio <= TARGET else 1  # `make bench` fails while the target is missed


def _median(times: list[dict[str, float]], stamp: str) -> float:
    return statistics.median(t[stamp] for t in times)


if __name__ == "__main__":
    raise SystemExit(main())
