"""Known answers for every supportive trigger at and around its cut-off (defaults and settings)."""

from __future__ import annotations

import pytest


def phq(total: int, item9: int = 0) -> list[int]:
    """PHQ-9 items with the given total over items 1-8 and item 9 as given."""
    items = []
    left = total
    for _ in range(8):
        step = min(3, left)
        items.append(step)
        left -= step
    assert left == 0
    return [*items, item9]


def gad(total: int) -> list[int]:
    items = []
    left = total
    for _ in range(7):
        step = min(3, left)
        items.append(step)
        left -= step
    assert left == 0
    return items


# ------------------------------------------------------------------ psychological


@pytest.mark.parametrize(("score", "positive"), [(3, False), (4, True), (5, True)])
def test_distress_thermometer_nccn_default(run, quiet_raw, look, score, positive):
    quiet_raw["psychosocial"]["distress_thermometer"] = score
    quiet_raw["psychosocial"]["problems"] = ["emotional"]
    result = run.json(quiet_raw)
    assert ("distress" in look.problems(result)) is positive
    assert ("psychology" in look.services(result)) is positive
    if positive:
        reason = look.problems(result)["distress"]["reasons"][0]
        assert ">= 4" in reason
        assert "distress_cutoff = nccn" in reason


@pytest.mark.parametrize(("score", "positive"), [(2, False), (3, True), (4, True)])
def test_distress_thermometer_onf_setting(run, quiet_raw, look, score, positive):
    quiet_raw["psychosocial"]["distress_thermometer"] = score
    result = run.json(quiet_raw, instrument_choices={"distress_cutoff": "onf"})
    assert ("distress" in look.problems(result)) is positive
    if positive:
        assert "distress_cutoff = onf" in look.problems(result)["distress"]["reasons"][0]


@pytest.mark.parametrize(("score", "severity"), [(6, "moderate"), (7, "severe")])
def test_distress_severity(run, quiet_raw, look, score, severity):
    quiet_raw["psychosocial"]["distress_thermometer"] = score
    assert look.problems(run.json(quiet_raw))["distress"]["severity"] == severity


def test_distress_without_emotional_problems_does_not_route_to_psychology(run, quiet_raw, look):
    quiet_raw["psychosocial"]["distress_thermometer"] = 8
    quiet_raw["psychosocial"]["problems"] = ["practical"]
    result = run.json(quiet_raw)
    assert "psychology" not in look.services(result)
    assert "social_work" in look.services(result)


@pytest.mark.parametrize(
    ("total", "severity", "service"),
    [
        (9, None, None),
        (10, "moderate", "psychology"),
        (14, "moderate", "psychology"),
        (15, "severe", "psychiatry"),
    ],
)
def test_phq9_cutoffs(run, quiet_raw, look, total, severity, service):
    quiet_raw["psychosocial"]["phq9"] = phq(total)
    result = run.json(quiet_raw)
    item = look.problems(result).get("depression")
    assert (item and item["severity"]) == severity
    if service is None:
        assert not {"psychology", "psychiatry"} & set(look.services(result))
    else:
        assert service in look.services(result)
        assert "phq9_moderate_min = 10, default" in item["reasons"][0]
    assert "suicide_risk" not in look.alerts(result)


def test_phq9_cutoff_is_a_clinic_setting(run, quiet_raw, look):
    quiet_raw["psychosocial"]["phq9"] = phq(9)
    result = run.json(quiet_raw, supportive={"phq9_moderate_min": 9})
    item = look.problems(result)["depression"]
    assert "phq9_moderate_min = 9, clinic setting" in item["reasons"][0]
    assert result["supportive_settings"]["changed_by_clinic"] == ["phq9_moderate_min"]


@pytest.mark.parametrize(("item9", "alert"), [(0, False), (1, True), (3, True)])
def test_phq9_item9_raises_suicide_risk_whatever_the_total(run, quiet_raw, look, item9, alert):
    quiet_raw["psychosocial"]["phq9"] = phq(0, item9)
    result = run.json(quiet_raw)
    alerts = look.alerts(result)
    assert ("suicide_risk" in alerts) is alert
    if alert:
        assert alerts["suicide_risk"]["level"] == "critical"
        assert result["alerts"][0]["code"] == "suicide_risk"  # most severe first
        psychiatry = look.services(result)["psychiatry"]
        assert psychiatry["urgency"] == "same_day"
        assert result["follow_up"]["next_review_days"] == 0
        assert "sup.int.depression.item9" in look.interventions(result, "depression")


def test_item9_alert_needs_no_total(run, quiet_raw, look):
    quiet_raw["psychosocial"]["phq9"] = [None, 0, 0, 0, 0, 0, 0, 0, 2]
    result = run.json(quiet_raw)
    assert look.alerts(result)["suicide_risk"]["level"] == "critical"


@pytest.mark.parametrize(
    ("total", "severity", "service"),
    [
        (9, None, None),
        (10, "moderate", "psychology"),
        (14, "moderate", "psychology"),
        (15, "severe", "psychiatry"),
    ],
)
def test_gad7_cutoffs(run, quiet_raw, look, total, severity, service):
    quiet_raw["psychosocial"]["gad7"] = gad(total)
    result = run.json(quiet_raw)
    item = look.problems(result).get("anxiety")
    assert (item and item["severity"]) == severity
    if service:
        assert service in look.services(result)


def test_esas_depression_without_phq9_asks_for_it(run, quiet_raw, look):
    quiet_raw["psychosocial"]["phq9"] = None
    quiet_raw["symptoms"]["esas"]["depression"] = 5
    result = run.json(quiet_raw)
    assert "sup.int.depression.complete_phq9" in look.interventions(result, "depression")


# ------------------------------------------------------------------ ESAS symptoms


@pytest.mark.parametrize(
    ("score", "severity"),
    [(0, None), (1, "mild"), (3, "mild"), (4, "moderate"), (6, "moderate"), (7, "severe")],
)
def test_pain_bands_default(run, quiet_raw, look, score, severity):
    quiet_raw["symptoms"]["esas"]["pain"] = score
    result = run.json(quiet_raw)
    item = look.problems(result).get("pain")
    assert (item and item["severity"]) == severity


@pytest.mark.parametrize(
    ("score", "severity"), [(4, "mild"), (5, "moderate"), (7, "moderate"), (8, "severe")]
)
def test_pain_bands_esmo_2009_setting(run, quiet_raw, look, score, severity):
    quiet_raw["symptoms"]["esas"]["pain"] = score
    result = run.json(quiet_raw, supportive={"pain_moderate_min": 5, "pain_severe_min": 8})
    assert look.problems(result)["pain"]["severity"] == severity


@pytest.mark.parametrize(
    ("score", "severity"), [(3, None), (4, "moderate"), (6, "moderate"), (7, "severe")]
)
@pytest.mark.parametrize(
    ("item", "problem"),
    [
        ("tiredness", "fatigue"),
        ("nausea", "nausea"),
        ("drowsiness", "drowsiness"),
        ("shortness_of_breath", "breathlessness"),
        ("lack_of_appetite", "anorexia"),
    ],
)
def test_esas_item_bands(run, quiet_raw, look, item, problem, score, severity):
    quiet_raw["symptoms"]["esas"][item] = score
    result = run.json(quiet_raw)
    found = look.problems(result).get(problem)
    assert (found and found["severity"]) == severity
    severe_symptom = "severe physical symptom" in " ".join(
        look.services(result)["palliative_care"]["reasons"]
    )
    assert severe_symptom is (severity == "severe")


def test_pain_moderate_and_severe_review_intervals(run, quiet_raw):
    quiet_raw["symptoms"]["esas"]["pain"] = 5
    assert run.json(quiet_raw)["follow_up"]["next_review_days"] == 3
    quiet_raw["symptoms"]["esas"]["pain"] = 8
    assert run.json(quiet_raw)["follow_up"]["next_review_days"] == 1


# ------------------------------------------------------------------ nutrition and weight


@pytest.mark.parametrize(
    ("now", "before", "alert"),
    [(57.0, 60.0, False), (56.94, 60.0, True), (54.0, 60.0, True)],
)
def test_weight_loss_over_5_percent(run, quiet_raw, look, now, before, alert):
    quiet_raw["body"].update(weight_kg=now, weight_6_months_ago_kg=before)
    result = run.json(quiet_raw)
    assert ("weight_loss" in look.alerts(result)) is alert
    assert ("dietitian" in look.services(result)) is alert


@pytest.mark.parametrize(
    ("now", "before", "alert"),
    [
        (49.0, 50.0, False),  # exactly 2 % with BMI 19.1: not more than 2 %
        (49.0, 50.1, True),  # 2.2 % with BMI 19.1
        (51.2, 52.8, False),  # 3 % at BMI exactly 20: not below 20
        (51.1, 52.7, True),  # 3 % at BMI 19.96
    ],
)
def test_weight_loss_over_2_percent_with_low_bmi(run, quiet_raw, look, now, before, alert):
    quiet_raw["body"].update(height_cm=160, weight_kg=now, weight_6_months_ago_kg=before)
    result = run.json(quiet_raw)
    assert ("weight_loss" in look.alerts(result)) is alert


def test_weight_loss_severity(run, quiet_raw, look):
    quiet_raw["body"].update(weight_kg=54.0, weight_6_months_ago_kg=60.0)  # exactly 10 %
    assert look.problems(run.json(quiet_raw))["weight_loss"]["severity"] == "moderate"
    quiet_raw["body"].update(weight_kg=53.9)
    assert look.problems(run.json(quiet_raw))["weight_loss"]["severity"] == "severe"


@pytest.mark.parametrize(("score", "dietitian"), [(1, False), (2, True), (3, True)])
def test_must_cutoff(run, quiet_raw, look, score, dietitian):
    result = run.json(quiet_raw, must_score=score)
    assert ("dietitian" in look.services(result)) is dietitian


@pytest.mark.parametrize(
    ("score", "urgency"), [(3, None), (4, "routine"), (8, "routine"), (9, "within_week")]
)
def test_pgsga_cutoffs(run, quiet_raw, look, score, urgency):
    result = run.json(quiet_raw, pgsga_score=score)
    found = look.services(result).get("dietitian")
    assert (found and found["urgency"]) == urgency


@pytest.mark.parametrize(
    ("intake", "severity"),
    [
        ("unchanged", None),
        ("less_than_usual", "mild"),
        ("much_less", "moderate"),
        ("minimal", "severe"),
    ],
)
def test_intake_gives_anorexia(run, quiet_raw, look, intake, severity):
    quiet_raw["nutrition"]["intake"] = intake
    item = look.problems(run.json(quiet_raw)).get("anorexia")
    assert (item and item["severity"]) == severity


# ------------------------------------------------------------------ function and prognosis


@pytest.mark.parametrize(
    ("pps", "goals", "low", "end"),
    [
        (60, False, False, False),
        (50, True, False, False),
        (40, True, True, False),
        (30, True, True, True),
    ],
)
def test_pps_cutoffs(run, quiet_raw, look, pps, goals, low, end):
    quiet_raw["function"]["pps_percent"] = pps
    result = run.json(quiet_raw)
    alerts = look.alerts(result)
    assert ("goals_of_care" in alerts) is goals
    assert ("end_of_life_planning" in alerts) is end
    mobility = look.problems(result).get("reduced_mobility")
    assert (mobility is not None and mobility["severity"] == "severe") is low


@pytest.mark.parametrize(
    ("ppi", "goals", "end"),
    [(4.0, False, False), (4.5, True, False), (6.0, True, False), (6.5, True, True)],
)
def test_ppi_cutoffs(run, quiet_raw, look, ppi, goals, end):
    result = run.json(quiet_raw, ppi_score=ppi)
    alerts = look.alerts(result)
    assert ("goals_of_care" in alerts) is goals
    assert ("end_of_life_planning" in alerts) is end


def test_surprise_question_no_prompts_goals_of_care(run, quiet_raw, look):
    quiet_raw["clinical"]["surprise_question_no"] = True
    result = run.json(quiet_raw)
    assert look.alerts(result)["goals_of_care"]["level"] == "warning"
    assert any("surprise" in r for r in look.services(result)["palliative_care"]["reasons"])


@pytest.mark.parametrize(("ecog", "exercise", "low"), [(2, True, False), (3, False, True)])
def test_ecog_cutoffs(run, quiet_raw, look, ecog, exercise, low):
    quiet_raw["clinical"]["ecog"] = ecog
    quiet_raw["symptoms"]["esas"]["tiredness"] = 5
    result = run.json(quiet_raw)
    assert ("sup.int.fatigue.exercise" in look.interventions(result, "fatigue")) is exercise
    assert ("physiotherapy" in look.services(result)) is True
    mobility = look.problems(result).get("reduced_mobility")
    assert (mobility is not None) is low


@pytest.mark.parametrize(("falls", "found"), [(0, False), (1, True)])
def test_falls(run, quiet_raw, look, falls, found):
    quiet_raw["function"]["falls_past_3_months"] = falls
    result = run.json(quiet_raw)
    assert ("falls" in look.problems(result)) is found
    physio = look.services(result).get("physiotherapy")
    assert (physio is not None and physio["urgency"] == "within_week") is found


def test_bone_metastases_exercise_advice(run, quiet_raw, look):
    quiet_raw["disease"]["other_sites"] = ["bone"]
    quiet_raw["function"]["mobility"] = "walks_with_aid"
    result = run.json(quiet_raw)
    assert "sup.int.mobility.bone_metastases" in look.interventions(result, "reduced_mobility")


# ------------------------------------------------------------------ social


def test_social_triggers(run, quiet_raw, look):
    quiet_raw["psychosocial"].update(
        problems=["spiritual", "family"], lives_alone=True, caregiver_strain=True
    )
    result = run.json(quiet_raw)
    found = look.problems(result)
    assert {"spiritual_distress", "practical_needs", "caregiver_strain"} <= set(found)
    services = look.services(result)
    assert {"spiritual_care", "social_work", "palliative_care"} <= set(services)
    assert "sup.int.practical.lives_alone" in look.interventions(result, "practical_needs")


def test_lives_alone_alone_is_a_mild_practical_need(run, quiet_raw, look):
    quiet_raw["psychosocial"]["lives_alone"] = True
    result = run.json(quiet_raw)
    assert look.problems(result)["practical_needs"]["severity"] == "mild"
    assert "social_work" in look.services(result)
