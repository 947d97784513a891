"""The whole flow, drafts that survive a destroyed window, and the review page's "why" panel."""

from __future__ import annotations

import copy

import pytest
from PySide6.QtCore import Qt

from planner.domain.evidence import Gap
from planner.domain.plan_document.care import read_referral
from planner.ui.main_window import MainWindow, next_assessment_start
from planner.ui.resume_dialog import ResumeDraftDialog
from planner.ui.why import basis_of, why_html
from planner.ui.wizard.assessment_wizard import AssessmentWizard
from planner.ui.wizard.pages.review import ReviewPage, plan_items


def _type(qtbot, widget, text):
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)


def _walk_to_review(wizard):
    while not isinstance(wizard.currentPage(), ReviewPage):
        before = wizard.currentId()
        wizard.next()
        assert wizard.currentId() != before, type(wizard.currentPage()).__name__


def test_new_patient_to_saved_assessment_and_plan(qtbot, record, ui_settings):
    """Typed from nothing: the patient is created by MRN, the assessment saved, a plan made."""
    window = MainWindow(record, ui_settings)
    qtbot.addWidget(window)
    wizard = window.open_wizard({}, known=False)
    qtbot.addWidget(wizard)
    page = wizard.patient_page
    assert not page.fields["patient.mrn"].message.isVisibleTo(page)  # nothing typed yet
    wizard.next()  # Next with nothing typed: the page stays and says what is required
    assert wizard.currentPage() is page
    assert page.fields["patient.mrn"].message.text() == "is required"
    _type(qtbot, page.mrn, "TAS-7")
    _type(qtbot, page.family_name, "Karimova")
    _type(qtbot, page.birth_date, "1968-03-14")
    _type(qtbot, page.height_cm, "160")
    _type(qtbot, page.weight_kg, "54")
    assert wizard.button(wizard.WizardButton.NextButton).isEnabled()
    wizard.next()
    wizard.next()
    labs = wizard.labs_page
    assert wizard.currentPage() is labs
    _type(qtbot, labs.drawn_on, wizard.case()["assessed_on"])
    _type(qtbot, labs.rows["bilirubin"].value, "35")
    _type(qtbot, labs.rows["bilirubin"].uln, "21")
    _walk_to_review(wizard)
    review = wizard.review_page
    assert review.isComplete()
    assert review.plan is not None
    assert review.tree.topLevelItemCount() > 0
    with qtbot.waitSignal(wizard.saved) as saved:
        wizard.accept()
    assessment_id = saved.args[0]
    assert record.case(assessment_id)["labs"]["bilirubin"] == {
        "value": 35,
        "unit": "umol/L",
        "uln": 21,
    }
    assert record.drafts() == []
    assert record.patient_count() == 1
    assert window.record_view is not None
    assert window.record_view.model.rowCount() == 1
    window.record_view.make_plan()
    assert len(record.plans_for(assessment_id)) == 1
    window.record_view.plan_view.close()


def test_finish_is_refused_while_any_page_has_an_error(qtbot, record, example_raw):
    bad = copy.deepcopy(example_raw)
    bad["function"]["pps_percent"] = 65
    wizard = AssessmentWizard(record, bad)
    qtbot.addWidget(wizard)
    assert not wizard.review_page.isComplete()
    page = next(p for p in wizard.field_pages() if "function.pps_percent" in p.fields)
    message = page.fields["function.pps_percent"].message
    assert "not a multiple of 10" in message.text()
    wizard.accept()
    assert record.patient_count() == 0


def test_draft_survives_the_window_being_destroyed_mid_entry(
    qtbot, record, ui_settings, monkeypatch
):
    """Typing is kept as a draft (at once, then every second); a new window offers it and restores every value."""
    wizard = AssessmentWizard(record)
    qtbot.addWidget(wizard)
    _type(qtbot, wizard.patient_page.mrn, "TAS-55")
    _type(qtbot, wizard.patient_page.family_name, "Petrova")
    _type(qtbot, wizard.patient_page.weight_kg, "61")
    # Saved at once, then at most a second later while typing goes on.
    qtbot.waitUntil(
        lambda: [(d.content.get("body") or {}).get("weight_kg") for d in record.drafts()] == [61],
        timeout=3000,
    )
    # A crash: the window goes away without Cancel or Finish.
    wizard._draft_timer.stop()
    wizard.deleteLater()
    qtbot.wait(10)

    window = MainWindow(record, ui_settings)
    qtbot.addWidget(window)
    assert window.drafts_bar.isVisibleTo(window)
    assert "Petrova" in window.drafts_label.text()
    monkeypatch.setattr(ResumeDraftDialog, "ask", classmethod(lambda cls, parent, draft: "resume"))
    window.resume_drafts()
    resumed = window.wizard
    qtbot.addWidget(resumed)
    assert resumed.patient_page.family_name.text() == "Petrova"
    assert resumed.patient_page.weight_kg.text() == "61"
    assert resumed.draft_id == record.drafts()[0].id
    resumed.reject()


def test_cancel_keeps_the_draft_and_discard_removes_it(qtbot, record, ui_settings, monkeypatch):
    wizard = AssessmentWizard(record)
    qtbot.addWidget(wizard)
    _type(qtbot, wizard.patient_page.mrn, "TAS-56")
    wizard.reject()
    assert len(record.drafts()) == 1
    window = MainWindow(record, ui_settings)
    qtbot.addWidget(window)
    monkeypatch.setattr(ResumeDraftDialog, "ask", classmethod(lambda cls, parent, draft: "discard"))
    window.resume_drafts()
    assert record.drafts() == []
    assert not window.drafts_bar.isVisibleTo(window)


def test_starting_an_assessment_offers_that_patients_draft(
    qtbot, record, ui_settings, monkeypatch, example_raw
):
    record.import_case(example_raw)
    mrn = example_raw["patient"]["mrn"]
    record.save_draft({"patient": {"mrn": mrn, "family_name": "Karimova"}}, "LabsPage", mrn=mrn)
    asked = []
    monkeypatch.setattr(
        ResumeDraftDialog,
        "ask",
        classmethod(lambda cls, parent, draft: asked.append(draft) or "later"),
    )
    window = MainWindow(record, ui_settings)
    qtbot.addWidget(window)
    window.start_assessment(mrn)
    assert len(asked) == 1
    assert window.wizard is None


def test_next_assessment_starts_from_the_last_one(example_raw):
    start = next_assessment_start(example_raw)
    assert start["patient"] == example_raw["patient"]
    assert start["biology"] == example_raw["biology"]
    assert "labs" not in start
    assert "symptoms" not in start
    assert start["previous_labs"] == [
        {"drawn_on": "2026-11-19", "bilirubin": example_raw["labs"]["bilirubin"]}
    ]
    assert start["body"] == {"height_cm": 160}


def test_review_page_why_panel_names_rule_source_and_unverified(qtbot, record, example_raw):
    wizard = AssessmentWizard(record, example_raw)
    qtbot.addWidget(wizard)
    wizard.show()
    _walk_to_review(wizard)
    review = wizard.review_page
    first_group = review.tree.topLevelItem(0)
    review.tree.setCurrentItem(first_group.child(0))
    evidence = first_group.child(0).data(0, Qt.ItemDataRole.UserRole)
    assert evidence
    text = review.why.toPlainText()
    assert "What was found" in text or "What it means" in text
    basis = basis_of(evidence)
    if basis:
        assert "Sources" in text
        assert basis[0].rule not in text  # rule ids only on demand
        review.rule_ids.setChecked(True)
        assert basis[0].rule in review.why.toPlainText()
    wizard.reject()


def test_why_html_reads_found_means_do_then_sources_and_marks_unverified():
    entry = read_referral(
        {
            "service": "physiotherapy",
            "urgency": "within_week",
            "reasons": ["1 fall in the past 3 months"],
            "basis": [
                {"rule": "sup.ref.physio.falls", "source": "delta.src.clsi-ep33", "verified": False}
            ],
        },
        "referrals[0]",
    )
    shown = why_html(entry)
    order = [shown.index(h) for h in ("What was found", "What to do", "Sources")]
    assert order == sorted(order)
    assert "Refer to Physiotherapy (within a week)." in shown
    assert "within_week" not in shown
    assert "Use of Delta Checks in the Medical Laboratory (CLSI EP33)" in shown  # the title
    assert "UNVERIFIED — confirm locally" in shown
    assert "sup.ref.physio.falls" not in shown
    assert "sup.ref.physio.falls" in why_html(entry, show_rule_ids=True)


def test_a_gap_says_what_to_record():
    shown = why_html(Gap("clinical.edema", "no PPI score"))
    assert "edema: not recorded" in shown
    assert "Record oedema to let the plan decide this." in shown


@pytest.mark.parametrize("heading", ["Systemic therapy options", "Referrals"])
def test_plan_items_groups_every_suggestion(heading):
    plan = {
        "options": [{"rank": 1, "regimen": "a_b", "drugs": [], "basis": []}],
        "referrals": [{"service": "dietitian", "urgency": "routine", "basis": []}],
    }
    assert heading in [h for h, _ in plan_items(plan)]


def test_enter_moves_to_the_next_field_not_the_next_page(qtbot, wizard):
    wizard.patient_page.mrn.setFocus()
    qtbot.keyClick(wizard.patient_page.mrn, Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.patient_page
