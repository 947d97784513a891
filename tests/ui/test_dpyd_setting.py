"""The DPYD test before capecitabine is a clinic setting (issue 16): the dialog shows both
positions with their labels, and what is chosen is what the plan applies."""

from __future__ import annotations

from planner.services import clinic_settings
from planner.ui.settings_dialog import ClinicSettingsDialog


def test_the_dialog_offers_both_labels_and_keeps_the_choice(qtbot, record):
    record.sign_in_as("Nurse Priya")
    assert clinic_settings.save(record, {"labels": "us"}) == []
    dialog = ClinicSettingsDialog(record)
    qtbot.addWidget(dialog)
    box = dialog.choices["start_tests.dpyd"]
    shown = [box.itemText(i) for i in range(box.count())]
    assert any("EU SmPC" in t and "(default)" in t for t in shown), shown
    assert any("US label" in t for t in shown), shown
    assert box.currentData() == "required"
    assert "EU SmPC" in box.toolTip()
    assert "US" in box.toolTip()
    box.setCurrentIndex(box.findData("advised"))
    dialog.save()
    assert clinic_settings.of_record(record).start_tests == {"dpyd": "advised"}
    again = ClinicSettingsDialog(record)
    qtbot.addWidget(again)
    assert again.choices["start_tests.dpyd"].currentData() == "advised"
