"""Rule 6 on the cycle-review form: a CTCAE plain description or grade definition not yet checked
against CTCAE v5.0 itself is shown to the nurse as UNVERIFIED, in the list she picks from."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from planner.services import course_views
from planner.ui.cycle_entry import CycleEntryPage


def test_every_unverified_term_and_grade_says_so(qtbot):
    page = CycleEntryPage()
    qtbot.addWidget(page)
    effect = page.add_effect()
    terms = {t.term: t for t in course_views.recordable_terms()}
    assert terms, "the form offers the CTCAE terms"
    for i in range(1, effect.term.count()):
        term = terms[effect.term.itemData(i)]
        assert effect.term.itemText(i).endswith("(UNVERIFIED)") == (not term.verified)
        effect.term.setCurrentIndex(i)
        # the first is "(choose the worst grade)": no grade until one is chosen (walk 21 H1)
        assert effect.worst.itemData(0) is None
        grades = [effect.worst.itemText(j) for j in range(1, effect.worst.count())]
        assert len(grades) == len(term.defined_grades())
        for text in grades:
            assert text.endswith("(UNVERIFIED)") == (not term.verified)
    if any(not t.verified for t in terms.values()):
        shown = " ".join(label.text() for label in page.findChildren(QLabel))
        assert "UNVERIFIED: the side effects and grades marked so" in shown
