"""The cycle sheet's reasons in clinician words: an independent reviewer read
"palmar plantar erythrodysesthesia … (treatment.toxicities[0])" on the printed sheet."""

from __future__ import annotations

from planner.domain.plan_document import read_next_cycle
from planner.reports import cycle_sheet, styles
from planner.reports.citations import References


def test_a_reason_names_no_field_path():
    suggested = {
        "drugs": [
            {
                "drug": "capecitabine",
                "reasons": ["hand-foot syndrome grade 2 (treatment.toxicities[0]): interrupt"],
                "basis": [],
                "dose": None,
            }
        ],
        "notes": ["graded from (labs.anc)"],
    }
    flowables = cycle_sheet._reasons(
        read_next_cycle(suggested),
        read_next_cycle({"drugs": [{"drug": "capecitabine", "dose": None}]}),
        "confirmed",
        References([]),
        styles.clinician_styles(),
    )
    printed = " ".join(f.getPlainText() for f in flowables if hasattr(f, "getPlainText"))
    assert "hand-foot syndrome grade 2" in printed
    assert "treatment.toxicities" not in printed
    assert "labs.anc" not in printed
