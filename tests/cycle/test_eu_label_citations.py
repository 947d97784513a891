"""cycle24 #6: the EU label set's cycle rules cited the US labels (walk 23 #16: an EU clinic's
cycle sheet cited the US FASLODEX label). On the EU labels a cycle row cites its EU SmPC section
where the rules hold one, and not the US label beside it; a row with a US label only is shown
unverified for the EU label, said once in the drug's reasons (safety rules 1 and 6). The US
label set cites the US labels as before."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from tests.independent_review import run_planner

CASES = Path(__file__).parents[1] / "data" / "independent_rx23"
EU_NOTE = "the clinic follows the EU labels, and the cycle rows used here cite the US label only"


@cache
def _plan(prefix: str, labels: str) -> dict[str, Any]:
    (case,) = CASES.glob(f"{prefix}_*.json")
    done = run_planner("plan", case, "--labels", labels)
    assert done.returncode == 0, done.stderr
    plan: dict[str, Any] = json.loads(done.stdout)
    return plan


def _row(prefix: str, labels: str, drug: str) -> dict[str, Any]:
    (row,) = [d for d in _plan(prefix, labels)["next_cycle"]["drugs"] if d["drug"] == drug]
    return row


def _sources(row: dict[str, Any]) -> set[str]:
    return {b["source"] for b in row["basis"] if b["rule"].startswith("cycle.")}


def test_an_eu_clinic_s_fulvestrant_cites_the_smpc_not_the_us_label():
    row = _row("K01", "eu", "fulvestrant")
    assert _sources(row) == {"cycle.src.faslodex_smpc"}
    assert not any(EU_NOTE in r for r in row["reasons"])


def test_an_eu_clinic_s_capecitabine_cites_the_smpc_not_the_us_label():
    row = _row("X01", "eu", "capecitabine")
    assert "cycle.src.xeloda_smpc" in _sources(row)
    assert "cycle.src.xeloda_uspi" not in _sources(row)


def test_a_row_with_the_us_label_only_is_unverified_for_an_eu_clinic_and_says_so():
    row = _row("K01", "eu", "abemaciclib")
    cycle_rows = [b for b in row["basis"] if b["rule"].startswith("cycle.")]
    assert cycle_rows
    assert {b["source"] for b in cycle_rows} == {"cycle.src.verzenio_uspi"}
    assert not any(b["verified"] for b in cycle_rows)
    assert sum(EU_NOTE in r for r in row["reasons"]) == 1
    assert row["dose"] == {"value": 100, "unit": "mg"}  # the decision itself is the same


def test_a_us_clinic_cites_the_us_labels():
    fulvestrant = _row("K01", "us", "fulvestrant")
    assert _sources(fulvestrant) == {"cycle.src.faslodex_uspi"}
    abemaciclib = _row("K01", "us", "abemaciclib")
    assert not any(EU_NOTE in r for r in abemaciclib["reasons"])
    assert "cycle.src.xeloda_uspi" in _sources(_row("X01", "us", "capecitabine"))
