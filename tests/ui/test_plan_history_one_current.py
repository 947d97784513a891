"""Plan history, as review 16c walked it (issue 16, finding 10): a morning's decided plan and the
afternoon's new plan were both "CURRENT … the one to act on", and the decided plan's options
showed the suggested doses with no mark of the dose changed or the drug held."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from PySide6.QtCore import Qt

from planner.domain.decision import DoseChange, HeldDrug
from planner.services import kept_plans
from planner.ui.background import wait_for_all
from planner.ui.record_view import RecordView

CASE = Path(__file__).resolve().parents[1] / "data" / "nurse16" / "everolimus_exemestane_held.json"


def _decided_then_second_assessment(record) -> tuple[str, int, int]:
    raw = json.loads(CASE.read_text(encoding="utf-8"))
    morning = record.import_case(raw).assessment_id
    made = kept_plans.make_and_keep_plan(record, morning).plan_id
    decided = kept_plans.decide_plan(
        record,
        made,
        course="option",
        regimen="everolimus_exemestane",
        reason="Child-Pugh B: everolimus low, exemestane held",
        dose_changes=(DoseChange("everolimus", 2.5, "mg", "Child-Pugh B: everolimus low"),),
        held=(HeldDrug("exemestane", "hot flushes: resume when settled"),),
        decided_by="Dr Arjun Mehta, oncologist",
    )
    later = copy.deepcopy(raw)
    later["body"]["weight_kg"] = (raw["body"].get("weight_kg") or 60) + 1
    afternoon = record.import_case(later).assessment_id
    second = kept_plans.make_and_keep_plan(record, afternoon).plan_id
    return raw["patient"]["mrn"], decided, second


def test_only_the_latest_assessments_plan_is_current(qtbot, record):
    mrn, decided, second = _decided_then_second_assessment(record)
    assert kept_plans.plan_to_act_on(record, mrn) == second
    view = RecordView(record)
    qtbot.addWidget(view)
    view.show_patient(mrn)
    rows = [view.left_plan.itemText(i) for i in range(view.left_plan.count())]
    words = [
        view.left_plan.itemData(i, Qt.ItemDataRole.ToolTipRole)
        for i in range(view.left_plan.count())
    ]
    assert [r for r in rows if "CURRENT" in r] == [next(r for r in rows if f"Plan {second} " in r)]
    assert sum("the one to act on." in w and "is the current plan" in w for w in words) == 1
    (earlier,) = [w for w in words if w.startswith(f"Plan {decided} ")]
    assert f"earlier assessment: plan {second}" in earlier
    assert next(r for r in rows if f"Plan {decided} " in r).endswith("earlier, decided")


def test_the_decided_plan_lists_the_decided_doses(qtbot, record):
    mrn, decided, _ = _decided_then_second_assessment(record)
    view = RecordView(record)
    qtbot.addWidget(view)
    view.show_patient(mrn)
    view.left_plan.setCurrentIndex(view.left_plan.findData(decided))
    text = " ".join(view.left_text.toPlainText().split())
    assert "everolimus: 2.5 mg, changed by the decision (suggested" in text
    assert "exemestane: held, not given now (suggested 25 mg)" in text
    assert "— decided" in text


def test_open_plan_starts_on_the_plan_to_act_on(qtbot, record):
    """Walk 16d: "Open plan…" opened the superseded plan (the first of the two compared)."""
    mrn, _, second = _decided_then_second_assessment(record)
    view = RecordView(record)
    qtbot.addWidget(view)
    view.show_patient(mrn)
    assert view.left_plan.currentData() == kept_plans.plan_to_act_on(record, mrn) == second
    assert view.right_plan.currentData() != second  # compared with another plan
    view.open_plan_button.click()
    assert view.plan_view is not None
    assert view.plan_view.plan_id == second
    qtbot.waitUntil(lambda: view.plan_view.ready, timeout=30000)
    view.plan_view.close()
    wait_for_all()
