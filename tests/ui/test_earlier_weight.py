"""Weight loss judged against the record's earlier weight (nurse16): the plan said "no earlier
weight: weight loss cannot be judged" though the record held 66.1 kg (May) and 61 kg today. A new
assessment of a patient in the record now carries her last recorded weight and its date
(`body.earlier_weight_kg`, `body.earlier_weight_on`), the nutrition page shows it, and the plan's
weight-loss finding names both weights and dates; an earlier weight older than the rule's
6 months gives no percentage and says why."""

from __future__ import annotations

import copy

import pytest

from planner.services import case_commands
from planner.ui.main_window import next_assessment_start
from planner.ui.wizard.assessment_wizard import AssessmentWizard
from planner.ui.wizard.pages.nutrition import NutritionPage


def _stored(record, example_raw, assessed_on, weight):
    raw = copy.deepcopy(example_raw)
    raw["assessed_on"] = assessed_on
    raw["labs"]["drawn_on"] = assessed_on
    raw["body"] = {"height_cm": 160, "weight_kg": weight}
    record.import_case(raw)
    return raw


def _today(example_raw, weight=61.0):
    raw = copy.deepcopy(example_raw)
    raw["assessed_on"] = "2026-12-07"
    raw["labs"]["drawn_on"] = "2026-12-06"
    raw["body"] = {"height_cm": 160, "weight_kg": weight}
    return raw


def test_the_service_gives_the_last_weight_before_the_assessment(record, example_raw):
    _stored(record, example_raw, "2026-05-12", 66.1)
    _stored(record, example_raw, "2026-09-01", 63.0)
    mrn = example_raw["patient"]["mrn"]
    assert record.earlier_weight(mrn, "2026-12-07") == (63.0, "2026-09-01")
    assert record.earlier_weight(mrn, "2026-09-01") == (66.1, "2026-05-12")
    assert record.earlier_weight(mrn, "2026-05-12") is None
    assert record.earlier_weight("NO-SUCH-MRN", "2026-12-07") is None


def test_an_earlier_weight_within_6_months_is_judged_and_named(example_raw):
    raw = _today(example_raw)
    raw["body"].update(earlier_weight_kg=66.1, earlier_weight_on="2026-07-12")
    plan = case_commands.make_plan(raw)
    (weight_loss,) = [s for s in plan["supportive"] if s["problem"] == "weight_loss"]
    (reason,) = weight_loss["reasons"]
    assert reason.startswith(
        "weight loss 7.7 % (61 kg on 2026-12-07, 66.1 kg on 2026-07-12, 4 months earlier) > 5 %"
    )
    assert plan["body"]["weight_change_6_months_percent"] == pytest.approx(-7.7, abs=0.05)
    assert not [g for g in plan["gaps"] if g["field"] == "body.weight_6_months_ago_kg"]
    # the printed summary states the period, not "6 months", for a change over 4
    import io

    from pypdf import PdfReader

    from planner.reports.render import render_plan_pdf

    words = "61 kg on 2026-12-07, 66.1 kg on 2026-07-12, 4 months earlier"
    assert plan["body"]["weight_change_words"] == words
    pdf = render_plan_pdf(plan, patient=raw["patient"], clinic={}, audience="clinician")
    printed = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages
    )
    assert f"weight change -7.7 % ({words})" in printed


def test_an_earlier_weight_older_than_6_months_says_so_without_a_percentage(example_raw):
    raw = _today(example_raw)
    raw["body"].update(earlier_weight_kg=66.1, earlier_weight_on="2026-05-12")
    plan = case_commands.make_plan(raw)
    assert plan["body"]["weight_change_6_months_percent"] is None
    assert not [s for s in plan["supportive"] if s["problem"] == "weight_loss"]
    (gap,) = [g for g in plan["gaps"] if g["field"] == "body.weight_6_months_ago_kg"]
    assert gap["effect"].startswith(
        "the last recorded weight, 66.1 kg on 2026-05-12, is more than 6 months before this "
        "assessment: weight loss over 6 months cannot be judged from it (today 61 kg)"
    )


def test_the_nurses_weight_6_months_ago_comes_first(example_raw):
    raw = _today(example_raw)
    raw["body"].update(
        weight_6_months_ago_kg=66.0, earlier_weight_kg=66.1, earlier_weight_on="2026-07-12"
    )
    plan = case_commands.make_plan(raw)
    (weight_loss,) = [s for s in plan["supportive"] if s["problem"] == "weight_loss"]
    assert "(61 kg now, 66 kg 6 months ago)" in weight_loss["reasons"][0]


def test_an_earlier_weight_is_validated_with_field_named_errors(example_raw, limits):
    from planner.domain.problems import InputInvalid
    from planner.domain.validation import validate_case

    for body, path in (
        ({"earlier_weight_kg": 66.1}, "body.earlier_weight_on"),
        ({"earlier_weight_on": "2026-07-12"}, "body.earlier_weight_kg"),
        ({"earlier_weight_kg": 66.1, "earlier_weight_on": "2026-12-07"}, "body.earlier_weight_on"),
        ({"earlier_weight_kg": -3, "earlier_weight_on": "2026-07-12"}, "body.earlier_weight_kg"),
    ):
        raw = _today(example_raw)
        raw["body"].update(body)
        with pytest.raises(InputInvalid) as refused:
            validate_case(raw, limits)
        assert [p.path for p in refused.value.problems] == [path], body


def test_the_wizard_carries_the_records_weight_to_the_plan(qtbot, record, example_raw):
    earlier = _stored(record, example_raw, "2026-08-12", 66.1)
    start = {**next_assessment_start(earlier), "assessed_on": "2026-12-07"}
    wizard = AssessmentWizard(record, start, known_patient=True)
    qtbot.addWidget(wizard)
    nutrition = next(p for p in wizard.page_list if isinstance(p, NutritionPage))
    assert nutrition.earlier_weight.text().startswith("Last recorded 66.1 kg on 12/08/2026")
    raw = wizard.case()
    assert raw["body"]["earlier_weight_kg"] == 66.1
    assert raw["body"]["earlier_weight_on"] == "2026-08-12"
    # today's weight typed on the first page; the plan names both weights and dates
    raw["body"]["weight_kg"] = 61.0
    raw.update({k: v for k, v in _today(example_raw).items() if k == "labs"})
    plan = case_commands.make_plan(raw)
    (weight_loss,) = [s for s in plan["supportive"] if s["problem"] == "weight_loss"]
    assert (
        "61 kg on 2026-12-07, 66.1 kg on 2026-08-12, 3 months earlier"
        in (weight_loss["reasons"][0])
    )
    wizard._draft_timer.stop()


def test_a_new_patient_has_no_earlier_weight(qtbot, record, example_raw):
    wizard = AssessmentWizard(record, _today(example_raw), known_patient=False)
    qtbot.addWidget(wizard)
    nutrition = next(p for p in wizard.page_list if isinstance(p, NutritionPage))
    assert nutrition.earlier_weight.text() == "No earlier weight in the record."
    assert "earlier_weight_kg" not in (wizard.case().get("body") or {})
    wizard._draft_timer.stop()
