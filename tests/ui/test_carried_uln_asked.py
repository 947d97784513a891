"""walk24 #5: a follow-up opens with her last lab's ULNs; a stale ULN of another lab, unit
unchanged, was kept silently. A carried ULN is shown as such and asked on Next, once, where a
result is typed beside it; one typed from today's report is not asked."""

from __future__ import annotations

import pytest

from planner.ui.wizard.assessment_wizard import AssessmentWizard


@pytest.fixture
def page(qtbot, record):
    wizard = AssessmentWizard(record)
    qtbot.addWidget(wizard)
    page = wizard.labs_page
    for name, unit in (("bilirubin", "umol/L"), ("ast", "U/L")):
        row = page.rows[name]
        row.unit.setCurrentIndex(row.unit.findData(unit))
    page.carry_ulns({"bilirubin": (21.0, "umol/L"), "ast": (40.0, "U/L")})
    yield page
    wizard._draft_timer.stop()


def _type(edit, text):
    edit.setText(text)
    edit.textEdited.emit(text)


def test_a_carried_uln_beside_todays_result_is_asked_once(page, monkeypatch):
    bilirubin = page.rows["bilirubin"]
    assert bilirubin.uln.text() == "21"
    assert bilirubin.uln.styleSheet()  # shown as not today's
    _type(bilirubin.value, "35")
    asked: list[str] = []
    monkeypatch.setattr(page, "ask_carried_ulns", lambda listed: asked.append(listed) or False)
    assert page.carried_ulns_confirmed() is False  # "Check today's report" stays
    assert "Bilirubin (total) 21 µmol/L" in asked[0]
    assert "AST" not in asked[0]  # no AST typed today: nothing stands on its ULN
    monkeypatch.setattr(page, "ask_carried_ulns", lambda listed: True)
    assert page.carried_ulns_confirmed() is True
    monkeypatch.setattr(page, "ask_carried_ulns", lambda listed: pytest.fail("asked twice"))
    assert page.carried_ulns_confirmed() is True


def test_a_uln_typed_from_todays_report_is_not_asked(page, monkeypatch):
    bilirubin = page.rows["bilirubin"]
    _type(bilirubin.value, "35")
    _type(bilirubin.uln, "17")
    assert not bilirubin.uln.styleSheet()
    monkeypatch.setattr(page, "ask_carried_ulns", lambda listed: pytest.fail(listed))
    assert page.carried_ulns_confirmed() is True
