"""The Decide dialog says why an option cannot be given in words a clinician reads: no field path
("clinical.ascites") and no band condition ("'child_pugh in C'"), and the error of one option
does not stay after switching to another (issue 16, independent nurse walk)."""

from __future__ import annotations

import copy
import re

import pytest

from planner.domain.decision import no_dose_reason
from planner.services import case_commands
from planner.ui.decision_dialog import SUPPORTIVE_CARE, DecisionDialog

#: a field path, a snake_case code or a quoted band condition
CODE = re.compile(r"\b[a-z]+\.[a-z_]+\b|\b[a-z0-9]+_[a-z0-9_]+\b|'[^']*\bin\b[^']*'")


@pytest.fixture
def ascites_unknown_plan(example_raw):
    """Child–Pugh B or C depending on the ascites not recorded: fulvestrant and doxorubicin
    have no dose until it is recorded."""
    raw = copy.deepcopy(example_raw)
    raw["clinical"]["ascites"] = None
    raw["labs"]["bilirubin"]["value"] = 60
    raw["labs"]["albumin"]["value"] = 25
    return case_commands.make_plan(raw)


def _undosed(plan):
    return [
        o
        for o in plan["options"]
        if any(d.get("status") == "insufficient_data" and d.get("gaps") for d in o["drugs"])
    ]


def test_no_dose_reasons_are_words(ascites_unknown_plan):
    reasons = [
        no_dose_reason(d)
        for o in ascites_unknown_plan["options"]
        for d in o["drugs"]
        if d.get("status") in ("insufficient_data", "contraindicated", "not_recommended")
    ]
    assert any("until ascites is recorded" in r for r in reasons), reasons
    for reason in reasons:
        assert not CODE.search(reason), reason


def test_the_dialog_says_it_in_words_and_clears_it_on_switch(qtbot, ascites_unknown_plan):
    plan = ascites_unknown_plan
    undosed = _undosed(plan)
    assert undosed
    dialog = DecisionDialog(plan, who="Dr A")
    qtbot.addWidget(dialog)
    dialog.course.setCurrentIndex(dialog.course.findData(undosed[0]["regimen"]))
    said = dialog.no_dose.text()
    assert "cannot be given" in said
    assert "ascites" in said
    assert not CODE.search(said), said
    dialog.reason.setPlainText("as discussed")
    dialog.check_and_accept()
    assert dialog.error.isVisible() or not dialog.error.isHidden()
    assert "cannot be given" in dialog.error.text()
    assert not CODE.search(dialog.error.text()), dialog.error.text()
    # another course: the earlier refusal goes with the option it was about
    dialog.course.setCurrentIndex(dialog.course.findData(SUPPORTIVE_CARE))
    assert dialog.error.isHidden()
    assert "cannot be given" not in dialog.error.text()
    assert dialog.no_dose.isHidden()
