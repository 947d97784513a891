"""A missing result is a gap, never a finding (rule 2; independent review 16c, finding 8).

A second assessment the same day with the labs page left blank printed, for the family, "Your
kidneys are weak, so one bone drip is not safe" (that morning's CrCl was 53), and exemestane's
liver caution (Child-Pugh B or C) became "standard" because the liver tests were missing.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from planner.domain.dose_tables import restrictiveness
from planner.domain.dosing import dose_inputs, drug_dose
from planner.domain.supportive_tables import GAP_FACTS
from planner.reports.booklet import booklet_content, plain_text
from planner.rules import RulesError
from planner.services.case_commands import check_case, make_plan

LIVER_TESTS = ("bilirubin", "ast", "alt", "alp", "albumin", "inr")
# what a known liver could be: normal, raised transaminases, Child-Pugh B, Child-Pugh C
KNOWN_LIVERS: dict[str, dict[str, Any]] = {
    "normal": {
        "bilirubin": {"value": 10, "unit": "umol/L", "uln": 21},
        "ast": {"value": 30, "unit": "U/L", "uln": 40},
        "alt": {"value": 30, "unit": "U/L", "uln": 45},
        "alp": {"value": 100, "unit": "U/L", "uln": 130},
        "albumin": {"value": 40, "unit": "g/L"},
        "inr": {"value": 1.0},
    },
    "transaminases": {
        "bilirubin": {"value": 15, "unit": "umol/L", "uln": 21},
        "ast": {"value": 160, "unit": "U/L", "uln": 40},
        "alt": {"value": 150, "unit": "U/L", "uln": 45},
        "alp": {"value": 300, "unit": "U/L", "uln": 130},
        "albumin": {"value": 36, "unit": "g/L"},
        "inr": {"value": 1.1},
    },
    "child_pugh_b": {
        "bilirubin": {"value": 42, "unit": "umol/L", "uln": 21},
        "ast": {"value": 90, "unit": "U/L", "uln": 40},
        "alt": {"value": 80, "unit": "U/L", "uln": 45},
        "alp": {"value": 310, "unit": "U/L", "uln": 130},
        "albumin": {"value": 30, "unit": "g/L"},
        "inr": {"value": 1.9},
    },
    "child_pugh_c": {
        "bilirubin": {"value": 90, "unit": "umol/L", "uln": 21},
        "ast": {"value": 200, "unit": "U/L", "uln": 40},
        "alt": {"value": 150, "unit": "U/L", "uln": 45},
        "alp": {"value": 600, "unit": "U/L", "uln": 130},
        "albumin": {"value": 24, "unit": "g/L"},
        "inr": {"value": 2.5},
    },
}


def _statuses(rules: Any, raw: dict[str, Any]) -> dict[tuple[str, str], Any]:
    checked = check_case(raw, rules)
    inputs = dose_inputs(
        checked.case, rules.limits, None, checked.doubts, instruments=rules.instruments
    )
    return {
        (drug, label): drug_dose(drug, inputs, rules.doses, label)
        for drug in rules.doses.drugs
        for label in ("us", "eu")
    }


def _with_liver(raw: dict[str, Any], liver: dict[str, Any] | None) -> dict[str, Any]:
    out = copy.deepcopy(raw)
    for test in LIVER_TESTS:
        out["labs"].pop(test, None)
    if liver is not None:
        out["labs"].update(copy.deepcopy(liver))
    return out


def test_missing_liver_results_never_give_a_less_cautious_label(rules, example_raw):
    """Every drug, both label sets: with the liver tests missing the row is either "no dose,
    insufficient data" or at least as cautious as any known liver would make it."""
    missing = _statuses(rules, _with_liver(example_raw, None))
    known = {
        name: _statuses(rules, _with_liver(example_raw, liver))
        for name, liver in KNOWN_LIVERS.items()
    }
    checked = 0
    for key, result in missing.items():
        if result.status == "insufficient_data":
            assert result.dose is None, key
            continue
        for name, by_drug in known.items():
            other = by_drug[key]
            if other.status == "insufficient_data":
                continue  # a gap of its own (another input), not a liver class
            checked += 1
            assert restrictiveness(result.status, None) >= restrictiveness(other.status, None), (
                f"{key}: liver tests missing gives {result.status!r}, a {name} liver "
                f"gives {other.status!r}"
            )
    assert checked > 50  # the sweep reached the drugs


def test_exemestane_keeps_its_liver_caution_when_the_liver_tests_are_missing(rules, example_raw):
    missing = _statuses(rules, _with_liver(example_raw, None))[("exemestane", "us")]
    assert missing.status == "caution"
    assert missing.dose is not None
    assert missing.dose.value == 25  # the label asks no change: the caution is the monitoring
    warnings = " ".join(missing.to_json()["warnings"])
    assert "exemestane.child_pugh_bc: could not be checked" in warnings
    assert any(g.field.startswith("labs.") for g in missing.gaps)  # and the gap is named
    normal = _statuses(rules, _with_liver(example_raw, KNOWN_LIVERS["normal"]))
    assert normal[("exemestane", "us")].status == "standard"  # known normal liver: standard


# ------------------------------------------------------------------ the family's words


def _blank_labs(raw: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(raw)
    out["labs"] = {"drawn_on": out["labs"]["drawn_on"]}
    return out


def _patient_texts(plan: dict[str, Any]) -> list[str]:
    return [d["patient_text"] for item in plan["supportive"] for d in item["intervention_details"]]


def _words(result: dict[str, Any]) -> str:
    return " ".join(
        d["patient_text"] for e in result["supportive"] for d in e["intervention_details"]
    )


def test_unknown_kidney_function_is_never_told_as_weak_kidneys(sup):
    raw = sup.quiet_case()
    raw["symptoms"]["esas"]["pain"] = 8
    raw["disease"]["other_sites"] = ["bone"]
    raw["function"]["mobility"] = "bed_bound"
    raw["function"]["pps_percent"] = 40
    unknown = sup.supportive(raw, crcl=None)
    rows = {**sup.rows(unknown, "pain"), **sup.rows(unknown, "bone_health")}
    rows |= sup.rows(unknown, "thrombosis_risk")
    for row in ("sup.int.pain.opioid_renal_severe", "sup.int.bone.severe_renal"):
        assert rows[row]["patient_text"].startswith("We need a blood test to check your kidneys")
        # the clinician still reads why: the advice for a low CrCl until it is known
        assert any("unknown" in b or "not recorded" in b for b in rows[row]["because"])
    words = _words(unknown)
    assert "kidneys are weak" not in words
    assert "kidneys clear pain medicine slowly" not in words
    # a known low CrCl still says so
    low = sup.supportive(raw, crcl=20)
    assert sup.rows(low, "pain")["sup.int.pain.opioid_renal_severe"]["patient_text"].startswith(
        "Your kidneys clear pain medicine slowly"
    )
    assert "Your kidneys are weak, so one bone drip is not safe" in _words(low)


def test_missing_platelets_are_never_told_as_slow_clotting(sup):
    raw = sup.quiet_case()
    raw["function"]["mobility"] = "bed_bound"
    raw["function"]["pps_percent"] = 40
    raw["labs"].pop("platelets", None)
    vte = sup.rows(sup.supportive(raw, crcl=70.0), "thrombosis_risk")
    low = vte["sup.int.vte.low_platelets"]["patient_text"]
    assert "slow to clot" not in low
    assert low.startswith("We need a blood count")


def test_the_booklet_of_an_assessment_with_blank_labs_states_nothing_about_the_kidneys(
    example_raw,
):
    plan = make_plan(_blank_labs(example_raw))
    assert plan["body"].get("crcl_ml_min") is None
    booklet = plain_text(
        booklet_content(
            plan,
            {"mrn": "DL-1", "family_name": "V", "given_name": "S", "assessed_on": "2026-11-20"},
            {"name": "Clinic", "phone": "+91 1", "out_of_hours_phone": "+91 2"},
        )
    )
    assert "kidneys are weak" not in booklet
    assert "kidneys clear" not in booklet
    for text in _patient_texts(plan):
        assert "kidneys are weak" not in text


def test_a_row_mixing_a_missing_result_with_findings_needs_gap_words(rules, tmp_path):
    """The loader refuses advice that would state a finding when only the result is missing."""
    import shutil

    from planner.rules.loader import default_rules_dir, load_rules

    copy_dir = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), copy_dir)
    table = copy_dir / "supportive_interventions.toml"
    text = table.read_text(encoding="utf-8")
    gap_line = next(
        line
        for line in text.splitlines()
        if line.startswith(
            'gap_patient_text = "We need a blood test to check your kidneys before any'
        )
    )
    table.write_text(text.replace(gap_line + "\n", ""), encoding="utf-8")
    with pytest.raises(RulesError, match="gap_patient_text is needed"):
        load_rules(copy_dir)
    assert "crcl_unknown" in GAP_FACTS
