"""Her medicines against today's findings, as a class (rx24 F1-F4, F6; beside the reviewer's tests
in test_independent_rx24.py): the daily ceilings the advice prints counted against the dose she
takes, the action a label's contraindication asks (stop), and the edges on either side.

- A ceiling (supportive_plan.toml [[medicine_check]] with `max_mg_per_day`): above it, the
  check's action with the count; within it, continue with the count; a line that cannot be
  counted, a review naming it; no ceiling where its finding does not hold.
- Domperidone (EU SmPC §4.2-4.3): at most 30 mg a day; a stop beside a QT-prolonging drug or a
  potent CYP3A4 inhibitor and at Child-Pugh B/C; a review when Child-Pugh is incomplete and B
  or C is possible.
- NSAIDs: a stop at CrCl below 30, with ascites or at Child-Pugh C; a review at the milder
  findings.
- Codeine and tramadol with liver impairment: a change; with liver function not judged, a review.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from planner.rules.loader import RulesError, check_rules
from tests.independent_review import case_in, plan_json

CASES = Path(__file__).parents[2] / "tests" / "data" / "independent_rx24"


def _line(drug: str, value: float, frequency: str) -> dict[str, Any]:
    return {
        "drug": drug,
        "dose": {"value": value, "unit": "mg"},
        "route": "oral",
        "frequency": frequency,
        "started_on": "2026-06-01",
        "indication": "test",
    }


def _plan(rules, prefix: str, *lines: dict[str, Any], **edits: Any) -> dict[str, Any]:
    raw = copy.deepcopy(case_in(CASES, prefix))
    raw["medications"] = list(lines)
    for path, value in edits.items():
        *parents, last = path.split("__")
        node = raw
        for key in parents:
            node = node[key]
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return plan_json(raw, rules)


def _medicine(plan: dict[str, Any], drug: str) -> dict[str, Any]:
    (row,) = [m for m in plan["medications"] if m["drug"] == drug]
    return row


def _said(row: dict[str, Any]) -> str:
    return " ".join(row["reasons"])


# ---- ceilings: ondansetron at Child-Pugh C (S02), tramadol at CrCl below 30 ------------------


def test_ondansetron_within_the_ceiling_is_not_changed_and_says_so(rules):
    row = _medicine(_plan(rules, "S02", _line("ondansetron", 4, "twice daily")), "ondansetron")
    assert row["action"] == "review"  # QT beside the haloperidol of the nausea advice, only
    assert "4 mg twice daily = 8 mg a day, within the ceiling of 8 mg a day" in _said(row)


def test_ondansetron_lines_are_counted_together(rules):
    plan = _plan(
        rules,
        "S02",
        _line("ondansetron", 4, "twice daily"),
        _line("ondansetron", 8, "at night"),
    )
    for row in plan["medications"]:
        assert row["action"] == "change"
        assert "4 mg twice daily + 8 mg at night = 16 mg a day, above the ceiling" in _said(row)
    (finding,) = [f for f in plan["medication_findings"] if f["kind"] == "daily_total"]
    assert finding["action"] == "change"
    alert = next(a for a in plan["alerts"] if a["code"] == "medicine_interaction")
    assert "change ondansetron" in alert["message"]


def test_ondansetron_as_needed_is_a_review_that_names_it(rules):
    plan = _plan(rules, "S02", _line("ondansetron", 8, "when required"))
    row = _medicine(plan, "ondansetron")
    assert row["action"] == "review"
    assert "could not be counted" in _said(row)
    assert "ceiling of 8 mg a day" in _said(row)
    gap = next(g for g in plan["gaps"] if g["field"] == "medications[0].frequency")
    assert "not checked against the ceiling of 8 mg a day" in gap["effect"]
    # a dose not counted is her row's review and a gap, not an alert of its own
    assert not [f for f in plan["medication_findings"] if f["kind"] == "daily_total"]


def test_counted_lines_above_the_ceiling_change_whatever_is_uncounted(rules):
    plan = _plan(
        rules,
        "S02",
        _line("ondansetron", 8, "twice daily"),
        _line("ondansetron", 8, "when required"),
    )
    assert {m["action"] for m in plan["medications"]} == {"change"}
    assert "not counted: ondansetron (as needed" in _said(plan["medications"][0])


def test_no_ondansetron_ceiling_without_severe_hepatic_impairment(rules):
    """K01: Child-Pugh A (6 points): ZOFRAN §2 gives no change in mild-moderate impairment."""
    plan = _plan(rules, "K01", _line("ondansetron", 8, "three times daily"))
    assert "ceiling" not in _said(_medicine(plan, "ondansetron"))
    assert not [f for f in plan["medication_findings"] if f["kind"] == "daily_total"]


def test_tramadol_within_200mg_at_crcl_25_still_changed_for_the_liver(rules):
    row = _medicine(_plan(rules, "S02", _line("tramadol", 100, "twice daily")), "tramadol")
    assert "100 mg twice daily = 200 mg a day, within the ceiling of 200 mg a day" in _said(row)
    assert row["action"] == "change"  # Child-Pugh C: avoid tramadol (the pain advice)


def test_no_tramadol_200mg_ceiling_at_crcl_37(rules):
    row = _medicine(_plan(rules, "K01", _line("tramadol", 100, "four times daily")), "tramadol")
    assert "ceiling" not in _said(row)


# ---- domperidone -----------------------------------------------------------------------------


def test_domperidone_10mg_three_times_a_day_alone_continues(rules):
    row = _medicine(
        _plan(rules, "K01", _line("domperidone", 10, "three times daily")), "domperidone"
    )
    assert row["action"] == "continue"
    assert "within the ceiling of 30 mg a day" in _said(row)


def test_domperidone_above_30mg_a_day_is_changed(rules):
    row = _medicine(
        _plan(rules, "K01", _line("domperidone", 20, "three times daily")), "domperidone"
    )
    assert row["action"] == "change"
    assert "60 mg a day, above the ceiling of 30 mg a day" in _said(row)


def test_domperidone_with_clarithromycin_is_stopped(rules):
    plan = _plan(
        rules,
        "K01",
        _line("domperidone", 10, "three times daily"),
        _line("clarithromycin", 500, "twice daily"),
    )
    row = _medicine(plan, "domperidone")
    assert row["action"] == "stop"
    assert "potent CYP3A4 inhibitors" in _said(row)


def test_the_alert_for_a_stopped_medicine_does_not_say_review_only(rules):
    """fixrx24a left: the alert's heading read "needs review" when a line was a stop (rule 3: a
    label's do-not-give is a stop, not a warning to review). The heading now says a line may
    ask to stop, change or review; the line says which. P01: Child-Pugh B, domperidone stopped
    for the liver."""
    plan = _plan(rules, "P01", _line("domperidone", 10, "once daily"))
    assert _medicine(plan, "domperidone")["action"] == "stop"
    (alert,) = [a for a in plan["alerts"] if a["code"] == "current_medicine_review"]
    assert "stop" in alert["message"]
    assert "needs review" not in alert["message"]


def test_domperidone_with_child_pugh_b_possible_is_reviewed(rules):
    """K01 without its INR: 5 points before the INR, so A or B: moderate impairment is not
    ruled out (a review, never a silent continue nor a stop on a guess)."""
    plan = _plan(rules, "K01", _line("domperidone", 10, "twice daily"), labs__inr=None)
    assert plan["hepatic"]["child_pugh"] is None
    row = _medicine(plan, "domperidone")
    assert row["action"] == "review"
    assert "moderate or severe hepatic impairment" in _said(row)


def test_domperidone_at_child_pugh_b_is_stopped_for_the_liver(rules):
    """P01: Child-Pugh B (7 points), no QT drug she takes."""
    row = _medicine(_plan(rules, "P01", _line("domperidone", 10, "once daily")), "domperidone")
    assert row["action"] == "stop"
    assert "contraindicated in moderate or severe hepatic impairment" in _said(row)


def test_r02_pdf_prints_domperidone_stopped_with_its_reasons(tmp_path):
    import subprocess

    from tests.independent_review import run_planner

    (case,) = CASES.glob("R02_*.json")
    pdf = tmp_path / "r02.pdf"
    assert run_planner("plan", case, "--pdf", pdf, "--audience", "clinician").returncode == 0
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(text.split())
    start = text.index("domperidone 10 mg Stop")  # the table's first column, then its action
    line = text[start : text.index("What the program could not decide", start)]
    assert "potent CYP3A4 inhibitors" in line
    assert "within the ceiling of 30 mg a day" in line
    assert "contraindicated in moderate or severe hepatic impairment" in line


# ---- NSAIDs ----------------------------------------------------------------------------------


def test_nsaid_at_crcl_37_without_ascites_is_reviewed_not_stopped(rules):
    row = _medicine(_plan(rules, "K01", _line("ibuprofen", 400, "three times daily")), "ibuprofen")
    assert row["action"] == "review"


def test_nsaid_with_ascites_alone_is_stopped(rules):
    plan = _plan(
        rules,
        "K01",
        _line("naproxen", 250, "twice daily"),
        labs__creatinine={"value": 0.7, "unit": "mg/dL"},
        clinical__ascites="mild",
    )
    assert plan["body"]["crcl_ml_min"] > 30
    row = _medicine(plan, "naproxen")
    assert row["action"] == "stop"
    assert "EASL 2018" in _said(row)


def test_low_dose_aspirin_is_not_stopped_by_the_nsaid_rows(rules):
    row = _medicine(
        _plan(rules, "S02", _line("acetylsalicylic acid", 75, "once daily")),
        "acetylsalicylic acid",
    )
    assert row["action"] != "stop"


# ---- codeine and tramadol with the liver ----------------------------------------------------


def test_codeine_with_a_normal_liver_is_not_changed_for_it(rules):
    row = _medicine(_plan(rules, "K01", _line("codeine", 30, "four times daily")), "codeine")
    assert "liver impairment codeine" not in _said(row)


def test_codeine_with_the_liver_not_judged_is_reviewed_not_changed(rules):
    plan = _plan(rules, "K01", _line("codeine", 30, "four times daily"), labs__bilirubin=None)
    row = _medicine(plan, "codeine")
    assert row["action"] == "review"
    assert "once the liver is known" in _said(row)


# ---- the serotonin and CYP3A4 advice names no opioid the plan avoids -------------------------


def test_serotonin_advice_names_no_opioid(rules):
    rule = next(
        r for r in rules.interactions.interactions if r.cited.id == "ix.serotonergic.tramadol"
    )
    opioids = {"morphine", "oxycodone", "hydromorphone", "fentanyl", "buprenorphine", "codeine"}
    assert not {o for o in opioids if o in rule.advice}


# ---- the tables: a ceiling and the advice that prints it cannot drift ---------------------------


def _edit(rules_copy: Path, table: str, old: str, new: str) -> None:
    path = rules_copy / table
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_a_ceiling_that_differs_from_its_advice_is_refused(rules_copy):
    _edit(
        rules_copy,
        "supportive_plan.toml",
        'max_mg_per_day = 8\nsame_as = ["sup.int.nausea.ondansetron_cap", "cap_mg"]',
        'max_mg_per_day = 16\nsame_as = ["sup.int.nausea.ondansetron_cap", "cap_mg"]',
    )
    with pytest.raises(RulesError, match="must give the same ceiling"):
        check_rules(rules_copy)


def test_a_check_with_no_fact_and_no_ceiling_is_refused(rules_copy):
    _edit(
        rules_copy,
        "supportive_plan.toml",
        'drugs = ["domperidone"]\nmax_mg_per_day = 30\n',
        'drugs = ["domperidone"]\n',
    )
    with pytest.raises(RulesError, match="needs at least one fact"):
        check_rules(rules_copy)
