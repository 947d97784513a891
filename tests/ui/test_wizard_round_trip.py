"""Nothing already saved is lost: a case opened in the wizard and saved again is the case as it
was, apart from what the nurse changed, including every section no page shows (contract §2a,
§5) and the hidden fields of a prior-therapy line (the rule: planner.ui.wizard.carry)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from planner.domain.demo_cases import demo_patient
from planner.services import case_commands
from planner.ui.wizard import paths as case_paths
from planner.ui.wizard.assessment_wizard import AssessmentWizard
from planner.ui.wizard.pages.biology import BiologyPage

ON_TREATMENT = Path(__file__).parents[1] / "data" / "cases" / "on_treatment_capecitabine.json"


@pytest.fixture
def full_case(example_raw) -> dict[str, Any]:
    """The contract's example with every section it can carry (§2, §2a, §5)."""
    case = copy.deepcopy(example_raw)
    on_treatment = json.loads(ON_TREATMENT.read_text(encoding="utf-8"))
    case["patient"]["language"] = "uz"
    case["disease"]["mediastinal_radiotherapy"] = True
    case["disease"]["cumulative_anthracycline_mg_m2"] = 240
    case["disease"]["prior_therapy"] = [
        {
            "drugs": ["doxorubicin", "cyclophosphamide"],
            "setting": "adjuvant",
            "started_on": "2019-02-01",
            "ended_on": "2019-05-01",
            "reason_stopped": "completed",
            "cumulative_mg_m2": {"doxorubicin": 240},
        },
        *case["disease"]["prior_therapy"],
    ]
    case["previous_labs"] = on_treatment["previous_labs"]
    case["medications"] = [
        {
            "drug": "carbamazepine",
            "dose": {"value": 200, "unit": "mg"},
            "route": "oral",
            "frequency": "twice daily",
            "started_on": "2026-01-10",
            "indication": "neuropathic pain",
        }
    ]
    case["allergies"] = [
        {"substance": "paclitaxel", "reaction": "anaphylaxis", "severity": "severe"}
    ]
    case["herbal_or_traditional"] = ["green tea extract"]
    case["treatment"] = on_treatment["treatment"]
    case_commands.check_case(case)  # the validator takes every section: the test is of the wizard
    return case


def open_wizard(qtbot, record, case: dict[str, Any]) -> AssessmentWizard:
    wizard = AssessmentWizard(record, copy.deepcopy(case))
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def press_through_and_save(qtbot, record, wizard: AssessmentWizard) -> dict[str, Any]:
    """Next on every page, then Save; returns the document the record holds."""
    while wizard.currentId() != wizard.pageIds()[-1]:
        before = wizard.currentId()
        qtbot.mouseClick(wizard.button(wizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
        assert wizard.currentId() != before, type(wizard.currentPage()).__name__
    with qtbot.waitSignal(wizard.saved) as saved:
        qtbot.mouseClick(wizard.button(wizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    stored = record.case(saved.args[0])
    assert stored is not None
    return stored


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    """The paths where two documents differ (a key absent on one side included)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in [*a, *(k for k in b if k not in a)]:
            sub = f"{path}.{key}" if path else key
            if key not in a or key not in b:
                out.append(sub)
            else:
                out += differences(a[key], b[key], sub)
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [
            p
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for p in differences(x, y, f"{path}[{i}]")
        ]
    return [] if a == b else [path]


def nulls_added(saved: Any, original: Any, path: str = "") -> list[str]:
    """Paths the saved document holds as null where the original had no key (the wizard's one
    documented normalisation: a field or section a page shows, absent from the case, is written
    as null, not recorded, which the contract reads the same as absent)."""
    if not (isinstance(saved, dict) and isinstance(original, dict)):
        if isinstance(saved, list) and isinstance(original, list) and len(saved) == len(original):
            return [
                p
                for i, (s, o) in enumerate(zip(saved, original, strict=True))
                for p in nulls_added(s, o, f"{path}[{i}]")
            ]
        return []
    out = []
    for key, value in saved.items():
        sub = f"{path}.{key}" if path else key
        if key not in original and value is None:
            out.append(sub)
        elif key in original:
            out += nulls_added(value, original[key], sub)
    return out


def without(document: dict[str, Any], paths: list[str]) -> dict[str, Any]:
    out = copy.deepcopy(document)
    for path in paths:
        *parents, last = case_paths.split(path)
        node: Any = out
        for key in parents:
            node = node[key]
        del node[last]
    return out


def assert_same_but_shown_nulls(wizard: AssessmentWizard, saved: dict, original: dict) -> None:
    added = nulls_added(saved, original)
    owned = wizard.ownership()
    assert all(owned.reaches(p) for p in added), added  # only what a page shows
    assert without(saved, added) == original, differences(without(saved, added), original)


def test_a_full_case_pressed_through_every_page_is_saved_unchanged(qtbot, record, full_case):
    wizard = open_wizard(qtbot, record, full_case)
    saved = press_through_and_save(qtbot, record, wizard)
    assert saved["medications"] == full_case["medications"]
    assert saved["allergies"] == full_case["allergies"]
    assert saved["herbal_or_traditional"] == ["green tea extract"]
    assert saved["patient"]["language"] == "uz"
    assert saved["treatment"] == full_case["treatment"]
    assert saved["disease"]["prior_therapy"][0]["cumulative_mg_m2"] == {"doxorubicin": 240}
    assert saved["previous_labs"] == full_case["previous_labs"]
    assert nulls_added(saved, full_case) == [
        "clinical.edema",
        "clinical.dyspnea_at_rest",
        "clinical.delirium",
    ]
    assert_same_but_shown_nulls(wizard, saved, full_case)


def test_changing_one_field_changes_only_that_field(qtbot, record, full_case):
    unchanged = press_through_and_save(qtbot, record, open_wizard(qtbot, record, full_case))
    wizard = open_wizard(qtbot, record, full_case)
    wizard.patient_page.weight_kg.selectAll()
    qtbot.keyClicks(wizard.patient_page.weight_kg, "52.5")
    changed = press_through_and_save(qtbot, record, wizard)
    assert differences(changed, unchanged) == ["body.weight_kg"]
    assert changed["body"]["weight_kg"] == 52.5


def test_a_therapy_line_keeps_its_hidden_dose_when_edited_and_loses_it_when_removed(
    qtbot, record, full_case
):
    wizard = open_wizard(qtbot, record, full_case)
    page = wizard._page(BiologyPage)
    setting = page.therapy_rows[0][1]
    setting.setCurrentIndex(setting.findData("neoadjuvant"))
    lines = wizard.case()["disease"]["prior_therapy"]
    assert lines[0]["setting"] == "neoadjuvant"
    assert lines[0]["cumulative_mg_m2"] == {"doxorubicin": 240}
    assert lines[1] == full_case["disease"]["prior_therapy"][1]
    # Blank the first line: it goes, its dose with it; the second line is not given its dose.
    for widget in page.therapy_rows[0][:5]:
        widget.set_json_value(None)
    assert wizard.case()["disease"]["prior_therapy"] == [full_case["disease"]["prior_therapy"][1]]
    # Remove the last line too: no earlier treatment is left.
    qtbot.mouseClick(page.remove_therapy_button, Qt.MouseButton.LeftButton)
    assert wizard.case()["disease"]["prior_therapy"] is None
    wizard._draft_timer.stop()


def test_a_draft_keeps_what_no_page_shows(qtbot, record, full_case):
    wizard = open_wizard(qtbot, record, full_case)
    wizard.patient_page.weight_kg.selectAll()
    qtbot.keyClicks(wizard.patient_page.weight_kg, "53")
    assert wizard.save_draft()
    (draft,) = record.drafts()
    resumed = open_wizard(qtbot, record, draft.content)
    case = resumed.case()
    for key in ("medications", "allergies", "herbal_or_traditional", "treatment"):
        assert case[key] == full_case[key], key
    assert case["body"]["weight_kg"] == 53
    assert case["patient"]["language"] == "uz"
    for opened in (wizard, resumed):
        opened._draft_timer.stop()


@pytest.fixture
def one_wizard(qtbot, record):
    wizard = AssessmentWizard(record)
    qtbot.addWidget(wizard)
    yield wizard
    wizard._draft_timer.stop()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 3), index=st.integers(0, 200), visit=st.integers(0, 5))
def test_every_demo_case_comes_back_from_the_pages_unchanged(one_wizard, seed, index, visit):
    visits = demo_patient(seed, index)
    case = visits[visit % len(visits)]
    one_wizard.load(copy.deepcopy(case))
    assert_same_but_shown_nulls(one_wizard, one_wizard.case(), case)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("patient.family_name", "Karimova-Rashidova"),
        ("biology.er_percent", 90),
        ("disease.prior_therapy[0].ended_on", "2019-06-01"),
        ("clinical.lvef_percent", 55),
        ("labs.drawn_on", "2026-11-18"),
        ("symptoms.esas.pain", 3),
        ("psychosocial.phq9[8]", 1),
        ("function.pps_percent", 50),
        ("preferences.goals", "see her daughter's wedding"),
        ("clinical.surprise_question_no", True),
    ],
)
def test_an_edit_on_any_page_changes_that_field_only(qtbot, record, full_case, path, value):
    wizard = open_wizard(qtbot, record, full_case)
    before = wizard.case()
    (entry,) = (p.fields[path] for p in wizard.field_pages() if path in p.fields)
    entry.write(value)
    after = wizard.case()
    assert differences(after, before) == [path]
    assert case_paths.get(after, path) == value
    wizard._draft_timer.stop()
