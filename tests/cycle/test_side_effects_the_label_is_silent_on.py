"""misc22 (walk 21 F14): no CTCAE term for constipation, though vinorelbine's label warns of
severe constipation; and a side effect no row of a label names read as "give, the same dose"
with no reason (fatigue grade 3 on vinorelbine: `reasons: []`). Constipation, anorexia, acneiform
rash and alopecia are terms now, with CTCAE v5 grades in words, in the labels' "other toxicity"
rows; an entered side effect no row names is said on the drug's row, and at a grade CTCAE calls
severe (3 and above) the review does not decide that drug (rule 2: a gap is never a decision)."""

from __future__ import annotations

import pytest

from planner.domain.case import TOXICITY_TERMS
from planner.services import course_views
from tests.cycle.conftest import drug_of

VINORELBINE = {"vinorelbine": (25, 25, "mg/m2")}
CAPECITABINE = {"capecitabine": (1250, 1250, "mg/m2")}


def test_the_side_effect_list_has_the_nurse_s_terms_with_their_grades():
    terms = {t.term: t for t in course_views.recordable_terms()}
    assert set(terms) == set(TOXICITY_TERMS)
    constipation = terms["constipation"]
    assert constipation.plain.startswith("Constipation")
    assert constipation.grades[2] == (
        "Obstipation with manual evacuation indicated; limiting self care ADL"
    )
    assert terms["anorexia"].grades[1].startswith("Oral intake altered without significant")
    assert terms["rash_acneiform"].grades[0].startswith("Papules and/or pustules covering <10% BSA")
    assert terms["alopecia"].grades[2:] == ("", "", "")  # CTCAE has no grade 3-5 for it


@pytest.mark.parametrize("term", ["constipation", "fatigue", "anorexia"])
def test_a_severe_side_effect_no_row_of_the_label_names_is_not_decided(review, tox, term):
    next_cycle = review("vinorelbine", VINORELBINE, toxicities=[tox(term, 3, 3, occurrence=1)])
    drug = drug_of(next_cycle, "vinorelbine")
    assert next_cycle["decision"] == "insufficient_data"
    assert drug["action"] == "insufficient_data"
    assert drug["dose"] is None
    assert drug["reasons"][-1].endswith(
        "severe (grade 3 or above), and no row of vinorelbine's label dose changes names it: "
        "the clinician decides this cycle — no dose is printed"
    )
    assert any(g["field"] == "treatment.toxicities[0]" for g in next_cycle["plan"]["gaps"])
    assert {
        "rule": "instr.ctcae.severe",
        "source": "instr.src.ctcae-v5-grades",
        "verified": False,
    } in drug["basis"]


def test_a_milder_one_keeps_the_dose_and_says_why(review, tox):
    next_cycle = review("vinorelbine", VINORELBINE, toxicities=[tox("constipation", 2, 2)])
    drug = drug_of(next_cycle, "vinorelbine")
    assert next_cycle["decision"] == "give"
    assert drug["dose"] == {"value": 25.0, "unit": "mg/m2"}
    assert (
        "vinorelbine: entered side effect 1: constipation grade 2 — no row of vinorelbine's "
        "label dose changes names it: the dose is not changed for it; the clinician judges it"
    ) in drug["reasons"]


@pytest.mark.parametrize(
    ("put_down_to", "paclitaxel_action"), [("bevacizumab", "continue"), (None, "insufficient_data")]
)
def test_a_side_effect_put_down_to_another_drug_is_not_this_one_s(
    review, tox, put_down_to, paclitaxel_action
):
    next_cycle = review(
        "paclitaxel_bevacizumab",
        {"paclitaxel": (90, 90, "mg/m2"), "bevacizumab": (10, 10, "mg/kg")},
        toxicities=[tox("constipation", 3, 3, drug=put_down_to)],
    )
    paclitaxel = drug_of(next_cycle, "paclitaxel")
    assert paclitaxel["action"] == paclitaxel_action
    assert any("constipation" in r for r in paclitaxel["reasons"]) is (put_down_to is None)


def test_the_counts_are_read_from_the_results_not_as_a_silent_label(review, tox):
    """Vinorelbine's neutrophil rows test the day's count, not the term: an entered grade 3 is
    weighed with the result, never 'no row names it'."""
    next_cycle = review(
        "vinorelbine",
        VINORELBINE,
        labs={"anc": 0.8},
        toxicities=[tox("neutrophil_count_decreased", 3, 3)],
    )
    drug = drug_of(next_cycle, "vinorelbine")
    assert drug["action"] == "hold"
    assert not any("names it" in r for r in drug["reasons"])


def test_capecitabine_s_table_covers_every_toxicity_and_now_constipation(review, tox):
    """XELODA §2.4's table is for any toxicity: constipation and anorexia grade 2 (first
    appearance) interrupt until grade 0-1, then the same dose."""
    for term in ("constipation", "anorexia", "rash_acneiform"):
        next_cycle = review(
            "capecitabine", CAPECITABINE, toxicities=[tox(term, 2, 2, occurrence=1)]
        )
        drug = drug_of(next_cycle, "capecitabine")
        assert drug["action"] == "hold", term
        assert not any("names it" in r for r in drug["reasons"]), term


def test_alopecia_never_changes_a_dose_and_says_so(review, tox):
    next_cycle = review("capecitabine", CAPECITABINE, toxicities=[tox("alopecia", 2, 2)])
    drug = drug_of(next_cycle, "capecitabine")
    assert drug["action"] == "continue"
    assert (
        "capecitabine: entered side effect 1: hair loss (alopecia) grade 2 — no row of "
        "capecitabine's label dose changes names it: the dose is not changed for it; the "
        "clinician judges it"
    ) in drug["reasons"]
