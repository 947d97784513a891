"""walk23 #11 (the part fixwalk23b left): on the medicines page the columns changed width as
each line was validated ("confirmed", "not accepted — see below", "from last visit — confirm":
s38/s42), and an allergy line grew when its state sentence or its error text did, moving the
lines below under the nurse's next click (s50). The state column has a width of its own and the
fields share the rest by fixed stretches; each line keeps room for a two-line state and one
message line."""

from __future__ import annotations

from planner.ui.wizard.pages.medicines import (
    CARRIED_WORDS,
    CONFIRMED_WORDS,
    NOT_ACCEPTED_WORDS,
    MedicinesPage,
)


def _page(qtbot, record):
    from planner.ui.wizard.assessment_wizard import AssessmentWizard

    wizard = AssessmentWizard(record, {"patient": {"mrn": "W-11", "family_name": "K"}})
    qtbot.addWidget(wizard)
    wizard.resize(1300, 740)
    wizard.show()
    wizard.go_to_page("MedicinesPage")
    qtbot.waitExposed(wizard)
    page = wizard._page(MedicinesPage)
    page.add_medicine_line()
    page.add_allergy_line()
    page.add_allergy_line()
    return wizard, page


def _settle(qtbot) -> None:
    for _ in range(5):
        qtbot.wait(10)


def test_the_medicine_columns_keep_their_widths_as_lines_are_validated(qtbot, record):
    wizard, page = _page(qtbot, record)
    first, second = page.medicine_lines[:2]

    def geometry() -> list[tuple[int, int]]:
        _settle(qtbot)
        return [(w.x(), w.width()) for w in first.inputs]

    first.state.setText("")
    second.state.setText("")
    before = geometry()
    for words in (CONFIRMED_WORDS, NOT_ACCEPTED_WORDS, CARRIED_WORDS):
        second.state.setText(words)
        assert geometry() == before, words
    wizard._draft_timer.stop()


def test_an_allergy_line_below_does_not_move_as_the_line_above_is_read(qtbot, record):
    wizard, page = _page(qtbot, record)
    above, below = page.allergy_lines[:2]
    field = below.inputs[0]

    def top() -> int:
        _settle(qtbot)
        return field.mapTo(page, field.rect().topLeft()).y()

    above.state.setText("")
    before = top()
    above.state.setText("checked: paclitaxel and carboplatin")
    assert top() == before
    above.state.setText(
        "not checked — the line says 'no known drug allergies' while other lines name one"
    )
    assert top() == before
    wizard._draft_timer.stop()
