"""Current medicines, allergies and remedies (contract §2a, issue 20 item 1).

Defect class: a case valid under §2a was refused ("medications: is not a known field"), and
nothing checked what she already takes or is allergic to against what the plan suggests.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from planner import cli
from planner.domain.problems import InputInvalid
from planner.services import case_commands


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
        case_commands.check_case(raw)
    return [str(p) for p in caught.value.problems]


# ---- validation -------------------------------------------------------------------------------


def test_the_contract_example_is_accepted_and_typed(example_raw):
    case = case_commands.check_case(with_medicines(example_raw, **SECTION_2A)).case
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
    case = case_commands.check_case(raw).case
    assert [m.drug for m in case.medications] == ["paroxetine", "paracetamol", "rifampicin"]
    assert [(a.substance, a.kind) for a in case.allergies] == [
        ("taxane", "class"),
        ("penicillin", "class"),
        ("bee stings", "other"),
    ]
    assert case.allergies[0].written == "Taxanes"


def test_section_2a_is_optional(example_raw):
    case = case_commands.check_case(example_raw).case
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
    case_commands.check_case(back)  # what the record writes back is a valid case again


# ---- the plan: allergies against every suggested drug ------------------------------------------


def plan_for(raw: dict[str, Any]) -> dict[str, Any]:
    return case_commands.make_plan(raw)


def option_drugs(plan: dict[str, Any], drug: str) -> list[dict[str, Any]]:
    return [d for o in plan["options"] for d in o["drugs"] if d["drug"] == drug]


def alert(plan: dict[str, Any], code: str) -> dict[str, Any]:
    (found,) = [a for a in plan["alerts"] if a["code"] == code]
    return found


def assert_stopped_for_allergy(row: dict[str, Any]) -> None:
    assert row["status"] == "not_recommended", row
    assert row["dose"] is None
    assert row["absolute_dose"] is None
    assert row["percent_of_standard"] is None
    assert row["schedule"] is None
    assert row["stop_reason"].startswith("allergy recorded to")
    assert any(b["rule"] == "ix.allergy.not_given" for b in row["basis"])


def test_a_drug_she_is_allergic_to_is_not_recommended_with_a_critical_alert(example_raw):
    raw = with_medicines(
        example_raw, allergies=[{"substance": "Capecitabine", "severity": "severe"}]
    )
    plan = plan_for(raw)
    rows = option_drugs(plan, "capecitabine")
    assert rows  # the example case offers capecitabine: the check has something to stop
    for row in rows:
        assert_stopped_for_allergy(row)
    found = alert(plan, "drug_allergy")
    assert found["level"] == "critical"
    assert "capecitabine" in found["message"]
    (avoid,) = [a for a in plan["avoid"] if a["drug"] == "capecitabine"]
    assert avoid["reason"].startswith("allergy recorded to Capecitabine: severe")
    assert "capecitabine" not in json.dumps(plan["options"][0])  # never ranked first unchanged


def test_without_allergies_the_same_drug_keeps_its_dose(example_raw):
    plan = plan_for(example_raw)
    assert all(r["status"] != "not_recommended" or "allergy" not in (r["stop_reason"] or "")
               for o in plan["options"] for r in o["drugs"])  # fmt: skip
    assert not [a for a in plan["alerts"] if a["code"] == "drug_allergy"]
    assert any(r["dose"] is not None for r in option_drugs(plan, "capecitabine"))


def test_a_class_allergy_to_taxanes_blocks_every_taxane(example_raw):
    plan = plan_for(with_medicines(example_raw, allergies=[{"substance": "taxanes"}]))
    for drug in ("paclitaxel", "docetaxel", "nab-paclitaxel"):
        rows = option_drugs(plan, drug)
        assert rows, drug  # each is offered in the example case, so each must be stopped
        for row in rows:
            assert_stopped_for_allergy(row)
            assert "(the class of" in row["stop_reason"]
    message = alert(plan, "drug_allergy")["message"]
    assert all(drug in message for drug in ("paclitaxel", "docetaxel", "nab-paclitaxel"))
    assert all(r["status"] != "not_recommended" or "allergy" not in (r["stop_reason"] or "")
               for r in option_drugs(plan, "capecitabine"))  # fmt: skip


def test_an_allergy_to_a_suggested_supportive_drug_is_a_finding_and_an_alert(example_raw):
    plan = plan_for(with_medicines(example_raw, allergies=[{"substance": "opioids"}]))
    findings = [f for f in plan["medication_findings"] if f["kind"] == "allergy"]
    assert {"morphine", "oxycodone"} <= {d for f in findings for d in f["suggested"]}
    assert any("supportive care: pain" in f["where"] for f in findings)
    assert alert(plan, "drug_allergy")["level"] == "critical"


def test_planner_dose_applies_the_allergy_too(tmp_path, capsys, example_raw):
    path = tmp_path / "case.json"
    raw = with_medicines(example_raw, allergies=[{"substance": "platinum compounds"}])
    path.write_text(json.dumps(raw), "utf-8")
    assert cli.main(["dose", str(path), "--drug", "carboplatin"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert_stopped_for_allergy(row)


def test_a_free_text_allergy_is_a_named_gap_not_a_match(example_raw):
    plan = plan_for(with_medicines(example_raw, allergies=[{"substance": "bee stings"}]))
    assert any(g["field"] == "allergies[0].substance" for g in plan["gaps"])
    assert not [a for a in plan["alerts"] if a["code"] == "drug_allergy"]


# ---- the plan: what she takes against what is suggested ---------------------------------------


def on_now(raw: dict[str, Any], *drugs: str) -> dict[str, Any]:
    """The anticancer drugs she is on now (contract §3a: prior therapy with reason ongoing)."""
    raw["disease"]["prior_therapy"] = [
        {"drugs": list(drugs), "setting": "metastatic", "started_on": "2026-06-01",
         "ended_on": None, "reason_stopped": "ongoing"}
    ]  # fmt: skip
    return raw


def medicine(plan: dict[str, Any], drug: str) -> dict[str, Any]:
    (found,) = [m for m in plan["medications"] if m["drug"] == drug]
    return found


def finding(plan: dict[str, Any], rule: str) -> dict[str, Any]:
    found = [f for f in plan["medication_findings"] if any(b["rule"] == rule for b in f["basis"])]
    assert found, [f["message"] for f in plan["medication_findings"]]
    return found[0]


def test_carbamazepine_with_palbociclib_is_changed_per_the_label(example_raw):
    raw = on_now(example_raw, "letrozole", "palbociclib")
    raw = with_medicines(raw, medications=[{"drug": "carbamazepine", "frequency": "twice daily"}])
    plan = plan_for(raw)
    found = finding(plan, "ix.cyp3a_inducer.cdk46")
    assert found["taken"] == ["carbamazepine"]
    assert "palbociclib" in found["suggested"]
    assert "IBRANCE §7.2" in found["message"]
    assert any(b["source"] == "ix.src.ibrance_uspi" for b in found["basis"])
    entry = medicine(plan, "carbamazepine")
    assert entry["action"] == "change"
    assert any("palbociclib" in r for r in entry["reasons"])
    assert alert(plan, "medicine_interaction")["level"] == "warning"


def test_palbociclib_offered_to_a_patient_on_carbamazepine_carries_the_warning(example_raw):
    example_raw["disease"]["prior_therapy"] = []  # first line: a CDK4/6 inhibitor is offered
    raw = with_medicines(example_raw, medications=[{"drug": "carbamazepine"}])
    rows = [r for o in plan_for(raw)["options"] for r in o["drugs"] if r["drug"] == "palbociclib"]
    assert rows
    for row in rows:
        assert any(w.startswith("she takes carbamazepine") for w in row["warnings"])
        assert row["status"] != "standard"  # at least caution: the combination is to be avoided


def test_paroxetine_with_tamoxifen(example_raw):
    raw = with_medicines(on_now(example_raw, "tamoxifen"), medications=[{"drug": "paroxetine"}])
    plan = plan_for(raw)
    found = finding(plan, "ix.cyp2d6_inhibitor.tamoxifen")
    assert found["suggested"] == ["tamoxifen"]
    assert "endoxifen" in found["message"]
    assert medicine(plan, "paroxetine")["action"] == "change"


def test_warfarin_with_capecitabine_cites_the_boxed_warning(example_raw):
    plan = plan_for(with_medicines(example_raw, medications=[{"drug": "warfarin"}]))
    found = finding(plan, "ix.coumarin.capecitabine")
    assert found["suggested"] == ["capecitabine"]
    assert "Boxed Warning" in found["message"]
    assert "INR" in found["message"]
    assert found["verified"] is True
    assert medicine(plan, "warfarin")["action"] == "review"


def test_fluconazole_with_abemaciclib_is_reviewed(example_raw):
    """Recheck20 W6: a moderate CYP3A inhibitor beside abemaciclib printed "nothing found"."""
    example_raw["disease"]["prior_therapy"] = []  # first line: abemaciclib is offered
    plan = plan_for(with_medicines(example_raw, medications=[{"drug": "fluconazole"}]))
    found = finding(plan, "ix.moderate_cyp3a_inhibitor.abemaciclib")
    assert "abemaciclib" in found["suggested"]
    assert "one dose level at a time" in found["message"]
    # ribociclib is offered too: DIFLUCAN §4 contraindicates QT-prolonging CYP3A4 substrates
    # with fluconazole, which asks more of fluconazole than the abemaciclib review (rx21 F2)
    assert medicine(plan, "fluconazole")["action"] == "change"


def test_warfarin_with_tamoxifen_and_regular_paracetamol_is_reviewed(example_raw):
    """Walk 20 H1: warfarin beside a decided everolimus + tamoxifen printed "Continue • nothing
    found"; the tamoxifen label and the paracetamol SmPC (§4.5) both say the INR rises."""
    plan = plan_for(with_medicines(example_raw, medications=[{"drug": "warfarin"}]))
    assert any(d["drug"] == "tamoxifen" for o in plan["options"] for d in o["drugs"])
    tamoxifen = finding(plan, "ix.coumarin.tamoxifen")
    assert "tamoxifen" in tamoxifen["suggested"]
    assert "INR" in tamoxifen["message"]
    assert tamoxifen["verified"] is False  # shown as unverified until read in the label
    paracetamol = finding(plan, "ix.coumarin.paracetamol_regular")
    assert "paracetamol" in paracetamol["suggested"]
    assert medicine(plan, "warfarin")["action"] == "review"


@pytest.mark.parametrize("taken", [["sertraline", "tramadol"], ["tramadol"]])
def test_sertraline_and_tramadol_serotonin_syndrome(example_raw, taken):
    """Both taken, or tramadol taken while the plan suggests sertraline (for itch)."""
    plan = plan_for(with_medicines(example_raw, medications=[{"drug": d} for d in taken]))
    found = finding(plan, "ix.serotonergic.tramadol")
    assert {"sertraline", "tramadol"} <= {*found["taken"], *found["suggested"]}
    assert "serotonin syndrome" in found["message"]
    assert found["action"] == "review"
    # her tramadol itself is changed: the example's liver impairment avoids it (rx24 F4)
    tramadol = medicine(plan, "tramadol")
    assert tramadol["action"] == "change"
    assert any(
        "liver impairment codeine and tramadol are avoided" in r for r in tramadol["reasons"]
    )
    pairs = [f for f in plan["medication_findings"]
             if {"sertraline", "tramadol"} <= {*f["taken"], *f["suggested"]}]  # fmt: skip
    assert len(pairs) == 1  # one finding per pair, not one from each side


def test_naltrexone_she_takes_against_the_opioids_the_plan_suggests(example_raw):
    plan = plan_for(with_medicines(example_raw, medications=[{"drug": "naltrexone"}]))
    found = finding(plan, "ix.naltrexone.opioid")
    assert found["taken"] == ["naltrexone"]
    assert "morphine" in found["suggested"]  # the example's pain advice names morphine
    assert "supportive care: pain" in found["where"]
    # REVIA §4 contraindicates the pair (rx22 F4): more than a review
    assert medicine(plan, "naltrexone")["action"] == "change"


def test_a_hepatotoxic_remedy_is_stopped_with_liver_metastases(example_raw):
    plan = plan_for(with_medicines(example_raw, herbal_or_traditional=["Kava tea", "mint tea"]))
    kava = medicine(plan, "Kava tea")
    assert kava["action"] == "stop"
    assert kava["kind"] == "remedy"
    assert any(b["source"] == "ix.src.livertox" for b in kava["basis"])
    mint = medicine(plan, "mint tea")  # not recognised: said so, never passed as safe
    assert mint["action"] == "review"
    assert "not checked" in mint["reasons"][0]


def test_a_medicine_with_nothing_found_is_continued_with_its_reason(example_raw):
    plan = plan_for(with_medicines(example_raw, medications=[{"drug": "amlodipine"}]))
    entry = medicine(plan, "amlodipine")
    assert entry["action"] == "continue"
    assert "nothing found" in entry["reasons"][0]


def test_a_medicine_against_todays_findings_is_reviewed_never_continued(example_raw):
    """An NSAID with liver impairment (the example's bilirubin) or a low CrCl: the supportive
    part's check (alert current_medicine_review) is also the medicine's own action here; below
    CrCl 30 the check asks a stop (KDIGO: avoid; rx24 F6), more than the review it was."""
    example_raw["labs"]["creatinine"]["value"] = 220  # CrCl well below 30 mL/min
    plan = plan_for(with_medicines(example_raw, medications=[{"drug": "ibuprofen"}]))
    entry = medicine(plan, "ibuprofen")
    assert entry["action"] == "stop"
    assert any("ibuprofen (taken now)" in r for r in entry["reasons"])
    assert entry["basis"]
    assert any(a["code"] == "current_medicine_review" for a in plan["alerts"])


# ---- paracetamol from every source against the liver ceiling ----------------------------------


def test_paracetamol_from_every_source_is_counted_against_the_liver_ceiling(example_raw):
    raw = with_medicines(
        example_raw,
        medications=[
            {
                "drug": "paracetamol",
                "dose": {"value": 1, "unit": "g"},
                "frequency": "three times daily",
            },
            {
                "drug": "Acetaminophen",
                "dose": {"value": 500, "unit": "mg"},
                "frequency": "every 6 hours",
            },
        ],
    )
    plan = plan_for(raw)  # the example's bilirubin makes the liver ceilings apply
    found = [f for f in plan["medication_findings"] if f["kind"] == "paracetamol_total"]
    (total,) = found
    assert "= 5000 mg/day" in total["message"]
    assert "above every ceiling" in total["message"]
    assert "2000 mg/day" in total["message"]
    assert "3000 mg/day" in total["message"]
    assert "not in addition" in total["message"]  # the plan also suggests paracetamol
    assert total["action"] == "change"
    entries = [m for m in plan["medications"] if m["drug"] == "paracetamol"]
    assert len(entries) == 2  # both entries, each with the action
    assert all(m["action"] == "change" for m in entries)


def test_paracetamol_between_the_two_ceilings_is_the_clinicians_choice(example_raw):
    raw = with_medicines(
        example_raw,
        medications=[{"drug": "paracetamol", "dose": {"value": 500, "unit": "mg"}, "frequency": "qds"},
                     {"drug": "paracetamol", "dose": {"value": 500, "unit": "mg"}, "frequency": "at night"}],
    )  # fmt: skip
    (total,) = [f for f in plan_for(raw)["medication_findings"] if f["kind"] == "paracetamol_total"]
    assert "= 2500 mg/day" in total["message"]
    assert "sources differ, the clinician chooses" in total["message"]
    assert total["action"] == "review"


def test_paracetamol_that_cannot_be_counted_is_a_gap_not_a_pass(example_raw):
    raw = with_medicines(
        example_raw,
        medications=[
            {"drug": "paracetamol", "dose": {"value": 1, "unit": "g"}, "frequency": "prn"}
        ],
        herbal_or_traditional=["cold powder with paracetamol"],
    )
    plan = plan_for(raw)
    (total,) = [f for f in plan["medication_findings"] if f["kind"] == "paracetamol_total"]
    assert total["action"] == "review"
    assert "not every source could be counted" in total["message"]
    fields = {g["field"] for g in plan["gaps"]}
    assert {"medications[0].frequency", "herbal_or_traditional[0]"} <= fields


# ---- the rule table ---------------------------------------------------------------------------


def test_every_supportive_drug_is_in_the_catalogue(rules):
    """Class allergies reach a supportive suggestion only through the catalogue's classes."""
    spelled = rules.limits.medicines
    named = {spelled.get(d, d) for row in rules.supportive.interventions for d in row.drugs}
    assert named
    assert named <= set(rules.drugs), sorted(named - set(rules.drugs))


def test_interaction_rows_name_no_dose(rules):
    import re

    dose = re.compile(r"\d\s*(mg|mcg|g|ml|units?)\b", re.IGNORECASE)
    tables = rules.interactions
    assert tables.interactions
    for row in (*tables.interactions, *tables.cautions):
        assert not dose.search(row.effect + row.advice), row.cited.id
        assert row.cited.sources


# ---- the printed plan -------------------------------------------------------------------------


def test_the_clinician_pdf_lists_current_medicines_with_action_and_reason(
    tmp_path, capsys, example_raw
):
    import io

    from pypdf import PdfReader

    raw = with_medicines(
        example_raw,
        medications=[
            {"drug": "warfarin", "dose": {"value": 5, "unit": "mg"}, "route": "oral",
             "frequency": "once daily", "indication": "deep vein thrombosis"},
            {"drug": "amlodipine"},
        ],
        allergies=[{"substance": "taxanes", "reaction": "anaphylaxis"}],
        herbal_or_traditional=["kava"],
    )  # fmt: skip
    path, out = tmp_path / "case.json", tmp_path / "plan.pdf"
    path.write_text(json.dumps(raw), "utf-8")
    assert cli.main(["plan", str(path), "--pdf", str(out), "--audience", "clinician"]) == 0
    capsys.readouterr()
    pages = [p.extract_text() or "" for p in PdfReader(io.BytesIO(out.read_bytes())).pages]
    printed = " ".join(" ".join(pages).split())
    assert "Current medicines" in printed
    assert "warfarin 5 mg oral once daily" in printed  # as recorded
    assert "Review" in printed  # warfarin with capecitabine
    assert "INR" in printed
    assert "amlodipine" in printed
    assert "Continue" in printed
    assert "kava (remedy)" in printed
    assert "Stop" in printed
    assert "Allergy:" in printed
    assert "the class of paclitaxel" in printed


def _interaction_document() -> dict[str, Any]:
    import tomllib
    from pathlib import Path

    path = Path(__file__).parents[2] / "resources" / "rules" / "interactions.toml"
    return tomllib.loads(path.read_text("utf-8"))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["interaction"][0].update(taken=["group:nonsense"]), "is not a known drug"),
        (lambda d: d["interaction"][0].update(advice="give 75 mg instead"), "names a dose"),
        (lambda d: d["interaction"][0].update(action="avoid"), "is not one of"),
        (lambda d: d["interaction"][0].update(dose="x"), "unknown keys"),
        (lambda d: d["alert"][0].update(level="warning"), "critical"),
        (lambda d: d["ceiling"][0].update(drug="panadol"), "is not in drugs.toml"),
    ],
)
def test_the_interaction_table_is_read_strictly(rules, change, expected):
    from planner.rules.errors import RulesError
    from planner.rules.interactions import load_interactions

    document = _interaction_document()
    formulated = _formulated(rules)
    load_interactions({"interactions.toml": document}, rules.sources, rules.drugs, formulated)
    change(document)
    with pytest.raises(RulesError, match=expected):
        load_interactions({"interactions.toml": document}, rules.sources, rules.drugs, formulated)


def _formulated(rules) -> dict[str, frozenset[str]]:
    """Each excipient of drugs.toml -> the drugs formulated with it (as the loader passes it)."""
    out: dict[str, set[str]] = {}
    for drug, excipients in rules.limits.excipients_of.items():
        for excipient in excipients:
            out.setdefault(excipient, set()).add(drug)
    return {e: frozenset(d) for e, d in out.items()}


def test_paracetamol_without_liver_impairment_meets_the_label_ceiling(example_raw):
    for lab in ("bilirubin", "ast", "alt", "alp"):
        example_raw["labs"][lab]["value"] = example_raw["labs"][lab]["uln"] * 0.5
    example_raw["labs"]["albumin"]["value"] = 40
    example_raw["body"]["weight_kg"] = example_raw["body"]["weight_6_months_ago_kg"] = 70
    example_raw["nutrition"]["intake"] = "unchanged"
    raw = with_medicines(
        example_raw,
        medications=[
            {"drug": "paracetamol", "dose": {"value": 1, "unit": "g"}, "frequency": "tds"}
        ],
    )
    plan = plan_for(raw)
    (total,) = [f for f in plan["medication_findings"] if f["kind"] == "paracetamol_total"]
    assert "liver impairment" not in total["message"]  # the edits removed every risk factor
    assert "= 3000 mg/day, within every ceiling that applies" in total["message"]
    assert "4000 mg/day" in total["message"]
    assert total["action"] == "continue"
