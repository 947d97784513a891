"""recheck21 N1b and section 4: an allergy the program can read must be applied. Every substance
one allergy line names counts, each with its own reason (TAXOL §4 and PARAPLATIN §4: neither drug
is given after a severe reaction); a combination product names each of its drugs (PHESGO is
pertuzumab and trastuzumab); the INN as the clinics' languages write it is read (drug_names.toml);
what a line names that the program cannot read, and a "no …" in it, are said, never passed over.
Each case goes through build_plan, and the printed plan where a dose could be printed (rule 3)."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from planner.domain.allergy_names import catalogue_names, names_in, read_allergy, words_of
from planner.domain.engine import build_plan
from planner.domain.validation import validate_case
from planner.reports.render import render_plan_pdf

CASES = Path(__file__).parents[1] / "data" / "independent_rx21"
STOPPED = {"not_recommended", "contraindicated"}


def _raw(case: str, *allergies: str) -> dict[str, Any]:
    (path,) = CASES.glob(f"{case}_*.json")
    raw = copy.deepcopy(json.loads(path.read_text(encoding="utf-8")))
    raw["allergies"] = [
        {"substance": a, "reaction": "anaphylaxis", "severity": "severe"} for a in allergies
    ]
    return raw


def _plan(rules, raw: dict[str, Any]) -> dict[str, Any]:
    case, doubts = validate_case(raw, rules.limits)
    return build_plan(case, doubts, rules).to_json()


def _rows(plan: dict[str, Any], drug: str) -> list[dict[str, Any]]:
    return [d for o in plan["options"] for d in o["drugs"] if d["drug"] == drug]


def _assert_stopped(plan: dict[str, Any], drug: str, why: str) -> None:
    rows = _rows(plan, drug)
    assert rows, f"no {drug} row"
    for row in rows:
        assert row["status"] in STOPPED, (drug, row["status"])
        assert row["dose"] is None
        assert why in row["stop_reason"]
    assert drug in {a["drug"] for a in plan["avoid"]}
    (alert,) = [a for a in plan["alerts"] if a["code"] == "drug_allergy"]
    assert f"{drug} (" in alert["message"]


def _pdf_text(rules, raw: dict[str, Any]) -> str:
    plan = _plan(rules, raw)
    pdf = render_plan_pdf(
        plan,
        patient={**raw["patient"], "assessed_on": raw["assessed_on"]},
        clinic={"name": "Clinic", "phone": "+91 11 2658 8500"},
        evidence=True,
        invariant=True,
    )
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join((p.extract_text() or "").split()) for p in pages)


# ---- several substances on one line ------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "paclitaxel, carboplatin",
        "paclitaxel/carboplatin",
        "Taxol + carboplatin",
        "paclitaxel and carboplatin",
        "паклитаксел, карбоплатин",
    ],
)
def test_each_drug_of_one_line_is_stopped_with_its_own_reason(rules, written):
    plan = _plan(rules, _raw("A05", written))
    # TAXOL §4, PARAPLATIN §4: neither is given after a severe hypersensitivity reaction
    _assert_stopped(plan, "paclitaxel", f'allergy recorded to paclitaxel (written "{written}")')
    _assert_stopped(plan, "carboplatin", f'allergy recorded to carboplatin (written "{written}")')
    (allergy,) = plan["allergies"]
    assert allergy["written"] == written  # the printed line keeps what the nurse wrote
    assert allergy["kind"] == "several"
    assert allergy["substances"] == [
        {"substance": "paclitaxel", "kind": "drug"},
        {"substance": "carboplatin", "kind": "drug"},
    ]
    assert not [g for g in plan["gaps"] if g["field"].startswith("allergies")]


def test_a_docetaxel_and_cyclophosphamide_line_stops_docetaxel(rules):
    plan = _plan(rules, _raw("A05", "docetaxel; cyclophosphamide"))
    _assert_stopped(plan, "docetaxel", "allergy recorded to docetaxel")
    (allergy,) = plan["allergies"]
    assert [s["substance"] for s in allergy["substances"]] == ["docetaxel", "cyclophosphamide"]


@pytest.mark.parametrize("written", ["trastuzumab and pertuzumab", "Phesgo", "PHESGO SC"])
def test_a_her2_antibody_pair_or_phesgo_stops_the_trastuzumab_conjugates(rules, written):
    # PHESGO is pertuzumab + trastuzumab (+ hyaluronidase): a reaction to it is one to
    # trastuzumab, which the conjugates contain (KADCYLA, ENHERTU)
    plan = _plan(rules, _raw("A01", written))
    for drug in ("trastuzumab deruxtecan", "ado-trastuzumab emtansine"):
        for row in _rows(plan, drug):
            assert row["status"] in STOPPED
            assert row["dose"] is None
    (allergy,) = plan["allergies"]
    assert {s["substance"] for s in allergy["substances"]} == {"trastuzumab", "pertuzumab"}


def test_the_ribociclib_letrozole_co_pack_stops_both(rules):
    plan = _plan(rules, _raw("R01", "Kisqali Femara Co-Pack"))
    _assert_stopped(plan, "ribociclib", "allergy recorded to ribociclib")
    _assert_stopped(plan, "letrozole", "allergy recorded to letrozole")


def test_a_known_drug_beside_words_it_cannot_read_is_applied_and_the_rest_is_a_gap(rules):
    plan = _plan(rules, _raw("A05", "paclitaxel and something else"))
    _assert_stopped(plan, "paclitaxel", "allergy recorded to paclitaxel")
    (gap,) = [g for g in plan["gaps"] if g["field"] == "allergies[0].substance"]
    assert '"something else" names no drug' in gap["effect"]
    assert "paclitaxel checked" in gap["effect"]
    (allergy,) = plan["allergies"]
    assert allergy["not_read"] == ["something else"]


@pytest.mark.parametrize("written", ["Abraxane, carboplatin", "nab-paclitaxel/carboplatin"])
def test_the_printed_plan_gives_no_dose_of_either_drug_and_never_calls_them_unknown(rules, written):
    # H01: nab-paclitaxel 260 mg/m² is option 1; before, this line left it there, printed
    text = _pdf_text(rules, _raw("H01", written))
    assert "not a drug or class the program knows" not in text
    assert "(checked: nab-paclitaxel and carboplatin)" in text
    assert "260 mg/m" not in text  # rule 3: no dose printed for a stopped drug
    assert "suggestion: nab-Paclitaxel" not in text
    assert "Do not give" in text


def test_the_printed_plan_names_what_it_could_not_read(rules):
    text = _pdf_text(rules, _raw("A05", "paclitaxel and something else"))
    assert "checked: paclitaxel; not checked: 'something else'" in text
    assert "not a drug or class the program knows" not in text


# ---- the INN in the clinics' languages, brands -------------------------------------------------


def _read(rules, written: str):
    limits = rules.limits
    names = catalogue_names(
        limits.medicines,
        limits.allergy_classes,
        limits.allergy_excipients,
        limits.allergy_combinations,
    )
    return read_allergy(
        written, names, limits.excipients_of, limits.classes_of, limits.combinations_of
    ).named


@pytest.mark.parametrize(
    ("written", "drug"),
    [
        ("letrozol", "letrozole"),
        ("Anastrozol", "anastrozole"),
        ("Exemestan", "exemestane"),
        ("tamoxifène", "tamoxifen"),
        ("Tamoxifen", "tamoxifen"),
        ("paklitaksel", "paclitaxel"),
        ("dotsetaksel", "docetaxel"),
        ("Capecitabin", "capecitabine"),
        ("паклитаксел", "paclitaxel"),
        ("Доцетаксел", "docetaxel"),
        ("капецитабин", "capecitabine"),
        ("трастузумаб", "trastuzumab"),
        ("летрозол", "letrozole"),
        ("Hertraz", "trastuzumab"),
        ("CANMAb", "trastuzumab"),
        ("Vivitra", "trastuzumab"),
        ("Eleftha", "trastuzumab"),
        ("Paraplatin", "carboplatin"),
        ("Adriamycin", "doxorubicin"),
    ],
)
def test_the_inn_in_the_clinics_languages_and_brands_are_read(rules, written, drug):
    assert _read(rules, written) == (("drug", drug),)


@pytest.mark.parametrize(
    ("case", "written", "drug"),
    [
        ("R01", "letrozol", "letrozole"),  # Latin-script INN of another language
        ("A05", "паклитаксел", "paclitaxel"),  # Cyrillic INN
        ("A05", "dotsetaksel", "docetaxel"),  # Russian INN in Latin letters
        ("A01", "Hertraz", "trastuzumab deruxtecan"),  # an Indian trastuzumab brand
    ],
)
def test_each_spelling_class_stops_the_drug_in_the_plan(rules, case, written, drug):
    plan = _plan(rules, _raw(case, written))
    rows = _rows(plan, drug)
    assert rows
    assert all(r["status"] in STOPPED and r["dose"] is None for r in rows)


@pytest.mark.parametrize("written", ["абраксан", "наб-паклитаксел"])
def test_a_cyrillic_nab_paclitaxel_allergy_prints_no_nab_paclitaxel_dose(rules, written):
    text = _pdf_text(rules, _raw("H01", written))
    assert "260 mg/m" not in text
    assert "not a drug or class the program knows" not in text


def test_no_name_of_one_drug_is_or_holds_a_name_of_another(rules):
    """The names table (drug_names.toml) never reads one drug as another: none of its names
    equals, contains or is contained (as whole words) in a spelling of another drug."""
    import tomllib

    from planner.rules.loader import default_rules_dir

    table = tomllib.loads((default_rules_dir() / "drug_names.toml").read_text(encoding="utf-8"))
    added = [(row["drug"], name) for row in table["spelling"] for name in row["names"]]
    added += [(c["id"], n) for c in table["combination"] for n in c["names"]]
    spellings = [(inn, s) for s, inn in rules.limits.medicines.items()]

    def within(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
        return any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1))

    for owner, name in added:
        mine = words_of(name)
        for other, spelling in spellings:
            if other == owner or (owner, other) in _COMBINED:
                continue
            # the INNs themselves nest ("nab-paclitaxel" holds "paclitaxel"): the longer wins
            inns = (words_of(owner), words_of(other))
            if within(*inns) or within(*reversed(inns)):
                continue
            theirs = words_of(spelling)
            assert not within(mine, theirs), (name, owner, spelling, other)
            assert not within(theirs, mine), (name, owner, spelling, other)


# a combination product's names hold the brands of its own drugs ("kisqali femara co-pack")
_COMBINED = {("kisqali femara co-pack", "ribociclib"), ("kisqali femara co-pack", "letrozole")}


def test_every_spelling_of_every_drug_reads_as_that_drug_alone(rules):
    limits = rules.limits
    names = catalogue_names(limits.medicines, {}, {}, {})
    for spelling, inn in limits.medicines.items():
        assert names_in(spelling, names) == (("drug", inn),), spelling


# ---- a line that may say she is not allergic ---------------------------------------------------


def test_no_allergy_to_paclitaxel_is_applied_and_the_clinician_is_asked_to_check(rules):
    plan = _plan(rules, _raw("A05", "no allergy to paclitaxel"))
    _assert_stopped(plan, "paclitaxel", "allergy recorded to paclitaxel")
    (gap,) = [g for g in plan["gaps"] if g["field"] == "allergies[0].substance"]
    assert gap["effect"].startswith('check: the line says "no allergy to paclitaxel"')
    assert "applied as an allergy to paclitaxel until the line is corrected" in gap["effect"]
    assert plan["allergies"][0]["negation"] == "no"


def test_nkda_written_as_a_line_is_not_an_allergy_and_is_a_check(rules):
    plan = _plan(rules, _raw("A05", "NKDA"))
    assert not [a for a in plan["alerts"] if a["code"] == "drug_allergy"]
    effects = [g["effect"] for g in plan["gaps"] if g["field"] == "allergies[0].substance"]
    assert any("'No known drug allergies'" in e and "NKDA" in e for e in effects)
