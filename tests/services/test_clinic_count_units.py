"""Walk 21 F10: a clinic that reads blood counts per µL (Clinic settings) was offered × 10⁹/L
in the course review's boxes, and its paper form printed last time's counts as "1.3 ×10⁹/L".
Both follow the clinic's unit; the case keeps × 10⁹/L."""

from __future__ import annotations

from planner.domain.plan_words import unit_words
from planner.services import clinic_settings, paper_forms

PER_UL = {"anc": "/uL", "platelets": "/uL"}


def test_the_paper_form_prints_counts_in_the_clinic_s_unit(record, example_raw):
    example_raw["labs"]["anc"] = {"value": 1.3, "unit": "10^9/L"}
    example_raw["labs"]["platelets"] = {"value": 267, "unit": "10^9/L"}
    record.import_case(example_raw)
    assert clinic_settings.save(record, {"units": PER_UL}) == []
    form = paper_forms.patient_form(record, example_raw["patient"]["mrn"])
    assert form.last_values is not None
    per_ul = unit_words("/uL")
    assert form.last_values["labs.anc"] == f"1300 {per_ul}"
    assert form.last_values["labs.platelets"] == f"267000 {per_ul}"
    lines = {line.name: line for line in paper_forms.lab_lines({}, PER_UL)}
    assert lines["anc"].units[0] == "/uL"  # ticked per µL first


def test_a_clinic_without_the_setting_keeps_the_case_s_unit(record, example_raw):
    example_raw["labs"]["anc"] = {"value": 1.3, "unit": "10^9/L"}
    record.import_case(example_raw)
    form = paper_forms.patient_form(record, example_raw["patient"]["mrn"])
    assert form.last_values is not None
    assert form.last_values["labs.anc"] == f"1.3 {unit_words('10^9/L')}"
