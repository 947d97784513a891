"""Recheck 21 N6: one rule for every kidney or liver row on treatment. The dose is capped at what
the first plan gives for today's organ function from the regimen's standard dose (the label's
starting dose); a course begun lower keeps its lower dose where that is below the cap; never a
percentage of a percentage.

The reviewer's case (tests/data/recheck21): capecitabine alone begun at 1000 mg/m2 (a deliberate
lower start), CrCl now 39 mL/min at cycle 6. XELODA US PI §2.4: CrCl 30-50 mL/min, 75 % of the
starting dose ("from 1250 to 950 mg/m2"); her first plan gives 937.5 — the cycle review gave 750
("75 % of the starting 1000"), because 1000 mg/m2 is the standard of the lapatinib and tucatinib
schedules and was taken for hers."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from planner.domain.engine import build_plan
from planner.domain.validation import validate_case
from tests.cycle.conftest import drug_of

N6 = Path(__file__).parents[1] / "data" / "recheck21" / "N6_capecitabine_1000_crcl_40.json"
UMOL_PER_MG_DL = 88.4


def n6_raw() -> dict[str, Any]:
    return json.loads(N6.read_text(encoding="utf-8"))


def plan_of(rules: Any, raw: dict[str, Any]) -> dict[str, Any]:
    case, doubts = validate_case(json.loads(json.dumps(raw)), rules.limits)
    return build_plan(case, doubts, rules).to_json()


def creatinine_for(crcl: float) -> float:
    """Her creatinine (µmol/L) at which Cockcroft–Gault gives `crcl` (71 years, 63 kg, woman)."""
    return round(UMOL_PER_MG_DL * (140 - 71) * 63 * 0.85 / (72 * crcl), 4)


def n6_on(rules: Any, start: float, crcl: float, now: float | None = None) -> dict[str, Any]:
    raw = copy.deepcopy(n6_raw())
    raw["labs"]["creatinine"] = {"value": creatinine_for(crcl), "unit": "umol/L"}
    (drug,) = raw["treatment"]["drugs"]
    drug["starting_dose"]["value"] = start
    drug["current_dose"]["value"] = start if now is None else now
    for given in raw["treatment"]["given"]:
        given["drugs"][0]["dose"]["value"] = start
    return plan_of(rules, raw)


def test_n6_capecitabine_begun_at_1000_is_937_5_at_crcl_39(rules):
    plan = plan_of(rules, n6_raw())
    cycle = plan["next_cycle"]
    drug = drug_of(cycle, "capecitabine")
    assert cycle["decision"] == "give"
    assert (drug["action"], drug["dose"]) == ("reduce", {"value": 937.5, "unit": "mg/m2"})
    said = " ".join(drug["reasons"])
    assert "75 % of the label's standard 1250 mg/m2" in said
    assert "the course began at 1000 mg/m2, below it" in said
    assert "not 75 % of her start" in said
    assert "750" not in said  # a dose the plan does not give is never printed (rule 3)
    assert "so 937.5 mg/m2 is given" in said
    assert "75 % of the starting 1000" not in said
    # the same dose as her first plan's for today's kidneys, from the same standard
    (option,) = [o for o in plan["options"] if o["regimen"] == "capecitabine"]
    (first,) = option["drugs"]
    assert first["dose"] == drug["dose"]
    assert first["standard_dose"] == {"value": 1250.0, "unit": "mg/m2"}


def test_n6_printed_plan_gives_the_json_s_dose_and_not_750(rules):
    from planner.services import printing

    raw = n6_raw()
    plan = plan_of(rules, raw)
    pdf = printing.export_plan_pdf(raw, plan)
    printed = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages
    )
    # the paper says mg/m² (misc22: one rendering per medium; the JSON keeps mg/m2)
    assert "937.5 mg/m²" in printed
    assert "750 mg/m" not in printed


# CrCl 29: the label's "do not give"; 30 and 50: 75 % of the standard; 51: no organ change
# (30.0001 and 49.9999: the band's edges, inside it, clear of the creatinine's rounding).
# Begun at the standard (1250), higher than the cap (1000 > 937.5) and lower than it (900).
@pytest.mark.parametrize(
    ("start", "crcl", "action", "dose"),
    [
        (1250, 29, "discontinue", None),
        (1000, 29, "discontinue", None),
        (900, 29, "discontinue", None),
        (1250, 30.0001, "reduce", 937.5),
        (1000, 30.0001, "reduce", 937.5),
        (900, 30.0001, "continue", 900),
        (1250, 49.9999, "reduce", 937.5),
        (1000, 49.9999, "reduce", 937.5),
        (900, 49.9999, "continue", 900),
        (1250, 51, "continue", 1250),
        (1000, 51, "continue", 1000),
        (900, 51, "continue", 900),
    ],
)
def test_capecitabine_kidney_edges_whatever_the_start(rules, start, crcl, action, dose):
    plan = n6_on(rules, start, crcl)
    drug = drug_of(plan["next_cycle"], "capecitabine")
    assert drug["action"] == action
    assert (None if drug["dose"] is None else drug["dose"]["value"]) == dose


def test_the_next_review_keeps_937_5_on_a_start_of_1000(rules):
    drug = drug_of(n6_on(rules, 1000, 39, now=937.5)["next_cycle"], "capecitabine")
    assert (drug["action"], drug["dose"]["value"]) == ("continue", 937.5)


def test_a_dose_no_organ_row_gives_stays_undecided(rules):
    """600 on a start of 1000 is no row's dose: not read as 50 % of 1250 (capecitabine's kidney
    rows give only 75 %; its toxicity ladder's 50 % is of her start)."""
    drug = drug_of(n6_on(rules, 1000, 60, now=600)["next_cycle"], "capecitabine")
    assert drug["action"] == "insufficient_data"
    assert drug["dose"] is None


def test_beside_lapatinib_1000_is_the_standard(review):
    """TYKERB §2: capecitabine 1000 mg/m2 with lapatinib is that regimen's starting dose, so its
    kidney row is 75 % of 1000 (the sample patient: CrCl 31 mL/min at creatinine 150 µmol/L)."""
    found = review(
        "lapatinib_capecitabine",
        {"lapatinib": (1250, 1250, "mg"), "capecitabine": (1000, 1000, "mg/m2")},
        labs={"creatinine": {"value": 150, "unit": "umol/L"}},
    )
    assert drug_of(found, "capecitabine")["dose"]["value"] == 750


# The same rule for the liver rows of other drugs' dose tables: a percentage (pegylated
# liposomal doxorubicin, DOXIL US PI §2: bilirubin 1.2-3 mg/dL 50 %, above 3 mg/dL 25 % of the
# starting 50 mg/m2) and a dose of its own (gemcitabine 800 mg/m2 at bilirubin 1.6-7 mg/dL, of a
# single-agent standard 1250; begun at 1000, the standard of the carboplatin schedule, it is 800
# too; begun at 700, below it, 700 stays).
PLD = ("pegylated_liposomal_doxorubicin", "pegylated liposomal doxorubicin")


@pytest.mark.parametrize(
    ("regimen", "drug", "start", "labs", "dose"),
    [
        (*PLD, 50, "bili2", 25),
        (*PLD, 40, "bili2", 25),
        (*PLD, 20, "bili2", 20),
        (*PLD, 40, "bili4", 12.5),
        ("gemcitabine", "gemcitabine", 1250, "bili2", 800),
        ("gemcitabine", "gemcitabine", 1000, "bili2", 800),
        ("gemcitabine", "gemcitabine", 700, "bili2", 700),
    ],
)
def test_liver_rows_of_other_drugs_follow_the_same_rule(review, regimen, drug, start, labs, dose):
    bilirubin = {"bili2": 2.0, "bili4": 4.0}[labs]
    found = review(
        regimen,
        {drug: (start, start, "mg/m2")},
        labs={"bilirubin": {"value": bilirubin, "unit": "mg/dL", "uln": 1.2}},
    )
    assert drug_of(found, drug)["dose"]["value"] == dose
