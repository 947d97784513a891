"""The one case validator: every problem named by its field path, nothing silently accepted."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain.case_document import parse_json
from planner.domain.problems import InputInvalid
from planner.domain.validation import validate_case


def problems_of(raw, limits) -> list[str]:
    with pytest.raises(InputInvalid) as caught:
        validate_case(raw, limits)
    return [str(p) for p in caught.value.errors]


def test_example_case_is_valid_and_typed(example_raw, limits):
    """The contract's sample case validates and comes back as typed, frozen objects."""
    case, doubts = validate_case(example_raw, limits)
    assert doubts == ()
    assert case.patient.mrn == "TAS-000123"
    assert case.assessed_on == dt.date(2026, 11, 20)
    assert case.labs.bilirubin.value == 35.0
    assert case.labs.bilirubin.unit == "umol/L"
    assert case.labs.bilirubin.uln == 21.0
    assert case.labs.inr.unit is None
    assert case.psychosocial.phq9 == (1, 2, 1, 2, 1, 1, 0, 0, 0)
    assert case.disease.prior_therapy[0].drugs == ("letrozole", "palbociclib")
    assert case.age_years() == 58
    with pytest.raises(AttributeError):
        case.patient.mrn = "other"  # frozen


def test_weight_out_of_range_names_the_field(example_raw, limits):
    example_raw["body"]["weight_kg"] = 540
    assert problems_of(example_raw, limits) == ["body.weight_kg: 540 is outside 20–300 kg"]


@pytest.mark.parametrize(("value", "ok"), [(20, True), (300, True), (19.9, False), (300.1, False)])
def test_weight_bounds_are_inclusive(example_raw, limits, value, ok):
    example_raw["body"]["weight_kg"] = value
    if ok:
        case, doubts = validate_case(example_raw, limits)
        assert (case.body.weight_kg, doubts) == (value, ())
    else:
        assert problems_of(example_raw, limits)[0].startswith("body.weight_kg:")


def test_unknown_unit_is_an_error_listing_the_allowed_units(example_raw, limits):
    example_raw["labs"]["bilirubin"]["unit"] = "mmol/L"
    assert problems_of(example_raw, limits) == [
        'labs.bilirubin.unit: "mmol/L" is not one of umol/L, mg/dL'
    ]


def test_esas_item_out_of_range(example_raw, limits):
    example_raw["symptoms"]["esas"]["pain"] = 11
    assert problems_of(example_raw, limits) == ["symptoms.esas.pain: 11 is outside 0–10"]


def test_esas_item_must_be_whole(example_raw, limits):
    example_raw["symptoms"]["esas"]["nausea"] = 2.5
    assert problems_of(example_raw, limits) == ["symptoms.esas.nausea: 2.5 is not a whole number"]


def test_unknown_key_is_an_error_with_a_suggestion(example_raw, limits):
    example_raw["body"]["wieght_kg"] = 54
    assert problems_of(example_raw, limits) == [
        'body.wieght_kg: is not a known field (did you mean "weight_kg"?)'
    ]


def test_every_problem_is_reported_not_only_the_first(example_raw, limits):
    example_raw["body"]["height_cm"] = 20
    example_raw["clinical"]["ecog"] = 7
    example_raw["patient"]["sex"] = "f"
    paths = [p.split(":")[0] for p in problems_of(example_raw, limits)]
    assert paths == ["patient.sex", "body.height_cm", "clinical.ecog"]


def test_phq9_needs_nine_items_each_0_to_3(example_raw, limits):
    example_raw["psychosocial"]["phq9"] = [1, 2, 3]
    assert problems_of(example_raw, limits) == [
        "psychosocial.phq9: has 3 items; exactly 9 are needed"
    ]
    example_raw["psychosocial"]["phq9"] = [0, 0, 0, 0, 0, 0, 0, 0, 4]
    assert problems_of(example_raw, limits) == ["psychosocial.phq9[8]: 4 is outside 0–3"]


def test_implausible_bilirubin_unit_is_a_doubt_not_silent(example_raw, limits):
    """35 mg/dL is possible but far more likely a µmol/L value entered against the wrong unit."""
    example_raw["labs"]["bilirubin"] = {"value": 35, "unit": "mg/dL", "uln": 1.2}
    case, doubts = validate_case(example_raw, limits)
    assert case.labs.bilirubin.unit == "mg/dL"
    assert [d.path for d in doubts] == ["labs.bilirubin.value"]
    assert "likely unit mix-up" in doubts[0].message
    assert "35 would be plausible in µmol/L" in doubts[0].message


def test_impossible_value_in_the_wrong_unit_is_refused_with_a_hint(example_raw, limits):
    example_raw["labs"]["albumin"] = {"value": 3.1, "unit": "g/L"}
    assert problems_of(example_raw, limits) == [
        "labs.albumin.value: 3.1 g/L is outside the possible range 5–70 g/L "
        "(3.1 would be plausible in g/dL)"
    ]


def test_uln_not_allowed_where_it_means_nothing(example_raw, limits):
    example_raw["labs"]["albumin"]["uln"] = 50
    assert problems_of(example_raw, limits) == ["labs.albumin.uln: is not a known field"]


def test_implausible_uln_is_a_doubt(example_raw, limits):
    example_raw["labs"]["bilirubin"]["uln"] = 1.2  # a mg/dL ULN beside a µmol/L value
    _, doubts = validate_case(example_raw, limits)
    assert [d.path for d in doubts] == ["labs.bilirubin.uln"]


def test_missing_required_fields(limits):
    problems = problems_of({"schema": "planner.case/1", "patient": {}}, limits)
    assert problems == [
        "patient.mrn: is required",
        "patient.family_name: is required",
        "assessed_on: is required",
    ]


def test_wrong_schema_tag(example_raw, limits):
    example_raw["schema"] = "planner.case/2"
    assert problems_of(example_raw, limits) == ['schema: "planner.case/2" is not "planner.case/1"']


def test_null_sections_mean_not_assessed(example_raw, limits):
    for section in ("body", "biology", "labs", "clinical", "symptoms", "qol", "nutrition"):
        example_raw[section] = None
    example_raw["previous_labs"] = None
    case, _ = validate_case(example_raw, limits)
    assert case.labs is None
    assert case.body is None


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda c: c["patient"].__setitem__("birth_date", "1968-02-30"),
            'patient.birth_date: "1968-02-30" is not a real calendar date',
        ),
        (
            lambda c: c["patient"].__setitem__("birth_date", "14/03/1968"),
            'patient.birth_date: "14/03/1968" is not a date written YYYY-MM-DD',
        ),
        (
            lambda c: c["patient"].__setitem__("birth_date", "2027-01-01"),
            "patient.birth_date: 2027-01-01 is after the assessment date 2026-11-20",
        ),
        (
            lambda c: c["labs"].__setitem__("drawn_on", "2026-11-21"),
            "labs.drawn_on: 2026-11-21 is after the assessment date 2026-11-20",
        ),
        (
            lambda c: c["disease"]["prior_therapy"][0].__setitem__("ended_on", "2024-01-01"),
            "disease.prior_therapy[0].ended_on: 2024-01-01 is before started_on 2024-05-01",
        ),
        (
            lambda c: c.__setitem__(
                "previous_labs",
                [{"drawn_on": "2026-11-19", "bilirubin": {"value": 20, "unit": "umol/L"}}],
            ),
            "previous_labs[0].drawn_on: 2026-11-19 is not before the current labs (2026-11-19)",
        ),
    ],
)
def test_dates(example_raw, limits, mutate, expected):
    mutate(example_raw)
    assert problems_of(example_raw, limits) == [expected]


def test_booleans_are_not_numbers_and_numbers_not_booleans(example_raw, limits):
    example_raw["clinical"]["ecog"] = True
    example_raw["clinical"]["diabetes"] = 0
    assert problems_of(example_raw, limits) == [
        "clinical.ecog: true is not a number",
        "clinical.diabetes: 0 is not true or false",
    ]


def test_unknown_drug_name_suggests_the_inn(example_raw, limits):
    example_raw["disease"]["prior_therapy"][0]["drugs"] = ["Letrozole"]
    assert problems_of(example_raw, limits) == [
        'disease.prior_therapy[0].drugs[0]: "Letrozole" is not a known lower-case international '
        'non-proprietary name (did you mean "letrozole"?)'
    ]


def test_pps_is_scored_in_tens(example_raw, limits):
    example_raw["function"]["pps_percent"] = 65
    assert problems_of(example_raw, limits) == [
        "function.pps_percent: 65 is not a multiple of 10 (PPS is scored in 10 % steps)"
    ]


def test_questionnaire_items_by_number(example_raw, limits):
    example_raw["qol"]["qlq_c30"] = {f"q{i}": 1 for i in range(1, 31)} | {"q29": 8}
    assert problems_of(example_raw, limits) == [
        "qol.qlq_c30.q29: 8 is outside the response range 1–7"
    ]


def test_duplicate_list_entries(example_raw, limits):
    example_raw["disease"]["other_sites"] = ["bone", "bone"]
    assert problems_of(example_raw, limits) == ['disease.other_sites[1]: "bone" is listed twice']


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"schema": ', "is not valid JSON"),
        ('{"a": NaN}', "NaN is not allowed in JSON"),
        ('{"a": 1, "a": 2}', 'key "a" appears twice in one object'),
        (b"\xff\xfe{", "is not"),
    ],
)
def test_parse_json_refuses_with_a_message(text, message):
    with pytest.raises(InputInvalid) as caught:
        parse_json(text, "case.json")
    assert caught.value.problems[0].path == "case.json"
    assert message in caught.value.problems[0].message


def test_top_level_must_be_an_object(limits):
    assert problems_of([], limits) == ["(document): a list is not an object"]


def test_a_count_out_of_range_names_its_unit_as_read(example_raw, limits):
    """Nurse walkthrough: the message read "2100 10^9/L"."""
    example_raw["labs"]["platelets"] = {"value": 2100, "unit": "10^9/L"}
    _case, (doubt,) = validate_case(example_raw, limits)
    assert "2100 ×10⁹/L is possible but implausible" in doubt.message
    assert "10^9" not in doubt.message
    example_raw["labs"]["platelets"] = {"value": 3100, "unit": "10^9/L"}
    (message,) = problems_of(example_raw, limits)
    assert "3100 ×10⁹/L is outside the possible range 0–3000 ×10⁹/L" in message
