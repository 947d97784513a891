"""Class 4: supportive drug advice adapted to kidney, age, weight, liver and the rest of the plan;
bone health, G-CSF, thromboprophylaxis, albumin with paracentesis; MUST high risk (class 7) and
nutrition near the end of life (class 5).

The reported patient: 82 years, 47 kg, CrCl about 25 mL/min, moderate pain. She was offered
"paracetamol up to 4 g and/or an NSAID; tramadol, codeine or dihydrocodeine".
"""

from __future__ import annotations

import pytest

from planner.domain.supportive import PlannedTherapy
from planner.services import case_commands

RENALLY_RISKY_OPIOIDS = {"tramadol", "codeine", "dihydrocodeine", "morphine"}
SACITUZUMAB = (PlannedTherapy("sacituzumab_govitecan_tnbc", ("sacituzumab govitecan",)),)


# ------------------------------------------------------------------ the reported patient


def test_reported_patient_gets_no_4_g_no_nsaid_and_no_renally_risky_opioid(sup):
    result = sup.supportive(sup.the_reported_patient())
    pain = sup.rows(result, "pain")
    assert "sup.int.pain.non_opioid" not in pain  # the 4 g adult ceiling
    assert "sup.int.pain.nsaid" not in pain
    assert "sup.int.pain.weak_opioid" not in pain
    assert "sup.int.pain.weak_opioid_no_tramadol" not in pain
    assert not sup.suggested_drugs(result, "pain") & RENALLY_RISKY_OPIOIDS
    # what she gets instead, each with the facts that made it apply
    ceiling = pain["sup.int.pain.paracetamol_risk"]
    assert any("weight 47 kg < 50 kg" in b for b in ceiling["because"])
    assert any("CrCl 25 mL/min" in b for b in ceiling["because"])
    assert "15 mg/kg" in ceiling["text"]
    shown = [p["text"] for p in ceiling["disagreement"]["positions"]]
    assert shown[0].startswith("Swiss Perfalgan 2016")  # lowest ceiling first
    assert any("60 mg/kg" in t for t in shown)
    assert any("75 mg/kg" in t for t in shown)
    avoid = pain["sup.int.pain.nsaid_avoid_kidney_age"]
    assert any("CrCl 25 mL/min" in b for b in avoid["because"])
    assert any("age 82 >= 65" in b for b in avoid["because"])
    renal = pain["sup.int.pain.opioid_renal_severe"]
    assert "avoid codeine, dihydrocodeine and morphine" in renal["text"]
    assert set(renal["drugs"]) <= {"fentanyl", "buprenorphine", "oxycodone", "hydromorphone"}
    assert "sup.int.pain.older_adult" in pain
    assert sup.referral(result, "pharmacist")["urgency"] == "within_week"
    assert any("CrCl below 30" in r for r in sup.referral(result, "pharmacist")["reasons"])


def test_reported_patient_through_the_whole_plan(sup):
    plan = case_commands.make_plan(sup.the_reported_patient())
    assert plan["body"]["crcl_ml_min"] == pytest.approx(25, abs=0.5)
    pain = next(i for i in plan["supportive"] if i["problem"] == "pain")
    ids = {d["id"] for d in pain["intervention_details"]}
    assert "sup.int.pain.opioid_renal_severe" in ids
    assert "sup.int.pain.non_opioid" not in ids
    assert "sup.int.pain.weak_opioid" not in ids
    drugs = {x for d in pain["intervention_details"] for x in d["drugs"]}
    assert not drugs & RENALLY_RISKY_OPIOIDS
    bone = next(i for i in plan["supportive"] if i["problem"] == "bone_health")
    bone_ids = {d["id"] for d in bone["intervention_details"]}
    assert "sup.int.bone.severe_renal" in bone_ids
    assert "sup.int.bone.agent" not in bone_ids  # would offer zoledronic acid at CrCl 25
    assert "zoledronic acid" not in {x for d in bone["intervention_details"] for x in d["drugs"]}


# ------------------------------------------------------------------ kidney thresholds


@pytest.mark.parametrize(
    ("crcl", "severe", "impaired"),
    [(29.9, True, True), (30.0, False, True), (59.9, False, True), (60.0, False, False)],
)
def test_crcl_bands_at_30_and_60(sup, crcl, severe, impaired):
    raw = sup.quiet_case()
    raw["symptoms"]["esas"]["pain"] = 6
    pain = sup.rows(sup.supportive(raw, crcl=crcl), "pain")
    assert ("sup.int.pain.opioid_renal_severe" in pain) is severe
    assert ("sup.int.pain.weak_opioid" in pain) is not severe
    assert ("sup.int.pain.opioid_renal_moderate" in pain) is (impaired and not severe)
    assert ("sup.int.pain.nsaid" in pain) is not impaired
    assert ("sup.int.pain.nsaid_avoid_kidney_age" in pain) is impaired


def test_unknown_crcl_gives_the_low_crcl_advice_and_says_why(sup):
    raw = sup.quiet_case()
    raw["symptoms"]["esas"]["pain"] = 8
    pain = sup.rows(sup.supportive(raw, crcl=None), "pain")
    assert "sup.int.pain.strong_opioid" not in pain
    renal = pain["sup.int.pain.opioid_renal_severe"]
    assert any("creatinine clearance unknown" in b for b in renal["because"])
    assert "sup.int.pain.nsaid" not in pain


def test_missing_creatinine_in_the_case_is_unknown_not_normal(sup):
    raw = sup.quiet_case()
    raw["symptoms"]["esas"]["pain"] = 6
    del raw["labs"]["creatinine"]
    pain = sup.rows(sup.supportive(raw), "pain")
    assert "sup.int.pain.opioid_renal_severe" in pain
    assert any(
        "labs.creatinine not recorded" in b
        for b in pain["sup.int.pain.opioid_renal_severe"]["because"]
    )


@pytest.mark.parametrize(
    ("crcl", "dose"),
    [
        (60.1, "zoledronic acid 4 mg"),
        (60.0, "zoledronic acid 3.5 mg"),
        (50.0, "zoledronic acid 3.5 mg"),
        (49.9, "zoledronic acid 3.3 mg"),
        (40.0, "zoledronic acid 3.3 mg"),
        (39.9, "zoledronic acid 3.0 mg"),
        (30.0, "zoledronic acid 3.0 mg"),
        (29.9, None),
    ],
)
def test_zoledronic_acid_dose_follows_the_label_crcl_bands(sup, crcl, dose):
    raw = sup.quiet_case()
    raw["disease"]["other_sites"] = ["bone"]
    result = sup.supportive(raw, crcl=crcl)
    bone = sup.rows(result, "bone_health")
    reasons = sup.item(result, "bone_health")["reasons"]
    if dose is None:
        assert "sup.int.bone.agent" not in bone
        assert any("zoledronic acid not recommended" in r for r in reasons)
        assert "not recommended" in bone["sup.int.bone.severe_renal"]["text"]
        assert "hypocalcaemia" in bone["sup.int.bone.severe_renal"]["text"]
    else:
        assert [r for r in reasons if "zoledronic acid" in r] == [
            next(r for r in reasons if dose in r)
        ]
        agent = bone["sup.int.bone.agent"]
        for words in (
            "denosumab 120 mg",
            "dental examination",
            "calcium 500 mg",
            "vitamin D 400 IU",
        ):
            assert words in agent["text"]


# ------------------------------------------------------------------ age and weight thresholds


@pytest.mark.parametrize(("age_at_assessment", "older"), [(64, False), (65, True)])
def test_nsaid_not_offered_from_65(sup, age_at_assessment, older):
    raw = sup.quiet_case()
    raw["patient"]["birth_date"] = f"{2026 - age_at_assessment}-01-01"
    raw["symptoms"]["esas"]["pain"] = 3
    pain = sup.rows(sup.supportive(raw, crcl=90.0), "pain")
    assert ("sup.int.pain.nsaid" in pain) is not older
    assert ("sup.int.pain.nsaid_avoid_kidney_age" in pain) is older


@pytest.mark.parametrize(("weight", "low"), [(49.9, True), (50.0, False)])
def test_paracetamol_ceiling_by_weight_at_50_kg(sup, weight, low):
    raw = sup.quiet_case()
    raw["body"]["weight_kg"] = weight
    raw["body"]["weight_6_months_ago_kg"] = weight
    raw["symptoms"]["esas"]["pain"] = 3
    pain = sup.rows(sup.supportive(raw, crcl=90.0), "pain")
    assert ("sup.int.pain.paracetamol_risk" in pain) is low
    assert ("sup.int.pain.non_opioid" in pain) is not low


def test_liver_impairment_keeps_the_clinic_liver_ceiling(sup):
    raw = sup.the_reported_patient()
    raw["labs"]["bilirubin"]["value"] = 40  # 1.9 x ULN: hepatic modifier
    pain = sup.rows(sup.supportive(raw), "pain")
    assert "sup.int.pain.paracetamol_liver" in pain
    assert "sup.int.pain.paracetamol_risk" not in pain  # one ceiling row, the liver's
    assert "sup.int.pain.non_opioid" not in pain


# ------------------------------------------------------------------ the rest of the plan


@pytest.mark.parametrize("ladder", ["etg", "bsg"])
def test_no_tramadol_beside_a_suggested_serotonergic_antidepressant(sup, ladder):
    raw = sup.quiet_case()
    raw["symptoms"]["esas"]["pain"] = 5
    raw["symptoms"]["esas"]["other"] = {"name": "itch", "score": 6}
    result = sup.supportive(raw, crcl=90.0, settings={"itch_ladder": ladder})
    assert "sertraline" in sup.suggested_drugs(result, "pruritus")
    assert "tramadol" not in sup.suggested_drugs(result)
    pain = sup.rows(result, "pain")
    chosen = pain["sup.int.pain.weak_opioid_no_tramadol"]
    assert any("sertraline" in b for b in chosen["because"])


def test_tramadol_stays_an_option_without_a_serotonergic_drug(sup):
    raw = sup.quiet_case()
    raw["symptoms"]["esas"]["pain"] = 5
    result = sup.supportive(raw, crcl=90.0)
    assert "tramadol" in sup.suggested_drugs(result, "pain")


def test_opioid_with_an_antipsychotic_is_flagged_as_cns_depressants_together(sup):
    raw = sup.quiet_case()
    raw["symptoms"]["esas"]["pain"] = 8
    raw["symptoms"]["esas"]["nausea"] = 6
    result = sup.supportive(raw, crcl=90.0)
    flags = [f["message"] for f in result["interactions"]]
    assert any("CNS depressant" in m for m in flags)
    assert sup.alert(result, "drug_interaction") is not None


def test_itch_in_child_pugh_c_with_encephalopathy_and_opioids(sup):
    raw = sup.quiet_case()
    raw["labs"]["bilirubin"]["value"] = 70  # > 50 umol/L: 3 points
    raw["labs"]["albumin"]["value"] = 25  # < 28 g/L: 3 points
    raw["labs"]["inr"] = {"value": 2.5}  # > 2.3: 3 points
    raw["clinical"]["ascites"] = "mild"  # 2 points
    raw["clinical"]["encephalopathy"] = "grade_1_2"  # 2 points: Child-Pugh C
    raw["symptoms"]["esas"]["pain"] = 6
    raw["symptoms"]["esas"]["other"] = {"name": "itch", "score": 7}
    for ladder in ("etg", "bsg"):
        result = sup.supportive(raw, crcl=80.0, settings={"itch_ladder": ladder})
        itch = sup.rows(result, "pruritus")
        assert "sup.int.pruritus.decompensated" in itch
        assert not sup.suggested_drugs(result, "pruritus") & {
            "rifampicin",
            "naltrexone",
            "sertraline",
        }
        assert "sup.int.pruritus.naltrexone_opioid" in itch  # says why naltrexone is not offered
        pain = sup.rows(result, "pain")
        assert "sup.int.pain.encephalopathy" in pain


def test_naltrexone_offered_only_without_opioids(sup):
    raw = sup.quiet_case()
    raw["symptoms"]["esas"]["other"] = {"name": "itch", "score": 6}
    no_pain = sup.supportive(raw, crcl=90.0)
    assert "naltrexone" in sup.suggested_drugs(no_pain, "pruritus")
    raw["symptoms"]["esas"]["pain"] = 6
    with_pain = sup.supportive(raw, crcl=90.0)
    assert "naltrexone" not in sup.suggested_drugs(with_pain)


# ------------------------------------------------------------------ G-CSF


def test_sacituzumab_in_the_plan_brings_primary_g_csf_advice(sup):
    raw = sup.quiet_case()
    result = sup.supportive(raw, crcl=90.0, options=SACITUZUMAB)
    neutropenia = sup.rows(result, "neutropenia_risk")
    assert "sup.int.neutropenia.gcsf_primary" in neutropenia
    assert "sup.int.neutropenia.ugt1a1_unknown" in neutropenia
    assert any(g["field"] == "clinical.ugt1a1" for g in result["gaps"])
    basis = {b["source"] for b in neutropenia["sup.int.neutropenia.gcsf_primary"]["basis"]}
    assert "sup.trodelvy_label" in basis


def test_ugt1a1_homozygous_makes_the_neutropenia_risk_severe(sup):
    raw = sup.quiet_case()
    raw["clinical"]["ugt1a1"] = "homozygous_28"
    result = sup.supportive(raw, crcl=90.0, options=SACITUZUMAB)
    assert sup.item(result, "neutropenia_risk")["severity"] == "severe"
    row = sup.rows(result, "neutropenia_risk")["sup.int.neutropenia.ugt1a1_homozygous"]
    assert "67 % against 46 %" in row["text"]


def test_no_g_csf_advice_for_a_drug_the_plan_does_not_give(sup):
    raw = sup.quiet_case()
    not_given = (PlannedTherapy("sacituzumab_govitecan_tnbc", ("sacituzumab govitecan",), 1, ()),)
    assert sup.rows(sup.supportive(raw, crcl=90.0, options=not_given), "neutropenia_risk") == {}


# ------------------------------------------------------------------ thromboprophylaxis


def _bed_bound(sup, platelets=180):
    raw = sup.quiet_case()
    raw["function"]["mobility"] = "bed_bound"
    raw["function"]["pps_percent"] = 40
    raw["labs"]["platelets"] = {"value": platelets, "unit": "10^9/L"}
    return raw


def test_lmwh_prophylaxis_with_reduced_mobility(sup):
    vte = sup.rows(sup.supportive(_bed_bound(sup), crcl=70.0), "thrombosis_risk")
    assert "enoxaparin 40 mg" in vte["sup.int.vte.lmwh"]["text"]
    assert "sup.int.vte.lmwh_renal" not in vte


def test_lmwh_dose_at_crcl_below_30(sup):
    vte = sup.rows(sup.supportive(_bed_bound(sup), crcl=29.0), "thrombosis_risk")
    assert "sup.int.vte.lmwh" not in vte
    assert "enoxaparin 30 mg" in vte["sup.int.vte.lmwh_renal"]["text"]


@pytest.mark.parametrize(("platelets", "allowed"), [(49, False), (50, True)])
def test_lmwh_platelet_floor(sup, platelets, allowed):
    vte = sup.rows(sup.supportive(_bed_bound(sup, platelets), crcl=70.0), "thrombosis_risk")
    assert ("sup.int.vte.lmwh" in vte) is allowed
    assert ("sup.int.vte.low_platelets" in vte) is not allowed


def test_no_lmwh_suggested_near_the_end_of_life(sup):
    raw = _bed_bound(sup)
    raw["function"]["pps_percent"] = 30
    vte = sup.rows(sup.supportive(raw, crcl=70.0), "thrombosis_risk")
    assert "sup.int.vte.end_of_life" in vte
    assert "sup.int.vte.lmwh" not in vte


# ------------------------------------------------------------------ albumin with paracentesis


def test_albumin_with_large_volume_paracentesis_shows_both_guidelines(sup):
    raw = sup.quiet_case()
    raw["clinical"]["ascites"] = "moderate_severe"
    row = sup.rows(sup.supportive(raw, crcl=80.0), "ascites")["sup.int.ascites.albumin_lvp"]
    assert "more than 5 L" in row["text"]
    positions = [p["text"] for p in row["disagreement"]["positions"]]
    assert any("6-8 g" in p for p in positions)
    assert any("8 g of albumin" in p for p in positions)


# ------------------------------------------------------------------ nutrition near the end of life (class 5)


@pytest.mark.parametrize(("pps", "dying"), [(40, False), (30, True)])
def test_no_calorie_targets_for_a_dying_patient(sup, pps, dying):
    raw = sup.quiet_case()
    raw["function"]["pps_percent"] = pps
    raw["nutrition"]["intake"] = "minimal"
    raw["body"]["weight_kg"] = 55.0
    result = sup.supportive(raw, crcl=80.0)
    anorexia = sup.rows(result, "anorexia")
    texts = " ".join(r["text"] for r in anorexia.values())
    assert ("kcal" in texts) is not dying
    assert ("sup.int.anorexia.comfort" in anorexia) is dying
    if dying:
        comfort = anorexia["sup.int.anorexia.comfort"]["text"]
        assert "sips" in comfort
        assert "mouth care" in comfort
        weight = sup.rows(result, "weight_loss")
        assert "sup.int.weight.counselling" not in weight  # no supplements to reach targets
        assert "sup.int.weight.comfort" in weight


# ------------------------------------------------------------------ MUST high risk (class 7)


def test_must_3_gets_the_dietitian_within_a_week_with_the_pathway_reason(sup):
    raw = sup.quiet_case()
    raw["body"] = {"height_cm": 160, "weight_kg": 50.0, "weight_6_months_ago_kg": 57.0}
    raw["nutrition"]["must"] = {
        "weight_3_to_6_months_ago_kg": 57.0,
        "acutely_ill_no_intake_5_days": False,
    }
    result = sup.supportive(raw, crcl=80.0)
    dietitian = sup.referral(result, "dietitian")
    assert dietitian["urgency"] == "within_week"
    must = [r for r in dietitian["reasons"] if "MUST" in r]
    assert any("MUST 3" in r and "pathway" in r for r in must)
    assert "sup.must_bapen" in {b["source"] for b in dietitian["basis"]}


# ------------------------------------------------------------------ the medicines she takes now


def _taking(sup, *drugs):
    raw = sup.quiet_case()
    raw["medications"] = [
        {"drug": d, "route": "oral", "dose": {"value": 1, "unit": "mg"}, "frequency": "daily"}
        for d in drugs
    ]
    return raw


def test_her_own_ssri_rules_out_tramadol(sup):
    raw = _taking(sup, "sertraline")
    raw["symptoms"]["esas"]["pain"] = 5
    result = sup.supportive(raw, crcl=90.0)
    assert "tramadol" not in sup.suggested_drugs(result)
    chosen = sup.rows(result, "pain")["sup.int.pain.weak_opioid_no_tramadol"]
    assert any("sertraline (taken now)" in b for b in chosen["because"])


def test_her_own_benzodiazepine_beside_a_suggested_opioid_is_flagged(sup):
    raw = _taking(sup, "lorazepam")
    raw["symptoms"]["esas"]["pain"] = 8
    result = sup.supportive(raw, crcl=90.0)
    flags = [f for f in result["interactions"] if "lorazepam" in f["with"]]
    assert flags
    assert "CNS depressant" in flags[0]["message"]


def test_her_own_nsaid_at_crcl_25_is_a_medicine_review_alert(sup):
    raw = sup.the_reported_patient()
    raw["medications"] = [{"drug": "ibuprofen", "route": "oral"}]
    result = sup.supportive(raw)
    review = sup.alert(result, "current_medicine_review")
    assert review is not None
    assert review["level"] == "warning"
    assert any("ibuprofen (taken now)" in r and "CrCl 25 mL/min" in r for r in review["reasons"])
    assert any("medicine she takes now" in r for r in sup.referral(result, "pharmacist")["reasons"])


def test_low_dose_aspirin_is_not_called_an_nsaid_for_the_kidney(sup):
    raw = sup.the_reported_patient()
    raw["medications"] = [{"drug": "acetylsalicylic acid", "route": "oral"}]
    assert sup.alert(sup.supportive(raw), "current_medicine_review") is None


def test_her_own_benzodiazepine_with_encephalopathy_is_reviewed(sup):
    raw = _taking(sup, "lorazepam")
    raw["clinical"]["encephalopathy"] = "grade_1_2"
    review = sup.alert(sup.supportive(raw, crcl=80.0), "current_medicine_review")
    assert review is not None
    assert any("lorazepam (taken now)" in r and "encephalopathy" in r for r in review["reasons"])


def test_no_medicine_review_when_nothing_clashes(sup):
    raw = _taking(sup, "ibuprofen")
    assert sup.alert(sup.supportive(raw, crcl=90.0), "current_medicine_review") is None
