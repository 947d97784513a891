"""An oral drug's dose is one she can take (nurse19 review, item 1): the calculated capecitabine
dose ("1565.6 mg") is printed as whole tablets of the strengths sold ("1500 mg = 3 × 500 mg
tablets") on the first plan, the cycle sheet and the booklet; the plan keeps the calculated dose
and adds the rounded one (`absolute_dose.tablets`)."""

from __future__ import annotations

import copy
import datetime as dt
import io
import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from planner.domain.decision import Decision, DoseChange, decided_plan, plan_course
from planner.domain.tablets import TabletForm, tablet_dose
from planner.domain.treatment_course import SideEffect
from planner.reports.booklet import booklet_content, plain_text
from planner.services import cycle_sheets
from planner.services import treatment_courses as courses
from planner.services.case_commands import make_plan
from planner.services.patient_record import PatientRecord
from tests.course_setup import DAY, NORMAL_LIVER, TODAY, decide_regimen, labs_on

CAPECITABINE = TabletForm((500.0, 150.0), "nearest_tablets", 0.0, ("s",), False)
PATIENT = {"mrn": "TAS-1", "family_name": "K", "given_name": "D", "assessed_on": "2026-11-20"}
CLINIC = {"name": "City Clinic", "phone": "+998 71 200 00 00", "out_of_hours_phone": "+998 1"}
# a calculated dose nobody can take: a decimal number of mg
DECIMAL_MG = re.compile(r"\b\d+\.\d+\s*mg\b")


@pytest.mark.parametrize(
    ("calculated", "value", "counts"),
    [
        # review 16c finding 3: 800 mg/m2 × 1.42 m2; the old rule (at most 3 × 150 mg beside
        # 500 mg) printed 1000 mg = 2 × 500 mg (−12 %)
        (1136.0, 1100, ((500, 1), (150, 4))),
        (1565.6, 1550, ((500, 1), (150, 7))),  # nurse19's dose: −1 %, not 1500 mg (−4 %)
        (1500.0, 1500, ((500, 3), (150, 0))),  # exactly whole tablets: unchanged
        (1499.9, 1450, ((500, 2), (150, 3))),  # just below: never up
        (1937.5, 1900, ((500, 2), (150, 6))),
        (650.0, 650, ((500, 1), (150, 1))),
        (150.0, 150, ((500, 0), (150, 1))),
        (1050.0, 1050, ((500, 0), (150, 7))),  # only the small strength makes it
    ],
)
def test_a_calculated_dose_becomes_the_nearest_whole_tablets_not_above(calculated, value, counts):
    found = tablet_dose(calculated, CAPECITABINE)
    assert found is not None
    assert found.value == value
    assert found.counts == counts
    assert found.value <= calculated
    assert sum(s * n for s, n in found.counts) == found.value


def _achievable(ceiling: float, most: int) -> list[tuple[float, int]]:
    """Every (total mg, tablets) of 500 and 150 mg tablets with at most `most` tablets."""
    return [
        (big * 500.0 + small * 150.0, big + small)
        for big in range(most + 1)
        for small in range(most + 1 - big)
        if 0 < big * 500.0 + small * 150.0 <= ceiling + 1e-6
    ]


@settings(max_examples=300, deadline=None)
@given(
    calculated=st.floats(min_value=150, max_value=4000, allow_nan=False),
    above=st.sampled_from([0.0, 2.5, 5.0, 10.0]),
)
def test_no_other_combination_is_nearer_to_the_calculated_dose(calculated, above):
    form = TabletForm((500.0, 150.0), "nearest_tablets", above, ("s",), False)
    found = tablet_dose(calculated, form)
    assert found is not None
    ceiling = calculated * (1 + above / 100)
    assert found.value <= ceiling + 1e-6  # never above by more than the row allows
    # compared with every combination of up to 30 tablets (more than any dose here needs)
    for total, count in _achievable(ceiling, 30):
        distance, best = abs(total - calculated), abs(found.value - calculated)
        assert best <= distance + 1e-6
        if math.isclose(distance, best, abs_tol=1e-6):  # equally near: the lower dose wins
            assert found.value <= total + 1e-6
            if math.isclose(total, found.value):  # the same dose: the fewest tablets
                assert sum(n for _, n in found.counts) <= count


def test_a_limit_above_lets_the_nearest_dose_be_slightly_more():
    allowed = TabletForm((500.0, 150.0), "nearest_tablets", 5.0, ("s",), False)
    found = tablet_dose(1136.0, allowed)
    assert found is not None
    assert (found.value, found.counts) == (1150, ((500, 2), (150, 1)))  # +1.2 %
    assert "at most 5 % above it" in found.rounding_words


def test_the_words_say_the_calculated_dose_the_tablets_and_the_difference():
    found = tablet_dose(1136.0, CAPECITABINE)
    assert found is not None
    assert found.text == "1100 mg = 1 × 500 mg + 4 × 150 mg tablets"
    assert found.line == "1136 mg → 1100 mg = 1 × 500 mg + 4 × 150 mg (−3 %)"
    assert found.rounding_words.startswith(found.line)
    assert "never above it" in found.rounding_words
    assert "unverified" in found.rounding_words  # the rule is ours, not the label's table
    assert found.to_json()["difference_percent"] == -3.2
    mixed = tablet_dose(1650, CAPECITABINE)
    assert mixed is not None
    assert mixed.text == "1650 mg = 3 × 500 mg + 1 × 150 mg tablets"
    assert mixed.rounding_words == "1650 mg is whole tablets"


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
    assert any(b["rule"] == "tablets.nearest_tablets" for b in _capecitabine_row(plan)["basis"])


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
        source = cycle_sheets.cycle_sheet_source(record, course_id, review)
        pdf = cycle_sheets.print_cycle_sheet(source)
    finally:
        record.close()
    (line,) = source.doses
    tablets = line.tablets
    assert tablets["value"] <= line.mg
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]
    # the patient's part is last and may run to a second page
    first = next(i for i, p in enumerate(pages) if "· for the patient" in p)
    clinician, patient = pages[:first], " ".join(pages[first:])
    assert f"{tablets['text']} each time" in patient
    assert not DECIMAL_MG.search(patient)
    assert tablets["text"] in " ".join(clinician)


def test_the_reviews_decided_dose_prints_the_nearest_tablets_everywhere(example_raw):
    """Review 16c finding 3: suggested 937.5 mg/m2 × 1.42 m2, decided 800 mg/m2 = 1136 mg was
    printed "1000 mg = 2 × 500 mg" (−12 %) with the arithmetic "× 1.41995 m2"; the clinician reads
    the calculated dose, the tablets and the difference, the family the same tablets."""
    raw = copy.deepcopy(example_raw)
    raw["body"].update(height_cm=155, weight_kg=47.0)  # Mosteller 1.42 m2
    plan = make_plan(raw)
    row = _capecitabine_row(plan)
    assert "× 1.42 m2" in row["absolute_dose"]["text"]
    # the review's suggestion (75 % for the kidneys): kept to 0.1 mg, 1331.25 is 1331.2
    row["dose"] = {"value": 937.5, "unit": "mg/m2"}
    row["absolute_dose"]["value"] = 1331.2
    change = DoseChange("capecitabine", 800, "mg/m2", "frail")
    decided = _decided(plan, dose_changes=(change,))
    out = plan_course(decided).option
    changed = next(d for d in out["drugs"] if d["drug"] == "capecitabine")["absolute_dose"]
    assert changed["value"] == 1136
    assert changed["text"].endswith(" × 1.42 m2 = 1136 mg")
    tablets = changed["tablets"]
    assert tablets["text"] == "1100 mg = 1 × 500 mg + 4 × 150 mg tablets"
    assert tablets["rounding"].startswith("1136 mg → 1100 mg = 1 × 500 mg + 4 × 150 mg (−3 %)")
    booklet = plain_text(booklet_content(decided, PATIENT, CLINIC))
    assert "Each time: 1100 mg = 1 × 500 mg + 4 × 150 mg tablets" in booklet
    assert "1000 mg" not in booklet
