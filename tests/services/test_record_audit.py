"""Issue 20 (course item 5): the record's audit log readable per patient — who, when, what, why —
for corrections with their reason, decisions and merges, including the entries of a patient
merged into her; another patient's entries are not hers."""

from __future__ import annotations

import copy

from planner.services import kept_plans, record_audit, record_corrections


def test_her_audit_shows_amendment_decision_and_merge_with_reasons(record, example_raw):
    mrn = example_raw["patient"]["mrn"]
    first = record.import_case(example_raw).assessment_id
    made = kept_plans.make_and_keep_plan(record, first)
    record.sign_in_as("Dr Karimov (oncologist)")
    kept_plans.decide_plan(
        record, made.plan_id, course="option", regimen="capecitabine", reason="oral, at home"
    )
    record.sign_in_as("Nurse Rao")
    fixed = copy.deepcopy(example_raw)
    fixed["labs"]["albumin"]["value"] = 33
    record_corrections.amend_assessment(record, first, fixed, "albumin typed as 31, report 33")
    duplicate = copy.deepcopy(example_raw)
    duplicate["patient"]["mrn"] = "DUP-1"
    other = copy.deepcopy(example_raw)
    other["patient"]["mrn"] = "OTHER-1"
    record.import_case(duplicate)
    record.import_case(other)
    record_corrections.merge_patients(record, "DUP-1", mrn, "registered twice at the desk")

    lines = record_audit.patient_audit(record, mrn)
    said = [(line.who, line.what, line.why) for line in lines]
    assert [line.entry for line in lines] == sorted(line.entry for line in lines)
    assert any(
        who == "Dr Karimov (oncologist)"
        and "decided: capecitabine" in what
        and why == "oral, at home"
        for who, what, why in said
    ), said
    assert any(
        who == "Nurse Rao"
        and f"assessment {first} amended" in what
        and why == "albumin typed as 31, report 33"
        for who, what, why in said
    ), said
    assert any(
        "merged into" in what and why == "registered twice at the desk" for _, what, why in said
    )
    assert any("moved to the surviving patient" in what for _, what, _ in said)
    assert any("MRN DUP-1" in what for _, what, _ in said)  # the merged patient's own entries
    assert not any("OTHER-1" in what for _, what, _ in said)
    assert all(line.at and line.who for line in lines)


def test_an_amendment_says_which_field_changed_and_an_acknowledgement_says_the_alert(
    record, example_raw
):
    """Walk 21 F7: the audit said "assessment 244 amended: the corrected version is assessment
    1203" (not albumin 37 → 27) and "alert suicide_risk acknowledged on plan 42" (a raw code)."""
    mrn = example_raw["patient"]["mrn"]
    raw = copy.deepcopy(example_raw)
    raw["psychosocial"]["phq9"] = [1, 2, 1, 2, 1, 1, 0, 0, 1]  # item 9: a critical alert
    first = record.import_case(raw).assessment_id
    plan_id = kept_plans.make_and_keep_plan(record, first).plan_id
    record.acknowledge_alert(plan_id, "suicide_risk", "psychiatry called")
    fixed = copy.deepcopy(raw)
    fixed["labs"]["albumin"]["value"] = 27
    record_corrections.amend_assessment(record, first, fixed, "albumin typed 31 for 27")

    whats = [line.what for line in record_audit.patient_audit(record, mrn)]
    (amended,) = [w for w in whats if "amended" in w]
    assert "albumin" in amended
    assert "31 → 27" in amended
    (acknowledged,) = [w for w in whats if "acknowledged" in w]
    assert "suicide_risk" not in acknowledged
    assert "PHQ-9" in acknowledged
