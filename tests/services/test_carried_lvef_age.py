"""Course item 2: an LVEF carried forward from an earlier measurement is printed with the date it
was measured and its age; older than the monitoring interval of the course's drugs
(regimens.toml `lvef`: every 3 months during HER2-directed therapy — HERCEPTIN §5, ASCO) it is
due: not read as today's LVEF (a gap for the T-DXd rows that need it, never a pass)."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from planner.domain.lvef_age import months_after
from planner.services import cycle_sheets
from planner.services import treatment_courses as courses
from tests.ui.test_course_window_asked_fields import DAY, NORMAL, TDXD, TODAY, keep_course


def _entry(course_id: int, day: dt.date) -> courses.CycleEntry:
    return courses.CycleEntry(course_id, day, {"drawn_on": day.isoformat(), **NORMAL})


def _course(record, example_raw) -> int:
    keep_course(record, example_raw, "trastuzumab_deruxtecan_her2_positive", TDXD)
    course = courses.open_course(record, example_raw["patient"]["mrn"])
    assert course is not None
    return course.id


def test_a_carried_lvef_within_3_months_is_read_and_printed_with_its_date_and_age(
    record, example_raw
):
    """Her assessment's 58 % of 20 Nov 2026, 21 days before the review: read, and the window's
    pane and the cycle sheet say when it was measured and how old it is."""
    course_id = _course(record, example_raw)
    day = DAY + dt.timedelta(days=21)
    preview = courses.preview_cycle(record, _entry(course_id, day), today=TODAY)
    assert preview.case["clinical"]["lvef_percent"] == 58
    assert preview.next_cycle["decision"] == "give"
    (note,) = [n for n in preview.next_cycle["notes"] if n.startswith("LVEF")]
    assert "LVEF 58 % measured on 2026-11-20, 21 days before this review" in note
    assert "carried from an earlier review" in note
    assert "within the 3-month monitoring interval (H2-1), next due by 2027-02-20" in note

    review = courses.decide_cycle(record, _entry(course_id, day), confirmed=True, today=TODAY)
    pdf = cycle_sheets.print_cycle_sheet(cycle_sheets.cycle_sheet_source(record, course_id, review))
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "measured on 2026-11-20, 21 days before this review" in text


def test_a_carried_lvef_older_than_3_months_is_due_a_gap_not_a_pass(record, example_raw):
    """The same 58 %, 101 days later (past 20 Feb 2027): not read as today's — the LVEF rows of
    the T-DXd table have a gap and no dose is suggested; the note says it is due."""
    course_id = _course(record, example_raw)
    day = DAY + dt.timedelta(days=101)
    preview = courses.preview_cycle(record, _entry(course_id, day), today=TODAY)
    assert "lvef_percent" not in (preview.case.get("clinical") or {})
    assert preview.next_cycle["decision"] == "insufficient_data"
    assert "clinical.lvef_percent" in {g["field"] for g in preview.plan["gaps"]}
    (note,) = [n for n in preview.next_cycle["notes"] if n.startswith("LVEF")]
    assert "101 days before this review" in note
    assert "DUE: older than the 3-month monitoring interval (H2-1)" in note

    # measured today: read, no note of a carried value
    measured = courses.CycleEntry(
        course_id, day, {"drawn_on": day.isoformat(), **NORMAL}, clinical={"lvef_percent": 57}
    )
    preview = courses.preview_cycle(record, measured, today=TODAY)
    assert preview.next_cycle["decision"] == "give"
    assert not [n for n in preview.next_cycle.get("notes") or () if n.startswith("LVEF")]


def test_the_interval_ends_on_the_same_day_3_months_later():
    assert months_after(dt.date(2026, 11, 20), 3) == dt.date(2027, 2, 20)
    assert months_after(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
