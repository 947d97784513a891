"""Walk 21 F10: the course review's count boxes follow Clinic settings (per µL), as the
wizard's do; the case keeps × 10⁹/L."""

from __future__ import annotations

from tests.ui.test_course_window_leftovers19 import closing, course_window  # noqa: F401


def test_the_review_offers_counts_in_the_clinic_s_unit(
    qtbot,
    record,
    example_raw,
    closing,  # noqa: F811
):
    """Walk 21 F10: the review's count boxes follow Clinic settings (per µL), as the wizard's."""
    record.set_clinic_settings({"units": {"anc": "/uL", "platelets": "/uL"}})
    window = course_window(qtbot, record, example_raw, bevacizumab=False)
    closing(window)
    row = window.entry.rows["anc"]
    assert row.unit.currentData() == "/uL"
    row.value.setText("2100")
    assert row.read() == {"value": 2.1, "unit": "10^9/L"}
