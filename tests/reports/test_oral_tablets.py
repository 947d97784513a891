"""An oral drug's dose is one she can take (nurse19 review, item 1): the calculated capecitabine
dose ("1565.6 mg") is printed as whole tablets of the strengths sold ("1500 mg = 3 × 500 mg
tablets") on the first plan, the cycle sheet and the booklet; the plan keeps the calculated dose
and adds the rounded one (`absolute_dose.tablets`)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from planner.domain.decision import Decision, DoseChange, decided_plan, plan_course
from planner.domain.tablets import TabletForm, tablet_dose
from planner.domain.treatment_course import SideEffect
from planner.reports.booklet import booklet_content, plain_text
from planner.services import treatment_courses as courses
from planner.services.case_commands import make_plan
from planner.services.patient_record import PatientRecord
from tests.course_setup import DAY, NORMAL_LIVER, TODAY, decide_regimen, labs_on

CAPECITABINE = TabletForm((500.0, 150.0), "down_to_tablets", ("s",), False)
PATIENT = {"mrn": "TAS-1", "family_name": "K", "given_name": "D", "assessed_on": "2026-11-20"}
CLINIC = {"name": "City Clinic", "phone": "+998 71 200 00 00", "out_of_hours_phone": "+998 1"}
# a calculated dose nobody can take: a decimal number of mg
DECIMAL_MG = re.compile(r"\b\d+\.\d+\s*mg\b")


@pytest.mark.parametrize(
    ("calculated", "value", "counts"),
    [
        (1565.6, 1500, ((500, 3), (150, 0))),  # the review's dose: 3 × 500 mg
        (1500.0, 1500, ((500, 3), (150, 0))),  # exactly whole tablets: unchanged
        (1499.9, 1450, ((500, 2), (150, 3))),  # just below: down, never up
        (1937.5, 1800, ((500, 3), (150, 2))),
        (650.0, 650, ((500, 1), (150, 1))),
        (150.0, 150, ((500, 0), (150, 1))),
    ],
)
def test_a_calculated_dose_is_rounded_down_to_whole_tablets(calculated, value, counts):
    found = tablet_dose(calculated, CAPECITABINE)
    assert found is not None
    assert found.value == value
    assert found.counts == counts
    assert found.value <= calculated
    assert sum(s * n for s, n in found.counts) == found.value
    assert all(n <= 3 for s, n in found.counts if s == 150)  # never 4 × 150 for one 500


def test_the_words_say_how_many_of_each_tablet():
    found = tablet_dose(1565.6, CAPECITABINE)
    assert found is not None
    assert found.text == "1500 mg = 3 × 500 mg tablets"
    assert "1565.6 mg rounded down to whole tablets" in found.rounding_words
    assert "unverified" in found.rounding_words  # the rule is ours, not the label's table
    mixed = tablet_dose(1650, CAPECITABINE)
    assert mixed is not None
    assert mixed.text == "1650 mg = 3 × 500 mg + 1 × 150 mg tablets"


def test_a_dose_below_the_smallest_tablet_gives_no_tablets():
    assert tablet_dose(149.0, CAPECITABINE) is None


def test_capecitabine_has_its_label_strengths_as_data_with_a_source(rules):
    form = rules.doses.drugs["capecitabine"].tablets
    assert form is not None
    assert sorted(form.strengths_mg) == [150.0, 500.0]
    assert form.sources
    assert all(s in rules.sources for s in form.sources)
    assert form.verified is False  # the rounding rule is not the label's BSA table


def _capecitabine_row(plan: dict) -> dict:
    option = next(o for o in plan["options"] if o["regimen"] == "capecitabine")
    return next(d for d in option["drugs"] if d["drug"] == "capecitabine")


def test_the_first_plan_keeps_the_calculated_dose_and_adds_the_tablets(example_raw):
    plan = make_plan(example_raw)
    absolute = _capecitabine_row(plan)["absolute_dose"]
    tablets = absolute["tablets"]
    assert tablets["value"] <= absolute["value"]  # the calculated dose stays beside it
    assert sum(t["strength_mg"] * t["count"] for t in tablets["tablets"]) == tablets["value"]
    assert tablets["verified"] is False
    assert tablets["sources"]
    assert any(b["rule"] == "tablets.down_to_tablets" for b in _capecitabine_row(plan)["basis"])


def _decided(plan: dict, **fields) -> dict:
    decision = Decision(
        course="option",
        regimen="capecitabine",
        reason="oral: she prefers tablets",
        decided_by="Dr A",
        decided_at="2026-11-20T10:00",
        **fields,
    )
    return decided_plan({**plan, "decision": decision.to_json()})


def test_the_booklet_names_the_tablets_once_decided_and_not_before(example_raw):
    plan = make_plan(example_raw)
    tablets = _capecitabine_row(plan)["absolute_dose"]["tablets"]["text"]
    decided = plain_text(booklet_content(_decided(plan), PATIENT, CLINIC))
    assert f"Each time: {tablets}" in decided
    assert not DECIMAL_MG.search(decided)
    suggested = plain_text(booklet_content(plan, PATIENT, CLINIC))
    assert tablets not in suggested  # a suggestion is not yet her dose


def test_a_changed_dose_is_rounded_to_tablets_again(example_raw):
    plan = make_plan(example_raw)
    row = _capecitabine_row(plan)
    change = DoseChange("capecitabine", 1000, "mg/m2", "frail")
    out = plan_course(_decided(plan, dose_changes=(change,))).option
    changed = next(d for d in out["drugs"] if d["drug"] == "capecitabine")["absolute_dose"]
    assert changed["value"] < row["absolute_dose"]["value"]
    assert changed["tablets"]["value"] <= changed["value"]
    assert changed["tablets"]["value"] != row["absolute_dose"]["tablets"]["value"]


def _labs(day: dt.date) -> dict:
    return labs_on(day, liver=NORMAL_LIVER, inr=1.0, hemoglobin=120)


def test_the_cycle_sheet_prints_whole_tablets_for_both_readers(tmp_path, example_raw):
    record = PatientRecord(tmp_path / "record.sqlite3", who="Nurse Test")
    try:
        plan_id = decide_regimen(record, example_raw)
        course_id = courses.start_course(record, plan_id, cycle_days=21, started_on=DAY)
        c2 = DAY + dt.timedelta(days=21)
        entry = courses.CycleEntry(
            course_id, c2, _labs(c2), (SideEffect("palmar_plantar_erythrodysesthesia", 2, 1),)
        )
        review = courses.decide_cycle(record, entry, confirmed=True, today=TODAY)
        source = courses.cycle_sheet_source(record, course_id, review)
        pdf = courses.print_cycle_sheet(source)
    finally:
        record.close()
    (line,) = source["doses"]
    tablets = line["tablets"]
    assert tablets["value"] <= line["mg"]
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]
    *clinician, patient = pages
    assert f"{tablets['text']} each time" in patient
    assert not DECIMAL_MG.search(patient)
    assert tablets["text"] in " ".join(clinician)
