"""Clearing the search box never leaves another patient selected beside the open record
(independent re-check: Verma's record open, Abdullayeva selected, and "New assessment of the
selected patient" assessed Abdullayeva)."""

from __future__ import annotations

from planner.ui.main_window import MainWindow


def _patient(mrn: str, family: str) -> dict:
    return {
        "mrn": mrn,
        "family_name": family,
        "given_name": "A",
        "birth_date": "1960-01-01",
        "sex": "female",
    }


def test_the_open_patient_stays_the_selected_one(qtbot, record):
    for mrn, family in (("A-1", "Abdullayeva"), ("B-2", "Bakirova"), ("V-3", "Verma")):
        record.add_patient(_patient(mrn, family))
    window = MainWindow(record)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.search.setText("Verma")
    window.apply_search()
    window.open_patient("V-3")
    assert window.selected_mrn() == "V-3"
    window.search.setText("")
    window.apply_search()
    assert window.record_view is not None
    assert window.record_view.mrn == "V-3"
    assert window.selected_mrn() in ("V-3", None)  # hers, or none: never Abdullayeva's


def test_at_start_up_nobody_is_selected_until_she_chooses(qtbot, record):
    # walk 20 F1: row 0 was selected at start-up, and "New assessment of the selected patient"
    # opened Abdullayeva, whom nobody had chosen
    for mrn, family in (("A-1", "Abdullayeva"), ("B-2", "Bakirova")):
        record.add_patient(_patient(mrn, family))
    window = MainWindow(record)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.selected_mrn() is None
    started: list[str | None] = []
    window.start_assessment = started.append  # type: ignore[method-assign]
    window.assess_action.trigger()  # "New assessment of the selected patient", nobody selected
    assert started == []
    assert "Select a patient" in window.statusBar().currentMessage()
    window.search.setText("Bakir")  # the search runs on its timer, as typed
    qtbot.waitUntil(lambda: window.selected_mrn() == "B-2")  # the first match of what she typed
