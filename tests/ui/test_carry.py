"""The rule the wizard writes a case back by (planner.ui.wizard.carry): the pages' fields over the
document as loaded. Pure data in, data out: no Qt needed."""

from __future__ import annotations

from planner.ui.wizard.carry import Ownership, rebuild

LINES = Ownership.of(
    (
        "patient.mrn",
        "disease.prior_therapy[0].drugs",
        "disease.prior_therapy[1].drugs",
        "disease.prior_therapy[2].drugs",
    ),
    ("disease.prior_therapy",),
)


def test_a_field_no_page_shows_is_kept_exactly():
    loaded = {"patient": {"mrn": "A-1", "language": "uz"}, "allergies": [{"substance": "x"}]}
    entered = {"patient": {"mrn": "A-2"}}
    assert rebuild(loaded, entered, LINES) == {
        "patient": {"mrn": "A-2", "language": "uz"},
        "allergies": [{"substance": "x"}],
    }


def test_a_shown_field_takes_the_page_value_whole():
    owned = Ownership.of(("labs.bilirubin",))
    loaded = {"labs": {"bilirubin": {"value": 35, "unit": "umol/L", "uln": 21}}}
    entered = {"labs": {"bilirubin": {"value": 40, "unit": "umol/L"}}}
    # the ULN the nurse cleared is gone: the whole result is the page's
    assert rebuild(loaded, entered, owned) == entered


def test_a_field_the_page_cleared_and_left_out_is_gone():
    owned = Ownership.of(("labs.bilirubin", "labs.ast"))
    loaded = {"labs": {"bilirubin": {"value": 35}, "ast": {"value": 50}, "lactate": 2}}
    assert rebuild(loaded, {"labs": {"bilirubin": {"value": 35}}}, owned) == {
        "labs": {"bilirubin": {"value": 35}, "lactate": 2}
    }


def test_blank_stays_in_its_loaded_form_and_absent_shown_fields_become_null():
    owned = Ownership.of(("previous_labs[0].drawn_on", "qol.fact_b.x", "disease.brain"))
    loaded = {"previous_labs": [], "qol": {"fact_b": None}, "disease": {}}
    entered = {"previous_labs": None, "qol": None, "disease": {"brain": None}}
    assert rebuild(loaded, entered, owned) == {
        "previous_labs": [],
        "qol": {"fact_b": None},
        "disease": {"brain": None},
    }


def test_a_part_the_page_left_blank_is_not_recorded_when_nothing_hidden_is_there():
    owned = Ownership.of(("qol.c30.q1", "qol.c30.q2"))
    loaded = {"qol": {"c30": {"q1": 2, "q2": 3}}}
    assert rebuild(loaded, {"qol": {"c30": None}}, owned) == {"qol": {"c30": None}}


def test_edited_lines_keep_their_hidden_fields_by_position():
    loaded = {
        "disease": {
            "prior_therapy": [
                {"drugs": ["a"], "cumulative_mg_m2": {"a": 1}},
                {"drugs": ["b"], "cumulative_mg_m2": {"b": 2}},
            ]
        }
    }
    entered = {
        "disease": {"prior_therapy": [{"drugs": ["a2"]}, {"drugs": ["b"]}, {"drugs": ["c"]}]}
    }
    assert rebuild(loaded, entered, LINES)["disease"]["prior_therapy"] == [
        {"drugs": ["a2"], "cumulative_mg_m2": {"a": 1}},
        {"drugs": ["b"], "cumulative_mg_m2": {"b": 2}},
        {"drugs": ["c"]},
    ]


def test_a_deleted_or_blanked_line_takes_its_hidden_fields_with_it():
    loaded = {
        "disease": {
            "prior_therapy": [
                {"drugs": ["a"], "cumulative_mg_m2": {"a": 1}},
                {"drugs": ["b"], "cumulative_mg_m2": {"b": 2}},
                {"drugs": ["c"], "cumulative_mg_m2": {"c": 3}},
            ]
        }
    }
    # the middle line blanked (None, in place), the last one removed (no longer on the page)
    entered = {"disease": {"prior_therapy": [{"drugs": ["a"]}, None]}}
    assert rebuild(loaded, entered, LINES)["disease"]["prior_therapy"] == [
        {"drugs": ["a"], "cumulative_mg_m2": {"a": 1}}
    ]
    # every line removed: no earlier treatment recorded
    assert rebuild(loaded, {"disease": {"prior_therapy": None}}, LINES) == {
        "disease": {"prior_therapy": None}
    }


def test_elements_of_a_list_the_page_shows_only_some_of_are_carried():
    owned = Ownership.of(("previous_labs[0].drawn_on", "previous_labs[0].bilirubin"))
    loaded = {
        "previous_labs": [
            {"drawn_on": "2026-01-01", "bilirubin": {"value": 1}, "ast": {"value": 40}},
            {"drawn_on": "2025-12-01", "bilirubin": {"value": 2}},
        ]
    }
    entered = {"previous_labs": [{"drawn_on": "2026-01-02", "bilirubin": {"value": 1}}]}
    assert rebuild(loaded, entered, owned) == {
        "previous_labs": [
            {"drawn_on": "2026-01-02", "bilirubin": {"value": 1}, "ast": {"value": 40}},
            {"drawn_on": "2025-12-01", "bilirubin": {"value": 2}},
        ]
    }


def test_the_loaded_document_is_not_changed():
    loaded = {"patient": {"mrn": "A", "language": "uz"}, "medications": [{"drug": "x"}]}
    before = {"patient": {"mrn": "A", "language": "uz"}, "medications": [{"drug": "x"}]}
    out = rebuild(loaded, {"patient": {"mrn": "B"}}, LINES)
    out["medications"].append({"drug": "y"})
    assert loaded == before
