"""Issue 16, "Done when": a new patient, an assessment, its plan, an override (option 2, with a
reason) and the print take one straight path from an empty record, with no dead end: each step
is reached from the window the previous one left open."""

from __future__ import annotations

import copy
import io

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QPageSize, QPdfWriter

from planner.ui.background import wait_for_all
from planner.ui.decision_dialog import DecisionDialog
from planner.ui.main_window import MainWindow
from planner.ui.new_patient_dialog import NewPatientDialog

MRN = "DEL-000777"


def _texts(pdf: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def test_new_patient_assessment_plan_override_and_print(
    qtbot, record, ui_settings, example_raw, monkeypatch, tmp_path
):
    record.sign_in_as("Sister Anjali Rao")  # the name asked at start-up
    window = MainWindow(record, ui_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    # 1. An empty record offers one obvious step: New patient.
    assert window.pages.currentWidget() is window.empty_page

    def fill_and_save(dialog):
        qtbot.keyClicks(dialog.mrn, MRN)
        qtbot.keyClicks(dialog.family_name, "Rao")
        qtbot.keyClicks(dialog.given_name, "Meena")
        qtbot.keyClicks(dialog.birth_date, "02/07/1961")
        dialog.sex.setCurrentIndex(dialog.sex.findData("female"))
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(NewPatientDialog, "exec", fill_and_save)
    qtbot.mouseClick(window.empty_new_button, Qt.MouseButton.LeftButton)
    assert window.selected_mrn() == MRN
    view = window.record_view
    assert window.detail.currentWidget() is view  # her record is open beside the list

    # 2. New assessment from her record: the wizard opens with her details.
    qtbot.mouseClick(view.assess_button, Qt.MouseButton.LeftButton)
    wizard = window.wizard
    assert wizard is not None
    assert wizard.isVisible()
    assert wizard.case()["patient"]["mrn"] == MRN
    case = copy.deepcopy(example_raw)
    case["patient"] = {**case["patient"], **wizard.case()["patient"]}
    wizard.load(case)
    for _ in wizard.pageIds()[1:]:  # Next through every page, as the nurse does
        before = wizard.currentId()
        wizard.next()
        assert wizard.currentId() != before, type(wizard.currentPage()).__name__
    assert wizard.currentPage() is wizard.review_page

    # 3. Save assessment leads straight to its plan.
    with qtbot.waitSignal(wizard.saved):
        wizard.accept()
    plan_view = view.plan_view
    assert plan_view is not None
    assert plan_view.isVisible()
    qtbot.waitUntil(lambda: plan_view.ready, timeout=30000)
    assert "Not yet decided" in plan_view.decision.text()

    # 4. Decide: option 2, with a reason.
    def choose_option_2(cls, parent, plan, **asked):
        dialog = cls(plan, parent, who=asked["who"])  # "Decided by": the user to start with
        dialog.course.setCurrentIndex(1)
        qtbot.keyClicks(dialog.reason, "she prefers tablets")
        dialog.prescriber.setChecked(True)  # Sister Rao records the prescriber's decision
        dialog.check_and_accept()
        assert dialog.result() == DecisionDialog.DialogCode.Accepted
        return dialog.decision_input()

    monkeypatch.setattr(DecisionDialog, "ask", classmethod(choose_option_2))
    second = sorted(plan_view.kept.plan["options"], key=lambda o: o["rank"])[1]
    with qtbot.waitSignal(plan_view.changed):
        qtbot.mouseClick(plan_view.decide_button, Qt.MouseButton.LeftButton)
    assert "Decided by Sister Anjali Rao" in plan_view.decision.text()

    # 5. Print at once (queued until the decided plan is made), and save the PDF.
    writer = QPdfWriter(str(tmp_path / "printed.pdf"))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    plan_view.print_to(writer)
    target = tmp_path / "plan.pdf"
    plan_view.save_pdf_to(target)
    qtbot.waitUntil(target.exists, timeout=30000)
    del writer
    pages = _texts(target.read_bytes())
    assert f"Plan as decided: {second['name']}" in pages[0]
    assert "Sister Anjali Rao" in " ".join(pages)
    assert len(PdfReader(str(tmp_path / "printed.pdf")).pages) == len(pages)
    assert window.selected_mrn() == MRN
    plan_view.close()
    wait_for_all()
