"""`planner form`: the paper assessment form from the command line (docs/contract.md)."""

from __future__ import annotations

import io

from pypdf import PdfReader

from planner.cli import main
from planner.services.patient_record import PatientRecord


def test_blank_form_without_mrn(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("PLANNER_DB", raising=False)
    out = tmp_path / "form.pdf"
    assert main(["form", "--pdf", str(out), "--paper", "letter"]) == 0
    page = PdfReader(io.BytesIO(out.read_bytes())).pages[0]
    assert round(float(page.mediabox.width)) == 612
    assert "blank" in capsys.readouterr().out


def test_prefilled_form_and_unknown_mrn(tmp_path, example_raw, capsys):
    db = tmp_path / "record.db"
    with PatientRecord(db, who="test-nurse") as record:
        record.import_case(example_raw)
    out = tmp_path / "form.pdf"
    assert main(["form", "--db", str(db), "--mrn", "TAS-000123", "--pdf", str(out)]) == 0
    assert "pre-filled for MRN TAS-000123" in capsys.readouterr().out
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "last time, 20/11/2026" in text
    missing = tmp_path / "missing.pdf"
    assert main(["form", "--db", str(db), "--mrn", "XYZ-9", "--pdf", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "--mrn" in err
    assert "XYZ-9" in err
    assert not missing.exists()
