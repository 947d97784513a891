"""The record shows the × ULN the plan used (independent review 16c, finding 9): labs entered
with the clinic's default ULN (the lab report gave none) showed "—" for bilirubin and ALP × ULN
and "no values recorded" in Trends, while the plan used 1.81 × ULN."""

from __future__ import annotations

import copy

import pytest
from PySide6.QtCore import Qt

from planner.services import kept_plans
from planner.ui.record_view import TREND_COLUMNS, AssessmentTableModel


def _column(key: str) -> int:
    return next(i for i, (k, _) in enumerate(TREND_COLUMNS) if k == key)


def test_the_clinic_uln_the_plan_used_is_shown_and_marked(qapp, record, example_raw):
    record.set_clinic_settings({"lab_uln": {"bilirubin": 21, "alp": 120}})
    raw = copy.deepcopy(example_raw)
    del raw["labs"]["bilirubin"]["uln"]  # 35 µmol/L, no ULN on the report
    del raw["labs"]["alp"]["uln"]  # 310 U/L
    outcome = record.import_case(raw)
    made = kept_plans.make_and_keep_plan(record, outcome.assessment_id)
    hepatic = record.plan(made.plan_id).plan["hepatic"]
    (point,) = record.trend(raw["patient"]["mrn"])
    assert point.bilirubin_x_uln == pytest.approx(hepatic["bilirubin_x_uln"])
    assert point.bilirubin_x_uln == pytest.approx(35 / 21)
    assert point.alp_x_uln == pytest.approx(310 / 120)
    assert point.clinic_uln == ("bilirubin_x_uln", "alp_x_uln")
    model = AssessmentTableModel([point])
    shown = model.data(model.index(0, _column("bilirubin_x_uln")))
    assert shown == "1.67 (clinic ULN)"
    assert model.data(model.index(0, _column("alp_x_uln"))) == "2.58 (clinic ULN)"
    tip = model.data(model.index(0, _column("alp_x_uln")), Qt.ItemDataRole.ToolTipRole)
    assert "clinic's default ULN" in tip


def test_a_uln_on_the_report_is_shown_unmarked(qapp, record, example_raw):
    record.set_clinic_settings({"lab_uln": {"bilirubin": 17, "alp": 100}})
    outcome = record.import_case(copy.deepcopy(example_raw))  # the report's own 21 and 130
    kept_plans.make_and_keep_plan(record, outcome.assessment_id)
    (point,) = record.trend(example_raw["patient"]["mrn"])
    assert point.bilirubin_x_uln == pytest.approx(35 / 21)
    assert point.clinic_uln == ()
    model = AssessmentTableModel([point])
    assert model.data(model.index(0, _column("bilirubin_x_uln"))) == "1.67"


def test_no_plan_and_no_uln_stays_a_gap(qapp, record, example_raw):
    raw = copy.deepcopy(example_raw)
    del raw["labs"]["bilirubin"]["uln"]
    record.import_case(raw)  # no clinic default, no plan: nothing to show but "—"
    (point,) = record.trend(raw["patient"]["mrn"])
    assert point.bilirubin_x_uln is None
    assert point.clinic_uln == ()
