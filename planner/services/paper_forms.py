"""Paper assessment forms (issue 20 item 5): blank, or with the patient's last values to check.

The form's parts and labels come from the wizard's own wording (planner.domain.assessment_wording
through planner.domain.paper_form); the labs' units from the case limits, the ULNs from the
clinic settings, last time's values from the patient's latest assessment in the record.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.domain.dates import show_date
from planner.domain.paper_form import LabLine, PaperForm, form_parts, last_values
from planner.domain.problems import InputInvalid, Problem
from planner.domain.settings import ClinicSettings
from planner.domain.units import to_entry_unit
from planner.reports.assessment_form import render_assessment_form
from planner.services import clinic_settings, previews, rule_tables
from planner.services.patient_record import PatientRecord


def lab_lines(lab_uln: Mapping[str, Any], units: Mapping[str, str] | None = None) -> list[LabLine]:
    """Each lab the wizard asks for: the units it may be written in (the clinic's usual unit
    first, then the case's others, then the count units the form converts) and the clinic's ULN
    in that first unit (None when unset): a mg/dL clinic read its own 1.2 mg/dL bilirubin ULN
    as "20.52 µmol/L" (independent walk 16d)."""
    limits = rule_tables.case_limits()
    out = []
    for name, lab in limits.labs.items():
        usual = (units or {}).get(name)
        entry = [unit for unit, _ in lab.entry_units]
        # a count the clinic reads per µL is ticked per µL first (walk 21 F10)
        first = usual if usual in lab.units or usual in entry else next(iter(lab.units), None)
        ordered = [
            *([first] if first else []),
            *(u for u in lab.units if u != first),
            *(u for u in entry if u != first),
        ]
        uln = lab_uln.get(name)  # kept in the case's (canonical) unit
        if uln and first and first != lab.canonical_unit:
            uln = previews.lab_value_in(name, float(uln), lab.canonical_unit, first)
        out.append(
            LabLine(
                name,
                tuple(ordered),
                lab.takes_uln,
                float(uln) if uln else None,
            )
        )
    return out


def blank_form(settings: ClinicSettings) -> PaperForm:
    """A blank form with the clinic's name and default ULNs, in the clinic's units."""
    return PaperForm(
        form_parts(lab_lines(settings.lab_uln, settings.units)), clinic=settings.clinic_name
    )


def patient_form(record: PatientRecord, mrn: str) -> PaperForm:
    """The form pre-filled with the values of the patient's latest assessment, to check.
    Raises InputInvalid naming the MRN when the record has no assessment for it."""
    settings = clinic_settings.of_record(record)
    base = blank_form(settings)
    points = record.trend(mrn)
    if not points:
        raise InputInvalid(
            (Problem("--mrn", f"no patient with MRN {mrn!r} and an assessment in the record"),)
        )
    case = record.case(points[-1].assessment_id) or {}
    patient = case.get("patient") or {}
    # "Patel, Priya": without the comma nobody could tell the family name (walk 21 F11)
    name = ", ".join(
        str(patient.get(key)) for key in ("family_name", "given_name") if patient.get(key)
    )
    return PaperForm(
        base.parts,
        clinic=base.clinic,
        patient=name,
        mrn=str(patient.get("mrn") or mrn),
        last_on=show_date(case.get("assessed_on"), settings.date_format),
        last_values=last_values(
            base.parts, in_clinic_units(case, settings.units), settings.date_format
        ),
    )


def in_clinic_units(case: Mapping[str, Any], units: Mapping[str, str]) -> dict[str, Any]:
    """The case with each count the clinic reads per µL or mm³ (its `units` setting) in that
    unit: the case keeps counts in × 10⁹/L, and the form printed "1.3 ×10⁹/L" to a clinic that
    reads 1300 /µL (walk 21 F10)."""
    limits = rule_tables.case_limits()
    labs = dict(case.get("labs") or {})
    for name, result in labs.items():
        lab = limits.labs.get(name)
        usual = units.get(name)
        if lab is None or usual not in dict(lab.entry_units) or not isinstance(result, Mapping):
            continue
        value = result.get("value")
        if isinstance(value, int | float) and result.get("unit") in (None, lab.canonical_unit):
            labs[name] = {
                **result,
                "value": to_entry_unit(limits, name, float(value), usual),
                "unit": usual,
            }
    return {**case, "labs": labs}


def form_pdf(form: PaperForm, paper: str = "a4") -> bytes:
    return render_assessment_form(form, paper=paper)


def form_file_name(form: PaperForm) -> str:
    """The file a form is saved as: `assessment_form_<MRN>.pdf`, or `..._blank.pdf`."""
    mrn = "".join(c if c.isalnum() or c in "-_" else "_" for c in form.mrn)
    return f"assessment_form_{mrn or 'blank'}.pdf"
