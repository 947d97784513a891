"""walk24 #10, keyboard only: Tab from "Add a medicine" went to Back and Next, skipping "No
known drug allergies"; Alt+S on the first-run Expert tab went to "PHQ-2 positive screen"."""

from __future__ import annotations

import copy

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from planner.ui.mnemonics import labelled, mnemonic
from planner.ui.settings_dialog import ClinicSettingsDialog
from planner.ui.wizard.assessment_wizard import AssessmentWizard
from planner.ui.wizard.pages.medicines import MedicinesPage


def test_tab_from_add_a_medicine_reaches_no_known_drug_allergies(qtbot, record, example_raw):
    start = copy.deepcopy(example_raw)
    start["medications"] = None
    wizard = AssessmentWizard(record, start)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.go_to_page("MedicinesPage")
    page = wizard._page(MedicinesPage)
    page.add_medicine_line()
    page.add_allergy_line()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    page.add_medicine_button.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.add_medicine_button)
    qtbot.keyClick(page.add_medicine_button, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.no_allergies
    qtbot.keyClick(page.no_allergies, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.allergy_lines[0].inputs[0]
    wizard._draft_timer.stop()


def test_alt_s_is_save_on_every_tab_of_the_settings(qtbot, record):
    dialog = ClinicSettingsDialog(record)
    qtbot.addWidget(dialog)
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    assert mnemonic(save.text()) == "s"
    others = [w for w in labelled(dialog) if w is not save and mnemonic(w.text()) == "s"]
    assert others == [], [w.text() for w in others]
