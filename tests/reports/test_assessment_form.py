"""The paper assessment form (issue 20 item 5): parts, pre-filled values, licensing, paper."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from planner.domain import assessment_wording as wording
from planner.domain.paper_form import NURSE, PATIENT, form_parts
from planner.domain.settings import ClinicSettings
from planner.reports.assessment_form import PATIENT_PT, render_assessment_form
from planner.services import paper_forms

CLINIC = ClinicSettings(
    clinic_name="Tashkent Palliative Clinic", lab_uln={"bilirubin": 21.0, "alt": 40.0}
)


def _texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def _whole(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(_texts(pdf)))


@pytest.fixture(scope="module")
def blank_pdf() -> bytes:
    return paper_forms.form_pdf(paper_forms.blank_form(CLINIC))


def test_patient_parts_come_first_then_the_nurse_parts_each_in_wizard_step_order():
    parts = form_parts(paper_forms.lab_lines({}))
    audiences = [p.audience for p in parts]
    assert audiences == sorted(audiences, key=[PATIENT, NURSE].index)
    for audience in (PATIENT, NURSE):
        steps = [p.step for p in parts if p.audience == audience]
        assert steps == sorted(steps)
    titles = dict(wording.WIZARD_STEPS)
    assert all(p.step_title == titles[list(titles)[p.step - 1]] for p in parts)


def test_blank_form_has_the_public_wording_with_its_issuers_and_is_short(blank_pdf):
    text = _whole(blank_pdf)
    # 3 pages hers, 2 the nurse's: her body, labs, medicines and function (walk 21 F11)
    assert len(_texts(blank_pdf)) <= 5
    for item in (*wording.PHQ9_ITEMS[:3], *wording.GAD7_ITEMS[:3], "Shortness of breath"):
        assert item in text
    for issuer in ("Watanabe", "Spitzer", "Pfizer", "NCCN", "EORTC", "FACIT"):
        assert issuer in text
    assert "Typed in at step 5: Symptoms" in text
    assert "last time" not in text


def test_labs_sheet_has_units_to_tick_and_the_clinics_uln(blank_pdf):
    text = _whole(blank_pdf)
    assert "Unit (tick one)" in text
    assert "☐ µmol/L ☐ mg/dL" in text  # bilirubin in either unit
    assert "21 µmol/L" in text  # the clinic's bilirubin ULN
    assert "40 U/L" in text
    assert "not set" in text  # a ULN test without a clinic default says so, never a number


def test_no_licensed_questionnaire_wording(blank_pdf, licensed_item_openings):
    """Safety rule 8: QLQ-C30 and FACT-B by item number only."""
    printed = _whole(blank_pdf)
    labels = " ".join(f.label for p in form_parts(paper_forms.lab_lines({})) for f in p.fields)
    for opening in licensed_item_openings:
        assert opening not in printed
        assert opening not in labels
    qol = [p for p in form_parts(paper_forms.lab_lines({})) if p.step_title.startswith("Quality")]
    assert qol
    assert all(len(f.label) <= 4 for p in qol for f in p.fields)


def test_paper_size():
    form = paper_forms.blank_form(CLINIC)
    a4 = PdfReader(io.BytesIO(paper_forms.form_pdf(form, "a4"))).pages[0].mediabox
    letter = PdfReader(io.BytesIO(paper_forms.form_pdf(form, "letter"))).pages[0].mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)
    with pytest.raises(ValueError, match="paper"):
        render_assessment_form(form, paper="a3")


def test_patient_pages_use_large_type(blank_pdf):
    """Everything on the patient's pages is at least 11 pt (issue 20)."""
    assert PATIENT_PT - 1 >= 11
    reader = PdfReader(io.BytesIO(blank_pdf))
    sizes: list[float] = []
    for page in reader.pages[:3]:  # the patient's pages (the nurse's start after)

        def visit(text, cm, tm, font, size, sizes=sizes):
            # the running footer ("Assessment form · …", "page N", 9 pt) is not filled in
            if text.strip() and not text.startswith(("Assessment form", "page ")):
                sizes.append(size * tm[0])

        page.extract_text(visitor_text=visit)
    assert sizes
    assert min(sizes) >= 11


def test_prefilled_values_appear_with_their_date(record, example_raw):
    example_raw["symptoms"]["esas"]["pain"] = 6
    record.import_case(example_raw)
    form = paper_forms.patient_form(record, example_raw["patient"]["mrn"])
    assert form.last_on == "20/11/2026"
    text = _whole(paper_forms.form_pdf(form))
    assert "Name: Karimova, Dilnoza" in text  # the family name first, then a comma (walk 21)
    assert "last time, 20/11/2026 — check: 35 µmol/L (lab's ULN 21)" in text  # bilirubin
    assert form.last_values is not None
    assert form.last_values["labs.bilirubin"] == "35 µmol/L (lab's ULN 21)"


def test_the_patients_own_pages_are_never_prefilled(record, example_raw):
    """Walk 20 H4: the pages handed over for home or the waiting room printed last time's PHQ-9
    answers, item 9 (thoughts of self-harm) included, for her family to read."""
    example_raw["symptoms"]["esas"]["pain"] = 6
    example_raw["psychosocial"]["phq9"][8] = 1
    record.import_case(example_raw)
    form = paper_forms.patient_form(record, example_raw["patient"]["mrn"])
    assert form.last_values is not None
    for path in form.last_values:
        assert not path.startswith(("symptoms.", "psychosocial.", "qol.")), path
    reader = PdfReader(io.BytesIO(paper_forms.form_pdf(form)))
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        if "Your questionnaire" in text or "PHQ-9" in text or "GAD-7" in text:
            assert "last time" not in text, f"page {number}"
            assert "Values under a line" not in text, f"page {number}"  # recheck20 W5
    assert "check: Practical, Family, Emotional" not in _whole(paper_forms.form_pdf(form))


def test_unknown_mrn_is_named(record):
    from planner.domain.problems import InputInvalid

    with pytest.raises(InputInvalid, match="NO-SUCH"):
        paper_forms.patient_form(record, "NO-SUCH")


def test_the_clinic_uln_is_printed_in_the_clinics_own_unit():
    """Walk 16d: a mg/dL clinic's form read "Clinic ULN 20.52 µmol/L" for its 1.2 mg/dL; the
    clinic's usual unit is now the first to tick and its ULN is in it."""
    delhi = ClinicSettings(lab_uln={"bilirubin": 20.52}, units={"bilirubin": "mg/dL"})
    text = _whole(paper_forms.form_pdf(paper_forms.blank_form(delhi)))
    assert "☐ mg/dL ☐ µmol/L" in text
    assert "1.2 mg/dL" in text
    assert "20.52" not in text


def test_the_nurses_pages_ask_for_birth_date_body_medicines_and_allergies(blank_pdf):
    """Walk 21 F11: the wizard asks for weight, height, current medicines, allergies and birth
    date; the paper form had none of them, so the nurse copied them from elsewhere."""
    text = _whole(blank_pdf)
    assert "Typed in at step 1: Patient and body" in text
    for label in ("Birth date", "Height", "Weight today"):
        assert label in text
    assert "Typed in at step 4: Medicines, allergies and remedies" in text
    assert "Medicine Dose Unit Route How often" in text
    assert "She takes no regular medicines" in text
    assert "Substance Reaction Severity" in text
    assert "No known drug allergies (she was asked)" in text
    assert "Herbal or traditional remedies" in text
    # in the wizard's order: body (step 1), labs (3), medicines (4), function (7)
    order = [text.index(t) for t in ("step 1:", "step 3:", "step 4:", "step 7:")]
    assert order == sorted(order)


def test_a_prefilled_form_shows_last_times_body_medicines_and_allergies_to_check(
    record, example_raw
):
    example_raw["medications"] = [
        {
            "drug": "paracetamol",
            "dose": {"value": 650, "unit": "mg"},
            "route": "oral",
            "frequency": "three times daily",
        }
    ]
    example_raw["allergies"] = [
        {"substance": "paclitaxel", "reaction": "flushing", "severity": "severe"}
    ]
    example_raw["herbal_or_traditional"] = ["ashwagandha powder"]
    record.import_case(example_raw)
    form = paper_forms.patient_form(record, example_raw["patient"]["mrn"])
    text = _whole(paper_forms.form_pdf(form))
    assert "check: 14/03/1968" in text  # birth date
    assert "check: 160 cm" in text
    assert "check: 54 kg" in text
    assert "check: paracetamol 650 mg oral three times daily" in text
    assert "check: paclitaxel — flushing (severe)" in text
    assert "check: ashwagandha powder" in text
