"""The printed parts take the plan document read (planner.domain.plan_document) or as JSON, read
by the one parser: both give the same print, part by part (reports/plan_input.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.domain.plan_document import read_plan
from planner.reports.citations import References, cite, inline
from planner.reports.formatting import amount, regimen_title, severity_words
from planner.reports.next_cycle import on_treatment, patient_words, printed_doses
from planner.services.case_commands import make_plan

CASES = Path(__file__).resolve().parents[1] / "data" / "cases"


@pytest.fixture(scope="module", params=["example.json", "on_treatment_capecitabine.json"])
def plan(request):
    return make_plan(json.loads((CASES / request.param).read_text(encoding="utf-8")))


def test_doses_titles_and_severities_print_the_same_read_or_as_json(plan):
    document = read_plan(plan)
    for raw, option in zip(plan["options"], document.options, strict=True):
        assert regimen_title(option) == regimen_title(raw)
        for raw_drug, drug in zip(raw["drugs"], option.drugs, strict=True):
            for key in ("dose", "standard_dose", "absolute_dose", "loading_dose"):
                assert amount(getattr(drug, key)) == amount(raw_drug[key])
    symptoms = {"pruritus": False, "jaundice": False}
    for raw, item in zip(plan["supportive"], document.supportive, strict=True):
        assert severity_words(item, symptoms) == severity_words(raw, symptoms)


def test_citations_number_the_same_read_or_as_json(plan):
    document = read_plan(plan)
    read, given = References(document.sources), References(plan["sources"])
    for raw, option in zip(plan["options"], document.options, strict=True):
        assert cite(option.basis, read) == cite(raw["basis"], given)
    assert read.entries() == given.entries()
    for raw, referral in zip(plan["referrals"], document.referrals, strict=True):
        assert inline(referral.basis, document.sources) == inline(raw["basis"], plan["sources"])


def test_the_review_before_a_cycle_reads_the_same(plan):
    document = read_plan(plan)
    assert on_treatment(document) == on_treatment(plan) == ("next_cycle" in plan)
    assert printed_doses(document) == printed_doses(plan)
    if on_treatment(plan):
        assert patient_words(document) == patient_words(plan)
