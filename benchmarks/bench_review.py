"""Median time of one cycle review as the course window asks for it (`preview_cycle`: the day's
case from the course, the lab grades, the plan with `next_cycle`), on a record holding the
sample patient on capecitabine with neutrophils graded 2 today (issue 19).

    .venv/bin/python benchmarks/bench_review.py [--number N] [--repeat R] [--root TREE]

The review reads the record (course, base case, earlier panels) and validates the case as the
window does; the engine runs once per review (engine.lab_grades reads the grades before the
plan). `--root` times another checkout's code on the same machine in the same minute (a
before/after ratio: the machine may be shared).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import timeit
from pathlib import Path

DAY = dt.date(2026, 11, 20)


# Written out here rather than imported from tests/course_setup.py: --root may name an older
# tree, without that module, for a before/after comparison.
def labs_on(day: dt.date) -> dict[str, object]:
    return {
        "drawn_on": day.isoformat(),
        "bilirubin": {"value": 30, "unit": "umol/L", "uln": 21},
        "ast": {"value": 80, "unit": "U/L", "uln": 40},
        "alt": {"value": 60, "unit": "U/L", "uln": 45},
        "alp": {"value": 300, "unit": "U/L", "uln": 130},
        "albumin": {"value": 32, "unit": "g/L"},
        "creatinine": {"value": 70, "unit": "umol/L"},
        "anc": {"value": 1.2, "unit": "10^9/L"},
        "platelets": {"value": 220, "unit": "10^9/L"},
        "hemoglobin": {"value": 110, "unit": "g/L"},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=10, help="reviews per timing run")
    parser.add_argument("--repeat", type=int, default=15, help="timing runs")
    parser.add_argument("--root", default=str(Path(__file__).resolve().parents[1]))
    args = parser.parse_args()
    root = Path(args.root).resolve()
    sys.path.insert(0, str(root))
    from planner.domain.treatment_course import SideEffect
    from planner.services import kept_plans
    from planner.services import treatment_courses as courses
    from planner.services.patient_record import PatientRecord

    raw = json.loads((root / "tests" / "data" / "cases" / "example.json").read_text("utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("PLANNER_USER", "bench")
        with PatientRecord(Path(folder) / "record.sqlite3", who="bench") as record:
            outcome = record.import_case(copy.deepcopy(raw))
            made = kept_plans.make_and_keep_plan(record, outcome.assessment_id)
            plan_id = kept_plans.decide_plan(
                record,
                made.plan_id,
                course="option",
                regimen="capecitabine",
                reason="oral capecitabine at home, chosen for the benchmark",
            )
            course_id = courses.start_course(record, plan_id, cycle_days=14, started_on=DAY)
            # 14-day cycles: the second cycle's review (day 15) is in the past from 2026-12-04 on
            c2 = DAY + dt.timedelta(days=14)
            entry = courses.CycleEntry(
                course_id,
                c2,
                labs_on(c2),
                (SideEffect("palmar_plantar_erythrodysesthesia", 2, 1),),
            )
            courses.preview_cycle(record, entry)  # warm-up
            runs = timeit.repeat(
                lambda: courses.preview_cycle(record, entry),
                number=args.number,
                repeat=args.repeat,
            )
    per_review = sorted(run / args.number * 1000 for run in runs)
    print(
        f"preview_cycle ({root.name}): median {statistics.median(per_review):.3f} ms per "
        f"review, min {per_review[0]:.3f} ms, max {per_review[-1]:.3f} ms "
        f"({args.repeat} runs x {args.number})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
