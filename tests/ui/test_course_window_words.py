"""The course window in words and at a laptop's size (issue 19 independent review, finding 7)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from planner.domain.dates import show_date
from planner.services import kept_plans
from planner.ui.background import wait_for_all

HFS = "palmar_plantar_erythrodysesthesia"


def _window(qtbot, record, mrn):
    from planner.ui.course_window import CourseWindow

    shown = CourseWindow(record, mrn)
    qtbot.addWidget(shown)
    return shown


@pytest.fixture
def decided(record, example_raw):
    assessment = record.import_case(example_raw).assessment_id
    made = kept_plans.make_and_keep_plan(record, assessment)
    record.sign_in_as("Dr Karimov (oncologist)")
    kept_plans.decide_plan(
        record, made.plan_id, course="option", regimen="capecitabine", reason="oral, at home"
    )
    return example_raw


def test_the_offer_names_the_plan_by_its_date_and_option(qtbot, record, decided):
    window = _window(qtbot, record, decided["patient"]["mrn"])
    text = window.offer.text()
    # in the clinic's date format (dd/mm/yyyy by default), as everywhere
    assert f"From her plan of {show_date(decided['assessed_on'])}, decided option" in text
    assert "Capecitabine" in text
    assert "plan 1" not in text.lower()
    assert not window.open_plan_button.isVisibleTo(window)
    wait_for_all()


def test_no_decided_plan_offers_to_open_it(qtbot, record, example_raw):
    assessment = record.import_case(example_raw).assessment_id
    kept_plans.make_and_keep_plan(record, assessment)
    window = _window(qtbot, record, example_raw["patient"]["mrn"])
    assert "open her plan, choose an option and sign it" in window.state.text()
    assert window.open_plan_button.isVisibleTo(window)
    with qtbot.waitSignal(window.plan_wanted, timeout=5000):
        window.open_plan_button.click()
    wait_for_all()


def test_an_error_with_an_apostrophe_reads_as_words(qtbot, record, decided):
    window = _window(qtbot, record, decided["patient"]["mrn"])
    assert window.status.textFormat() == Qt.TextFormat.RichText  # "plan&#x27;s" renders as "plan's"
    window.started_on.setDate(window.started_on.date().addYears(-5))
    window.start_button.click()
    assert "before the plan&#x27;s assessment" in window.status.text()
    wait_for_all()


def test_a_side_effect_row_fits_its_panel_at_1366_by_768(qtbot, record, decided):
    window = _window(qtbot, record, decided["patient"]["mrn"])
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.started_on.setDate(window.started_on.date())
    window.cycle_days.setValue(21)
    window.start_button.click()
    row = window.entry.add_effect()
    row.term.setCurrentIndex(row.term.findData(HFS))
    row.worst.setCurrentIndex(row.worst.findData(2))
    row.current.setCurrentIndex(row.current.findData(1))
    qtbot.wait(50)
    # the entry page scrolls: what counts is its visible width, not the grown group box
    page = window.entry
    right = row.remove.mapTo(page, QPoint(row.remove.width(), 0)).x()
    assert right <= page.width(), (right, page.width())
    assert window.width() <= 1366
    header = window.entry.effects_grid.itemAtPosition(0, 2).widget()
    assert row.current.width() >= header.sizeHint().width()
    assert row.current.width() >= row.current.fontMetrics().horizontalAdvance("Grade now")
    window._timer.stop()
    wait_for_all()
