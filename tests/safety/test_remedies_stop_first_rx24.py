"""rx24 F5: a remedy or food she can stop is "stop it, then start", never a lower rank and never
the label's dose for a combination that cannot be avoided.

IBRANCE §2.2/§7.1 (and KISQALI, VERZENIO) give a reduced dose for a strong CYP3A inhibitor that
cannot be avoided; grapefruit juice can always be avoided. St John's wort (a strong inducer) can
be stopped (CYP3A back to baseline about a week after the last dose: Imai 2008). Where one
medicine she cannot simply stop calls for the label's dose (clarithromycin) and another for
"avoid, no dose" (carbamazepine), no label gives a dose for the pair: no dose, the conflict
named. interactions.toml [[stop_first]] holds which remedies and how."""

from __future__ import annotations

import copy
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.independent_review import case_in, plan_json, run_planner

CASES = Path(__file__).parents[1] / "data" / "independent_rx24"
CDK46 = {"palbociclib": 125, "abemaciclib": 150, "ribociclib": 600}


def _r01(medicines: list[str], remedies: list[str]) -> dict[str, Any]:
    """R01 (first line, HR+, endocrine-sensitive) with these medicines and remedies instead of
    her clarithromycin course."""
    raw = copy.deepcopy(case_in(CASES, "R01"))
    doses = {
        "clarithromycin": (500, "twice daily"),
        "carbamazepine": (200, "twice daily"),
        "omeprazole": (20, "once daily"),
    }
    raw["medications"] = [
        {"drug": d, "dose": {"value": doses[d][0], "unit": "mg"}, "frequency": doses[d][1]}
        for d in medicines
    ]
    raw["herbal_or_traditional"] = remedies
    return raw


def _rows(plan: dict[str, Any], drug: str) -> list[dict[str, Any]]:
    return [d for o in plan["options"] for d in o["drugs"] if d["drug"] == drug]


def _first_chemo_and_cdk(plan: dict[str, Any]) -> tuple[int, int]:
    cdk = min(o["rank"] for o in plan["options"] if CDK46.keys() & {d["drug"] for d in o["drugs"]})
    chemo = min(o["rank"] for o in plan["options"] if o.get("kind") == "chemotherapy")
    return cdk, chemo


@pytest.mark.parametrize(
    "remedies",
    [["grapefruit juice every morning"], ["St John's wort tea"], ["St John's wort", "grapefruit"]],
)
def test_a_remedy_she_can_stop_keeps_the_usual_dose_and_place(rules, remedies):
    plan = plan_json(_r01(["omeprazole"], remedies), rules)
    cdk, chemo = _first_chemo_and_cdk(plan)
    assert cdk < chemo
    for drug, usual in CDK46.items():
        for row in _rows(plan, drug):
            assert row["dose"]["value"] == pytest.approx(usual), drug
            assert any("which she can stop" in w for w in row["warnings"]), drug


def test_h01_no_cdk46_row_prints_the_strong_inhibitor_dose(rules):
    plan = plan_json(case_in(CASES, "H01"), rules)
    for drug, usual in CDK46.items():
        for row in _rows(plan, drug):
            assert row["dose"]["value"] == pytest.approx(usual)
            assert not row.get("avoided_with")


def test_her_remedy_rows_say_how_to_stop(rules):
    plan = plan_json(case_in(CASES, "H01"), rules)
    reasons = {m["drug"]: " ".join(m["reasons"]) for m in plan["medications"]}
    assert (
        "no sooner than 2 weeks after its last dose"
        in (reasons["St. John's wort (Jarsin 300) three times a day"])
    )
    assert "take none during treatment" in reasons["grapefruit juice every morning"]


def test_an_inhibitor_and_an_inducer_she_takes_give_no_dose_and_name_the_conflict(rules):
    plan = plan_json(_r01(["clarithromycin", "carbamazepine"], []), rules)
    for drug in CDK46:
        for row in _rows(plan, drug):
            assert row["status"] == "insufficient_data", drug
            assert row["dose"] is None
            assert row["absolute_dose"] is None
            assert "no label gives a dose for the two together" in row["warnings"][0]
            assert "clarithromycin" in row["warnings"][0]
            assert "carbamazepine" in row["warnings"][0]


def test_a_stoppable_inducer_beside_an_inhibitor_keeps_the_inhibitors_label_dose(rules):
    """Clarithromycin (a medicine for a course) with St John's wort she can stop: stop the
    wort, and the label's dose for clarithromycin applies (IBRANCE §2.2: 75 mg)."""
    plan = plan_json(_r01(["clarithromycin"], ["St John's wort"]), rules)
    for row in _rows(plan, "palbociclib"):
        assert row["dose"]["value"] == pytest.approx(75)
        assert any("which she can stop" in w for w in row["warnings"])


def test_exemestane_keeps_25_mg_where_the_inducer_is_a_remedy_she_can_stop(rules):
    """AROMASIN §2.2: 50 mg with a strong CYP3A4 inducer; St John's wort can be stopped."""
    raw = copy.deepcopy(case_in(CASES, "A01"))
    raw["medications"] = [m for m in raw["medications"] if m["drug"] != "phenytoin"]
    raw["herbal_or_traditional"] = ["St John's wort"]
    plan = plan_json(raw, rules)
    rows = [
        d
        for o in plan["options"]
        if o["regimen"] == "everolimus_exemestane"
        for d in o["drugs"]
        if d["drug"] == "exemestane"
    ]
    assert rows
    assert all(r["dose"]["value"] == pytest.approx(25) for r in rows)


def test_the_printed_plan_says_stop_then_start_and_no_reduced_dose(tmp_path):
    (case,) = CASES.glob("H01_*.json")
    pdf = tmp_path / "H01.pdf"
    assert run_planner("plan", case, "--pdf", pdf, "--audience", "clinician").returncode == 0
    text = " ".join(
        subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "grapefruit juice every morning, which she can stop" in text
    assert "Palbociclib 75 mg" not in text
    assert "Abemaciclib 100 mg" not in text
