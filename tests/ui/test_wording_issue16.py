"""Wording a nurse misread in the real window (issue 16, nurse's report item 5), each shown as
it was and as it now reads."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QLabel

from planner.domain.stored import Draft
from planner.reports.render import render_plan_pdf
from planner.services import case_commands
from planner.ui.decision_dialog import option_names
from planner.ui.resume_dialog import ResumeDraftDialog
from planner.ui.wizard.pages.labs import LabsPage
from planner.ui.wizard.pages.preferences import PreferencesPage


def test_a_review_due_now_reads_today_not_in_0_days(example_path):
    import io

    from pypdf import PdfReader

    plan = case_commands.make_plan(json.loads(example_path.read_text(encoding="utf-8")))
    plan["follow_up"] = {**(plan.get("follow_up") or {}), "next_review_days": 0}
    pdf = render_plan_pdf(plan, patient={"mrn": "X", "family_name": "K"}, clinic={})
    whole = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages
    )
    assert "Next review today." in whole
    assert "0 days" not in whole
    # the booklet: today, while she is still at the clinic (walk 21 F2: "see you again today")
    assert "Before you go home today, your nurse or doctor would like to talk with you." in whole


def test_an_option_not_advised_says_why_in_the_decide_dialog(example_path):
    raw = json.loads(example_path.read_text(encoding="utf-8"))
    raw["clinical"]["ecog"] = 3
    names = [label for label, _ in option_names(case_commands.make_plan(raw))]
    assert names[0].startswith("Option 1: ")
    assert "— not advised because ECOG 3" in names[0]
    assert not any("Suggested" in n or "(not advised)" in n for n in names)


def test_child_pugh_names_inr_as_on_the_report(qtbot, example_raw):
    page = LabsPage()
    qtbot.addWidget(page)
    example_raw["labs"].pop("inr", None)
    page.case_changed(example_raw, [], None)
    text = page.child_pugh.text()
    assert text.startswith("not scored: needs")
    assert "INR" in text
    assert "inr" not in text


def test_the_resume_prompt_shows_the_clinic_date_and_time(qtbot):
    draft = Draft(
        id=1,
        patient_id=None,
        wizard_page="patient",
        content={"patient": {"mrn": "A-1"}},
        updated_at="2026-12-06T22:50:00",
        updated_by="test",
    )
    dialog = ResumeDraftDialog(draft, date_format="dd.mm.yyyy")
    qtbot.addWidget(dialog)
    text = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "06.12.2026 22:50" in text
    assert "2026-12-06T22:50" not in text


def test_the_surprise_question_is_asked_as_a_question_with_sentence_answers(qtbot):
    page = PreferencesPage()
    qtbot.addWidget(page)
    box = page.surprise
    answers = {box.itemText(i): box.itemData(i) for i in range(box.count())}
    assert answers["Yes, I would be surprised"] is False
    assert answers["No, I would not be surprised"] is True  # clinical.surprise_question_no
    box.setCurrentIndex(box.findText("No, I would not be surprised"))
    assert page.value()["clinical"]["surprise_question_no"] is True


def test_an_almost_empty_assessment_says_how_many_sections_are_not_recorded(qtbot):
    from planner.ui.wizard.pages.review import RECORDED_SECTIONS, ReviewPage

    page = ReviewPage()
    qtbot.addWidget(page)
    raw = {
        "schema": "planner.case/1",
        "patient": {"mrn": "A-1", "family_name": "K"},
        "assessed_on": "2026-12-06",
        "clinical": {"ecog": 1},
    }
    page.refresh(raw, [], None)
    text = page.problems.text()
    assert "Everything entered passes the checks." in text
    assert (
        f"{len(RECORDED_SECTIONS) - 1} of {len(RECORDED_SECTIONS)} sections are not recorded"
        in text
    )
    assert "laboratory results" in text  # the section in words, never its key
    assert "qol" not in text
    raw.update({name: {"x": 1} for name in RECORDED_SECTIONS if name != "qol"})
    page.refresh(raw, [], None)
    text = page.problems.text()
    # one missing section: the verb agrees, and its name is in words
    assert f"1 of {len(RECORDED_SECTIONS)} sections is not recorded: quality of life." in text


def test_doses_on_screen_read_auc_5_and_mg_per_m2_as_printed():
    from planner.domain.plan_words import dose_words

    assert dose_words(5, "AUC") == "AUC 5"
    assert dose_words(1000.0, "mg/m2") == "1000 mg/m²"
    assert dose_words(400, "mg") == "400 mg"


def test_plan_history_names_the_regimen_with_plus_not_its_id():
    from planner.ui.record_view import plan_summary_html

    named = {
        "options": [
            {
                "rank": 1,
                "regimen": "fulvestrant_ribociclib",
                "name": "Ribociclib + fulvestrant",
                "drugs": [],
            }
        ]
    }
    assert "1. Ribociclib + fulvestrant" in plan_summary_html(named)
    unnamed = {
        "options": [
            {
                "rank": 1,
                "regimen": "fulvestrant_ribociclib",
                "drugs": [{"drug": "fulvestrant"}, {"drug": "ribociclib"}],
            }
        ]
    }
    html = plan_summary_html(unnamed)
    assert "1. Fulvestrant + ribociclib" in html
    assert "fulvestrant ribociclib" not in html


def test_an_option_whose_drugs_have_no_dose_is_not_shown_as_standard():
    from planner.domain.plan_document import read_drug_row, read_option
    from planner.ui.why import why_html

    option = {
        "regimen": "carboplatin_paclitaxel",
        "status": "standard",
        "drugs": [
            {"drug": "carboplatin", "dose": None, "status": "insufficient_data"},
            {"drug": "paclitaxel", "dose": None, "status": "contraindicated"},
        ],
    }
    html = why_html(read_option(option, "options[0]"))
    assert "Status: standard" not in html
    assert "no drug of this option can be given now" in html
    assert "paclitaxel: contraindicated" in html
    dosed = {**option, "drugs": [{"drug": "carboplatin", "dose": {"value": 5, "unit": "AUC"}}]}
    assert "Status: standard" in why_html(read_option(dosed, "options[0]"))
    carboplatin = {"drug": "carboplatin", "dose": {"value": 5, "unit": "AUC"}}
    assert "AUC 5" in why_html(read_drug_row(carboplatin, "options[0].drugs[0]"))


def test_ecog_entered_counts_function_as_recorded_on_the_review_page(qtbot):
    """ECOG is entered in the Function group (nutrition page) but lives in `clinical`: the review
    said "function not recorded" though it was (issue 16, independent nurse walk)."""
    from planner.ui.wizard.pages.review import ReviewPage

    page = ReviewPage()
    qtbot.addWidget(page)
    raw = {
        "schema": "planner.case/1",
        "patient": {"mrn": "A-1", "family_name": "K"},
        "assessed_on": "2026-12-06",
        "clinical": {"ecog": 1, "ascites": None},
    }
    page.refresh(raw, [], None)
    names = page.problems.text().split("not recorded:", 1)[1]
    assert "function" not in names
    # ECOG alone says nothing of the clinical findings (ascites, LVEF, DPYD, …): still missing
    assert "clinical findings" in names or "clinical" in names
    raw["function"] = {"pps_percent": 60}
    raw["clinical"] = {"ascites": "none"}
    page.refresh(raw, [], None)
    names = page.problems.text().split("not recorded:", 1)[1]
    assert "function" not in names
    assert "clinical" not in names
