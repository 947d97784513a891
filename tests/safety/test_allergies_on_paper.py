"""Every recorded allergy is on paper (issue 20 item 1, walk 16d HARM 1).

Defect class: a severe diclofenac allergy ("rash and lip swelling", severe) entered on the
medicines page was printed nowhere — not on the clinician's page 1, not in the current-medicines
table, not in the booklet, not on the Pharmacist slip — because the print showed an allergy only
when it matched a suggested drug. A doctor reading only the paper could not see it.

Read as a clinician reads it: the pypdf text of the printed plan.
"""

from __future__ import annotations

import copy
import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from planner.domain.medicines import review_medicines
from planner.reports.render import render_plan_pdf
from planner.reports.slips import reason_for_the_service
from planner.services import case_commands

DICLOFENAC = {"substance": "diclofenac", "reaction": "rash and lip swelling", "severity": "severe"}
MEDICINES = [
    {
        "drug": "sertraline",
        "dose": {"value": 50, "unit": "mg"},
        "route": "oral",
        "frequency": "once daily",
    },
    {
        "drug": "paracetamol",
        "dose": {"value": 1, "unit": "g"},
        "route": "oral",
        "frequency": "three times a day",
    },
]


def printed(raw: dict[str, Any], **sections: Any) -> tuple[dict[str, Any], list[str]]:
    """The plan and the text of each printed page (decision, booklet and slips)."""
    raw.update(sections)
    plan = case_commands.make_plan(raw)
    pdf = render_plan_pdf(
        plan,
        patient={**raw["patient"], "assessed_on": raw["assessed_on"]},
        clinic={"name": "Clinic", "phone": "+91 11 2658 8500"},
        slips=True,
        invariant=True,
    )
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]
    return plan, pages


def slips_of(pages: list[str]) -> dict[str, str]:
    """Each slip's text by the service it is to."""
    text = " ".join(p for p in pages if "Referral slip · page" in p)
    parts = re.split(r"Referral to ", text)[1:]
    return {part.split(" · ")[0]: part for part in parts}


@pytest.fixture
def with_allergy(example_raw):
    return printed(
        example_raw,
        medications=MEDICINES,
        allergies=[DICLOFENAC],
        herbal_or_traditional=["ashwagandha churna"],
    )


def test_page_one_names_every_allergy_in_its_own_line(with_allergy):
    plan, pages = with_allergy
    assert plan["allergies_recorded"] == "listed"
    assert [a["written"] for a in plan["allergies"]] == ["diclofenac"]
    assert "Allergies: diclofenac — rash and lip swelling (severe)" in pages[0]
    # near the top: before the decision and the alerts
    first = pages[0]
    assert first.index("Allergies: diclofenac") < first.index("Child–Pugh")


def test_the_current_medicines_section_names_it(with_allergy):
    _plan, pages = with_allergy
    # the table may run onto a second page, its header repeated there (misc23: a longer alert)
    table = " ".join(p for p in pages if "Medicine (as recorded)" in p)
    section = table[table.index("Current medicines") :]
    assert "Allergies: diclofenac — rash and lip swelling (severe)" in section


def test_the_booklet_says_it_in_plain_words(with_allergy):
    _plan, pages = with_allergy
    booklet = " ".join(p for p in pages if "booklet" in p.lower() and "Referral" not in p)
    assert "Your allergies we know of: diclofenac." in booklet


def test_every_slip_names_it_and_the_prescribing_ones_list_her_medicines(with_allergy):
    _plan, pages = with_allergy
    slips = slips_of(pages)
    assert {"Pharmacist", "Palliative care", "Oncology"} <= set(slips), slips.keys()
    for service, slip in slips.items():
        assert re.search(r"Allergies.{0,25} diclofenac — rash and lip swelling \(severe\)", slip), (
            service
        )
    for service in ("Pharmacist", "Palliative care", "Oncology"):
        medicines = slips[service]
        assert "sertraline 50 mg oral once daily" in medicines, service
        assert "paracetamol 1 g oral three times a day" in medicines, service
        assert "ashwagandha churna (remedy)" in medicines, service


def test_no_known_allergies_only_when_recorded_as_such(example_raw):
    plan, pages = printed(copy.deepcopy(example_raw), allergies=[])
    assert plan["allergies_recorded"] == "none"
    assert "Allergies: No known drug allergies" in pages[0]
    assert all(
        re.search(r"Allergies.{0,25} No known drug allergies", s) for s in slips_of(pages).values()
    )

    plan, pages = printed(copy.deepcopy(example_raw), allergies=None)
    assert plan["allergies_recorded"] == "not_recorded"
    assert "Allergies: not recorded" in pages[0]
    every = " ".join(pages)
    assert "No known drug allergies" not in every  # rule 2: not recorded is not none
    assert "no drug allergies" not in every
    assert all(re.search(r"Allergies.{0,25} not recorded", s) for s in slips_of(pages).values())


def test_a_slip_reason_keeps_the_finding_without_the_cut_offs_unit():
    reason = "paracetamol risk factors: weight 48 kg < 50 kg (low body weight: the default)"
    said = reason_for_the_service(reason)
    assert "kg kg" not in said
    assert "weight 48 kg" in said


# ---- an allergy to one drug of a cross-reactive class (NSAIDs) ---------------------------------


def _case(raw: dict[str, Any], allergies: list[dict[str, Any]]):
    raw["allergies"] = allergies
    return case_commands.check_case(raw).case


def test_an_nsaid_suggested_raises_the_allergy_alert_for_a_diclofenac_allergy(example_raw, rules):
    case = _case(example_raw, [DICLOFENAC])
    review = review_medicines(case, {"ibuprofen": ["supportive care: pain"]}, rules.interactions)
    (finding,) = [f for f in review.findings if f.kind == "allergy"]
    assert finding.suggested == ("ibuprofen",)
    assert "allergy recorded to diclofenac (an NSAID, as ibuprofen is" in finding.message
    assert "ix.allergy.nsaid_cross_reactive" in {b.rule for b in finding.basis}
    (alert,) = [a for a in review.alerts if a.code == "drug_allergy"]
    assert alert.level == "critical"
    assert "ibuprofen" in alert.message


def test_an_opioid_reaction_is_not_read_across_every_opioid(example_raw, rules):
    """Opioids are not a cross-reactive class in the table: a morphine reaction does not stop
    fentanyl (switching opioid is the usual answer); morphine itself is still stopped."""
    case = _case(example_raw, [{"substance": "morphine", "reaction": "itch", "severity": "mild"}])
    suggested = {"fentanyl": ["supportive care: pain"], "morphine": ["supportive care: pain"]}
    review = review_medicines(case, suggested, rules.interactions)
    assert [f.suggested for f in review.findings if f.kind == "allergy"] == [("morphine",)]


def test_symptom_care_offers_no_nsaid_to_her(quiet_raw):
    quiet_raw["symptoms"]["esas"]["pain"] = 5
    quiet_raw["patient"]["birth_date"] = "1980-03-14"  # young, kidneys and liver well: NSAID row

    def pain_rows(raw: dict[str, Any]) -> list[str]:
        plan = case_commands.make_plan(raw)
        (pain,) = [s for s in plan["supportive"] if s["problem"] == "pain"]
        return [d["id"] for d in pain["intervention_details"]]

    assert "sup.int.pain.nsaid" in pain_rows(copy.deepcopy(quiet_raw))
    quiet_raw["allergies"] = [DICLOFENAC]
    rows = pain_rows(quiet_raw)
    assert "sup.int.pain.nsaid" not in rows
    assert "sup.int.pain.nsaid_allergy" in rows


# ---- remedies and the paracetamol total (walk 16d findings 7 and 8) ----------------------------


def _medicine(plan: dict[str, Any], name: str) -> dict[str, Any]:
    (entry,) = [m for m in plan["medications"] if m["drug"] == name]
    return entry


@pytest.mark.parametrize(
    ("written", "source"),
    [
        ("ashwagandha churna", "ix.src.livertox_ashwagandha"),
        ("Withania somnifera root", "ix.src.livertox_ashwagandha"),
        ("germander tea", "ix.src.livertox_germander"),
        ("greater celandine drops", "ix.src.livertox_greater_celandine"),
        ("He Shou Wu", "ix.src.livertox_he_shou_wu"),
        ("curcumin capsules", "ix.src.livertox_turmeric"),
        ("comfrey", "ix.src.livertox"),
        ("kava", "ix.src.livertox"),
        ("green tea extract", "ix.src.livertox"),
    ],
)
def test_a_hepatotoxic_remedy_of_the_clinics_regions_is_recognised(example_raw, written, source):
    plan = case_commands.make_plan({**example_raw, "herbal_or_traditional": [written]})
    entry = _medicine(plan, written)
    assert entry["action"] in ("stop", "review")
    assert source in {b["source"] for b in entry["basis"]}
    assert not any("not in the program's list" in r for r in entry["reasons"])


def test_an_unrecognised_remedy_sends_the_clinician_to_the_pharmacist(example_raw):
    plan = case_commands.make_plan({**example_raw, "herbal_or_traditional": ["mint tea"]})
    entry = _medicine(plan, "mint tea")
    assert entry["action"] == "review"
    assert "not in the program's list: ask the pharmacist" in entry["reasons"][0]


def test_the_paracetamol_total_names_the_medicine_not_its_field_path(with_allergy):
    plan, pages = with_allergy
    (total,) = [f for f in plan["medication_findings"] if f["kind"] == "paracetamol_total"]
    assert "medications[" not in total["message"]
    assert "3000 mg/day (paracetamol 1 g three times a day)" in total["message"]
    assert "medications[" not in " ".join(pages)


def test_the_paracetamol_review_cites_no_kidney_guideline(example_raw):
    """The paracetamol check of her medicines against today's findings (liver, low weight)
    cites the paracetamol label, not KDIGO's NSAID chapter."""
    example_raw["medications"] = MEDICINES
    example_raw["body"]["weight_kg"] = 48
    plan = case_commands.make_plan(example_raw)
    (alert,) = [a for a in plan["alerts"] if a["code"] == "current_medicine_review"]
    sources = {b["source"] for b in alert["basis"]}
    assert "sup.kdigo_ckd_2012" not in sources
    assert "sup.perfalgan_smpc" in sources
