"""The main window's search box (issue 20): the clinics' spellings find their patient, an empty
result says so in words, and Down/Enter move through the results without the mouse."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from planner.ui.main_window import MainWindow

PEOPLE = [
    ("TAS-1-000123", "Oʻrinova", "Dilnoza"),
    ("MSK-1-000002", "Каримова", "Ольга"),
    ("IST-1-000009", "Yıldız", "Ayşe"),
    ("TAS-1-000124", "Musayeva", "Gulnora"),
]


@pytest.fixture
def window(qtbot, record, ui_settings):
    for mrn, family, given in PEOPLE:
        record.add_patient(
            {"mrn": mrn, "family_name": family, "given_name": given, "sex": "female"}
        )
    shown = MainWindow(record, ui_settings)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def typed(qtbot, window, text):
    window.search.setText(text)  # as typed (QTest cannot type ʻ or Cyrillic offscreen)
    window._search_timer.stop()  # the window's own typing delay: searched at once instead
    window.apply_search()
    model = window.table.model()
    return [model.mrn_at(row) for row in range(model.rowCount())]


@pytest.mark.parametrize(
    ("text", "mrn"),
    [
        ("o'rinova", "TAS-1-000123"),
        ("O`rinova", "TAS-1-000123"),
        ("Ўринова", "TAS-1-000123"),
        ("karimova", "MSK-1-000002"),
        ("YILDIZ", "IST-1-000009"),
        ("musaeva", "TAS-1-000124"),
        ("tas1000124", "TAS-1-000124"),
    ],
)
def test_the_clinics_spellings_find_the_patient(qtbot, window, text, mrn):
    assert typed(qtbot, window, text) == [mrn]


def test_no_match_is_said_in_words(qtbot, window):
    assert typed(qtbot, window, "zzzz") == []
    assert window.detail_hint.text().startswith("No patient matches “zzzz”")


def test_down_moves_into_the_results_and_enter_opens_the_record(qtbot, window):
    typed(qtbot, window, "tas")
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    assert window.table.hasFocus()
    assert window.selected_mrn() == "TAS-1-000124"  # Musayeva before Oʻrinova
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    assert window.selected_mrn() == "TAS-1-000123"
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert window.record_view is not None
    assert window.record_view.mrn == "TAS-1-000123"
