"""Every enumeration of the plan reaches the screen in words (issue 16): no `reduced_mobility`,
`within_week` or `insufficient_data` in the review page's list or the record's plan summary."""

from __future__ import annotations

import copy
import re

from planner.domain.plan_words import TABLES, say
from planner.services import case_commands
from planner.ui.record_view import plan_summary_html
from planner.ui.wizard.pages.review import plan_items

CODE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")


def _plans(example_raw):
    plain = case_commands.make_plan(example_raw)
    frail = copy.deepcopy(example_raw)
    frail["function"] = {**(frail.get("function") or {}), "mobility": "bed_bound"}
    frail["labs"]["bilirubin"] = {"value": 2.1, "unit": "mg/dL"}  # no ULN: insufficient data
    return [plain, case_commands.make_plan(frail)]


def test_no_code_of_the_plan_reaches_the_review_list(example_raw):
    for plan in _plans(example_raw):
        for _heading, lines in plan_items(plan):
            for line, _evidence in lines:
                # free text (interventions, reasons) may quote a rule id in brackets; the
                # enumerations the plan itself carries must be in words
                codes = set(CODE.findall(line.split(":", 1)[0] + line.split("(", 1)[-1][:40]))
                assert not codes & _enumerations(), line


def test_no_code_of_the_plan_reaches_the_record_summary(example_raw):
    for plan in _plans(example_raw):
        shown = plan_summary_html(plan)
        assert not set(CODE.findall(shown)) & _enumerations(), shown


def test_the_codes_the_nurse_met_have_words():
    assert say("problem", "reduced_mobility") == "reduced mobility"
    assert say("urgency", "within_week") == "Within a week"
    assert say("status", "insufficient_data") == "insufficient data"
    assert say("anything", "some_new_code") == "some new code"  # never raw


def _enumerations() -> set[str]:
    return {code for table in TABLES.values() for code in table if "_" in code}


def test_no_regimen_id_reaches_the_plan_window_or_the_record(example_raw):
    """`paclitaxel_weekly` is the rules' id; the clinician reads "Paclitaxel weekly"."""
    from planner.domain.decision import decision_summary
    from planner.ui.decision_dialog import option_names

    for plan in _plans(example_raw):
        ids = {str(o["regimen"]) for o in plan["options"] if "_" in str(o["regimen"])}
        assert ids  # the example has regimens whose id is not a name
        labels = " ".join(label for label, _ in option_names(plan))
        assert not set(CODE.findall(labels)) & ids, labels
        assert not set(CODE.findall(plan_summary_html(plan))) & ids
        chosen = next(o for o in plan["options"] if "_" in str(o["regimen"]))
        decided = {
            **plan,
            "decision": {
                "course": "option",
                "regimen": chosen["regimen"],
                "reason": "tolerates tablets",
                "decided_by": "Dr A",
                "decided_at": "2026-11-20T10:00",
                "decided_on_plan": 1,
                "dose_changes": [],
                "held": [],
            },
        }
        summary = decision_summary(decided)
        assert summary.startswith("Decided by Dr A")
        assert chosen["regimen"] not in summary


def test_an_option_without_a_name_is_titled_by_its_drugs_or_in_words():
    from planner.domain.plan_words import option_title

    assert option_title({"regimen": "x_y", "drugs": [{"drug": "capecitabine"}]}) == "Capecitabine"
    assert option_title({"regimen": "paclitaxel_weekly", "drugs": []}) == "Paclitaxel weekly"
