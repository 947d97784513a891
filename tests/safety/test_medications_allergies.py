"""Current medicines, allergies and remedies (contract §2a, issue 20 item 1).

Defect class: a case valid under §2a was refused ("medications: is not a known field"), and
nothing checked what she already takes or is allergic to against what the plan suggests.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from planner import cli, services
from planner.domain.problems import InputInvalid


def with_medicines(raw: dict[str, Any], **sections: Any) -> dict[str, Any]:
    raw["patient"]["language"] = "uz"
    raw.update(sections)
    return raw


SECTION_2A = {
    "medications": [
        {
            "drug": "carbamazepine",
            "dose": {"value": 200, "unit": "mg"},
            "route": "oral",
            "frequency": "twice daily",
            "started_on": "2026-01-10",
            "indication": "neuropathic pain",
        }
    ],
    "allergies": [{"substance": "paclitaxel", "reaction": "anaphylaxis", "severity": "severe"}],
    "herbal_or_traditional": ["green tea extract"],
}


def problems_of(raw: dict[str, Any]) -> list[str]:
    with pytest.raises(InputInvalid) as caught:
        services.check_case(raw)
    return [str(p) for p in caught.value.problems]


# ---- validation -------------------------------------------------------------------------------


def test_the_contract_example_is_accepted_and_typed(example_raw):
    case = services.check_case(with_medicines(example_raw, **SECTION_2A)).case
    assert case.patient.language == "uz"
    (med,) = case.medications
    assert (med.drug, med.dose.value, med.dose.unit, med.route) == (
        "carbamazepine",
        200,
        "mg",
        "oral",
    )
    assert med.started_on.isoformat() == "2026-01-10"
    assert med.frequency == "twice daily"
    assert med.indication == "neuropathic pain"
    (allergy,) = case.allergies
    assert (allergy.substance, allergy.kind, allergy.severity) == ("paclitaxel", "drug", "severe")
    assert case.herbal_or_traditional == ("green tea extract",)


def test_names_are_case_insensitive_and_the_inn_is_kept(example_raw):
    raw = with_medicines(
        example_raw,
        medications=[{"drug": "  Paroxetine "}, {"drug": "ACETAMINOPHEN"}, {"drug": "rifampin"}],
        allergies=[
            {"substance": "Taxanes"},
            {"substance": "Penicillins"},
            {"substance": "bee stings"},
        ],
    )
    case = services.check_case(raw).case
    assert [m.drug for m in case.medications] == ["paroxetine", "paracetamol", "rifampicin"]
    assert [(a.substance, a.kind) for a in case.allergies] == [
        ("taxane", "class"),
        ("penicillin", "class"),
        ("bee stings", "other"),
    ]
    assert case.allergies[0].written == "Taxanes"


def test_section_2a_is_optional(example_raw):
    case = services.check_case(example_raw).case
    assert case.medications is None
    assert case.allergies is None
    assert case.herbal_or_traditional is None
    assert case.patient.language is None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda r: r["medications"][0].update(route="orally"),
            'medications[0].route: "orally" is not one of oral, iv, sc, im, transdermal, topical, '
            "inhaled, rectal, other",
        ),
        (
            lambda r: r["medications"][0].update(drug="carbamazapine"),
            'medications[0].drug: "carbamazapine" is not an international non-proprietary name in '
            'the catalogue (did you mean "carbamazepine"?)',
        ),
        (
            lambda r: r["medications"][0]["dose"].update(unit="tablets"),
            'medications[0].dose.unit: "tablets" is not one of mg, mcg, g, mL, units',
        ),
        (
            lambda r: r["medications"][0]["dose"].update(value=-5),
            "medications[0].dose.value: -5 is outside",
        ),
        (
            lambda r: r["medications"][0].pop("drug"),
            "medications[0].drug: is required",
        ),
        (
            lambda r: r["medications"][0].update(started_on="10/01/2026"),
            'medications[0].started_on: "10/01/2026" is not a date written YYYY-MM-DD',
        ),
        (
            lambda r: r["medications"][0].update(started_on="2027-01-01"),
            "medications[0].started_on: 2027-01-01 is after the assessment date",
        ),
        (
            lambda r: r["medications"][0].update(dosage="200 mg"),
            "medications[0].dosage: is not a known field",
        ),
        (
            lambda r: r["allergies"][0].update(severity="bad"),
            'allergies[0].severity: "bad" is not one of mild, moderate, severe, unknown',
        ),
        (lambda r: r["allergies"][0].update(substance=""), "allergies[0].substance: is empty"),
        (
            lambda r: r["herbal_or_traditional"].append(5),
            "herbal_or_traditional[1]: 5 is not text",
        ),
        (
            lambda r: r["patient"].update(language="uzbek"),
            'patient.language: "uzbek" is not one of en, ru, uz, uz-Cyrl, hi',
        ),
        (
            lambda r: r.update(medications={"drug": "warfarin"}),
            "medications: an object is not a list",
        ),
    ],
)
def test_malformed_entries_name_their_field(example_raw, change, expected):
    raw = with_medicines(example_raw, **json.loads(json.dumps(SECTION_2A)))
    change(raw)
    assert any(p.startswith(expected) for p in problems_of(raw)), problems_of(raw)


def test_validate_exits_2_naming_the_field(tmp_path, capsys, example_raw):
    raw = with_medicines(example_raw, **json.loads(json.dumps(SECTION_2A)))
    raw["medications"][0]["route"] = "orally"
    path = tmp_path / "case.json"
    path.write_text(json.dumps(raw), "utf-8")
    assert cli.main(["validate", str(path)]) == 2
    assert 'medications[0].route: "orally" is not one of' in capsys.readouterr().err


def test_prior_therapy_still_takes_only_anticancer_drugs(example_raw):
    example_raw["disease"]["prior_therapy"][0]["drugs"] = ["paracetamol"]
    assert any(p.startswith("disease.prior_therapy[0].drugs[0]:") for p in problems_of(example_raw))


def test_record_import_and_export_keep_the_sections(tmp_path, capsys, example_raw):
    raw = with_medicines(example_raw, **json.loads(json.dumps(SECTION_2A)))
    path, db = tmp_path / "case.json", tmp_path / "record.sqlite3"
    path.write_text(json.dumps(raw), "utf-8")
    assert cli.main(["db", "--db", str(db), "import", str(path)]) == 0
    assert cli.main(["db", "--db", str(db), "export", str(tmp_path / "out")]) == 0
    capsys.readouterr()
    (exported,) = (tmp_path / "out").rglob("*.json")
    back = json.loads(exported.read_text("utf-8"))
    for key in ("medications", "allergies", "herbal_or_traditional"):
        assert back[key] == raw[key]
    assert back["patient"]["language"] == "uz"
    services.check_case(back)  # what the record writes back is a valid case again
