"""Median time of `build_plan` on the contract example case and on a case with a cycle review
(contract §5; target: <= 5 ms per case each).

    .venv/bin/python benchmarks/bench_engine.py [--number N] [--repeat R]

Rules are loaded and the case validated once, outside the timing: the figure is the engine alone
(organ assessments, dosing of every option drug, subtype, line, selection, ranking, JSON).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner.domain.engine import build_plan  # noqa: E402
from planner.domain.settings import ClinicSettings  # noqa: E402
from planner.services import case_commands, rule_tables  # noqa: E402

CASES = {
    "example case": ROOT / "tests" / "data" / "cases" / "example.json",
    # on capecitabine, cycle 4: baseline labs, cycles given, two toxicities (issue #19)
    "cycle review": ROOT / "tests" / "data" / "cases" / "on_treatment_capecitabine.json",
}
TARGET_MS = 5.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=50, help="plans per timing run")
    parser.add_argument("--repeat", type=int, default=20, help="timing runs")
    args = parser.parse_args()

    rules = rule_tables.rules()
    settings = ClinicSettings()
    missed = 0
    for name, path in CASES.items():
        checked = case_commands.check_case(json.loads(path.read_text(encoding="utf-8")), rules)

        def plan_once(checked: case_commands.CheckedCase = checked) -> None:
            build_plan(checked.case, checked.doubts, rules, settings).to_json()

        plan_once()  # warm-up
        runs = timeit.repeat(plan_once, number=args.number, repeat=args.repeat)
        per_case_ms = [run / args.number * 1000 for run in runs]
        median = statistics.median(per_case_ms)
        print(
            f"build_plan ({name}): median {median:.3f} ms per case, "
            f"min {min(per_case_ms):.3f} ms, max {max(per_case_ms):.3f} ms "
            f"({args.repeat} runs x {args.number}); target <= {TARGET_MS} ms: "
            + ("met" if median <= TARGET_MS else "NOT met")
        )
        missed += median > TARGET_MS
    return 1 if missed else 0  # `make bench` fails while a target is missed


if __name__ == "__main__":
    raise SystemExit(main())
