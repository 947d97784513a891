"""Benchmark: organ assessment plus every drug's adapted dose for the contract example case.

Run: .venv/bin/python benchmarks/bench_dosing.py   (prints median milliseconds)
"""

from __future__ import annotations

import json
import statistics
import timeit
from pathlib import Path

from planner.domain.dosing import dose_inputs, drug_dose
from planner.services.case_commands import check_case
from planner.services.rule_tables import rules

CASE = Path(__file__).resolve().parents[1] / "tests" / "data" / "cases" / "example.json"


def main() -> None:
    ruleset = rules()
    checked = check_case(json.loads(CASE.read_text(encoding="utf-8")), ruleset)

    def assess() -> None:
        dose_inputs(
            checked.case, ruleset.limits, None, checked.doubts, instruments=ruleset.instruments
        )

    inputs = dose_inputs(
        checked.case, ruleset.limits, None, checked.doubts, instruments=ruleset.instruments
    )

    def every_drug() -> None:
        for drug in ruleset.doses.drugs:
            drug_dose(drug, inputs, ruleset.doses, "us")

    for name, fn in (("assessment (liver, kidney, body)", assess), ("all drug doses", every_drug)):
        runs = [t / 20 * 1000 for t in timeit.repeat(fn, number=20, repeat=15)]
        print(f"{name}: median {statistics.median(runs):.3f} ms ({len(ruleset.doses.drugs)} drugs)")


if __name__ == "__main__":
    main()
