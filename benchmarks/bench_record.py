"""Scale of the local record: fill, open and search times on a large synthetic record.

    .venv/bin/python -m benchmarks record
    .venv/bin/python benchmarks/bench_record.py [--patients 100000] [--db PATH] [--runs 7]
                                               [--cache DIR] [--plans]

The record is built once and kept: under DIR (default: planner-bench in the system's temp
folder) as record-<digest>.sqlite3, the digest covering what decides its contents (patients,
seed, the schema's migrations, the demo generator, the transliteration table). A second run
with the same code reuses it, so runs are comparable and quick; a change to any of those builds
a new one. `--db PATH` uses (or builds) that file instead.

Prints: the load average (the machine may be shared: read ratios, not milliseconds); the demo
fill time (`planner db demo`, whole process) when it was built; the time to open the record and
read the first page of patients; and `planner search` as a whole process against
`planner --help` (the cost of starting the program), as a ratio. The two are timed
alternately, run by run, so both see the same load. Targets: fill of 100,000 patients within
120 s; each search within 1.3 x bare start-up (issue 20), the searches being the spellings the
clinics type (Cyrillic for Latin and back, oʻ/gʻ apostrophes, -aeva for -ayeva, MRNs with and
without punctuation). `--plans` prints each search's EXPLAIN QUERY PLAN.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sqlite3
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
    "chaterjee",  # Indian spellings (walk24 #4): ee/i, doubled letters, ksh/x
    "laxmi",
]
TARGET_RATIO = 1.3


ROOT = Path(__file__).resolve().parents[1]
SEED = 1
# What decides the demo record's contents: a change to any of these builds a new one.
CONTENT_FILES = [
    ROOT / "planner" / "storage" / "demo.py",
    ROOT / "planner" / "storage" / "bulk.py",
    ROOT / "planner" / "storage" / "migration_names.py",
    ROOT / "planner" / "domain" / "demo_cases.py",
    ROOT / "planner" / "domain" / "name_keys.py",
    ROOT / "resources" / "search" / "transliteration.toml",
]


def timed(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def paired_medians(argv: list[str], bare: list[str], runs: int) -> tuple[float, float]:
    """Median times of `argv` and of `bare`, run alternately (same load for both)."""
    timed(argv)  # warm the file cache
    timed(bare)
    took, base = [], []
    for _ in range(runs):
        took.append(timed(argv))
        base.append(timed(bare))
    return statistics.median(took), statistics.median(base)


def record_digest(patients: int) -> str:
    digest = hashlib.sha256(f"patients={patients} seed={SEED}\n".encode())
    for path in CONTENT_FILES:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def built_record(path: Path, patients: int) -> None:
    """Fill a new demo record at `path` (through a temporary name: a run stopped half-way
    leaves no half-built record to be reused)."""
    partial = path.with_name(path.name + ".building")
    partial.unlink(missing_ok=True)
    seconds = timed(
        [*PLANNER, "db", "--db", str(partial), "demo", "--patients", str(patients),
         "--seed", str(SEED)]
    )  # fmt: skip
    # the record's companions live beside it under its name (the audit key,
    # storage.audit_key; a write-ahead log not yet folded in): they move first, so a record
    # at `path` always has them
    for suffix in ("-audit.key", "-wal", "-shm"):
        companion = partial.with_name(partial.name + suffix)
        if companion.exists():
            companion.replace(path.with_name(path.name + suffix))
    partial.replace(path)
    size = path.stat().st_size / 1e6
    print(f"demo fill, {patients} patients: {seconds:.1f} s ({size:.0f} MB)")


def print_plans(path: Path) -> None:
    """Each search's EXPLAIN QUERY PLAN, each distinct plan once with the searches it serves."""
    sys.path.insert(0, str(ROOT))
    from planner.storage import search

    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    plans: dict[str, list[str]] = {}
    for text in SEARCHES:
        query = search.search_query(text)
        assert query is not None
        sql, params = query
        rows = conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = "\n".join(f"  {parent:>3} {detail}" for _id, parent, _notused, detail in rows)
        plans.setdefault(plan, []).append(text)
    conn.close()
    for plan, texts in plans.items():
        print(f"EXPLAIN QUERY PLAN of search {', '.join(map(repr, texts))}:\n{plan}")


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} CPUs)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None, help="use or build the record here")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "planner-bench")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--plans", action="store_true", help="print EXPLAIN QUERY PLAN")
    args = parser.parse_args()
    print(load())
    path = args.db
    if path is None:
        args.cache.mkdir(parents=True, exist_ok=True)
        path = args.cache / f"record-{record_digest(args.patients)}.sqlite3"
    if path.exists():
        print(f"using the existing record {path}")
    else:
        built_record(path, args.patients)

    sys.path.insert(0, str(ROOT))
    from planner.services import patient_record

    started = time.perf_counter()
    record = patient_record.PatientRecord(path)
    count = record.patient_count()
    first_page = record.patients_page(200, 0)
    opened = time.perf_counter() - started
    record.close()
    print(
        f"open + count + first page of {len(first_page)}: {opened * 1000:.0f} ms ({count} patients)"
    )
    if args.plans:
        print_plans(path)

    bare = [*PLANNER, "--help"]
    print(f"planner search against planner --help, alternately, median of {args.runs} each:")
    worst = 0.0
    for text in SEARCHES:
        took, base = paired_medians([*PLANNER, "search", "--db", str(path), text], bare, args.runs)
        worst = max(worst, took / base)
        print(
            f"planner search {text!r}: {took * 1000:.0f} ms, --help {base * 1000:.0f} ms"
            f"  (ratio {took / base:.2f})"
        )
    verdict = "within" if worst <= TARGET_RATIO else "OVER"
    print(f"worst search / bare start-up: {worst:.2f} ({verdict} the target {TARGET_RATIO})")
    print(load())

    started = time.perf_counter()
    with patient_record.PatientRecord(path, migrate=False) as record:
        problems = record.check()
    print(f"planner db check: {time.perf_counter() - started:.1f} s, {len(problems)} problem(s)")


if __name__ == "__main__":
    main()
