"""Assessment instruments and calculators, scored as their manuals say.

Pure functions over plain numbers; every clinical number comes from the instrument rule tables
(`RuleSet.instruments`, an `InstrumentRules`; resources/rules/instruments/*.toml). Scorers return
an `InstrumentResult` (result.py): values at full precision, the instrument version, the
missing-data rule, every rule row applied (`basis`: rule id, sources, verified), the clinic
settings used and warnings; `unverified` lists recalled rows to show as "confirm locally".
`settings` defaults to `InstrumentSettings.from_rules(rules)` (disagreements: Child–Pugh albumin,
PG-SGA box 2, distress cut-off, HADS bands, PHQ-2 cut-off, KPS↔ECOG pairing).

Calculators the engine may call (units are in the parameter names; convert with
`planner.domain.units.to_canonical` / `units.convert` first, never here):

    liver_scores.child_pugh(bilirubin_umol_l, albumin_g_l, inr, ascites, encephalopathy,
                            rules, settings=None) -> result["points"], result["class"]
    liver_scores.albi_score(bilirubin_umol_l, albumin_g_l, rules) -> float
    liver_scores.albi(bilirubin_umol_l, albumin_g_l, rules) -> result["score"], ["grade"]
    liver_scores.odwg_category(bilirubin_x_uln, ast_x_uln | None, rules)
                            -> result["category"] (normal/mild/moderate/severe/unknown)
    liver_scores.meld_scores(MeldInput(bilirubin_mg_dl, inr, creatinine_mg_dl, sodium_mmol_l,
                            albumin_g_dl, sex, dialysis), rules) -> ["meld"], ["meld_na"], ["meld_3"]
    body.bmi(height_cm, weight_kg) -> kg/m²;  body.weight_loss_percent(earlier_kg, now_kg)
    body.bsa_mosteller(height_cm, weight_kg, rules) -> m² (uncapped)
    body.bsa_dubois(height_cm, weight_kg, rules) -> m²
    kidney.cockcroft_gault(age_years, sex, weight_kg, creatinine_mg_dl, rules) -> mL/min
    kidney.ckd_epi_2021(age_years, sex, creatinine_mg_dl, rules) -> mL/min/1.73 m²
    kidney.carboplatin_calvert(target_auc, gfr_ml_min, gfr_estimated, rules)
                            -> (dose_mg, gfr_used, capped)

Questionnaires: qlq_c30.score_qlq_c30, qlq_br23.score_qlq_br23, fact_b.score_fact_b (item code ->
response), esas.score_esas_r, depression_anxiety.score_phq9 / score_phq2 / score_gad7 /
score_hads / score_distress_thermometer, nutrition.score_must / score_pgsga_sf (build inputs from
a case with nutrition.must_input(body.height_cm, body.weight_kg, case.nutrition.must) and
nutrition.pgsga_input(body.weight_kg, case.nutrition.pgsga_sf)), score_nrs2002, score_glim,
score_cachexia, performance.score_performance, prognosis.score_ppi / score_pap.
`registry.score(name, raw, rules, limits)` is the `planner score` door (input checked first).

Keep this module import-free: planner.domain.validation imports `instruments.inputs`.
"""
