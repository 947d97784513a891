"""Issue 19 leftover 5: a side effect is named in words wherever the review says why — on the
screen, on the sheet and in the override's second question — never by its field path
("treatment.toxicities[0]")."""

from __future__ import annotations

from planner.domain.treatment_course import DecidedDrug
from planner.services import treatment_courses as courses
from tests.cycle.conftest import drug_of


def test_the_override_question_names_the_side_effect_in_words(review, tox):
    """Capecitabine with diarrhoea grade 3, now grade 2 (Xeloda USPI §2.4: interrupt until grade
    0–1): held. Giving it anyway asks again, in words."""
    next_cycle = review(
        "capecitabine",
        {"capecitabine": (1000, 1000, "mg/m2")},
        toxicities=[tox("diarrhea", 3, 2, occurrence=1)],
    )
    assert drug_of(next_cycle, "capecitabine")["action"] == "hold"
    (question,) = courses.label_stops_given(
        next_cycle, (DecidedDrug("capecitabine", "continue", 1000),)
    )
    assert "entered side effect 1: diarrhoea grade 3, occurrence 1" in question
    assert "treatment.toxicities" not in question
    assert not any(
        "treatment.toxicities" in r for r in drug_of(next_cycle, "capecitabine")["reasons"]
    )


def test_a_nurse_grade_beside_the_laboratory_s_is_said_in_words(review, tox):
    next_cycle = review(
        "capecitabine",
        {"capecitabine": (1000, 1000, "mg/m2")},
        labs={"anc": 1.2},
        toxicities=[tox("neutrophil_count_decreased", 1, 1, occurrence=1)],
    )
    (note,) = next_cycle["notes"]
    assert "current grade 1 from entered side effect 1" in note
    assert "labs.anc" not in note
    assert "treatment.toxicities" not in note
