"""Shared inputs for the printed-plan tests: the fixture plan, a patient with non-Latin names,
a clinic, a trend series, and rendered PDFs (rendered once per session: rendering is the slow part)."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest

PLANS = Path(__file__).resolve().parents[1] / "data" / "plans"

PATIENT = {
    "mrn": "TAS-000123",
    "family_name": "Каримова",
    "given_name": "Dilnoza",
    "birth_date": "1968-03-14",
    "sex": "female",
    "assessed_on": "2026-11-20",
}
CLINIC = {
    "name": "Oʻzbekiston Palliative Clinic (Şahin & Müller)",
    "phone": "+998 71 200 00 00",
    "out_of_hours_phone": "+998 71 200 00 99",
}
TRENDS = [
    {"date": "2026-08-01", "bilirubin_x_uln": 0.9, "weight_kg": 60.0, "esas_total": 30},
    {"date": "2026-09-15", "bilirubin_x_uln": 1.2, "weight_kg": 58.0, "esas_total": 38},
    {"date": "2026-10-20", "bilirubin_x_uln": 1.4, "weight_kg": 56.5, "esas_total": 41},
    {"date": "2026-11-20", "bilirubin_x_uln": 1.67, "weight_kg": 54.0, "esas_total": 44},
]


def load_plan() -> dict[str, Any]:
    return json.loads((PLANS / "example_plan.json").read_text(encoding="utf-8"))


@pytest.fixture
def example_plan() -> dict[str, Any]:
    return load_plan()


@pytest.fixture
def patient() -> dict[str, Any]:
    return dict(PATIENT)


@pytest.fixture
def clinic() -> dict[str, Any]:
    return dict(CLINIC)


@pytest.fixture
def trends() -> list[dict[str, Any]]:
    return copy.deepcopy(TRENDS)


def _render(plan: dict[str, Any] | None = None, **kwargs: Any) -> bytes:
    from planner.reports.render import render_plan_pdf

    options: dict[str, Any] = {
        "patient": PATIENT,
        "clinic": CLINIC,
        "audience": "both",
        "paper": "a4",
        "trends": TRENDS,
        "invariant": True,
    }
    options.update(kwargs)
    # the whole clinician material (decision, evidence appendix, slips) unless a test asks for
    # the default print (evidence=False, slips=False): what each part says is tested on it
    whole = options["audience"] in ("both", "clinician")
    options.setdefault("evidence", whole)
    options.setdefault("slips", whole)
    return render_plan_pdf(plan if plan is not None else load_plan(), **options)


def _page_texts(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="session")
def rendered() -> dict[str, bytes]:
    """The fixture plan rendered for each audience (A4; `both` and `clinician` with the evidence
    appendix and the slips), once on Letter, and the default print (`default`: the decision
    and the booklet, nothing asked for)."""
    out = {audience: _render(audience=audience) for audience in ("both", "clinician", "patient")}
    out["letter"] = _render(paper="letter")
    out["default"] = _render(evidence=False, slips=False)
    return out


@pytest.fixture(scope="session")
def render():
    """render(plan=None, **render_plan_pdf options) -> bytes; defaults: fixture plan, invariant."""
    return _render


@pytest.fixture(scope="session")
def page_texts():
    """page_texts(pdf) -> the text of each page (pypdf)."""
    return _page_texts


@pytest.fixture(scope="session")
def fixture_plan():
    """load() -> a fresh copy of tests/data/plans/example_plan.json."""
    return load_plan
