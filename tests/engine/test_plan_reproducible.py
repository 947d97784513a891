"""The same case gives the same plan document in every process (found by the speed work: the
reasons of a supportive row followed the hash seed, so stored plans and PDFs were not
reproducible)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CASES = Path(__file__).resolve().parents[1] / "data" / "cases"


@pytest.mark.parametrize(
    "case",
    [
        CASES / "example.json",
        CASES / "review" / "14_child_pugh_c_ecog3_best_supportive_care.json",
        CASES / "review" / "13_elderly_45kg_crcl25_pain7_depressed.json",
    ],
    ids=lambda p: p.stem,
)
def test_plan_json_does_not_depend_on_the_hash_seed(case):
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-m", "planner", "plan", str(case)],
            capture_output=True,
            env=env,
            check=True,
            timeout=120,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1
