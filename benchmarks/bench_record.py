"""Scale of the local record: fill, open and search times on a large synthetic record.

    .venv/bin/python benchmarks/bench_record.py [--patients 100000] [--db PATH] [--runs 7]

Prints: the demo fill time (`planner db demo`, whole process); the time to open the record and
read the first page of patients; and `planner search` as a whole process against
`planner --help` (the cost of starting the program), as a ratio. Targets: fill of 100,000
patients within 120 s; each search within 1.3 x bare start-up (issue 20), the searches being
the spellings the clinics type (Cyrillic for Latin and back, oʻ/gʻ apostrophes, -aeva for
-ayeva, MRNs with and without punctuation).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PLANNER = [sys.executable, "-m", "planner"]
SEARCHES = [
    "kar",
    "sahin",
    "кари",
    "Каримова",
    "dilnoza karimova",
    "abdullaeva",
    "g`ulomova",
    "Холматова",
    "TAS-1-000123",
    "tas 1 000123",
    "000123",
]
TARGET_RATIO = 1.3


def timed(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def median_time(argv: list[str], runs: int) -> float:
    timed(argv)  # warm the file cache
    return statistics.median(timed(argv) for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None, help="keep the record here")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        path = args.db or Path(scratch) / "bench.sqlite3"
        if path.exists():
            print(f"using the existing record {path}")
        else:
            seconds = timed(
                [
                    *PLANNER,
                    "db",
                    "--db",
                    str(path),
                    "demo",
                    "--patients",
                    str(args.patients),
                    "--seed",
                    "1",
                ]
            )
            size = path.stat().st_size / 1e6
            print(f"demo fill, {args.patients} patients: {seconds:.1f} s ({size:.0f} MB)")

        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from planner.services import patient_record

        started = time.perf_counter()
        record = patient_record.PatientRecord(path)
        count = record.patient_count()
        first_page = record.patients_page(200, 0)
        opened = time.perf_counter() - started
        record.close()
        print(
            f"open + count + first page of {len(first_page)}: {opened * 1000:.0f} ms "
            f"({count} patients)"
        )

        bare = median_time([*PLANNER, "--help"], args.runs)
        print(f"planner --help (whole process, median of {args.runs}): {bare * 1000:.0f} ms")
        worst = 0.0
        for text in SEARCHES:
            took = median_time([*PLANNER, "search", "--db", str(path), text], args.runs)
            worst = max(worst, took)
            print(f"planner search {text!r}: {took * 1000:.0f} ms  (ratio {took / bare:.2f})")
        print(f"worst search / bare start-up: {worst / bare:.2f} (target {TARGET_RATIO})")

        started = time.perf_counter()
        with patient_record.PatientRecord(path, migrate=False) as record:
            problems = record.check()
        print(
            f"planner db check: {time.perf_counter() - started:.1f} s, {len(problems)} problem(s)"
        )


if __name__ == "__main__":
    main()
