"""Walk 23 HARM 4: the cycle sheet lists this cycle's days after day 1 (the label's day-15 blood
count of palbociclib in the first 2 cycles, IBRANCE §2.2/§5.1), with dates and sources on the
clinician page and in her own words on the patient page; a cycle past the label's first 2 has
none (fulvestrant is monthly from cycle 2, FASLODEX §2.1)."""

from __future__ import annotations

import copy
import datetime as dt
import io

from planner.services import cycle_sheets
from planner.services import treatment_courses as courses
from planner.services.patient_record import PatientRecord
from tests.course_setup import DAY, NORMAL_LIVER, TODAY, decide_regimen, labs_on


def _text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def test_cycle_2_lists_day_15_cycle_3_does_not(tmp_path, example_raw):
    raw = copy.deepcopy(example_raw)
    raw["disease"]["prior_therapy"][0]["drugs"] = ["letrozole"]
    record = PatientRecord(tmp_path / "record.sqlite3", who="Nurse Test")
    sheets = {}
    try:
        plan_id = decide_regimen(
            record, raw, "fulvestrant_palbociclib_after_et", reason="no CDK4/6 yet"
        )
        course_id = courses.start_course(record, plan_id, cycle_days=28, started_on=DAY)
        today = {"ascites": "none", "encephalopathy": "none"}
        for cycle in (2, 3):
            on = DAY + dt.timedelta(days=28 * (cycle - 1))
            labs = labs_on(on, liver=NORMAL_LIVER, anc=2.0, inr=1.0)
            entry = courses.CycleEntry(course_id, on, labs, (), clinical=today)
            review = courses.decide_cycle(record, entry, confirmed=True, today=TODAY)
            source = cycle_sheets.cycle_sheet_source(record, course_id, review)
            assert record.course(course_id).review(review).decided["decision"] == "give"
            sheets[cycle] = (source, _text(cycle_sheets.print_cycle_sheet(source)))
            courses.record_cycle_given(record, course_id, review, on, today=TODAY)
    finally:
        record.close()
    source, text = sheets[2]
    day15 = DAY + dt.timedelta(days=28 + 14)
    (visit,) = [v for v in source.visits if v.day == 15]
    assert visit.on == day15
    assert visit.tested_for == ("palbociclib",)
    assert visit.doses == ()
    assert "Days of this cycle" in text
    assert "Day 15" in text
    assert "full blood count" in text
    assert "IBRANCE" in text
    assert "(day 15 of this round) for a blood test." in text
    assert "Come in on" in text
    source, text = sheets[3]
    assert [v.day for v in source.visits] == [1]
    assert "Days of this cycle" not in text
    assert "Come in on" not in text
