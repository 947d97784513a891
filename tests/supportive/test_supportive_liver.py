"""Liver-aware advice, hepatic alerts, interactions, referrals to IR/hepatology, follow-up."""

from __future__ import annotations

import pytest

from planner.domain.supportive import PlannedTherapy


def texts(result, problem):
    for item in result["supportive"]:
        if item["problem"] == problem:
            return " ".join(item["interventions"])
    return ""


# ------------------------------------------------------------------ hepatic modifier


@pytest.mark.parametrize(("bilirubin", "modifier"), [(31.5, False), (32.0, True)])
def test_hepatic_modifier_at_1_5_x_uln(run, quiet_raw, look, bilirubin, modifier):
    """31.5/21 = 1.5 x ULN exactly (not above); 32/21 = 1.52. Albumin 40: Child-Pugh A."""
    quiet_raw["labs"]["bilirubin"]["value"] = bilirubin
    quiet_raw["symptoms"]["esas"]["pain"] = 2
    result = run.json(quiet_raw)
    ids = look.interventions(result, "pain")
    assert ("sup.int.pain.paracetamol_liver" in ids) is modifier
    assert ("sup.int.pain.non_opioid" in ids) is not modifier


def test_child_pugh_b_switches_on_the_liver_advice(run, quiet_raw, look):
    quiet_raw["labs"]["albumin"]["value"] = 27  # 3 points: Child-Pugh 7 = B
    quiet_raw["symptoms"]["esas"]["pain"] = 2
    result = run.json(quiet_raw)
    assert "sup.int.pain.paracetamol_liver" in look.interventions(result, "pain")


def test_unknown_liver_status_gives_the_cautious_advice(run, quiet_raw, look):
    del quiet_raw["labs"]["bilirubin"]["uln"]
    quiet_raw["symptoms"]["esas"]["pain"] = 5
    quiet_raw["symptoms"]["esas"]["nausea"] = 5
    result = run.json(quiet_raw)
    pain = look.interventions(result, "pain")
    assert "sup.int.pain.opioid_liver" in pain
    assert "sup.int.pain.weak_opioid" not in pain
    assert "sup.int.nausea.ondansetron_cap" in look.interventions(result, "nausea")
    reasons = look.services(result)["pharmacist"]["reasons"]
    assert any("cannot be judged" in r for r in reasons)


def test_paracetamol_ceiling_shows_both_positions_never_averaged(run, example_raw):
    example_raw["symptoms"]["esas"]["pain"] = 2
    text = texts(run.json(example_raw), "pain")
    assert "otherwise 2-3 g/day" in text
    assert ": 2 g/day in decompensated disease" in text
    assert "2.5 g" not in text
    assert "unverified — confirm locally" in text
    assert "4 g a day (not for liver impairment)" in text  # the disagreement's third position


def test_paracetamol_label_maximum_without_liver_impairment(run, quiet_raw):
    quiet_raw["symptoms"]["esas"]["pain"] = 2
    text = texts(run.json(quiet_raw), "pain")
    assert "label maximum 4 g/day" in text


def test_opioid_choice_and_starting_fractions_in_liver_impairment(run, example_raw, look):
    example_raw["symptoms"]["esas"]["pain"] = 8
    result = run.json(example_raw)
    ids = look.interventions(result, "pain")
    assert "sup.int.pain.opioid_liver" in ids
    assert "sup.int.pain.strong_opioid" not in ids
    text = texts(result, "pain")
    assert "fentanyl preferred" in text
    assert "avoid codeine and tramadol" in text
    assert "50 % of the usual dose" in text
    assert "1/4-1/2" in text
    assert "lengthened 1.5-2 times" in text
    # D-11 both sides; D-21 tramadol: every position, avoid first
    assert "does not contraindicate morphine" in text
    assert "avoid morphine" in text
    assert (
        text.index("avoid in end-stage") < text.index("50 mg every 12 h") < text.index("every 8 h")
    )
    assert "sup.int.pain.laxative" in ids


@pytest.mark.parametrize(
    ("change", "avoid"),
    [
        ({}, False),
        ({"ascites": "mild"}, True),
        ({"inr": 1.5}, False),
        ({"inr": 1.6}, True),
        ({"platelets": 50}, False),
        ({"platelets": 49}, True),
    ],
)
def test_nsaids_avoided_with_ascites_or_coagulopathy(run, quiet_raw, look, change, avoid):
    quiet_raw["symptoms"]["esas"]["pain"] = 2
    if "ascites" in change:
        quiet_raw["clinical"]["ascites"] = change["ascites"]
    if "inr" in change:
        quiet_raw["labs"]["inr"]["value"] = change["inr"]
    if "platelets" in change:
        quiet_raw["labs"]["platelets"]["value"] = change["platelets"]
    result = run.json(quiet_raw)
    assert ("sup.int.pain.nsaid_avoid" in look.interventions(result, "pain")) is avoid


@pytest.mark.parametrize(("bilirubin", "cap"), [(60.0, False), (70.0, True)])
def test_ondansetron_cap_in_severe_impairment(run, quiet_raw, look, bilirubin, cap):
    """60/21 = 2.86 x ULN (ODWG moderate); 70/21 = 3.33 (severe)."""
    quiet_raw["labs"]["bilirubin"]["value"] = bilirubin
    quiet_raw["symptoms"]["esas"]["nausea"] = 5
    result = run.json(quiet_raw)
    assert ("sup.int.nausea.ondansetron_cap" in look.interventions(result, "nausea")) is cap
    if cap:
        assert "no more than 8 mg" in texts(result, "nausea")
        assert look.alerts(result)["severe_hepatic_impairment"]["level"] == "critical"


def test_metoclopramide_and_olanzapine_positions_shown(run, example_raw):
    example_raw["symptoms"]["esas"]["nausea"] = 6
    text = texts(run.json(example_raw), "nausea")
    assert "older US label: no hepatic adjustment" in text
    assert "reduce in Child-Pugh B/C" in text
    assert "start 5 mg a day" in text
    assert "start 2.5 mg a day" in text


@pytest.mark.parametrize(
    ("ladder", "first_drug"), [("etg", "rifampicin"), ("bsg", "cholestyramine")]
)
def test_itch_ladder_setting(run, example_raw, look, ladder, first_drug):
    result = run.json(example_raw, supportive={"itch_ladder": ladder})
    ids = look.interventions(result, "pruritus")
    assert f"sup.int.pruritus.ladder_{ladder}" in ids
    other = "bsg" if ladder == "etg" else "etg"
    assert f"sup.int.pruritus.ladder_{other}" not in ids
    ladder_text = next(
        d["text"]
        for d in look.problems(result)["pruritus"]["intervention_details"]
        if d["id"] == f"sup.int.pruritus.ladder_{ladder}"
    )
    assert ladder_text.split(":", 1)[1].strip().lower().startswith(first_drug)
    assert "sup.int.pruritus.obstruction_first" in ids  # cholestatic LFTs: drain first


@pytest.mark.parametrize(
    ("protocol", "volume"), [("etg", "up to 4 L/day"), ("fast_fact", "4-6 L per session")]
)
def test_paracentesis_volume_setting(run, quiet_raw, look, protocol, volume):
    quiet_raw["clinical"]["ascites"] = "moderate_severe"
    result = run.json(quiet_raw, supportive={"paracentesis_volume": protocol})
    assert volume in texts(result, "ascites")
    ir = look.services(result)["interventional_radiology"]
    assert ir["urgency"] == "within_week"
    assert "spironolactone 50-100 mg" in texts(result, "ascites")


@pytest.mark.parametrize(
    ("grade", "level"), [("none", None), ("grade_1_2", "warning"), ("grade_3_4", "critical")]
)
def test_encephalopathy(run, quiet_raw, look, grade, level):
    quiet_raw["clinical"]["encephalopathy"] = grade
    result = run.json(quiet_raw)
    alert = look.alerts(result).get("encephalopathy")
    assert (alert and alert["level"]) == level
    if level:
        assert alert["field"] == "clinical.encephalopathy"
        assert "sup.int.he.lactulose" in look.interventions(result, "encephalopathy")
        assert "rifaximin 550 mg" in texts(result, "encephalopathy")
    assert ("end_of_life_planning" in look.alerts(result)) is (grade == "grade_3_4")
    if grade == "grade_3_4":
        assert look.services(result)["palliative_care"]["urgency"] == "same_day"


# ------------------------------------------------------------------ visceral crisis and severe impairment


def visceral_crisis(raw, ecog):
    raw["previous_labs"] = [
        {"drawn_on": "2026-11-09", "bilirubin": {"value": 25, "unit": "umol/L", "uln": 21}}
    ]
    raw["clinical"]["ecog"] = ecog
    return raw


@pytest.mark.parametrize(("ecog", "goals_level"), [(1, "warning"), (2, "critical")])
def test_hepatic_visceral_crisis(run, example_raw, look, ecog, goals_level):
    result = run.json(visceral_crisis(example_raw, ecog))
    alerts = look.alerts(result)
    assert alerts["hepatic_visceral_crisis"]["level"] == "critical"
    assert "1.67 x ULN" in alerts["hepatic_visceral_crisis"]["message"]
    assert "hepatic_visceral_crisis_watch" not in alerts
    assert alerts["goals_of_care"]["level"] == goals_level
    assert look.services(result)["oncology"]["urgency"] == "same_day"
    palliative = look.services(result)["palliative_care"]
    same_week = any("same-week goals-of-care" in r for r in palliative["reasons"])
    assert same_week is (ecog >= 2)
    if ecog >= 2:
        assert palliative["urgency"] == "within_week"
    assert result["follow_up"]["next_review_days"] == 1


def test_child_pugh_c_is_severe_impairment(run, example_raw, look):
    example_raw["clinical"].update(ascites="moderate_severe", encephalopathy="grade_1_2")
    example_raw["labs"]["inr"]["value"] = 2.0  # 2+2+2+3+2 = 11: Child-Pugh C
    result = run.json(example_raw)
    assert look.alerts(result)["severe_hepatic_impairment"]["level"] == "critical"


def test_unit_doubt_alert_per_doubt(run, quiet_raw, look):
    quiet_raw["labs"]["bilirubin"] = {"value": 35, "unit": "mg/dL", "uln": 1.2}
    result = run.json(quiet_raw)
    doubts = [a for a in result["alerts"] if a["code"] == "unit_or_range_doubt"]
    assert doubts
    assert all(a["field"].startswith("labs.bilirubin") for a in doubts)
    assert all(a["level"] == "warning" and a["basis"] for a in doubts)


def test_biliary_obstruction_goes_to_drainage(run, example_raw, look):
    example_raw["disease"]["biliary_obstruction"] = True
    result = run.json(example_raw)
    services = look.services(result)
    assert services["interventional_radiology"]["urgency"] == "within_week"
    assert services["hepatology"]["urgency"] == "within_week"
    assert "sup.int.jaundice.drain_first" in look.interventions(result, "jaundice")


@pytest.mark.parametrize(
    ("change", "candidate"),
    [
        ({}, True),
        ({"ecog": 2}, False),
        ({"liver_lesions": "multiple"}, False),
        ({"other_sites": ["bone"]}, False),
        ({"ascites": "mild"}, False),
    ],
)
def test_liver_directed_therapy_mdt_referral(run, quiet_raw, look, change, candidate):
    quiet_raw["disease"].update(liver_lesions="single", other_sites=[])
    for key, value in change.items():
        target = quiet_raw["clinical"] if key in ("ecog", "ascites") else quiet_raw["disease"]
        target[key] = value
    result = run.json(quiet_raw)
    ir = look.services(result).get("interventional_radiology")
    assert (ir is not None) is candidate
    if candidate:
        assert ir["urgency"] == "routine"
        assert any(
            "not presented as life-prolonging" in r
            for r in look.services(result)["oncology"]["reasons"]
        )


# ------------------------------------------------------------------ interactions


def test_rifampicin_with_a_cdk46_option_is_flagged(run, quiet_raw, look):
    quiet_raw["symptoms"]["pruritus"] = True
    option = PlannedTherapy("ribociclib_letrozole", ("ribociclib", "letrozole"))
    result = run.json(quiet_raw, options=[option])
    flags = result["interactions"]
    assert [f["with"] for f in flags] == [["ribociclib"]]
    assert look.alerts(result)["drug_interaction"]["level"] == "warning"
    assert "pharmacist" in look.services(result)
    flagged = look.problems(result)["pruritus"]["interactions"]
    assert [f["supportive"] for f in flagged] == [["rifampicin"]]
    assert "pruritus" in look.services(result)["pharmacist"]["problems"]


def test_rifampicin_without_a_partner_is_not_flagged(run, quiet_raw, look):
    quiet_raw["symptoms"]["pruritus"] = True
    result = run.json(quiet_raw, options=[PlannedTherapy("pac", ("paclitaxel",))])
    assert result["interactions"] == []
    assert "drug_interaction" not in look.alerts(result)


def test_current_tamoxifen_flags_sertraline_and_rifampicin(run, quiet_raw, look):
    quiet_raw["symptoms"]["pruritus"] = True
    quiet_raw["disease"]["prior_therapy"].append(
        {
            "drugs": ["tamoxifen"],
            "setting": "metastatic",
            "started_on": "2026-10-05",
            "reason_stopped": "ongoing",
        }
    )
    quiet_raw["psychosocial"]["phq9"] = phq15 = [3, 3, 3, 3, 3, 0, 0, 0, 0]
    assert sum(phq15) == 15
    result = run.json(quiet_raw)
    flagged = {s for f in result["interactions"] for s in f["supportive"]}
    assert {"rifampicin", "sertraline"} <= flagged
    assert "sup.int.depression.tamoxifen" in look.interventions(result, "depression")


# ------------------------------------------------------------------ follow-up


@pytest.mark.parametrize(
    ("drugs", "words"),
    [
        (("capivasertib", "fulvestrant"), "Fasting glucose"),
        (("alpelisib", "fulvestrant"), "Fasting glucose"),
        (("trastuzumab", "pertuzumab", "docetaxel"), "LVEF"),
        (("doxorubicin",), "LVEF"),
        (("trastuzumab deruxtecan",), "new cough, breathlessness or fever"),
    ],
)
def test_drug_monitoring_merged_into_follow_up(run, quiet_raw, drugs, words):
    result = run.json(quiet_raw, options=[PlannedTherapy("x", drugs)])
    monitoring = result["follow_up"]["monitoring"]
    assert any(words in m for m in monitoring)
    assert any(
        m.startswith("Liver tests (bilirubin, AST, ALT, ALP) before each cycle") for m in monitoring
    )
    assert any(m.startswith("Weight at each visit") for m in monitoring)
    assert len(monitoring) == len(set(monitoring))


def test_monitoring_follows_the_rank_1_option(run, quiet_raw):
    options = [PlannedTherapy("a", ("paclitaxel",), 1), PlannedTherapy("b", ("capivasertib",), 2)]
    monitoring = run.json(quiet_raw, options=options)["follow_up"]["monitoring"]
    assert not any("Fasting glucose" in m for m in monitoring)


def test_supportive_drug_monitoring(run, example_raw):
    monitoring = run.json(example_raw)["follow_up"]["monitoring"]
    assert "If rifampicin is started for itch: liver tests at 2-4 weeks." in monitoring
