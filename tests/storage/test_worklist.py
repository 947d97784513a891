"""Today's work from the record (issue 20 item 2): reviews due and overdue from each plan's
next-review date (changed with a reason, audited), unacknowledged critical alerts, drafts, and
the patient list in three orders, each read through an index."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from record_helpers import case_for

from planner.domain.problems import InputInvalid
from planner.storage import search

ASSESSED = dt.date(2026, 11, 20)  # the example case's date
ALERT = {"code": "suicide_risk", "level": "critical", "message": "PHQ-9 item 9 is 1"}


def plan(days: int | None, *alerts: dict) -> dict:
    return {"follow_up": {"next_review_days": days, "monitoring": []}, "alerts": list(alerts)}


def keep(record, assessment_id: int, document: dict) -> int:
    return record.record_plan(
        assessment_id, document, pdf_sha256=None, rules_version="test", settings={}
    )


@pytest.fixture
def three(record, example_raw):
    """Aliyeva (review in 7 days), Boboeva (in 28), Valieva (no plan); Valieva assessed last."""
    ids = {}
    for mrn, family, on in (
        ("W-1", "Aliyeva", "2026-11-22"),
        ("W-2", "Boboeva", "2026-11-20"),
        ("W-3", "Valieva", "2026-11-25"),
    ):
        raw = case_for(example_raw, mrn, family_name=family)
        raw["assessed_on"] = on
        ids[mrn] = record.import_case(raw).assessment_id
    keep(record, ids["W-1"], plan(7))
    keep(record, ids["W-2"], plan(28))
    return ids


def mrns(rows):
    return [r.mrn for r in rows]


def test_review_due_is_the_plans_days_from_the_assessment(record, three):
    rows = {r.mrn: r for r in record.patients_page(10, 0)}
    assert rows["W-1"].review_due_on == "2026-11-29"
    assert rows["W-2"].review_due_on == "2026-12-18"
    assert rows["W-3"].review_due_on is None  # no plan: no date, never a made-up one


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (dt.date(2026, 11, 28), []),
        (dt.date(2026, 11, 29), ["W-1"]),  # due today
        (dt.date(2026, 12, 18), ["W-1", "W-2"]),  # W-1 overdue, first
    ],
)
def test_reviews_due_today_and_overdue(record, three, today, due):
    assert mrns(record.worklist(today).reviews_due) == due


def test_a_plan_without_review_days_gives_no_date(record, three):
    keep(record, three["W-1"], plan(None))
    assert mrns(record.worklist(dt.date(2027, 1, 1)).reviews_due) == ["W-2"]


def test_changing_the_review_date_needs_a_reason_and_is_audited(record, three):
    with pytest.raises(InputInvalid) as refused:
        record.set_review_date("W-1", "2026-12-20", "   ")
    assert [p.path for p in refused.value.problems] == ["reason"]
    with pytest.raises(InputInvalid) as refused:
        record.set_review_date("W-1", "12/2026", "month only")
    assert [p.path for p in refused.value.problems] == ["review_due_on"]
    record.set_review_date("W-1", "20/12/2026", "family away until the 19th")
    assert mrns(record.worklist(dt.date(2026, 12, 1)).reviews_due) == []
    assert mrns(record.worklist(dt.date(2026, 12, 20)).reviews_due) == ["W-2", "W-1"]
    (change,) = record.review_changes("W-1")
    assert change["reason"] == "family away until the 19th"
    assert change["changed_by"] == "test-nurse"
    logged = record._conn.execute(
        "SELECT after_json FROM audit_log WHERE table_name = 'review_changes'"
    ).fetchall()
    assert len(logged) == 1
    assert "family away" in logged[0][0]
    assert record.check() == []


def test_a_newer_plan_replaces_a_changed_date(record, three):
    record.set_review_date("W-1", dt.date(2026, 12, 20), "family away")
    keep(record, three["W-1"], plan(3))
    rows = {r.mrn: r for r in record.patients_page(10, 0)}
    assert rows["W-1"].review_due_on == "2026-11-25"


def test_unacknowledged_critical_alerts_until_acknowledged(record, three):
    plan_id = keep(record, three["W-3"], plan(14, ALERT))
    (row,) = record.worklist(ASSESSED).open_alerts
    assert (row.mrn, row.open_alerts) == ("W-3", 1)
    record.acknowledge_alert(plan_id, "suicide_risk", "called her daughter")
    assert record.worklist(ASSESSED).open_alerts == ()
    assert record.check() == []


def test_unfinished_drafts_are_on_the_worklist(record, three):
    record.save_draft({"patient": {"mrn": "W-2"}}, "patient", mrn="W-2")
    (draft,) = record.worklist(ASSESSED).drafts
    assert draft.content["patient"]["mrn"] == "W-2"
    assert {r.mrn: r.drafts for r in record.patients_page(10, 0)}["W-2"] == 1


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("name", ["W-1", "W-2", "W-3"]),
        ("last_assessed", ["W-3", "W-1", "W-2"]),  # newest first
        ("review_due", ["W-1", "W-2", "W-3"]),  # earliest first, no date last
    ],
)
def test_patient_list_orders(record, three, order, expected):
    assert mrns(record.patients_page(10, 0, order)) == expected
    assert mrns(record.patients_page(1, 1, order)) == expected[1:2]


def test_an_unknown_order_is_refused(record, three):
    with pytest.raises(ValueError, match="unknown order"):
        record.patients_page(10, 0, "colour")


def test_a_write_outside_the_program_is_found_by_db_check(record, three, record_path):
    with sqlite3.connect(record_path) as conn:
        conn.execute("UPDATE worklist SET review_due_on = '2030-01-01'")
    assert any("worklist" in p for p in record.check())


def _plan_of(conn, sql: str, params: list) -> str:
    return " | ".join(row[-1] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))


@pytest.mark.parametrize("order", sorted(search.ORDERS))
def test_every_list_order_reads_an_index_not_every_patient(record, three, order):
    """On 100,000 patients a page must not sort the whole table: the first rows come from an
    index (what SQLite reports it will do; no timing in unit tests)."""
    by = search.ORDERS[order]
    sql = f"SELECT p.id FROM patients p {search._WORKLIST} ORDER BY {by} LIMIT 200 OFFSET 0"
    plan_text = _plan_of(record._conn, sql, [])
    assert "USING INDEX" in plan_text or "USING COVERING INDEX" in plan_text, plan_text
    assert "USE TEMP B-TREE FOR ORDER BY" not in plan_text, plan_text


def test_due_and_alert_lists_read_their_indexes(record, three):
    due = _plan_of(
        record._conn,
        f"SELECT w.patient_id FROM worklist w WHERE {search._DUE} <= ? ORDER BY {search._DUE}",
        ["2026-12-01"],
    )
    assert "worklist_by_review_due" in due, due
    alerts = _plan_of(record._conn, "SELECT patient_id FROM worklist WHERE open_alerts > 0", [])
    assert "worklist_open_alerts" in alerts, alerts


def test_an_amendment_keeps_the_booked_review_and_open_alerts_until_its_own_plan(record, three):
    """Walk 21 H2: correcting a typo in an old assessment marked its plans superseded and took
    her overdue review (and any unread critical alert) off Today's work. The superseded plan's
    review date and alerts stand until a plan of the corrected version replaces them."""
    from planner.services import record_corrections

    alert_plan = keep(record, three["W-3"], plan(14, ALERT))
    for mrn in ("W-1", "W-3"):
        case = record.case(three[mrn])
        case["labs"]["albumin"]["value"] = 27
        record_corrections.amend_assessment(record, three[mrn], case, "albumin typed 37 for 27")

    rows = {r.mrn: r for r in record.patients_page(10, 0)}
    assert rows["W-1"].review_due_on == "2026-11-29"  # as booked on the superseded plan
    assert rows["W-3"].review_due_on == "2026-12-09"
    assert mrns(record.worklist(dt.date(2026, 12, 1)).reviews_due) == ["W-1"]
    (row,) = record.worklist(ASSESSED).open_alerts
    assert (row.mrn, row.open_alerts) == ("W-3", 1)
    assert [a.plan_id for a in record.critical_alerts("W-3")] == [alert_plan]  # the banner too
    assert record.check() == []

    (amended,) = [p.assessment_id for p in record.trend("W-3")]
    keep(record, amended, plan(3))  # the corrected version's own plan replaces the old one's
    rows = {r.mrn: r for r in record.patients_page(10, 0)}
    assert rows["W-3"].review_due_on == "2026-11-28"
    assert record.worklist(ASSESSED).open_alerts == ()
    assert record.critical_alerts("W-3") == ()
    assert record.check() == []
