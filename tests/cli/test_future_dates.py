"""An assessment dated after today (17/12/2026 typed on 07/12/2026) passed every check, was saved
and became the patient's current plan (issue 16, review 16c finding 11). Refused where a case is
entered: the validator, given today, names the field; `planner validate` and `planner plan` exit
2; the record does not store it; the wizard shows it beside the date."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from planner.cli import main
from planner.domain.problems import InputInvalid
from planner.domain.validation import validate_case
from planner.services.rule_tables import case_limits

TODAY = dt.date(2026, 12, 7)


def _ahead(raw: dict, days: int = 10) -> dict:
    later = (dt.date.today() + dt.timedelta(days=days)).isoformat()
    return {**raw, "assessed_on": later, "labs": {**raw["labs"], "drawn_on": later}}


def test_the_validator_refuses_dates_after_the_day_it_is_given(example_raw):
    raw = {**example_raw, "assessed_on": "2026-12-17"}
    with pytest.raises(InputInvalid) as refused:
        validate_case(raw, case_limits(), today=TODAY)
    (problem,) = refused.value.problems
    assert problem.path == "assessed_on"
    assert "2026-12-17 is after today (2026-12-07)" in problem.message
    raw["assessed_on"] = "2026-12-07"
    raw["labs"] = {**raw["labs"], "drawn_on": "2026-12-08"}
    with pytest.raises(InputInvalid) as refused:
        validate_case(raw, case_limits(), today=TODAY)
    assert {p.path for p in refused.value.problems} == {"labs.drawn_on"}
    # the day itself is fine, and without a day nothing is compared with today
    raw["labs"]["drawn_on"] = "2026-12-07"
    validate_case(raw, case_limits(), today=TODAY)
    validate_case({**raw, "assessed_on": "2030-01-01"}, case_limits())


@pytest.mark.parametrize("command", ["validate", "plan"])
def test_the_cli_exits_2_naming_the_field(capsys, tmp_path, example_raw, command):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(_ahead(example_raw)), encoding="utf-8")
    assert main([command, str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("assessed_on: ")
    assert "labs.drawn_on: " in err
    assert "is after today" in err


def test_the_record_stores_no_assessment_dated_ahead(record, example_raw):
    with pytest.raises(InputInvalid, match="is after today"):
        record.import_case(_ahead(example_raw))
    assert record.patient_count() == 0


def test_the_wizard_shows_it_beside_the_date_and_saves_nothing(qtbot, record, example_raw):
    from planner.ui.wizard.assessment_wizard import AssessmentWizard

    wizard = AssessmentWizard(record, _ahead(example_raw))
    qtbot.addWidget(wizard)
    assert any(p.path == "assessed_on" and "after today" in p.message for p in wizard.problems)
    wizard.accept()
    assert record.patient_count() == 0
