"""Issue 16: a critical alert is a red banner that stays on the patient's record (and the plan)
until a named person acknowledges it; the acknowledgement is kept, audited and replayed by
`planner db check`."""

from __future__ import annotations

import copy
import json
import sqlite3

import pytest
from PySide6.QtWidgets import QDialog

from planner.services import kept_plans, patient_record
from planner.ui.alert_banner import AcknowledgeDialog, AlertBanner
from planner.ui.background import wait_for_all
from planner.ui.record_view import RecordView

MRN = "TAS-000123"


@pytest.fixture
def suicide_risk_case(example_raw):
    raw = copy.deepcopy(example_raw)
    raw["psychosocial"]["phq9"] = [1, 2, 1, 2, 1, 1, 0, 0, 1]  # item 9 positive: critical
    return raw


@pytest.fixture
def plan_id(record, suicide_risk_case):
    assessment = record.import_case(suicide_risk_case).assessment_id
    return kept_plans.make_and_keep_plan(record, assessment).plan_id


def _record_view(qtbot, record) -> RecordView:
    view = RecordView(record)
    qtbot.addWidget(view)
    view.show_patient(MRN)
    return view


def _banner_codes(banner: AlertBanner) -> list[str]:
    return [alert.code for alert in banner.alerts] if banner.isVisibleTo(banner.parent()) else []


def test_a_saved_plan_with_a_critical_alert_shows_a_red_banner_on_the_record(
    qtbot, record, plan_id
):
    view = _record_view(qtbot, record)
    assert "suicide_risk" in _banner_codes(view.alert_banner)
    alert = next(a for a in view.alert_banner.alerts if a.code == "suicide_risk")
    assert alert.plan_id == plan_id
    assert "b00020" in view.alert_banner.styleSheet()  # red, not one more line of text
    assert "CRITICAL" in " ".join(
        label.text() for label in view.alert_banner.findChildren(type(view.heading))
    )


def test_the_banner_stays_after_reopening_the_record(qtbot, record, plan_id, tmp_path):
    path = record.path
    record.close()
    with patient_record.PatientRecord(path, who="another nurse") as reopened:
        view = _record_view(qtbot, reopened)
        assert "suicide_risk" in _banner_codes(view.alert_banner)
        view.close()


def test_acknowledged_by_name_the_banner_goes_for_that_alert_and_is_audited(qtbot, record, plan_id):
    record.sign_in_as("Nodira Yusupova, nurse")
    view = _record_view(qtbot, record)
    alert = next(a for a in view.alert_banner.alerts if a.code == "suicide_risk")
    others = [a.code for a in view.alert_banner.alerts if a.code != "suicide_risk"]
    with qtbot.waitSignal(view.alert_banner.acknowledged):
        view.alert_banner.acknowledge(alert, "  Psychiatry called; safety plan made.  ")
    assert "suicide_risk" not in _banner_codes(view.alert_banner)
    assert [a.code for a in view.alert_banner.alerts] == others  # only that alert went
    view.show_patient(MRN)  # and it stays gone
    assert "suicide_risk" not in _banner_codes(view.alert_banner)

    conn = sqlite3.connect(record.path)
    try:
        stored = conn.execute(
            "SELECT plan_id, alert_code, note, acknowledged_by, acknowledged_at"
            " FROM alert_acknowledgements"
        ).fetchall()
        logged = conn.execute(
            "SELECT who, action, after_json FROM audit_log"
            " WHERE table_name = 'alert_acknowledgements'"
        ).fetchall()
    finally:
        conn.close()
    assert len(stored) == 1
    plan, code, note, who, when = stored[0]
    assert (plan, code, note, who) == (
        plan_id,
        "suicide_risk",
        "Psychiatry called; safety plan made.",
        "Nodira Yusupova, nurse",
    )
    assert when
    assert len(logged) == 1
    assert logged[0][:2] == ("Nodira Yusupova, nurse", "insert")
    assert json.loads(logged[0][2])["alert_code"] == "suicide_risk"
    assert record.check() == []  # the ledger replays the new table


def test_db_check_finds_an_acknowledgement_added_or_changed_outside_the_program(record, plan_id):
    record.acknowledge_alert(plan_id, "suicide_risk", "psychiatry called")
    assert record.check() == []
    conn = sqlite3.connect(record.path)
    try:
        conn.execute("DROP TRIGGER alert_acknowledgements_are_immutable")
        conn.execute("UPDATE alert_acknowledgements SET acknowledged_by = 'someone else'")
        conn.commit()
    finally:
        conn.close()
    problems = record.check()
    assert any("alert_acknowledgements 1" in p and "acknowledged_by" in p for p in problems)


def test_a_decision_does_not_raise_an_acknowledged_alert_again(qtbot, record, plan_id):
    record.acknowledge_alert(plan_id, "suicide_risk", "psychiatry called")
    kept = record.plan(plan_id).plan
    regimen = kept["options"][0]["regimen"]
    kept_plans.decide_plan(record, plan_id, course="option", regimen=regimen, reason="as advised")
    assert "suicide_risk" not in [a.code for a in record.critical_alerts(MRN)]


def test_only_a_critical_alert_of_the_plan_can_be_acknowledged(record, plan_id):
    from planner.domain.problems import InputInvalid

    with pytest.raises(InputInvalid, match="no critical alert"):
        record.acknowledge_alert(plan_id, "weight_loss")  # a warning, not critical


def test_the_plan_window_shows_the_banner_and_acknowledging_there_clears_the_record(
    qtbot, record, plan_id, monkeypatch
):
    view = _record_view(qtbot, record)
    view.open_plan(plan_id)
    plan_view = view.plan_view
    assert "suicide_risk" in _banner_codes(plan_view.alert_banner)
    alert = next(a for a in plan_view.alert_banner.alerts if a.code == "suicide_risk")

    def answer(dialog: AcknowledgeDialog) -> int:
        assert "test-nurse" in dialog.findChildren(type(view.heading))[0].text()  # named
        dialog.note.setPlainText("seen")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AcknowledgeDialog, "exec", answer)
    plan_view.alert_banner.ask_and_acknowledge(alert)
    assert "suicide_risk" not in _banner_codes(plan_view.alert_banner)
    assert "suicide_risk" not in _banner_codes(view.alert_banner)
    plan_view.close()
    wait_for_all()


def test_no_banner_without_a_critical_alert(qtbot, record, example_raw):
    assessment = record.import_case(example_raw).assessment_id
    kept_plans.make_and_keep_plan(record, assessment)
    view = _record_view(qtbot, record)
    assert view.alert_banner.alerts == ()
    assert not view.alert_banner.isVisibleTo(view)


def test_a_suicide_risk_alert_is_acknowledged_only_with_a_note(qtbot, record, plan_id):
    """Walk 21 F18: the note was optional, so "read" could be signed with nothing done or
    said. A critical mood alert needs a note of what was done (the record refuses one without;
    the dialog's Acknowledge waits for it), and Tab from the note reaches Acknowledge first."""
    from PySide6.QtCore import Qt

    from planner.domain.problems import InputInvalid

    with pytest.raises(InputInvalid, match="what was done"):
        record.acknowledge_alert(plan_id, "suicide_risk", "   ")
    assert "suicide_risk" in [a.code for a in record.critical_alerts(MRN)]

    alert = next(a for a in record.critical_alerts(MRN) if a.code == "suicide_risk")
    dialog = AcknowledgeDialog(alert, "test-nurse")
    qtbot.addWidget(dialog)
    dialog.show()
    assert "required" in dialog.note_label.text()
    assert not dialog.acknowledge_button.isEnabled()
    dialog.note.setFocus()
    qtbot.waitUntil(dialog.note.hasFocus)
    qtbot.keyClicks(dialog.note, "psychiatry called, safety plan made")
    assert dialog.acknowledge_button.isEnabled()
    qtbot.keyClick(dialog.note, Qt.Key.Key_Tab)
    assert dialog.acknowledge_button.hasFocus()
