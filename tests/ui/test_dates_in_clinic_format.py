"""Issue 16: dates are shown in the clinic's date format everywhere in the window and on the
paper: the decision line ("Decided by … on …") and the printed plan showed ISO dates while the
rest of the window used the clinic's dd.mm.yyyy."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from planner.services import kept_plans, printing
from planner.ui.background import wait_for_all
from planner.ui.plan_view import PlanView
from planner.ui.record_view import plan_summary_html

ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.fixture
def decided(record, example_raw):
    record.set_clinic_settings({"date_format": "dd.mm.yyyy"})
    assessment = record.import_case(example_raw).assessment_id
    plan_id = kept_plans.make_and_keep_plan(record, assessment).plan_id
    return kept_plans.decide_plan(
        record, plan_id, course="supportive_care", regimen=None, reason="her wish"
    )


def _texts(pdf: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def test_the_decision_line_in_the_plan_window_and_the_history(qtbot, record, decided):
    view = PlanView(record, decided)
    qtbot.addWidget(view)
    line = view.decision.text()
    assert line.startswith("Decided by test-nurse, ")
    assert re.search(r"Decided by test-nurse, \d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:", line), line
    assert not ISO.search(line)
    summary = plan_summary_html(record.plan(decided).plan, None, "dd.mm.yyyy")
    assert not ISO.search(summary)
    qtbot.waitUntil(lambda: view.ready, timeout=30000)
    wait_for_all()


def test_the_printed_plan_shows_dates_in_the_clinic_format(record, decided, example_raw):
    pages = _texts(printing.printed_plan(record, decided, audience="both").pdf)
    assessed = example_raw["assessed_on"]  # YYYY-MM-DD in the case
    year, month, day = assessed.split("-")
    clinician = " ".join(p for p in pages if "Clinician section" in p)
    assert f"{day}.{month}.{year}" in clinician
    assert not ISO.search(clinician), ISO.findall(clinician)
    for slip in (p for p in pages if "Referral slip" in p):
        # the sources' own dates ("current version as of …") are cited as the reference table
        # gives them; the patient's and the decision's dates follow the clinic
        patient_part = slip.split("Based on:")[0] + slip.split("Referred by")[-1]
        assert f"{day}.{month}.{year}" in slip
        assert not ISO.search(patient_part), ISO.findall(patient_part)
