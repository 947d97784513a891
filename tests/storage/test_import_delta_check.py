"""Course item 3: `planner db import` runs the delta check the window's labs page asks
(resources/rules/lab_deltas.toml) against the patient's previous results. A case with a jump is
kept (a jump is a question, not an invalid document: contract §1, exit 0 · 2 for bad input) but
flagged: a warning on stderr naming the field, the old and new values with their units, and the
stdout line says a result was kept unconfirmed. A jump the case's `lab_confirmations` confirms
is not flagged again."""

from __future__ import annotations

import copy
import json

from planner import cli


def later(example_raw, bilirubin: dict, **extra) -> dict:
    raw = copy.deepcopy(example_raw)
    raw["assessed_on"] = "2026-11-27"
    raw["labs"]["drawn_on"] = "2026-11-26"
    raw["labs"]["bilirubin"] = bilirubin
    raw.update(extra)
    return raw


def run(capsys, tmp_path, record_path, *cases):
    names = []
    for i, raw in enumerate(cases):
        path = tmp_path / f"case{i}.json"
        path.write_text(json.dumps(raw), "utf-8")
        names.append(str(path))
    code = cli.main(["db", "--db", str(record_path), "import", *names])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_jump_from_her_stored_result_is_kept_and_flagged(
    capsys, tmp_path, record_path, example_raw
):
    """Bilirubin 35 µmol/L on 19 Nov, 350 µmol/L a week later (a slipped decimal point)."""
    jump = later(example_raw, {"value": 350, "unit": "umol/L", "uln": 21})
    code, out, err = run(capsys, tmp_path, record_path, example_raw, jump)
    assert code == 0
    first, second = out.strip().splitlines()
    assert "beyond the delta-check limit" not in first
    assert second.startswith("ok ")
    assert "assessment" in second
    assert "1 result(s) beyond the delta-check limit, kept NOT confirmed" in second
    (warning,) = [line for line in err.splitlines() if "delta-check" in line]
    assert "case1.json: doubt: labs.bilirubin: " in warning
    assert "350 µmol/L (drawn 2026-11-26) against the previous 35 µmol/L (drawn 2026-11-19)" in (
        warning
    )
    assert "a 900 % rise" in warning
    assert "NOT confirmed" in warning


def test_an_ordinary_change_and_a_confirmed_jump_are_not_flagged(
    capsys, tmp_path, record_path, example_raw
):
    ordinary = later(example_raw, {"value": 40, "unit": "umol/L", "uln": 21})
    confirmed = later(
        example_raw,
        {"value": 350, "unit": "umol/L", "uln": 21},
        assessed_on="2026-11-28",
        lab_confirmations=[
            {
                "lab": "bilirubin",
                "previous": {"value": 40, "unit": "umol/L", "drawn_on": "2026-11-19"},
                "current": {"value": 350, "unit": "umol/L", "drawn_on": "2026-11-26"},
                "confirmed_by": "A. Rao",
                "confirmed_on": "2026-11-27",
            }
        ],
    )
    code, out, err = run(capsys, tmp_path, record_path, example_raw, ordinary, confirmed)
    assert code == 0, err
    assert "delta-check" not in out + err
