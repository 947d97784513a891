"""Each wizard page: values in -> its part of the case dict -> validity, messages beside fields."""

from __future__ import annotations

from PySide6.QtCore import Qt

from planner.ui.wizard.assessment_wizard import AssessmentWizard
from planner.ui.wizard.pages.biology import BiologyPage
from planner.ui.wizard.pages.labs import LabsPage
from planner.ui.wizard.pages.nutrition import NutritionPage
from planner.ui.wizard.pages.patient import PatientPage
from planner.ui.wizard.pages.preferences import PreferencesPage
from planner.ui.wizard.pages.psychosocial import PsychosocialPage
from planner.ui.wizard.pages.qol import QualityOfLifePage
from planner.ui.wizard.pages.symptoms import SymptomsPage


def _type(qtbot, widget, text):
    """Type into a field and leave it with Tab, as the nurse does (its message shows then)."""
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)


def test_example_case_round_trips_through_every_page(qtbot, record, example_raw):
    """Loading the contract's case into the pages and reading it back loses nothing."""
    wizard = AssessmentWizard(record, example_raw)
    qtbot.addWidget(wizard)
    case = wizard.case()
    for key, value in example_raw.items():
        if key == "clinical":  # the PPI signs the example does not record: null, not assessed
            value = {**dict.fromkeys(("edema", "dyspnea_at_rest", "delirium")), **value}
        if key == "disease":  # mediastinal radiotherapy, not in the example: null, not recorded
            value = {**value, "mediastinal_radiotherapy": None}
        assert case[key] == value, key
    assert wizard.problems == []


def test_patient_page_values_and_required_fields(wizard, qtbot):
    page = wizard.patient_page
    assert isinstance(page, PatientPage)
    assert page.errors()
    # nothing typed yet: no red "is required" until the field is left (or Next is pressed)
    assert not page.fields["patient.mrn"].message.isVisibleTo(page)
    page.mrn.setFocus()
    qtbot.waitUntil(page.mrn.hasFocus)
    page.family_name.setFocus()
    qtbot.waitUntil(page.family_name.hasFocus)
    assert page.fields["patient.mrn"].message.text() == "is required"
    assert page.fields["patient.mrn"].message.isVisibleTo(page)
    _type(qtbot, page.mrn, "TAS-9")
    _type(qtbot, page.family_name, "Karimova")
    _type(qtbot, page.birth_date, "1968-03-14")
    page.sex.setCurrentIndex(page.sex.findData("female"))
    _type(qtbot, page.height_cm, "160")
    _type(qtbot, page.weight_kg, "54,5")
    assert page.value()["patient"] == {
        "mrn": "TAS-9",
        "family_name": "Karimova",
        "given_name": None,
        "birth_date": "1968-03-14",
        "sex": "female",
        "menopausal_status": None,
    }
    assert page.value()["body"] == {"height_cm": 160, "weight_kg": 54.5}
    assert not page.errors()
    assert not page.fields["patient.mrn"].message.isVisibleTo(page)


def test_out_of_range_weight_is_named_beside_the_weight(wizard, qtbot):
    page = wizard.patient_page
    _type(qtbot, page.mrn, "A-1")
    _type(qtbot, page.family_name, "Ivanova")
    _type(qtbot, page.weight_kg, "540")
    message = page.fields["body.weight_kg"].message
    assert message.text() == "540 is outside 20–300 kg"
    assert message.isVisibleTo(page)
    assert page.errors()
    _type(qtbot, page.weight_kg, "abc")
    assert "is not a number" in message.text()


def test_birth_date_after_assessment_is_shown_on_the_birth_date(wizard, qtbot):
    page = wizard.patient_page
    _type(qtbot, page.mrn, "A-1")
    _type(qtbot, page.family_name, "Ivanova")
    _type(qtbot, page.birth_date, "2099-01-01")
    assert "is after the assessment date" in page.fields["patient.birth_date"].message.text()


def test_biology_page_with_a_prior_therapy_line(wizard, qtbot):
    page = wizard._page(BiologyPage)
    _type(qtbot, page.er_percent, "85")
    page.her2_ihc.setCurrentIndex(page.her2_ihc.findData("1+"))
    page.other_sites.boxes["bone"].setChecked(True)
    qtbot.mouseClick(page.add_therapy_button, Qt.MouseButton.LeftButton)
    drugs, setting = page.therapy_rows[0][0], page.therapy_rows[0][1]
    _type(qtbot, drugs, "letrozole, palbocyclib")
    setting.setCurrentIndex(setting.findData("metastatic"))
    value = page.value()
    assert value["biology"]["er_percent"] == 85
    assert value["biology"]["her2_ihc"] == "1+"
    assert value["disease"]["other_sites"] == ["bone"]
    assert value["disease"]["prior_therapy"][0]["drugs"] == ["letrozole", "palbocyclib"]
    message = page.fields["disease.prior_therapy[0].drugs"].message
    assert 'did you mean "palbociclib"' in message.text()
    assert page.errors()
    _type(qtbot, drugs, "letrozole, palbociclib")
    assert not page.errors()


def test_labs_page_shows_x_uln_odwg_and_child_pugh_as_you_type(wizard, qtbot):
    page = wizard._page(LabsPage)
    assert isinstance(page, LabsPage)
    _type(qtbot, page.drawn_on, "2026-11-19")
    bilirubin = page.rows["bilirubin"]
    _type(qtbot, bilirubin.value, "35")
    _type(qtbot, bilirubin.uln, "21")
    assert bilirubin.x_uln.text() == "1.67 ×"
    assert "moderate" in page.odwg.text()
    assert page.child_pugh.text().startswith("not scored")
    _type(qtbot, page.rows["albumin"].value, "31")
    _type(qtbot, page.rows["inr"].value, "1.2")
    page.ascites.setCurrentIndex(page.ascites.findData("none"))
    page.encephalopathy.setCurrentIndex(page.encephalopathy.findData("none"))
    assert "class B" in page.child_pugh.text()
    assert page.value()["labs"]["bilirubin"] == {"value": 35, "unit": "umol/L", "uln": 21}
    assert not page.errors()


def test_unit_mix_up_is_a_doubt_beside_the_bilirubin_and_does_not_block(wizard, qtbot):
    page = wizard._page(LabsPage)
    _type(qtbot, page.drawn_on, "2026-11-19")
    bilirubin = page.rows["bilirubin"]
    bilirubin.unit.setCurrentIndex(bilirubin.unit.findData("mg/dL"))
    _type(qtbot, bilirubin.value, "35")
    message = page.fields["labs.bilirubin"].message
    assert message.text().startswith("Check: 35 mg/dL is possible but implausible")
    assert "would be plausible in µmol/L" in message.text()
    assert not page.errors()


def test_impossible_lab_value_blocks_the_page(wizard, qtbot):
    page = wizard._page(LabsPage)
    _type(qtbot, page.drawn_on, "2026-11-19")
    _type(qtbot, page.rows["albumin"].value, "700")
    assert "outside the possible range" in page.fields["labs.albumin"].message.text()
    assert page.errors()


def test_clinic_uln_is_offered_as_a_hint_not_stored_on_the_result(qtbot, record):
    record.set_clinic_settings({"lab_uln": {"bilirubin": 21}})
    wizard = AssessmentWizard(record)
    qtbot.addWidget(wizard)
    page = wizard.labs_page
    assert "21" in page.rows["bilirubin"].uln.placeholderText()
    _type(qtbot, page.drawn_on, "2026-11-19")
    _type(qtbot, page.rows["bilirubin"].value, "42")
    assert page.value()["labs"]["bilirubin"] == {"value": 42, "unit": "umol/L"}
    assert page.rows["bilirubin"].x_uln.text() == "2.00 ×"
    wizard._draft_timer.stop()  # the record closes with the test: no draft after it


def test_symptoms_page_esas_and_other(wizard, qtbot):
    page = wizard._page(SymptomsPage)
    page.esas["pain"].setValue(6)
    page.esas["nausea"].setValue(0)
    _type(qtbot, page.other_name, "itch")
    page.other_score.setValue(6)
    page.pruritus.setCurrentIndex(page.pruritus.findData(True))
    symptoms = page.value()["symptoms"]
    assert symptoms["esas"]["pain"] == 6
    assert symptoms["esas"]["nausea"] == 0
    assert symptoms["esas"]["tiredness"] is None
    assert symptoms["esas"]["other"] == {"name": "itch", "score": 6}
    assert symptoms["pruritus"] is True
    assert not page.errors()


def test_esas_other_needs_its_score(wizard, qtbot):
    page = wizard._page(SymptomsPage)
    _type(qtbot, page.other_name, "itch")
    assert page.fields["symptoms.esas.other"].message.text() == "score: is required"
    assert page.errors()


def test_blank_pages_mean_not_assessed(wizard):
    case = wizard.case()
    for section in ("body", "biology", "disease", "labs", "symptoms", "psychosocial", "qol"):
        assert case[section] is None, section


def test_psychosocial_page(wizard):
    page = wizard._page(PsychosocialPage)
    page.distress.setValue(7)
    page.problems.boxes["family"].setChecked(True)
    for box, answer in zip(page.phq9, [1, 2, 1, 2, 1, 1, 0, 0, 1], strict=True):
        box.setCurrentIndex(box.findData(answer))
    page.gad7[0].setCurrentIndex(page.gad7[0].findData(3))
    section = page.value()["psychosocial"]
    assert section["distress_thermometer"] == 7
    assert section["problems"] == ["family"]
    assert section["phq9"] == [1, 2, 1, 2, 1, 1, 0, 0, 1]
    assert section["gad7"] == [3, None, None, None, None, None, None]
    assert not page.errors()


def test_nutrition_and_function_page(wizard, qtbot):
    page = wizard._page(NutritionPage)
    _type(qtbot, page.weight_6_months, "60")
    page.intake.setCurrentIndex(page.intake.findData("less_than_usual"))
    page.must_box.setChecked(True)
    page.ecog.setCurrentIndex(page.ecog.findData(2))
    page.pps.setCurrentIndex(page.pps.findData(60))
    page.falls.setValue(1)
    value = page.value()
    assert value["body"] == {"weight_6_months_ago_kg": 60}
    assert value["nutrition"]["intake"] == "less_than_usual"
    assert value["nutrition"]["must"] == {
        "weight_3_to_6_months_ago_kg": None,
        "acutely_ill_no_intake_5_days": None,
    }
    assert value["nutrition"]["pgsga_sf"] is None
    assert value["clinical"]["ecog"] == 2
    assert value["function"] == {"falls_past_3_months": 1, "mobility": None, "pps_percent": 60}
    assert not page.errors()


def test_qol_page_by_item_number_with_scores(wizard):
    page = wizard._page(QualityOfLifePage)
    page.groups["qlq_br23"].setChecked(True)
    for n in range(31, 54):
        page.fields[f"qol.qlq_br23.q{n}"].widget.setValue(2)
    qol = page.value()["qol"]
    assert qol["qlq_c30"] is None
    assert qol["qlq_br23"]["q31"] == 2
    assert "BRBI" in page.scores["qlq_br23"].text()
    page.groups["qlq_c30"].setChecked(True)
    page.fields["qol.qlq_c30.q1"].widget.setValue(3)
    assert page.value()["qol"]["qlq_c30"]["q2"] is None
    assert not page.errors()


def test_qol_page_shows_no_copyrighted_wording(wizard):
    """Items are labelled by number or FACIT code only."""
    from PySide6.QtWidgets import QLabel

    page = wizard._page(QualityOfLifePage)
    texts = [label.text() for label in page.findChildren(QLabel) if label.buddy() is not None]
    assert texts
    assert all(len(t) <= 4 for t in texts)


def test_preferences_page(wizard, qtbot):
    page = wizard._page(PreferencesPage)
    page.prefers_oral.setCurrentIndex(page.prefers_oral.findData(True))
    page.goals.setPlainText("stay at home")
    assert page.value()["preferences"] == {
        "declines_chemotherapy": None,
        "prefers_oral": True,
        "goals": "stay at home",
    }


def test_every_input_has_an_accessible_name_and_labels_have_buddies(qtbot, record, example_raw):
    from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLabel, QLineEdit, QPlainTextEdit

    wizard = AssessmentWizard(record, example_raw)
    qtbot.addWidget(wizard)
    for page in wizard.field_pages():
        for widget in (
            page.findChildren(QLineEdit)
            + page.findChildren(QComboBox)
            + page.findChildren(QAbstractSpinBox)
            + page.findChildren(QPlainTextEdit)
        ):
            if isinstance(widget.parent(), QComboBox | QAbstractSpinBox):
                continue  # a combo's or spin box's own line edit
            assert widget.accessibleName(), (type(page).__name__, widget.objectName())
        for label in page.findChildren(QLabel):
            if "&" in label.text() and "&amp;" not in label.text():
                assert label.buddy() is not None, label.text()


PPI_SIGNS = ("edema", "dyspnea_at_rest", "delirium")


def test_ppi_signs_are_tri_state_with_accessible_names(wizard):
    page = wizard._page(NutritionPage)
    boxes = {
        "edema": page.edema,
        "dyspnea_at_rest": page.dyspnea_at_rest,
        "delirium": page.delirium,
    }
    for box in boxes.values():
        assert [box.itemText(i) for i in range(box.count())] == ["not assessed", "yes", "no"]
        assert box.currentData() is None
        assert box.accessibleName()  # read out by screen readers
    assert page.edema.accessibleName() == "Oedema"
    assert page.dyspnea_at_rest.accessibleName() == "Dyspnoea at rest"
    assert page.delirium.accessibleName().startswith("Delirium")
    clinical = page.value()["clinical"]
    assert all(clinical[name] is None for name in PPI_SIGNS)  # null = not assessed


def test_ppi_signs_values_in_case_dict_out(wizard):
    page = wizard._page(NutritionPage)
    page.edema.setCurrentIndex(page.edema.findData(True))
    page.dyspnea_at_rest.setCurrentIndex(page.dyspnea_at_rest.findData(False))
    clinical = page.value()["clinical"]
    assert (clinical["edema"], clinical["dyspnea_at_rest"], clinical["delirium"]) == (
        True,
        False,
        None,
    )
    case = wizard.case()
    assert case["clinical"]["edema"] is True
    assert case["clinical"]["dyspnea_at_rest"] is False
    assert case["clinical"]["delirium"] is None
    page.set_value({"clinical": {"edema": False, "dyspnea_at_rest": None, "delirium": True}})
    assert (page.edema.currentData(), page.dyspnea_at_rest.currentData()) == (False, None)
    assert page.delirium.currentData() is True


def test_a_plan_from_the_wizard_has_no_ppi_sign_gaps_once_answered(qtbot, record, example_raw):
    from planner.services import case_commands

    def sign_gaps(raw):
        gaps = case_commands.make_plan(raw)["gaps"]
        return {g["field"] for g in gaps if g["field"] in {f"clinical.{s}" for s in PPI_SIGNS}}

    wizard = AssessmentWizard(record, example_raw)
    qtbot.addWidget(wizard)
    assert sign_gaps(wizard.case()) == {f"clinical.{s}" for s in PPI_SIGNS}
    page = wizard._page(NutritionPage)
    for box in (page.edema, page.dyspnea_at_rest, page.delirium):
        box.setCurrentIndex(box.findData(False))
    case = wizard.case()
    assert wizard.problems == []
    assert sign_gaps(case) == set()
    wizard._draft_timer.stop()


def test_symptoms_page_asks_every_esas_item_of_the_case_in_its_order(qtbot, record):
    from planner.domain.case import ESAS_ITEMS

    wizard = AssessmentWizard(record, None)
    qtbot.addWidget(wizard)
    page = wizard._page(SymptomsPage)
    assert tuple(page.esas) == ESAS_ITEMS
    assert all(box.accessibleName() for box in page.esas.values())
