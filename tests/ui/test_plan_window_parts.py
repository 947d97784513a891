"""The plan window's parts and the clinic phone (nurse's report, issue 16): "Patient booklet
only" printed the referral slips too; with no clinic phone set nothing warned that the booklet
would have no number."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from planner.services import kept_plans
from planner.ui.background import wait_for_all
from planner.ui.plan_view import PlanView


def _texts(pdf: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def plan_id(record, example_raw):
    assessment = record.import_case(example_raw).assessment_id
    return kept_plans.make_and_keep_plan(record, assessment).plan_id


def _open(qtbot, record, plan_id):
    view = PlanView(record, plan_id)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.ready, timeout=30000)
    return view


def _choose(qtbot, view, audience):
    view.audience.setCurrentIndex(view.audience.findData(audience))
    qtbot.waitUntil(
        lambda: view.shown is not None and view.shown.audience == audience, timeout=30000
    )
    return _texts(view.pdf_bytes)


def test_booklet_only_is_the_booklet_alone_and_the_slips_are_their_own_part(qtbot, record, plan_id):
    view = _open(qtbot, record, plan_id)
    labels = [view.audience.itemText(i) for i in range(view.audience.count())]
    assert "Referral slips" in labels
    booklet = _choose(qtbot, view, "booklet")
    assert booklet
    assert not any("Referral to" in page for page in booklet)
    assert not any("Clinician section" in page for page in booklet)
    slips = _choose(qtbot, view, "slips")
    referrals = record.plan(plan_id).plan["referrals"]
    assert sum(page.count("Referral to") for page in slips) == len(referrals)
    assert len(slips) < len(referrals)  # two to a page
    assert all("Referral to" in page for page in slips)
    whole = _choose(qtbot, view, "both")  # the default print: no slips unless asked
    assert not any("Referral to" in page for page in whole)
    wait_for_all()


def test_no_clinic_phone_is_warned_before_saving_or_printing(qtbot, record, plan_id):
    record.set_clinic_settings({"clinic_phone": ""})
    view = _open(qtbot, record, plan_id)
    assert not view.no_phone.isHidden()
    assert view.no_phone.text() == (
        "No clinic phone is set: the booklet will have blank lines to write it in. "
        "Set it in Clinic settings."
    )
    wait_for_all()
    record.set_clinic_settings({"clinic_phone": "+998 71 200 00 00"})
    view = _open(qtbot, record, plan_id)
    assert view.no_phone.isHidden()
    wait_for_all()
