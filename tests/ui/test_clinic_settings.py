"""Clinic settings: the dialog offers exactly the documented choices where sources disagree, checks
through services before saving, and a stored value the services refuse (an older build's DT 5)
is named to the nurse with the dialog one click away — never a crash, never a stand-in value."""

from __future__ import annotations

import pytest

from planner.domain.settings import ClinicSettings
from planner.services import clinic_settings, kept_plans, rule_tables
from planner.ui import settings_dialog
from planner.ui.main_window import MainWindow
from planner.ui.record_view import RecordView
from planner.ui.settings_dialog import ClinicSettingsDialog, usable_settings


@pytest.fixture
def dialog(qtbot, record):
    shown = ClinicSettingsDialog(record)
    qtbot.addWidget(shown)
    return shown


def _items(box):
    return [(box.itemText(i), box.itemData(i)) for i in range(box.count())]


def _rows(options_from, kind="rule_choice"):
    return [
        row
        for row in clinic_settings.settings_table().rows
        if row.options_from == options_from and row.kind == kind
    ]


def test_every_instrument_disagreement_offers_exactly_the_table_options(dialog):
    tables = rule_tables.rules().instruments
    for row in _rows("instruments"):
        rule = tables.setting(row.name)
        items = _items(dialog.choices[row.key])
        assert [data for _, data in items] == list(rule.options), row.key
        assert [text.removesuffix(" (default)") for text, _ in items] == [
            row.words[o] for o in rule.options
        ]
        marked = [data for text, data in items if text.endswith("(default)")]
        assert marked == [rule.default], row.key
    settings_names = {row.name for row in _rows("instruments")}
    assert settings_names == set(ClinicSettings().instrument_settings(tables).names())


def test_distress_cutoff_is_4_nccn_by_default_or_3_onf(dialog):
    assert _items(dialog.distress_cutoff) == [
        ("4 or more — NCCN guideline (default)", "nccn"),
        ("3 or more — ONF study (2017)", "onf"),
    ]
    assert dialog.distress_cutoff.currentData() == "nccn"
    assert dialog.child_pugh_albumin.currentData() == "pugh_1973"


def test_supportive_disagreements_offer_the_table_options(dialog):
    tables = rule_tables.rules().supportive
    for row in _rows("supportive"):
        setting = tables.settings[row.name]
        items = _items(dialog.choices[row.key])
        assert [data for _, data in items] == list(setting.options)
        assert [d for t, d in items if t.endswith("(default)")] == [setting.default]
    (band,) = _rows("supportive", "band_pair")
    pain = _items(dialog.pain_bands)
    assert [" ".join(map(str, d)) for _, d in pain] == list(band.options)
    defaults = [int(tables.settings[k].default) for k in band.keys]
    assert [d for t, d in pain if t.endswith("(default)")] == [defaults]


def test_the_dialog_says_the_choice_is_recorded_in_every_plan(dialog):
    from PySide6.QtWidgets import QLabel

    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert any("recorded in every plan" in text for text in texts)


def test_choices_are_saved_and_recorded_in_the_plan(dialog, record, example_raw):
    dialog.distress_cutoff.setCurrentIndex(dialog.distress_cutoff.findData("onf"))
    hads = dialog.choices["instrument_settings.hads_bands"]
    hads.setCurrentIndex(hads.findData("four_band"))
    itch = dialog.choices["supportive.itch_ladder"]
    itch.setCurrentIndex(itch.findData("bsg"))
    dialog.pain_bands.setCurrentIndex(1)
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    stored = record.clinic_settings()
    assert stored["distress_cutoff"] == "onf"  # written by the codec as the option's name
    assert stored["instrument_settings"]["hads_bands"] == "four_band"
    assert stored["supportive"]["itch_ladder"] == "bsg"
    assert (stored["supportive"]["pain_moderate_min"], stored["supportive"]["pain_severe_min"]) == (
        5,
        8,
    )
    assessment = record.import_case(example_raw).assessment_id
    plan_id = kept_plans.make_and_keep_plan(record, assessment).plan_id
    settings = record.plan(plan_id).plan["settings"]
    assert settings["instruments"]["distress_cutoff"] == "onf"
    assert settings["instruments"]["hads_bands"] == "four_band"
    assert settings["supportive"]["itch_ladder"] == "bsg"
    assert settings["supportive"]["pain_moderate_min"] == 5


def test_settings_not_shown_in_the_dialog_are_kept(qtbot, record):
    record.set_clinic_settings({"supportive": {"phq9_moderate_min": 12}})
    shown = ClinicSettingsDialog(record)
    qtbot.addWidget(shown)
    shown.save()
    assert record.clinic_settings()["supportive"]["phq9_moderate_min"] == 12


def test_an_invalid_stored_value_is_shown_beside_its_field_and_never_replaced(qtbot, record):
    record.set_clinic_settings({"distress_cutoff": 5})
    shown = ClinicSettingsDialog(record)
    qtbot.addWidget(shown)
    shown.show()
    assert shown.distress_cutoff.currentData() == 5
    assert "not offered" in shown.distress_cutoff.currentText()
    message = shown.messages["distress_cutoff"]
    assert message.isVisible()
    assert "5 is not one of" in message.text()
    shown.save()  # nothing chosen yet: refused, the record keeps what it had
    assert shown.result() != shown.DialogCode.Accepted
    assert record.clinic_settings()["distress_cutoff"] == 5
    shown.distress_cutoff.setCurrentIndex(shown.distress_cutoff.findData("nccn"))
    shown.save()
    assert shown.result() == shown.DialogCode.Accepted
    assert not shown.messages["distress_cutoff"].isVisible()
    assert clinic_settings.check_clinic_settings(record.clinic_settings()) == []


def test_a_refused_instrument_option_is_shown_beside_its_own_box(qtbot, record):
    record.set_clinic_settings({"instrument_settings": {"hads_bands": "five_band"}})
    shown = ClinicSettingsDialog(record)
    qtbot.addWidget(shown)
    shown.show()
    hads = shown.choices["instrument_settings.hads_bands"]
    assert hads.currentData() == "five_band"
    assert "'five_band' is not one of" in shown.messages["instrument_settings.hads_bands"].text()
    assert not shown.general.isVisible()
    hads.setCurrentIndex(hads.findData("four_band"))
    shown.save()
    assert record.clinic_settings()["instrument_settings"]["hads_bands"] == "four_band"


@pytest.fixture
def told(monkeypatch):
    """Replaces the message box: records what the nurse was told, answers `answer[0]`."""
    calls = []
    answer = [False]

    def confirm(parent, problems):
        calls.append([(settings_dialog.setting_name(p.path), p.message) for p in problems])
        return answer[0]

    monkeypatch.setattr(settings_dialog, "confirm_fix_settings", confirm)
    return calls, answer


def test_opening_the_wizard_with_an_invalid_setting_names_it_and_opens_nothing(
    qtbot, record, ui_settings, told
):
    calls, _ = told
    record.set_clinic_settings({"distress_cutoff": 5})
    window = MainWindow(record, ui_settings)
    qtbot.addWidget(window)
    assert window.open_wizard({}, known=False) is None
    assert window.wizard is None
    assert calls == [[("Distress thermometer cut-off", "5 is not one of 4 (nccn), 3 (onf)")]]


def test_fixing_the_setting_from_the_message_carries_on_to_the_wizard(
    qtbot, record, ui_settings, told, monkeypatch
):
    calls, answer = told
    answer[0] = True
    record.set_clinic_settings({"distress_cutoff": 5})

    def nurse_chooses_3(cls, parent, opened):
        opened.set_clinic_settings({**opened.clinic_settings(), "distress_cutoff": 3})
        return True

    monkeypatch.setattr(ClinicSettingsDialog, "ask", classmethod(nurse_chooses_3))
    window = MainWindow(record, ui_settings)
    qtbot.addWidget(window)
    wizard = window.open_wizard({}, known=False)
    qtbot.addWidget(wizard)
    assert wizard is not None
    assert len(calls) == 1
    assert wizard.settings.instrument_choices["distress_cutoff"] == "onf"
    wizard._draft_timer.stop()
    wizard.close()


def test_making_a_plan_with_an_invalid_setting_keeps_no_plan(qtbot, record, example_raw, told):
    calls, _ = told
    assessment = record.import_case(example_raw).assessment_id
    record.set_clinic_settings({"distress_cutoff": 5})
    view = RecordView(record)
    qtbot.addWidget(view)
    view.show_patient(example_raw["patient"]["mrn"])
    view.make_plan()  # no exception
    assert record.plans_for(assessment) == []
    assert calls
    assert calls[0][0][0] == "Distress thermometer cut-off"


def test_usable_settings_is_quiet_when_the_settings_are_sound(record, told):
    calls, _ = told
    settings = usable_settings(None, record)
    assert settings.instrument_settings(rule_tables.rules().instruments).distress_cutoff == "nccn"
    assert calls == []


def test_anthracycline_factors_offer_exactly_the_table_options(dialog):
    equivalents = rule_tables.rules().hard_limits.equivalents
    for setting in _rows("hard_limits"):
        if setting.section != "anthracycline_factors":
            continue  # a start test (tests/ui/test_dpyd_setting.py)
        drug = setting.name
        row = equivalents[drug]
        items = _items(dialog.factors[drug])
        assert [data for _, data in items] == list(row.offered)
        marked = [data for text, data in items if text.endswith("(default)")]
        assert marked == [row.default]
        assert dialog.factors[drug].currentData() == row.default


def test_hard_limit_settings_are_saved_and_used_in_the_plan(dialog, record, example_raw):
    """Issue #15: the anthracycline factor and the crisis meaningful rise are clinic settings."""
    box = dialog.factors["epirubicin"]
    box.setCurrentIndex(box.findData(0.67))
    dialog.crisis_rise.set_json_value(25)
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    stored = record.clinic_settings()
    assert stored["anthracycline_factors"] == {"epirubicin": 0.67}
    assert stored["crisis_rise_percent"] == 25
    assessment = record.import_case(example_raw).assessment_id
    plan_id = kept_plans.make_and_keep_plan(record, assessment).plan_id
    settings = record.plan(plan_id).plan["settings"]
    assert settings["anthracycline_factors"] == {"epirubicin": 0.67}
    assert settings["crisis_rise_percent"] == 25


def test_a_crisis_rise_outside_its_bounds_is_refused(dialog, record):
    dialog.crisis_rise.set_json_value(2)
    dialog.save()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert record.clinic_settings().get("crisis_rise_percent") is None


def test_a_stored_setting_the_dialog_does_not_show_is_kept_on_save(qtbot, record):
    choice = {"gemcitabine_day8_with_carboplatin": "breast_with_paclitaxel"}
    record.set_clinic_settings({"cycle_choices": choice, "mrn_rule": {"case": "upper"}})
    shown = ClinicSettingsDialog(record)
    qtbot.addWidget(shown)
    shown.save()
    assert shown.result() == shown.DialogCode.Accepted
    assert record.clinic_settings()["cycle_choices"] == choice
    assert record.clinic_settings()["mrn_rule"] == {"case": "upper"}
