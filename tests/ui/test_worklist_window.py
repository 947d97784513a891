"""The main window opens on today's work (issue 20 item 2): reviews due and overdue, critical
alerts no one acknowledged, unfinished assessments, each in words; Enter opens the patient; the
list sorts by name, last assessment or next review; a review date changes with a reason."""

from __future__ import annotations

import copy

import pytest
from PySide6.QtCore import Qt

from planner.ui.item_roles import ItemRole
from planner.ui.main_window import MainWindow
from planner.ui.patient_model import KEYS
from planner.ui.review_date_dialog import ReviewDateDialog

ALERT = {"code": "suicide_risk", "level": "critical", "message": "PHQ-9 item 9 is 1"}


def _case(example_raw, mrn, family, assessed_on):
    raw = copy.deepcopy(example_raw)
    raw["patient"].update({"mrn": mrn, "family_name": family})
    raw["assessed_on"] = assessed_on
    return raw


def _keep(record, assessment_id, days, *alerts):
    document = {"follow_up": {"next_review_days": days, "monitoring": []}, "alerts": list(alerts)}
    return record.record_plan(
        assessment_id, document, pdf_sha256=None, rules_version="test", settings={}
    )


@pytest.fixture
def window(qtbot, record, ui_settings, example_raw):
    overdue = record.import_case(_case(example_raw, "D-1", "Musayeva", "2026-11-20"))
    later = record.import_case(_case(example_raw, "D-2", "Aliyeva", "2026-11-21"))
    alerted = record.import_case(_case(example_raw, "D-3", "Boboeva", "2026-11-22"))
    _keep(record, overdue.assessment_id, 7)  # due 27/11/2026: overdue by now
    _keep(record, later.assessment_id, 3650)  # due in ten years
    _keep(record, alerted.assessment_id, 3650, ALERT)
    record.save_draft({"patient": {"mrn": "D-2", "family_name": "Aliyeva"}}, "symptoms", mrn="D-2")
    shown = MainWindow(record, ui_settings)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def _texts(listed):
    return [listed.item(row).text() for row in range(listed.count())]


def test_the_window_opens_on_todays_work(window):
    view = window.worklist_view
    assert window.detail.currentWidget() is window.detail_page
    assert view.isVisible()
    (shown,) = _texts(view.due)
    assert shown.startswith("Musayeva, Dilnoza — D-1 — review OVERDUE by")
    # why she is due, in words (walk 23 HARM 1): whole in the row's tooltip and in the line
    # under the list for the row she is on; the row itself may shorten it to fit the pane
    due = view.due.item(0).data(ItemRole.TOOLTIP)
    assert due.startswith(shown.rstrip("…"))
    assert due.endswith(
        " — her plan's suggested review (7 days after her assessment; not decided yet)"
    )
    assert view.due_whole.text() == due
    (alert,) = _texts(view.alerts)
    assert alert == "Boboeva, Dilnoza — D-3 — 1 critical alert(s) not acknowledged"
    (draft,) = _texts(view.drafts)
    assert draft.startswith("Aliyeva — D-2 — unfinished")


def test_enter_on_a_due_review_opens_the_record(qtbot, window):
    window.show_worklist()
    assert window.worklist_view.due.hasFocus()
    qtbot.keyClick(window.worklist_view.due, Qt.Key.Key_Return)
    assert window.record_view is not None
    assert window.record_view.mrn == "D-1"


def test_the_list_says_its_flags_in_words_and_sorts_by_next_review(window):
    model = window.table.model()
    words = {
        model.mrn_at(r): model.data(model.index(r, KEYS.index("review_due_on"))) for r in range(3)
    }
    assert words["D-1"] == "OVERDUE since 27/11/2026"
    flags = {model.mrn_at(r): model.data(model.index(r, KEYS.index("alert"))) for r in range(3)}
    assert flags["D-3"].startswith("⚠ CRITICAL")
    assert flags["D-2"] == "✎ unfinished"
    window.sort_list(KEYS.index("review_due_on"))
    model = window.table.model()
    assert [model.mrn_at(r) for r in range(3)] == ["D-1", "D-2", "D-3"]
    window.sort_list(KEYS.index("last_assessed_on"))
    model = window.table.model()
    assert [model.mrn_at(r) for r in range(3)] == ["D-3", "D-2", "D-1"]
    window.sort_list(KEYS.index("family_name"))
    model = window.table.model()
    assert [model.mrn_at(r) for r in range(3)] == ["D-2", "D-3", "D-1"]


def test_a_review_date_changes_only_with_a_reason(qtbot, window, record):
    dialog = ReviewDateDialog(record, "D-1", window)
    qtbot.addWidget(dialog)
    dialog.due_on.setText("01/01/2036")
    dialog.save()
    assert dialog.error.isVisibleTo(dialog)
    assert "Why" in dialog.error.text()
    assert record.review_changes("D-1") == []
    dialog.reason.setText("in hospital until the new year")
    dialog.save()
    assert dialog.result() == ReviewDateDialog.DialogCode.Accepted
    window.worklist_view.refresh()
    assert window.worklist_view.due.item(0).text() == "No reviews are due today."
    (change,) = record.review_changes("D-1")
    assert change["reason"] == "in hospital until the new year"


def test_a_due_row_names_every_reason_due_short_in_the_row_and_in_full_in_its_tooltip(
    qtbot, record, ui_settings, example_raw
):
    """cycle24 #5: a due row named only the earliest reason. With the decided plan's review
    (the sample's 3-day check) and the course's next cycle both due, Today's work names both:
    in short words in the row, in full (with the later one's date) in the tooltip and the line
    under the list."""
    import datetime as dt

    from planner.domain.decision import decided_plan
    from planner.services import treatment_courses as courses
    from tests.course_setup import DAY, TODAY, decide_regimen

    plan_id = decide_regimen(record, example_raw, reason="oral, at home")
    days = int(decided_plan(record.plan(plan_id).plan)["follow_up"]["next_review_days"])
    courses.start_course(record, plan_id, cycle_days=7, started_on=DAY)
    assert days < 7  # the plan's review comes first, the next cycle after it
    shown = MainWindow(record, ui_settings)
    qtbot.addWidget(shown)
    shown.resize(1366, 768)
    shown.show()
    qtbot.waitExposed(shown)
    view = shown.worklist_view
    view.refresh(TODAY)
    (row,) = _texts(view.due)
    assert row.endswith("— plan review + cycle 2 due")
    whole = view.due.item(0).data(ItemRole.TOOLTIP)
    cycle_due = (DAY + dt.timedelta(days=7)).strftime("%d/%m/%Y")
    assert whole.endswith(
        f"— the decided plan's review ({days} days after her assessment); "
        f"cycle 2 is due (the course is every 7 days) (due {cycle_due})"
    )
    assert view.due_whole.text() == whole
