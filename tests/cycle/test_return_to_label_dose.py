"""Issue 19 (independent nurse + pharmacist review) items 1 and 2: the dose goes back up the
label's steps where the label sets it by the day's results, and a course begun on a flat-dose
drug's liver dose is reviewed. Known answers written from the labels:

- Doxorubicin USPI §2 (hepatic impairment): 50 % of the dose at bilirubin 1.2–3.0 mg/dL, 25 % at
  3.1–5.0, the full dose below 1.2 — the dose of each cycle by that day's bilirubin.
- Navelbine USPI §2.2: the dose of the day from the neutrophils of the day (≥ 1.5: 100 %;
  1.0–1.49: 50 %), after febrile neutropenia 75 % / 37.5 % for all later doses.
- Gemzar USPI §2.2 (breast): day 1 at the full dose when counts allow; a day-8 reduction is for
  that dose.
- Afinitor USPI §2.2 (hepatic impairment): Child-Pugh A 7.5 mg daily (5 mg if not tolerated),
  B 5 mg, C 2.5 mg at most; "dose adjustments should be made if a patient's hepatic (Child-Pugh)
  status changes during treatment". Toxicity reductions are 50 % and are not lifted.
- Xeloda USPI §2.4: doses reduced for toxicity are not increased later.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.cycle.conftest import drug_of

BILIRUBIN_NORMAL = {"value": 0.7, "unit": "mg/dL", "uln": 1.2}


def bilirubin(mg_dl: float) -> dict[str, Any]:
    return {"value": mg_dl, "unit": "mg/dL", "uln": 1.2}


def doxorubicin(review, now: float, **labs: Any) -> dict[str, Any]:
    return review(
        "doxorubicin",
        {"doxorubicin": (60, now, "mg/m2")},
        labs=labs,
        given=[
            {
                "cycle": 1,
                "given_on": "2026-08-01",
                "drugs": [{"drug": "doxorubicin", "dose": {"value": now, "unit": "mg/m2"}}],
            }
        ],
    )


# ---- item 1: back up where the label says ---------------------------------------------------


@pytest.mark.parametrize(
    ("now", "mg_dl", "action", "dose", "level"),
    [
        (30, 0.7, "increase", 60, 0),  # bilirubin normal again: the full dose
        (30, 1.1, "increase", 60, 0),  # just below 1.2: the full dose
        (30, 1.2, "continue", 30, -1),  # at 1.2: still 50 %
        (30, 3.0, "continue", 30, -1),  # the top of the 50 % band
        (15, 2.0, "increase", 30, -1),  # from 25 %: as far as today's bilirubin allows (50 %)
        (15, 3.1, "continue", 15, -2),  # still 25 %
        (60, 2.0, "reduce", 30, -1),  # and down again when it rises
    ],
)
def test_doxorubicin_follows_the_day_s_bilirubin_both_ways(review, now, mg_dl, action, dose, level):
    drug = drug_of(doxorubicin(review, now, bilirubin=bilirubin(mg_dl)), "doxorubicin")
    assert (drug["action"], drug["dose"]["value"], drug["dose_level"]) == (action, dose, level)
    if action == "increase":
        (said,) = [r for r in drug["reasons"] if "back up the label's steps" in r]
        assert f"to {'the starting dose' if level == 0 else 'dose level −1'}" in said
        assert "cycle.src.doxorubicin_uspi" in {b["source"] for b in drug["basis"]}


def test_a_held_drug_restarts_no_higher_than_it_is_now(review):
    """Bilirubin has recovered but the neutrophils (1.2) hold doxorubicin: the dose once they
    recover stays at 50 %; the rise waits for the review that gives it."""
    nc = doxorubicin(review, 30, bilirubin=BILIRUBIN_NORMAL, anc=1.2)
    drug = drug_of(nc, "doxorubicin")
    assert (nc["decision"], drug["action"], drug["dose"]["value"]) == ("delay", "hold", 30)
    assert not any("back up" in r for r in drug["reasons"])


@pytest.mark.parametrize(
    ("now", "anc", "action", "percent"),
    [
        (12.5, 3.0, "increase", 100),  # 50 % on the first table, counts normal: 100 %
        (12.5, 1.49, "continue", 50),  # counts 1.0–1.49: still 50 %
        (18.75, 3.0, "continue", 75),  # the table after febrile neutropenia is for later doses
        (9.375, 3.0, "continue", 37.5),  # 37.5 %: the clinician's (the rows are written at 75 %)
    ],
)
def test_vinorelbine_returns_only_where_its_table_says(review, now, anc, action, percent):
    drug = drug_of(
        review("vinorelbine", {"vinorelbine": (25, now, "mg/m2")}, labs={"anc": anc}),
        "vinorelbine",
    )
    assert (drug["action"], drug["percent_of_starting"]) == (action, percent)
    if percent == 37.5:
        assert any("is the clinician's decision" in r for r in drug["reasons"])


@pytest.mark.parametrize(
    ("now", "labs", "action", "percent"),
    [
        (9.375, {"anc": 1.8}, "increase", 75),  # rx23 V01: the second table's 75 % at >= 1.5
        (9.375, {"anc": 1.2}, "continue", 37.5),  # 1.0-1.49 on the second table: 37.5 %
        (12.5, {"anc": 3.0}, "increase", 75),  # 50 % of the first table: 75 %, not 100 %
        (25, {"anc": 3.0}, "reduce", 75),  # the full dose: down to the second table's 75 %
        (6.25, {"anc": 3.0}, "increase", 75),  # 25 % of the bilirubin row, bilirubin normal
        (6.25, {"anc": 3.0, "bilirubin": bilirubin(3.5)}, "continue", 25),  # still above 3
        (9.375, {"anc": 1.8, "bilirubin": bilirubin(2.5)}, "increase", 50),  # the lower of both
    ],
)
def test_vinorelbine_after_febrile_neutropenia_reads_the_second_table_from_any_step(
    review, tox, now, labs, action, percent
):
    """NAVELBINE USPI §2.2: after fever or sepsis while neutropenic, all later doses from the
    second table (>= 1.5: 75 %; 1.0-1.49: 37.5 %; < 1.0: hold), with a bilirubin row the lower."""
    drug = drug_of(
        review(
            "vinorelbine",
            {"vinorelbine": (25, now, "mg/m2")},
            labs=labs,
            toxicities=[tox("febrile_neutropenia", 3, 0, 1)],
        ),
        "vinorelbine",
    )
    assert (drug["action"], drug["percent_of_starting"]) == (action, percent)
    assert not any("is the clinician's decision" in r for r in drug["reasons"])


def test_vinorelbine_after_febrile_neutropenia_below_1_is_held_at_no_higher_step(review, tox):
    drug = drug_of(
        review(
            "vinorelbine",
            {"vinorelbine": (25, 9.375, "mg/m2")},
            labs={"anc": 0.8},
            toxicities=[tox("febrile_neutropenia", 3, 0, 1)],
        ),
        "vinorelbine",
    )
    assert drug["action"] == "hold"
    assert drug["dose"]["value"] <= 9.375


@pytest.mark.parametrize(
    ("now", "action", "percent"), [(750, "increase", 100), (500, "continue", 50)]
)
def test_gemcitabine_day_1_after_a_day_8_step(review, now, action, percent):
    """75 % is only ever the breast table's day-8 step, not carried into the next cycle; 50 %
    may be the label's reduction for severe non-haematological toxicity: left to the clinician."""
    drug = drug_of(review("gemcitabine", {"gemcitabine": (1000, now, "mg/m2")}), "gemcitabine")
    assert (drug["action"], drug["percent_of_starting"]) == (action, percent)


def test_a_permanent_reduction_stays_reduced(review):
    """Capecitabine at 75 % with nothing found: the same dose (Xeloda: not increased later)."""
    drug = drug_of(review("capecitabine", {"capecitabine": (1000, 750, "mg/m2")}), "capecitabine")
    assert (drug["action"], drug["dose"]["value"]) == ("continue", 750)
    assert not any("back up" in r for r in drug["reasons"])


# ---- item 2: a flat-dose drug begun on its liver dose ----------------------------------------

EVEROLIMUS = "everolimus_exemestane"


def everolimus(review, now: float, tox=(), **labs: Any) -> dict[str, Any]:
    return review(
        EVEROLIMUS,
        {"everolimus": (10, now, "mg"), "exemestane": (25, 25, "mg")},
        labs=labs,
        toxicities=list(tox),
    )


def test_everolimus_begun_at_7_5_mg_is_reviewed_and_goes_back_to_10_once_the_liver_recovered(
    review,
):
    nc = everolimus(review, 7.5)
    drug = drug_of(nc, "everolimus")
    assert nc["decision"] == "give"
    assert (drug["action"], drug["dose"], drug["percent_of_starting"], drug["dose_level"]) == (
        "increase",
        {"value": 10.0, "unit": "mg"},
        100,
        0,
    )
    assert "cycle.src.afinitor_uspi_hepatic" in {b["source"] for b in drug["basis"]}


def test_everolimus_at_7_5_mg_stays_there_while_the_liver_is_child_pugh_a(review):
    """Albumin 30 g/L (2 points): Child-Pugh 6, class A — the label's 7.5 mg, the same dose."""
    drug = drug_of(everolimus(review, 7.5, albumin={"value": 30, "unit": "g/L"}), "everolimus")
    assert (drug["action"], drug["dose"]["value"]) == ("continue", 7.5)
    assert not any("back up" in r for r in drug["reasons"])


def test_everolimus_at_7_5_mg_goes_back_to_10_when_only_ast_is_raised(review):
    """AST 1.5 × ULN with Child–Pugh 5 (bilirubin, albumin, INR normal) is no measured hepatic
    impairment (independent review rx20, F6): the Child–Pugh A band no longer holds, and the
    label's return from its Child–Pugh A dose applies."""
    drug = drug_of(
        everolimus(review, 7.5, ast={"value": 60, "unit": "U/L", "uln": 40}), "everolimus"
    )
    assert (drug["action"], drug["dose"]["value"]) == ("increase", 10.0)


def test_everolimus_at_7_5_mg_goes_down_to_5_in_child_pugh_b(review):
    """Bilirubin 2.5 mg/dL (2 points) and albumin 30 g/L (2 points): Child-Pugh 7, class B."""
    drug = drug_of(
        everolimus(review, 7.5, bilirubin=bilirubin(2.5), albumin={"value": 30, "unit": "g/L"}),
        "everolimus",
    )
    assert (drug["action"], drug["dose"]["value"]) == ("reduce", 5)


def test_everolimus_at_7_5_mg_steps_to_5_for_a_toxicity(review, tox):
    """Stomatitis grade 3, now grade 1, in Child-Pugh A: the label's 'decrease to 5 mg if not
    well tolerated'; 50 % of 10 mg is a permanent step (read on the label ladder next time)."""
    drug = drug_of(
        everolimus(
            review,
            7.5,
            tox=[tox("mucositis_oral", 3, 1)],
            albumin={"value": 30, "unit": "g/L"},
        ),
        "everolimus",
    )
    assert (drug["action"], drug["dose"]["value"]) == ("reduce", 5)
    after = drug_of(everolimus(review, 5), "everolimus")
    assert (after["action"], after["dose"]["value"]) == ("continue", 5)


def test_every_liver_and_kidney_dose_of_a_flat_dose_drug_is_a_step_of_its_ladders(rules):
    """A course begun on a dose the first plan adapts to liver or kidney function is read off a
    ladder (item 2): every reduced flat (mg) dose of the dose tables, for every drug with a cycle
    table, is a step of one of its ladders (label, organ-function, regimen) — everolimus 7.5 and
    2.5, lapatinib 750, neratinib 80, fulvestrant 250 mg were not. (Palbociclib 75, ribociclib
    400, olaparib 200, talazoparib 0.75 and 0.5 mg already were; alpelisib and capivasertib have
    no reduced liver dose.)"""
    cycle = rules.cycle
    missing = []
    for name, table in rules.doses.drugs.items():
        ladders = [
            x
            for x in (
                cycle.ladders.get(name),
                cycle.organ_ladders.get(name),
                *(v for (d, _), v in cycle.label_ladders.items() if d == name),
                *(v for (d, _), v in cycle.regimen_ladders.items() if d == name),
            )
            if x is not None and x.doses is not None
        ]
        if not ladders:
            continue
        units = {s.unit for s in table.schedules} & {"mg"}
        if not units:
            continue  # a dose by body surface or weight: not this sweep
        for band in table.bands:
            if band.status != "reduced" or band.dose is None:
                continue
            if not any(
                x.unit in units
                and any(abs(band.dose - d) <= d * x.match_within_percent / 100 for d in x.doses)
                for x in ladders
            ):
                missing.append(f"{name} {band.id}: {band.dose:g}")
    assert missing == []


@pytest.mark.parametrize(
    ("regimen", "drug", "start", "now", "other"),
    [
        ("lapatinib_capecitabine", "lapatinib", 1250, 750, ("capecitabine", 1000, "mg/m2")),
        ("neratinib_capecitabine", "neratinib", 240, 80, ("capecitabine", 750, "mg/m2")),
    ],
)
def test_a_course_begun_on_the_label_s_liver_dose_is_reviewed(
    review, regimen, drug, start, now, other
):
    """Lapatinib 750 mg (Child-Pugh C, with capecitabine; Tykerb USPI §2.4), neratinib 80 mg
    (Child-Pugh C; Nerlynx USPI §2.4): with nothing found, the same dose — not `insufficient_data`, and not raised (the labels name
    no return)."""
    drugs = {drug: (start, now, "mg")}
    if other is not None:
        drugs[other[0]] = (other[1], other[1], other[2])
    found = drug_of(review(regimen, drugs), drug)
    assert (found["action"], found["dose"]["value"]) == ("continue", now)


# ---- fulvestrant: the liver dose follows the Child-Pugh class of the day (course item 1) ----

CHILD_PUGH_B = {
    "bilirubin": {"value": 2.5, "unit": "mg/dL", "uln": 1.2},
    "albumin": {"value": 30, "unit": "g/L"},
}


def fulvestrant(review, now: float, **labs: Any) -> dict[str, Any]:
    return drug_of(
        review("fulvestrant_alone", {"fulvestrant": (500, now, "mg")}, labs=labs), "fulvestrant"
    )


def test_fulvestrant_begun_at_250_mg_in_child_pugh_b_goes_back_to_500_once_class_a(review):
    """Faslodex USPI §2.2: 250 mg in moderate hepatic impairment (Child-Pugh B), no adjustment in
    mild (A). A later review with normal liver tests (class A) offers the label's 500 mg, with the
    reason and the label's hepatic section as its source."""
    drug = fulvestrant(review, 250)
    assert (drug["action"], drug["dose"], drug["percent_of_starting"], drug["dose_level"]) == (
        "increase",
        {"value": 500.0, "unit": "mg"},
        100,
        0,
    )
    (said,) = [n for n in drug["reasons"] if "back up the label's steps" in n]
    assert "250 mg in moderate hepatic impairment" in said
    assert "cycle.src.faslodex_uspi_hepatic" in {b["source"] for b in drug["basis"]}


@pytest.mark.parametrize(("now", "action"), [(250, "continue"), (500, "reduce")])
def test_fulvestrant_in_child_pugh_b_is_250_mg(review, now, action):
    """Bilirubin 2.5 mg/dL (2 points) and albumin 30 g/L (2 points): Child-Pugh 7, class B — the
    label's 250 mg, whether the course is at 250 (the same dose) or 500 (down to 250)."""
    drug = fulvestrant(review, now, **CHILD_PUGH_B)
    assert (drug["action"], drug["dose"]["value"]) == (action, 250)
    (said,) = [r for r in drug["reasons"] if "250 mg is given" in r]
    assert "Child–Pugh class B" in said
    assert "toxicity" not in said  # no toxicity is in it: the liver class sets the dose
    assert "dose.fulvestrant.us-label-dosage" in {b["source"] for b in drug["basis"]}


def test_everolimus_decided_at_5_mg_is_not_cut_again_for_the_same_child_pugh_a(review):
    """Walk 20 H2: a course the clinician began at 5 mg (its start), reviewed in Child-Pugh A
    (albumin 30 g/L), was cut to 75 % of 5 mg = 3.75 mg: the liver counted twice, and no tablet
    gives 3.75 mg. The label's Child-Pugh A dose is 7.5 mg; a course below it stays."""
    nc = review(
        EVEROLIMUS,
        {"everolimus": (5, 5, "mg"), "exemestane": (25, 25, "mg")},
        labs={"albumin": {"value": 30, "unit": "g/L"}},
    )
    drug = drug_of(nc, "everolimus")
    assert (drug["action"], drug["dose"]["value"]) == ("continue", 5)
    assert not any("3.75" in r for r in drug["reasons"])
