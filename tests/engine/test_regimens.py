"""Regimen selection and ranking per subtype and line (regimens_supportive.md §4-§5)."""

from __future__ import annotations

from planner.domain.settings import ClinicSettings

UNUSABLE = ("contraindicated", "not_recommended")


def ids(plan):
    return [o["regimen"] for o in plan["options"]]


def fields(plan):
    return {g["field"] for g in plan["gaps"]}


# ---- HR+/HER2- ---------------------------------------------------------------------------------


def test_example_pi3k_akt_fulvestrant_ranks_first(plan_of, example_raw):
    plan = plan_of(example_raw)
    assert plan["subtype"]["group"] == "HR+/HER2-"
    assert plan["subtype"]["her2"] == "low"
    first = plan["options"][0]
    assert first["regimen"] == "capivasertib_fulvestrant"
    assert first["rank"] == 1
    assert first["line"] == 2
    assert [d["drug"] for d in first["drugs"]] == ["capivasertib", "fulvestrant"]
    assert "PIK3CA mutated" in first["rank_reason"]
    assert plan["systemic_therapy"]["first_choice_reason"] == first["rank_reason"]
    assert ids(plan).index("alpelisib_fulvestrant") < ids(plan).index("everolimus_exemestane")
    # HER2-low, chemotherapy-naive after endocrine therapy: T-DXd (DESTINY-Breast06) is offered
    assert "trastuzumab_deruxtecan_chemo_naive" in ids(plan)
    # first-line-only rows and the failed CDK4/6 combination are not offered
    assert "letrozole_ribociclib" not in ids(plan)
    assert "fulvestrant_palbociclib_after_et" not in ids(plan)
    assert [o["rank"] for o in plan["options"]] == list(range(1, len(plan["options"]) + 1))


def test_first_line_endocrine_sensitive_offers_ai_plus_cdk46(plan_of, example_raw):
    example_raw["disease"]["prior_therapy"] = []
    plan = plan_of(example_raw)
    assert ids(plan)[0] == "letrozole_ribociclib"
    assert {"letrozole_palbociclib", "letrozole_abemaciclib"} <= set(ids(plan))
    assert "fulvestrant_ribociclib" not in ids(plan)
    assert all(o["line"] == 1 for o in plan["options"])


def test_relapse_on_adjuvant_ai_gives_fulvestrant_cdk46_and_inavolisib(
    plan_of, example_raw, therapy
):
    example_raw["disease"]["prior_therapy"] = [
        therapy(
            ["letrozole"], setting="adjuvant", started="2022-01-01", ended=None, reason="ongoing"
        )
    ]
    # her liver as in the example (bilirubin 1.67 × ULN, Child–Pugh B): inavolisib has no label
    # dose (not studied in moderate or severe hepatic impairment), so the triplet is still offered
    # but listed after every option the plan can dose, saying why (walk 20, W2)
    plan = plan_of(example_raw)
    assert "fulvestrant_ribociclib" in ids(plan)
    triplet = next(
        o for o in plan["options"] if o["regimen"] == "inavolisib_palbociclib_fulvestrant"
    )
    assert any(
        n.startswith("no dose in the labels for her results: inavolisib") for n in triplet["notes"]
    )
    dosable = [
        o["rank"]
        for o in plan["options"]
        if all(d["status"] not in (*UNUSABLE, "insufficient_data") for d in o["drugs"])
    ]
    assert dosable
    assert max(dosable) < triplet["rank"]
    first = plan["options"][0]
    assert all(d["dose"] is not None for d in first["drugs"])
    assert "no dose for at her results come after it" in first["rank_reason"]
    # with normal liver tests the PIK3CA-mutated triplet leads (HR-4, INAVO120)
    example_raw["labs"].update(
        bilirubin={"value": 12, "unit": "umol/L", "uln": 21},
        ast={"value": 30, "unit": "U/L", "uln": 40},
        alt={"value": 30, "unit": "U/L", "uln": 45},
        alp={"value": 100, "unit": "U/L", "uln": 130},
        albumin={"value": 40, "unit": "g/L"},
    )
    example_raw["clinical"]["ascites"] = "none"
    plan = plan_of(example_raw)
    assert ids(plan)[0] == "inavolisib_palbociclib_fulvestrant"  # PIK3CA mutated (HR-4)
    assert "letrozole_ribociclib" not in ids(plan)  # ES-4: not an AI again


def test_inavolisib_needs_12_months_since_adjuvant_cdk46(plan_of, example_raw, therapy):
    example_raw["disease"]["prior_therapy"] = [
        therapy(
            ["letrozole"], setting="adjuvant", started="2022-01-01", ended=None, reason="ongoing"
        ),
        therapy(
            ["ribociclib"],
            setting="adjuvant",
            started="2022-01-01",
            ended="2026-03-01",
            reason="completed",
        ),
    ]
    assert "inavolisib_palbociclib_fulvestrant" not in ids(plan_of(example_raw))


def test_esr1_mutation_opens_elacestrant(plan_of, example_raw):
    example_raw["biology"]["esr1"] = "mutated"
    plan = plan_of(example_raw)
    assert "elacestrant" in ids(plan)


def test_untested_biomarkers_are_gaps_naming_the_regimen(plan_of, example_raw):
    example_raw["biology"].update(pik3ca="unknown", akt1_pten="unknown", esr1=None)
    plan = plan_of(example_raw)
    assert "capivasertib_fulvestrant" not in ids(plan)
    assert {"biology.pik3ca", "biology.esr1"} <= fields(plan)
    effects = " ".join(g["effect"] for g in plan["gaps"])
    assert "Capivasertib + fulvestrant (HR-10)" in effects
    assert "TEST-1" in effects


def test_gbrca_opens_parp_inhibitors(plan_of, example_raw):
    example_raw["biology"]["gbrca"] = "brca2"
    assert {"olaparib_hr", "talazoparib_hr"} <= set(ids(plan_of(example_raw)))


def test_diabetes_moves_alpelisib_down(plan_of, example_raw):
    example_raw["clinical"]["diabetes"] = True
    plan = plan_of(example_raw)
    assert ids(plan)[0] == "capivasertib_fulvestrant"
    alpelisib = next(o for o in plan["options"] if o["regimen"] == "alpelisib_fulvestrant")
    assert any("hyperglycaemia" in n for n in alpelisib["notes"])
    assert ids(plan).index("alpelisib_fulvestrant") > ids(plan).index(
        "trastuzumab_deruxtecan_chemo_naive"
    )


def test_after_chemotherapy_her2_low_gets_tdxd_after_chemo(plan_of, example_raw, therapy):
    example_raw["disease"]["prior_therapy"].append(
        therapy(["capecitabine"], started="2026-10-05", ended="2026-11-15")
    )
    plan = plan_of(example_raw)
    assert "trastuzumab_deruxtecan_after_chemo" in ids(plan)
    assert "trastuzumab_deruxtecan_chemo_naive" not in ids(plan)
    assert "capecitabine" not in ids(plan)  # progressed on it


def test_premenopausal_endocrine_options_note_ovarian_suppression(plan_of, example_raw):
    example_raw["patient"]["menopausal_status"] = "pre"
    first = plan_of(example_raw)["options"][0]
    assert any("ovarian function suppression" in n for n in first["notes"])


# ---- visceral crisis, preferences, formulary -----------------------------------------------------


def test_hepatic_visceral_crisis_puts_chemotherapy_first(plan_of, example_raw, set_visceral_crisis):
    plan = plan_of(set_visceral_crisis(example_raw))
    assert plan["hepatic"]["visceral_crisis"] == "yes"
    first = plan["options"][0]
    assert first["chemotherapy"] is True
    assert "visceral crisis" in first["rank_reason"]
    capivasertib = next(o for o in plan["options"] if o["regimen"] == "capivasertib_fulvestrant")
    assert capivasertib["mdt_decision"] is True
    assert any("MDT decision" in n for n in capivasertib["notes"])
    # among options usable at this organ function: cytotoxics, then the ADC, then the rest
    usable = [o for o in plan["options"] if not any(d["status"] in UNUSABLE for d in o["drugs"])]
    cytotoxic = [
        o["rank"]
        for o in usable
        if o["chemotherapy"] and o["regimen"] != "trastuzumab_deruxtecan_chemo_naive"
    ]
    non_chemo = [o["rank"] for o in usable if not o["chemotherapy"]]
    assert max(cytotoxic) < min(non_chemo)
    unusable = [o["rank"] for o in plan["options"] if o not in usable]
    assert not unusable or min(unusable) > max(o["rank"] for o in usable)
    assert any(
        a["code"] == "hepatic_visceral_crisis" and a["level"] == "critical" for a in plan["alerts"]
    )


def test_patient_declining_chemotherapy_moves_it_last(plan_of, example_raw, set_visceral_crisis):
    set_visceral_crisis(example_raw)
    example_raw["preferences"]["declines_chemotherapy"] = True
    plan = plan_of(example_raw)
    first = plan["options"][0]
    assert first["chemotherapy"] is False
    declined = [o for o in plan["options"] if o["declined_by_patient"]]
    assert declined
    assert all(o["chemotherapy"] for o in declined)
    assert min(o["rank"] for o in declined) > max(
        o["rank"] for o in plan["options"] if not o["declined_by_patient"]
    )
    assert plan["systemic_therapy"]["appropriate"] is True
    assert any("declines chemotherapy" in w for w in plan["systemic_therapy"]["warnings"])


def test_prefers_oral_breaks_ties_and_is_shown(plan_of, example_raw):
    example_raw["biology"]["esr1"] = "mutated"  # elacestrant (oral) ties capivasertib + fulvestrant
    plan = plan_of(example_raw)
    assert ids(plan)[0] == "elacestrant"
    assert "all-oral" in plan["options"][0]["rank_reason"]
    example_raw["preferences"]["prefers_oral"] = False
    assert ids(plan_of(example_raw))[0] == "capivasertib_fulvestrant"


def test_formulary_hides_options_and_reports_them(plan_of, example_raw):
    formulary = frozenset({"fulvestrant", "everolimus", "exemestane", "capecitabine", "paclitaxel"})
    plan = plan_of(example_raw, settings=ClinicSettings(formulary=formulary))
    assert ids(plan)[0] == "everolimus_exemestane"
    assert set(ids(plan)) <= {
        "everolimus_exemestane",
        "everolimus_fulvestrant",
        "capecitabine",
        "paclitaxel_weekly",
    }
    hidden = {h["regimen"]: h for h in plan["hidden_options"]}
    assert hidden["capivasertib_fulvestrant"]["missing"] == ["capivasertib"]
    assert any("hidden" in w for w in plan["systemic_therapy"]["warnings"])
    assert plan["settings"]["formulary"] == sorted(formulary)


# ---- HER2-positive ---------------------------------------------------------------------------


def her2_positive(raw, therapy, lines):
    raw["biology"].update(her2_ihc="3+", her2_ish=None)
    raw["disease"]["prior_therapy"] = [
        therapy(drugs, started=f"{2022 + i}-01-01", ended=f"{2022 + i}-12-01")
        for i, drugs in enumerate(lines)
    ]
    return raw


def test_her2_positive_first_line_is_thp(plan_of, example_raw, therapy):
    raw = her2_positive(example_raw, therapy, [])
    raw["labs"]["bilirubin"]["value"] = 15  # normal liver tests: docetaxel usable
    plan = plan_of(raw)
    assert plan["subtype"]["group"] == "HER2+"
    assert ids(plan)[0] == "pertuzumab_trastuzumab_docetaxel"
    assert "endocrine_her2_directed" in ids(plan)  # HR+/HER2+ (H2-3)
    assert any("LVEF" in m for m in plan["follow_up"]["monitoring"])


def test_her2_positive_raised_bilirubin_moves_docetaxel_thp_down(plan_of, example_raw, therapy):
    plan = plan_of(her2_positive(example_raw, therapy, []))
    # weekly paclitaxel has no sourced dose beside a raised bilirubin: THP-paclitaxel is offered
    # after the options the plan can dose (walk 20, W2), docetaxel (not recommended) last
    thp = next(o for o in plan["options"] if o["regimen"] == "pertuzumab_trastuzumab_paclitaxel")
    assert {d["drug"]: d["status"] for d in thp["drugs"]}["paclitaxel"] == "insufficient_data"
    assert all(d["dose"] is not None for d in plan["options"][0]["drugs"])
    assert ids(plan).index("pertuzumab_trastuzumab_paclitaxel") == len(ids(plan)) - 2
    assert ids(plan)[-1] == "pertuzumab_trastuzumab_docetaxel"
    assert [a["drug"] for a in plan["avoid"]] == ["docetaxel"]


def test_her2_positive_second_line_is_tdxd(plan_of, example_raw, therapy):
    plan = plan_of(
        her2_positive(example_raw, therapy, [["pertuzumab", "trastuzumab", "docetaxel"]])
    )
    assert ids(plan)[0] == "trastuzumab_deruxtecan_her2_positive"
    assert any("cough" in m for m in plan["follow_up"]["monitoring"])
    assert ids(plan).index("ado_trastuzumab_emtansine") > 0


def test_her2_positive_third_line_brain_metastases_prefers_tucatinib(plan_of, example_raw, therapy):
    raw = her2_positive(
        example_raw,
        therapy,
        [["pertuzumab", "trastuzumab", "docetaxel"], ["trastuzumab deruxtecan"]],
    )
    raw["disease"]["brain_metastases"] = True
    plan = plan_of(raw)
    assert ids(plan)[0] == "tucatinib_trastuzumab_capecitabine"
    assert "trastuzumab_deruxtecan_her2_positive" not in ids(plan)


# ---- triple-negative -------------------------------------------------------------------------


def tnbc(raw, cps):
    raw["biology"].update(er_percent=0, pr_percent=0, her2_ihc="0", pik3ca=None, pdl1_cps=cps)
    raw["disease"]["prior_therapy"] = []
    return raw


def test_tnbc_pdl1_cps_10_gets_pembrolizumab_chemotherapy(plan_of, example_raw):
    plan = plan_of(tnbc(example_raw, 10))
    assert plan["subtype"]["group"] == "TNBC"
    assert ids(plan)[0].startswith("pembrolizumab_")
    assert "PD-L1 CPS 10" in plan["options"][0]["rank_reason"]
    assert "biology.pdl1_sp142" in fields(plan)  # TN-3 cannot be assessed from the case


def test_tnbc_pdl1_low_gets_single_agent_chemotherapy(plan_of, example_raw):
    plan = plan_of(tnbc(example_raw, 5))
    assert not any(i.startswith("pembrolizumab_") for i in ids(plan))
    assert plan["options"][0]["chemotherapy"] is True
    assert "sacituzumab_govitecan_first_line" in ids(plan)


def test_tnbc_pdl1_missing_is_a_gap(plan_of, example_raw):
    plan = plan_of(tnbc(example_raw, None))
    assert "biology.pdl1_cps" in fields(plan)


def test_tnbc_short_disease_free_interval_excludes_pembrolizumab(plan_of, example_raw, therapy):
    raw = tnbc(example_raw, 20)
    raw["disease"]["prior_therapy"] = [
        therapy(
            ["paclitaxel"],
            setting="adjuvant",
            started="2025-10-01",
            ended="2026-08-01",
            reason="completed",
        )
    ]
    assert not any(i.startswith("pembrolizumab_") for i in ids(plan_of(raw)))


def test_tnbc_third_line_gets_sacituzumab(plan_of, example_raw, therapy):
    raw = tnbc(example_raw, 5)
    raw["disease"]["prior_therapy"] = [
        therapy(["paclitaxel"], started="2024-01-01", ended="2024-09-01"),
        therapy(["capecitabine"], started="2024-10-01", ended="2025-09-01"),
    ]
    # Bilirubin within 1.5 × ULN: above it the sacituzumab label gives no starting dose (a stop;
    # tests/safety/test_class2_hard_limits.py), and the ranking is not what this test is about.
    raw["labs"]["bilirubin"]["value"] = 25
    plan = plan_of(raw)
    assert ids(plan)[0] == "sacituzumab_govitecan_tnbc"
