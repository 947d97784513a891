"""The course use cases end to end on a record: plan, decide, start, three cycles with one
reduction and one delay, a stop; each suggestion and decision as the engine and doctor gave it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from planner.domain import treatment_course as tc
from planner.domain.problems import InputInvalid
from planner.domain.treatment_course import DecidedDrug, SideEffect
from planner.services import cycle_sheets, kept_plans
from planner.services import treatment_courses as courses
from planner.services.patient_record import PatientRecord
from tests import course_setup
from tests.course_setup import DAY, HFS, TODAY, decide_regimen


def labs_on(day: dt.date, *, anc: float = 3.0, platelets: float = 220) -> dict[str, Any]:
    return course_setup.labs_on(day, anc=anc, platelets=platelets, inr=1.1)


@pytest.fixture
def decided(tmp_path, example_raw) -> tuple[PatientRecord, int]:
    """A record holding the sample patient with capecitabine decided on her plan."""
    record = PatientRecord(tmp_path / "record.sqlite3", who="Nurse Test")
    plan_id = decide_regimen(record, example_raw, reason="oral, at home")
    yield record, plan_id
    record.close()


def test_three_cycles_with_a_reduction_and_a_delay(decided):
    record, plan_id = decided
    offer = courses.course_offer(record, plan_id)
    assert offer.drugs == (
        {
            "drug": "capecitabine",
            "starting_dose": {"value": 1250.0, "unit": "mg/m2"},
            "first_dose": {"value": 1250.0, "unit": "mg/m2"},
        },
    )
    course_id = courses.start_course(record, plan_id, cycle_days=21, started_on=DAY)

    # cycle 2: hand-foot syndrome grade 3, now grade 1: 75 % of the starting dose
    c2 = DAY + dt.timedelta(days=21)
    entry = courses.CycleEntry(course_id, c2, labs_on(c2), (SideEffect(HFS, 3, 1),), weight_kg=53.0)
    preview = courses.preview_cycle(record, entry, today=TODAY)
    (drug,) = preview.next_cycle["drugs"]
    assert (preview.next_cycle["decision"], drug["action"]) == ("give", "reduce")
    assert drug["dose"] == {"value": 937.5, "unit": "mg/m2"}
    review2 = courses.decide_cycle(record, entry, confirmed=True, today=TODAY)
    courses.record_cycle_given(record, course_id, review2, c2, today=c2)

    # cycle 3: neutrophils 1.2 on day 1: hold, recheck in 7 days (a delay)
    c3 = c2 + dt.timedelta(days=21)
    low = courses.CycleEntry(course_id, c3, labs_on(c3, anc=1.2))
    preview = courses.preview_cycle(record, low, today=TODAY)
    assert preview.next_cycle["decision"] == "delay", preview.next_cycle
    assert preview.next_cycle["recheck_in_days"] == 7
    graded = [
        t
        for t in preview.case["treatment"]["toxicities"]
        if t["term"] == "neutrophil_count_decreased"
    ]
    assert graded == [
        {
            "term": "neutrophil_count_decreased",
            "worst_grade": 2,
            "current_grade": 2,
            "occurrence": 1,
            "drug": None,
            "days": None,
        }
    ]
    review3 = courses.decide_cycle(record, low, confirmed=True, today=TODAY)
    with pytest.raises(InputInvalid, match="the decision is delay"):
        courses.record_cycle_given(record, course_id, review3, c3, today=c3)

    # a week later, recovered: the same cycle, at the reduced dose
    c3b = c3 + dt.timedelta(days=7)
    again = courses.CycleEntry(course_id, c3b, labs_on(c3b, anc=2.0))
    preview = courses.preview_cycle(record, again, today=TODAY)
    assert preview.next_cycle["cycle"] == 3
    assert preview.next_cycle["drugs"][0]["dose"] == {"value": 937.5, "unit": "mg/m2"}
    review3b = courses.decide_cycle(record, again, confirmed=True, today=TODAY)
    courses.record_cycle_given(record, course_id, review3b, c3b, today=c3b)

    kept = record.course(course_id)
    assert [(c.cycle, c.given_on, c.drugs[0]["dose"]["value"]) for c in kept.cycles] == [
        (1, "2026-11-20", 1250.0),
        (2, "2026-12-11", 937.5),
        (3, "2027-01-08", 937.5),
    ]
    assert [r.decided["decision"] for r in kept.reviews] == ["give", "delay", "give"]
    assert {r.signed_by for r in kept.reviews} == {"Dr Karimov (oncologist)"}
    assert record.check() == []


def test_an_override_is_signed_with_its_reason_and_a_stop_ends_the_course(decided):
    record, plan_id = decided
    course_id = courses.start_course(record, plan_id, cycle_days=21, started_on=DAY)
    c2 = DAY + dt.timedelta(days=21)
    entry = courses.CycleEntry(course_id, c2, labs_on(c2))
    with pytest.raises(InputInvalid) as raised:
        courses.decide_cycle(
            record,
            entry,
            confirmed=False,
            drugs=[DecidedDrug("capecitabine", "reduce", 2000)],
            today=TODAY,
        )
    assert [p.path for p in raised.value.problems] == ["override.reason", "override.drugs[0].dose"]
    review = courses.decide_cycle(
        record,
        entry,
        confirmed=False,
        drugs=[DecidedDrug("capecitabine", "discontinue")],
        reason="progression on CT",
        today=TODAY,
    )
    kept = record.course(course_id)
    assert kept.reviews[0].outcome == "overridden"
    assert kept.reviews[0].suggested["decision"] == "give"
    assert kept.stop is not None
    assert (kept.stop.reason, kept.stop.review_id) == ("progression on CT", review)
    with pytest.raises(InputInvalid, match="stopped"):
        courses.preview_cycle(record, entry, today=TODAY)


def test_missing_and_implausible_input_names_the_field(decided):
    record, plan_id = decided
    with pytest.raises(InputInvalid, match=r"course\.cycle_days: 300 is outside 7–84 days"):
        courses.start_course(record, plan_id, cycle_days=300, started_on=DAY)
    course_id = courses.start_course(record, plan_id, cycle_days=21, started_on=DAY)
    with pytest.raises(InputInvalid, match="already on a course"):
        courses.start_course(record, plan_id, cycle_days=21, started_on=DAY)
    c2 = DAY + dt.timedelta(days=21)
    labs = labs_on(c2)
    del labs["anc"]
    preview = courses.preview_cycle(record, courses.CycleEntry(course_id, c2, labs), today=TODAY)
    assert preview.next_cycle["decision"] == "insufficient_data"
    assert all(d["dose"] is None for d in preview.next_cycle["drugs"])
    with pytest.raises(InputInvalid, match="nothing to confirm"):
        courses.decide_cycle(
            record, courses.CycleEntry(course_id, c2, labs), confirmed=True, today=TODAY
        )
    labs = labs_on(c2)
    labs["anc"] = {"value": 1.2, "unit": "mmol/L"}
    with pytest.raises(InputInvalid, match=r"labs\.anc\.unit"):
        courses.preview_cycle(record, courses.CycleEntry(course_id, c2, labs), today=TODAY)


def test_the_cycle_sheet_prints_the_decided_doses_only(decided, tmp_path):
    from pypdf import PdfReader

    record, plan_id = decided
    course_id = courses.start_course(record, plan_id, cycle_days=21, started_on=DAY)
    c2 = DAY + dt.timedelta(days=21)
    entry = courses.CycleEntry(course_id, c2, labs_on(c2), (SideEffect(HFS, 3, 1),))
    review = courses.decide_cycle(
        record,
        entry,
        confirmed=False,
        drugs=[DecidedDrug("capecitabine", "reduce", 625)],
        reason="frail, lives alone",
        today=TODAY,
    )
    courses.record_cycle_given(record, course_id, review, c2, today=c2)
    source = cycle_sheets.cycle_sheet_source(record, course_id, review)
    pdf = cycle_sheets.print_cycle_sheet(source)
    (tmp_path / "sheet.pdf").write_bytes(pdf)
    import io

    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]
    first = next(
        i for i, p in enumerate(pages) if "· for the patient" in p
    )  # the patient's part may run to a second page
    clinician = " ".join(pages[:first])
    assert "Overridden" in clinician
    assert "frail, lives alone" in clinician
    assert "Dr Karimov (oncologist)" in clinician
    assert "625 mg/m²" in clinician
    assert "1250 mg/m² × 50 % = 625 mg/m² × 1.55 m² (Mosteller) = 968.8 mg" in clinician
    assert "937.5" not in " ".join(pages)  # the suggestion's dose is not the decision's
    patient = " ".join(pages[first:])
    # she is told the whole tablets (968.8 mg rounded down), never the calculated 968.8 mg
    assert "950 mg = 1 × 500 mg + 3 × 150 mg tablets each time" in patient
    assert "968.8" not in patient
    assert "cycle.capecitabine" not in patient
    assert "Hand-foot syndrome" in patient


def test_a_review_builds_the_plan_once(decided, monkeypatch):
    """The lab grades the occurrence count needs are read before the plan, not by a first plan
    (issue 19): a review with a graded toxicity runs the engine once, and the kept plan of the
    signed review (made from the stored case) is the preview's plan."""
    from planner.services import case_commands

    calls: list[str] = []
    build = case_commands.build_plan

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append("build_plan")
        return build(*args, **kwargs)

    monkeypatch.setattr(case_commands, "build_plan", counted)
    record, plan_id = decided
    course_id = courses.start_course(record, plan_id, cycle_days=21, started_on=DAY)
    c2 = DAY + dt.timedelta(days=21)
    entry = courses.CycleEntry(course_id, c2, labs_on(c2, anc=1.2), (SideEffect(HFS, 2, 1),))
    calls.clear()
    preview = courses.preview_cycle(record, entry, today=TODAY)
    assert calls == ["build_plan"]
    # the graded neutrophils (grade 2) were entered with their occurrence before that one run
    entered = {t["term"]: t for t in preview.case["treatment"]["toxicities"]}
    assert entered["neutrophil_count_decreased"]["worst_grade"] == 2
    assert entered["neutrophil_count_decreased"]["occurrence"] == 1
    graded = {g["term"]: g["grade"] for g in preview.next_cycle["graded"]}
    assert graded["neutrophil_count_decreased"] == 2
    calls.clear()
    review = courses.decide_cycle(record, entry, confirmed=True, today=TODAY)
    # the suggestion (one run) and the kept plan of the stored case (one run)
    assert calls == ["build_plan", "build_plan"]
    kept = record.course(course_id).reviews[-1]
    assert kept.id == review
    assert record.plan(kept.plan_id).plan["next_cycle"] == preview.next_cycle


def test_a_liver_reduced_plan_starts_the_course_at_the_label_dose_not_cut_twice(
    tmp_path, example_raw
):
    """Vinorelbine decided at 12.5 mg/m² (50 %: bilirubin 49 µmol/L, 2.9 mg/dL). The course's
    100 % is the label's 25 mg/m²; cycle 1 is given at the plan's 12.5. At cycle 2 (neutrophils
    1.2, bilirubin 30 µmol/L = 1.8 mg/dL) the Navelbine label (§2.2) gives 50 % of the starting
    dose = 12.5, not 50 % of 12.5; with normal counts and bilirubin, the dose of the day is
    read off the day's results again: the full 25."""
    example_raw["labs"]["bilirubin"] = {"value": 49, "unit": "umol/L", "uln": 21}
    record = PatientRecord(tmp_path / "record.sqlite3", who="Nurse Test")
    outcome = record.import_case(example_raw)
    made = kept_plans.make_and_keep_plan(record, outcome.assessment_id)
    record.sign_in_as("Dr Karimov (oncologist)")
    plan_id = kept_plans.decide_plan(
        record, made.plan_id, course="option", regimen="vinorelbine", reason="weekly, IV"
    )
    offer = courses.course_offer(record, plan_id)
    assert offer.drugs == (
        {
            "drug": "vinorelbine",
            "starting_dose": {"value": 25.0, "unit": "mg/m2"},
            "first_dose": {"value": 12.5, "unit": "mg/m2"},
        },
    )
    course_id = courses.start_course(record, plan_id, cycle_days=7, started_on=DAY)
    kept = record.course(course_id)
    assert kept.drugs[0]["starting_dose"] == {"value": 25.0, "unit": "mg/m2"}
    assert kept.cycles[0].drugs[0]["dose"] == {"value": 12.5, "unit": "mg/m2"}

    c2 = DAY + dt.timedelta(days=7)
    labs = labs_on(c2, anc=1.2)
    labs["bilirubin"] = {"value": 30, "unit": "umol/L", "uln": 21}
    entry = courses.CycleEntry(course_id, c2, labs)
    (drug,) = courses.preview_cycle(record, entry, today=TODAY).next_cycle["drugs"]
    assert drug["dose"] == {"value": 12.5, "unit": "mg/m2"}
    assert drug["percent_of_starting"] == 50
    courses.record_cycle_given(
        record,
        course_id,
        courses.decide_cycle(record, entry, confirmed=True, today=TODAY),
        c2,
        today=c2,
    )

    # normal counts and bilirubin: the label's table gives 100 % of the 25 mg/m² that day
    # (Navelbine USPI §2.2: the dose of the day from that day's counts and bilirubin); the
    # review returns the dose there itself, says why and cites the label (issue 19 item 1)
    c3 = c2 + dt.timedelta(days=7)
    normal = labs_on(c3)
    normal["bilirubin"] = {"value": 12, "unit": "umol/L", "uln": 21}
    entry3 = courses.CycleEntry(course_id, c3, normal)
    (drug,) = courses.preview_cycle(record, entry3, today=TODAY).next_cycle["drugs"]
    assert (drug["action"], drug["dose"], drug["percent_of_starting"], drug["dose_level"]) == (
        "increase",
        {"value": 25.0, "unit": "mg/m2"},
        100,
        0,
    )
    assert any("back up the label's steps" in r for r in drug["reasons"])
    assert {"rule": "cycle.vinorelbine.levels", "source": "cycle.src.navelbine_uspi"} in [
        {k: b[k] for k in ("rule", "source")} for b in drug["basis"]
    ]
    review = courses.decide_cycle(record, entry3, confirmed=True, today=TODAY)
    courses.record_cycle_given(record, course_id, review, c3, today=c3)
    kept = record.course(course_id)
    assert kept.cycles[-1].drugs[0]["dose"] == {"value": 25.0, "unit": "mg/m2"}
    record.close()


def test_a_course_start_and_a_review_in_the_future_are_refused_naming_the_field():
    today = dt.date(2026, 12, 7)
    (problem,) = tc.started_on_problems(dt.date(2026, 12, 14), today=today)
    assert str(problem) == (
        "course.started_on: 14/12/2026 is in the future (today is 07/12/2026): start the "
        "course on the day it starts"
    )
    (problem,) = tc.reviewed_on_problems(dt.date(2026, 12, 8), today=today)
    assert problem.path == "review.reviewed_on"
    assert "08/12/2026 is in the future (today is 07/12/2026)" in str(problem)
    assert tc.started_on_problems(today, today=today) == []
    assert tc.reviewed_on_problems(today, today=today) == []


def test_the_services_refuse_a_future_start_and_review_and_save_nothing(decided):
    record, plan_id = decided
    with pytest.raises(InputInvalid) as raised:
        courses.start_course(
            record, plan_id, cycle_days=21, started_on=DAY + dt.timedelta(days=1), today=DAY
        )
    assert [p.path for p in raised.value.problems] == ["course.started_on"]
    assert courses.courses_of(record, "TAS-000123") == []
    # without `today`, the computer's date: a start a year from now is refused too
    with pytest.raises(InputInvalid, match=r"course\.started_on: .* is in the future"):
        courses.start_course(
            record, plan_id, cycle_days=21, started_on=dt.date.today() + dt.timedelta(days=365)
        )
    course_id = courses.start_course(record, plan_id, cycle_days=21, started_on=DAY, today=DAY)
    c2 = DAY + dt.timedelta(days=21)
    entry = courses.CycleEntry(course_id, c2, labs_on(c2))
    the_day_before = c2 - dt.timedelta(days=1)
    with pytest.raises(InputInvalid) as raised:
        courses.preview_cycle(record, entry, today=the_day_before)
    assert [str(p) for p in raised.value.problems] == [
        "review.reviewed_on: 11/12/2026 is in the future (today is 10/12/2026): date the "
        "review on the day it is done"
    ]
    with pytest.raises(InputInvalid, match=r"review\.reviewed_on: 11/12/2026 is in the future"):
        courses.decide_cycle(record, entry, confirmed=True, today=the_day_before)
    assert record.course(course_id).reviews == ()
    assert courses.decide_cycle(record, entry, confirmed=True, today=c2)


def test_a_course_kept_with_the_plan_s_reduced_dose_as_its_100_percent_is_read_at_the_label_s(
    tmp_path, example_raw
):
    """Issue 19 leftover 8: a course kept before the fix held the plan's liver-reduced 12.5
    mg/m² vinorelbine as its 100 %. Read now, its 100 % is the label's 25 mg/m² (the record is
    not changed, and says what it kept): at bilirubin 30 µmol/L (1.8 mg/dL) and neutrophils 1.2
    the Navelbine label (§2.2) gives 50 % of 25 = 12.5 mg/m², not 6.25."""
    example_raw["labs"]["bilirubin"] = {"value": 49, "unit": "umol/L", "uln": 21}
    record = PatientRecord(tmp_path / "record.sqlite3", who="Nurse Test")
    outcome = record.import_case(example_raw)
    made = kept_plans.make_and_keep_plan(record, outcome.assessment_id)
    record.sign_in_as("Dr Karimov (oncologist)")
    plan_id = kept_plans.decide_plan(
        record, made.plan_id, course="option", regimen="vinorelbine", reason="weekly, IV"
    )
    reduced = {"value": 12.5, "unit": "mg/m2"}
    course_id = record.keep_course_start(  # as the program kept it before the fix
        patient_id=record.patient_id(example_raw["patient"]["mrn"]),
        plan_id=plan_id,
        regimen="vinorelbine",
        drugs=[{"drug": "vinorelbine", "starting_dose": reduced}],
        cycle_days=7,
        started_on=DAY.isoformat(),
        first_cycle=[{"drug": "vinorelbine", "dose": reduced}],
    )
    assert record.course(course_id).drugs[0]["starting_dose"] == reduced  # kept as it was
    read = courses.read_course(record, course_id)
    assert read.drugs[0]["starting_dose"] == {"value": 25.0, "unit": "mg/m2"}
    assert read.drugs[0]["kept_starting_dose"] == reduced

    c2 = DAY + dt.timedelta(days=7)
    labs = labs_on(c2, anc=1.2)
    labs["bilirubin"] = {"value": 30, "unit": "umol/L", "uln": 21}
    entry = courses.CycleEntry(course_id, c2, labs)
    (drug,) = courses.preview_cycle(record, entry, today=TODAY).next_cycle["drugs"]
    assert (drug["dose"], drug["percent_of_starting"]) == ({"value": 12.5, "unit": "mg/m2"}, 50)


def test_a_course_started_now_is_read_as_kept(tmp_path, example_raw):
    example_raw["labs"]["bilirubin"] = {"value": 49, "unit": "umol/L", "uln": 21}
    record = PatientRecord(tmp_path / "record.sqlite3", who="Nurse Test")
    outcome = record.import_case(example_raw)
    made = kept_plans.make_and_keep_plan(record, outcome.assessment_id)
    record.sign_in_as("Dr Karimov (oncologist)")
    plan_id = kept_plans.decide_plan(
        record, made.plan_id, course="option", regimen="vinorelbine", reason="weekly, IV"
    )
    course_id = courses.start_course(record, plan_id, cycle_days=7, started_on=DAY)
    assert courses.read_course(record, course_id) == record.course(course_id)
