"""`planner validate`: exit 0 silently for a good case; exit 2 and one line per problem otherwise."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli import main


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, raw, name="case.json") -> str:
    path = tmp_path / name
    path.write_text(raw if isinstance(raw, str) else json.dumps(raw), encoding="utf-8")
    return str(path)


def test_example_case_exits_0_and_prints_nothing(capsys, example_path):
    assert run_cli(capsys, "validate", str(example_path)) == (0, "", "")


@pytest.mark.parametrize(
    ("mutate", "line"),
    [
        (
            lambda c: c["body"].__setitem__("weight_kg", 540),
            "body.weight_kg: 540 is outside 20–300 kg",
        ),
        (
            lambda c: c["labs"]["bilirubin"].__setitem__("unit", "mmol/L"),
            'labs.bilirubin.unit: "mmol/L" is not one of umol/L, mg/dL',
        ),
        (
            lambda c: c["symptoms"]["esas"].__setitem__("pain", 12),
            "symptoms.esas.pain: 12 is outside 0–10",
        ),
    ],
)
def test_bad_case_exits_2_naming_the_field(capsys, tmp_path, example_raw, mutate, line):
    mutate(example_raw)
    code, out, err = run_cli(capsys, "validate", write(tmp_path, example_raw))
    assert (code, out) == (2, "")
    assert err.splitlines() == [line]


def test_broken_json_exits_2_naming_the_file(capsys, tmp_path):
    path = write(tmp_path, '{"schema": "planner.case/1",')
    code, _, err = run_cli(capsys, "validate", path)
    assert code == 2
    assert err.startswith(f"{path}: is not valid JSON")
    assert "Traceback" not in err


def test_missing_file_exits_2(capsys, tmp_path):
    code, _, err = run_cli(capsys, "validate", str(tmp_path / "absent.json"))
    assert code == 2
    assert "cannot be read" in err


def test_unit_doubt_is_printed_but_accepted(capsys, tmp_path, example_raw):
    example_raw["labs"]["bilirubin"] = {"value": 35, "unit": "mg/dL", "uln": 1.2}
    code, _, err = run_cli(capsys, "validate", write(tmp_path, example_raw))
    assert code == 0
    assert err.startswith("doubt: labs.bilirubin.value: 35 mg/dL is possible but implausible")


def test_help_lists_the_commands(capsys):
    code, out, _ = run_cli(capsys, "--help")
    assert code == 0
    assert "validate" in out


def test_installed_console_script_and_module_entry_agree(tmp_path):
    """The whole process, as a user runs it: `python -m planner validate` exits 2 with one line."""
    bad = write(tmp_path, {"schema": "planner.case/1"})
    result = subprocess.run(
        [sys.executable, "-m", "planner", "validate", bad],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "patient: is required",
        "assessed_on: is required",
    ]
