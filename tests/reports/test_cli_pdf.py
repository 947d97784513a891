"""`planner plan CASE.json --pdf OUT.pdf [--paper] [--audience]` and the services behind it,
on the engine's real plan for the sample case."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from planner import cli
from planner.domain.settings import ClinicSettings
from planner.services import case_commands, clinic_settings, printing


def _texts(pdf: bytes) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]


def test_plan_writes_the_pdf_and_still_prints_the_plan(example_path, tmp_path: Path, capsys):
    out = tmp_path / "plan.pdf"
    code = cli.main(
        ["plan", str(example_path), "--pdf", str(out), "--paper", "letter", "--audience", "patient"]
    )
    assert code == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["schema"] == "planner.plan/1"
    reader = PdfReader(out)
    assert float(reader.pages[0].mediabox.width) == pytest.approx(612, abs=0.5)
    texts = _texts(out.read_bytes())
    assert "Booklet · page 1" in texts[0]
    assert not any("Clinician section · page" in t for t in texts)
    assert not list(tmp_path.glob("*.partial"))


def test_plan_without_pdf_writes_nothing(example_path, tmp_path: Path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["plan", str(example_path)]) == 0
    assert list(tmp_path.iterdir()) == []


def test_unwritable_pdf_path_is_an_input_error(example_path, tmp_path: Path, capsys):
    out = tmp_path / "missing-folder" / "plan.pdf"
    assert cli.main(["plan", str(example_path), "--pdf", str(out)]) == 2
    captured = capsys.readouterr()
    assert "cannot be written" in captured.err
    assert captured.out == ""


def test_bad_audience_is_a_usage_error(example_path, tmp_path: Path, capsys):
    assert (
        cli.main(
            ["plan", str(example_path), "--pdf", str(tmp_path / "x.pdf"), "--audience", "family"]
        )
        == 2
    )


@pytest.mark.parametrize("audience", ["both", "clinician", "patient"])
def test_the_engines_plan_renders_for_every_audience(example_raw, audience):
    plan = case_commands.make_plan(example_raw)
    settings = ClinicSettings(
        clinic_name="Toshkent Hospice",
        clinic_phone="+998 71 111 11 11",
        out_of_hours_phone="+998 71 111 11 99",
    )
    pdf = printing.export_plan_pdf(
        example_raw, plan, audience=audience, settings=settings, invariant=True
    )
    assert pdf == printing.export_plan_pdf(
        example_raw, plan, audience=audience, settings=settings, invariant=True
    )
    text = " ".join(" ".join(_texts(pdf)).split())
    assert "Karimova, Dilnoza" in text
    assert plan["rules_version"] in text
    if audience != "patient":
        first = plan["options"][0]
        assert first["name"] in text
        assert "The program suggests; the clinician decides." in text
    if audience != "clinician":
        assert "Call the clinic: +998 71 111 11 11" in text
    assert PdfReader(io.BytesIO(pdf)).metadata.author == "Toshkent Hospice"


def test_case_trends_chart_bilirubin_from_previous_labs(example_raw):
    example_raw["previous_labs"] = [
        {"drawn_on": "2026-10-01", "bilirubin": {"value": 20, "unit": "umol/L", "uln": 21}},
    ]
    rows = printing.case_trends(example_raw)
    assert [r["date"] for r in rows] == ["2026-10-01", "2026-11-19"]
    assert rows[1]["bilirubin_x_uln"] == pytest.approx(35 / 21)


def test_clinic_phones_from_stored_settings():
    settings = clinic_settings.from_stored(
        {
            "clinic_name": "Hospice",
            "clinic_phones": [
                {"label": "Nurse", "number": "111"},
                {"label": "Out of hours", "number": "999"},
            ],
            "paper": "letter",
        }
    )
    assert (settings.clinic_phone, settings.out_of_hours_phone, settings.paper) == (
        "111",
        "999",
        "letter",
    )
