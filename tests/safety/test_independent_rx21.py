"""Independent oncology-pharmacist review rx21 (2026-12-07).

Sixteen cases (tests/data/independent_rx21), each asserting the reviewer's answer taken from the
drug label or guideline (section named beside each test); report: report.md of the rx21 worktree.
The tests that fail are the findings: they are left failing on purpose (no xfail).

Findings, most dangerous first (verdict in brackets):
  F1 [HARM]  an allergy written "docetaxel (Taxotere)" matches nothing: docetaxel standard 75 mg/m2
  F2 [HARM]  fluconazole (QT-prolonging, moderate CYP3A inhibitor) beside ribociclib: silent
  F3 [HARM]  a cabazitaxel (polysorbate 80) anaphylaxis leaves docetaxel standard
  F4 [HARM]  rifampicin beside apixaban: "continue, nothing found"
  F5 [WRONG] rifampicin: the first option is capivasertib, which the label says to avoid with it
  F6 [WRONG] T-DXd at platelets 50: cycle says GIVE, the same page a critical "not givable"
  F7 [WRONG] an option without a dose ranks first (weekly paclitaxel, bilirubin 1.5 x ULN)
  F8 [WRONG] trastuzumab allergy: best supportive care while lapatinib/neratinib + capecitabine exist
  F9 [WRONG] nab-paclitaxel hepatic doses from the superseded Abraxane table (1.5x: 200; 3x: 130)
  W1-W3 [WORDING] "docetaxel is the same taxane"; CP C capecitabine row; "the first side effect"
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.independent_review import case_in, plan_cache
from tests.independent_review import drug_rows as _rows
from tests.independent_review import option_row as _row
from tests.independent_review import plan_json as _plan_of

ROOT = Path(__file__).parents[2]
CASES = ROOT / "tests" / "data" / "independent_rx21"
TAXANES = ("paclitaxel", "nab-paclitaxel", "docetaxel")
GIVABLE = {"standard", "reduced", "caution"}


def _raw(prefix: str) -> dict[str, Any]:
    return case_in(CASES, prefix)


@pytest.fixture(scope="module")
def plans(rules):
    return plan_cache(CASES, rules)


def _said(row: dict[str, Any]) -> str:
    return " ".join([row.get("stop_reason") or "", *(row.get("warnings") or ())])


def _dose(row: dict[str, Any]) -> float | None:
    return None if row.get("dose") is None else row["dose"]["value"]


def _first(plan: dict[str, Any]) -> dict[str, Any]:
    return min(plan["options"], key=lambda o: o["rank"])


def _cycle(plan: dict[str, Any]) -> tuple[str, dict[str, tuple[str, float | None]]]:
    cycle = plan["next_cycle"]
    return cycle["decision"], {d["drug"]: (d["action"], _dose(d)) for d in cycle["drugs"]}


def _codes(plan: dict[str, Any]) -> set[str]:
    return {a["code"] for a in plan["alerts"]}


# ---- F1 [HARM]: a docetaxel allergy written with its brand in brackets ------------------------
# TAXOTERE USPI §4 Contraindications: history of severe hypersensitivity to docetaxel (or to other
# drugs formulated with polysorbate 80). The nurse wrote "docetaxel (Taxotere)": the INN is there.


def test_f1_a05_docetaxel_allergy_written_with_the_brand_stops_docetaxel(plans):
    plan = plans("A05")
    (docetaxel,) = _rows(plan, "docetaxel")
    assert docetaxel["status"] in {"not_recommended", "contraindicated"}, docetaxel["status"]
    assert docetaxel["dose"] is None
    assert "drug_allergy" in _codes(plan)


def test_f1_a05_the_other_taxanes_carry_the_cross_sensitivity(plans):
    plan = plans("A05")
    for drug in ("paclitaxel", "nab-paclitaxel"):
        for row in _rows(plan, drug):
            assert row["status"] != "standard", (drug, row["status"])
            assert "docetaxel" in _said(row).lower()


@pytest.mark.parametrize(
    "written", ["Taxol®", "paclitaxel (Taxol)", "Paclitaxel.", "paclitaxel injection"]
)
def test_f1_paclitaxel_allergy_written_with_brand_or_dose_stops_paclitaxel(rules, written):
    raw = _raw("A05")
    raw["allergies"] = [{"substance": written, "reaction": "anaphylaxis", "severity": "severe"}]
    plan = _plan_of(raw, rules)
    for row in _rows(plan, "paclitaxel"):
        assert row["status"] in {"not_recommended", "contraindicated"}, (written, row["status"])


# ---- F2 [HARM]: ribociclib with a QT-prolonging medicine she takes --------------------------
# KISQALI USPI §5.3 and §7.4: avoid drugs known to prolong the QT interval. DIFLUCAN §4: drugs that
# prolong QT and are CYP3A4 substrates are contraindicated with fluconazole; ribociclib is both.


def test_f2_r01_ribociclib_beside_fluconazole_is_flagged_on_its_row(plans):
    plan = plans("R01")
    (ribociclib,) = _rows(plan, "ribociclib")
    assert ribociclib["status"] != "standard"
    assert "fluconazole" in _said(ribociclib)
    assert "qt" in _said(ribociclib).lower()


def test_f2_r01_fluconazole_medicine_names_ribociclib(plans):
    plan = plans("R01")
    findings = [
        f
        for f in plan["medication_findings"]
        if "fluconazole" in f["taken"] and "ribociclib" in f["suggested"]
    ]
    assert findings, [f["message"][:80] for f in plan["medication_findings"]]


def test_f2_r01_first_option_is_not_ribociclib_left_silent(plans):
    first = _first(plans("R01"))
    for row in first["drugs"]:
        if row["drug"] == "ribociclib":
            assert "fluconazole" in _said(row)


@pytest.mark.parametrize("medicine", ["azithromycin", "levofloxacin"])
def test_f2_other_qt_antibiotics_beside_ribociclib(rules, medicine):
    # both are on the QT lists the clinics use (eviQ 193; CredibleMeds known risk)
    raw = _raw("R01")
    raw["medications"] = [{"drug": medicine, "indication": "chest infection"}]
    plan = _plan_of(raw, rules)
    (ribociclib,) = _rows(plan, "ribociclib")
    assert ribociclib["status"] != "standard", medicine
    assert medicine in _said(ribociclib)


# ---- F3 [HARM]: a cabazitaxel (polysorbate 80) anaphylaxis -----------------------------------
# TAXOTERE USPI §4 and JEVTANA USPI §4: severe hypersensitivity to the drug or to other drugs
# formulated with polysorbate 80 is a contraindication; both are polysorbate 80 taxanes.


def test_f3_a04_cabazitaxel_anaphylaxis_stops_docetaxel(plans):
    (docetaxel,) = _rows(plans("A04"), "docetaxel")
    assert docetaxel["status"] in {"not_recommended", "contraindicated"}, docetaxel["status"]
    assert docetaxel["dose"] is None


def test_f3_a04_cabazitaxel_anaphylaxis_reaches_the_paclitaxels(plans):
    plan = plans("A04")
    for drug in ("paclitaxel", "nab-paclitaxel"):
        for row in _rows(plan, drug):
            assert row["status"] != "standard", (drug, row["status"])


# ---- F4 [HARM] and F5 [WRONG]: rifampicin with apixaban and with the PI3K/AKT options ----------
# ELIQUIS USPI §7.2: avoid with combined P-gp and strong CYP3A4 inducers (rifampin): less apixaban.
# TRUQAP §7.1, PIQRAY §7.1, AFINITOR §7: avoid strong CYP3A inducers.


def test_f4_r02_apixaban_with_rifampicin_is_not_continue_nothing_found(plans):
    plan = plans("R02")
    apixaban = next(m for m in plan["medications"] if m["drug"] == "apixaban")
    assert apixaban["action"] != "continue", apixaban["reasons"]
    assert any(
        "rifampicin" in f["taken"] and "apixaban" in f["taken"] + f["suggested"]
        for f in plan["medication_findings"]
    )


def test_f5_r02_first_option_is_not_one_the_label_says_to_avoid_with_rifampicin(plans):
    first = _first(plans("R02"))
    drugs = {d["drug"] for d in first["drugs"]}
    assert not drugs & {"capivasertib", "alpelisib", "everolimus"}, first["regimen"]


def test_r02_apixaban_inr_is_not_scored_and_the_labels_doses_stand(plans):
    plan = plans("R02")
    assert plan["hepatic"]["child_pugh"] is None
    assert any(g["field"] == "labs.inr" and "apixaban" in g["effect"] for g in plan["gaps"])
    # AROMASIN §2.2: 50 mg once daily with a strong CYP3A4 inducer
    assert _dose(_row(plan, "everolimus_exemestane", "exemestane")) == 50.0
    # NAVELBINE: bilirubin 2.1-3.0 mg/dL -> 50 %; DOXIL: 1.2-3.0 mg/dL -> 50 %
    assert _dose(_rows(plan, "vinorelbine")[0]) == 12.5
    assert _dose(_rows(plan, "pegylated liposomal doxorubicin")[0]) == 25.0


# ---- F6 [WRONG]: ENHERTU at exactly the grade 2/3 boundaries ----------------------------------
# ENHERTU USPI §2.3 Table: neutropenia grade 3 (< 1.0 to 0.5) and thrombocytopenia grade 3
# (< 50 to 25) interrupt; ANC 1.0 and platelets 50 are grade 2: no modification.


def test_t04_tdxd_at_anc_1_0_and_platelets_50_is_given_at_4_4(plans):
    decision, drugs = _cycle(plans("T04"))
    assert decision == "give"
    assert drugs["trastuzumab deruxtecan"] == ("continue", 4.4)


def test_f6_t04_no_critical_not_givable_alert_beside_the_give(plans):
    plan = plans("T04")
    assert "current_therapy_contraindicated" not in _codes(plan)
    assert "trastuzumab deruxtecan" not in {a["drug"] for a in plan["avoid"]}


# ---- F7 [WRONG]: an option that cannot be dosed ranks first ----------------------------------


def test_f7_h01_first_option_has_a_dose_for_every_drug(plans):
    first = _first(plans("H01"))
    for row in first["drugs"]:
        assert row["dose"] is not None, (first["regimen"], row["drug"], row["status"])


def test_h01_bilirubin_exactly_1_5_uln_is_odwg_mild_and_the_label_doses(plans):
    plan = plans("H01")
    assert plan["hepatic"]["odwg"] == "mild"
    (docetaxel,) = _rows(plan, "docetaxel")
    assert docetaxel["status"] == "not_recommended"  # TAXOTERE boxed warning: bilirubin > ULN
    assert _dose(_rows(plan, "vinorelbine")[0]) == 25.0  # NAVELBINE: bilirubin <= 2 mg/dL
    assert _dose(_rows(plan, "doxorubicin")[0]) == 30.0  # 1.2-3 mg/dL: 50 %
    # TRODELVY §8.6: mild (bilirubin <= 1.5 x ULN, AST/ALT < 3 x ULN): no change
    assert _dose(_rows(plan, "sacituzumab govitecan")[0]) == 10.0


# ---- F8 [WRONG]: a trastuzumab allergy leaves a HER2-directed option without trastuzumab -----
# NCCN breast (HER2-positive, other recommended regimens): lapatinib or neratinib + capecitabine.


def test_a01_herceptin_brand_stops_both_trastuzumab_conjugates(plans):
    plan = plans("A01")
    for drug in ("trastuzumab deruxtecan", "ado-trastuzumab emtansine"):
        for row in _rows(plan, drug):
            assert row["status"] == "not_recommended"
            assert "Herceptin" in _said(row)
    assert "drug_allergy" in _codes(plan)


def test_f8_a01_a_givable_her2_option_without_trastuzumab_is_offered(plans):
    plan = plans("A01")
    givable = [
        o["regimen"] for o in plan["options"] if all(d["status"] in GIVABLE for d in o["drugs"])
    ]
    assert any(r in givable for r in ("lapatinib_capecitabine", "neratinib_capecitabine")), givable


# ---- F9 [WRONG]: nab-paclitaxel by the current Abraxane hepatic table -------------------------
# ABRAXANE USPI §2 (hepatic impairment, MBC): AST < 10 x ULN and bilirubin > ULN to 1.5 x ULN:
# 260 mg/m2; > 1.5 to 3 x ULN: 200 mg/m2; > 3 to 5 x ULN: 200 mg/m2; > 5 x or AST > 10 x: avoid.


def test_f9_h01_nab_paclitaxel_at_bilirubin_1_5_uln_is_260(plans):
    assert _dose(_row(plans("H01"), "nab_paclitaxel", "nab-paclitaxel")) == 260.0


def test_f9_h02_nab_paclitaxel_at_bilirubin_3_uln_is_200(plans):
    assert _dose(_row(plans("H02"), "nab_paclitaxel", "nab-paclitaxel")) == 200.0


def test_h02_bilirubin_exactly_3_uln_label_doses(plans):
    plan = plans("H02")
    assert plan["hepatic"]["odwg"] == "moderate"
    assert plan["hepatic"]["child_pugh"] == {"points": 8, "class": "B"}
    assert _dose(_rows(plan, "vinorelbine")[0]) == 6.25  # NAVELBINE: > 3 mg/dL -> 25 %
    assert _dose(_rows(plan, "doxorubicin")[0]) == 15.0  # 3.1-5 mg/dL -> 25 %
    assert _dose(_rows(plan, "pegylated liposomal doxorubicin")[0]) == 12.5  # DOXIL > 3 -> 25 %
    assert {_dose(r) for r in _rows(plan, "everolimus")} == {5.0}  # AFINITOR CP B
    assert _dose(_row(plan, "everolimus_fulvestrant", "fulvestrant")) == 250.0  # FASLODEX CP B
    assert _dose(_rows(plan, "trastuzumab deruxtecan")[0]) == 5.4  # ENHERTU §8.6 moderate


# ---- H03: Child-Pugh C (10 points), first line --------------------------------------------


def test_h03_child_pugh_c_first_line_label_doses(plans):
    plan = plans("H03")
    assert plan["hepatic"]["child_pugh"] == {"points": 10, "class": "C"}
    assert "severe_hepatic_impairment" in _codes(plan)
    letrozole = _rows(plan, "letrozole")[0]
    assert _dose(letrozole) == 2.5
    assert "every other day" in letrozole["schedule"]
    assert {_dose(r) for r in _rows(plan, "ribociclib")} == {400.0}  # KISQALI CP B/C
    assert {_dose(r) for r in _rows(plan, "palbociclib")} == {75.0}  # IBRANCE CP C
    abemaciclib = _rows(plan, "abemaciclib")[0]
    assert _dose(abemaciclib) == 150.0
    assert "once daily" in abemaciclib["schedule"]
    assert _row(plan, "fulvestrant_alone", "fulvestrant")["dose"] is None  # not studied in CP C
    assert _rows(plan, "doxorubicin")[0]["status"] == "contraindicated"
    for row in _first(plan)["drugs"]:
        assert row["dose"] is not None


def test_w2_h03_capecitabine_row_in_child_pugh_c_says_severe_impairment_is_not_studied(plans):
    # XELODA §8.6: mild to moderate hepatic dysfunction from liver metastases: monitor; the
    # effect of severe hepatic dysfunction is not known. She is Child-Pugh C.
    (capecitabine,) = _rows(plans("H03"), "capecitabine")
    said = _said(capecitabine).lower()
    assert "severe" in said or "child" in said, said


# ---- H04: AST only raised, ALP 2.6 x ULN; a Kadcyla reaction of unknown severity -------------


def test_h04_docetaxel_by_the_dose_command_is_not_given(rules):
    path = next(CASES.glob("H04_*.json"))
    out = subprocess.run(
        [sys.executable, "-m", "planner", "dose", str(path), "--drug", "docetaxel"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    row = json.loads(out.stdout)
    # TAXOTERE boxed warning: AST/ALT > 1.5 x ULN with ALP > 2.5 x ULN: avoid
    assert row["status"] == "not_recommended"
    assert row["dose"] is None


def test_h04_kadcyla_reaction_and_the_other_trastuzumab_drugs(plans):
    plan = plans("H04")
    (tdm1,) = _rows(plan, "ado-trastuzumab emtansine")
    assert tdm1["status"] == "not_recommended"
    for drug in ("trastuzumab deruxtecan", "trastuzumab"):
        for row in _rows(plan, drug):
            assert row["status"] == "caution"
            assert "Kadcyla" in _said(row)


# ---- A02, A03: brand-name allergies and taxane cross-sensitivity -------------------------------


def test_a02_taxotere_and_enhertu_brands(plans):
    plan = plans("A02")
    assert _rows(plan, "docetaxel")[0]["status"] == "not_recommended"
    assert _rows(plan, "trastuzumab deruxtecan")[0]["status"] == "not_recommended"
    for drug in ("paclitaxel", "nab-paclitaxel"):
        for row in _rows(plan, drug):
            assert row["status"] == "caution"
            assert "Taxotere" in _said(row)


def test_a03_abraxane_anaphylaxis_stops_every_taxane_and_leads_with_a_taxane_free_option(plans):
    plan = plans("A03")
    for drug in TAXANES:
        for row in _rows(plan, drug):
            assert row["status"] == "not_recommended", (drug, row["status"])
    first = _first(plan)
    assert not {d["drug"] for d in first["drugs"]} & set(TAXANES)
    assert all(d["dose"] is not None for d in first["drugs"])


def test_w1_a03_docetaxel_is_not_called_the_same_taxane(plans):
    (docetaxel,) = _rows(plans("A03"), "docetaxel")
    assert "docetaxel is the same taxane" not in _said(docetaxel)


# ---- cycle reviews ---------------------------------------------------------------------------


def test_t01_palbociclib_100_with_voriconazole_goes_to_75_at_anc_1_0(plans):
    # IBRANCE §2.2: ANC 1.0 (grade 2, day 1): no change; strong CYP3A inhibitor: 75 mg
    decision, drugs = _cycle(plans("T01"))
    assert decision == "give"
    assert drugs == {"letrozole": ("continue", 2.5), "palbociclib": ("reduce", 75.0)}


def test_t01_counts_typed_per_microlitre_are_refused_naming_the_field(tmp_path):
    # the case file takes counts in 10^9/L only: 1000 /uL is refused by name, never converted
    # silently or read as 1000 x 10^9/L
    raw = copy.deepcopy(_raw("T01"))
    raw["labs"]["anc"] = {"value": 1000, "unit": "/uL"}
    path = tmp_path / "t01_per_ul.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "planner", "validate", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 2
    assert "labs.anc.unit" in out.stderr


def test_t02_capecitabine_second_grade2_hfs_holds_then_75_percent_of_her_start(plans):
    # XELODA §2 Table (hand-foot syndrome grade 2, 2nd appearance): interrupt until grade 0-1,
    # then 75 % of the starting dose: her course began at 1000 mg/m2 -> 750 mg/m2
    plan = plans("T02")
    decision, drugs = _cycle(plan)
    assert decision == "delay"
    assert drugs == {"capecitabine": ("hold", 750.0)}


def test_t03_sacituzumab_second_febrile_neutropenia_is_50_percent_at_anc_1_5(plans):
    # TRODELVY §2.3: ANC >= 1500 on day 1 gives the dose; febrile neutropenia, 2nd occurrence:
    # 50 % reduction (5 mg/kg)
    decision, drugs = _cycle(plans("T03"))
    assert decision == "give"
    assert drugs == {"sacituzumab govitecan": ("reduce", 5.0)}


def test_w3_t03_febrile_neutropenia_alert_says_second_occurrence(plans):
    alert = next(a for a in plans("T03")["alerts"] if a["code"] == "febrile_neutropenia")
    message = alert["message"].lower()
    assert "occurrence 2" in message or "second" in message, alert["message"]


def test_t05_everolimus_with_fluconazole_is_2_5_at_platelets_75(plans):
    # AFINITOR §2: moderate CYP3A4/P-gp inhibitor: 2.5 mg daily; platelets 75 is grade 1: no hold
    decision, drugs = _cycle(plans("T05"))
    assert decision == "give"
    assert drugs == {"everolimus": ("reduce", 2.5), "exemestane": ("continue", 25.0)}
