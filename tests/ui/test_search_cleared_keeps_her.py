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
